"""Hardening (issue 6): the link checker against hostile servers, SSRF tricks and a contended cache.

Every server here is started by the test on loopback (tests/linkserver.py, or a bare listening
socket); every request loop is bounded by the policy's retries and timeouts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from awesome_lint.links import checker, safety
from awesome_lint.links.checker import check_links
from awesome_lint.links.policy import LinkPolicy
from awesome_lint.verdicts import LinkStatus, Verdict
from linkserver import ServerState, _gzip_zeros, serve

POLICY = LinkPolicy(allow_private=True, backoff=0.01, max_retry_after=1.0, timeout=5.0,
                    retries=2, connect_timeout=2.0)


def check(*urls: str, policy: LinkPolicy = POLICY, **kwargs: Any) -> dict[str, LinkStatus]:
    return check_links(list(urls), policy, **kwargs)


@pytest.fixture(scope="module")
def server() -> Iterator[ServerState]:
    with serve() as state:
        yield state


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every wait the checker asks ``asyncio.sleep`` for (in this thread: not the servers'),
    in seconds. A wait is cut to 2 s, so a test of an uncapped Retry-After fails, not hangs."""
    real = asyncio.sleep
    here = threading.current_thread()
    asked: list[float] = []

    async def sleep(delay: float, result: Any = None) -> Any:
        if threading.current_thread() is here and delay != 0:
            asked.append(delay)
            delay = min(delay, 2.0)
        return await real(delay, result)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    return asked


def within(seconds: float, work: Callable[[], Any]) -> Any:
    """``work()``, failing (not hanging) when it has not returned after ``seconds``: a bound
    against hangs, far above the expected time, not a speed measure."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result(timeout=seconds)


@contextmanager
def traced() -> Iterator[Callable[[], int]]:
    """Peak bytes of Python allocations (this process: checker and in-thread server) inside."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        yield lambda: tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


# --------------------------------------------------------------------------- the linkbench faults


@pytest.mark.slow
@pytest.mark.parametrize("head_first", [False, True])
def test_every_linkbench_fault_in_one_run(head_first: bool) -> None:
    """The categories of the link benchmark's server (bench/linkbench_verdicts.py runs our
    checker against that server itself), all at once, two hosts."""
    with serve() as a, serve() as b:
        a.redirect_target = b.url("/redirect/2")  # a cross-host chain: A -> B -> B -> B/ok
        # The bench's 5 s page: it answers when every other link has its verdict (or after
        # 20 s: then something waited on it).
        slow = "/hold?cap=20"
        urls = {
            "ok": a.url("/ok"),
            "404": a.url("/status/404"),
            "cross-host chain": a.url("/elsewhere"),
            "cross-host to 404": a.url(f"/redirect-to?code=301&to={b.url('/redirect-dead')}"),
            "redirect to 404": a.url("/redirect-dead"),
            "429 Retry-After": a.url("/rate-limited"),
            "500 then 200": a.url("/flaky"),
            "slow": a.url(slow),
            "closed always": a.url("/drop-always"),
            "closed once": a.url("/drop-once"),
            "HEAD 405": a.url("/head-405"),
        }
        policy = dataclasses.replace(POLICY, head_first=head_first, timeout=30.0,
                                     max_retry_after=2.0)

        def progress(done: int, total: int) -> None:
            if done >= total - 1:
                a.release.set()

        got = check(*urls.values(), policy=policy, progress=progress)
    verdicts = {name: got[url].verdict for name, url in urls.items()}
    assert verdicts == {
        "ok": Verdict.OK,
        "404": Verdict.DEAD,
        "cross-host chain": Verdict.REDIRECTED,
        "cross-host to 404": Verdict.DEAD,
        "redirect to 404": Verdict.DEAD,
        "429 Retry-After": Verdict.OK,
        "500 then 200": Verdict.OK,
        "slow": Verdict.OK,
        "closed always": Verdict.DEAD,
        "closed once": Verdict.OK,
        "HEAD 405": Verdict.OK,
    }
    chain = got[urls["cross-host chain"]]
    assert chain.final_url == b.url("/ok") and chain.permanent
    assert chain.chain == (a.url("/elsewhere"), b.url("/redirect/2"), b.url("/redirect/1?code=301"))
    assert got[urls["cross-host to 404"]].chain[-1] == b.url("/redirect-dead")
    assert got[urls["closed always"]].attempts == POLICY.retries + 1
    # aiohttp itself resends an idempotent request once when the connection drops (RFC 9112
    # section 9.3.1), so the server sees up to two requests per attempt of ours.
    assert POLICY.retries + 1 <= a.hits["/drop-always"] <= 2 * (POLICY.retries + 1)
    # Everything ran beside the slow page, nothing waited on it: every other verdict was in
    # while it was still held.
    assert a.held == ["released"]


