"""The project APIs' answers kept in the link cache, so a warm run asks no API. No network
library.

Each answer that settles a link (GitHub's repository, GitLab's or Gitea's project: archived,
fork, default branch, last commit, current name) is an ordinary observation under a synthetic
key, :func:`project_key`: the API's address, a fragment no fetch key has, and the project's
path as asked (lower-cased: the APIs' names are case-insensitive). Fresh for the cache's age of
a working link; an API that gave no answer, or one leaving the link to the HTTP check (missing,
disabled), is not kept. A cached answer is applied by the same code as a fresh one
(:mod:`awesome_lint.links.project_facts`), so the findings are the same. Nothing read here
chooses where a request, or a token, goes: the API addresses are the policy's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from awesome_lint.links.forge_urls import Forge, ProjectRef, forge_for, project_ref
from awesome_lint.links.github_urls import is_repo_root, parse_repo_url, repo_hosts
from awesome_lint.links.observation import Kind, Observation, now
from awesome_lint.links.policy import LinkPolicy
from awesome_lint.links.project_facts import (
    ProjectInfo,
    RepoInfo,
    project_status,
    repo_status,
    utc,
)
from awesome_lint.verdicts import LinkStatus, Verdict

__all__ = ["cached_answers", "project_key", "project_observation", "repo_observation"]

_MARK = "#awesome-lint-project:"


class _Cache(Protocol):
    def get_many(self, urls: Iterable[str], judge: Callable[[Observation], LinkStatus | None],
                 *, scope: str = "") -> dict[str, LinkStatus]: ...


def project_key(api: str, path: str) -> str:
    """The cache key of ``api``'s answer about the project at ``path`` (``owner/name``)."""
    return f"{api}{_MARK}{path.lower()}"


def repo_observation(api: str, asked: str, info: RepoInfo) -> Observation:
    """GitHub's answer about the repository asked for as ``asked``, as an observation."""
    facts = {"api": "github", "name_with_owner": info.name_with_owner,
             "archived": info.archived, "fork": info.fork,
             "default_branch": info.default_branch, "last_commit": info.last_commit}
    return _observation(project_key(api, asked), facts)


def project_observation(api: str, asked: str, kind: str, info: ProjectInfo) -> Observation:
    """A GitLab or Gitea (``kind``) answer about the project asked for as ``asked``."""
    facts = {"api": kind, "path": info.path, "archived": info.archived, "fork": info.fork,
             "default_branch": info.default_branch, "last_commit": info.last_commit,
             "known": info.known}
    return _observation(project_key(api, asked), facts)


def _observation(key: str, facts: dict[str, Any]) -> Observation:
    return Observation(key, Kind.HTTP, 200, checked=now(), evidence={"project": facts})


def _read(observed: Observation) -> LinkStatus | None:
    """A cached answer as the cache's judge sees it: fresh as a working link, facts in extra."""
    facts = observed.evidence.get("project")
    if not isinstance(facts, dict) or observed.kind is not Kind.HTTP:
        return None
    return LinkStatus(observed.url, Verdict.OK, extra={"project": facts})


def _branch(facts: Mapping[str, Any]) -> str | None:
    branch = facts.get("default_branch")
    return branch if isinstance(branch, str) and branch else None


def _repo_info(facts: Mapping[str, Any]) -> RepoInfo | None:
    name = facts.get("name_with_owner")
    if facts.get("api") != "github" or not isinstance(name, str):
        return None
    return RepoInfo(exists=True, name_with_owner=name, archived=facts.get("archived") is True,
                    url=None, fork=facts.get("fork") is True, default_branch=_branch(facts),
                    last_commit=utc(facts.get("last_commit")))


def _project_info(kind: str, facts: Mapping[str, Any]) -> ProjectInfo | None:
    path = facts.get("path")
    if facts.get("api") != kind or not isinstance(path, str):
        return None
    return ProjectInfo(path, archived=facts.get("archived") is True,
                       fork=facts.get("fork") is True, default_branch=_branch(facts),
                       last_commit=utc(facts.get("last_commit")),
                       known=facts.get("known") is not False)


def cached_answers(cache: _Cache, keys: Iterable[str], policy: LinkPolicy,
                   scope: str) -> dict[str, LinkStatus]:
    """The statuses that fresh cached answers give the project links among ``keys`` (fetch
    keys), as the API answering now would: GitHub's only with a token (as it is asked only
    then), the forges' (``policy.forges``) always. One read for all (``get_many``)."""
    hosts = repo_hosts(policy.github_api) if policy.github_token else frozenset()
    wanted: dict[str, list[tuple[str, Callable[[Mapping[str, Any]], LinkStatus | None]]]] = {}
    for key in keys:
        repo = parse_repo_url(key, hosts) if hosts and is_repo_root(key, hosts) else None
        if repo is not None:
            def apply_repo(facts: Mapping[str, Any], key: str = key) -> LinkStatus | None:
                info = _repo_info(facts)
                return None if info is None else repo_status(key, info, hosts)
            wanted.setdefault(project_key(policy.github_api, "/".join(repo)), []).append(
                (key, apply_repo))
            continue
        forge = forge_for(key, policy.forges)
        ref = None if forge is None else project_ref(key, forge)
        if forge is not None and ref is not None and ref.root:
            def apply_project(facts: Mapping[str, Any], key: str = key, forge: Forge = forge,
                              ref: ProjectRef = ref) -> LinkStatus | None:
                info = _project_info(forge.kind, facts)
                return None if info is None else project_status(key, forge, ref, info)
            wanted.setdefault(project_key(forge.api, ref.path), []).append((key, apply_project))
    if not wanted:
        return {}
    found: dict[str, LinkStatus] = {}
    for project, read in cache.get_many(wanted, _read, scope=scope).items():
        for key, apply in wanted[project]:
            status = apply(read.extra["project"])
            if status is not None and status.verdict is not Verdict.DEAD:
                found[key] = status
    return found
