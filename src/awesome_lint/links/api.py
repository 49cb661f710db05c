"""The link library's entry point: statuses for a set of URLs under a policy, with the cache,
(given a token) the GitHub API and the GitLab and Gitea forges' APIs; archived copies of gone
links (the Internet Archive). Knows nothing of documents, configs or rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from awesome_lint.links.cache import has_userinfo, open_link_cache
from awesome_lint.links.history import with_history
from awesome_lint.links.observation import Kind, Observation, now
from awesome_lint.links.plan import (
    CheckStats,
    Plan,
    cache_scope,
    fetch_key,
    plan_links,
    short,
    with_anchors,
)
from awesome_lint.links.policy import DeadAfter, LinkPolicy
from awesome_lint.links.project_cache import cached_answers, project_key, repo_observation
from awesome_lint.redact import redact_url
from awesome_lint.verdicts import LinkStatus, Verdict

if TYPE_CHECKING:
    import aiohttp

    from awesome_lint.links.checker import GitHubAnswer

# Nothing imported here at module level imports aiohttp: the cache is read first, and the
# checker (aiohttp, tenacity) is imported only when some link must be fetched.


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


@dataclass
class LinkReport:
    """What one check found: a status per URL, what it cost, and warnings for people (a
    corrupt cache moved aside, a GitHub API error)."""

    statuses: dict[str, LinkStatus] = field(default_factory=dict)
    stats: CheckStats = field(default_factory=CheckStats)
    warnings: list[str] = field(default_factory=list)
    #: GitHub repository links checked over HTTP only, for want of a token (see
    #: :func:`http_only_note`).
    http_only: int = 0


def check_urls(urls: Iterable[str], policy: LinkPolicy, *, use_cache: bool = True,
               progress: ProgressBar | None = None,
               repositories: Iterable[Path] = (), canary: str | None = None,
               new: Collection[str] = ()) -> LinkReport:
    """Check every URL of ``urls`` once under ``policy``: each gets a status.

    Offline is not dead: when the network is unavailable (the ``canary`` URL, if given, gets
    no answer, or every one of several hosts fails at DNS or connect), the links fetched are
    "skipped", not judged, and ``report.stats.offline`` counts them.

    ``use_cache`` False (``--no-cache``) reads no cached observation but records what it saw.
    ``repositories``: the linted files' directories; a cache inside one of them is never used.
    The GitHub API answers github.com repository links when ``policy.github_token`` is set
    (and only goes to ``policy.github_api``); the forges' APIs (``policy.forges``) answer
    GitLab and Gitea project links. Their answers are cached like a working link's
    (:mod:`awesome_lint.links.project_cache`): an API is asked only about the projects whose
    cached answer is missing or stale.

    Each status carries its history (:func:`~awesome_lint.links.history.with_history`): with
    ``policy.dead_after``, failures are fetched again every run (never trusted from the cache)
    and a gone link is "failing" until it has failed in enough runs, except the ``new`` URLs
    (those a pull request adds), which are judged at once.
    """
    report = LinkReport()
    failure_age = 0.0 if policy.dead_after is not None else policy.cache_failures
    cache = open_link_cache(max_age=policy.cache_max_age, failure_age=failure_age,
                            use_cache=use_cache, repositories=repositories)
    with cache:
        plan = plan_links(sorted(set(urls)), policy, cache=cache, stats=report.stats)
        known = cached_answers(cache, plan.by_key, plan.policy, plan.scope)
        _ask_the_api_again(plan, _api_answers(policy), known, report.stats)
        learned: dict[str, Observation] = {}
        cached = set(plan.statuses)
        past = cache.histories(plan.by_key, scope=plan.scope)
        if plan.todo:  # something to fetch: only now the network library
            from awesome_lint.links.checker import check_plan
            from awesome_lint.links.safety import token_allowed

            answerers = []
            if policy.github_token and token_allowed(policy.github_api, policy.github_api):
                answerers.append(github_answerer(policy.github_token, policy.github_api,
                                                 policy.user_agent, report.warnings, learned))
            if policy.forges:
                answerers.append(forge_answerer(policy, report.warnings, learned))
            check_plan(plan, cache=cache, progress=progress, stats=report.stats,
                       github=_together(answerers), canary=canary)
            cache.put_many(learned.values(), scope=plan.scope)
        _add_history(plan, past, cached, policy.dead_after, set(new))
        report.statuses = plan.results()
    if not policy.github_token:
        report.http_only = _repository_links(report.statuses)
    report.warnings[:0] = getattr(cache, "warnings", [])
    report.warnings.extend(f"exclude pattern {pattern!r} took too long on a URL and was "
                           "dropped" for pattern in policy.slow_patterns)
    return report


def _add_history(plan: Plan, past: Mapping[str, list[Observation]], cached: set[str],
                 dead_after: DeadAfter | None, new: set[str]) -> None:
    """Each status of ``plan`` with its history: ``past`` holds the observations stored before
    this run (a status the cache answered is the newest of them)."""
    at = now()
    for key, status in plan.statuses.items():
        earlier = past.get(key, [])
        when = at
        if key in cached and earlier:
            when, earlier = earlier[0].checked, earlier[1:]
        grace = new.isdisjoint(plan.by_key.get(key, ()))
        plan.statuses[key] = with_history(status, earlier, plan.verdict, when, dead_after,
                                          grace=grace)


#: At most this many gone links are looked up in the Internet Archive per run (the rest on
#: later runs, as the cache fills).
MAX_ARCHIVE_LOOKUPS = 500


@dataclass
class ArchivedCopies:
    """The latest archived copy (address, ``YYYYMMDDhhmmss``) of each URL that has one, and a
    line for people about the lookups."""

    copies: dict[str, tuple[str, str]] = field(default_factory=dict)
    note: str = ""
    warnings: list[str] = field(default_factory=list)


def archived_copies(urls: Iterable[str], policy: LinkPolicy, *, use_cache: bool = True,
                    repositories: Iterable[Path] = ()) -> ArchivedCopies:
    """Ask the Internet Archive (``policy.archive_api``) for the latest copy of each of
    ``urls`` (gone links; fragments dropped), through the link cache: an answer, copy or none,
    is kept like a working link's observation, under a key of its own. A URL with credentials
    or a secret-looking query value is never sent to the archive."""
    wanted: dict[str, list[str]] = {}
    for url in urls:
        key = fetch_key(url)
        if key.startswith(("http://", "https://")) and redact_url(key) == key \
                and not has_userinfo(key):
            wanted.setdefault(key, []).append(url)
    found = ArchivedCopies()
    if not wanted:
        return found
    scope = f"archive {policy.archive_api} {cache_scope(policy)}"
    cache = open_link_cache(max_age=policy.cache_max_age, failure_age=policy.cache_failures,
                            use_cache=use_cache, repositories=repositories)
    with cache:
        answers: dict[str, tuple[str, str] | None] = {
            key: _copy_of(status) for key, status in
            cache.get_many(wanted, _judge_archive_answer, scope=scope).items()}
        cached = len(answers)
        todo = [key for key in wanted if key not in answers][:MAX_ARCHIVE_LOOKUPS]
        requests = 0
        if todo:
            from awesome_lint.links.archive import look_up

            fetched = look_up(todo, policy)
            requests = fetched.requests
            answers.update(fetched.copies)
            cache.put_many((_archive_observation(key, copy) for key, copy
                            in fetched.copies.items()), scope=scope)
            if fetched.problems:
                found.warnings.append(f"Internet Archive: {len(fetched.problems)} lookups "
                                      f"failed ({short(fetched.problems[0])})")
    found.warnings[:0] = getattr(cache, "warnings", [])
    copies = {key: copy for key, copy in answers.items() if copy is not None}
    for key, copy in copies.items():
        found.copies.update((url, copy) for url in wanted[key])
    left = len(wanted) - len(answers)
    found.note = (f"Internet Archive: {len(copies)} archived copies for {len(wanted)} "
                  f"gone links ({cached} answers from the cache, {requests} requests"
                  + (f", {left} not looked up" if left else "") + ").")
    return found


def _judge_archive_answer(observed: Observation) -> LinkStatus | None:
    """A cached archive answer as a status (``ok``: it keeps like a working link's): the
    copy in ``final_url``, its time in ``extra``; None for a record that is not one."""
    timestamp = observed.evidence.get("timestamp")
    if (observed.final_url is None) != (timestamp is None):  # a copy whose URL was not kept
        return None
    return LinkStatus(observed.url, Verdict.OK, final_url=observed.final_url,
                      extra={"timestamp": timestamp})


def _copy_of(status: LinkStatus) -> tuple[str, str] | None:
    timestamp = status.extra.get("timestamp")
    if status.final_url is None or not isinstance(timestamp, str):
        return None
    return status.final_url, timestamp


def _archive_observation(key: str, copy: tuple[str, str] | None) -> Observation:
    if copy is None:
        return Observation(key, Kind.HTTP, 200)
    return Observation(key, Kind.HTTP, 200, final_url=copy[0],
                       evidence={"timestamp": copy[1]})


def summary(statuses: Mapping[str, LinkStatus], stats: CheckStats) -> str:
    """A few lines for people: counts by verdict, requests, cache hits, the slowest hosts."""
    checked = [status for status in statuses.values() if not status.extra.get("offline")]
    counts = Counter(status.verdict.value for status in checked)
    verdicts = ", ".join(f"{count} {verdict}" for verdict, count in sorted(counts.items()))
    offline = len(statuses) - len(checked)
    unchecked = f", {offline} not checked (network unavailable)" if offline else ""
    recovered = sum(1 for status in checked if status.extra.get("recovered"))
    if recovered:
        unchecked += f", {recovered} recovered"
    lines = [f"Links: {len(checked)} checked ({verdicts}){unchecked}; {stats.requests} "
             f"requests, {stats.cached} from the cache."]
    slow = [f"{host} {seconds:.1f} s" for host, seconds in stats.slowest_hosts(3)
            if seconds >= 1.0]
    if slow:
        lines.append("Slowest hosts (total request time): " + ", ".join(slow) + ".")
    return "\n".join(lines)


def _api_answers(policy: LinkPolicy) -> Callable[[str], bool]:
    """Whether an API answers the URL (a repository's or project's front page): GitHub's with
    a token, the forges' (:attr:`LinkPolicy.forges`) always."""
    from awesome_lint.links.forge_urls import forge_for, project_ref
    from awesome_lint.links.github_urls import is_repo_root, repo_hosts

    hosts = repo_hosts(policy.github_api) if policy.github_token else frozenset()

    def answers(url: str) -> bool:
        if hosts and is_repo_root(url, hosts):
            return True
        forge = forge_for(url, policy.forges)
        ref = None if forge is None else project_ref(url, forge)
        return ref is not None and ref.root

    return answers


def _ask_the_api_again(plan: Plan, answers: Callable[[str], bool],
                       known: Mapping[str, LinkStatus], stats: CheckStats) -> None:
    """The repository front pages an API answers get its answer, not what HTTP said: a fresh
    cached one from ``known`` (:func:`cached_answers`), else they are (back) in ``plan.todo``
    and the API is asked. What the cache read of such a page's anchors is kept in
    ``plan.pages`` (the page is not fetched again for its fragments); a cached answer about a
    link with fragments whose page was not read asks the API again (it reads the page)."""
    before = len(plan.statuses)
    again = [key for key in plan.statuses if answers(key)]
    for key in again:
        status = plan.statuses.pop(key)
        if key in plan.fragments and "fragments" in status.extra:
            plan.pages[key] = status
    for key in [*again, *plan.todo]:
        answer = known.get(key)
        if answer is None:
            continue
        if key in plan.fragments and answer.verdict is Verdict.OK:
            if key not in plan.pages:
                continue
            answer = with_anchors(answer, plan.pages[key])
        plan.statuses[key] = answer
    plan.todo = [key for key in [*plan.todo, *again] if key not in plan.statuses]
    stats.cached += len(plan.statuses) - before


def _repository_links(statuses: Mapping[str, LinkStatus]) -> int:
    """How many of the checked URLs are github.com repository links (or pages inside one)."""
    from awesome_lint.links.github_urls import parse_repo_url

    unchecked = (Verdict.EXCLUDED, Verdict.SKIPPED)
    return sum(1 for url, status in statuses.items()
               if status.verdict not in unchecked and parse_repo_url(url) is not None)


def http_only_note(count: int) -> str:
    """The run's one line about the repository links that no token let the API answer."""
    links = "link was" if count == 1 else "links were"
    return (f"GitHub: {count} repository {links} checked over HTTP only (whether a repository "
            "is archived, stale or moved needs the GitHub API): give a token with "
            "--github-token or GITHUB_TOKEN (the action passes the workflow's token).")


def _together(answerers: list[GitHubAnswer]) -> GitHubAnswer | None:
    """One answerer asking each of ``answerers`` in turn about the keys not answered yet."""
    if len(answerers) < 2:
        return answerers[0] if answerers else None

    async def answer(session: aiohttp.ClientSession, keys: list[str]) -> dict[str, LinkStatus]:
        answered: dict[str, LinkStatus] = {}
        for one in answerers:
            answered.update(await one(session, [key for key in keys if key not in answered]))
        return answered

    return answer


def forge_answerer(policy: LinkPolicy, warnings: list[str],
                   learned: dict[str, Observation]) -> GitHubAnswer:
    """Answers GitLab and Gitea/Forgejo project links through their REST APIs
    (:mod:`awesome_lint.links.forges`): never dead, whatever they say. Each answer is added to
    ``learned`` as an observation for the cache."""

    async def answer(session: aiohttp.ClientSession, keys: list[str]) -> dict[str, LinkStatus]:
        from awesome_lint.links.forges import ask_forges

        return await ask_forges(session, keys, policy, warnings, learned)

    return answer


def github_answerer(token: str, api_url: str, user_agent: str, warnings: list[str],
                    learned: dict[str, Observation]) -> GitHubAnswer:
    """Answers repository links through the GraphQL API at ``api_url`` (one query per 100):
    github.com's for GitHub's API, the server's own for GitHub Enterprise (``repo_hosts``).
    Each answer that settles a link is added to ``learned`` for the cache.

    A repository the API calls missing, or disabled, is left to the HTTP check, which confirms
    it: only "dead" fails a run, so it is never decided on one source alone.
    """
    from awesome_lint.links.github_urls import repo_hosts

    hosts = repo_hosts(api_url)

    async def answer(session: aiohttp.ClientSession, keys: list[str]) -> dict[str, LinkStatus]:
        from awesome_lint.links.github import check_repos, parse_repo_url, repo_status

        wanted = {key: parse_repo_url(key, hosts) for key in keys}
        repos = sorted({repo for repo in wanted.values() if repo is not None})
        if not repos:
            return {}
        infos = await check_repos(session, repos, token=token, api_url=api_url,
                                  user_agent=user_agent)
        answered = {}
        for key, repo in wanted.items():
            info = infos.get(repo) if repo is not None else None
            if repo is None or info is None:
                continue
            status = repo_status(key, info, hosts)
            if status is not None and status.verdict is not Verdict.DEAD:
                answered[key] = status
                asked = "/".join(repo)
                learned[project_key(api_url, asked)] = repo_observation(api_url, asked, info)
        errors = {info.error for info in infos.values() if info.error}
        for error in sorted(errors)[:1]:
            warnings.append(f"GitHub API: {error}")
        return answered

    return answer
