"""What a link check must do before any request: no network library imported.

:func:`plan_links` sorts the URLs into those answered without fetching (excluded, not http(s),
not a URL), those the cache answers (a fresh observation, judged under this run's policy) and
those to fetch, each distinct one once (:attr:`Plan.todo`). Only when ``todo`` is not empty
does a caller need :mod:`awesome_lint.links.checker` (which imports aiohttp): a run whose
links are all fresh in the cache never imports it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit, urlunsplit

from awesome_lint.links.fragments import checked_fragment
from awesome_lint.links.observation import Observation, judge
from awesome_lint.links.policy import HostLimit, LinkPolicy
from awesome_lint.redact import redact_text
from awesome_lint.urls import plain_url
from awesome_lint.verdicts import LinkStatus, Verdict

if TYPE_CHECKING:
    from awesome_lint.links.softdead import Probe

__all__ = [
    "LIMITS",
    "CheckStats",
    "ObservationCache",
    "Plan",
    "Progress",
    "backoff_wait",
    "bounded",
    "cache_scope",
    "fetch_key",
    "host_key",
    "origin_of",
    "plan_links",
    "probe_key",
    "with_anchors",
]

#: Upper bounds applied where the settings are used, whatever the policy says (a config file
#: is part of the repository, which a pull request edits; the config caps them too).
LIMITS: Mapping[str, float] = {
    "retries": 10,
    "max_redirects": 20,
    "timeout": 120.0,
    "connect_timeout": 120.0,
    "backoff": 60.0,
    "max_retry_after": 300.0,
    "interval": 60.0,
}
#: The backoff doubles per attempt up to this exponent (2 ** 1024 overflowed a float).
_MAX_EXPONENT = 16
_MAX_WAIT = 300.0

Progress = Callable[[int, int], None]


class ObservationCache(Protocol):
    """What the engine needs of a cache (see :mod:`awesome_lint.links.cache`): observations
    in, verdicts out, judged by the caller's ``judge`` under the current policy."""

    def get(self, url: str, judge: Callable[[Observation], LinkStatus | None], *,
            scope: str = "") -> LinkStatus | None: ...

    def put_many(self, observations: Iterable[Observation], *, scope: str = "") -> None: ...


@dataclass
class CheckStats:
    """What a run did: requests made, time spent per host, peak concurrency per host."""

    requests: int = 0
    cached: int = 0
    host_seconds: dict[str, float] = field(default_factory=dict)
    host_peak: dict[str, int] = field(default_factory=dict)
    #: Links not checked because the network was unavailable (see ``checker.OFFLINE_HOSTS``).
    offline: int = 0

    def slowest_hosts(self, count: int = 5) -> list[tuple[str, float]]:
        return sorted(self.host_seconds.items(), key=lambda item: -item[1])[:count]


def bounded(policy: LinkPolicy) -> LinkPolicy:
    """``policy`` with every numeric setting within :data:`LIMITS` (and non-negative)."""
    def cap(name: str, value: float) -> float:
        return min(max(value, 0.0), LIMITS[name])

    hosts = {host: HostLimit(max(1, limit.concurrency), cap("interval", limit.interval))
             for host, limit in policy.hosts.items()}
    return replace(
        policy,
        retries=int(cap("retries", policy.retries)),
        max_redirects=int(cap("max_redirects", policy.max_redirects)),
        timeout=cap("timeout", policy.timeout),
        connect_timeout=cap("connect_timeout", policy.connect_timeout),
        backoff=cap("backoff", policy.backoff),
        max_retry_after=cap("max_retry_after", policy.max_retry_after),
        concurrency=max(1, policy.concurrency),
        per_host=max(1, policy.per_host),
        hosts=hosts,
    )


def cache_scope(policy: LinkPolicy) -> str:
    """Which observations a run may share: one reached through ``--allow-private`` or the
    environment's proxies is not what a guarded run would see, so each has its own keys."""
    return ("private" if policy.allow_private else "") + ("+env" if policy.trust_env else "")


