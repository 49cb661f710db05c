"""The link checker against a local misbehaving server: every verdict, every fault."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable, Iterable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from awesome_lint.links import checker, safety
from awesome_lint.links.checker import CheckStats, check_links, fetch_key
from awesome_lint.links.observation import Kind, Observation
from awesome_lint.links.plan import plan_links
from awesome_lint.links.policy import HostLimit, LinkPolicy
from awesome_lint.verdicts import LinkStatus, Verdict
from linkserver import serve

# Loopback servers need allow_private; short waits keep the suite fast.
POLICY = LinkPolicy(allow_private=True, backoff=0.01, max_retry_after=1.5, timeout=5.0,
                    retries=2)


def check(*urls: str, policy: LinkPolicy = POLICY, **kwargs: object) -> dict[str, LinkStatus]:
    return check_links(list(urls), policy, **kwargs)


@pytest.fixture(scope="module")
def server():  # type: ignore[no-untyped-def]
    with serve() as state:
        yield state


def test_each_verdict(server) -> None:  # type: ignore[no-untyped-def]
    u = server.url
    got = check(u("/ok"), u("/status/404"), u("/status/410"), u("/status/403"),
                u("/status/401"), u("/status/999"), u("/redirect/2"),
                u("/redirect/1?code=302"), u("/redirect-dead"), "mailto:a@b.example",
                "ftp://files.example/x")
    verdicts = {url: status.verdict for url, status in got.items()}
    assert verdicts == {
        u("/ok"): Verdict.OK,
        u("/status/404"): Verdict.DEAD,
        u("/status/410"): Verdict.DEAD,
        u("/status/403"): Verdict.BLOCKED,
        u("/status/401"): Verdict.BLOCKED,
        u("/status/999"): Verdict.BLOCKED,
        u("/redirect/2"): Verdict.REDIRECTED,
        u("/redirect/1?code=302"): Verdict.REDIRECTED,
        u("/redirect-dead"): Verdict.DEAD,
        "mailto:a@b.example": Verdict.SKIPPED,
        "ftp://files.example/x": Verdict.SKIPPED,
    }
    permanent = got[u("/redirect/2")]
    assert permanent.permanent and permanent.final_url == u("/ok")
    assert permanent.chain == (u("/redirect/2"), u("/redirect/1?code=301"))
    temporary = got[u("/redirect/1?code=302")]
    assert not temporary.permanent and temporary.final_url == u("/ok")


def test_rate_limit_waits_as_told_then_succeeds(server) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    status = check(server.url("/rate-limited"))[server.url("/rate-limited")]
    assert status.verdict is Verdict.OK and status.attempts == 2
    assert time.monotonic() - started >= 1.0  # Retry-After: 1 was honoured
    assert server.hits["/rate-limited"] == 2


def test_persistent_429_is_never_dead(server) -> None:  # type: ignore[no-untyped-def]
    status = check(server.url("/always-429"))[server.url("/always-429")]
    assert status.verdict is Verdict.BLOCKED
    assert status.attempts == POLICY.retries + 1


def test_500_then_200_is_ok_and_persistent_5xx_is_an_error(server) -> None:  # type: ignore[no-untyped-def]
    got = check(server.url("/flaky"), server.url("/always-500"))
    assert got[server.url("/flaky")].verdict is Verdict.OK
    assert got[server.url("/always-500")].verdict is Verdict.ERROR
    assert "after 3 tries" in got[server.url("/always-500")].reason


def test_dropped_connections(server) -> None:  # type: ignore[no-untyped-def]
    got = check(server.url("/drop-once"), server.url("/drop-always"))
    assert got[server.url("/drop-once")].verdict is Verdict.OK
    dead = got[server.url("/drop-always")]
    assert dead.verdict is Verdict.DEAD and "closed without a response" in dead.reason


def test_slow_page_times_out_as_error_not_dead(server) -> None:  # type: ignore[no-untyped-def]
    policy = dataclasses.replace(POLICY, timeout=0.3, retries=1)
    status = check(server.url("/slow?s=2"), policy=policy)[server.url("/slow?s=2")]
    assert status.verdict is Verdict.ERROR and "timed out" in status.reason


def test_endless_body_is_abandoned_after_the_headers(server) -> None:  # type: ignore[no-untyped-def]
    status = check(server.url("/endless"))[server.url("/endless")]
    assert status.verdict is Verdict.OK
    # The server offers 640 MiB; reading it all takes a second or two on loopback, well
    # within the timeout, so only the count shows whether the body was left unread.
    assert server.sent["/endless"] < 64 << 20, server.sent["/endless"]


def test_a_trickling_body_does_not_hide_the_status(server) -> None:  # type: ignore[no-untyped-def]
    # 1,000 bytes, one every half second: waiting for the body would run into the 5 s timeout
    # on every try (an error after 3 tries); the status is known from the headers.
    url = server.url("/slow-body?n=1000")
    status = check(url)[url]
    assert status.verdict is Verdict.OK and status.attempts == 1
    assert server.hits["/slow-body"] == 1


def test_redirect_loop_and_too_many_hops(server) -> None:  # type: ignore[no-untyped-def]
    got = check(server.url("/loop"), server.url("/redirect/9"))
    assert got[server.url("/loop")].verdict is Verdict.ERROR
    assert "loop" in got[server.url("/loop")].reason
    assert got[server.url("/redirect/9")].verdict is Verdict.ERROR
    assert "more than 5 redirects" in got[server.url("/redirect/9")].reason


def test_head_405_falls_back_to_get(server) -> None:  # type: ignore[no-untyped-def]
    policy = dataclasses.replace(POLICY, head_first=True)
    status = check(server.url("/head-405"), policy=policy)[server.url("/head-405")]
    assert status.verdict is Verdict.OK
    assert server.methods[("HEAD", "/head-405")] == 1
    assert server.methods[("GET", "/head-405")] == 1


def test_duplicates_are_fetched_once(server) -> None:  # type: ignore[no-untyped-def]
    url = server.url("/p/dup")
    got = check(url, url, url + "#section", url + "#other")
    assert {status.verdict for status in got.values()} == {Verdict.OK}
    assert len(got) == 3
    assert server.hits["/p/dup"] == 1


def test_per_host_cap_is_never_exceeded() -> None:
    with serve(delay=0.05) as slow_host:
        policy = dataclasses.replace(POLICY, per_host=3, concurrency=64)
        got = check(*(slow_host.url(f"/p/{n}") for n in range(40)), policy=policy)
        assert all(s.verdict is Verdict.OK for s in got.values())
        assert slow_host.peak == 3


def test_default_host_limits() -> None:
    # 10 per host (lychee's default, the loopback bench's limit); github.com keeps its lower
    # cap and spacing, whatever the case of its name.
    policy = LinkPolicy()
    assert policy.host_limit("example.com") == HostLimit(10)
    assert policy.host_limit("GitHub.com") == HostLimit(4, 0.05)


def test_host_interval_spaces_request_starts() -> None:
    with serve() as spaced:
        host = spaced.base.split("//")[1].split(":")[0]
        policy = dataclasses.replace(POLICY, hosts={host: HostLimit(2, 0.05)})
        started = time.monotonic()
        check(*(spaced.url(f"/p/{n}") for n in range(10)), policy=policy)
        assert time.monotonic() - started >= 0.45


def test_global_cap_spans_hosts() -> None:
    with serve(delay=0.05) as a, serve(delay=0.05) as b:
        policy = dataclasses.replace(POLICY, per_host=10, concurrency=4)
        urls = [s.url(f"/p/{n}") for s in (a, b) for n in range(20)]
        check(*urls, policy=policy)
        assert a.peak + b.peak <= 8 and max(a.peak, b.peak) <= 4


def test_excluded_urls_are_not_fetched(server) -> None:  # type: ignore[no-untyped-def]
    policy = dataclasses.replace(POLICY, exclude=(r"/p/secret",))
    got = check(server.url("/p/secret"), policy=policy)
    assert got[server.url("/p/secret")].verdict is Verdict.EXCLUDED
    assert server.hits["/p/secret"] == 0


def test_accepted_status_per_host(server) -> None:  # type: ignore[no-untyped-def]
    policy = dataclasses.replace(POLICY, accept={"127.0.0.1": (403,)})
    assert check(server.url("/status/403"), policy=policy)[
        server.url("/status/403")].verdict is Verdict.OK


class _Memory:
    """An in-memory cache with the checker's interface: observations in, judged verdicts out."""

    def __init__(self) -> None:
        self.data: dict[tuple[str, str], Observation] = {}

    def get(self, url: str, judge: Callable[[Observation], LinkStatus | None], *,
            scope: str = "") -> LinkStatus | None:
        observed = self.data.get((scope, url))
        return None if observed is None else judge(observed)

    def put_many(self, observations: Iterable[Observation], *, scope: str = "") -> None:
        self.data.update(((scope, o.url), o) for o in observations)


