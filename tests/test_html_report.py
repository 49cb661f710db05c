"""``--format html`` and the link records it reads: what the page says, from hand-made link
records (issue 14's details keys, as the other link-health helpers fill them), and the records
a real ``--links`` run (loopback only) gives."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from awesome_lint.cli import cli
from awesome_lint.findings import Severity
from awesome_lint.report import health, html
from awesome_lint.result import LinkRecord, RunResult
from awesome_lint.session import RunOptions, lint_paths
from linkserver import serve
from test_report import make

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag, self.attrs, self.text = tag, attrs, ""


class Page(HTMLParser):
    """Every element of a page with its attributes and all the text inside it."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in ("meta", "br", "line", "link", "img", "input"):
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag
                and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def by_id(self, ident: str) -> Element:
        (found,) = [e for e in self.elements if e.attrs.get("id") == ident]
        return found


def record(line: int, verdict: str = "ok", section: tuple[str, ...] = ("List", "Tools"),
           url: str | None = None, **details: Any) -> LinkRecord:
    return LinkRecord("README.md", line, section, url or f"https://l{line}.example/", verdict,
                      details)


def page(result: RunResult) -> Page:
    return Page(html.render(result, NOW))


def health_result() -> RunResult:
    links = [
        record(3, section=("List",), last_commit="2026-06-01T00:00:00Z"),  # under 1 year
        record(5, last_commit="2025-09-01"),  # 1-2
        record(6, "dead", failures=1, first_failed="2026-11-30T00:00:00Z",
               replacement={"url": "https://new.example/six", "kind": "redirect"}),
        record(7, "soft-404", failures=3),
        record(8, "recovered", recovered=True, last_commit="2019-01-01"),  # 5+
        record(9, "archived", section=("List", "Old"), last_commit="2022-01-01T00:00:00Z"),
        record(10, "ok", section=("List", "Old"), url="https://l9.example/",  # same repo: once
               last_commit="2022-01-01T00:00:00Z"),
        record(11, "parked", section=("List", "Old"),
               replacement={"url": "https://web.archive.org/web/2020/https://l11.example/",
                            "kind": "archive", "archived_at": "2020-01-01T00:00:00Z"}),
    ]
    findings = [make(line=6, code="AL901", name="dead-link", url="https://l6.example/",
                     verdict="dead", message="Dead link https://l6.example/"),
                make(line=2, code="AL111", name="awesome-badge", severity=Severity.WARNING,
                     message="No badge")]
    return RunResult(findings=findings, files=["README.md"], links=links)


def test_counts_by_verdict_most_actionable_first() -> None:
    shown = page(health_result())
    cards = [(e.attrs["data-verdict"], e.text.strip()) for e in shown.find("div")
             if "data-verdict" in e.attrs]
    assert cards == [("dead", "1dead"), ("soft-404", "1soft-404"), ("parked", "1parked"),
                     ("archived", "1archived"), ("recovered", "1recovered"), ("ok", "3ok")]
    assert shown.by_id("links-total").text == "8 links checked."
    assert [e.text for e in shown.find("div") if "data-severity" in e.attrs] == [
        "1errors", "1warnings", "0infos"]


def test_age_chart_buckets_repositories_by_years_since_their_last_commit() -> None:
    shown = page(health_result())
    bars = shown.find("rect", **{"class": "bar"})
    assert [(b.attrs["data-bucket"], b.attrs["data-count"]) for b in bars] == [
        ("under 1 year", "1"), ("1-2 years", "1"), ("2-3 years", "0"), ("3-5 years", "1"),
        ("5+ years", "1")]
    heights = [float(b.attrs["height"] or "") for b in bars]
    assert heights[2] == 0 and heights[0] == heights[1] == heights[4] == max(heights) > 0
    assert "4 repositories" in shown.by_id("age").text


def test_age_chart_says_when_no_repository_has_a_date() -> None:
    shown = page(RunResult(files=["README.md"], links=[record(3), record(4, "dead")]))
    assert not shown.find("svg")
    assert "No repository has a last-commit date" in shown.by_id("age-empty").text


