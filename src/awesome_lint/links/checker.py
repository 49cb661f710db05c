"""The link-checking engine: each distinct URL fetched once, politely, with retries.

``check_links(urls, policy)`` is the library entry point; the CLI is one client of it (through
:func:`awesome_lint.links.api.check_urls`, which reads the cache first and imports this module,
and with it aiohttp, only when something must be fetched).

The scheduler: each URL is a job; jobs wait in their host's queue (host = host and port, see
:func:`host_key`). A fixed pool of ``policy.concurrency`` workers runs every request, so no
more than that are ever in flight. A host is handed to a worker through a ready queue only
while it has a queued job, fewer than its limit (``policy.host_limit(host).concurrency``) in
flight and its ``interval`` since its last request start has passed: one entry per host at a
time, so hosts take turns and a host's cap is never exceeded. A redirect puts the job into the
queue of the host it points to (a cross-host hop passes that host's gate); a transient failure
puts it back into its host's queue after the backoff (tenacity decides whether and how long),
holding no worker and no slot while it waits. Retries and redirect hops go to the front of the
queue: work already started finishes first.

Pages (issue 14): a final 2xx HTML answer's body is read, capped (256 KB; a few MB when a URL
of the page has a ``#fragment`` to find), and judged by :mod:`awesome_lint.links.softdead`
against its origin's answer to a random missing path: one probe per origin per run, a job of
its own through the origin's gate (at the front of its queue), cached under
:func:`~awesome_lint.links.plan.probe_key`. Pages wait for their origin's probe without holding
a worker. Only the verdict and its evidence are kept (``Observation.evidence``), never a body.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import time
import zlib
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import replace
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple
from urllib.parse import quote, urljoin, urlsplit

import aiohttp
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
)

from awesome_lint.links.anchors import fragment_answers
from awesome_lint.links.observation import (
    BLOCKED_STATUSES,
    DEAD_STATUSES,
    PERMANENT_REDIRECTS,
    Hop,
    Kind,
    Observation,
    now,
)
from awesome_lint.links.plan import (
    LIMITS,
    CheckStats,
    ObservationCache,
    Plan,
    Progress,
    backoff_wait,
    bounded,
    cache_scope,
    cached_probes,
    fetch_key,
    host_key,
    origin_of,
    plan_links,
    probe_key,
    with_anchors,
)
from awesome_lint.links.plan import short as _short
from awesome_lint.links.policy import LinkPolicy
from awesome_lint.links.running import run_collecting
from awesome_lint.links.safety import blocked_cause, make_connector
from awesome_lint.links.softdead import (
    SAMPLE_BYTES,
    Probe,
    classify,
    decode_body,
    is_root,
    might_be_parked,
    read_page,
)
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
    "backoff_wait",
    "bounded",
    "cache_scope",
    "check_links",
    "check_links_async",
    "check_plan",
    "fetch_key",
    "host_key",
    "network_down",
]

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: getaddrinfo's answers that mean "this name does not exist": the link is dead. Every other
#: DNS failure (EAI_AGAIN for SERVFAIL or a timeout, EAI_FAIL...) is retried, then "error".
NO_SUCH_HOST = frozenset(code for code in (getattr(socket, "EAI_NONAME", None),
                                           getattr(socket, "EAI_NODATA", None))
                         if code is not None)
#: How ended checks say "no network" (no DNS, no route): no host answered anything.
UNREACHABLE = frozenset({Kind.NO_SUCH_HOST, Kind.DNS_TEMPORARY, Kind.CONNECT, Kind.REFUSED})
_NO_ANSWER = UNREACHABLE | {Kind.TIMEOUT, Kind.BLOCKED_ADDRESS, Kind.INVALID_URL}
#: When at least this many distinct hosts were tried and every one ended in
#: :data:`UNREACHABLE`, the network is taken to be down: none of those links is judged.
OFFLINE_HOSTS = 3
#: The reason of a link not checked because the network was unavailable.
OFFLINE_REASON = "not checked: the network is unavailable"
#: A response body no larger than this is read, so that the connection can be reused.
_DRAIN_LIMIT = 64 * 1024
_DRAIN_SECONDS = 2.0

#: HTML, the only bodies read (soft-dead pages, fragments).
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: Content encodings a body can be read in (aiohttp asks for these; anything else is not read).
_DECODERS: Mapping[str, Callable[[], Any]] = {
    "": lambda: None,
    "identity": lambda: None,
    "gzip": lambda: zlib.decompressobj(16 + zlib.MAX_WBITS),
    "x-gzip": lambda: zlib.decompressobj(16 + zlib.MAX_WBITS),
    "deflate": lambda: zlib.decompressobj(),
}

#: Answers what it can of some URLs before any page is fetched (GitHub repositories).
GitHubAnswer = Callable[[aiohttp.ClientSession, list[str]], Awaitable[dict[str, LinkStatus]]]


class _Answer(NamedTuple):
    """One request's answer: status and Location; for a 2xx HTML answer whose body was wanted,
    the body's first bytes (``complete``: all of it) and its charset."""

    status: int
    location: str | None
    body: bytes | None = None
    complete: bool = False
    charset: str | None = None