# ------------------------------------------------------------------- a server that never answers


@contextmanager
def mute_server() -> Iterator[str]:
    """A listening socket that nobody serves: the kernel completes every TCP handshake (the
    backlog), the request is sent, and not one byte ever comes back."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


@pytest.mark.slow
def test_a_server_that_never_answers_times_out(server: ServerState) -> None:
    policy = dataclasses.replace(POLICY, timeout=0.5, retries=1)
    with mute_server() as mute:
        started = time.monotonic()
        got = within(60, lambda: check(mute + "/a", mute + "/b", server.url("/ok"),
                                       policy=policy))
        elapsed = time.monotonic() - started
    for url in (mute + "/a", mute + "/b"):
        status = got[url]
        assert status.verdict is Verdict.ERROR, status  # "try again later", never dead
        assert status.reason == "timed out after 2 tries" and status.attempts == 2
    assert got[server.url("/ok")].verdict is Verdict.OK
    assert elapsed >= (policy.retries + 1) * policy.timeout  # each try waited its timeout


def test_an_endless_body_is_abandoned_with_memory_bounded(server: ServerState) -> None:
    with traced() as peak:
        status = check(server.url("/endless"))[server.url("/endless")]
        used = peak()
    assert status.verdict is Verdict.OK
    assert server.sent["/endless"] < 64 << 20  # the server offers 640 MiB; the body is left
    assert used < 16 << 20, f"{used / 2**20:.1f} MiB"


@pytest.mark.parametrize("mib", [60, 1024])
def test_a_gzip_bomb_is_never_decompressed(server: ServerState, mib: int) -> None:
    # 60 MiB of zeros in 62 KB: small enough that the body is read; 1 GiB in 1 MB: abandoned
    # after the headers. We ask for no decompression (auto_decompress=False): nothing expands.
    server.bombs.setdefault(mib, _gzip_zeros(mib))
    compressed = len(server.bombs[mib])
    assert compressed < mib * 1100
    url = server.url(f"/gzip-bomb?mb={mib}")
    with traced() as peak:
        status = check(url)[url]
        used = peak()
    assert status.verdict is Verdict.OK and status.status == 200
    assert used < compressed + (12 << 20), f"{used / 2**20:.1f} MiB for a {mib} MiB bomb"


# ------------------------------------------------------------------- responses that are not HTTP


@pytest.mark.parametrize("kind", ["many-headers", "long-header", "long-status", "garbage",
                                  "bad-length", "huge-length", "bad-chunks"])
def test_a_response_that_is_not_http_is_an_error_not_a_crash(
    server: ServerState, kind: str
) -> None:
    # Before the fix aiohttp's ClientResponseError escaped the engine and ended the whole run.
    url = server.url(f"/raw/{kind}")
    got = check(url, server.url(f"/p/beside-{kind}"))
    status = got[url]
    assert status.verdict is Verdict.ERROR and status.reason.startswith("invalid HTTP response: ")
    assert len(status.reason) <= 130 and "\n" not in status.reason  # not a 1 MB reason
    assert got[server.url(f"/p/beside-{kind}")].verdict is Verdict.OK
    assert server.hits[f"/raw/{kind}"] == 1  # a broken server is not asked again


def test_a_flood_of_interim_responses_is_bounded(server: ServerState) -> None:
    # 100,000 "103 Early Hints" before the real answer: read through, within the timeout.
    # (On a loaded machine reading them can outlast the timeout: then an error, still bounded.)
    url = server.url("/raw/many-1xx")
    policy = dataclasses.replace(POLICY, timeout=3.0)
    with traced() as peak:
        status = within(120, lambda: check(url, policy=policy))[url]
        used = peak()
    assert status.verdict in (Verdict.OK, Verdict.ERROR), status  # never a crash or a hang
    assert status.attempts <= policy.retries + 1
    assert server.hits["/raw/many-1xx"] <= policy.retries + 1  # asked again at most twice
    assert used < 32 << 20, f"{used / 2**20:.1f} MiB"


def test_a_default_port_written_out_shares_the_host_gate() -> None:
    # Before the fix "example.com" and "example.com:443" were two gates: twice the per-host cap.
    assert checker.host_key("https://example.com:443/a") == checker.host_key("https://example.com/b")
    assert checker.host_key("http://u:p@Example.COM:80/") == "example.com"
    assert checker.host_key("http://example.com:8080/") == "example.com:8080"
    assert checker.host_key("https://example.com:80/") == "example.com:80"
    assert checker.host_key("http://[::1]:80/") == "[::1]"
    engine = checker._Engine(None, POLICY, checker.CheckStats())  # type: ignore[arg-type]
    assert engine.gate("https://example.com:443/") is engine.gate("https://EXAMPLE.com/x")


# --------------------------------------------------------------------------- Retry-After


@pytest.mark.parametrize(
    "value",
    ["99999", "1e400", "inf", "Wed, 21 Oct 2099 07:28:00 GMT", "nan", "-5", "soon", ""],
)
def test_retry_after_is_capped(server: ServerState, value: str, waits: list[float]) -> None:
    policy = dataclasses.replace(POLICY, max_retry_after=0.3, retries=2)
    tag = f"cap-{abs(hash(value))}"
    url = server.url(f"/retry-after/{tag}") + "?v=" + value.replace(" ", "%20")
    status = check(url, policy=policy)[url]
    assert status.verdict is Verdict.BLOCKED and status.attempts == 3
    assert server.hits[f"/retry-after/{tag}"] == 3
    # one wait before each retry, none longer than the cap (and none a NaN)
    assert len(waits) == policy.retries, waits
    assert all(0 < wait <= policy.max_retry_after for wait in waits), waits


@pytest.mark.slow
def test_retry_after_as_an_http_date_is_honoured(server: ServerState, waits: list[float]) -> None:
    policy = dataclasses.replace(POLICY, max_retry_after=5.0)
    url = server.url("/retry-at/date?s=2")  # "Retry-After: <now + 2 s as an HTTP date>"
    started = time.monotonic()
    status = check(url, policy=policy)[url]
    elapsed = time.monotonic() - started
    assert status.verdict is Verdict.OK and status.attempts == 2
    # Whole seconds in the date: the server said 1 to 2 s from its "now"; the checker waited
    # what was left of that, once (never the 5 s cap), and the retry came after the date.
    assert len(waits) == 1 and 0 < waits[0] <= 2.0, waits
    assert elapsed >= 0.9, elapsed


# --------------------------------------------------------------------------- 10,000 links, one host

TEN_THOUSAND = r"""
import json, resource, sys, time
from awesome_lint.links.checker import CheckStats, check_links
from awesome_lint.links.policy import LinkPolicy
base, count = sys.argv[1], int(sys.argv[2])
def run(tag, n):
    stats = CheckStats()
    started = time.monotonic()
    got = check_links([f"{base}/p/{tag}-{i}" for i in range(n)],
                      LinkPolicy(allow_private=True, retries=1), stats=stats)
    return got, stats, time.monotonic() - started
