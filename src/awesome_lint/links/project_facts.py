"""What the project APIs say of a project, as plain data, and the link status it gives: GitHub's
repositories (:class:`RepoInfo`, :func:`repo_status`), GitLab's and Gitea's projects
(:class:`ProjectInfo`, :func:`project_status`). No network library: a cached answer
(:mod:`awesome_lint.links.project_cache`) is applied by the same code as a fresh one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from awesome_lint.links.forge_urls import Forge, ProjectRef, moved_url
from awesome_lint.links.github_urls import GITHUB_HOSTS, is_repo_root, parse_repo_url
from awesome_lint.links.github_urls import moved_url as moved_repo_url
from awesome_lint.verdicts import LinkStatus, Verdict

__all__ = ["MAX_BRANCH", "ProjectInfo", "RepoInfo", "project_status", "read_project",
           "repo_status", "utc"]

#: A branch name longer than this is not kept (Git allows long ones; a report needs none).
MAX_BRANCH = 255


def _facts(archived: bool, fork: bool, default_branch: str | None,
           last_commit: str | None) -> dict[str, Any]:
    """A project's facts as ``LinkStatus.extra`` carries them (the keys every forge shares)."""
    facts: dict[str, Any] = {"archived": archived, "fork": fork}
    if default_branch is not None:
        facts["default_branch"] = default_branch
    if last_commit is not None:
        facts["last_commit"] = last_commit
    return facts


@dataclass(frozen=True)
class RepoInfo:
    """What the API said about one repository.

    Read ``error`` first: when set, the API gave no answer for this repository (bad token, rate
    limit, outage...) and the other fields mean nothing. Otherwise ``exists`` is False for a
    missing (or private) repository, and ``name_with_owner``/``url`` are its current name and
    address, which differ from the requested ones after a rename or transfer. ``last_commit``
    is an ISO-8601 UTC time (the default branch's last commit, else the last push), or None.
    """

    exists: bool
    name_with_owner: str | None
    archived: bool
    url: str | None
    error: str | None = None
    fork: bool = False
    disabled: bool = False
    default_branch: str | None = None
    last_commit: str | None = None

    def renamed(self, owner: str, name: str) -> bool:
        """True when the repository asked for as ``owner/name`` now lives elsewhere.

        GitHub names are case-insensitive, so ``Owner/Repo`` for ``owner/repo`` is no rename.
        """
        if not self.exists or self.name_with_owner is None:
            return False
        return self.name_with_owner.lower() != f"{owner}/{name}".lower()

    def facts(self) -> dict[str, Any]:
        """The project's facts for ``LinkStatus.extra`` (plain JSON; the shared keys)."""
        return _facts(self.archived, self.fork, self.default_branch, self.last_commit)


def repo_status(url: str, info: RepoInfo,
                hosts: frozenset[str] = GITHUB_HOSTS) -> LinkStatus | None:
    """The verdict for ``url`` from the API's answer about its repository, or None.

    None means "the API cannot settle this link, check it over plain HTTP": ``info.error`` is
    set, the URL is not a repository URL on ``hosts``, it is a page inside an existing
    repository (a file, an issue...), or the repository is disabled (GitHub serves it as
    unavailable: dead only if the HTTP check says so). A missing repository settles every page
    inside it: dead. A renamed or transferred repository is ``moved``: ``final_url`` (and
    ``extra["moved_to"]``) is the new repository with the rest of the original path, query and
    fragment. Otherwise ``ok``. ``archived`` and the project's facts (``extra``: ``archived``,
    ``fork``, ``default_branch``, ``last_commit``) ride on ok and moved alike.
    """
    repo = parse_repo_url(url, hosts)
    if info.error is not None or repo is None:
        return None
    owner, name = repo
    extra: dict[str, Any] = {"source": "github-api"}
    if not info.exists:
        return LinkStatus(url=url, verdict=Verdict.DEAD,
                          reason="repository not found (GitHub API)", extra=extra)
    if info.disabled or not is_repo_root(url, hosts):
        return None
    if info.name_with_owner is not None:
        extra["name_with_owner"] = info.name_with_owner
    extra.update(info.facts())
    archived = " (archived)" if info.archived else ""
    if info.renamed(owner, name) and info.name_with_owner is not None:
        final = moved_repo_url(url, info.name_with_owner)
        if final is None:  # the API's answer is not a valid owner/name: ask over HTTP
            return None
        extra["moved_to"] = final
        return LinkStatus(url=url, verdict=Verdict.MOVED,
                          reason=f"repository moved to {info.name_with_owner}{archived} "
                                 "(GitHub API)",
                          final_url=final, permanent=True, chain=(url, final),
                          archived=info.archived, extra=extra)
    return LinkStatus(url=url, verdict=Verdict.OK,
                      reason="repository archived (GitHub API)" if info.archived else "",
                      archived=info.archived, extra=extra)


def utc(value: Any) -> str | None:
    """An ISO-8601 time from the API as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC), or None if it is not
    one (a null, a number, garbage: the answer is tolerated, the fact is dropped)."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        return None
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ProjectInfo:
    """What a forge's API said of one project: its current path (a rename or transfer answers
    under the new one) and the shared facts."""

    path: str
    archived: bool
    fork: bool
    default_branch: str | None
    last_commit: str | None
    #: False for a path read off a redirect: no facts came with it.
    known: bool = True

    def facts(self) -> dict[str, Any]:
        if not self.known:
            return {}
        return _facts(self.archived, self.fork, self.default_branch, self.last_commit)


def read_project(kind: str, body: Any) -> ProjectInfo | None:
    """ProjectInfo from a GitLab ``Project`` or a Gitea ``Repository`` answer; None when the
    path is missing (a field of the wrong type is an unknown fact)."""
    if not isinstance(body, dict):
        return None
    path = body.get("path_with_namespace" if kind == "gitlab" else "full_name")
    if not isinstance(path, str):
        return None
    branch = body.get("default_branch")
    fork = (isinstance(body.get("forked_from_project"), dict) if kind == "gitlab"
            else body.get("fork") is True)
    return ProjectInfo(
        path=path,
        archived=body.get("archived") is True,
        fork=fork,
        default_branch=branch if isinstance(branch, str) and 0 < len(branch) <= MAX_BRANCH
        else None,
        last_commit=utc(body.get("last_activity_at" if kind == "gitlab" else "updated_at")),
    )


def project_status(url: str, forge: Forge, ref: ProjectRef,
                   info: ProjectInfo) -> LinkStatus | None:
    """The verdict for ``url`` (a link into the project ``ref``) from the API's answer: None
    for a page inside the project (a file, an issue: HTTP checks it); ``moved`` (with
    ``moved_to``) when the project answers under another path; else ``ok``. The facts ride on
    both, with ``archived``."""
    if not ref.root:
        return None
    extra: dict[str, Any] = {"source": f"{forge.kind}-api", **info.facts()}
    archived = " (archived)" if info.archived else ""
    if info.path.lower() != ref.path.lower():
        final = moved_url(url, forge, ref, info.path)
        if final is None:  # not a valid project path: ask over HTTP
            return None
        extra["moved_to"] = final
        return LinkStatus(url=url, verdict=Verdict.MOVED,
                          reason=f"project moved to {info.path}{archived} ({forge.name} API)",
                          final_url=final, permanent=True, chain=(url, final),
                          archived=info.archived, extra=extra)
    return LinkStatus(url=url, verdict=Verdict.OK,
                      reason=f"project archived ({forge.name} API)" if info.archived else "",
                      archived=info.archived, extra=extra)