#: A page waiting for its origin's probe: the job, its observation, the answer, its evidence.
_Waiting = tuple["_Job", Observation, _Answer, dict[str, Any]]


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


class _AnswerError(Exception):
    """A definitive answer found while connecting (unknown host, refused, private address)."""

    def __init__(self, observation: Observation) -> None:
        super().__init__(observation.detail)
        self.observation = observation


class _HostGate:
    """One host's queue of jobs and its politeness: at most ``limit`` requests in flight,
    request starts spaced by ``interval`` seconds."""

    __slots__ = ("in_flight", "interval", "key", "limit", "next_start", "peak", "queue",
                 "ready", "timer")

    def __init__(self, key: str, limit: int, interval: float) -> None:
        self.key = key
        self.limit = limit
        self.interval = interval
        self.queue: deque[_Job] = deque()
        self.in_flight = 0
        self.peak = 0
        self.next_start = 0.0
        self.ready = False  # in the engine's ready queue (at most once)
        self.timer: asyncio.TimerHandle | None = None  # waiting for next_start


class _Job:
    """One URL being checked: where it stands in its redirect chain, how many attempts."""

    __slots__ = ("attempts", "hops", "key", "probe", "retry", "seen", "started", "url")

    def __init__(self, key: str, started: float, probe: str | None = None) -> None:
        self.key = key
        self.probe = probe  # the origin this job probes with a missing path, if it is a probe
        self.url = key
        self.hops: list[Hop] = []
        self.seen: list[str] = []
        self.attempts = 1
        self.started = started
        self.retry: RetryCallState | None = None


