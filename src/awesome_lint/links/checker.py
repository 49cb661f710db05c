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
from urllib.parse import urljoin, urlsplit, urlunsplit

import aiohttp
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
)

from awesome_lint.links.policy import LinkPolicy
from awesome_lint.links.safety import blocked_cause, make_connector
from awesome_lint.redact import redact_text, redact_url
from awesome_lint.verdicts import LinkStatus, Verdict

#: Status codes that mean "alive but not letting a robot in": never reported as dead.
BLOCKED_STATUSES = frozenset({401, 403, 451, 999})
DEAD_STATUSES = frozenset({404, 410})
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
PERMANENT_REDIRECTS = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: A response body no larger than this is read, so that the connection can be reused.
_DRAIN_LIMIT = 64 * 1024
_DRAIN_SECONDS = 2.0

Progress = Callable[[int, int], None]
#: Answers what it can of some URLs before any page is fetched (GitHub repositories).
GitHubAnswer = Callable[[aiohttp.ClientSession, list[str]], Awaitable[dict[str, LinkStatus]]]


class StatusCache(Protocol):
    """What the engine needs of a cache (see :mod:`awesome_lint.links.cache`)."""

    def get(self, key: str) -> LinkStatus | None: ...

    def put_many(self, items: Iterable[tuple[str, LinkStatus]]) -> None: ...


class _RetryableError(Exception):
    """A transient failure: timeouts, 408/429/5xx, dropped connections."""

    def __init__(self, reason: str, status: int | None = None, wait: float | None = None,
                 chain: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.wait = wait
        self.chain = chain


class _DroppedError(_RetryableError):
    """The connection was closed without a (complete) response."""


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

    async def check(self, url: str) -> LinkStatus:
        started = time.monotonic()
        attempts = 0

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            backoff = self.policy.backoff * 2 ** (state.attempt_number - 1)
            jittered = backoff * (0.5 + random.random())
            if isinstance(exc, _RetryableError) and exc.wait is not None:
                return float(min(max(exc.wait, jittered), self.policy.max_retry_after))
            return float(jittered)

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
                    status = await self.follow(url)
        except _DroppedError as exc:
            status = LinkStatus(url, Verdict.DEAD, exc.status, f"{exc.reason} ({attempts} tries)",
                                chain=exc.chain)
        except _RetryableError as exc:
            verdict = Verdict.BLOCKED if exc.status == 429 else Verdict.ERROR
            reason = f"{exc.reason} after {attempts} tries"
            if exc.status == 429:
                reason = f"rate limited (429) after {attempts} tries: could not verify"
            status = LinkStatus(url, verdict, exc.status, reason, chain=exc.chain)
        return replace(status, elapsed=time.monotonic() - started, attempts=attempts)

    async def follow(self, url: str) -> LinkStatus:
        """One attempt: request ``url`` and follow its redirects ourselves."""
        chain: list[str] = []
        permanent = True
        current = url
        for _ in range(self.policy.max_redirects + 1):
            status, location = await self.request(current, tuple(chain))
            if status in REDIRECTS and location:
                try:
                    target = urljoin(current, location)
                    scheme = urlsplit(target).scheme
                except ValueError:  # e.g. "http://[::1": a hostile Location must not crash a run
                    return LinkStatus(url, Verdict.ERROR, status,
                                      f"redirects to an invalid URL {_short(location)}",
                                      chain=(*chain, current))
                if scheme not in ("http", "https"):
                    return LinkStatus(url, Verdict.ERROR, status,
                                      f"redirects to a non-web URL {redact_text(target)}",
                                      chain=(*chain, current))
                chain.append(current)
                permanent = permanent and status in PERMANENT_REDIRECTS
                if target in chain:
                    return LinkStatus(url, Verdict.ERROR, status, "redirect loop",
                                      chain=(*chain, target))
                current = target
                continue
            return self.judge(url, status, current, tuple(chain), permanent)
        return LinkStatus(url, Verdict.ERROR, None,
                          f"more than {self.policy.max_redirects} redirects", chain=tuple(chain))

    def judge(self, url: str, status: int, final: str, chain: tuple[str, ...],
              permanent: bool) -> LinkStatus:
        host = urlsplit(final).hostname or ""
        if 200 <= status < 300 or self.policy.accepted(host, status):
            if chain:
                return LinkStatus(url, Verdict.REDIRECTED, status,
                                  "moved permanently" if permanent else "redirected",
                                  final_url=final, permanent=permanent, chain=chain)
            return LinkStatus(url, Verdict.OK, status)
        if status in DEAD_STATUSES:
            return LinkStatus(url, Verdict.DEAD, status, f"HTTP {status}", chain=chain)
        if status in BLOCKED_STATUSES:
            return LinkStatus(url, Verdict.BLOCKED, status,
                              f"HTTP {status}: the site refuses robots, could not verify",
                              chain=chain)
        return LinkStatus(url, Verdict.ERROR, status, f"HTTP {status}", chain=chain)

    async def request(self, url: str, chain: tuple[str, ...]) -> tuple[int, str | None]:
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
            exc.chain = chain
            raise
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise _RetryableError("timed out", chain=chain) from exc
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError,
                ConnectionResetError) as exc:
            raise _DroppedError("connection closed without a response", chain=chain) from exc
        except aiohttp.ClientConnectorError as exc:
            raise self._connect_error(url, exc, chain) from exc
        except aiohttp.ClientOSError as exc:
            raise _DroppedError(f"connection failed: {redact_text(str(exc))}", chain=chain) from exc
        except aiohttp.ClientResponseError as exc:  # not HTTP: 100,000 headers, a 1 MB line...
            raise _AnswerError(LinkStatus(url, Verdict.ERROR, None,
                                          f"invalid HTTP response: {_short(exc.message)}",
                                          chain=chain)) from exc
        except ValueError as exc:  # aiohttp.InvalidURL too: "127.1", a bad port, "[::ffff:127.1]"
            raise _AnswerError(LinkStatus(url, Verdict.ERROR, None,
                                          f"not a URL the checker can request: {_short(url)}",
                                          chain=chain)) from exc
        except aiohttp.ClientError as exc:  # anything else aiohttp raises: one URL's problem
            raise _RetryableError(f"request failed: {_short(str(exc))}", chain=chain) from exc
        finally:
            if started:
                self.stats.host_seconds[host] = (self.stats.host_seconds.get(host, 0.0)
                                                 + time.monotonic() - started)
            self.stats.host_peak[host] = gate.peak

    async def _send(self, method: str, url: str) -> tuple[int, str | None]:
        async with self.session.request(method, url, allow_redirects=False) as resp:
            status = resp.status
            if status in RETRY_STATUSES:
                raise _RetryableError(f"HTTP {status}", status, _retry_after(resp.headers))
            if resp.content_length is not None and resp.content_length <= _DRAIN_LIMIT:
                try:  # small: read it, so the connection can be reused...
                    await asyncio.wait_for(resp.read(), _DRAIN_SECONDS)
                except (asyncio.TimeoutError, aiohttp.ClientError):
                    resp.close()  # ...unless it trickles: the status is all we need
            else:
                resp.close()  # large or unknown: abandon it after the headers
            return status, resp.headers.get("Location")

    def _connect_error(self, url: str, exc: aiohttp.ClientConnectorError,
                       chain: tuple[str, ...]) -> Exception:
        def answer(verdict: Verdict, reason: str) -> _AnswerError:
            return _AnswerError(LinkStatus(url, verdict, None, reason, chain=chain))

        blocked = blocked_cause(exc)
        if blocked is not None:
            return answer(Verdict.ERROR, str(blocked))
        cause = exc.os_error
        if isinstance(cause, socket.gaierror) or isinstance(exc, aiohttp.ClientConnectorDNSError):
            return answer(Verdict.DEAD, "unknown host")
        if isinstance(cause, ConnectionRefusedError):
            return answer(Verdict.DEAD, "connection refused")
        if isinstance(exc, aiohttp.ClientSSLError):
            return answer(Verdict.ERROR, f"TLS error: {redact_text(str(exc))}")
        return _RetryableError(f"cannot connect: {redact_text(str(exc))}", chain=chain)


