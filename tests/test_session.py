"""The library entry points: ``lint_paths`` (what the CLI calls) and ``lint_text`` (standard
input, editors), and the phases of a run (document rules, link rules, comment rules)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import awesome_lint.budget
from awesome_lint.budget import BudgetExceeded
from awesome_lint.cli import cli
from awesome_lint.config import Config, load_config
from awesome_lint.engine import in_phase, run_rules
from awesome_lint.findings import Severity
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules
from awesome_lint.rule import Phase
from awesome_lint.session import RunOptions, lint_paths, lint_text
from awesome_lint.urls import absolute
from awesome_lint.verdicts import LinkStatus, Verdict

TEXT = """\
# Awesome Things 🎉

- [Émoji 🎉 thing](https://example.com/a) - First.
- [Émoji thing](https://example.com/a) - Same link twice.

1. one
1. two
3. three <!-- awesome-lint-disable-line no-such-rule -->
"""


def _cli_findings(path: Path) -> list[tuple[int, int, int, int, str, str]]:
    result = CliRunner().invoke(cli, ["--format", "json", str(path)])
    return [(f["line"], f["column"], f["end_line"], f["end_column"], f["code"], f["message"])
            for f in json.loads(result.stdout)["findings"]]


def test_lint_text_reports_what_the_command_line_reports(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "list.md"
    path.write_text(TEXT, encoding="utf-8")
    found = lint_text(TEXT, "list.md")
    assert [(f.span.line, f.span.column, f.span.end_line, f.span.end_column, f.code, f.message)
            for f in found] == _cli_findings(path)
    assert {f.code for f in found} >= {"AL301", "AL101", "AL001"}


def test_lint_text_honours_the_config(tmp_path: Path) -> None:
    config_path = tmp_path / ".awesome-lint.toml"
    config_path.write_text('ignore = ["AL301"]\n[rules.AL101]\nseverity = "warning"\n',
                           encoding="utf-8")
    config = load_config(config_path, load_rules())
    found = lint_text(TEXT, "list.md", config)
    assert "AL301" not in {f.code for f in found}
    assert {f.severity for f in found if f.code == "AL101"} == {Severity.WARNING}


def test_lint_text_stops_pathological_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(awesome_lint.budget, "BASE_SECONDS", 0.3)
    monkeypatch.setattr(awesome_lint.budget, "SECONDS_PER_100_KB", 0.0)
    with pytest.raises(BudgetExceeded, match=r"took more than 0\.3 s of CPU time"):
        lint_text("*a " * 8000 + "b" + " a*" * 8000 + "\n")


def test_lint_paths_checks_the_other_files(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list.md").write_text(TEXT, encoding="utf-8")
    result = lint_paths([Path("missing.md"), Path("list.md")])
    assert result.files == ["list.md"]
    assert [(e.path, e.message) for e in result.errors] == [("missing.md", "no such file")]
    assert {f.code for f in result.findings} >= {"AL301", "AL101"}
    assert result.exit_code == 2


def test_lint_paths_options_select(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list.md").write_text(TEXT, encoding="utf-8")
    result = lint_paths([Path("list.md")], RunOptions(select=("AL101",)))
    assert {f.code for f in result.findings} == {"AL101"}


def test_every_rule_has_a_phase_and_the_link_rules_read_the_statuses() -> None:
    rules = load_rules()
    link_rules = in_phase(rules, Phase.LINKS)
    assert {r.code for r in link_rules} == {"AL901", "AL902", "AL903", "AL904", "AL905", "AL907",
                                            "AL908", "AL909", "AL910", "AL911", "AL912", "AL913",
                                            "AL914"}
    assert {r.code for r in in_phase(rules, Phase.SUPPRESSIONS)} == {"AL001", "AL002", "AL003"}
    doc = parse("# T\n\n- [A](https://a.test/x) - A.\n- [B](//b.test/y) - B.\n", "t.md")
    assert run_rules(doc, link_rules, Config()) == []  # no statuses: links were not checked
    statuses = {
        absolute("https://a.test/x"): LinkStatus("https://a.test/x", Verdict.DEAD, 404,
                                                 "404 Not Found"),
        absolute("//b.test/y"): LinkStatus("https://b.test/y", Verdict.OK, archived=True),
    }
    found = run_rules(dataclasses.replace(doc, link_statuses=statuses), link_rules, Config())
    assert [(f.code, f.span.line, f.verdict, f.severity) for f in found] == [
        ("AL901", 3, "dead", Severity.ERROR),
        ("AL905", 4, "archived", Severity.WARNING),
    ]


def test_configured_severity_is_set_where_the_finding_is_made() -> None:
    doc = parse("# T\n\n1. a\n1. b\n3. c\n", "t.md")
    rules = [r for r in load_rules() if r.code == "AL101"]
    (finding,) = run_rules(doc, rules, Config(severities={"AL101": Severity.INFO}))
    assert finding.severity is Severity.INFO


def test_a_duplicate_names_its_first_copy_as_related() -> None:
    (dup,) = [f for f in lint_text(TEXT, "list.md") if f.code == "AL301"]
    assert dup.span.line == 4
    assert [(r.span.line, r.span.column, r.message, r.path) for r in dup.related] == [
        (3, 3, "first listed here", None)]
