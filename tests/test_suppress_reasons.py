"""Issue 12, suppressions and messages: a reason after ``--`` in a suppression comment (and in
the JSON), the repository rules outside git said once, AL501/AL502 on real lists, AL204's
article, ``--list-rules`` marks and JSON, the GitHub API warning once (tests/test_offline.py),
a bad ``--report`` folder before any work."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from awesome_lint.cli import cli
from awesome_lint.config import Config
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules
from awesome_lint.repo import RepoFiles, scan
from awesome_lint.rules.contributing_file import ContributingFile
from awesome_lint.rules.description_repeats_name import DescriptionRepeatsName
from awesome_lint.rules.license_file import LicenseFile
from awesome_lint.session import lint_text

NOTE = ("awesome-lint: AL501 contributing-file, AL502 license-file, AL906 missing-file skipped: "
        "{} not in a git repository")


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def git_init(folder: Path) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True, timeout=30)


# --- a reason after "--" ----------------------------------------------------------------------

DUPLICATE = (
    "# List\n\n- [A](https://example.com/a) - First.\n"
    "- [B](https://example.com/a) - Again. "
    "<!-- awesome-lint-disable-line AL304 -- cross-listed on purpose -->\n"
)


def test_a_reason_after_two_dashes_is_not_a_rule_name() -> None:
    findings = lint_text(DUPLICATE, "list.md", ignore=["AL111"])
    assert [f.code for f in findings] == []  # suppressed, and no AL001 for "cross-listed"...


def test_without_the_two_dashes_the_words_are_still_unknown_rules() -> None:
    text = DUPLICATE.replace(" -- cross", " cross")
    codes = [f.code for f in lint_text(text, "list.md", ignore=["AL111"])]
    assert codes == ["AL001"] * 3  # "cross-listed", "on", "purpose"


def test_reasons_are_reported_in_json(work: Path) -> None:
    (work / "list.md").write_text(
        DUPLICATE + "\n<!-- awesome-lint-disable-next-line -- every rule, on purpose -->\n"
        "- [C](https://example.com/a) - Third.\n", encoding="utf-8")
    result = run("--format", "json", "list.md")
    data = json.loads(result.stdout)
    assert data["version"] == 1
    assert [f["code"] for f in data["findings"]] == []
    assert data["suppressions"] == [
        {"path": "list.md", "line": 4, "column": 39, "kind": "disable-line", "rules": ["AL304"],
         "reason": "cross-listed on purpose", "used": True},
        {"path": "list.md", "line": 6, "column": 1, "kind": "disable-next-line", "rules": None,
         "reason": "every rule, on purpose", "used": True},
    ]


def test_a_comment_without_a_reason_has_a_null_reason(work: Path) -> None:
    (work / "list.md").write_text("# L\n\n1. a\n<!-- awesome-lint-disable-next-line AL101 -->\n"
                                  "1. b\n", encoding="utf-8")
    data = json.loads(run("--format", "json", "list.md").stdout)
    [comment] = data["suppressions"]
    assert comment["reason"] is None and comment["rules"] == ["AL101"]


# --- the repository rules outside git -----------------------------------------------------------

BARE = "# Awesome Things\n\n- [Alpha](https://example.com/a) - First. See [x](missing.md).\n"


def test_outside_git_the_repository_rules_are_said_to_be_skipped_once(work: Path) -> None:
    (work / "a.md").write_text(BARE, encoding="utf-8")
    (work / "b.md").write_text(BARE, encoding="utf-8")
    result = run("--preset", "awesome", "a.md", "b.md")
    assert result.stderr.splitlines() == [NOTE.format("2 files are")]
    assert "AL501" not in result.stdout and "AL906" not in result.stdout
    single = run("--preset", "awesome", "a.md")
    assert single.stderr.splitlines() == [NOTE.format("a.md is")]


def test_inside_git_they_run_and_nothing_is_said(work: Path) -> None:
    git_init(work)
    (work / "README.md").write_text(BARE, encoding="utf-8")
    result = run("--preset", "awesome", "README.md")
    assert "not in a git repository" not in result.output
    codes = {line.split()[1] for line in result.stdout.splitlines()[:-1]}
    assert {"AL501", "AL502", "AL906"} <= codes


def test_nothing_is_said_when_those_rules_do_not_run(work: Path) -> None:
    (work / "a.md").write_text(BARE, encoding="utf-8")
    assert run("a.md", "--ignore", "AL501,AL502,AL906").stderr == ""
    assert run("a.md", "--select", "AL906").stderr.splitlines() == [
        "awesome-lint: AL906 missing-file skipped: a.md is not in a git repository"]


@pytest.mark.parametrize("code", ["AL501", "AL502", "AL906"])
def test_the_rule_pages_say_they_are_silent_outside_git(code: str) -> None:
    from awesome_lint.rule_docs import read_page

    rule = next(r for r in load_rules() if r.code == code)
    page = read_page(rule)
    assert page is not None and "Outside a git repository it is silent" in page


# --- AL501 and AL502 on real lists --------------------------------------------------------------


def check(rule: type, text: str, files: RepoFiles) -> list[str]:
    doc = parse(text, "README.md")
    import dataclasses

    doc = dataclasses.replace(doc, repo_files=files)
    return [v.message for v in rule().check(doc)]


ONLY_README = RepoFiles(frozenset({"readme.md"}))


@pytest.mark.parametrize("heading", ["## Contributing", "## Contribution", "## Contributions",
                                     "## How to contribute", "### Contributing guidelines"])
def test_a_contributing_section_is_a_guide(heading: str) -> None:
    text = f"# Awesome\n\n- [A](https://example.com/a) - A.\n\n{heading}\n\nSend a PR.\n"
    assert check(ContributingFile, text, ONLY_README) == []
    assert check(ContributingFile, "# Awesome\n\n## Contributors\n", ONLY_README) != []


def test_the_contributing_guide_keeps_its_case(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "CONTRIBUTING.md").write_text("", encoding="utf-8")
    (tmp_path / "LICENSE-MIT").write_text("", encoding="utf-8")
    files = scan(tmp_path)
    assert check(ContributingFile, "# A\n", files) == [
        "The contributing guide CONTRIBUTING.md is empty; say in it how to propose an entry"]
    assert check(LicenseFile, "# A\n", files) == [
        "The licence file LICENSE-MIT is empty; put the licence text in it"]


@pytest.mark.parametrize("badge", [
    "[![License: CC0-1.0](https://img.shields.io/badge/License-CC0_1.0-lightgrey.svg)]"
    "(http://creativecommons.org/publicdomain/zero/1.0/)",
    "![license](https://img.shields.io/github/license/owner/list)",
    '<a href="https://creativecommons.org/publicdomain/zero/1.0/"><img '
    'src="https://licensebuttons.net/p/mark/1.0/88x31.png" alt="CC0"></a>',
])
def test_a_licence_badge_is_a_licence(badge: str) -> None:
    text = f"# Awesome {badge}\n\n- [A](https://example.com/a) - A.\n"
    assert check(LicenseFile, text, ONLY_README) == []


def test_a_badge_that_names_no_licence_is_not_one() -> None:
    text = "# Awesome [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n"
    assert check(LicenseFile, text, ONLY_README) != []


# --- AL204 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ["- [a](https://example.com/a) - A.",
                                   "- [A](https://example.com/a) - A tool for lists.",
                                   "- [The](https://example.com/t) - The band's site."])
def test_an_article_is_not_the_name_repeated(entry: str) -> None:
    doc = parse(f"# L\n\n{entry}\n", "list.md")
    assert list(DescriptionRepeatsName(Config().rule_settings.get("AL204")).check(doc)) == []


def test_a_real_repeated_name_is_still_reported() -> None:
    doc = parse("# L\n\n- [Foo](https://example.com/f) - Foo is a tool.\n", "list.md")
    assert len(list(DescriptionRepeatsName().check(doc))) == 1


# --- --list-rules -------------------------------------------------------------------------------


def test_list_rules_marks_sets_and_links_rules() -> None:
    rows = {line.split()[0]: line.split() for line in run("--list-rules").stdout.splitlines()}
    assert {code: rows[code][2] for code in ("AL101", "AL111", "AL206")} == {
        "AL101": "default", "AL111": "awesome", "AL206": "opt-in"}
    assert rows["AL901"][-1] == "(--links)"
    assert rows["AL101"][-1] != "(--links)"


def test_list_rules_honours_format_json() -> None:
    result = run("--list-rules", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    by_code = {rule["code"]: rule for rule in data["rules"]}
    assert by_code["AL206"]["set"] == "opt-in" and by_code["AL206"]["links"] is False
    assert by_code["AL111"]["set"] == "awesome"
    assert by_code["AL901"] == {
        "code": "AL901", "name": "dead-link", "severity": "error", "fixable": True,
        "set": "default", "links": True, "summary": by_code["AL901"]["summary"]}
    assert by_code["AL101"]["fixable"] is True
    assert [r["code"] for r in data["rules"]] == [r.code for r in load_rules()]


# --- --report's folder --------------------------------------------------------------------------


def test_a_missing_report_folder_is_created(work: Path) -> None:
    (work / "list.md").write_text("# L\n\n1. a\n1. b\n", encoding="utf-8")
    result = run("list.md", "--report", "markdown:out/deep/report.md")
    assert result.exit_code == 0, result.output
    assert (work / "out" / "deep" / "report.md").read_text(encoding="utf-8").startswith("#")


@pytest.mark.parametrize("target", ["blocker/report.md", "folder"])
def test_a_report_that_cannot_be_written_is_refused_before_any_work(work: Path,
                                                                    target: str) -> None:
    (work / "blocker").write_text("a file, not a folder", encoding="utf-8")
    (work / "folder").mkdir()
    (work / "list.md").write_text("# L\n\n1. a\n1. b\n", encoding="utf-8")
    result = run("list.md", "--report", f"json:{target}")
    assert result.exit_code == 2
    assert f"cannot write the json report to {target}" in result.stderr
    assert result.stdout == ""  # nothing was linted, nothing reported
