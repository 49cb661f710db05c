"""The link-checking engine: each distinct URL fetched once, politely, with retries.

``check_links(urls, policy)`` is the library entry point; the CLI is one client of it.
"""

from __future__ import annotations

import asyncio
import random
import socket
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import aiohttp
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
)

from awesome_lint.links.observation import (
    BLOCKED_STATUSES,
    DEAD_STATUSES,
    PERMANENT_REDIRECTS,
    Hop,
    Kind,
    Observation,
    judge,
)
from awesome_lint.links.policy import HostLimit, LinkPolicy
from awesome_lint.links.safety import blocked_cause, make_connector
from awesome_lint.redact import redact_text
from awesome_lint.urls import safe_markdown_url
from awesome_lint.verdicts import LinkStatus, Verdict

__all__ = [
    "BLOCKED_STATUSES",
    "DEAD_STATUSES",
    "LIMITS",
    "PERMANENT_REDIRECTS",
    "CheckStats",
    "GitHubAnswer",
    "ObservationCache",
    "bounded",
    "cache_scope",
    "check_links",
    "check_links_async",
    "fetch_key",
    "host_key",
]

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: getaddrinfo's answers that mean "this name does not exist": the link is dead. Every other
#: DNS failure (EAI_AGAIN for SERVFAIL or a timeout, EAI_FAIL...) is retried, then "error".
NO_SUCH_HOST = frozenset(code for code in (getattr(socket, "EAI_NONAME", None),
                                           getattr(socket, "EAI_NODATA", None))
                         if code is not None)
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
#: A response body no larger than this is read, so that the connection can be reused.
_DRAIN_LIMIT = 64 * 1024
_DRAIN_SECONDS = 2.0

Progress = Callable[[int, int], None]
#: Answers what it can of some URLs before any page is fetched (GitHub repositories).
GitHubAnswer = Callable[[aiohttp.ClientSession, list[str]], Awaitable[dict[str, LinkStatus]]]


class ObservationCache(Protocol):
    """What the engine needs of a cache (see :mod:`awesome_lint.links.cache`): observations
    in, verdicts out, judged by the caller's ``judge`` under the current policy."""

    def get(self, url: str, judge: Callable[[Observation], LinkStatus | None], *,
            scope: str = "") -> LinkStatus | None: ...

    def put_many(self, observations: Iterable[Observation], *, scope: str = "") -> None: ...


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


class _RetryableError(Exception):
    """A transient failure: timeouts, 408/429/5xx, dropped connections, DNS failures."""

    def __init__(self, kind: Kind, reason: str, status: int | None = None,
                 wait: float | None = None, hops: tuple[Hop, ...] = ()) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.status = status
        self.wait = wait
        self.hops = hops


class _DroppedError(_RetryableError):
    """The connection was closed without a (complete) response."""

    def __init__(self, reason: str, hops: tuple[Hop, ...] = ()) -> None:
        super().__init__(Kind.DROPPED, reason, hops=hops)


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


@dataclass
class _HostGate:
    """At most ``limit`` requests in flight to one host, starts spaced by ``interval``."""

    limit: int
    interval: float
    semaphore: asyncio.Semaphore = field(init=False)
    next_start: float = 0.0
    in_flight: int = 0
    peak: int = 0

    def __post_init__(self) -> None:
        self.semaphore = asyncio.Semaphore(self.limit)

    async def __aenter__(self) -> None:
        await self.semaphore.acquire()
        if self.interval:
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + self.interval
            if start > now:
                await asyncio.sleep(start - now)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)

    async def __aexit__(self, *exc: object) -> None:
        self.in_flight -= 1
        self.semaphore.release()


@dataclass
class CheckStats:
    """What a run did: requests made, time spent per host, peak concurrency per host."""

    requests: int = 0
    cached: int = 0
    host_seconds: dict[str, float] = field(default_factory=dict)
    host_peak: dict[str, int] = field(default_factory=dict)

    def slowest_hosts(self, count: int = 5) -> list[tuple[str, float]]:
        return sorted(self.host_seconds.items(), key=lambda item: -item[1])[:count]


