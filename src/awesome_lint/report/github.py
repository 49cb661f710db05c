"""GitHub Actions output: annotations as workflow commands, and a Markdown step summary.

Each finding becomes ``::error|warning|notice file=F,line=L,endLine=L2[,col=C,endColumn=C2],
title=CODE name::message`` (``col``/``endColumn`` only on one-line spans); a file error becomes
``::error file=F[,line=L]::message``. GitHub shows 10 annotations of each type per step, so we
print at most that many, worst first, then one plain summary line (counts only: no text from
the files). When ``$GITHUB_STEP_SUMMARY`` names a file, every finding is appended there as a
Markdown table, capped at 1 MiB; cell text is written with HTML entities for ``|``, ``<``,
``>``, backticks and other Markdown punctuation, and ``<br>`` for line breaks, so it can
neither break the table nor inject HTML, links or code spans.

Escaping follows the runner: ``%``, ``\\r``, ``\\n`` as ``%25``, ``%0D``, ``%0A`` everywhere,
plus ``:`` and ``,`` as ``%3A``, ``%2C`` in property values. The runner also treats any line
containing ``##[`` as a (legacy) command and has no escape for it, so we write ``##[`` as
``## [`` in every value.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from awesome_lint.findings import Finding, Severity
from awesome_lint.report.text import clean, clean_lines, summary_line
from awesome_lint.result import FileError, RunResult

MAX_PER_TYPE = 10
STEP_SUMMARY_LIMIT = 1024 * 1024  # bytes

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_CELL = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "|": "&#124;",
        "`": "&#96;",
        "\\": "&#92;",
        "[": "&#91;",
        "]": "&#93;",
        "*": "&#42;",
        "_": "&#95;",
        "~": "&#126;",
        "$": "&#36;",
        "\n": "<br>",
    }
)


def escape_data(value: str) -> str:
    """Escape the message part of a workflow command; other control characters (ESC, BEL, C1:
    the log viewer renders ANSI sequences) and a non-UTF-8 name's bytes as ``\\x1b``."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return clean(value).replace("##[", "## [")


def escape_property(value: str) -> str:
    """Escape a ``key=value`` property of a workflow command."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, props: list[tuple[str, object]], message: str) -> str:
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    return f"::{name} {rendered}::{escape_data(message)}"


def _finding_command(finding: Finding) -> str:
    span = finding.span
    props: list[tuple[str, object]] = [
        ("file", finding.path),
        ("line", span.line),
        ("endLine", span.end_line),
    ]
    if span.line == span.end_line:
        props += [("col", span.column), ("endColumn", span.end_column)]
    props.append(("title", f"{finding.code} {finding.name}"))
    return _command(_COMMANDS[finding.severity], props, finding.message)


def _error_command(error: FileError) -> str:
    props: list[tuple[str, object]] = [("file", error.path)]
    if error.line:
        props.append(("line", error.line))
    return _command("error", props, error.message)


def _ordered(result: RunResult) -> list[Finding]:
    return sorted(result.findings, key=lambda f: (f.severity.rank, *f.sort_key()))


def escape_cell(value: str) -> str:
    """Text safe inside a Markdown table cell: no pipes, HTML, code spans, links or breaks."""
    return clean_lines(value.replace("\r\n", "\n").replace("\r", "\n")).translate(_CELL)


def _row(*cells: str) -> str:
    return "| " + " | ".join(escape_cell(c) for c in cells) + " |\n"


def step_summary(result: RunResult, budget: int) -> str:
    """The Markdown summary, at most ``budget`` UTF-8 bytes ("" when even the header won't fit)."""
    head = f"\n## awesome-lint\n\n{escape_cell(summary_line(result))}\n\n"
    rows = [
        _row(f"{e.path}:{e.line}" if e.line else e.path, "", "", "error", e.message)
        for e in result.errors
    ]
    rows += [
        _row(f"{f.path}:{f.span.line}:{f.span.column}", f.code, f.name, f.severity.value, f.message)
        for f in _ordered(result)
    ]
    if rows:
        head += "| Location | Code | Rule | Severity | Message |\n| --- | --- | --- | --- | --- |\n"
    text = head + "".join(rows)
    if len(text.encode()) <= budget:
        return text
    note_size = 200  # room kept for the truncation note
    size = len(head.encode())
    if size + note_size > budget:
        return ""
    parts = [head]
    for shown, row in enumerate(rows):
        size += len(row.encode())
        if size + note_size > budget:
            left = len(rows) - shown
            parts.append(f"\n_{left} more rows not shown: the step summary is limited to 1 MiB._\n")
            break
        parts.append(row)
    return "".join(parts)


def _append_step_summary(result: RunResult, target: Path) -> bool:
    used = target.stat().st_size if target.exists() else 0
    text = step_summary(result, STEP_SUMMARY_LIMIT - used)
    if not text:
        return False
    with target.open("a", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return True


def write(result: RunResult, out: TextIO, *, color: bool) -> None:
    """Print annotations (at most 10 per type) and a summary line; append the step summary."""
    shown = dict.fromkeys(_COMMANDS.values(), 0)
    hidden = 0
    commands = [("error", _error_command(e)) for e in result.errors]
    commands += [(_COMMANDS[f.severity], _finding_command(f)) for f in _ordered(result)]
    for kind, command in commands:
        if shown[kind] < MAX_PER_TYPE:
            shown[kind] += 1
            out.write(command + "\n")
        else:
            hidden += 1
    out.write(summary_line(result) + "\n")
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    in_summary = _append_step_summary(result, Path(target)) if target else False
    if hidden:
        where = "see the step summary" if in_summary else "run with --format text to see them"
        limit = f"GitHub shows {MAX_PER_TYPE} per type"
        out.write(f"{hidden} more annotations not shown ({limit}): {where}.\n")