class _Engine:
    def __init__(self, session: aiohttp.ClientSession, policy: LinkPolicy,
                 stats: CheckStats) -> None:
        self.session = session
        self.policy = policy
        self.stats = stats
        self.gates: dict[str, _HostGate] = {}
        # tenacity decides whether a failure is retried and how long to wait first; the wait
        # itself is ours (the job leaves its host's queue and comes back), so no worker and
        # no host slot is held meanwhile. Nothing of it runs for a URL that needs no retry.
        self.retrying = AsyncRetrying(retry=retry_if_exception_type(_RetryableError),
                                      stop=stop_after_attempt(policy.retries + 1),
                                      wait=self._backoff, reraise=True)
        self.on_done: Callable[[Observation], None] = lambda observed: None
        self.pending = 0
        self.finished: asyncio.Future[None] | None = None
        self.stopping = False  # the check has ended: workers stop
        self.ready: asyncio.Queue[_HostGate] | None = None
        self.waiting: set[asyncio.Task[None]] = set()
        #: Fetch key -> the fragments of its URLs to look for on the page.
        self.fragments: Mapping[str, frozenset[str]] = {}
        #: Fetch keys whose page is read only for its anchors: the GitHub API said it exists.
        self.anchors_only: Collection[str] = ()
        #: Origin -> its answer to a missing path (from the cache or this run).
        self.probes: dict[str, Probe] = {}
        #: Origin -> the pages waiting for its probe (one probe per origin per run).
        self.probing: dict[str, list[_Waiting]] = {}
        #: This run's probes, as observations for the cache (under :func:`probe_key`).
        self.probed: list[Observation] = []

    def gate(self, url: str) -> _HostGate:
        host = host_key(url)
        gate = self.gates.get(host)
        if gate is None:
            limit = self.policy.host_limit(urlsplit(url).hostname or host)
            gate = self.gates[host] = _HostGate(host, limit.concurrency, limit.interval)
        return gate

    # ----------------------------------------------------------------- scheduling

    async def run(self, keys: list[str], on_done: Callable[[Observation], None],
                  deadline: float) -> bool:
        """Check every key; ``on_done`` gets each observation. False if the ``deadline``
        (seconds) ran out first: the unanswered keys never reached ``on_done``."""
        if not keys:
            return True
        loop = asyncio.get_running_loop()
        self.on_done = on_done
        self.ready = asyncio.Queue()
        self.finished = loop.create_future()
        self.pending = len(keys)
        started = time.monotonic()
        for key in keys:
            self.gate(key).queue.append(_Job(key, started))
        for gate in self.gates.values():
            self._offer(gate)
        workers = [asyncio.ensure_future(self._worker())
                   for _ in range(min(self.policy.concurrency, len(keys)))]
        try:
            await asyncio.wait_for(asyncio.shield(self.finished), deadline)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            self.stopping = True
            for gate in self.gates.values():
                if gate.timer is not None:
                    gate.timer.cancel()
            leftover = [*workers, *self.waiting]
            for task in leftover:
                task.cancel()
            await asyncio.gather(*leftover, return_exceptions=True)

    def _offer(self, gate: _HostGate) -> None:
        """Put ``gate`` in the ready queue if it may start a request now (or when its
        interval has passed)."""
        if gate.ready or gate.timer is not None or not gate.queue or gate.in_flight >= gate.limit:
            return
        assert self.ready is not None
        if gate.interval:
            loop = asyncio.get_running_loop()
            delay = gate.next_start - loop.time()
            if delay > 0:
                gate.timer = loop.call_later(delay, self._timer, gate)
                return
        gate.ready = True
        self.ready.put_nowait(gate)

    def _timer(self, gate: _HostGate) -> None:
        gate.timer = None
        self._offer(gate)

    async def _worker(self) -> None:
        assert self.ready is not None and self.finished is not None
        ready, stats = self.ready, self.stats
        # A worker stops when told to, even if its cancellation was lost: before Python 3.12,
        # asyncio.wait_for (which aiohttp and _send use) can swallow a cancellation that comes
        # as the awaited call ends, and the worker would wait for work forever.
        while not self.stopping:
            gate = await ready.get()
            gate.ready = False
            job = gate.queue.popleft()
            gate.in_flight += 1
            if gate.in_flight > gate.peak:
                gate.peak = gate.in_flight
                stats.host_peak[gate.key] = gate.peak
            if gate.interval:
                gate.next_start = asyncio.get_running_loop().time() + gate.interval
            self._offer(gate)  # another request to this host, if its limit allows
            started = time.monotonic()
            outcome: _Answer | Exception
            try:
                outcome = await self.request(job.url, self._body_cap(job))
            except (_RetryableError, _AnswerError) as exc:
                outcome = exc
            except Exception as exc:  # a bug: end the check with it, never wait for it
                self._crash(exc)
                raise
            finally:
                gate.in_flight -= 1
                stats.host_seconds[gate.key] = (stats.host_seconds.get(gate.key, 0.0)
                                                + time.monotonic() - started)
                self._offer(gate)
            try:
                self._advance(job, outcome)
            except Exception as exc:  # a bug, or a progress callback that raised
                self._crash(exc)
                raise

    def _crash(self, exc: Exception) -> None:
        if self.finished is not None and not self.finished.done():
            self.finished.set_exception(exc)

    def _submit(self, job: _Job) -> None:
        """Back into a host's queue, at the front: a redirect hop or a retry."""
        gate = self.gate(job.url)
        gate.queue.appendleft(job)
        self._offer(gate)

    def _finish(self, job: _Job, observed: Observation) -> None:
        if self.finished is not None and self.finished.done():
            return  # the check has ended (an error): nothing more is reported
        if job.probe is not None:
            self._probed(job, observed, None)
            return
        self.on_done(replace(observed, url=job.key, elapsed=time.monotonic() - job.started,
                             attempts=job.attempts, checked=now()))
        self.pending -= 1
        if self.pending == 0 and self.finished is not None and not self.finished.done():
            self.finished.set_result(None)

    def _advance(self, job: _Job, outcome: _Answer | Exception) -> None:
        """What a request's outcome means for its job: done, the next hop, or a retry."""
        if isinstance(outcome, _AnswerError):
            self._finish(job, replace(outcome.observation, hops=tuple(job.hops)))
            return
        if isinstance(outcome, _RetryableError):
            self._failed(job, outcome)
            return
        assert isinstance(outcome, _Answer)
        status, location = outcome.status, outcome.location
        current, hops = job.url, job.hops
        if status not in REDIRECTS or not location:
            self._answered(job, Observation(
                job.key, Kind.HTTP, status, tuple(hops),
                final_url=safe_markdown_url(current) if hops else None,
                final_host=_hostname(current)), outcome)
            return
        hops.append(Hop(current if not hops else _shown(current), status))
        job.seen.append(current)
        try:
            target = urljoin(current, location)
            scheme = urlsplit(target).scheme
        except ValueError:  # e.g. "http://[::1": a hostile Location must not crash a run
            self._finish(job, Observation(
                job.key, Kind.REDIRECT_INVALID, status, tuple(hops),
                detail=f"redirects to an invalid URL {_short(location)}"))
            return
        if scheme not in ("http", "https"):
            self._finish(job, Observation(
                job.key, Kind.REDIRECT_OFF_WEB, status, tuple(hops),
                detail=f"redirects to a non-web URL {_short(target)}"))
        elif target in job.seen:
            self._finish(job, Observation(job.key, Kind.REDIRECT_LOOP, status, tuple(hops),
                                          final_url=safe_markdown_url(target)))
        elif len(hops) > self.policy.max_redirects:
            self._finish(job, Observation(job.key, Kind.TOO_MANY_REDIRECTS, None, tuple(hops)))
        else:
            job.url = target
            self._submit(job)  # through the target host's gate

    # ----------------------------------------------------------------- what a page says

    def _body_cap(self, job: _Job) -> int:
        """How much of a 2xx HTML body ``job`` reads: a page with fragments to find, a few MB;
        none for a deep link redirected to the home page, or when its site is known to answer
        missing paths with an error (no soft 404 there, and parked domains answer every path);
        else :data:`SAMPLE_BYTES`."""
        if job.key in self.fragments:
            return max(self.policy.max_body_bytes, SAMPLE_BYTES)
        if job.hops and is_root(job.url) and not is_root(job.key):
            return 0  # a deep link redirected to the home page: gone, whatever the page says
        if job.probe is None and self.probes:
            probe = self.probes.get(origin_of(job.url))
            if probe is not None and probe.missing_is_404:
                return 0
        return SAMPLE_BYTES

    def _answered(self, job: _Job, observed: Observation, answer: _Answer) -> None:
        """A final answer: a 2xx page's fragments are looked for and the page is judged against
        its origin's probe (fetched first, once per origin, if not known yet)."""
        if job.probe is not None:
            self._probed(job, observed, answer)
            return
        if observed.status is None or not 200 <= observed.status < 300:
            self._finish(job, observed)
            return
        evidence: dict[str, Any] = {}
        fragments = self.fragments.get(job.key)
        if fragments:
            html = None if answer.body is None else decode_body(answer.body, answer.charset)
            evidence["fragments"] = fragment_answers(fragments, html, answer.complete,
                                                     _hostname(job.url) or "")
            if job.key in self.anchors_only:  # not judged: the API's verdict stands
                self._judged(job, observed, evidence, None)
                return
        final = job.url if job.hops else None
        found = classify(job.key, final, None, None)
        if found is not None or answer.body is None:  # decided, or no page to judge
            self._judged(job, observed, evidence, found)
            return
        origin = origin_of(job.url)
        probe = self.probes.get(origin)
        if probe is not None:
            self._compare(job, observed, answer, evidence, probe)
            return
        waiting = self.probing.get(origin)
        if waiting is None:
            waiting = self.probing[origin] = []
            self._submit(_Job(f"{origin}/{secrets.token_hex(8)}", time.monotonic(), origin))
        waiting.append((job, observed, answer, evidence))

    def _probed(self, job: _Job, observed: Observation, answer: _Answer | None) -> None:
        """The origin's answer to a missing path: kept (and cached), and every page that waited
        for it judged."""
        origin = job.probe
        assert origin is not None
        page = None
        if answer is not None and answer.body is not None:
            page = read_page(answer.body, answer.charset, (job.key, job.url))
        http = observed.kind is Kind.HTTP
        probe = self.probes[origin] = Probe(observed.status if http else None,
                                            job.url if job.hops else None, page)
        if http:  # a failure (timeout...) is not worth keeping: the next run asks again
            self.probed.append(replace(observed, url=probe_key(origin), checked=time.time(),
                                       evidence={"probe": probe.to_json()}))
        for waiting in self.probing.pop(origin, []):
            self._compare(*waiting, probe)

    def _compare(self, job: _Job, observed: Observation, answer: _Answer,
                 evidence: dict[str, Any], probe: Probe) -> None:
        """Judge a page against its origin's probe (parsed only when it could matter: the site
        answers missing paths with 2xx, or the page may carry a parking marker)."""
        assert answer.body is not None
        page = None
        if not probe.missing_is_404 or might_be_parked(answer.body, answer.charset):
            page = read_page(answer.body, answer.charset, (job.key, job.url))
        final = job.url if job.hops else None
        self._judged(job, observed, evidence, classify(job.key, final, page, probe))

    def _judged(self, job: _Job, observed: Observation, evidence: dict[str, Any],
                found: tuple[Verdict, str] | None) -> None:
        if found is not None:
            evidence["gone"], evidence["why"] = found[0].value, found[1]
        self._finish(job, replace(observed, evidence=evidence) if evidence else observed)

    def _failed(self, job: _Job, exc: _RetryableError) -> None:
        """A transient failure: tried again after the backoff (through the host's gate), or,
        when tenacity's stop says so, the job ends with it."""
        state = job.retry
        if state is None:
            state = job.retry = RetryCallState(self.retrying, None, (), {})
        else:
            state.prepare_for_next_attempt()
        state.set_exception((type(exc), exc, None))
        if not self.retrying.retry(state) or self.retrying.stop(state):
            self._finish(job, Observation(job.key, exc.kind, exc.status, tuple(job.hops),
                                          detail=exc.reason))
            return
        wait = self.retrying.wait(state)
        job.attempts += 1
        task = asyncio.ensure_future(self._later(wait, job))
        self.waiting.add(task)
        task.add_done_callback(self.waiting.discard)

    async def _later(self, wait: float, job: _Job) -> None:
        if wait > 0:
            await asyncio.sleep(wait)
        self._submit(job)

    def _backoff(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        told = exc.wait if isinstance(exc, _RetryableError) else None
        return backoff_wait(self.policy, state.attempt_number, told)

    # ----------------------------------------------------------------- one request

    async def request(self, url: str, body_cap: int = 0) -> _Answer:
        """Status and Location of one request, and up to ``body_cap`` bytes of a 2xx HTML body;
        raises _RetryableError for transient failures and _AnswerError for a definitive answer
        found while connecting. HEAD first (``head-first``): a 2xx HTML page whose body is
        wanted takes a GET as well."""
        try:
            self.stats.requests += 1
            if self.policy.head_first:
                head = await self._send("HEAD", url, 0)
                if (head.status not in (403, 405, 501) and head.status < 500
                        and not (body_cap and head.body is not None)):
                    return head
                self.stats.requests += 1
            return await self._send("GET", url, body_cap)
        except (_RetryableError, _AnswerError):
            raise
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise _RetryableError(Kind.TIMEOUT, "timed out") from exc
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError,
                ConnectionResetError) as exc:
            raise _DroppedError("connection closed without a response") from exc
        except aiohttp.ClientConnectorError as exc:
            raise self._connect_error(url, exc) from exc
        except aiohttp.ClientOSError as exc:
            raise _DroppedError(f"connection failed: {redact_text(str(exc))}") from exc
        except aiohttp.ClientResponseError as exc:  # not HTTP: 100,000 headers, a 1 MB line...
            raise _AnswerError(Observation(
                url, Kind.INVALID_RESPONSE, None,
                detail=f"invalid HTTP response: {_short(exc.message)}")) from exc
        except ValueError as exc:  # aiohttp.InvalidURL too: "127.1", a bad port, "[::ffff:127.1]"
            raise _AnswerError(Observation(
                url, Kind.INVALID_URL, None,
                detail=f"not a URL the checker can request: {_short(url)}")) from exc
        except aiohttp.ClientError as exc:  # anything else aiohttp raises: one URL's problem
            raise _RetryableError(Kind.REQUEST_FAILED,
                                  f"request failed: {_short(str(exc))}") from exc

    async def _send(self, method: str, url: str, body_cap: int) -> _Answer:
        async with self.session.request(method, url, allow_redirects=False) as resp:
            status = resp.status
            if status in RETRY_STATUSES:
                raise _RetryableError(Kind.TRANSIENT, f"HTTP {status}", status,
                                      _retry_after(resp.headers))
            location = resp.headers.get("Location")
            if 200 <= status < 300 and resp.content_type in _HTML_TYPES:
                if method == "HEAD":  # marks an HTML page (its body is read by a GET)
                    return _Answer(status, location, b"")
                if body_cap:
                    body, complete = await _read_body(resp, body_cap)
                    return _Answer(status, location, body, complete, resp.charset)
            if resp.content_length is not None and resp.content_length <= _DRAIN_LIMIT:
                try:  # small: read it, so the connection can be reused...
                    await asyncio.wait_for(resp.read(), _DRAIN_SECONDS)
                except (asyncio.TimeoutError, aiohttp.ClientError):
                    resp.close()  # ...unless it trickles: the status is all we need
            else:
                resp.close()  # large or unknown: abandon it after the headers
            return _Answer(status, location)

    def _connect_error(self, url: str, exc: aiohttp.ClientConnectorError) -> Exception:
        def answer(kind: Kind, detail: str = "") -> _AnswerError:
            return _AnswerError(Observation(url, kind, None, detail=detail))

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
            return _RetryableError(Kind.DNS_TEMPORARY, _short(why or str(cause or exc), 60))
        if isinstance(cause, ConnectionRefusedError):
            return answer(Kind.REFUSED)
        if isinstance(exc, aiohttp.ClientSSLError):
            return answer(Kind.TLS, f"TLS error: {redact_text(str(exc))}")
        return _RetryableError(Kind.CONNECT, f"cannot connect: {redact_text(str(exc))}")


