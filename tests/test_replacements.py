"""Replacements for gone links (issue 14 part 4): the new address (a moved repository, a
permanent redirect) or the Internet Archive's latest copy (opt-in), in every output; only new
addresses become fixes. The archive is a fake on 127.0.0.1 started here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

import pytest
from aiohttp import web
from click.testing import CliRunner

from awesome_lint.cli import cli
from awesome_lint.config import Config
from awesome_lint.engine import run_rules
from awesome_lint.findings import Applicability, Finding, Severity
from awesome_lint.fixes import apply_fixes
from awesome_lint.links.archive import BadAnswerError, parse_answer
from awesome_lint.links.policy import PolicyError, policy_from_config
from awesome_lint.model import Link
from awesome_lint.parse import parse
from awesome_lint.replacements import (
    Replacement,
    new_location,
    replacement_for,
    wants_archived_copy,
)
from awesome_lint.rules.link_health import DeadLink, _LinkRule
from awesome_lint.verdicts import GONE, LinkStatus, Verdict
from linkserver import ServerState, serve, serve_apps

FAST = "[links]\nretries = 1\nbackoff = 0.01\ntimeout = 5\n"
PAGE = "https://example.com/docs/page"


def gone(url: str = PAGE, verdict: Verdict = Verdict.DEAD, **more: Any) -> LinkStatus:
    return LinkStatus(url, verdict, 404, "HTTP 404", **more)


# --------------------------------------------------------------------------- which suggestion


def test_gone_is_the_four_verdicts_that_say_the_page_is_gone() -> None:
    assert {Verdict.DEAD, Verdict.SOFT_404, Verdict.PARKED, Verdict.REDIRECT_TO_ROOT} == GONE


def test_a_moved_repository_is_its_new_address() -> None:
    status = gone("https://github.com/old/repo",
                  extra={"moved_to": "https://github.com/new/repo"})
    assert replacement_for(status) == Replacement("https://github.com/new/repo", "moved")
    assert not wants_archived_copy(status)


def test_a_permanent_redirect_elsewhere_is_the_new_address() -> None:
    status = gone(final_url="https://docs.example.org/page", permanent=True)
    assert replacement_for(status) == Replacement("https://docs.example.org/page", "redirect")


@pytest.mark.parametrize("status", [
    gone(final_url="https://docs.example.org/page", permanent=False),  # temporary
    gone(final_url="https://example.com/", permanent=True),  # the home page: no replacement
    gone(final_url="https://example.com", permanent=True),
    gone(final_url=PAGE + "#part", permanent=True),  # the same page
    gone(final_url="javascript:alert(1)", permanent=True),
    gone(verdict=Verdict.REDIRECT_TO_ROOT, final_url="https://example.com/other",
         permanent=True),
    gone(verdict=Verdict.PARKED, final_url="https://lander.example/sale", permanent=True),
    gone(extra={"moved_to": "javascript:alert(1)"}),
    gone(extra={"moved_to": 42}),
    gone(extra={"moved_to": PAGE}),
], ids=["temporary", "root", "bare-root", "same-page", "javascript", "redirect-to-root",
        "parked", "moved-javascript", "moved-not-a-string", "moved-to-itself"])
def test_no_new_address(status: LinkStatus) -> None:
    assert replacement_for(status) is None
    assert wants_archived_copy(status)


@pytest.mark.parametrize("verdict", [v for v in Verdict if v not in GONE])
def test_only_gone_links_get_a_suggestion(verdict: Verdict) -> None:
    status = LinkStatus(PAGE, verdict, extra={"moved_to": "https://example.org/new"},
                        final_url="https://example.org/new", permanent=True)
    assert replacement_for(status) is None
    assert not wants_archived_copy(status)


def test_the_links_fragment_is_kept_and_the_url_made_safe() -> None:
    status = gone(PAGE + "#install", extra={"moved_to": "https://example.org/a b)<x>"})
    found = replacement_for(status)
    assert found == Replacement("https://example.org/a%20b%29%3Cx%3E#install", "moved")


def test_a_new_address_wins_over_an_archived_copy() -> None:
    copy = {"url": "https://web.archive.org/web/20190301000000/" + PAGE, "kind": "archive",
            "archived_at": "2019-03-01T00:00:00Z"}
    status = gone(extra={"replacement": copy})
    assert replacement_for(status) == Replacement(copy["url"], "archive", copy["archived_at"])
    moved = replace(status, extra={**status.extra, "moved_to": "https://example.org/new"})
    assert replacement_for(moved) == Replacement("https://example.org/new", "moved")


@pytest.mark.parametrize("data", [
    None, [], "https://web.archive.org/x",
    {"url": "javascript:alert(1)", "kind": "archive", "archived_at": "2019-03-01T00:00:00Z"},
    {"url": "https://web.archive.org/x", "kind": "archive"},
    {"url": "https://web.archive.org/x", "kind": "archive", "archived_at": "yesterday"},
    {"url": "https://web.archive.org/x", "kind": "mirror"},
    {"url": "https://web.archive.org/x", "kind": "moved", "archived_at": "2019-03-01T00:00:00Z"},
])
def test_a_malformed_recorded_replacement_is_none(data: object) -> None:
    assert replacement_for(gone(extra={"replacement": data})) is None


# --------------------------------------------------------------------------- the rules


def _findings(text: str, statuses: dict[str, LinkStatus],
              rules: list[type[_LinkRule]] | None = None) -> list[Finding]:
    doc = parse(text, "README.md")
    doc = replace(doc, link_statuses=statuses)
    return run_rules(doc, rules or [DeadLink], Config())


LIST = "# List\n\n- [Gone](https://github.com/old/repo#readme) - A project that moved.\n"


def test_a_move_is_named_in_message_and_details_and_is_an_unsafe_fix() -> None:
    url = "https://github.com/old/repo#readme"
    status = gone(url, extra={"moved_to": "https://github.com/new/repo"})
    [finding] = _findings(LIST, {url: status})
    assert finding.message.endswith(
        "; replacement: https://github.com/new/repo#readme (the repository's new address)")
    assert finding.details == {"replacement": {"url": "https://github.com/new/repo#readme",
                                               "kind": "moved"}}
    assert finding.applicability is Applicability.UNSAFE
    assert apply_fixes(LIST, [finding], unsafe=False)[0] == LIST
    fixed, count = apply_fixes(LIST, [finding], unsafe=True)
    assert count == 1
    assert fixed == LIST.replace("old/repo#readme", "new/repo#readme")


def test_an_archived_copy_is_named_but_never_an_edit() -> None:
    url = "https://github.com/old/repo#readme"
    copy = {"url": "https://web.archive.org/web/20190301123456/https://github.com/old/repo",
            "kind": "archive", "archived_at": "2019-03-01T12:34:56Z"}
    [finding] = _findings(LIST, {url: gone(url, extra={"replacement": copy})})
    assert finding.message.endswith(f"; replacement: {copy['url']} (archived copy from "
                                    "2019-03-01)")
    assert finding.details == {"replacement": copy}
    assert finding.fix is None
    assert apply_fixes(LIST, [finding], unsafe=True)[0] == LIST


class _SoftDead(_LinkRule):
    """A gone-verdict rule with no replacement code of its own (as AL907-AL909 are)."""

    code = "AL999"
    name = "test-soft-404"
    summary = "A test rule."
    severity = Severity.WARNING
    verdict = Verdict.SOFT_404
    fixable: ClassVar[bool] = True

    def report(self, link: Link, status: LinkStatus) -> Any:
        return self.violation(link, status, f"{link.url} says it is gone")


def test_every_gone_verdict_rule_gets_the_suggestion_from_the_shared_path() -> None:
    url = "https://github.com/old/repo#readme"
    status = gone(url, Verdict.SOFT_404, extra={"moved_to": "https://github.com/new/repo"})
    [finding] = _findings(LIST, {url: status}, [_SoftDead])
    assert finding.details["replacement"] == {"url": "https://github.com/new/repo#readme",
                                              "kind": "moved"}
    assert finding.message.endswith("(the repository's new address)")
    assert finding.applicability is Applicability.UNSAFE


def test_a_soft_404_behind_a_permanent_redirect_offers_no_redirect_target() -> None:
    # The redirect ended at the site's "not found" page: that page is the evidence, not a
    # new address.
    status = gone(PAGE, Verdict.SOFT_404, final_url="https://example.org/not-found",
                  permanent=True)
    assert new_location(status) is None
    assert wants_archived_copy(status)


# --------------------------------------------------------------------------- the archive's answer


def _answer(closest: object) -> bytes:
    return json.dumps({"url": PAGE, "archived_snapshots": {"closest": closest}}).encode()


def test_the_documented_answer_gives_an_https_copy() -> None:
    body = _answer({"available": True, "status": "200", "timestamp": "20190301123456",
                    "url": "http://web.archive.org/web/20190301123456/" + PAGE})
    assert parse_answer(body) == ("https://web.archive.org/web/20190301123456/" + PAGE,
                                  "20190301123456")


@pytest.mark.parametrize("body", [
    b'{"url": "x", "archived_snapshots": {}}',
    _answer({"available": False, "status": "200", "timestamp": "20190301123456",
             "url": "http://web.archive.org/web/20190301123456/x"}),
    _answer({"available": True, "status": "404", "timestamp": "20190301123456",
             "url": "http://web.archive.org/web/20190301123456/x"}),  # a copy of the 404
])
def test_no_copy(body: bytes) -> None:
    assert parse_answer(body) is None


@pytest.mark.parametrize("body", [
    b"", b"<html>busy</html>", b"\xff\xfe", b"[]", b'{"archived_snapshots": []}',
    b"[" * 100_000 + b"]" * 100_000,  # deeper than the JSON reader goes
    _answer("closest"),
    _answer({"available": True, "status": "200", "timestamp": "20190301123456",
             "url": "javascript:alert(document.cookie)//web.archive.org"}),
    _answer({"available": True, "status": "200", "timestamp": "20190301123456",
             "url": "https://evil.example/web.archive.org/x"}),
    _answer({"available": True, "status": "200", "timestamp": "20190301123456",
             "url": "https://archive.org.evil.example/x"}),
    _answer({"available": True, "status": "200", "timestamp": "2019-03-01",
             "url": "https://web.archive.org/web/2019/x"}),
    _answer({"available": True, "status": "200", "timestamp": 20190301123456,
             "url": "https://web.archive.org/web/2019/x"}),
], ids=["empty", "html", "not-utf8", "list", "snapshots-list", "nested", "closest-string",
        "javascript", "other-host", "lookalike-host", "iso-timestamp", "number-timestamp"])
def test_a_malformed_or_hostile_answer_is_refused(body: bytes) -> None:
    with pytest.raises(BadAnswerError):
        parse_answer(body)


def test_an_odd_copy_address_is_written_encoded() -> None:
    body = _answer({"available": True, "status": "200", "timestamp": "20190301123456",
                    "url": "http://web.archive.org/web/20190301123456/x) <b>|[y]"})
    url, _ = parse_answer(body) or ("", "")
    assert url == "https://web.archive.org/web/20190301123456/x%29%20%3Cb%3E%7C%5By%5D"


# --------------------------------------------------------------------------- the config


def test_a_config_may_turn_archived_copies_on_but_not_choose_the_archive() -> None:
    assert policy_from_config({"suggest-archived": True}).suggest_archived
    assert not policy_from_config({}).suggest_archived
    with pytest.raises(PolicyError, match=r"archive-api.*command line"):
        policy_from_config({"archive-api": "https://evil.example/available"})


# --------------------------------------------------------------------------- end to end


@dataclass
class FakeArchive:
    """The availability API on 127.0.0.1: ``mode`` says how it answers; ``asked`` is every
    URL it was asked about, in order."""

    base: str = ""
    mode: str = "copy"
    asked: list[str] = field(default_factory=list)
    timestamp: str = "20190301000000"

    def answer(self, url: str) -> web.Response:
        if self.mode == "none":
            return web.json_response({"url": url, "archived_snapshots": {}})
        if self.mode == "429":
            return web.Response(status=429)
        if self.mode == "huge":  # a well-formed answer, but far over the cap
            return web.json_response({"archived_snapshots": {"closest": {
                "available": True, "url": f"http://web.archive.org/web/{self.timestamp}/{url}",
                "timestamp": self.timestamp, "status": "200"}}, "pad": "x" * 10_000_000})
        if self.mode == "malformed":
            return web.Response(text='{"archived_snapshots": {"closest": ', status=200)
        copy = ("javascript:alert(1)" if self.mode == "javascript"
                else f"http://web.archive.org/web/{self.timestamp}/{url}")
        return web.json_response({"url": url, "archived_snapshots": {"closest": {
            "available": True, "url": copy, "timestamp": self.timestamp, "status": "200"}}})


@contextmanager
def fake_archive() -> Iterator[FakeArchive]:
    fake = FakeArchive()

    async def available(request: web.Request) -> web.StreamResponse:
        fake.asked.append(request.query.get("url", ""))
        return fake.answer(request.query.get("url", ""))

    app = web.Application()
    app.router.add_get("/wayback/available", available)
    with serve_apps([app]) as (base,):
        fake.base = base
        yield fake


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeArchive]:
    (tmp_path / "list").mkdir()
    monkeypatch.chdir(tmp_path / "list")  # (a cache inside the linted folder is not used)
    monkeypatch.setenv("AWESOME_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.setenv("CI", "true")
    with fake_archive() as fake:
        monkeypatch.setenv("AWESOME_LINT_ARCHIVE_API", fake.base + "/wayback/available")
        yield fake


def write_list(server: ServerState, config: str = FAST) -> str:
    u = server.url
    text = ("# List\n\n"
            f"- [Up]({u('/ok')}) - Fine.\n"
            f"- [Gone]({u('/status/404?a')}) - Dead.\n"
            f"- [Again]({u('/status/404?a#part')}) - The same dead page.\n"
            f"- [Other]({u('/status/410?b')}) - Dead too.\n"
            f"- [Walled]({u('/status/403')}) - Bot wall.\n"
            f"- [Down]({u('/always-500')}) - Server errors.\n")
    Path("README.md").write_text(text, encoding="utf-8")
    Path(".awesome-lint.toml").write_text(config, encoding="utf-8")
    return text


def run(*args: str) -> tuple[int, dict[str, Any], str]:
    result = CliRunner().invoke(cli, ["--format", "json", "--links", "--allow-private", *args,
                                      "README.md"])
    return result.exit_code, json.loads(result.stdout), result.stderr


def replacements(data: dict[str, Any]) -> dict[int, Any]:
    return {f["line"]: f.get("details", {}).get("replacement") for f in data["findings"]
            if f["code"] == "AL901"}


def test_archived_copies_are_off_unless_asked(archive: FakeArchive) -> None:
    with serve() as server:
        write_list(server)
        code, data, _ = run()
    assert code == 1
    assert replacements(data) == {4: None, 5: None, 6: None}
    assert archive.asked == []


def test_archived_copies_of_gone_links_only_each_asked_once_then_cached(
        archive: FakeArchive) -> None:
    with serve() as server:
        write_list(server)
        code, data, stderr = run("--suggest-archived")
        u = server.url
        assert sorted(archive.asked) == [u("/status/404?a"), u("/status/410?b")]
        copy = {"kind": "archive", "archived_at": "2019-03-01T00:00:00Z"}
        assert replacements(data) == {
            4: {"url": f"https://web.archive.org/web/20190301000000/{u('/status/404?a')}",
                **copy},
            5: {"url": f"https://web.archive.org/web/20190301000000/{u('/status/404?a')}",
                **copy},
            6: {"url": f"https://web.archive.org/web/20190301000000/{u('/status/410?b')}",
                **copy}}
        assert code == 1
        assert "Internet Archive: 2 archived copies for 2 gone links (0 answers from the " \
               "cache, 2 requests)" in stderr
        assert not any(f["fixable"] for f in data["findings"] if f["code"] == "AL901")

        run("--suggest-archived")  # the answers come from the cache
        assert len(archive.asked) == 2
        run("--suggest-archived", "--no-cache")  # asked again
        assert len(archive.asked) == 4


def test_the_config_may_turn_them_on(archive: FakeArchive) -> None:
    with serve() as server:
        write_list(server, FAST + "suggest-archived = true\n")
        _, data, _ = run()
    assert len(archive.asked) == 2
    assert all(r["kind"] == "archive" for r in replacements(data).values())


def test_no_copy_is_no_suggestion_and_is_remembered(archive: FakeArchive) -> None:
    archive.mode = "none"
    with serve() as server:
        write_list(server)
        _, data, stderr = run("--suggest-archived")
        assert replacements(data) == {4: None, 5: None, 6: None}
        assert "0 archived copies for 2 gone links" in stderr
        run("--suggest-archived")
    assert len(archive.asked) == 2


def test_text_and_markdown_show_the_copy(archive: FakeArchive) -> None:
    with serve() as server:
        write_list(server)
        result = CliRunner().invoke(cli, ["--links", "--allow-private", "--suggest-archived",
                                          "--report", "markdown:report.md", "README.md"])
    u = server.url
    copy = f"https://web.archive.org/web/20190301000000/{u('/status/410?b')}"
    line = next(line for line in result.stdout.splitlines() if ":6:" in line)
    assert line.endswith(f"; replacement: {copy} (archived copy from 2019-03-01)")
    report = Path("report.md").read_text(encoding="utf-8")
    assert "| Location | Link | Severity | Message | Replacement |" in report
    row = next(row for row in report.splitlines() if "410" in row)
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[3].endswith("find its new address")  # the suggestion in its own column
    assert cells[4] == f"{copy} (archived copy from 2019-03-01)"


def test_an_archive_suggestion_never_becomes_an_edit(archive: FakeArchive) -> None:
    with serve() as server:
        text = write_list(server)
        code, data, _ = run("--suggest-archived", "--fix", "--unsafe-fixes")
    assert Path("README.md").read_text(encoding="utf-8") == text
    assert code == 1 and all(replacements(data).values())


@pytest.mark.parametrize("mode", ["huge", "malformed", "javascript"])
def test_a_hostile_answer_gives_no_suggestion_and_no_crash(archive: FakeArchive,
                                                           mode: str) -> None:
    archive.mode = mode
    with serve() as server:
        write_list(server)
        code, data, stderr = run("--suggest-archived")
        assert code == 1  # the dead links, not a crash (2)
        assert replacements(data) == {4: None, 5: None, 6: None}
        assert "Internet Archive: 2 lookups failed" in stderr
        assert "Traceback" not in stderr
        run("--suggest-archived")  # a bad answer is not remembered
    assert len(archive.asked) == 4


def test_a_refusal_ends_the_runs_lookups(archive: FakeArchive) -> None:
    archive.mode = "429"
    with serve() as server:
        u = server.url
        text = "# List\n\n" + "".join(f"- [Gone {n}]({u(f'/status/404?{n}')}) - Dead.\n"
                                      for n in range(10))
        Path("README.md").write_text(text, encoding="utf-8")
        Path(".awesome-lint.toml").write_text(FAST, encoding="utf-8")
        code, _, stderr = run("--suggest-archived")
    assert code == 1
    assert len(archive.asked) <= 2  # the requests already in flight, then none
    assert "HTTP 429" in stderr


def test_a_redirect_to_a_dead_page_is_no_replacement(archive: FakeArchive) -> None:
    """The page is gone at the redirect's target too: the archive is asked about the link."""
    with serve() as server:
        server.redirect_target = server.url("/status/404?moved")
        Path("README.md").write_text(f"# List\n\n- [Gone]({server.url('/elsewhere')}) - "
                                     "Dead.\n", encoding="utf-8")
        Path(".awesome-lint.toml").write_text(FAST, encoding="utf-8")
        _, data, _ = run()
        assert replacements(data) == {3: None}
        _, data, _ = run("--suggest-archived")
    assert archive.asked == [server.url("/elsewhere")]
    assert replacements(data)[3]["kind"] == "archive"


def test_suggest_archived_needs_links() -> None:
    result = CliRunner().invoke(cli, ["--suggest-archived", "README.md"])
    assert result.exit_code == 2
    assert "--suggest-archived needs --links" in result.stderr
