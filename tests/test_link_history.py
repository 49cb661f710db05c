"""A link's history across runs (issue 14): ``dead-after``, AL913 failing-link, AL914
recovered-link, and the history the cache keeps. Runs a day apart are played with
``AWESOME_LINT_CLOCK``, against a server on 127.0.0.1 whose /toggle/ links go down and up."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from awesome_lint.cli import cli
from awesome_lint.links.cache import CACHE_FILENAME, HISTORY, LinkCache
from awesome_lint.links.history import with_history
from awesome_lint.links.observation import Kind, Observation, judge
from awesome_lint.links.policy import (
    DEAD_AFTER_MAX_RUNS,
    DeadAfter,
    LinkPolicy,
    parse_dead_after,
    policy_from_config,
)
from awesome_lint.verdicts import LinkStatus, Verdict
from conftest import link_list_folder
from linkserver import ServerState, serve
from test_action import git

FAST = "[links]\nretries = 1\nbackoff = 0.01\ntimeout = 5\n"
DAY = 86400.0
T0 = 1_790_000_000.0  # 2026-09-21T14:13:20Z


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder for the list (``tmp_path/list``, the working directory) and the cache beside it."""
    return link_list_folder(tmp_path, monkeypatch)


def lint(monkeypatch: pytest.MonkeyPatch, at: float, *args: str) -> tuple[int, dict[str, Any],
                                                                          str]:
    """One run of ``awesome-lint --links`` at the time ``at`` (JSON report, stderr)."""
    monkeypatch.setenv("AWESOME_LINT_CLOCK", repr(at))
    result = CliRunner().invoke(cli, ["--format", "json", "--links", "--allow-private", *args])
    return result.exit_code, json.loads(result.stdout), result.stderr


