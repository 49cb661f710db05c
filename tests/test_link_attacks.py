"""Issue 10, link checker items: each attack of the campaign, end to end, on loopback only.

3. a link cache committed in the checkout (the action kept its cache in the workspace);
4. cache poisoning across repositories (``accept``) and secret query values sharing a key;
   ``--no-cache`` refreshes what it checked;
6. a hostile ``Location`` written into the README by the AL902 fix;
8. a temporary DNS failure reported as dead; numeric settings without bounds.

Every server is ours, on 127.0.0.1; DNS answers come from a fake resolver: no packet leaves the
machine. The CLI runs as a subprocess, as a user or the action would run it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from awesome_lint.links import checker, safety
from awesome_lint.links.checker import check_links
from awesome_lint.links.policy import LinkPolicy
from awesome_lint.verdicts import Verdict
from linkserver import serve, serve_apps

HOSTILE = "/any/ok) - [Evil](https://phish.example) <img src=x onerror=alert(1)> ("
FAST = "[links]\nretries = 1\nbackoff = 0.01\ntimeout = 5\n"


class Site:
    """A web site on 127.0.0.1 whose answers the test changes between runs."""

    def __init__(self) -> None:
        self.base = ""
        self.status: dict[str, int] = {}  # /switch/NAME answers this (default 200)
        self.hits: Counter[str] = Counter()

    def url(self, path: str) -> str:
        return self.base + path


@contextmanager
def site() -> Iterator[Site]:
    state = Site()

    async def switch(request: web.Request) -> web.StreamResponse:
        state.hits[request.path_qs] += 1
        return web.Response(status=state.status.get(request.match_info["name"], 200))

    async def signed(request: web.Request) -> web.StreamResponse:
        # a signed download: only the right signature is there
        state.hits[request.path_qs] += 1
        good = request.query.get("signature") == "good-7f3a9c"
        return web.Response(status=200 if good else 404)

    async def anything(request: web.Request) -> web.StreamResponse:
        state.hits[request.path] += 1
        return web.Response(text="ok")

    async def hostile(request: web.Request) -> web.StreamResponse:
        return web.Response(status=301, headers={"Location": state.base + HOSTILE})

    async def via(request: web.Request) -> web.StreamResponse:  # a hostile middle hop
        return web.Response(status=302, headers={"Location": "/hop/a) <b>\"'`|x"})

    async def hop(request: web.Request) -> web.StreamResponse:
        return web.Response(status=301, headers={"Location": "/any/end"})

    app = web.Application()
    app.router.add_route("*", "/switch/{name}", switch)
    app.router.add_route("*", "/signed", signed)
    app.router.add_route("*", "/any/{tail:.*}", anything)
    app.router.add_route("*", "/hostile", hostile)
    app.router.add_route("*", "/via", via)
    app.router.add_route("*", "/hop/{tail:.*}", hop)
    with serve_apps([app]) as (base,):
        state.base = base
        yield state


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
                        "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                        "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid"})


def make_list(where: Path, urls: list[str], config: str = FAST, repo: bool = False) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    lines = ["# List", ""] + [f"- [Item {n}]({url}) - Item {n}." for n, url in enumerate(urls)]
    (where / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (where / ".awesome-lint.toml").write_text(config, encoding="utf-8")
    if repo:
        git(where, "init", "-q", "-b", "main")
        git(where, "add", "-A")
        git(where, "commit", "-q", "-m", "list")
    return where


def lint(where: Path, cache_dir: Path | str | None, home: Path, *extra: str
         ) -> tuple[int, list[tuple[str, str]], str]:
    """Run the CLI in ``where``: exit code, link findings as (code, url), stderr."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("GITHUB_TOKEN", "AWESOME_LINT_CACHE_DIR", "GITHUB_WORKSPACE")}
    env.update(CI="true", HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    if cache_dir is not None:
        env["AWESOME_LINT_CACHE_DIR"] = str(cache_dir)
    done = subprocess.run(
        [sys.executable, "-m", "awesome_lint", "--links", "--allow-private", "--format", "json",
         *extra, "README.md"], cwd=where, env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    found = [(f["code"], f["url"]) for f in json.loads(done.stdout)["findings"]
             if f["code"].startswith("AL9")]
    return done.returncode, found, done.stderr


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "warning" in line]


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(root).parts}