async def _read_body(resp: aiohttp.ClientResponse, cap: int) -> tuple[bytes | None, bool]:
    """Up to ``cap`` bytes of the body, decoded (gzip, deflate) with the output capped, within
    the request's time limits; True when that is the whole body. None when its encoding is not
    one we read, or does not decode. A body that stalls or breaks off is kept as read so far
    (not complete)."""
    encoding = resp.headers.get("Content-Encoding", "").strip().lower()
    make = _DECODERS.get(encoding)
    if make is None:
        resp.close()
        return None, False
    decoder = make()
    parts: list[bytes] = []
    size = 0
    complete = False
    try:
        while size < cap:
            chunk = await resp.content.readany()
            if not chunk:
                complete = decoder is None or decoder.eof
                break
            if decoder is not None:
                chunk = decoder.decompress(chunk, cap - size)
            parts.append(chunk)
            size += len(chunk)
    except (asyncio.TimeoutError, aiohttp.ClientError):
        complete = False
    except zlib.error:  # not what its Content-Encoding says
        resp.close()
        return None, False
    if not complete:
        resp.close()  # the rest is not read: the connection is not reused
    return b"".join(parts)[:cap], complete


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


async def check_plan_async(
    plan: Plan,
    *,
    cache: ObservationCache | None = None,
    progress: Progress | None = None,
    stats: CheckStats | None = None,
    github: GitHubAnswer | None = None,
    canary: str | None = None,
) -> None:
    """Fetch what ``plan`` still has to do (``plan.todo``); its statuses fill in. What the
    network said goes to ``cache`` as observations.

    Offline is not dead: when the ``canary`` URL (if given) gets no answer at all, or when
    :func:`network_down` says so of what the links got, the links fetched are not judged: each
    is "skipped" (:data:`OFFLINE_REASON`), nothing is cached, and ``stats.offline`` counts them.
    """
    policy = plan.policy
    stats = stats if stats is not None else CheckStats()
    statuses, total = plan.statuses, plan.total
    done = len(statuses)
    if progress:
        progress(done, total)
    if not plan.todo:
        return
    timeout = aiohttp.ClientTimeout(total=policy.timeout, sock_connect=policy.connect_timeout)
    connector = make_connector(allow_private=policy.allow_private, limit=policy.concurrency)
    fresh: list[Observation] = []
    async with aiohttp.ClientSession(
        connector=connector,
        timeout=timeout,
        headers={"User-Agent": policy.user_agent},
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=policy.trust_env,
        auto_decompress=False,
    ) as session:
        todo = plan.todo
        answered: dict[str, LinkStatus] = {}
        read: dict[str, LinkStatus] = {}  # the API's answers whose page is read for anchors
        if github is not None:
            answered = await github(session, todo)
            statuses.update(answered)
            read = _pages_to_read(plan, answered)
            todo = plan.todo = [key for key in todo if key not in answered or key in read]
            done += len(answered) - len(read)
            if progress:
                progress(done, total)
        engine = _Engine(session, policy, stats)
        engine.fragments = plan.fragments
        engine.anchors_only = read
        if cache is not None:
            engine.probes = cached_probes(cache, todo, plan.scope)
        if canary is not None and not await _canary_answers(engine, canary):
            _not_checked(plan, [key for key in todo if key not in read], stats)
            return
        verdict = plan.verdict

        def on_done(observed: Observation) -> None:
            nonlocal done
            status = verdict(observed) or LinkStatus(
                observed.url, Verdict.ERROR, observed.status, "could not be judged")
            api = read.get(observed.url)
            if api is None:
                statuses[observed.url] = status
                fresh.append(observed)
            else:  # the API's answer stands, with the page's anchors if it was read
                statuses[observed.url] = with_anchors(api, status)
                if statuses[observed.url] is not api:  # read: cached; a failed fetch is not
                    fresh.append(observed)  # (the link's history would call it recovered)
            done += 1
            if progress:
                progress(done, total)

        # The whole check has a wall-clock deadline: what is not answered by then is "error",
        # never "dead" (a pull request's links cannot keep a run waiting).
        if not await engine.run(todo, on_done, policy.deadline):
            late = LinkStatus("", Verdict.ERROR, None, "not checked: the link check ran "
                              f"out of time ({policy.deadline:g} s)")
            for key in todo:
                if key not in statuses:
                    statuses[key] = replace(late, url=key)
        if not answered and network_down(fresh):  # offline is not dead: nothing judged
            _not_checked(plan, [observed.url for observed in fresh], stats)
            return
    if cache is not None and (fresh or engine.probed):
        cache.put_many([*fresh, *engine.probed], scope=plan.scope)


