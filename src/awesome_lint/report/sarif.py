"""SARIF 2.1.0 output, as GitHub code scanning reads it.

One run: the driver lists every rule that ran, results point at rules by ``ruleId`` and
``ruleIndex``, and files that could not be checked become tool execution notifications.
Columns are Unicode code points (``columnKind``), end columns exclusive, as in our spans.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, TextIO
from urllib.parse import quote

import awesome_lint
from awesome_lint.findings import Finding, Severity
from awesome_lint.model import Span
from awesome_lint.report.json import json_text
from awesome_lint.result import FileError, RunResult
from awesome_lint.rule import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/awesome-lint/awesome-lint"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    """A URI reference for ``path``: relative paths stay relative, with forward slashes."""
    pure = PurePath(path)
    if pure.is_absolute():
        return pure.as_uri()
    return quote(pure.as_posix().encode("utf-8", "surrogateescape"), safe="/")


def _rule(rule: type[Rule], preset: str | None) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": f"{rule.summary} See rules/{rule.code}-{rule.name}.md"},
        "defaultConfiguration": {"level": _LEVELS[rule.default_severity(preset)]},
    }


def _location(path: str, region: dict[str, int]) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(path)}}
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def _result(finding: Finding, indexes: dict[str, int]) -> dict[str, Any]:
    region = _region(finding.span)
    data: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in indexes:
        data["ruleIndex"] = indexes[finding.code]
    data["level"] = _LEVELS[finding.severity]
    data["message"] = {"text": finding.message}
    data["locations"] = [_location(finding.path, region)]
    if finding.related:
        data["relatedLocations"] = [
            {"id": index, **_location(r.path or finding.path, _region(r.span)),
             "message": {"text": r.message}}
            for index, r in enumerate(finding.related, 1)
        ]
    properties: dict[str, Any] = {}
    if finding.fix is not None:
        properties["fixApplicability"] = finding.fix.applicability.value
    if finding.details:
        properties["details"] = dict(finding.details)
    if properties:
        data["properties"] = properties
    return data


def _region(span: Span) -> dict[str, int]:
    return {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line,
            "endColumn": span.end_column}


def _notification(error: FileError) -> dict[str, Any]:
    region = {"startLine": error.line} if error.line else {}
    return {
        "level": "error",
        "message": {"text": error.message},
        "locations": [_location(error.path, region)],
    }


def document(result: RunResult) -> dict[str, Any]:
    """The SARIF log as plain data."""
    indexes = {rule.code: i for i, rule in enumerate(result.rules)}
    invocation: dict[str, Any] = {"executionSuccessful": not result.errors}
    if result.errors:
        invocation["toolExecutionNotifications"] = [_notification(e) for e in result.errors]
    run = {
        "tool": {
            "driver": {
                "name": "awesome-lint",
                "version": awesome_lint.__version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rule, result.preset) for rule in result.rules],
            }
        },
        "columnKind": "unicodeCodePoints",
        "invocations": [invocation],
        "results": [_result(f, indexes) for f in sorted(result.findings, key=Finding.sort_key)],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def write(result: RunResult, out: TextIO, *, color: bool) -> None:
    """Write the SARIF log as indented JSON (``color`` is ignored)."""
    out.write(json_text(document(result)) + "\n")