class _Engine:
    def __init__(self, session: aiohttp.ClientSession, policy: LinkPolicy,
                 stats: CheckStats) -> None:
        self.session = session
        self.policy = policy
        self.stats = stats
        self.global_gate = asyncio.Semaphore(policy.concurrency)
        self.gates: dict[str, _HostGate] = {}

    def gate(self, url: str) -> _HostGate:
        host = host_key(url)
        gate = self.gates.get(host)
        if gate is None:
            limit = self.policy.host_limit(urlsplit(url).hostname or host)
            gate = self.gates[host] = _HostGate(limit.concurrency, limit.interval)
        return gate

    async def check(self, url: str) -> Observation:
        started = time.monotonic()
        attempts = 0

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            told = exc.wait if isinstance(exc, _RetryableError) else None
            return backoff_wait(self.policy, state.attempt_number, told)

        retrying = AsyncRetrying(
            retry=retry_if_exception_type(_RetryableError),
            stop=stop_after_attempt(self.policy.retries + 1),
            wait=wait,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    attempts += 1
                    observed = await self.follow(url)
        except _RetryableError as exc:
            observed = Observation(url, exc.kind, exc.status, exc.hops, detail=exc.reason)
        except _AnswerError as final:
            observed = final.observation
        return replace(observed, url=url, elapsed=time.monotonic() - started,
                       attempts=attempts, checked=time.time())

    async def follow(self, url: str) -> Observation:
        """One attempt: request ``url`` and follow its redirects ourselves."""
        hops: list[Hop] = []
        seen: list[str] = []
        current = url
        for _ in range(self.policy.max_redirects + 1):
            status, location = await self.request(current, tuple(hops))
            if status in REDIRECTS and location:
                hops.append(Hop(current if not hops else _shown(current), status))
                seen.append(current)
                try:
                    target = urljoin(current, location)
                    scheme = urlsplit(target).scheme
                except ValueError:  # e.g. "http://[::1": a hostile Location must not crash a run
                    return Observation(url, Kind.REDIRECT_INVALID, status, tuple(hops),
                                       detail=f"redirects to an invalid URL {_short(location)}")
                if scheme not in ("http", "https"):
                    return Observation(url, Kind.REDIRECT_OFF_WEB, status, tuple(hops),
                                       detail=f"redirects to a non-web URL {_short(target)}")
                if target in seen:
                    return Observation(url, Kind.REDIRECT_LOOP, status, tuple(hops),
                                       final_url=safe_markdown_url(target))
                current = target
                continue
            return Observation(url, Kind.HTTP, status, tuple(hops),
                               final_url=safe_markdown_url(current) if hops else None,
                               final_host=_hostname(current))
        return Observation(url, Kind.TOO_MANY_REDIRECTS, None, tuple(hops))

    async def request(self, url: str, hops: tuple[Hop, ...]) -> tuple[int, str | None]:
        """Status and Location of one request; raises _RetryableError for transient failures."""
        gate = self.gate(url)
        host = host_key(url)
        started = 0.0
        try:
            # The host's gate first: a request waiting for its host must not hold a global slot.
            async with gate, self.global_gate:
                started = time.monotonic()
                self.stats.requests += 1
                if self.policy.head_first:
                    status, location = await self._send("HEAD", url)
                    if status not in (403, 405, 501) and status < 500:
                        return status, location
                    self.stats.requests += 1
                return await self._send("GET", url)
        except _RetryableError as exc:
            exc.hops = hops
            raise
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise _RetryableError(Kind.TIMEOUT, "timed out", hops=hops) from exc
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError,
                ConnectionResetError) as exc:
            raise _DroppedError("connection closed without a response", hops) from exc
        except aiohttp.ClientConnectorError as exc:
            raise self._connect_error(url, exc, hops) from exc
        except aiohttp.ClientOSError as exc:
            raise _DroppedError(f"connection failed: {redact_text(str(exc))}", hops) from exc
        except aiohttp.ClientResponseError as exc:  # not HTTP: 100,000 headers, a 1 MB line...
            raise _AnswerError(Observation(
                url, Kind.INVALID_RESPONSE, None, hops,
                detail=f"invalid HTTP response: {_short(exc.message)}")) from exc
        except ValueError as exc:  # aiohttp.InvalidURL too: "127.1", a bad port, "[::ffff:127.1]"
            raise _AnswerError(Observation(
                url, Kind.INVALID_URL, None, hops,
                detail=f"not a URL the checker can request: {_short(url)}")) from exc
        except aiohttp.ClientError as exc:  # anything else aiohttp raises: one URL's problem
            raise _RetryableError(Kind.REQUEST_FAILED, f"request failed: {_short(str(exc))}",
                                  hops=hops) from exc
        finally:
            if started:
                self.stats.host_seconds[host] = (self.stats.host_seconds.get(host, 0.0)
                                                 + time.monotonic() - started)
            self.stats.host_peak[host] = gate.peak

    async def _send(self, method: str, url: str) -> tuple[int, str | None]:
        async with self.session.request(method, url, allow_redirects=False) as resp:
            status = resp.status
            if status in RETRY_STATUSES:
                raise _RetryableError(Kind.TRANSIENT, f"HTTP {status}", status,
                                      _retry_after(resp.headers))
            if resp.content_length is not None and resp.content_length <= _DRAIN_LIMIT:
                try:  # small: read it, so the connection can be reused...
                    await asyncio.wait_for(resp.read(), _DRAIN_SECONDS)
                except (asyncio.TimeoutError, aiohttp.ClientError):
                    resp.close()  # ...unless it trickles: the status is all we need
            else:
                resp.close()  # large or unknown: abandon it after the headers
            return status, resp.headers.get("Location")

    def _connect_error(self, url: str, exc: aiohttp.ClientConnectorError,
                       hops: tuple[Hop, ...]) -> Exception:
        def answer(kind: Kind, detail: str = "") -> _AnswerError:
            return _AnswerError(Observation(url, kind, None, hops, detail=detail))

        blocked = blocked_cause(exc)
        if blocked is not None:
            return answer(Kind.BLOCKED_ADDRESS, str(blocked))
        cause = exc.os_error
        if isinstance(cause, socket.gaierror) or isinstance(exc, aiohttp.ClientConnectorDNSError):
            code = cause.errno if isinstance(cause, OSError) else None
            if code in NO_SUCH_HOST:
                return answer(Kind.NO_SUCH_HOST)
            # SERVFAIL, a DNS timeout (EAI_AGAIN), a failing resolver: the name may well
            # exist. Retried; if it persists, "error", never "dead".
            why = cause.strerror if isinstance(cause, OSError) and cause.strerror else None
            return _RetryableError(Kind.DNS_TEMPORARY, _short(why or str(cause or exc), 60),
                                   hops=hops)
        if isinstance(cause, ConnectionRefusedError):
            return answer(Kind.REFUSED)
        if isinstance(exc, aiohttp.ClientSSLError):
            return answer(Kind.TLS, f"TLS error: {redact_text(str(exc))}")
        return _RetryableError(Kind.CONNECT, f"cannot connect: {redact_text(str(exc))}",
                               hops=hops)