def test_cache_hit_skips_the_network(server) -> None:  # type: ignore[no-untyped-def]
    cache = _Memory()
    url = server.url("/p/cached")
    stats = CheckStats()
    assert check(url, cache=cache, stats=stats)[url].verdict is Verdict.OK
    assert server.hits["/p/cached"] == 1 and stats.requests == 1
    stats = CheckStats()
    assert check(url, cache=cache, stats=stats)[url].verdict is Verdict.OK
    assert server.hits["/p/cached"] == 1 and stats.requests == 0 and stats.cached == 1
    assert ("private", fetch_key(url)) in cache.data  # --allow-private runs: their own scope


def test_the_cache_gets_observations_never_verdicts(server) -> None:  # type: ignore[no-untyped-def]
    # Issue 10, item 4: accept = {"*" = [404]} in one repository must not make a 404 "ok" for
    # another one sharing the cache: the cache keeps what the server said, each run judges it.
    cache = _Memory()
    url = server.url("/status/404")
    lenient = dataclasses.replace(POLICY, accept={"*": (404,)})
    assert check(url, policy=lenient, cache=cache)[url].verdict is Verdict.OK
    observed = cache.data[("private", url)]
    assert (observed.kind, observed.status) == (Kind.HTTP, 404)
    stats = CheckStats()
    status = check(url, cache=cache, stats=stats)[url]
    assert status.verdict is Verdict.DEAD and stats.cached == 1 and stats.requests == 0