def _pages_to_read(plan: Plan, answered: Mapping[str, LinkStatus]) -> dict[str, LinkStatus]:
    """The GitHub API's answers about working repositories whose links have #fragments to find:
    the API knows nothing of a README's anchors, so the page is read for them (once). Those the
    cache has read already get their anchors now (``plan.statuses``) and are not fetched."""
    read: dict[str, LinkStatus] = {}
    for key, status in answered.items():
        if key not in plan.fragments or status.verdict is not Verdict.OK:
            continue  # (a moved repository: AL912's fix first, its anchors on the next run)
        page = plan.pages.get(key)
        if page is None:
            read[key] = status
        else:
            plan.statuses[key] = with_anchors(status, page)
    return read


def check_plan(plan: Plan, *, cache: ObservationCache | None = None,
               progress: Progress | None = None, stats: CheckStats | None = None,
               github: GitHubAnswer | None = None, canary: str | None = None) -> None:
    """Synchronous wrapper of :func:`check_plan_async`."""
    run_collecting(check_plan_async(plan, cache=cache, progress=progress, stats=stats,
                                    github=github, canary=canary))


def network_down(observed: Iterable[Observation]) -> bool:
    """Whether these observations (one run's, fresh) say the network is down rather than the
    links dead: at least :data:`OFFLINE_HOSTS` distinct hosts tried, and every one failed at
    DNS or connect (:data:`UNREACHABLE`), none answering anything. A link the address guard
    refused or no client can request says nothing about the network and is not counted."""
    hosts: set[str] = set()
    for obs in observed:
        if obs.kind in (Kind.BLOCKED_ADDRESS, Kind.INVALID_URL):
            continue
        if obs.kind not in UNREACHABLE or obs.hops:
            return False  # some host answered
        hosts.add(host_key(obs.url))
    return len(hosts) >= OFFLINE_HOSTS


