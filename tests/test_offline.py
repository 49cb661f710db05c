"""Offline is not dead (issue 12): with no network or no DNS the run says so in one line and
exits 2, and no link is called dead; a single unknown host among working ones still is.

Every name resolves through a fake ``getaddrinfo``: the known ones to 127.0.0.1, the others
fail as the test says. No packet goes to any address but 127.0.0.1.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from awesome_lint.cli import cli
from awesome_lint.links.checker import OFFLINE_HOSTS, network_down
from awesome_lint.links.observation import Hop, Kind, Observation
from linkserver import ServerState, serve

FAST = "[links]\nretries = 1\nbackoff = 0.01\ntimeout = 5\n"


class FakeDNS:
    """``socket.getaddrinfo`` for the test: ``known`` names are 127.0.0.1, IP literals are
    themselves (loopback only), every other name fails with ``failure`` (an EAI_* code)."""

    def __init__(self, known: set[str], failure: int) -> None:
        self.known = known
        self.failure = failure
        self.real = socket.getaddrinfo
        self.asked: list[str] = []

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        self.asked.append(name)
        if name in self.known:
            name = "127.0.0.1"
        elif name != "127.0.0.1":
            message = {socket.EAI_AGAIN: "Temporary failure in name resolution"}.get(
                self.failure, "Name or service not known")
            raise socket.gaierror(self.failure, message)
        answers = self.real(name, port, *args, **kwargs)
        assert all(a[4][0] == "127.0.0.1" for a in answers)  # loopback only, ever
        return answers


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AWESOME_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("AWESOME_LINT_NETWORK_CANARY", raising=False)
    monkeypatch.setenv("CI", "true")
    (tmp_path / ".awesome-lint.toml").write_text(FAST, encoding="utf-8")
    return tmp_path


@pytest.fixture
def server() -> Iterator[ServerState]:
    with serve() as state:
        yield state


def dns(monkeypatch: pytest.MonkeyPatch, known: set[str], failure: int) -> FakeDNS:
    fake = FakeDNS(known, failure)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


def write_list(where: Path, links: list[str]) -> None:
    entries = "".join(f"- [Item {i}]({url}) - Entry {i}.\n" for i, url in enumerate(links))
    (where / "README.md").write_text(f"# List\n\n{entries}", encoding="utf-8")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args, "--links", "--allow-private", "README.md"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def link_codes(stdout: str) -> list[str]:
    return [f["code"] for f in json.loads(stdout)["findings"] if f["code"].startswith("AL9")]


@pytest.mark.parametrize("failure", [socket.EAI_NONAME, socket.EAI_AGAIN],
                         ids=["no-such-name", "temporary"])
def test_no_dns_at_all_is_one_line_and_exit_2_never_dead(
        env: Path, server: ServerState, monkeypatch: pytest.MonkeyPatch, failure: int) -> None:
    port = server.base.rsplit(":", 1)[1]
    hosts = ["a.example", "b.example", "c.example", "d.example"]
    write_list(env, [f"http://{host}:{port}/ok" for host in hosts])
    fake = dns(monkeypatch, set(), failure)
    code, stdout, stderr = run()
    assert code == 2, stdout + stderr
    lines = [line for line in stdout.splitlines() if "network unavailable" in line]
    assert lines == ["README.md: error: network unavailable: 4 links not checked"]
    assert "AL901" not in stdout and "AL904" not in stdout
    assert "4 not checked (network unavailable)" in stderr
    assert set(hosts) <= set(fake.asked)
    assert sum(server.hits.values()) == 0
    # The same in JSON: the error, and no link finding at all.
    code, stdout, _ = run("--format", "json", "--no-cache")
    data = json.loads(stdout)
    assert code == 2 and link_codes(stdout) == []
    assert [e["message"] for e in data["summary"]["file_errors"]] == [
        "network unavailable: 4 links not checked"]


def test_offline_is_not_cached_as_dead(env: Path, server: ServerState,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    port = server.base.rsplit(":", 1)[1]
    hosts = ["a.example", "b.example", "c.example"]
    write_list(env, [f"http://{host}:{port}/status/404" for host in hosts])
    dns(monkeypatch, set(), socket.EAI_NONAME)
    assert run()[0] == 2
    dns(monkeypatch, set(hosts), socket.EAI_NONAME)  # the network is back
    code, stdout, _ = run("--format", "json")
    assert code == 1 and link_codes(stdout) == ["AL901"] * 3  # fetched, not read as offline
    assert server.hits["/status/404"] == 3


def test_one_unknown_host_among_working_ones_is_dead(env: Path, server: ServerState,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    port = server.base.rsplit(":", 1)[1]
    working = ["a.example", "b.example", "c.example"]
    write_list(env, [*(f"http://{host}:{port}/ok" for host in working),
                     f"http://typo.example:{port}/ok"])
    dns(monkeypatch, set(working), socket.EAI_NONAME)
    code, stdout, stderr = run("--format", "json")
    assert code == 1
    data = json.loads(stdout)
    assert [(f["code"], f["line"], f["message"]) for f in data["findings"]
            if f["code"].startswith("AL9")] == [
        ("AL901", 6, f"Dead link http://typo.example:{port}/ok (unknown host): remove the "
                     "entry or find its new address")]
    assert data["summary"]["file_errors"] == []
    assert "network unavailable" not in stdout + stderr


def test_unknown_hosts_only_as_many_as_a_pull_request_adds_are_dead(
        env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fewer distinct hosts than OFFLINE_HOSTS say nothing about the network.
    write_list(env, [f"http://gone{i}.example/x" for i in range(OFFLINE_HOSTS - 1)])
    dns(monkeypatch, set(), socket.EAI_NONAME)
    code, stdout, _ = run("--format", "json")
    assert code == 1 and link_codes(stdout) == ["AL901"] * (OFFLINE_HOSTS - 1)


def test_a_canary_that_gets_no_answer_means_offline(env: Path, server: ServerState,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    write_list(env, [server.url("/ok"), server.url("/status/404")])
    dns(monkeypatch, set(), socket.EAI_NONAME)
    # A port that is bound but not listening refuses connections, and stays ours meanwhile.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        monkeypatch.setenv("AWESOME_LINT_NETWORK_CANARY",
                           f"http://127.0.0.1:{closed.getsockname()[1]}/")
        code, stdout, _ = run()
    assert code == 2
    assert "network unavailable: 2 links not checked" in stdout
    assert "AL901" not in stdout
    assert sum(server.hits.values()) == 0  # no link was fetched at all


def test_a_canary_that_answers_lets_the_check_run(env: Path, server: ServerState,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    write_list(env, [server.url("/ok"), server.url("/status/404")])
    dns(monkeypatch, set(), socket.EAI_NONAME)
    monkeypatch.setenv("AWESOME_LINT_NETWORK_CANARY", server.url("/status/404"))
    code, stdout, _ = run("--format", "json")
    assert code == 1 and link_codes(stdout) == ["AL901"]  # any answer is a working network
    assert server.hits["/status/404"] == 2


def test_loopback_refused_by_policy_is_skipped_by_policy_not_down(
        env: Path, server: ServerState) -> None:
    write_list(env, [server.url("/ok")])
    result = CliRunner().invoke(cli, ["--format", "json", "--links", "README.md"])
    data = json.loads(result.stdout)
    [finding] = [f for f in data["findings"] if f["code"].startswith("AL9")]
    assert finding["code"] == "AL904"
    assert finding["message"] == (
        f"Did not check {server.url('/ok')} (skipped by policy: refused to connect to "
        "127.0.0.1 (loopback address); --allow-private lifts this)")
    assert "may be down" not in result.stdout
    assert data["summary"]["file_errors"] == []  # one host, refused by us: not "offline"
    assert sum(server.hits.values()) == 0


def test_the_github_api_error_is_reported_once(env: Path, server: ServerState,
                                               monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    # 250 repositories: three API batches, each refused; one warning for the run.
    write_list(env, [f"https://github.com/owner/repo{i}" for i in range(250)])
    dns(monkeypatch, {"github.com"}, socket.EAI_NONAME)  # github.com is 127.0.0.1:443: refused
    monkeypatch.setenv("AWESOME_LINT_GITHUB_API", server.url("/status/401"))
    monkeypatch.setenv("GITHUB_TOKEN", "secret-token-123")
    with caplog.at_level(logging.DEBUG):
        _, stdout, stderr = run("--format", "json")
    said = [line for line in stderr.splitlines() if "GitHub API" in line]
    assert len(said) == 1 and said[0].startswith("awesome-lint: warning: GitHub API: "), said
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "secret-token-123" not in stdout + stderr


@pytest.mark.parametrize(("observed", "down"), [
    ([Observation(f"http://h{i}.example/", Kind.NO_SUCH_HOST) for i in range(3)], True),
    ([Observation(f"http://h{i}.example/", kind) for i, kind in
      enumerate([Kind.DNS_TEMPORARY, Kind.CONNECT, Kind.REFUSED])], True),
    ([Observation(f"http://h{i}.example/", Kind.NO_SUCH_HOST) for i in range(2)], False),
    ([Observation(f"http://h.example/{i}", Kind.NO_SUCH_HOST) for i in range(5)], False),
    ([*(Observation(f"http://h{i}.example/", Kind.NO_SUCH_HOST) for i in range(5)),
      Observation("http://up.example/", Kind.HTTP, 404)], False),
    ([*(Observation(f"http://h{i}.example/", Kind.CONNECT) for i in range(3)),
      Observation("http://up.example/", Kind.TIMEOUT)], False),
    ([*(Observation(f"http://h{i}.example/", Kind.CONNECT) for i in range(3)),
      Observation("http://r.example/", Kind.CONNECT, hops=(Hop("http://x/", 301),))], False),
    ([*(Observation(f"http://h{i}.example/", Kind.CONNECT) for i in range(3)),
      Observation("http://127.0.0.1/", Kind.BLOCKED_ADDRESS)], True),
], ids=["three-nxdomain", "dns-and-connect", "two-hosts", "one-host", "one-answered",
        "a-timeout-may-be-an-answer", "a-redirect-answered", "policy-refusals-say-nothing"])
def test_network_down_needs_three_hosts_and_no_answer(observed: list[Observation],
                                                      down: bool) -> None:
    assert network_down(observed) is down