def test_no_cookies_and_our_user_agent(server) -> None:  # type: ignore[no-untyped-def]
    check(server.url("/p/ua"))
    headers = server.headers[-1]
    assert headers["User-Agent"].startswith("Mozilla/5.0 (compatible; awesome-lint")
    assert "Cookie" not in headers and "Authorization" not in headers


def test_private_addresses_are_refused_at_connect_time(
    server, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    policy = dataclasses.replace(POLICY, allow_private=False)
    got = check(server.url("/ok"), policy=policy)[server.url("/ok")]
    assert got.verdict is Verdict.ERROR and "refused to connect to 127.0.0.1" in got.reason
    assert got.verdict is not Verdict.DEAD


def test_redirect_to_a_private_address_is_refused(
    server, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    # Pretend 127.0.0.1 is public, so only the redirect's target (127.0.0.2) is private.
    real = safety.non_public_reason
    monkeypatch.setattr(safety, "non_public_reason",
                        lambda address: None if str(address) == "127.0.0.1" else real(address))
    port = server.base.rsplit(":", 1)[1]
    server.redirect_target = f"http://127.0.0.2:{port}/ok"
    policy = dataclasses.replace(POLICY, allow_private=False)
    status = check(server.url("/elsewhere"), policy=policy)[server.url("/elsewhere")]
    assert status.verdict is Verdict.ERROR
    assert "refused to connect to 127.0.0.2" in status.reason


def test_unknown_host_and_refused_connection_are_dead(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    real = socket.getaddrinfo

    def fake(host: object, *args: object, **kwargs: object) -> object:
        if host == "no-such-host.invalid":  # answered here: tests never query real DNS
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    # A port that is bound but not listening refuses connections, and stays ours meanwhile.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/ok"
        got = check(url, "http://no-such-host.invalid/x")
    assert got[url].verdict is Verdict.DEAD and got[url].reason == "connection refused"
    assert got["http://no-such-host.invalid/x"].verdict is Verdict.DEAD


def test_the_deadline_ends_the_check_with_error_never_dead(server) -> None:  # type: ignore[no-untyped-def]
    """Links still unanswered at the deadline are "error" (not checked), the others keep their
    verdicts; the slow server is not waited for."""
    slow, fast = server.url("/slow?s=4"), server.url("/ok")
    statuses = check(slow, fast, policy=dataclasses.replace(POLICY, deadline=1.0, retries=0))
    assert statuses[fast].verdict is Verdict.OK
    assert statuses[slow].verdict is Verdict.ERROR
    assert statuses[slow].reason == "not checked: the link check ran out of time (1 s)"


# ------------------------------------------------------------------- the scheduler (issue 11)


def test_retries_go_back_through_the_host_gate() -> None:
    """Every retry is a request like the first: the per-host cap holds for them too."""
    with serve(delay=0.02) as host:
        policy = dataclasses.replace(POLICY, per_host=2, retries=3, backoff=0.0)
        urls = [host.url(f"/retry-after/t{n}") + "?v=0" for n in range(10)]
        got = check(*urls, policy=policy)
    assert all(status.verdict is Verdict.BLOCKED and status.attempts == 4
               for status in got.values())
    assert all(host.hits[f"/retry-after/t{n}"] == 4 for n in range(10))
    assert host.peak == 2


def test_a_retry_waiting_for_retry_after_holds_no_slot() -> None:
    """One request in flight at a time: while the 429 waits its second, the host's other links
    are fetched, not queued behind it."""
    with serve() as host:
        policy = dataclasses.replace(POLICY, per_host=1)
        urls = [host.url("/rate-limited"), *(host.url(f"/p/w{n}") for n in range(20))]
        got = check(*urls, policy=policy)
    assert {status.verdict for status in got.values()} == {Verdict.OK}
    first, second = (i for i, path in enumerate(host.order) if path == "/rate-limited")
    assert any(path.startswith("/p/w") for path in host.order[first:second])
    assert host.peak == 1


def test_a_cross_host_redirect_passes_the_other_hosts_gate() -> None:
    """12 links on a host allowed 8 at once all redirect to a host allowed 1: that host never
    sees 2 at once (the hop waits at its gate, not its origin's)."""
    with serve(delay=0.02) as origin, serve(delay=0.02) as target:
        port = target.base.rsplit(":", 1)[1]
        policy = dataclasses.replace(POLICY, per_host=8, hosts={"localhost": HostLimit(1)})
        urls = [origin.url(f"/redirect-to?code=301&to=http://localhost:{port}/p/x{n}")
                for n in range(12)]
        got = check(*urls, policy=policy)
    assert {status.verdict for status in got.values()} == {Verdict.REDIRECTED}
    assert sum(target.hits[f"/p/x{n}"] for n in range(12)) == 12
    assert target.peak == 1
    assert origin.peak > 1


def test_each_url_is_requested_once_across_many_hosts() -> None:
    with serve(delay=0.01) as a, serve(delay=0.01) as b, serve(delay=0.01) as c:
        policy = dataclasses.replace(POLICY, per_host=3, concurrency=5)
        urls = [s.url(f"/p/m{n}") for n in range(30) for s in (a, b, c)]
        stats = CheckStats()
        got = check(*urls, *urls, policy=policy, stats=stats)
    assert len(got) == 90 and {s.verdict for s in got.values()} == {Verdict.OK}
    assert [sum(s.hits.values()) for s in (a, b, c)] == [30, 30, 30]
    assert stats.requests == 90
    assert max(a.peak, b.peak, c.peak) <= 3
    assert len(stats.host_peak) == 3 and max(stats.host_peak.values()) <= 3


def test_a_failing_progress_callback_ends_the_check_with_its_error(server) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        if done == 2:
            raise RuntimeError("progress broke")

    with pytest.raises(RuntimeError, match="progress broke"):
        check(*(server.url(f"/p/cb{n}") for n in range(5)), progress=progress)
    assert calls[-1] == 2


def test_a_worker_whose_cancellation_is_lost_still_stops(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Before Python 3.12, asyncio.wait_for can swallow a cancellation that comes as the awaited
    call ends (it hung this suite, rarely, under load): a request that swallows it must not keep
    the check waiting."""
    swallowed: list[str] = []

    async def request(self: checker._Engine, url: str, body_cap: int = 0) -> checker._Answer:
        try:
            await asyncio.sleep(0 if url.endswith(("/0", "/1")) else 3600)
        except asyncio.CancelledError:
            swallowed.append(url)  # what the lost cancellation looks like to the worker
        return checker._Answer(200, None)

    monkeypatch.setattr(checker._Engine, "request", request)

    def progress(done: int, total: int) -> None:
        if done == 2:
            raise RuntimeError("progress broke")

    async def bounded() -> None:  # a liveness bound, not a timing: the check ends or hangs
        await asyncio.wait_for(checker.check_links_async(
            [f"https://example.com/{n}" for n in range(5)], POLICY, progress=progress), 60)

    with pytest.raises(RuntimeError, match="progress broke"):
        asyncio.run(bounded())
    assert len(swallowed) == 3


@given(st.text(alphabet="abcXYZ09-._~%/?#&=:@[] \\\t\x7f\u00e9\u00a0", max_size=30),
       st.sampled_from(["http", "https", "HTTP"]), st.sampled_from(["a.com", "A.com", "x-1.io",
                                                                   "a.com:80", "u@a.com", "."]))
@example("/x\u00a0", "https", "a.com")  # ends in a space urlsplit's caller strips
@example("/x\x7f?q", "https", "a.com")
def test_the_fetch_key_fast_path_agrees_with_fetch_key(tail: str, scheme: str,
                                                        host: str) -> None:
    url = f"{scheme}://{host}{tail}"
    found = plan_links([url], POLICY)
    if url in found.early:  # not a web URL, or not a valid one: no key either way
        return
    assert list(found.by_key) == [fetch_key(url)]