def test_newly_failing_and_recovered() -> None:
    shown = page(health_result())
    newly = shown.find("table", **{"class": "newly-dead"})[0].text
    assert "README.md:6" in newly and "README.md:7" not in newly  # failures 3: not new
    assert "README.md:8" in shown.find("table", **{"class": "recovered"})[0].text
    empty = page(RunResult(files=["README.md"], links=[record(3)]))
    assert "No history from earlier runs" in empty.by_id("history-empty").text


def test_suggested_replacements_with_their_kind() -> None:
    shown = page(health_result())
    section = shown.by_id("replacements")
    assert "Suggested replacements (2)" in section.text
    links = [a.attrs["href"] for a in shown.find("a")]
    assert "https://new.example/six" in links
    assert "https://web.archive.org/web/2020/https://l11.example/" in links
    assert "redirect" in section.text and "archive" in section.text
    assert "archive of 2020-01-01" in section.text
    bad = record(4, "dead", replacement={"url": "https://x.example/", "kind": "guess"})
    assert health.replacement(bad) is None


def test_health_by_section_without_the_title() -> None:
    rows = [[cell.text.strip() for cell in shown_row]
            for shown_row in _rows(page(health_result()), "sections")]
    assert rows == [["(before the first heading)", "1", "1", "0"], ["Tools", "4", "2", "2"],
                    ["Old", "3", "2", "1"]]


def _rows(shown: Page, cls: str) -> list[list[Element]]:
    table = shown.find("table", **{"class": cls})[0]
    start = shown.elements.index(table)
    rows: list[list[Element]] = []
    for element in shown.elements[start + 1:]:
        if element.tag == "table":
            break
        if element.tag == "tr":
            rows.append([])
        elif element.tag == "td":
            rows[-1].append(element)
    return [row for row in rows if row]


def test_without_links_the_page_says_links_were_not_checked() -> None:
    result = health_result()
    result.links = None
    shown = page(result)
    assert "Links were not checked" in shown.by_id("links-not-checked").text
    assert not shown.find("svg") and not [e for e in shown.elements
                                           if e.attrs.get("id") in ("verdicts", "sections")]
    findings = shown.by_id("findings").text
    assert "Dead links (1)" in findings and "AL111 awesome-badge (1)" in findings
    assert findings.index("Dead links") < findings.index("AL111")


def test_the_page_loads_nothing() -> None:
    text = html.render(health_result(), NOW)
    shown = Page(text)
    (csp,) = shown.find("meta", http_equiv="Content-Security-Policy")
    assert (csp.attrs["content"] or "").startswith("default-src 'none';")
    assert not [e for e in shown.elements
                if e.tag in ("script", "img", "link", "iframe", "object", "embed")]
    assert not [e for e in shown.elements if "src" in e.attrs]
    assert not re.search(r"url\(|@import", text)


HOSTILE = '<script>alert(1)</script>"onload="alert(2)'


def test_hostile_text_and_urls_are_inert() -> None:
    links = [record(3, "dead", section=("List", HOSTILE), url="javascript:alert(3)",
                    replacement={"url": "javascript:alert(4)", "kind": "moved"}),
             record(4, "dead", url=f"https://x.example/{HOSTILE}", last_commit=HOSTILE,
                    replacement={"url": 'https://y.example/"onload="alert(5)', "kind": "moved"})]
    findings = [make(path=f"{HOSTILE}.md", message=HOSTILE, url="javascript:alert(6)",
                     verdict="dead", code="AL901", name="dead-link")]
    text = html.render(RunResult(findings=findings, files=["README.md"], links=links), NOW)
    shown = Page(text)
    assert not shown.find("script")
    assert not [e for e in shown.elements for k in e.attrs if k.startswith("on")]
    hrefs = [a.attrs["href"] or "" for a in shown.find("a")]
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    assert 'https://y.example/%22onload=%22alert%285%29' in hrefs
    assert "javascript:alert(6)" in shown.by_id("findings").text  # shown, as text
    assert "Suggested replacements (1)" in shown.by_id("replacements").text  # not javascript:
    assert HOSTILE in shown.by_id("sections").text and HOSTILE in shown.by_id("findings").text