def backoff_wait(policy: LinkPolicy, attempt: int, retry_after: float | None = None) -> float:
    """Seconds to wait before attempt ``attempt + 1``: jittered exponential backoff (the
    exponent capped), or the server's ``Retry-After`` up to ``max_retry_after``."""
    exponent = min(max(attempt - 1, 0), _MAX_EXPONENT)
    jittered = min(policy.backoff * 2.0 ** exponent * (0.5 + random.random()), _MAX_WAIT)
    if retry_after is not None:
        return float(min(max(retry_after, jittered), policy.max_retry_after))
    return float(jittered)


def fetch_key(url: str) -> str:
    """The URL as fetched: no fragment (it never reaches the server), host lower-cased."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc.lower() if "@" not in parts.netloc else parts.netloc
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def host_key(url: str) -> str:
    """Politeness is per host and port (8 ports of one address are 8 servers); a default port
    written out (``example.com:443``) is the same server as none, not a second gate."""
    parts = urlsplit(url)
    host = (parts.netloc.rsplit("@", 1)[-1]).lower()
    default = {"http": ":80", "https": ":443"}.get(parts.scheme.lower(), "")
    return host[: -len(default)] if default and host.endswith(default) else host


def origin_of(url: str) -> str:
    """Scheme, host and port of ``url`` (a default port left out): a site, as probed."""
    return f"{urlsplit(url).scheme.lower()}://{host_key(url)}"


def probe_key(origin: str) -> str:
    """The cache key of ``origin``'s answer to a missing path: a URL with a fragment, which no
    fetch key has, so it is never taken for a link's own observation."""
    return f"{origin}/#awesome-lint-probe"


def cached_probes(cache: ObservationCache, keys: Iterable[str], scope: str) -> dict[str, Probe]:
    """The fresh cached probes of the origins of ``keys`` (see :func:`probe_key`)."""
    from awesome_lint.links.softdead import Probe  # (only a check that fetches reads probes)

    found: dict[str, Probe] = {}

    def read(origin: str) -> Callable[[Observation], LinkStatus | None]:
        def judge_probe(observed: Observation) -> LinkStatus | None:
            try:
                found[origin] = Probe.from_json(observed.evidence["probe"])
            except (KeyError, TypeError, ValueError):
                return None
            return LinkStatus(observed.url, Verdict.OK)  # fresh for the cache's max age
        return judge_probe

    for origin in sorted({origin_of(key) for key in keys}):
        if cache.get(probe_key(origin), read(origin), scope=scope) is None:
            found.pop(origin, None)
    return found


def short(text: str, limit: int = 100) -> str:
    """``text`` for a one-line reason: redacted, first line only, at most ``limit`` characters."""
    line = redact_text(str(text).strip().split("\n", 1)[0])
    return line if len(line) <= limit else line[: limit - 3] + "..."



def _precheck(url: str, policy: LinkPolicy) -> LinkStatus | str:
    """A verdict without fetching (excluded, or not a web URL), else the URL's fetch key."""
    if policy.exclude and policy.is_excluded(url):
        return LinkStatus(url, Verdict.EXCLUDED, None, "excluded by configuration")
    plain = plain_url(url)  # (its fetch key is read off directly)
    if plain is not None and plain[1].strip("."):
        scheme, host, path, query = plain
        return f"{scheme}://{host}{path or '/'}{'?' + query if query else ''}"
    try:
        parts = urlsplit(url)
        hostname, _ = parts.hostname, parts.port  # .port raises for "x:99999" and "x:y"
    except ValueError as exc:  # "http://[::1": one bad link must not stop the run
        return LinkStatus(url, Verdict.ERROR, None, f"not a valid URL ({short(str(exc))})")
    if parts.scheme not in ("http", "https") or not hostname:
        return LinkStatus(url, Verdict.SKIPPED, None, "not an http(s) URL")
    if url != url.strip():
        return fetch_key(url)
    netloc = parts.netloc.lower() if "@" not in parts.netloc else parts.netloc
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