class _AnswerError(Exception):
    """A definitive answer found while connecting (unknown host, refused, private address)."""

    def __init__(self, observation: Observation) -> None:
        super().__init__(observation.detail)
        self.observation = observation


def _shown(url: str) -> str:
    """A URL from the network as it may be kept and shown: its safe Markdown form, else every
    character that could end a link or inject HTML percent-encoded."""
    return safe_markdown_url(url) or quote(url, safe=_SHOWN_SAFE)


_SHOWN_SAFE = "-._~!$&*+,;=:@/?#%"


def _hostname(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _short(text: str, limit: int = 100) -> str:
    """``text`` for a one-line reason: redacted, first line only, at most ``limit`` characters."""
    line = redact_text(str(text).strip().split("\n", 1)[0])
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _precheck(url: str, policy: LinkPolicy) -> LinkStatus | None:
    """A verdict without fetching: excluded, or not a web URL."""
    if policy.is_excluded(url):
        return LinkStatus(url, Verdict.EXCLUDED, None, "excluded by configuration")
    try:
        parts = urlsplit(url)
        hostname, _ = parts.hostname, parts.port  # .port raises for "x:99999" and "x:y"
    except ValueError as exc:  # "http://[::1": one bad link must not stop the run
        return LinkStatus(url, Verdict.ERROR, None, f"not a valid URL ({_short(str(exc))})")
    if parts.scheme not in ("http", "https") or not hostname:
        return LinkStatus(url, Verdict.SKIPPED, None, "not an http(s) URL")
    return None


async def check_links_async(
    urls: Iterable[str],
    policy: LinkPolicy,
    *,
    cache: ObservationCache | None = None,
    progress: Progress | None = None,
    stats: CheckStats | None = None,
    github: GitHubAnswer | None = None,
) -> dict[str, LinkStatus]:
    """Check every URL (each distinct one once); returns a status for every URL given.

    ``github``, when given, answers what it can of the URLs (e.g. repositories through the API)
    before any page is fetched; the rest are fetched. The ``cache`` gets what the network said
    (observations); what it gives back is judged under ``policy``, never taken as a verdict.
    Numeric settings are kept within :data:`LIMITS` whatever ``policy`` says.
    """
    policy = bounded(policy)
    scope = cache_scope(policy)

    def verdict(observed: Observation) -> LinkStatus | None:
        return judge(observed, policy)

    stats = stats if stats is not None else CheckStats()
    by_key: dict[str, list[str]] = {}
    results: dict[str, LinkStatus] = {}
    for url in urls:
        early = _precheck(url, policy)
        if early is not None:
            results[url] = early
        else:
            by_key.setdefault(fetch_key(url), []).append(url)
    statuses: dict[str, LinkStatus] = {}
    if cache is not None:
        for key in by_key:
            hit = cache.get(key, verdict, scope=scope)
            if hit is not None:
                statuses[key] = hit
                stats.cached += 1
    todo = [key for key in by_key if key not in statuses]
    done = len(statuses)
    total = len(by_key)
    if progress:
        progress(done, total)
    timeout = aiohttp.ClientTimeout(total=policy.timeout, sock_connect=policy.connect_timeout)
    connector = make_connector(allow_private=policy.allow_private, limit=policy.concurrency)
    async with aiohttp.ClientSession(
        connector=connector,
        timeout=timeout,
        headers={"User-Agent": policy.user_agent},
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=policy.trust_env,
        auto_decompress=False,
    ) as session:
        if github is not None and todo:
            answered = await github(session, todo)
            statuses.update(answered)
            todo = [key for key in todo if key not in answered]
            done += len(answered)
            if progress:
                progress(done, total)
        engine = _Engine(session, policy, stats)

        async def one(key: str) -> Observation:
            return await engine.check(key)

        fresh: list[Observation] = []
        # A sliding window of tasks, hosts interleaved: memory stays flat for 10,000 links,
        # and a host with many links does not keep the others waiting.
        queue = iter(_interleave_hosts(todo))
        window = max(4 * policy.concurrency, 64)
        pending: set[asyncio.Task[Observation]] = set()
        # The whole check has a wall-clock deadline: what is not answered by then is "error",
        # never "dead" (a pull request's links cannot keep a run waiting).
        loop = asyncio.get_running_loop()
        deadline = loop.time() + policy.deadline
        while True:
            while len(pending) < window:
                upcoming = next(queue, None)
                if upcoming is None:
                    break
                pending.add(asyncio.ensure_future(one(upcoming)))
            if not pending:
                break
            finished, pending = await asyncio.wait(pending, timeout=deadline - loop.time(),
                                                   return_when=asyncio.FIRST_COMPLETED)
            if not finished:  # out of time
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                late = LinkStatus("", Verdict.ERROR, None, "not checked: the link check ran "
                                  f"out of time ({policy.deadline:g} s)")
                for key in by_key:
                    statuses.setdefault(key, replace(late, url=key))
                break
            for task in finished:
                observed = task.result()
                statuses[observed.url] = verdict(observed) or LinkStatus(
                    observed.url, Verdict.ERROR, observed.status, "could not be judged")
                fresh.append(observed)
                done += 1
                if progress:
                    progress(done, total)
    if cache is not None and fresh:
        cache.put_many(fresh, scope=scope)
    for key, originals in by_key.items():
        for url in originals:
            results[url] = replace(statuses[key], url=url)
    return results


def _interleave_hosts(keys: list[str]) -> list[str]:
    """``keys`` reordered round-robin by host, each host's own order kept."""
    by_host: dict[str, list[str]] = {}
    for key in keys:
        by_host.setdefault(host_key(key), []).append(key)
    queues = list(by_host.values())
    order: list[str] = []
    for index in range(max((len(q) for q in queues), default=0)):
        order.extend(q[index] for q in queues if index < len(q))
    return order


def check_links(urls: Iterable[str], policy: LinkPolicy, *,
                cache: ObservationCache | None = None,
                progress: Progress | None = None, stats: CheckStats | None = None,
                github: GitHubAnswer | None = None) -> dict[str, LinkStatus]:
    """Synchronous wrapper of :func:`check_links_async`."""
    return asyncio.run(check_links_async(urls, policy, cache=cache, progress=progress,
                                         stats=stats, github=github))