# A tenth of the links before and after the full run: the time of the full run is compared
# with the slower of these, measured in the same process under the same load.
small = [run("small-a", count // 10)[2]]
got, stats, elapsed = run("all", count)
small.append(run("small-b", count // 10)[2])
verdicts = {}
for status in got.values():
    verdicts[status.verdict.value] = verdicts.get(status.verdict.value, 0) + 1
def peak_kib():
    # VmHWM is this process's own peak; ru_maxrss can carry the parent's over fork and exec.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "seconds_tenth": max(small), "verdicts": verdicts,
                  "requests": stats.requests,
                  "peak_rss_kib": peak_kib(),
                  "host_peak": stats.host_peak}))
"""


@pytest.mark.slow
def test_ten_thousand_links_to_one_host() -> None:
    # The checker runs in a child process, so its peak RSS is its own; the server (here)
    # holds each request 2 ms so that requests overlap and it can count how many at once.
    count = 10_000
    with serve(delay=0.002) as host:
        done = subprocess.run([sys.executable, "-c", TEN_THOUSAND, host.base, str(count)],
                              capture_output=True, text=True, timeout=120, check=True)
        peak_in_flight = host.peak
        served = sum(n for path, n in host.hits.items() if path.startswith("/p/all-"))
    report = json.loads(done.stdout)
    assert report["verdicts"] == {"ok": count}
    assert served == report["requests"] == count  # each link once, no retries
    assert peak_in_flight == LinkPolicy().per_host == 10  # the per-host cap, held and used
    assert list(report["host_peak"].values()) == [10]
    peak_mib = report["peak_rss_kib"] / 1024
    assert peak_mib < 150, f"peak RSS {peak_mib:.0f} MiB"
    # Ten times the links take about ten times as long (a cost per link that grows with the
    # number of links would make it 100 times); the bound leaves room for a loaded machine.
    assert report["seconds"] < 30 * report["seconds_tenth"], report
    print(f"10,000 links to one host: {report['seconds']:.1f} s (1,000: "
          f"{report['seconds_tenth']:.2f} s), peak RSS {peak_mib:.0f} MiB, "
          f"peak in flight {peak_in_flight}")


# --------------------------------------------------------------------------- redirects off the web


@pytest.mark.parametrize(
    "target",
    ["file:///etc/passwd", "ftp://files.example/x", "gopher://127.0.0.1:70/_GET",
     "javascript:alert(1)", "data:text/html,hi", "FILE:///etc/passwd", "mailto:a@b.example"],
)  # fmt: skip
def test_a_redirect_off_the_web_is_refused(server: ServerState, target: str) -> None:
    url = server.url("/redirect-to?to=" + target.replace(",", "%2C"))
    status = check(url)[url]
    assert status.verdict is Verdict.ERROR and "redirects to a non-web URL" in status.reason
    assert status.chain == (url,)


@pytest.mark.parametrize(
    "location",
    ["http://[::1", "http://127.0.0.1:99999/", "http://x:notaport/", "http://%E2%80%AE/",
     "http://127.1/ok", "http://2130706433/ok"],
)  # fmt: skip
def test_a_redirect_to_an_invalid_url_is_an_error_not_a_crash(
    server: ServerState, location: str
) -> None:
    # Before the fix: ValueError from urljoin or aiohttp.InvalidURL ended the whole run.
    url = server.url("/redirect-to?to=" + location)
    got = check(url, server.url("/p/beside-a-bad-redirect"))
    assert got[url].verdict is Verdict.ERROR, got[url]
    assert got[server.url("/p/beside-a-bad-redirect")].verdict is Verdict.OK


@pytest.mark.parametrize(
    "url",
    ["http://[::1/", "http://x.example:99999/", "http://x.example:port/", "http://[::ffff:127.1]/",
     "http://127.1/", "http://2130706433/", "http://0/", "http://\u202e/"],
)  # fmt: skip
def test_a_link_no_client_can_request_is_an_error_not_a_crash(
    server: ServerState, url: str
) -> None:
    got = check(url, server.url("/p/beside-a-bad-link"))
    assert got[url].verdict is Verdict.ERROR and "URL" in got[url].reason, got[url]
    assert got[server.url("/p/beside-a-bad-link")].verdict is Verdict.OK


# --------------------------------------------------------------------------- SSRF


@pytest.fixture(autouse=True)
def no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names resolve numerically only (inet_aton forms included), localhost from /etc/hosts:
    nothing here may ask a real DNS server."""
    real = socket.getaddrinfo

    def numeric(host: Any, port: Any, family: int = 0, type: int = 0, proto: int = 0,
                flags: int = 0) -> Any:
        if host not in ("localhost", b"localhost"):
            flags |= socket.AI_NUMERICHOST
        return real(host, port, family, type, proto, flags)

    monkeypatch.setattr(socket, "getaddrinfo", numeric)


@contextmanager
def public_and_private(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[ServerState, ServerState]]:
    """A "public" server on 127.0.0.2 (declared public by patching the classifier) and a
    private one on 127.0.0.1, on the same port where the OS allows it."""
    real = safety.non_public_reason
    monkeypatch.setattr(safety, "non_public_reason",
                        lambda address: None if str(address) == "127.0.0.2" else real(address))
    for _ in range(5):
        with serve(host="127.0.0.2") as public:
            port = int(public.base.rsplit(":", 1)[1])
            try:
                private_cm = serve(port=port)
                private = private_cm.__enter__()
            except OSError:
                continue  # 127.0.0.1:<port> is taken: try another port
            try:
                yield public, private
            finally:
                private_cm.__exit__(None, None, None)
            return
    pytest.skip("no port free on both 127.0.0.1 and 127.0.0.2")


def _quote(url: str) -> str:
    from urllib.parse import quote

    return quote(url, safe="")


# Redirect targets on the private server (P is its port) that the URL parsers accept and that
# land on 127.0.0.1 when nothing guards them; then targets that must never even be tried.
LOOPBACK_TARGETS = [
    "http://127.0.0.1:{P}/ok", "http://[::ffff:127.0.0.1]:{P}/ok", "http://[::ffff:7f00:1]:{P}/ok",
    "http://0x7f.0.0.1:{P}/ok", "http://0x7f000001:{P}/ok", "http://0x7f.1:{P}/ok",
    "http://localhost:{P}/ok", "http://0.0.0.0:{P}/ok",
]  # fmt: skip
NEVER_TRIED_TARGETS = [
    "http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/latest/",
    "http://0xa9fea9fe/latest/", "http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::a9fe:a9fe]/",
    "http://10.0.0.1/", "http://192.168.1.1/", "http://[fd00::1]/", "http://[fe80::1%25lo]/",
    "http://[::1]:{P}/ok", "http://[::]:{P}/ok", "http://[::127.0.0.1]:{P}/ok",
    "http://100.64.0.1/", "http://[2002:7f00:1::]/",
]  # fmt: skip
UNREQUESTABLE_TARGETS = ["http://2130706433:{P}/ok", "http://127.1:{P}/ok",
                         "http://0177.0.0.1:{P}/ok", "http://0:{P}/ok"]


def test_redirects_to_private_addresses_in_every_form_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with public_and_private(monkeypatch) as (public, private):
        port = private.base.rsplit(":", 1)[1]
        targets = [t.format(P=port) for t in
                   LOOPBACK_TARGETS + NEVER_TRIED_TARGETS + UNREQUESTABLE_TARGETS]
        urls = {public.url("/redirect-to?to=" + _quote(t)): t for t in targets}
        guarded = dataclasses.replace(POLICY, allow_private=False, retries=0)
        got = check(*urls, policy=guarded)
        assert sum(private.hits.values()) == 0
        assert public.hits["/redirect-to"] == len(targets)  # every first hop was fetched
        for url, target in urls.items():
            status = got[url]
            assert status.verdict is Verdict.ERROR, (target, status)
            assert status.chain == (url,), (target, status)
            expected = ("not a URL the checker can request" if target in
                        [t.format(P=port) for t in UNREQUESTABLE_TARGETS]
                        else "refused to connect to ")
            assert expected in status.reason, (target, status.reason)
        # The control: without the guard the loopback forms do reach the private server.
        loose = check(*list(urls)[: len(LOOPBACK_TARGETS)], policy=POLICY)
        assert {s.verdict for s in loose.values()} == {Verdict.REDIRECTED}
        assert private.hits["/ok"] == len(LOOPBACK_TARGETS)


# Every way the URL parsers let a link name 127.0.0.1 (or a neighbour) directly.
LITERAL_FORMS = [
    "127.0.0.1", "0x7f000001", "0x7f.0.0.1", "0x7F.0.0.1", "0x7f.1", "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:127.0.0.1]", "localhost", "LOCALHOST", "0.0.0.0",
    "\uff11\uff12\uff17\uff0e\uff10\uff0e\uff10\uff0e\uff11",  # fullwidth digits and stops
    "127\u30020\u30020\u30021",  # ideographic full stops
    "[::FFFF:7F00:1]", "[0000:0000:0000:0000:0000:ffff:7f00:0001]", "0x7f.0x0.0x0.0x1",
    "0x7f.0.0.0x1",
]  # fmt: skip
REFUSED_UNTRIED_FORMS = [
    "[::1]", "[0:0:0:0:0:0:0:1]", "[::1%25lo]", "[::]", "[::127.0.0.1]", "[::ffff:0:127.0.0.1]",
    "[64:ff9b::127.0.0.1]", "[fe80::1%25lo]", "[2002:7f00:1::1]", "[::ffff:127.0.0.1%25lo]",
]  # fmt: skip
UNREQUESTABLE_FORMS = [
    "2130706433", "017700000001", "0177.0.0.1", "127.1", "127.0.1", "127.000.000.001",
    "127.0.0.1.", "0", "[::ffff:127.1]", "127.0.0.01",
]  # fmt: skip


def test_every_ip_literal_form_is_judged_by_its_real_address(server: ServerState) -> None:
    port = server.base.rsplit(":", 1)[1]
    forms = LITERAL_FORMS + REFUSED_UNTRIED_FORMS + UNREQUESTABLE_FORMS
    urls = {f"http://{form}:{port}/ok": form for form in forms}
    before = server.hits["/ok"]
    got = check(*urls, policy=dataclasses.replace(POLICY, allow_private=False, retries=0))
    assert server.hits["/ok"] == before
    for url, form in urls.items():
        status = got[url]
        assert status.verdict is Verdict.ERROR, (form, status)
        if form in UNREQUESTABLE_FORMS:
            assert "URL" in status.reason, (form, status.reason)
        else:
            assert "refused to connect to " in status.reason, (form, status.reason)
    # The control: with --allow-private the accepted forms do reach 127.0.0.1.
    accepted = [f"http://{form}:{port}/ok" for form in LITERAL_FORMS]
    loose = check(*accepted, policy=POLICY)
    assert {s.verdict for s in loose.values()} == {Verdict.OK}
    distinct = {checker.fetch_key(url) for url in accepted}  # LOCALHOST is localhost: once
    assert server.hits["/ok"] == before + len(distinct) == before + len(LITERAL_FORMS) - 3


@pytest.mark.parametrize(
    "template",
    ["http://evil.example@127.0.0.1:{P}/ok", "http://127.0.0.1:{P}#@evil.example/",
     "http://\t127.0.0.1:{P}/ok", "HTTP://127.0.0.1:{P}/ok"],
)  # fmt: skip
def test_authority_tricks_are_judged_by_the_real_address(server: ServerState,
                                                         template: str) -> None:
    url = template.format(P=server.base.rsplit(":", 1)[1])
    before = sum(server.hits.values())
    status = check(url, policy=dataclasses.replace(POLICY, allow_private=False))[url]
    assert status.verdict is Verdict.ERROR
    assert "refused to connect to 127.0.0.1 (loopback address)" in status.reason
    assert sum(server.hits.values()) == before
    check(url)  # the control: unguarded, it does reach 127.0.0.1
    assert sum(server.hits.values()) == before + 1


class Rebinding(AbstractResolver):
    """A DNS server under an attacker's control: ``rebind.test`` is 127.0.0.2 (declared public
    in the test) on the first lookup and 127.0.0.1 (private) on every later one."""

    def __init__(self, lookups: list[str]) -> None:
        self.lookups = lookups

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        ip = "127.0.0.2" if not self.lookups else "127.0.0.1"
        self.lookups.append(ip)
        return [ResolveResult(hostname=host, host=ip, port=port, family=socket.AF_INET,
                              proto=0, flags=socket.AI_NUMERICHOST)]

    async def close(self) -> None:
        pass


@pytest.fixture
def rebinding(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[ServerState, ServerState, list[str], list[tuple[str, bool]]]]:
    """Both servers, the rebinding DNS behind the checker's resolver, and a record of every
    address the connect-time guard was asked about (and whether it let it through)."""
    lookups: list[str] = []
    checked: list[tuple[str, bool]] = []
    real_factory = safety.guarded_socket_factory

    def recording_factory(allow_private: bool) -> safety.SocketFactory:
        inner = real_factory(allow_private)

        def factory(addr_info: safety.AddrInfo) -> socket.socket:
            try:
                sock = inner(addr_info)
            except safety.BlockedAddressError:
                checked.append((addr_info[4][0], False))
                raise
            checked.append((addr_info[4][0], True))
            return sock

        return factory

    monkeypatch.setattr(safety, "ThreadedResolver", lambda: Rebinding(lookups))
    monkeypatch.setattr(safety, "guarded_socket_factory", recording_factory)
    with public_and_private(monkeypatch) as (public, private):
        yield public, private, lookups, checked


def test_dns_rebinding_is_refused(rebinding: Any) -> None:
    public, private, lookups, checked = rebinding
    port = public.base.rsplit(":", 1)[1]
    guarded = dataclasses.replace(POLICY, allow_private=False, retries=0)
    first = check(f"http://rebind.test:{port}/p/1", policy=guarded)
    assert first[f"http://rebind.test:{port}/p/1"].verdict is Verdict.OK
    second = check(f"http://rebind.test:{port}/p/2", policy=guarded)
    status = second[f"http://rebind.test:{port}/p/2"]
    assert status.verdict is Verdict.ERROR
    assert "refused to connect to 127.0.0.1 (loopback address) for rebind.test" in status.reason
    assert lookups == ["127.0.0.2", "127.0.0.1"]
    assert checked == [("127.0.0.2", True)]  # the resolver's filter stopped it before a socket
    assert public.hits["/p/1"] == 1 and sum(private.hits.values()) == 0


def test_dns_rebinding_is_refused_at_connect_time_without_the_resolver_guard(
    rebinding: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Take the resolver's filter away: the connect-time check alone must catch the rebinding,
    # because it judges the address of every connection, not what DNS said earlier.
    public, private, lookups, checked = rebinding
    monkeypatch.setattr(safety, "GuardedResolver", lambda: Rebinding(lookups))
    port = public.base.rsplit(":", 1)[1]
    guarded = dataclasses.replace(POLICY, allow_private=False, retries=0)
    assert check(f"http://rebind.test:{port}/p/1", policy=guarded)[
        f"http://rebind.test:{port}/p/1"].verdict is Verdict.OK
    status = check(f"http://rebind.test:{port}/p/2", policy=guarded)[
        f"http://rebind.test:{port}/p/2"]
    assert status.verdict is Verdict.ERROR
    assert "refused to connect to 127.0.0.1 (loopback address)" in status.reason
    assert checked == [("127.0.0.2", True), ("127.0.0.1", False)]  # one check per connection
    assert sum(private.hits.values()) == 0
    # The control: unguarded (--allow-private, same rebinding DNS), the name really does
    # reach the private server.
    monkeypatch.setattr(checker, "make_connector", lambda *, allow_private, limit: (
        aiohttp.TCPConnector(limit=limit, resolver=Rebinding(lookups),
                             socket_factory=safety.guarded_socket_factory(allow_private))))
    assert check(f"http://rebind.test:{port}/p/3")[
        f"http://rebind.test:{port}/p/3"].verdict is Verdict.OK
    assert private.hits["/p/3"] == 1 and lookups == ["127.0.0.2", "127.0.0.1", "127.0.0.1"]
    assert checked[-1] == ("127.0.0.1", True)


# ------------------------------------------------------------------- the cache under contention

FAST = "[links]\nretries = 1\nbackoff = 0.01\ntimeout = 5\ncache-failures = 3600\n"


def write_list(where: Path, server: ServerState, paths: list[str]) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    lines = ["# List", ""] + [f"- [Item {n}]({server.url(p)}) - Item {n}."
                              for n, p in enumerate(paths)]
    (where / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (where / ".awesome-lint.toml").write_text(FAST, encoding="utf-8")
    return where


def lint(where: Path, cache_dir: Path | str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_TOKEN"}
    env.update(AWESOME_LINT_CACHE_DIR=str(cache_dir), CI="true")
    return subprocess.Popen(
        [sys.executable, "-m", "awesome_lint", "--links", "--allow-private", "--format", "json",
         "README.md"], cwd=where, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)


def finish(process: subprocess.Popen[str]) -> tuple[int, list[tuple[str, str]], str]:
    """Exit code, the link findings as (code, url), and stderr."""
    out, err = process.communicate(timeout=60)
    assert "Traceback" not in err, err
    found = [(f["code"], f["url"]) for f in json.loads(out)["findings"]
             if f["code"].startswith("AL9")]
    return process.returncode, found, err


def cached_keys(cache_dir: Path) -> set[str]:
    """The URLs the cache holds observations of (its keys are keyed hashes: the redacted URL
    column is for people, and tests)."""
    with sqlite3.connect(cache_dir / "links.sqlite3") as conn:
        return {row[0] for row in conn.execute("SELECT url FROM links")}


@pytest.mark.slow
def test_four_processes_check_at_once_against_one_cache(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    with serve(delay=0.002) as server:
        shared = [f"/p/shared-{n}" for n in range(150)] + ["/status/404", "/redirect/1"]
        lists = [write_list(tmp_path / f"list{w}", server,
                            shared + [f"/p/own-{w}-{n}" for n in range(50)]) for w in range(4)]
        started = time.monotonic()
        outcomes = [finish(p) for p in [lint(where, cache_dir) for where in lists]]
        elapsed = time.monotonic() - started
        expected = [("AL901", server.url("/status/404")), ("AL902", server.url("/redirect/1"))]
        for code, found, err in outcomes:
            assert code == 1 and found == expected
            assert "warning" not in err.lower(), err
            assert "Links: 202 checked (1 dead, 200 ok, 1 redirected)" in err
        keys = cached_keys(cache_dir)
        assert keys == {server.url(p) for p in shared} | {
            server.url(f"/p/own-{w}-{n}") for w in range(4) for n in range(50)}
        hits = sum(server.hits.values())
        # A fifth run: everything from the shared cache, the same findings.
        code, found, err = finish(lint(lists[2], cache_dir))
        assert (code, found) == (1, expected) and "warning" not in err.lower()
        assert "0 requests, 202 from the cache" in err
        assert sum(server.hits.values()) == hits
    print(f"4 concurrent runs x 202 links, one cache file: {elapsed:.1f} s")


@pytest.mark.slow
@pytest.mark.parametrize("size", [0, 100, "half"])
def test_a_cache_file_truncated_during_a_run(tmp_path: Path, size: int | str) -> None:
    cache_dir = tmp_path / "cache"
    cache_file = cache_dir / "links.sqlite3"
    with serve() as server:
        where = write_list(tmp_path / "list", server, [f"/p/{n}" for n in range(20)])
        assert finish(lint(where, cache_dir))[0] == 0
        # The second run reads 10 cached results, then waits on a slow page; meanwhile the
        # cache file is cut short under it.
        write_list(where, server, [f"/p/{n}" for n in range(10, 40)] + ["/slow?s=1"])
        process = lint(where, cache_dir)
        deadline = time.monotonic() + 20
        while server.hits["/slow"] == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server.hits["/slow"] == 1
        length = cache_file.stat().st_size // 2 if size == "half" else size
        os.truncate(cache_file, int(length))
        code, found, err = finish(process)
        assert code == 0 and found == []
        warnings = [line for line in err.splitlines() if "warning" in line]
        assert len(warnings) == 1, err
        assert warnings[0].startswith(f"awesome-lint: warning: link cache {cache_file} was corrupt")
        assert "moved it to links.sqlite3.corrupt-" in warnings[0]
        assert "Links: 31 checked (31 ok); 21 requests, 10 from the cache." in err
        assert len(list(cache_dir.glob("links.sqlite3.corrupt-*"))) == 1
        # The fresh cache kept this run's 21 results (before the fix the batch was dropped,
        # and the next run fetched all 31 again).
        code, found, err = finish(lint(where, cache_dir))
        assert (code, found) == (0, []) and "warning" not in err
        assert "10 requests, 21 from the cache." in err


@pytest.mark.slow
@pytest.mark.parametrize("how", ["parent is a file", "cache dir is a file"])
def test_an_unwritable_cache_directory_warns_once_and_the_run_succeeds(
    tmp_path: Path, how: str
) -> None:
    # Root ignores permission bits, so "read-only" is made with a regular file in the way.
    blocker = tmp_path / "blocker"
    blocker.write_text("a regular file where a directory should be\n", encoding="utf-8")
    cache_dir = blocker / "awesome-lint" if how == "parent is a file" else blocker
    with serve() as server:
        where = write_list(tmp_path / "list", server, ["/p/1", "/p/2", "/status/404"])
        for _ in range(2):
            code, found, err = finish(lint(where, cache_dir))
            assert code == 1 and found == [("AL901", server.url("/status/404"))]
            warnings = [line for line in err.splitlines() if "warning" in line]
            assert len(warnings) == 1, err
            assert warnings[0].startswith("awesome-lint: warning: link cache disabled: cannot ")
            assert str(blocker) in warnings[0]
            assert "Links: 3 checked (1 dead, 2 ok); 3 requests, 0 from the cache." in err
        assert server.hits["/p/1"] == 2  # nothing was cached, nothing broke
    assert blocker.read_text(encoding="utf-8").startswith("a regular file")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root ignores directory permissions (see the test above)")
def test_a_read_only_cache_directory_warns_once_and_the_run_succeeds(tmp_path: Path) -> None:
    cache_dir = tmp_path / "ro"
    cache_dir.mkdir()
    cache_dir.chmod(0o500)
    try:
        with serve() as server:
            where = write_list(tmp_path / "list", server, ["/p/1"])
            code, found, err = finish(lint(where, cache_dir))
        assert (code, found) == (0, [])
        assert len([line for line in err.splitlines() if "warning" in line]) == 1, err
    finally:
        cache_dir.chmod(0o700)
