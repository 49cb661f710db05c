"""Human-readable output, one line per finding, then one summary line.

Errors print as ``path:line:col: CODE name message``; warnings and infos add the severity at
the end, ``... message (warning)`` / ``... message (info)``, and findings that ``--fix`` fixes
(safe fixes) end with `` [*]`` (after the severity, if any), as in ruff: an unsafe fix, which
only ``--fix --unsafe-fixes`` applies, is counted in the summary but not marked. Findings
come first (sorted by path, line, column, code), then file errors as ``str(FileError)``, then
the summary.

Control characters from the file (newlines, ANSI escapes) are shown escaped (``\\n``,
``\\x1b``) so a finding stays on one line and cannot drive the terminal. Colour (bold path,
code coloured by severity) is used only when asked for.
"""

from __future__ import annotations

import re
from typing import TextIO

from awesome_lint.findings import Applicability, Finding, Severity
from awesome_lint.result import RunResult

_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"
_CODE_COLORS = {
    Severity.ERROR: "\x1b[31m",
    Severity.WARNING: "\x1b[33m",
    Severity.INFO: "\x1b[34m",
}
# C0 controls (tab kept), DEL and C1 controls, written as Python-style escapes.
_CONTROLS = {c: repr(chr(c))[1:-1] for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if c != 0x09}
_CONTROLS_BUT_NEWLINE = {c: e for c, e in _CONTROLS.items() if c != 0x0A}
# A file name that is not UTF-8 arrives as a str with lone surrogates (surrogateescape):
# unprintable, and no UTF-8 stream can take it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def clean(value: str) -> str:
    """``value`` with control characters escaped (``\\x1b``, ``\\n``; tab kept) and the bytes of
    a non-UTF-8 file name as ``\\xe9``: safe to print on one terminal line, valid UTF-8."""
    value = value.translate(_CONTROLS)
    return _SURROGATE.sub(_surrogate, value) if _SURROGATE.search(value) else value


def clean_lines(value: str) -> str:
    """:func:`clean`, keeping line breaks (``\\n``): for multi-line text such as a diff."""
    value = value.translate(_CONTROLS_BUT_NEWLINE)
    return _SURROGATE.sub(_surrogate, value) if _SURROGATE.search(value) else value


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary_line(result: RunResult) -> str:
    """One sentence with the counts: findings by severity, files, fixed, fixable (safe, then
    unsafe), hidden by a baseline, file errors."""
    counts = result.counts()
    files = _plural(len(result.files), "file")
    notes = []
    if result.fixed:
        notes.append(f"{result.fixed} fixed")
    safe, unsafe = result.fixable()
    if safe:
        notes.append(f"{safe} fixable with --fix")
    if unsafe:
        notes.append(f"{unsafe} more with --unsafe-fixes" if safe
                     else f"{unsafe} fixable with --fix --unsafe-fixes")
    if result.baselined:
        notes.append(f"{result.baselined} in the baseline")
    extra = f" ({', '.join(notes)})" if notes else ""
    if result.findings or result.errors:
        line = (
            f"Found {_plural(counts['error'], 'error')},"
            f" {_plural(counts['warning'], 'warning')}"
            f" and {_plural(counts['info'], 'info')} in {files}{extra}"
        )
    else:
        line = f"All checks passed: {files}, no findings{extra}"
    if result.errors:
        n = len(result.errors)
        line += f"; {n} {'file' if n == 1 else 'files'} could not be checked"
    return line + "."


def format_finding(finding: Finding, *, color: bool) -> str:
    """The finding's line, without a newline."""
    span = finding.span
    path = clean(finding.path)
    code = finding.code
    if color:
        path = f"{_BOLD}{path}{_RESET}"
        code = f"{_CODE_COLORS[finding.severity]}{code}{_RESET}"
    line = f"{path}:{span.line}:{span.column}: {code} {finding.name} {clean(finding.message)}"
    if finding.severity is not Severity.ERROR:
        line += f" ({finding.severity.value})"
    if finding.applicability is Applicability.SAFE:
        line += " [*]"
    return line


def write(result: RunResult, out: TextIO, *, color: bool) -> None:
    """Write every finding and file error, then the summary line."""
    for finding in sorted(result.findings, key=Finding.sort_key):
        out.write(format_finding(finding, color=color) + "\n")
    for error in result.errors:
        out.write(clean(str(error)) + "\n")
    out.write(summary_line(result) + "\n")
