"""Machine-readable output: a versioned JSON document (the contract is in :func:`document`)."""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

import awesome_lint
from awesome_lint.findings import Finding, Related
from awesome_lint.result import RunResult

SCHEMA_VERSION = 1


def _finding(finding: Finding) -> dict[str, Any]:
    span = finding.span
    data: dict[str, Any] = {
        "path": finding.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "fixable": finding.fixable,
    }
    if finding.fix is not None:
        data["applicability"] = finding.fix.applicability.value
    if finding.related:
        data["related"] = [_related(finding, r) for r in finding.related]
    if finding.url is not None:
        data["url"] = finding.url
        data["verdict"] = finding.verdict
    if finding.details:
        data["details"] = dict(finding.details)
    return data


def _related(finding: Finding, related: Related) -> dict[str, Any]:
    span = related.span
    return {"path": related.path or finding.path, "line": span.line, "column": span.column,
            "end_line": span.end_line, "end_column": span.end_column,
            "message": related.message}


def document(result: RunResult) -> dict[str, Any]:
    """The report as plain data.

    ``{"version": 1, "tool": {"name", "version"}, "findings": [...], "summary": {"files",
    "errors", "warnings", "infos", "fixable", "unsafe_fixable", "baselined", "file_errors":
    [{"path", "line", "message"}]}}``: ``fixable`` counts the findings ``--fix`` fixes (safe
    fixes), ``unsafe_fixable`` those only ``--fix --unsafe-fixes`` fixes, ``baselined`` those a
    baseline hid. Each finding has path, line, column, end_line, end_column, code, name,
    severity, message, fixable (it has a fix, safe or not); plus ``applicability`` ("safe" or
    "unsafe") when fixable, ``related`` (the other places involved: path, line, column,
    end_line, end_column, message) when there are any, and url and verdict for link findings
    (with ``details``, facts about the link such as ``first_failed``, when there are any).

    ``suppressions`` (additive, only when the files have any): every inline suppression
    comment, ``{"path", "line", "column", "kind", "rules" (codes, or null for every rule),
    "reason" (the text after ``--``, or null), "used" (whether it suppressed a finding)}``; the
    findings it suppressed are not listed.
    """
    counts = result.counts()
    fixable = result.fixable()
    data: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "awesome-lint", "version": awesome_lint.__version__},
        "findings": [_finding(f) for f in sorted(result.findings, key=Finding.sort_key)],
        "summary": {
            "files": len(result.files),
            "errors": counts["error"],
            "warnings": counts["warning"],
            "infos": counts["info"],
            "fixable": fixable[0],
            "unsafe_fixable": fixable[1],
            "baselined": result.baselined,
            "file_errors": [
                {"path": e.path, "line": e.line, "message": e.message} for e in result.errors
            ],
        },
    }
    if result.suppressions:
        data["suppressions"] = [
            {"path": path, "line": c.span.line, "column": c.span.column, "kind": c.kind,
             "rules": None if c.codes is None else list(c.codes), "reason": c.reason or None,
             "used": c.used}
            for path, c in result.suppressions
        ]
    return data


# Raw in JSON text but unsafe on a terminal (DEL, C1 controls such as CSI) or not UTF-8 at all
# (the lone surrogates of a non-UTF-8 file name): written as \\uXXXX escapes, which JSON
# readers decode back to the same string.
_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff]")


def json_text(data: object) -> str:
    """``data`` as indented JSON, non-ASCII text kept readable, every control character and
    surrogate escaped (json itself escapes C0 controls)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}",
                       json.dumps(data, indent=2, ensure_ascii=False))


def write(result: RunResult, out: TextIO, *, color: bool) -> None:
    """Write the document, indented, with a trailing newline (``color`` is ignored)."""
    out.write(json_text(document(result)) + "\n")
