"""GitHub Actions output: annotations as workflow commands, and a Markdown step summary.

Each finding becomes ``::error|warning|notice file=F,line=L,endLine=L2[,col=C,endColumn=C2],
title=CODE name::message`` (``col``/``endColumn`` only on one-line spans); a file error becomes
``::error file=F[,line=L]::message``. GitHub shows 10 annotations of each type per step, so we
print at most that many, worst first, then one plain summary line (counts only: no text from
the files). When ``$GITHUB_STEP_SUMMARY`` names a file, a Markdown summary is appended there
(:func:`step_summary`): the counts per rule, a ``--fix`` hint, then every finding grouped by
rule, errors first, each linked to its line, long groups folded in ``<details>``, capped
64 KiB below GitHub's 1 MiB limit with a count of what was left out. Text from the files is
written with HTML entities for ``|``, ``<``, ``>``, backticks and other Markdown punctuation,
and ``<br>`` for line breaks, so it can neither break a table nor inject HTML, links or code
spans; the only links are ours, to the lines, with the file name percent-encoded.

Escaping follows the runner: ``%``, ``\\r``, ``\\n`` as ``%25``, ``%0D``, ``%0A`` everywhere,
plus ``:`` and ``,`` as ``%3A``, ``%2C`` in property values. The runner also treats any line
containing ``##[`` as a (legacy) command and has no escape for it, so we write ``##[`` as
``## [`` in every value.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from awesome_lint.findings import Applicability, Finding, Severity
from awesome_lint.report.text import clean, clean_lines, summary_line
from awesome_lint.result import FileError, RunResult

MAX_PER_TYPE = 10
STEP_SUMMARY_LIMIT = 1024 * 1024  # bytes: GitHub refuses a larger step summary
#: We stay this far below the limit: the runner counts the whole file, which may hold what
#: earlier commands of the step wrote (we subtract its size too), and its count is not ours.
STEP_SUMMARY_MARGIN = 64 * 1024
#: A rule's findings are folded in ``<details>`` when there are more than this many.
DETAILS_AFTER = 10

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


def line_url(path: str, line: int, env: Mapping[str, str] | None = None) -> str:
    """Where a finding's line is on GitHub (or relative to the report when not in Actions):
    ``https://github.com/OWNER/REPO/blob/SHA/path#L12`` when ``GITHUB_SERVER_URL``,
    ``GITHUB_REPOSITORY`` and ``GITHUB_SHA`` are set, else ``path#L12``. Every part from a
    file name is percent-encoded, so the URL cannot end a Markdown link early."""
    env = os.environ if env is None else env
    rel = path.replace("\\", "/")
    workspace = env.get("GITHUB_WORKSPACE")
    if workspace and Path(path).is_absolute():
        with contextlib.suppress(ValueError):
            rel = Path(path).relative_to(workspace).as_posix()
    rel = rel.removeprefix("./")
    # (the name's bytes: a non-UTF-8 name is a str with surrogates, which quote() refuses)
    anchor = f"{quote(rel.encode('utf-8', 'surrogateescape'), safe='/')}#L{line}"
    server, repo, sha = (env.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY",
                                                  "GITHUB_SHA"))
    if server and repo and sha:
        return f"{quote(server.rstrip('/'), safe=':/')}/{quote(repo, safe='/')}/blob/" \
               f"{quote(sha)}/{anchor}"
    return anchor


def _linked(path: str, line: int | None, column: int | None = None) -> str:
    """A location cell: ``path:line:column`` (escaped) linked to the line on GitHub."""
    if not line:
        return escape_cell(path)
    where = f"{path}:{line}" if column is None else f"{path}:{line}:{column}"
    return f"[{escape_cell(where)}]({line_url(path, line)})"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _fix_hint(findings: Sequence[Finding]) -> str:
    """"Run `awesome-lint --fix` locally to fix N" (safe fixes only: --fix applies no other),
    and how many more ``--unsafe-fixes`` would; "" when nothing is fixable."""
    safe = sum(f.applicability is Applicability.SAFE for f in findings)
    unsafe = sum(f.applicability is Applicability.UNSAFE for f in findings)
    parts = []
    if safe:
        parts.append(f"Run `awesome-lint --fix` locally to fix {_plural(safe, 'finding')}")
    if unsafe:
        more = "more " if safe else ""
        verb = "review" if safe else "Review"
        parts.append(f"{verb} {unsafe:,} {more}with `awesome-lint --fix --unsafe-fixes`")
    return "; ".join(parts) + "." if parts else ""


@dataclass(slots=True)
class _Group:
    """The findings of one rule (or the files that could not be checked), rendered as a
    heading, then a table (in ``<details>`` when it is long), then a closing."""

    title: str
    header: str
    rows: list[str]

    def parts(self) -> tuple[str, str]:
        """The text before the rows and after them."""
        table = f"{self.header}\n|{' --- |' * self.header.count(' | ')} --- |\n"
        head = f"\n### {self.title}\n\n"
        if len(self.rows) <= DETAILS_AFTER:
            return head + table, ""
        shown = f"Show all {len(self.rows):,}"
        return head + f"<details><summary>{shown}</summary>\n\n" + table, "\n</details>\n"


def _groups(result: RunResult) -> list[_Group]:
    """Files that could not be checked, then one group per rule: errors first, then warnings,
    then infos, each by rule code; within a group, by file and line."""
    groups = []
    if result.errors:
        groups.append(_Group(
            f"Files that could not be checked ({len(result.errors):,})", "| File | Problem |",
            [f"| {_linked(e.path, e.line)} | {escape_cell(e.message)} |\n"
             for e in result.errors]))
    by_rule: dict[tuple[int, str, str, Severity], list[Finding]] = {}
    for f in sorted(result.findings, key=Finding.sort_key):
        by_rule.setdefault((f.severity.rank, f.code, f.name, f.severity), []).append(f)
    for (_, code, name, severity), findings in sorted(by_rule.items(), key=lambda i: i[0][:3]):
        count = _plural(len(findings), severity.value)
        groups.append(_Group(
            f"{escape_cell(code)} {escape_cell(name)}: {count}", "| Location | Message |",
            [f"| {_linked(f.path, f.span.line, f.span.column)} | {escape_cell(f.message)} |\n"
             for f in findings]))
    return groups


def _overview(result: RunResult) -> str:
    """A table of the counts per rule, worst first (nothing from the files but rule names)."""
    counts: dict[tuple[int, str, str, str], list[Finding]] = {}
    for f in result.findings:
        counts.setdefault((f.severity.rank, f.code, f.name, f.severity.value), []).append(f)
    if not counts:
        return ""
    lines = ["| Rule | Severity | Findings | Fixable with --fix |", "| --- | --- | ---: | ---: |"]
    for (_, code, name, severity), findings in sorted(counts.items()):
        safe = sum(f.applicability is Applicability.SAFE for f in findings)
        lines.append(f"| {escape_cell(code)} {escape_cell(name)} | {severity} "
                     f"| {len(findings):,} | {safe:,} |")
    return "\n".join(lines) + "\n"


def _left_out(findings: int, files: int) -> str:
    what = [_plural(findings, "more finding")] if findings else []
    if files:
        what.append(_plural(files, "more file") + " that could not be checked")
    return (f"\n_{' and '.join(what)} not shown: the step summary is limited to 1 MiB"
            " (see the Markdown report, or run awesome-lint locally)._\n")


def step_summary(result: RunResult, budget: int) -> str:
    """The Markdown summary, at most ``budget`` UTF-8 bytes ("" when even the header won't fit).

    The counts, a hint to run ``--fix``, a table of the counts per rule, then the files that
    could not be checked and each rule's findings (errors first), each location linked to its
    line on GitHub; a group longer than :data:`DETAILS_AFTER` rows is folded in ``<details>``.
    When the whole does not fit, rows are dropped from the end, every open table and
    ``<details>`` is closed, and one line says how many findings were left out.
    """
    head = f"\n## awesome-lint\n\n{escape_cell(summary_line(result))}\n\n"
    hint = _fix_hint(result.findings)
    if hint:
        head += hint + "\n\n"
    head += _overview(result)
    groups = _groups(result)
    whole = [head]
    for group in groups:
        opening, closing = group.parts()
        whole += [opening, *group.rows, closing]
    text = "".join(whole)
    if len(text.encode()) <= budget:
        return text
    # The longest note: each count is at most its total.
    note = len(_left_out(len(result.findings), len(result.errors)).encode())
    size = len(head.encode())
    if size + note > budget:
        return ""
    parts = [head]
    shown = 0
    for group in groups:
        opening, closing = group.parts()
        fixed = len(opening.encode()) + len(closing.encode())
        if size + fixed + len(group.rows[0].encode()) + note > budget:
            break
        parts.append(opening)
        size += fixed
        complete = True
        for row in group.rows:
            cost = len(row.encode())
            if size + cost + note > budget:
                complete = False
                break
            parts.append(row)
            size += cost
            shown += 1
        parts.append(closing)  # (its size is counted already)
        if not complete:
            break
    shown_files = min(shown, len(result.errors))  # (the files come first)
    parts.append(_left_out(len(result.findings) - (shown - shown_files),
                           len(result.errors) - shown_files))
    return "".join(parts)


def _append_step_summary(result: RunResult, target: Path) -> bool:
    used = target.stat().st_size if target.exists() else 0
    text = step_summary(result, STEP_SUMMARY_LIMIT - STEP_SUMMARY_MARGIN - used)
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