def link_findings(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(code, severity, verdict) of each link finding (AL9xx)."""
    return [(f["code"], f["severity"], f["verdict"]) for f in data["findings"]
            if f["code"].startswith("AL9")]


def write(where: Path, server: ServerState, dead_after: str | None = '"2 runs over 24h"',
          names: tuple[str, ...] = ("a",)) -> None:
    entries = "".join(f"- [{n}]({server.url(f'/toggle/{n}')}) - Entry {n}.\n" for n in names)
    (where / "README.md").write_text(f"# List\n\n{entries}", encoding="utf-8")
    rule = f"dead-after = {dead_after}\n" if dead_after else ""
    (where / ".awesome-lint.toml").write_text(FAST + rule, encoding="utf-8")


def test_a_flaky_link_never_reaches_error_and_is_reported_recovered(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve() as server:
        write(home, server)
        server.down = {"a"}
        code, first, _ = lint(monkeypatch, T0, "README.md")
        server.down = set()
        code2, second, stderr = lint(monkeypatch, T0 + 25 * 3600, "README.md")
    assert (code, code2) == (0, 0)
    assert link_findings(first) == [("AL913", "warning", "failing")]
    (failing,) = first["findings"]
    assert "failing since 2026-09-21 14:13 UTC (1 of 2): HTTP 404" in failing["message"]
    assert "reported as dead once it has failed in 2 runs over 24 h" in failing["message"]
    assert failing["details"] == {"first_failed": "2026-09-21T14:13:20Z", "failures": 1,
                                  "runs_needed": 2, "last_ok": None}
    assert link_findings(second) == [("AL914", "info", "recovered")]
    (recovered,) = second["findings"]
    assert recovered["details"] == {"recovered": True, "first_failed": "2026-09-21T14:13:20Z",
                                    "failures": 1, "last_ok": "2026-09-22T15:13:20Z"}
    assert "works again: it failed in 1 run since 2026-09-21 14:13 UTC" in recovered["message"]
    assert "1 recovered" in stderr
    assert server.hits["/toggle/a"] == 2


def test_failing_in_two_runs_a_day_apart_is_dead(home: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with serve() as server:
        write(home, server)
        server.down = {"a"}
        lint(monkeypatch, T0, "README.md")
        code, data, _ = lint(monkeypatch, T0 + DAY, "README.md")
    assert code == 1
    assert link_findings(data) == [("AL901", "error", "dead")]
    assert data["findings"][0]["details"] == {"first_failed": "2026-09-21T14:13:20Z",
                                              "failures": 2, "runs_needed": 2, "last_ok": None}


def test_failing_in_two_runs_an_hour_apart_stays_a_warning(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve() as server:
        write(home, server)
        lint(monkeypatch, T0 - DAY, "README.md")  # it worked the day before
        server.down = {"a"}
        lint(monkeypatch, T0, "README.md")
        code, data, _ = lint(monkeypatch, T0 + 3600, "README.md")
    assert code == 0
    assert link_findings(data) == [("AL913", "warning", "failing")]
    (finding,) = data["findings"]
    assert "(2 runs, not yet far enough apart)" in finding["message"]
    assert finding["details"] == {"first_failed": "2026-09-21T14:13:20Z", "failures": 2,
                                  "runs_needed": 2, "last_ok": "2026-09-20T14:13:20Z"}


def test_without_dead_after_a_gone_link_is_dead_at_once_and_newly_dead(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve() as server:
        write(home, server, dead_after=None)
        server.down = {"a"}
        code, data, _ = lint(monkeypatch, T0, "README.md")
        assert code == 1
        assert link_findings(data) == [("AL901", "error", "dead")]
        assert data["findings"][0]["details"] == {"first_failed": "2026-09-21T14:13:20Z",
                                                  "failures": 1, "last_ok": None}
        # --dead-after on the command line wins over the config (and "off" over either).
        code, data, _ = lint(monkeypatch, T0 + 60, "--dead-after", "3 runs over 1 day",
                             "README.md")
        assert link_findings(data) == [("AL913", "warning", "failing")]
        assert "(2 of 3)" in data["findings"][0]["message"]
        write(home, server)
        _, data, _ = lint(monkeypatch, T0 + 120, "--dead-after", "off", "README.md")
        assert link_findings(data) == [("AL901", "error", "dead")]


def test_a_failing_link_is_fetched_every_run_whatever_cache_failures_says(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve() as server:
        write(home, server, names=("a", "b"))
        (home / ".awesome-lint.toml").write_text(
            FAST + 'cache-failures = 86400\ndead-after = "2 runs over 24h"\n', encoding="utf-8")
        server.down = {"a"}
        for hour in range(3):
            lint(monkeypatch, T0 + hour * 3600, "README.md")
    assert server.hits["/toggle/a"] == 3  # a failure is never answered from the cache
    assert server.hits["/toggle/b"] == 1  # a working link is, for cache-max-age


def test_a_link_a_pull_request_adds_is_dead_at_once(home: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with serve() as server:
        write(home, server, names=("old",))
        git(home, "init", "-q", "-b", "main")
        git(home, "add", "-A")
        git(home, "commit", "-q", "-m", "base")
        base = git(home, "rev-parse", "HEAD")
        # The change edits the old entry's line and adds a new one; both links are down.
        u = server.url
        (home / "README.md").write_text(
            f"# List\n\n- [old]({u('/toggle/old')}) - Entry old, reworded.\n"
            f"- [new]({u('/toggle/new')}) - Entry new.\n", encoding="utf-8")
        git(home, "commit", "-q", "-am", "change")
        server.down = {"old", "new"}
        code, data, _ = lint(monkeypatch, T0, "--diff", base, "README.md")
    assert code == 1
    found = {(f["line"], f["code"], f["severity"]) for f in data["findings"]}
    assert found == {(3, "AL913", "warning"), (4, "AL901", "error")}


def test_the_history_is_bounded_per_link(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = 3 * HISTORY
    with serve() as server:
        write(home, server, names=("a", "b"))
        server.down = {"a"}
        for run in range(runs):
            _, data, _ = lint(monkeypatch, T0 + run * DAY, "README.md")
    assert server.hits["/toggle/a"] == runs
    database = home.parent / "cache" / CACHE_FILENAME
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT key, count(*) FROM observations GROUP BY key").fetchall()
    # 30 runs: the failing link keeps 10, the working one the two a history can read
    assert sorted(count for _, count in rows) == [2, HISTORY]
    (dead,) = [f for f in data["findings"] if f["code"] == "AL901"]
    assert dead["details"]["failures"] == HISTORY + 1  # the runs kept before this one, and it
    assert HISTORY >= DEAD_AFTER_MAX_RUNS


def test_a_bad_dead_after_is_one_line_naming_the_file_and_key(home: Path) -> None:
    (home / "README.md").write_text("# List\n", encoding="utf-8")
    (home / ".awesome-lint.toml").write_text('[links]\ndead-after = "soon"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["README.md"])
    assert result.exit_code == 2
    (line,) = [x for x in result.output.splitlines() if "dead-after" in x]
    assert ".awesome-lint.toml" in line and "links.dead-after: expected" in line
    (home / ".awesome-lint.toml").unlink()
    result = CliRunner().invoke(cli, ["--links", "--dead-after", "11 runs", "README.md"])
    assert result.exit_code == 2
    assert "--dead-after: runs must be an integer from 1 to 10" in result.output
    result = CliRunner().invoke(cli, ["--dead-after", "2 runs over 24h", "README.md"])
    assert result.exit_code == 2
    assert "--dead-after needs --links" in result.output


@pytest.mark.parametrize(("text", "expected"), [
    ("2 runs over 24h", DeadAfter(2, 24.0)),
    ("3 runs over 2 days", DeadAfter(3, 48.0)),
    ("1 run", DeadAfter(1, 0.0)),
    ({"runs": 2, "hours": 12}, DeadAfter(2, 12.0)),
    ("off", None),
    (False, None),
])
def test_dead_after_forms(text: object, expected: DeadAfter | None) -> None:
    assert parse_dead_after(text) == expected
    assert policy_from_config({"dead-after": text}).dead_after == expected


@pytest.mark.parametrize("bad", ["soon", "0 runs", "2 runs over -1h", {"hours": 3},
                                 {"runs": 2, "days": 1}, {"runs": True}, "2 runs over 9999h",
                                 3, True])
def test_dead_after_refuses(bad: object) -> None:
    with pytest.raises(ValueError, match=r"expected|must be"):
        parse_dead_after(bad)


def _seen(kind: Kind, at: float, status: int | None = None) -> Observation:
    return Observation("https://example.com/x", kind, status, checked=at)


def test_history_is_judged_under_the_reading_policy_and_skips_what_says_nothing() -> None:
    policy = LinkPolicy()
    dead = LinkStatus("https://example.com/x", Verdict.DEAD, 404, "HTTP 404")
    past = [_seen(Kind.TIMEOUT, T0 - 3600),  # neither counts nor ends the streak
            _seen(Kind.HTTP, T0 - DAY, 404),
            _seen(Kind.HTTP, T0 - 2 * DAY, 200),
            _seen(Kind.HTTP, T0 - 3 * DAY, 404)]  # before it last worked: not counted
    rule = DeadAfter(3, 24.0)
    status = with_history(dead, past, lambda o: judge(o, policy), T0, rule)
    assert status.verdict is Verdict.FAILING
    assert (status.extra["failures"], status.extra["first_failed"], status.extra["last_ok"]) == (
        2, "2026-09-20T14:13:20Z", "2026-09-19T14:13:20Z")
    # A policy that accepts 404 reads the same observations as a link that always worked.
    accepting = policy_from_config({"accept": {"*": [404]}})
    ok = LinkStatus("https://example.com/x", Verdict.OK)
    assert with_history(ok, past, lambda o: judge(o, accepting), T0, rule) == ok
    assert "recovered" not in with_history(ok, past, lambda o: judge(o, accepting), T0,
                                           rule).extra
    assert with_history(ok, past, lambda o: judge(o, policy), T0, rule).extra["recovered"]
    # Without grace (a link a pull request adds) it is dead at once.
    assert with_history(dead, past, lambda o: judge(o, policy), T0, rule,
                        grace=False).verdict is Verdict.DEAD


def test_the_history_is_read_with_the_answers_and_only_as_far_as_a_streak_reaches(
        tmp_path: Path) -> None:
    urls = [f"https://example.com/{n}" for n in range(4)]
    cache = LinkCache(tmp_path / "cache" / CACHE_FILENAME, max_age=DAY, failure_age=0,
                      now=lambda: T0, read=False)
    codes = {0: [200, 200, 404, 200], 1: [404, 500, 404, 200], 2: [200], 3: [404, 200, 404]}
    for age in range(4):
        cache.put_many(Observation(url, Kind.HTTP, codes[n][age], checked=T0 - age * 3600)
                       for n, url in enumerate(urls) if age < len(codes[n]))
    # --no-cache (read=False) trusts no answer, but the history is still read.
    assert cache.get_many(urls, lambda o: judge(o, LinkPolicy())) == {}
    found = cache.histories(urls)
    assert {url: [o.status for o in seen] for url, seen in found.items()} == {
        urls[0]: [200],  # it kept working: nothing more to tell
        urls[1]: [404, 500, 404, 200],
        urls[2]: [200],
        urls[3]: [404, 200]}  # up to the first plain 2xx after the newest: the streak's end
    cache.read = True
    statements: list[str] = []
    assert cache._conn is not None
    cache._conn.set_trace_callback(statements.append)
    assert len(cache.get_many(urls, lambda o: judge(o, LinkPolicy()))) == 2
    assert cache.histories(urls) == found
    # One read for both, of each URL's newest row (and whether the one before it plainly
    # worked); the older rows only where the history goes on: urls[1]'s streak, and when
    # urls[3], failing now, last worked.
    selects = [s for s in statements if s.startswith(("SELECT", "WITH"))]
    assert len(selects) == 2
    assert [cache.key(url) in selects[1] for url in urls] == [False, True, False, True]
    cache.put_many([Observation(urls[2], Kind.HTTP, 404, checked=T0 + 60)])
    assert [o.status for o in cache.histories(urls)[urls[2]]] == [404, 200]  # read again
    cache.close()


def test_a_soft_dead_page_in_the_history_is_a_failed_run_not_one_that_worked(
        tmp_path: Path) -> None:
    url = "https://example.com/gone"
    policy = LinkPolicy()
    evidence = {"gone": "soft-404", "why": "the same page as a missing path"}
    cache = LinkCache(tmp_path / "cache" / CACHE_FILENAME, max_age=DAY, failure_age=0,
                      now=lambda: T0)
    cache.put_many([Observation(url, Kind.HTTP, 200, checked=T0 - 2 * DAY),
                    Observation(url, Kind.HTTP, 200, checked=T0 - DAY, evidence=evidence)])
    cache.put_many([Observation(url, Kind.HTTP, 200, checked=T0, evidence=evidence)])
    past = cache.histories([url])[url]  # a 200 that was a soft 404 does not end the streak
    assert [o.checked for o in past] == [T0, T0 - DAY, T0 - 2 * DAY]
    cache.close()
    now = judge(past[0], policy)
    assert now is not None and now.verdict is Verdict.SOFT_404
    status = with_history(now, past[1:], lambda o: judge(o, policy), T0, DeadAfter(2, 24.0))
    assert status.verdict is Verdict.SOFT_404  # failed in two runs a day apart: gone
    assert (status.extra["failures"], status.extra["last_ok"]) == (2, "2026-09-19T14:13:20Z")