@dataclass
class Plan:
    """One check's work: ``statuses`` (by fetch key) fills in as answers come, ``todo`` is
    what remains to fetch. :meth:`results` gives every URL asked about its status."""

    policy: LinkPolicy  # bounded
    scope: str
    early: dict[str, LinkStatus]  # URL -> status without fetching
    by_key: dict[str, list[str]]  # fetch key -> the URLs asked about
    statuses: dict[str, LinkStatus]  # fetch key -> status (cached, answered, checked)
    todo: list[str]  # fetch keys still to answer
    #: fetch key -> the fragments of its URLs to look for on the page
    fragments: dict[str, frozenset[str]] = field(default_factory=dict)
    #: fetch key -> the cache's reading of a page the GitHub API answers again (its anchors,
    #: see :func:`with_anchors`): the page is not fetched again while it is fresh
    pages: dict[str, LinkStatus] = field(default_factory=dict)

    def verdict(self, observed: Observation) -> LinkStatus | None:
        """``observed`` judged under this plan's policy; None when it cannot answer (a cached
        page that was not searched for every fragment wanted now: fetch it again)."""
        status = judge(observed, self.policy)
        wanted = self.fragments.get(observed.url)
        if (wanted and status is not None and status.verdict in _PAGE_READ
                and not wanted <= status.extra.get("fragments", {}).keys()):
            return None
        return status

    @property
    def total(self) -> int:
        return len(self.by_key)

    def results(self) -> dict[str, LinkStatus]:
        """A status for every URL asked about (a key without one: "error", not checked)."""
        results = dict(self.early)
        for key, originals in self.by_key.items():
            status = self.statuses.get(key) or LinkStatus(key, Verdict.ERROR, None,
                                                          "not checked")
            for url in originals:
                results[url] = _fragment_status(url, status)
        return results


#: Verdicts of a page that was read: its fragments were looked for.
_PAGE_READ = frozenset({Verdict.OK, Verdict.REDIRECTED})


def _fragment(url: str) -> str:
    return url.partition("#")[2]


def with_anchors(status: LinkStatus, page: LinkStatus | None) -> LinkStatus:
    """``status`` (the GitHub API's answer about a repository) with what reading its page found
    of the fragments wanted (``page``: the page's own status); unchanged when the page was not
    read (an error, a timeout...): the API settled whether the link works, not its anchors."""
    if page is None or page.verdict not in _PAGE_READ or "fragments" not in page.extra:
        return status
    return replace(status, extra={**status.extra, "fragments": page.extra["fragments"]})


def _fragment_status(url: str, status: LinkStatus) -> LinkStatus:
    """The status of ``url`` itself: its page's, or, when the page has no anchor for its
    fragment, ``missing-fragment`` (the page's verdict kept in ``extra["page"]``)."""
    fragment = _fragment(url)
    found = status.extra.get("fragments", {}).get(fragment) if fragment else None
    if found is not False or status.verdict not in _PAGE_READ:
        return status if url == status.url else replace(status, url=url)
    evidence = f"no element with id or name \u201c{fragment}\u201d on the page"
    return replace(status, url=url, verdict=Verdict.MISSING_FRAGMENT, reason=evidence,
                   extra={**status.extra, "evidence": evidence, "page": status.verdict.value})


def plan_links(urls: Iterable[str], policy: LinkPolicy, *,
               cache: ObservationCache | None = None,
               stats: CheckStats | None = None) -> Plan:
    """Sort ``urls`` into answered without fetching, answered by ``cache``, and to fetch."""
    policy = bounded(policy)
    plan = Plan(policy, cache_scope(policy), {}, {}, {}, [])
    early, by_key = plan.early, plan.by_key
    for url in urls:
        found = _precheck(url, policy)
        if isinstance(found, str):
            by_key.setdefault(found, []).append(url)
            fragment = _fragment(url)
            if fragment and checked_fragment(fragment, urlsplit(found).hostname or ""):
                plan.fragments[found] = plan.fragments.get(found, frozenset()) | {fragment}
        else:
            early[url] = found
    if cache is not None:
        verdict, scope, statuses = plan.verdict, plan.scope, plan.statuses
        get_many = getattr(cache, "get_many", None)
        if get_many is not None:  # one query per few hundred URLs
            statuses.update(get_many(by_key, verdict, scope=scope))
        else:
            for key in by_key:
                hit = cache.get(key, verdict, scope=scope)
                if hit is not None:
                    statuses[key] = hit
        if stats is not None:
            stats.cached += len(statuses)
    plan.todo = [key for key in plan.by_key if key not in plan.statuses]
    return plan