# ---------------------------------------------------------------- 3. a cache in the checkout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("spelling", ["absolute", "relative"])
def test_a_cache_committed_in_the_pull_request_is_ignored(tmp_path: Path, spelling: str) -> None:
    home = tmp_path / "home"
    with site() as server:
        dead = server.url("/switch/gone")
        # The attacker makes a cache that says the link is fine (it was, when they checked)...
        made = make_list(tmp_path / "maker", [dead])
        assert lint(made, tmp_path / "made-cache", tmp_path / "maker-home")[0] == 0
        # ...and commits it in the pull request, where the action's cache lives.
        server.status["gone"] = 404
        pr = make_list(tmp_path / "pr", [dead])
        shutil.copytree(tmp_path / "made-cache", pr / ".awesome-lint-cache")
        git(pr, "init", "-q", "-b", "main")
        git(pr, "add", "-A")
        git(pr, "commit", "-q", "-m", "pr")
        before = tree(pr)
        cache_dir = pr / ".awesome-lint-cache" if spelling == "absolute" else ".awesome-lint-cache"
        code, found, err = lint(pr, cache_dir, home)
        assert (code, found) == (1, [("AL901", dead)]), err
        assert len(warnings(err)) == 1, err
        assert "inside the repository" in warnings(err)[0]
        assert tree(pr) == before  # not read, not written: no -wal, no -shm, no new rows
        assert (home / ".cache" / "awesome-lint" / "links.sqlite3").exists()  # used instead


# ------------------------------------------------------- 4. poisoning across repos and keys


def test_an_accepted_404_in_one_repository_is_dead_in_another(tmp_path: Path) -> None:
    shared, home = tmp_path / "shared-cache", tmp_path / "home"
    with site() as server:
        gone = server.url("/switch/gone")
        server.status["gone"] = 404
        lenient = make_list(tmp_path / "a", [gone], FAST + 'accept = {"*" = [404]}\n')
        assert lint(lenient, shared, home)[:2] == (0, [])
        strict = make_list(tmp_path / "b", [gone], FAST + "cache-failures = 3600\n")
        code, found, err = lint(strict, shared, home)
        assert (code, found) == (1, [("AL901", gone)]), err
        # The observation was shared (no second request), the verdict was not.
        assert "0 requests, 1 from the cache" in err and server.hits["/switch/gone"] == 1


def test_a_bad_signature_does_not_read_the_good_ones_result(tmp_path: Path) -> None:
    shared, home = tmp_path / "shared-cache", tmp_path / "home"
    with site() as server:
        good = server.url("/signed?signature=good-7f3a9c")
        bad = server.url("/signed?signature=bad-7f3a9c")
        assert lint(make_list(tmp_path / "a", [good]), shared, home)[:2] == (0, [])
        code, found, err = lint(make_list(tmp_path / "b", [bad]), shared, home)
        assert code == 1 and [c for c, _ in found] == ["AL901"], err
        assert server.hits["/signed?signature=bad-7f3a9c"] == 1
    stored = b"".join(p.read_bytes() for p in shared.iterdir() if p.is_file())
    assert b"7f3a9c" not in stored  # neither secret reached the disk


def test_no_cache_refreshes_what_it_checked(tmp_path: Path) -> None:
    shared, home = tmp_path / "shared-cache", tmp_path / "home"
    with site() as server:
        flips = server.url("/switch/flips")
        where = make_list(tmp_path / "a", [flips], FAST + "cache-failures = 3600\n")
        assert lint(where, shared, home)[:2] == (0, [])
        server.status["flips"] = 404
        code, found, err = lint(where, shared, home, "--no-cache")
        assert (code, found) == (1, [("AL901", flips)]), err
        # The next run reads what --no-cache saw, not the older "ok".
        code, found, err = lint(where, shared, home)
        assert (code, found) == (1, [("AL901", flips)]), err
        assert server.hits["/switch/flips"] == 2


# ------------------------------------------------------- 6. a hostile Location into the README


def test_a_hostile_location_cannot_write_markdown_or_html(tmp_path: Path) -> None:
    with site() as server:
        where = make_list(tmp_path / "list", [server.url("/hostile")])
        _, _, err = lint(where, None, tmp_path / "home", "--no-cache", "--fix",
                         "--unsafe-fixes")
        assert server.hits, err  # the redirect was followed (to a page that answers 200)
    text = (where / "README.md").read_text(encoding="utf-8")
    assert "[Evil]" not in text and "<img" not in text and "(https://phish" not in text, text
    entry = text.splitlines()[2]
    assert entry.startswith("- [Item 0](" + server.url("/any/ok%29%20-%20%5BEvil%5D")), entry
    assert entry.endswith(") - Item 0."), entry


def test_the_checker_stores_only_a_safe_final_url() -> None:
    policy = LinkPolicy(allow_private=True, retries=0, timeout=5.0)
    with site() as server:
        url, via = server.url("/hostile"), server.url("/via")
        got = check_links([url, via], policy)
    status = got[url]
    assert status.verdict is Verdict.REDIRECTED and status.permanent
    assert status.final_url == server.url(
        "/any/ok%29%20-%20%5BEvil%5D%28https://phish.example%29%20%3Cimg%20src=x%20"
        "onerror=alert%281%29%3E%20%28")
    # Every hop the network chose is kept in its safe form too.
    assert got[via].chain == (via, server.url("/hop/a%29%20%3Cb%3E%22%27%60%7Cx"))
    assert got[via].final_url == server.url("/any/end") and not got[via].permanent


# ---------------------------------------------------- 8. DNS failures and unbounded settings