async def _canary_answers(engine: _Engine, canary: str) -> bool:
    """Whether ``canary`` answers anything at all (any HTTP status), in one attempt."""
    try:
        await engine.request(canary)
    except (_RetryableError, _AnswerError) as exc:
        kind = exc.kind if isinstance(exc, _RetryableError) else exc.observation.kind
        return kind not in _NO_ANSWER
    return True


def _not_checked(plan: Plan, keys: Iterable[str], stats: CheckStats) -> None:
    """The network is down: ``keys`` are not checked ("skipped", never "dead")."""
    skipped = LinkStatus("", Verdict.SKIPPED, None, OFFLINE_REASON, extra={"offline": True})
    count = 0
    for key in keys:
        plan.statuses[key] = replace(skipped, url=key, extra={"offline": True})
        count += 1
    stats.offline += count


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
    stats = stats if stats is not None else CheckStats()
    plan = plan_links(urls, policy, cache=cache, stats=stats)
    await check_plan_async(plan, cache=cache, progress=progress, stats=stats, github=github)
    return plan.results()


def check_links(urls: Iterable[str], policy: LinkPolicy, *,
                cache: ObservationCache | None = None,
                progress: Progress | None = None, stats: CheckStats | None = None,
                github: GitHubAnswer | None = None) -> dict[str, LinkStatus]:
    """Synchronous wrapper of :func:`check_links_async`."""
    return run_collecting(check_links_async(urls, policy, cache=cache, progress=progress,
                                            stats=stats, github=github))
