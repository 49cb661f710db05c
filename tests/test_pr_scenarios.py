"""Pull-request mode (``--diff BASE``) catches the mistakes that relate two places, in real git
repositories: each finding is reported at the line the change touched, with its own place as a
related location; a change that touches nothing relevant reports none of the old defects."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from awesome_lint import action
from awesome_lint.cli import cli
from test_changed import commit, git, make_repo

TOC_LIST = """\
# List

## Contents

- [Tools](#tools)
- [Books](#books)
- [Talks](#talks)

## Tools

- [Alpha](https://alpha.example) - First tool.
- [Beta](https://beta.example) - Second tool.

## Books

- [Gamma](https://gamma.example) - A book.

## Talks

- [Epsilon](https://epsilon.example) - A talk.
"""


def diff_findings(repo: Path) -> tuple[int, list[dict[str, Any]]]:
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        result = CliRunner().invoke(cli, ["--format", "json", "--diff", "main", "README.md"])
    finally:
        os.chdir(cwd)
    return result.exit_code, json.loads(result.stdout)["findings"]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def test_a_new_entry_above_its_twin_is_reported_at_the_new_entry(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": TOC_LIST})
    head = TOC_LIST.replace("- [Alpha]", "- [Beta, again](https://beta.example) - Twin.\n- [Alpha]")
    commit(repo, {"README.md": head}, "a duplicate above its twin")
    code, found = diff_findings(repo)
    assert code == 1
    (dup,) = found
    assert (dup["code"], dup["line"]) == ("AL301", line_of(head, "Beta, again"))
    assert [r["line"] for r in dup["related"]] == [line_of(head, "[Beta](")]


def test_a_section_without_a_toc_entry_is_reported_at_its_heading(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": TOC_LIST})
    head = TOC_LIST + "\n## Videos\n\n- [Delta](https://delta.example) - A video.\n"
    commit(repo, {"README.md": head}, "a new section, no ToC entry")
    code, found = diff_findings(repo)
    assert [(f["code"], f["line"]) for f in found] == [("AL121", line_of(head, "## Videos"))]
    assert code == 0  # AL121 is a warning
    assert found[0]["related"][0]["line"] == line_of(head, "- [Talks](#talks)")


def test_a_renamed_heading_that_breaks_an_anchor_is_reported_at_the_heading(
        tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": TOC_LIST})
    head = TOC_LIST.replace("## Tools", "## Tooling")
    commit(repo, {"README.md": head}, "rename a heading")
    code, found = diff_findings(repo)
    assert code == 1
    broken = [f for f in found if f["code"] == "AL120"]
    assert [(f["line"], f["related"][0]["line"]) for f in broken] == [
        (line_of(head, "## Tooling"), line_of(head, "(#tools)"))]


def test_an_inserted_item_that_shifts_the_numbers_is_reported_at_the_insert(
        tmp_path: Path) -> None:
    base = ("# List\n\n## Papers\n\n1. [A](https://a.example) - First.\n"
            "2. [B](https://b.example) - Second.\n3. [C](https://c.example) - Third.\n")
    repo = make_repo(tmp_path / "r", {"README.md": base})
    head = base.replace("3. [C]", "3. [New](https://new.example) - Inserted.\n3. [C]")
    commit(repo, {"README.md": head}, "insert an item")
    code, found = diff_findings(repo)
    assert code == 1
    assert [(f["code"], f["line"]) for f in found] == [("AL101", line_of(head, "[New]"))]
    assert found[0]["message"].startswith("Expected 4, found 3 (the item above is also 3)")


def test_a_change_that_touches_nothing_relevant_reports_no_old_defect(tmp_path: Path) -> None:
    legacy = TOC_LIST + "\n1. [X](https://x.example) - X.\n1. [Y](https://y.example) - Y.\n" \
        "- [Alpha copy](https://alpha.example) - Old duplicate.\n"
    repo = make_repo(tmp_path / "r", {"README.md": legacy})
    commit(repo, {"README.md": legacy.replace("A book.", "A good book.")}, "a description")
    assert diff_findings(repo) == (0, [])


def _scenario(name: str) -> tuple[str, str, str, int]:
    """(base text, head text, code, line) of each pull-request scenario above."""
    numbered = ("# List\n\n## Papers\n\n1. [A](https://a.example) - First.\n"
                "2. [B](https://b.example) - Second.\n3. [C](https://c.example) - Third.\n")
    heads = {
        "duplicate": (TOC_LIST, TOC_LIST.replace(
            "- [Alpha]", "- [Beta, again](https://beta.example) - Twin.\n- [Alpha]"),
            "AL301", "Beta, again"),
        "toc": (TOC_LIST, TOC_LIST + "\n## Videos\n\n- [Delta](https://delta.example) - A.\n",
                "AL121", "## Videos"),
        "anchor": (TOC_LIST, TOC_LIST.replace("## Tools", "## Tooling"), "AL120", "## Tooling"),
        "numbering": (numbered, numbered.replace(
            "3. [C]", "3. [New](https://new.example) - Inserted.\n3. [C]"), "AL101", "[New]"),
    }
    base, head, code, needle = heads[name]
    return base, head, code, line_of(head, needle)


@pytest.mark.parametrize("name", ["duplicate", "toc", "anchor", "numbering"])
def test_the_action_reports_each_scenario_on_its_pull_request(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    base_text, head_text, code, line = _scenario(name)
    repo = make_repo(tmp_path / "r", {"README.md": base_text})
    base = git(repo, "rev-parse", "HEAD")
    commit(repo, {"README.md": head_text}, name)
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}}}), encoding="utf-8")
    env = {**os.environ, "GITHUB_EVENT_PATH": str(event), "RUNNER_TEMP": str(tmp_path / "t"),
           "GITHUB_OUTPUT": str(tmp_path / "output"), "INPUT_LINKS": "none",
           "INPUT_FILES": "README.md"}
    monkeypatch.chdir(repo)
    action.main(env)
    report = json.loads((tmp_path / "t" / "awesome-lint-report.json").read_text())
    found = [(f["code"], f["line"]) for f in report["findings"]]
    assert (code, line) in found
    assert {at for _, at in found} == {line}  # all at the changed line, none of the old lines


def test_an_action_that_cannot_run_says_why_as_an_error_annotation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown diff base stops awesome-lint before any report: the reason is an ::error."""
    repo = make_repo(tmp_path / "r", {"README.md": TOC_LIST})
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path / "t"), "GITHUB_OUTPUT": str(tmp_path / "o"),
           "INPUT_LINKS": "none", "INPUT_FILES": "README.md", "INPUT_DIFF_BASE": "no-such-ref"}
    monkeypatch.chdir(repo)
    assert action.main(env) == 2
    errors = [x for x in capsys.readouterr().out.splitlines() if x.startswith("::error")]
    assert len(errors) == 1
    assert errors[0].startswith("::error title=awesome-lint could not run::")
    assert "no-such-ref" in errors[0]