class _AnswerError(Exception):
    """A definitive answer found while connecting (unknown host, refused, private address)."""

    def __init__(self, status: LinkStatus) -> None:
        super().__init__(status.reason)
        self.status = status


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
    cache: StatusCache | None = None,
    progress: Progress | None = None,
    stats: CheckStats | None = None,
    github: GitHubAnswer | None = None,
) -> dict[str, LinkStatus]:
    """Check every URL (each distinct one once); returns a status for every URL given.

    ``github``, when given, answers what it can of the URLs (e.g. repositories through the API)
    before any page is fetched; the rest are fetched.
    """
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
            hit = cache.get(redact_url(key))
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

        async def one(key: str) -> tuple[str, LinkStatus]:
            try:
                return key, await engine.check(key)
            except _AnswerError as final:
                return key, final.status

        fresh: list[tuple[str, LinkStatus]] = []
        # A sliding window of tasks, hosts interleaved: memory stays flat for 10,000 links,
        # and a host with many links does not keep the others waiting.
        queue = iter(_interleave_hosts(todo))
        window = max(4 * policy.concurrency, 64)
        pending: set[asyncio.Task[tuple[str, LinkStatus]]] = set()
        while True:
            while len(pending) < window:
                upcoming = next(queue, None)
                if upcoming is None:
                    break
                pending.add(asyncio.ensure_future(one(upcoming)))
            if not pending:
                break
            finished, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in finished:
                key, status = task.result()
                statuses[key] = status
                fresh.append((key, status))
                done += 1
                if progress:
                    progress(done, total)
    if cache is not None and fresh:
        cache.put_many((redact_url(key), status) for key, status in fresh)
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


def check_links(urls: Iterable[str], policy: LinkPolicy, *, cache: StatusCache | None = None,
                progress: Progress | None = None, stats: CheckStats | None = None,
                github: GitHubAnswer | None = None) -> dict[str, LinkStatus]:
    """Synchronous wrapper of :func:`check_links_async`."""
    return asyncio.run(check_links_async(urls, policy, cache=cache, progress=progress,
                                         stats=stats, github=github))