class FakeDNS(AbstractResolver):
    """Answers from a script: per name, a list of outcomes, the last one repeated. An outcome
    is an address (a loopback one, declared public by the test) or a getaddrinfo error code."""

    def __init__(self, script: dict[str, list[str | int]]) -> None:
        self.script = script
        self.asked: Counter[str] = Counter()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        steps = self.script[host]
        outcome = steps[min(self.asked[host], len(steps) - 1)]
        self.asked[host] += 1
        if isinstance(outcome, int):
            raise socket.gaierror(outcome, {socket.EAI_AGAIN: "Temporary failure in name "
                                            "resolution"}.get(outcome, "Name or service not known"))
        return [ResolveResult(hostname=host, host=outcome, port=port, family=socket.AF_INET,
                              proto=0, flags=socket.AI_NUMERICHOST)]

    async def close(self) -> None:
        pass


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    """The fake resolver behind the checker's guarded resolver; 127.0.0.1 counts as public."""
    fake = FakeDNS({
        "servfail.test": [socket.EAI_AGAIN],
        "flaky.test": [socket.EAI_AGAIN, "127.0.0.1"],
        "nxdomain.test": [socket.EAI_NONAME],
        "nodata.test": [getattr(socket, "EAI_NODATA", socket.EAI_NONAME)],
        "broken.test": [socket.EAI_FAIL],
    })
    monkeypatch.setattr(safety, "ThreadedResolver", lambda: fake)
    real = safety.non_public_reason
    monkeypatch.setattr(safety, "non_public_reason",
                        lambda address: None if str(address) == "127.0.0.1" else real(address))
    return fake


def test_a_temporary_dns_failure_is_retried_and_never_dead(dns: FakeDNS) -> None:
    policy = LinkPolicy(allow_private=False, retries=2, backoff=0.01, timeout=5.0)
    with serve() as server:
        port = server.base.rsplit(":", 1)[1]
        urls = {name: f"http://{name}.test:{port}/ok"
                for name in ("servfail", "flaky", "nxdomain", "nodata", "broken")}
        got = check_links(list(urls.values()), policy)
    servfail = got[urls["servfail"]]
    assert servfail.verdict is Verdict.ERROR, servfail
    assert "temporary DNS failure" in servfail.reason and servfail.attempts == 3
    assert dns.asked["servfail.test"] == 3
    assert got[urls["broken"]].verdict is Verdict.ERROR  # EAI_FAIL: not a "no such name"
    flaky = got[urls["flaky"]]
    assert flaky.verdict is Verdict.OK and flaky.attempts == 2 and server.hits["/ok"] == 1
    for name in ("nxdomain", "nodata"):  # the name does not exist: dead at once
        status = got[urls[name]]
        assert (status.verdict, status.reason, status.attempts) == (
            Verdict.DEAD, "unknown host", 1), status


def test_retries_1100_neither_crashes_nor_hammers() -> None:
    # Before the fix: 1,025 requests (a few seconds), then OverflowError in the backoff
    # (0 * 2 ** 1024); now 11 requests.
    policy = LinkPolicy(allow_private=True, retries=1100, backoff=0.0, timeout=5.0)
    with serve() as server:
        url = server.url("/always-500")
        status = check_links([url], policy)[url]
        assert status.verdict is Verdict.ERROR and status.attempts == 11
        assert server.hits["/always-500"] == 11


def test_max_redirects_1e9_stops_at_20() -> None:
    policy = LinkPolicy(allow_private=True, retries=0, max_redirects=10**9, timeout=5.0)
    with serve() as server:
        url = server.url("/redirect/100")
        status = check_links([url], policy)[url]
        assert status.verdict is Verdict.ERROR and status.reason == "more than 20 redirects"
        assert sum(server.hits.values()) == 21


def test_every_numeric_setting_is_bounded_where_it_is_used() -> None:
    wild = LinkPolicy(retries=1100, max_redirects=10**9, timeout=1e9, connect_timeout=1e9,
                      backoff=1e300, max_retry_after=1e12)
    got = checker.bounded(wild)
    assert (got.retries, got.max_redirects, got.timeout, got.connect_timeout, got.backoff,
            got.max_retry_after) == (10, 20, 120.0, 120.0, 60.0, 300.0)
    for attempt in (1, 30, 1025, 10**6):  # the exponent is capped: no OverflowError
        assert 0 <= checker.backoff_wait(got, attempt) <= 300.0
        assert checker.backoff_wait(dataclasses.replace(got, backoff=0.0), attempt) == 0.0
    assert checker.backoff_wait(got, 3, retry_after=1e9) == 300.0


def test_the_azure_host_endpoint_is_not_public() -> None:
    # 168.63.129.16 answers every Azure VM (GitHub's hosted runners too). Only the classifier
    # is asked: no test connects to it.
    assert safety.non_public_reason("168.63.129.16") == "Azure host endpoint address"
    assert not safety.is_public_address("::ffff:168.63.129.16")
