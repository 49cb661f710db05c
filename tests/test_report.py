"""The reporters: text, json, github and sarif output of hand-built run results."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import awesome_lint
from awesome_lint.findings import (
    Applicability,
    Edit,
    Finding,
    Fix,
    Related,
    Severity,
    Violation,
)
from awesome_lint.model import Document, Span
from awesome_lint.report import FORMATS, github, write_report
from awesome_lint.result import FileError, RunResult
from awesome_lint.rule import Rule


class DummyRule(Rule):
    code = "AL999"
    name = "dummy-rule"
    summary = "A dummy rule."

    def check(self, doc: Document) -> Iterator[Violation]:
        return iter(())


class DummyWarning(Rule):
    code = "AL998"
    name = "dummy-warning"
    summary = "A dummy warning."
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Violation]:
        return iter(())


def make(
    path: str = "README.md",
    line: int = 1,
    column: int = 1,
    *,
    end_line: int | None = None,
    end_column: int | None = None,
    severity: Severity = Severity.ERROR,
    message: str = "Something is wrong",
    fixable: bool = False,
    code: str = "AL999",
    name: str = "dummy-rule",
    url: str | None = None,
    verdict: str | None = None,
    details: dict[str, Any] | None = None,
) -> Finding:
    span = Span(line, column, end_line or line, end_column or column + 1)
    fix = Fix((Edit(span, "x"),)) if fixable else None
    return Finding(path, span, code, name, severity, message, fix, url, verdict,
                   details=details or {})


def render(fmt: str, result: RunResult, *, color: bool = False) -> str:
    out = io.StringIO()
    write_report(fmt, result, out, color=color)
    return out.getvalue()


# --- dispatch -------------------------------------------------------------------------------


def test_formats_and_unknown_format() -> None:
    assert FORMATS == ("text", "json", "github", "sarif", "markdown", "html")
    result = RunResult(files=["README.md"])
    assert json.loads(render("json", result))["version"] == 1
    assert json.loads(render("sarif", result))["version"] == "2.1.0"
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render("xml", result)


# --- text -----------------------------------------------------------------------------------


def test_text_lines_sorted_with_severity_and_fixable_marks() -> None:
    result = RunResult(
        findings=[
            make("docs/b.md", 1, 1, severity=Severity.INFO, message="Note", fixable=True),
            make("README.md", 5, 3, severity=Severity.WARNING, message="Heads up"),
            make("README.md", 2, 1, message="Expected 3, found 2", fixable=True),
        ],
        files=["README.md", "docs/b.md"],
    )
    assert render("text", result).splitlines() == [
        "README.md:2:1: AL999 dummy-rule Expected 3, found 2 [*]",
        "README.md:5:3: AL999 dummy-rule Heads up (warning)",
        "docs/b.md:1:1: AL999 dummy-rule Note (info) [*]",
        "Found 1 error, 1 warning and 1 info in 2 files (2 fixable with --fix).",
    ]


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (RunResult(files=["a.md", "b.md"]), "All checks passed: 2 files, no findings."),
        (RunResult(files=["a.md"], fixed=3), "All checks passed: 1 file, no findings (3 fixed)."),
        (
            RunResult(findings=[make(), make(line=2)], files=["a.md"]),
            "Found 2 errors, 0 warnings and 0 infos in 1 file.",
        ),
        (
            RunResult(
                findings=[make(severity=Severity.INFO, fixable=True)], files=["a.md"], fixed=1
            ),
            "Found 0 errors, 0 warnings and 1 info in 1 file (1 fixed, 1 fixable with --fix).",
        ),
        (
            RunResult(files=["a.md"], errors=[FileError("b.md", "not found")]),
            "Found 0 errors, 0 warnings and 0 infos in 1 file; 1 file could not be checked.",
        ),
    ],
)
def test_text_summary_wording(result: RunResult, expected: str) -> None:
    assert render("text", result).splitlines()[-1] == expected


def test_text_file_errors_printed_after_findings() -> None:
    result = RunResult(
        findings=[make()],
        files=["README.md"],
        errors=[FileError("missing.md", "No such file"), FileError("awesome-lint.toml", "bad", 3)],
    )
    lines = render("text", result).splitlines()
    assert lines[1:3] == ["missing.md: error: No such file", "awesome-lint.toml:3: error: bad"]
    assert lines[3].endswith("; 2 files could not be checked.")


def test_text_colour_only_when_asked() -> None:
    result = RunResult(
        findings=[
            make(line=1),
            make(line=2, severity=Severity.WARNING),
            make(line=3, severity=Severity.INFO),
        ],
        files=["README.md"],
    )
    assert "\x1b" not in render("text", result)
    lines = render("text", result, color=True).splitlines()
    assert lines[0].startswith("\x1b[1mREADME.md\x1b[0m:1:1: \x1b[31mAL999\x1b[0m dummy-rule ")
    assert "\x1b[33mAL999\x1b[0m" in lines[1]
    assert "\x1b[34mAL999\x1b[0m" in lines[2]


def test_text_escapes_control_characters_from_the_file() -> None:
    result = RunResult(
        findings=[make("a\x1b[2J.md", message="one\ntwo\x1b[31m\r\x85\ttab")],
        errors=[FileError("b\nc.md", "bad\x07")],
        files=["x"],
    )
    out = render("text", result, color=False)
    assert "\x1b" not in out and "\r" not in out and "\x85" not in out and "\x07" not in out
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0] == "a\\x1b[2J.md:1:1: AL999 dummy-rule one\\ntwo\\x1b[31m\\r\\x85\ttab"
    assert lines[1] == "b\\nc.md: error: bad\\x07"


# --- json -----------------------------------------------------------------------------------

FINDING_KEYS = {
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "code",
    "name",
    "severity",
    "message",
    "fixable",
}


def test_json_contract() -> None:
    result = RunResult(
        findings=[
            make("b.md", 4, 2, end_line=5, end_column=7, severity=Severity.WARNING, fixable=True),
            make("a.md", 1, 1, message="Lien cassé", url="https://x.test/", verdict="broken"),
            make("a.md", 2, 1, severity=Severity.INFO),
        ],
        files=["a.md", "b.md", "c.md"],
        errors=[FileError("d.md", "undecodable", 7), FileError("e.md", "missing")],
    )
    text = render("json", result)
    assert text.endswith("}\n")
    assert '\n  "version": 1,' in text  # indent=2
    assert "Lien cassé" in text  # ensure_ascii=False
    doc = json.loads(text)
    assert set(doc) == {"version", "tool", "findings", "summary"}
    assert doc["version"] == 1
    assert doc["tool"] == {"name": "awesome-lint", "version": awesome_lint.__version__}
    first, second, third = doc["findings"]
    assert set(first) == FINDING_KEYS | {"url", "verdict"}
    assert set(second) == FINDING_KEYS
    assert set(third) == FINDING_KEYS | {"applicability"}
    assert (first["url"], first["verdict"]) == ("https://x.test/", "broken")
    assert third == {
        "path": "b.md",
        "line": 4,
        "column": 2,
        "end_line": 5,
        "end_column": 7,
        "code": "AL999",
        "name": "dummy-rule",
        "severity": "warning",
        "message": "Something is wrong",
        "fixable": True,
        "applicability": "safe",
    }
    assert second["severity"] == "info" and second["fixable"] is False
    assert first["severity"] == "error"
    assert doc["summary"] == {
        "files": 3,
        "errors": 1,
        "warnings": 1,
        "infos": 1,
        "fixable": 1,
        "unsafe_fixable": 0,
        "baselined": 0,
        "file_errors": [
            {"path": "d.md", "line": 7, "message": "undecodable"},
            {"path": "e.md", "line": None, "message": "missing"},
        ],
    }


def test_json_url_without_verdict_still_has_both_keys() -> None:
    doc = json.loads(render("json", RunResult(findings=[make(url="https://x.test/")])))
    assert doc["findings"][0]["url"] == "https://x.test/"
    assert doc["findings"][0]["verdict"] is None



def test_link_details_reach_json_and_sarif() -> None:
    details = {"first_failed": "2026-11-30T06:00:00Z", "failures": 1,
               "replacement": {"url": "https://new.test/", "kind": "redirect"}}
    finding = make(url="https://x.test/", verdict="dead", details=details)
    (data,) = json.loads(render("json", RunResult(findings=[finding])))["findings"]
    assert data["details"] == details
    (result,) = json.loads(render("sarif", RunResult(findings=[finding])))["runs"][0]["results"]
    assert result["properties"] == {"details": details}
    (plain,) = json.loads(render("json", RunResult(findings=[make()])))["findings"]
    assert "details" not in plain

# --- github ---------------------------------------------------------------------------------

# Unescaping as the runner does it (ActionCommand.TryParseV2): replacements in this order.
_DATA_UNESCAPES = [("%0D", "\r"), ("%0A", "\n"), ("%25", "%")]
_PROPERTY_UNESCAPES = [("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")]


def _unescape(value: str, table: list[tuple[str, str]]) -> str:
    for escaped, raw in table:
        value = value.replace(escaped, raw)
    return value


def parse_commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    """The workflow commands the runner would see in ``output``: (name, properties, data)."""
    commands = []
    for line in re.split(r"\r\n|\r|\n", output):
        stripped = line.lstrip()
        if not stripped.startswith("::"):
            continue
        end = stripped.find("::", 2)
        if end < 0:
            continue
        name, _, props = stripped[2:end].partition(" ")
        properties = {}
        for pair in filter(None, props.split(",")):
            key, _, value = pair.partition("=")
            properties[key] = _unescape(value, _PROPERTY_UNESCAPES)
        commands.append((name, properties, _unescape(stripped[end + 2 :], _DATA_UNESCAPES)))
    return commands


def test_parser_unescapes_like_the_runner() -> None:
    path, data = github.escape_property("a:b,%0A\n"), github.escape_data("x%0D\r::")
    line = f"::error file={path}::{data}"
    assert parse_commands(line) == [("error", {"file": "a:b,%0A\n"}, "x%0D\r::")]


HOSTILE_MESSAGE = "50% done::warning::x, a:b\n::error::pwned\r\n##[set-output name=x]y %0A"
HOSTILE_PATH = "we::ird, %2C:name\n::error::x\r.md"


def test_github_hostile_text_round_trips_and_runs_no_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = RunResult(
        findings=[
            make(HOSTILE_PATH, 3, 4, end_column=9, message=HOSTILE_MESSAGE),
            make("a.md", 2, 5, end_line=4, end_column=2, severity=Severity.WARNING),
            make("b.md", 1, 1, end_column=3, severity=Severity.INFO, message="##[group]x"),
        ],
        errors=[FileError(HOSTILE_PATH, HOSTILE_MESSAGE, 8), FileError("gone.md", "missing")],
        files=["a.md", "b.md"],
    )
    out = render("github", result)
    assert "##[" not in out
    commands = parse_commands(out)
    neutral = HOSTILE_MESSAGE.replace("##[", "## [")
    assert commands == [
        ("error", {"file": HOSTILE_PATH, "line": "8"}, neutral),
        ("error", {"file": "gone.md"}, "missing"),
        (
            "error",
            {
                "file": HOSTILE_PATH,
                "line": "3",
                "endLine": "3",
                "col": "4",
                "endColumn": "9",
                "title": "AL999 dummy-rule",
            },
            neutral,
        ),
        (
            "warning",
            {"file": "a.md", "line": "2", "endLine": "4", "title": "AL999 dummy-rule"},
            "Something is wrong",
        ),
        (
            "notice",
            {
                "file": "b.md",
                "line": "1",
                "endLine": "1",
                "col": "1",
                "endColumn": "3",
                "title": "AL999 dummy-rule",
            },
            "## [group]x",
        ),
    ]
    plain = [line for line in out.splitlines() if not line.startswith("::")]
    assert plain == [
        "Found 1 error, 1 warning and 1 info in 2 files; 2 files could not be checked."
    ]


def _capped_result() -> RunResult:
    findings = [make(line=i, message=f"error {i}") for i in range(1, 16)]
    findings += [make(line=i, severity=Severity.WARNING, message=f"warn {i}") for i in range(1, 13)]
    findings += [make(line=i, severity=Severity.INFO, message=f"info {i}") for i in range(1, 4)]
    return RunResult(
        findings=sorted(findings, key=Finding.sort_key),
        files=["README.md"],
        errors=[FileError("gone.md", "missing")],
    )


def test_github_caps_annotations_per_type_worst_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    out = render("github", _capped_result())
    commands = parse_commands(out)
    assert [c[0] for c in commands] == ["error"] * 10 + ["warning"] * 10 + ["notice"] * 3
    assert commands[0][1] == {"file": "gone.md"}
    assert [c[2] for c in commands[1:10]] == [f"error {i}" for i in range(1, 10)]
    assert out.splitlines()[-1] == (
        "8 more annotations not shown (GitHub shows 10 per type):"
        " run with --format text to see them."
    )


def _table_rows(summary: str) -> list[list[str]]:
    rows = [line for line in summary.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]


def _finding_rows(summary: str) -> list[list[str]]:
    """The rows of the per-rule tables (two cells: location and message)."""
    headers = (["Location", "Message"], ["File", "Problem"], ["---", "---"])
    return [row for row in _table_rows(summary) if len(row) == 2 and row not in headers]


def test_github_step_summary_lists_every_finding(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "summary.md"
    target.write_text("# Earlier step output\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    out = render("github", _capped_result())
    assert out.splitlines()[-1].endswith(": see the step summary.")
    summary = target.read_text(encoding="utf-8")
    assert summary.startswith("# Earlier step output\n\n## awesome-lint\n")
    assert "Found 15 errors, 12 warnings and 3 infos in 1 file" in summary
    body = _finding_rows(summary)
    assert len(body) == 1 + 15 + 12 + 3
    assert body[0] == ["gone.md", "missing"]
    assert body[1] == ["[README.md:1:1](README.md#L1)", "error 1"]
    messages = [row[1] for row in body]
    assert "error 15" in messages and "warn 12" in messages  # past the annotation cap


def test_github_step_summary_escapes_cells(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    message = "a | b <img src=x onerror=alert(1)> `code` [x](https://evil.test) \\| c\r\nline2"
    render("github", RunResult(findings=[make("x|y(1).md", message=message)],
                               files=["x|y(1).md"]))
    summary = target.read_text(encoding="utf-8")
    for raw in ("<img", "`", "[x]", "\\"):
        assert raw not in summary
    rows = _finding_rows(summary)
    assert len(rows) == 1
    # The location links to the line; the name's '|' and parentheses are encoded in the URL.
    assert rows[0][0] == "[x&#124;y(1).md:1:1](x%7Cy%281%29.md#L1)"
    assert rows[0][1] == (
        "a &#124; b &lt;img src=x onerror=alert(1)&gt; &#96;code&#96; &#91;x&#93;"
        "(https://evil.test) &#92;&#124; c<br>line2"
    )


def test_github_step_summary_is_capped_below_one_mib(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "summary.md"
    target.write_text("x" * 1000, encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    findings = [make(line=i, message="é" * 500) for i in range(1, 1201)]
    render("github", RunResult(findings=findings, files=["README.md"]))
    data = target.read_bytes()
    limit = github.STEP_SUMMARY_LIMIT - github.STEP_SUMMARY_MARGIN
    assert limit - 2000 < len(data) <= limit < 1024 * 1024
    summary = data.decode("utf-8")
    shown = len(_finding_rows(summary))
    match = re.search(
        r"_([\d,]+) more findings not shown: the step summary is limited to 1 MiB", summary
    )
    assert match is not None
    assert 0 < shown < 1200 and shown + int(match.group(1).replace(",", "")) == 1200
    assert summary.rstrip().endswith("._")  # the note comes last, after the closed table
    assert summary.count("<details>") == summary.count("</details>") == 1


def test_github_step_summary_never_exceeds_its_budget() -> None:
    findings = [make(line=i, message=f"message {i} " + "é" * (i % 97),
                     code=f"AL99{i % 3}", severity=list(Severity)[i % 3]) for i in range(1, 60)]
    result = RunResult(findings=findings, files=["README.md"],
                       errors=[FileError("gone.md", "missing")])
    full = len(github.step_summary(result, 10**9).encode())
    for budget in range(0, full + 50, 13):
        summary = github.step_summary(result, budget)
        assert len(summary.encode()) <= budget
        assert (len(summary.encode()) == full) == (budget >= full)
        assert summary.count("<details>") == summary.count("</details>")
    assert github.step_summary(result, 50) == ""


# --- sarif ----------------------------------------------------------------------------------

_TEXT = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
_POSITIVE = {"type": "integer", "minimum": 1}
_LEVEL = {"enum": ["none", "note", "warning", "error"]}
_LOCATION = {
    "type": "object",
    "required": ["physicalLocation"],
    "properties": {
        "physicalLocation": {
            "type": "object",
            "required": ["artifactLocation"],
            "properties": {
                "artifactLocation": {
                    "type": "object",
                    "required": ["uri"],
                    "properties": {"uri": {"type": "string"}},
                },
                "region": {
                    "type": "object",
                    "required": ["startLine"],
                    "properties": {
                        "startLine": _POSITIVE,
                        "startColumn": _POSITIVE,
                        "endLine": _POSITIVE,
                        "endColumn": _POSITIVE,
                    },
                },
            },
        }
    },
}
# The part of the SARIF 2.1.0 schema that GitHub code scanning needs.
SARIF_SUBSET: dict[str, Any] = {
    "type": "object",
    "required": ["$schema", "version", "runs"],
    "properties": {
        "$schema": {"type": "string"},
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name", "rules"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "informationUri": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": [
                                                "id",
                                                "shortDescription",
                                                "fullDescription",
                                                "help",
                                            ],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "name": {"type": "string"},
                                                "shortDescription": _TEXT,
                                                "fullDescription": _TEXT,
                                                "help": _TEXT,
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "properties": {"level": _LEVEL},
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                    "invocations": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["executionSuccessful"],
                            "properties": {
                                "executionSuccessful": {"type": "boolean"},
                                "toolExecutionNotifications": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["message"],
                                        "properties": {
                                            "message": _TEXT,
                                            "level": _LEVEL,
                                            "locations": {"type": "array", "items": _LOCATION},
                                        },
                                    },
                                },
                            },
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["ruleId", "message", "locations"],
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": 0},
                                "level": _LEVEL,
                                "message": _TEXT,
                                "locations": {"type": "array", "minItems": 1, "items": _LOCATION},
                            },
                        },
                    },
                },
            },
        },
    },
}


def _sarif(result: RunResult) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(render("sarif", result))
    jsonschema.validate(doc, SARIF_SUBSET)
    return doc


def test_sarif_subset_schema_rejects_a_result_without_message() -> None:
    doc = _sarif(RunResult(findings=[make()], rules=[DummyRule]))
    del doc["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SARIF_SUBSET)


def test_sarif_document() -> None:
    result = RunResult(
        findings=[
            make("docs/my list.md", 3, 2, end_column=8),
            make(
                "README.md",
                2,
                1,
                end_line=4,
                end_column=3,
                code="AL998",
                name="dummy-warning",
                severity=Severity.WARNING,
            ),
            make("README.md", 5, 1, severity=Severity.INFO, code="AL000", name="not-listed"),
        ],
        files=["README.md", "docs/my list.md"],
        rules=[DummyRule, DummyWarning],
    )
    doc = _sarif(result)
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("awesome-lint", awesome_lint.__version__)
    assert driver["informationUri"] == "https://github.com/awesome-lint/awesome-lint"
    assert driver["rules"][0] == {
        "id": "AL999",
        "name": "dummy-rule",
        "shortDescription": {"text": "A dummy rule."},
        "fullDescription": {"text": "A dummy rule."},
        "help": {"text": "A dummy rule. See rules/AL999-dummy-rule.md"},
        "defaultConfiguration": {"level": "error"},
    }
    assert driver["rules"][1]["defaultConfiguration"] == {"level": "warning"}
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["invocations"] == [{"executionSuccessful": True}]
    warning, info, error = run["results"]
    assert error == {
        "ruleId": "AL999",
        "ruleIndex": 0,
        "level": "error",
        "message": {"text": "Something is wrong"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "docs/my%20list.md"},
                    "region": {"startLine": 3, "startColumn": 2, "endLine": 3, "endColumn": 8},
                }
            }
        ],
    }
    assert (warning["ruleId"], warning["ruleIndex"], warning["level"]) == ("AL998", 1, "warning")
    assert warning["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2,
        "startColumn": 1,
        "endLine": 4,
        "endColumn": 3,
    }
    assert info["level"] == "note" and "ruleIndex" not in info


def test_sarif_file_errors_become_notifications() -> None:
    result = RunResult(
        files=["README.md"],
        errors=[FileError("bad.md", "not UTF-8", 2), FileError("gone.md", "missing")],
        rules=[DummyRule],
    )
    invocation = _sarif(result)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [
        {
            "level": "error",
            "message": {"text": "not UTF-8"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "bad.md"},
                        "region": {"startLine": 2},
                    }
                }
            ],
        },
        {
            "level": "error",
            "message": {"text": "missing"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "gone.md"}}}],
        },
    ]


def _duplicate_with_related() -> RunResult:
    first = Span(3, 1, 3, 20)
    unsafe = Fix((Edit(Span(9, 1, 9, 20), ""),), Applicability.UNSAFE)
    finding = Finding("README.md", Span(9, 1, 9, 20), "AL301", "duplicate-link", Severity.ERROR,
                      "Duplicate link", unsafe,
                      related=(Related(first, "first listed here"),
                               Related(Span(1, 1, 1, 5), "and in the other file", "other.md")))
    return RunResult(findings=[finding], files=["README.md"])


def test_json_related_locations_and_applicability() -> None:
    (finding,) = json.loads(render("json", _duplicate_with_related()))["findings"]
    assert finding["applicability"] == "unsafe"
    assert finding["related"] == [
        {"path": "README.md", "line": 3, "column": 1, "end_line": 3, "end_column": 20,
         "message": "first listed here"},
        {"path": "other.md", "line": 1, "column": 1, "end_line": 1, "end_column": 5,
         "message": "and in the other file"},
    ]


def test_sarif_related_locations_and_applicability() -> None:
    doc = json.loads(render("sarif", _duplicate_with_related()))
    (result,) = doc["runs"][0]["results"]
    assert result["properties"] == {"fixApplicability": "unsafe"}
    related = result["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2]
    assert related[0]["message"] == {"text": "first listed here"}
    assert related[0]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 20}
    assert related[1]["physicalLocation"]["artifactLocation"]["uri"] == "other.md"
