"""``--format markdown``: the report for people and for an issue."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from awesome_lint.findings import Finding, Severity
from awesome_lint.report import markdown
from awesome_lint.result import FileError, LinkRecord, RunResult
from test_report import make, render

GITHUB = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "owner/list",
          "GITHUB_SHA": "abc123"}


@pytest.fixture
def no_github(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in (*GITHUB, "GITHUB_WORKSPACE"):
        monkeypatch.delenv(key, raising=False)


def _link(code: str, line: int, verdict: str, severity: Severity = Severity.ERROR) -> Finding:
    return make(line=line, code=code, name="x", url=f"https://l{line}.example/",
                verdict=verdict, severity=severity, message=f"{code} at {line}")


def test_clean_run_says_no_findings(no_github: None) -> None:
    text = render("markdown", RunResult(files=["README.md"]))
    assert text.startswith("# awesome-lint report\n")
    assert "All checks passed: 1 file, no findings." in text
    assert "| 0 | 0 | 0 | 1 | 0 |" in text
    assert text.rstrip().endswith("No findings.")
    assert "## " not in text


def test_links_grouped_by_verdict_then_rules_then_file_errors(no_github: None) -> None:
    result = RunResult(
        findings=[
            _link("AL904", 9, "error", Severity.WARNING),
            _link("AL901", 7, "dead"),
            _link("AL902", 3, "redirected", Severity.WARNING),
            _link("AL901", 2, "dead"),
            _link("AL905", 4, "archived", Severity.WARNING),
            make(line=5, code="AL301", name="duplicate-link", message="dup"),
            make(line=1, code="AL111", name="awesome-badge", severity=Severity.WARNING),
        ],
        files=["README.md"],
        errors=[FileError("gone.md", "no such file")],
    )
    text = render("markdown", result)
    headings = re.findall(r"^#+ .*$", text, re.M)
    assert headings == [
        "# awesome-lint report", "## Links", "### Dead links (2)", "### Redirected links (1)",
        "### Archived repositories (1)", "### Links that could not be checked (1)", "## Rules",
        "### AL111 awesome-badge (1)", "### AL301 duplicate-link (1)",
        "## Files that could not be checked (1)"]
    dead = text.split("### Dead links (2)")[1].split("###")[0]
    assert dead.index("README.md#L2") < dead.index("README.md#L7")
    assert "| [README.md:2](README.md#L2) | https://l2.example/ | error | AL901 at 2 |" in dead
    assert "| 3 | 4 | 0 | 1 | 1 |" in text
    assert "| gone.md | no such file |" in text


def test_line_links_on_github(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GITHUB.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("GITHUB_WORKSPACE", "/home/runner/work/list")
    assert markdown.line_url("README.md", 12) == (
        "https://github.com/owner/list/blob/abc123/README.md#L12")
    assert markdown.line_url("/home/runner/work/list/docs/a b(1).md", 3) == (
        "https://github.com/owner/list/blob/abc123/docs/a%20b%281%29.md#L3")
    assert markdown.line_url("./x.md", 1, env={}) == "x.md#L1"


def test_text_from_the_file_cannot_break_the_table_or_inject(no_github: None) -> None:
    message = "a | b <img src=x> [x](https://evil.test) `c` @org/team\nnext"
    path = "we|ird [x].md"
    text = render("markdown", RunResult(findings=[make(path, message=message)], files=[path]))
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<img" not in html and "evil.test\"" not in html and "<code>" not in html
    assert "@org" not in text
    rows = [line for line in text.splitlines() if line.startswith("| [")]
    assert len(rows) == 1 and rows[0].count(" | ") == 2
    links = [t.attrGet("href") for tok in tokens if tok.children for t in tok.children
             if t.type == "link_open"]
    assert links == ["we%7Cird%20%5Bx%5D.md#L1"]


def _size(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_capped_to_an_issue_body_with_a_count_of_what_was_left_out(no_github: None) -> None:
    # Escapes (| < >) and characters outside the BMP (two UTF-16 units each) in every row.
    message = "a|b <c> \U0001f600 " * 12
    findings = [_link("AL901", n, "dead") for n in range(1, 301)]
    findings += [make(line=n, code="AL301", name="duplicate-link", message=message)
                 for n in range(1, 1001)]
    result = RunResult(findings=findings, files=["README.md"],
                       errors=[FileError(f"f{n}.md", "no such file") for n in range(50)])
    text = render("markdown", result)
    assert _size(text) <= markdown.ISSUE_BODY_LIMIT < _size(
        markdown.render(result, limit=10**9))
    assert text.index("### Dead links (300)") < text.index("### AL301 duplicate-link (1000)")
    rows = [line for line in text.splitlines() if line.startswith("| [")]
    assert all(line.endswith(" |") and line.count(" | ") in (2, 3) for line in rows)
    shown = len(rows)
    assert 300 < shown < 1300
    left = re.search(r"_Left out: ([\d,]+) findings and 50 files that could not be checked "
                     r"\(([\d,]+) table rows\)", text)
    assert left is not None, text[-300:]
    assert int(left[1].replace(",", "")) == 1300 - shown
    assert int(left[2].replace(",", "")) == 1350 - shown
    assert text.rstrip().endswith("`--format json` has them all._")
    assert "## Files that could not be checked" not in text


def test_a_report_that_fits_is_not_cut(no_github: None) -> None:
    result = RunResult(findings=[_link("AL901", 2, "dead")], files=["README.md"])
    assert markdown.render(result) == markdown.render(result, limit=10**9)
    assert "Left out" not in markdown.render(result)
    small = markdown.render(result, limit=len(markdown.render(result)) - 1)
    assert "| [README.md:2]" not in small and "_Left out: 1 finding (1 table row)" in small


def test_links_line_counts_verdicts_and_history(no_github: None) -> None:
    links = [LinkRecord("README.md", n, (), f"https://l{n}.example/", verdict, details)
             for n, verdict, details in [(1, "ok", {}), (2, "dead", {"failures": 1}),
                                         (3, "ok", {"recovered": True}), (4, "ok", {})]]
    text = render("markdown", RunResult(files=["README.md"], links=links))
    assert "Links checked: 4 (dead 1, ok 3); newly failing: 1, recovered: 1.\n" in text
    assert "Links checked" not in render("markdown", RunResult(files=["README.md"]))
