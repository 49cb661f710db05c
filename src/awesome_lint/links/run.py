"""The ``--links`` phase of a run: check every web link of every linted file, once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TextIO

import aiohttp

from awesome_lint.changed import touches
from awesome_lint.links.cache import LinkCache, NullCache, default_cache_path
from awesome_lint.links.checker import CheckStats, GitHubAnswer, check_links
from awesome_lint.links.findings import absolute, link_findings, web_links
from awesome_lint.links.github import check_repos, parse_repo_url, repo_status
from awesome_lint.links.policy import LinkPolicy
from awesome_lint.links.safety import token_allowed
from awesome_lint.runner import Checked
from awesome_lint.verdicts import LinkStatus, Verdict


class ProgressBar:
    """A one-line progress bar on a terminal; silent elsewhere (CI logs, pipes)."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 20:
            return
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "." * (width - filled)
        self.stream.write(f"\rChecking links [{bar}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()


def check_files(checked: Sequence[Checked], policy: LinkPolicy, *, use_cache: bool = True,
                progress: ProgressBar | None = None,
                lines: Mapping[str, set[int]] | None = None) -> tuple[dict[str, LinkStatus],
                                                                      CheckStats, list[str]]:
    """Statuses of every web link of ``checked`` (keyed by :func:`absolute`), the run's
    statistics, and warnings (e.g. a corrupt cache moved aside).

    ``lines`` (``--diff``): per file path, only the links on these lines are checked.
    """
    urls = sorted({absolute(link.url) for one in checked for link in web_links(one.doc)
                   if lines is None or touches(link.span, lines.get(one.doc.path))})
    stats = CheckStats()
    cache: LinkCache | NullCache
    cache = (LinkCache(default_cache_path(), max_age=policy.cache_max_age,
                       failure_age=policy.cache_failures) if use_cache else NullCache())
    github = None
    warnings: list[str] = []
    if policy.github_token and token_allowed(policy.github_api, policy.github_api):
        github = github_answerer(policy.github_token, policy.github_api, policy.user_agent,
                                 warnings)
    with cache:
        statuses = check_links(urls, policy, cache=cache, progress=progress, stats=stats,
                               github=github)
    return statuses, stats, [*getattr(cache, "warnings", []), *warnings]


def add_link_findings(checked: Sequence[Checked], statuses: Mapping[str, LinkStatus]) -> None:
    """Each file's link findings, next to its offline findings (suppressed later, together)."""
    for one in checked:
        one.findings.extend(link_findings(one.doc, statuses, one.enabled, one.config.rule_settings))


def summary(statuses: Mapping[str, LinkStatus], stats: CheckStats) -> str:
    """A few lines for people: counts by verdict, requests, cache hits, the slowest hosts."""
    counts = Counter(status.verdict.value for status in statuses.values())
    verdicts = ", ".join(f"{count} {verdict}" for verdict, count in sorted(counts.items()))
    lines = [f"Links: {len(statuses)} checked ({verdicts}); {stats.requests} requests, "
             f"{stats.cached} from the cache."]
    slow = [f"{host} {seconds:.1f} s" for host, seconds in stats.slowest_hosts(3)
            if seconds >= 1.0]
    if slow:
        lines.append("Slowest hosts (total request time): " + ", ".join(slow) + ".")
    return "\n".join(lines)


def github_answerer(token: str, api_url: str, user_agent: str,
                    warnings: list[str]) -> GitHubAnswer:
    """Answers github.com repository links through the GraphQL API (one query per 100).

    A repository the API calls missing is left to the HTTP check, which confirms it: only
    "dead" fails a run, so it is never decided on one source alone.
    """

    async def answer(session: aiohttp.ClientSession, keys: list[str]) -> dict[str, LinkStatus]:
        wanted = {key: parse_repo_url(key) for key in keys}
        repos = sorted({repo for repo in wanted.values() if repo is not None})
        if not repos:
            return {}
        infos = await check_repos(session, repos, token=token, api_url=api_url,
                                  user_agent=user_agent)
        answered = {}
        for key, repo in wanted.items():
            info = infos.get(repo) if repo is not None else None
            status = repo_status(key, info) if info is not None else None
            if status is not None and status.verdict is not Verdict.DEAD:
                answered[key] = status
        errors = {info.error for info in infos.values() if info.error}
        for error in sorted(errors)[:1]:
            warnings.append(f"GitHub API: {error}")
        return answered

    return answer