def test_format_html_on_the_command_line(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("# List\n\n- [A](https://a.example) - A.\n",
                                        encoding="utf-8")
    done = CliRunner().invoke(cli, ["--format", "html", "--report",
                                    f"html:{tmp_path / 'out' / 'r.html'}", "README.md"])
    assert done.exit_code in (0, 1), done.output
    assert done.stdout.startswith("<!DOCTYPE html>")
    written = (tmp_path / "out" / "r.html").read_text(encoding="utf-8")
    assert "Links were not checked" in written and written.endswith("</html>\n")


# --- the records a --links run gives ------------------------------------------------------


def test_a_links_run_records_every_checked_link_with_its_section(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWESOME_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    with serve() as server:
        u = server.url
        path = tmp_path / "README.md"
        path.write_text(
            f"# List\n\n[Badge]({u('/ok?b')})\n\n## Tools\n\n"
            f"- [Up]({u('/ok')}) - Fine.\n"
            "<!-- awesome-lint-disable-next-line dead-link -->\n"
            f"- [Gone]({u('/status/404')}) - Dead.\n\n### CLI\n\n"
            f"- [Key]({u('/ok?token=s3cret')}) - Fine.\n- [Mail](mailto:a@b.example) - No.\n"
            f"\n## More\n\n- [Up again]({u('/ok')}) - Same URL, another section.\n",
            encoding="utf-8")
        (tmp_path / ".awesome-lint.toml").write_text("[links]\nretries = 1\ntimeout = 5\n",
                                                     encoding="utf-8")
        result = lint_paths([path], RunOptions(links=True, allow_private=True,
                                               use_cache=False))
        # Outputs that show findings only (text, JSON, SARIF, GitHub) keep no records.
        quiet = lint_paths([path], RunOptions(links=True, allow_private=True, use_cache=False,
                                              link_records=False))
    assert quiet.links is None
    assert [f.code for f in quiet.findings] == [f.code for f in result.findings]
    assert result.links is not None
    assert [(r.line, r.section, r.url, r.verdict) for r in result.links] == [
        (3, ("List",), u("/ok?b"), "ok"),
        (7, ("List", "Tools"), u("/ok"), "ok"),
        (9, ("List", "Tools"), u("/status/404"), "dead"),  # suppressed, still a dead link
        (13, ("List", "Tools", "CLI"), u("/ok?token=***"), "ok"),
        (18, ("List", "More"), u("/ok"), "ok"),
    ]
    assert {r.path for r in result.links} == {str(path)}
    assert not [f for f in result.findings if f.code == "AL901"]
    assert lint_paths([path], RunOptions(use_cache=False)).links is None


@pytest.mark.parametrize(("args", "kept"), [
    (["--format", "text"], False), (["--format", "json"], False),
    (["--format", "html"], True), (["--report", "markdown:r.md"], True),
    (["--format", "sarif", "--report", "html:r.html"], True)])
def test_the_command_line_keeps_link_records_for_the_reports_that_show_them(
        args: list[str], kept: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[RunOptions] = []

    def spy(paths: list[str], options: RunOptions, **rest: object) -> RunResult:
        seen.append(options)
        return RunResult()

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("awesome_lint.cli.lint_paths", spy)
    CliRunner().invoke(cli, [*args, "--links", "README.md"])
    assert [options.link_records for options in seen] == [kept]


def test_links_then_html_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AWESOME_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    with serve() as server:
        u = server.url
        (tmp_path / "README.md").write_text(
            f"# List\n\n## Tools\n\n- [Up]({u('/ok')}) - Fine.\n"
            f"- [Gone]({u('/status/404')}) - Dead.\n", encoding="utf-8")
        (tmp_path / ".awesome-lint.toml").write_text("[links]\nretries = 1\ntimeout = 5\n",
                                                     encoding="utf-8")
        done = CliRunner().invoke(cli, ["--format", "html", "--links", "--allow-private",
                                        "--no-cache", "README.md"])
    assert done.exit_code == 1, done.output
    shown = Page(done.stdout)
    assert shown.by_id("links-total").text == "2 links checked."
    assert [[c.text.strip() for c in row] for row in _rows(shown, "sections")] == [
        ["Tools", "2", "1", "1"]]
    assert "Dead links (1)" in shown.by_id("findings").text
