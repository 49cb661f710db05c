"""The GitHub step summary scales: grouped by rule (errors first) with counts, each finding
linked to its line, long groups folded, a --fix hint that counts safe fixes only, and a cap
below GitHub's 1 MiB limit that says how much it left out."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from awesome_lint.findings import Applicability, Edit, Finding, Fix, Severity
from awesome_lint.model import Span
from awesome_lint.report import github
from awesome_lint.result import FileError, RunResult
from conftest import CORPUS

GITHUB_ENV = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "owner/list",
              "GITHUB_SHA": "0123abcd"}
LIMIT = github.STEP_SUMMARY_LIMIT - github.STEP_SUMMARY_MARGIN


def finding(line: int, code: str = "AL201", name: str = "entry-format",
            severity: Severity = Severity.WARNING, message: str = "Something is off",
            fix: Applicability | None = None, path: str = "README.md") -> Finding:
    span = Span(line, 3, line, 9)
    return Finding(path, span, code, name, severity, message,
                   None if fix is None else Fix((Edit(span, "x"),), fix))


@pytest.fixture
def on_github(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GITHUB_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)


def headings(summary: str) -> list[str]:
    return re.findall(r"^### (.*)$", summary, re.M)


def rows(summary: str) -> list[str]:
    return [line for line in summary.splitlines() if line.startswith("| [")]


def test_groups_errors_first_per_rule_with_counts(on_github: None) -> None:
    result = RunResult(files=["README.md", "b.md"], errors=[FileError("gone.md", "missing")],
                       findings=[
                           finding(9, "AL204", "description-repeats-name", Severity.INFO),
                           finding(7),
                           finding(3),
                           finding(5, "AL301", "duplicate-link", Severity.ERROR),
                           finding(2, "AL301", "duplicate-link", Severity.ERROR, path="b.md"),
                           finding(4, "AL101", "list-numbering", Severity.ERROR),
                       ])
    summary = github.step_summary(result, 10**6)
    assert headings(summary) == [
        "Files that could not be checked (1)",
        "AL101 list-numbering: 1 error",
        "AL301 duplicate-link: 2 errors",
        "AL201 entry-format: 2 warnings",
        "AL204 description-repeats-name: 1 info",
    ]
    # The counts per rule, worst first, before the groups.
    overview = summary[:summary.index("\n### ")]
    assert re.findall(r"^\| (AL\d+) [a-z-]+ \| (\w+) \| (\d+) \| (\d+) \|$", overview, re.M) == [
        ("AL101", "error", "1", "0"), ("AL301", "error", "2", "0"),
        ("AL201", "warning", "2", "0"), ("AL204", "info", "1", "0")]
    # Within a group by file and line, each location linked to its line at the commit.
    blob = "https://github.com/owner/list/blob/0123abcd"
    assert rows(summary)[:3] == [
        f"| [README.md:4:3]({blob}/README.md#L4) | Something is off |",
        f"| [README.md:5:3]({blob}/README.md#L5) | Something is off |",
        f"| [b.md:2:3]({blob}/b.md#L2) | Something is off |",
    ]
    assert "| gone.md | missing |" in summary


def test_a_long_group_is_folded_in_details(on_github: None) -> None:
    short = [finding(i, "AL301", "duplicate-link", Severity.ERROR) for i in range(1, 11)]
    long = [finding(i) for i in range(1, 12)]
    summary = github.step_summary(RunResult(findings=short + long, files=["README.md"]), 10**6)
    assert summary.count("<details>") == summary.count("</details>") == 1
    errors, warnings = summary.split("### AL201 entry-format: 11 warnings")
    assert "<details>" not in errors
    assert warnings.startswith("\n\n<details><summary>Show all 11</summary>\n\n| Location |")
    assert warnings.rstrip().endswith("</details>")
    assert len(rows(warnings)) == 11


def test_fix_hint_counts_safe_fixes_only() -> None:
    findings = [finding(1, fix=Applicability.SAFE), finding(2, fix=Applicability.SAFE),
                finding(3, fix=Applicability.UNSAFE), finding(4)]
    summary = github.step_summary(RunResult(findings=findings, files=["README.md"]), 10**6)
    assert ("Run `awesome-lint --fix` locally to fix 2 findings; review 1 more with "
            "`awesome-lint --fix --unsafe-fixes`.") in summary
    assert "| AL201 entry-format | warning | 4 | 2 |" in summary
    unsafe_only = github.step_summary(
        RunResult(findings=[finding(1, fix=Applicability.UNSAFE)], files=["a.md"]), 10**6)
    assert "Review 1 with `awesome-lint --fix --unsafe-fixes`." in unsafe_only
    assert "Run `awesome-lint --fix`" not in unsafe_only
    none = github.step_summary(RunResult(findings=[finding(1)], files=["a.md"]), 10**6)
    assert "--fix`" not in none


def _synthetic(count: int) -> RunResult:
    rules = [("AL201", "entry-format", Severity.WARNING), ("AL301", "duplicate-link",
             Severity.ERROR), ("AL204", "description-repeats-name", Severity.INFO)]
    findings = []
    for i in range(count):
        code, name, severity = rules[i % 3]
        findings.append(finding(i + 1, code, name, severity,
                                message=f"Entry {i} <b>|[x](u)|</b> " + "é" * (i % 50),
                                fix=Applicability.SAFE if i % 4 == 0 else None))
    return RunResult(findings=findings, files=["README.md"],
                     errors=[FileError(f"gone{i}.md", "missing") for i in range(3)])


def test_twenty_thousand_findings_stay_under_the_cap_and_count_what_was_left_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_github: None) -> None:
    target = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    result = _synthetic(20_000)
    github.write(result, io.StringIO(), color=False)
    data = target.read_bytes()
    assert LIMIT - 4096 < len(data) <= LIMIT < 1024 * 1024
    summary = data.decode("utf-8")
    shown = rows(summary)
    match = re.search(r"^_([\d,]+) more findings not shown: the step summary is limited to "
                      r"1 MiB \(see the Markdown report, or run awesome-lint locally\)\._$",
                      summary, re.M)
    assert match is not None, summary[-500:]
    assert shown and len(shown) + int(match.group(1).replace(",", "")) == 20_000
    assert summary.endswith(match.group(0) + "\n")  # the note comes last
    # Errors come first, and every table and <details> opened is closed.
    assert headings(summary)[:2] == ["Files that could not be checked (3)",
                                     "AL301 duplicate-link: 6,667 errors"]
    assert summary.count("<details>") == summary.count("</details>")
    assert "Run `awesome-lint --fix` locally to fix 5,000 findings." in summary
    assert "<b>" not in summary and "](u)" not in summary


def test_left_out_counts_files_that_could_not_be_checked_apart() -> None:
    result = RunResult(files=[], errors=[FileError(f"gone{i}.md", "missing " * 20)
                                         for i in range(40)])
    summary = github.step_summary(result, 2500)
    assert len(summary.encode()) <= 2500
    shown = [line for line in summary.splitlines() if line.startswith("| gone")]
    match = re.search(r"_(\d+) more files that could not be checked not shown", summary)
    assert match is not None and len(shown) + int(match.group(1)) == 40


def test_awesome_go_step_summary(tmp_path: Path) -> None:
    """The real list of issue 12: 267 findings, one flat table before; now grouped and linked."""
    shutil.copyfile(CORPUS / "avelino__awesome-go.md", tmp_path / "README.md")
    summary_file = tmp_path / "summary.md"
    env = {**os.environ, **GITHUB_ENV, "GITHUB_STEP_SUMMARY": str(summary_file),
           "GITHUB_WORKSPACE": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "awesome_lint", "--format", "github",
                           "--select", "ALL",  # every rule: many findings, many groups
                           "--report", f"json:{tmp_path / 'r.json'}", "README.md"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    findings = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["findings"]
    summary = summary_file.read_text(encoding="utf-8")
    assert len(summary.encode()) < 200_000
    # One heading per rule with its count, errors, then warnings, then infos.
    by_rule: dict[tuple[str, str, str], int] = {}
    for f in findings:
        key = (f["code"], f["name"], f["severity"])
        by_rule[key] = by_rule.get(key, 0) + 1
    rank = {"error": 0, "warning": 1, "info": 2}
    expected = [f"{code} {name}: {n} {sev}{'' if n == 1 else 's'}"
                for (code, name, sev), n in sorted(by_rule.items(),
                                                   key=lambda i: (rank[i[0][2]], i[0][0]))]
    assert headings(summary) == expected
    assert len(expected) >= 5 and sum(by_rule.values()) == len(findings) > 200
    # Every finding is a row linked to its line; the big groups are folded.
    linked = rows(summary)
    assert len(linked) == len(findings)
    assert all(re.match(r"\| \[README\.md:\d+:\d+\]\(https://github\.com/owner/list/blob/"
                        r"0123abcd/README\.md#L\d+\) \| ", row) for row in linked)
    folded = sum(n > github.DETAILS_AFTER for n in by_rule.values())
    assert folded >= 2 and summary.count("<details>") == folded
    safe = sum(f.get("applicability") == "safe" for f in findings)
    assert safe and f"Run `awesome-lint --fix` locally to fix {safe} findings" in summary
    assert "more findings not shown" not in summary
