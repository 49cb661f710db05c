"""A Markdown report for people: a pull-request comment, a weekly issue, a file in the repo.

Counts first (with ``--links``, the links checked by verdict), then the link findings grouped
by verdict in :data:`~awesome_lint.verdicts.TITLES` order (the most actionable first; a
Replacement column where a gone link has a suggestion), then the other findings grouped by
rule, then the files that could not be checked; "No findings" when there is nothing to say.
It fits an issue body (:data:`ISSUE_BODY_LIMIT`): whole rows are left out from the end, and a
closing line counts them. Each finding's location links to its line:
``https://github.com/OWNER/REPO/blob/SHA/path#L12`` when ``GITHUB_SERVER_URL``,
``GITHUB_REPOSITORY`` and ``GITHUB_SHA`` are set (as in GitHub Actions), else ``path#L12``
relative to the report. Text from the linted files goes through the same cell escaping as the
GitHub step summary: it cannot break a table, nor inject HTML, links or mentions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from awesome_lint.findings import Finding
from awesome_lint.replacements import Replacement
from awesome_lint.report import health
from awesome_lint.report.github import escape_cell, line_url
from awesome_lint.report.text import summary_line
from awesome_lint.result import RunResult
from awesome_lint.verdicts import TITLES

__all__ = ["ISSUE_BODY_LIMIT", "groups", "line_url", "render", "write"]


def _cell(value: str) -> str:
    # '@' as an entity too: no mention of a user or team from a list's text in an issue.
    return escape_cell(value).replace("@", "&#64;")


def _location(finding: Finding) -> str:
    text = _cell(f"{finding.path}:{finding.span.line}")
    return f"[{text}]({line_url(finding.path, finding.span.line)})"


def _header(header: tuple[str, ...]) -> str:
    return "| " + " | ".join(header) + " |\n|" + " --- |" * len(header) + "\n"


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |\n"


#: GitHub refuses an issue or comment body longer than this many characters.
ISSUE_BODY_LIMIT = 65_536


def _size(text: str) -> int:
    """``text``'s length as GitHub may count it: UTF-16 code units (never fewer than code
    points), so a report under the limit fits however the limit is counted."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass(frozen=True, slots=True)
class _Group:
    """A heading and a table: the text before the rows, and the rows (each a whole line: a
    finding, or with ``files`` a file that could not be checked)."""

    opening: str
    rows: list[str]
    files: bool = False


def groups(result: RunResult) -> list[tuple[str, list[Finding]]]:
    """The findings as reports show them: link findings by verdict (in :data:`TITLES` order,
    the most actionable first), then the others by rule, each group by file and line."""
    ordered = sorted(result.findings, key=Finding.sort_key)
    links = [f for f in ordered if f.verdict is not None]
    by_title: dict[str, list[Finding]] = {}
    for verdict, title in TITLES.items():  # (two verdicts may share a title)
        by_title.setdefault(title, []).extend(f for f in links if f.verdict == verdict.value)
    known = {v.value for v in TITLES}
    by_title.setdefault("Other link findings", []).extend(
        f for f in links if f.verdict not in known)
    found = [(title, group) for title, group in by_title.items() if group]
    by_rule: dict[tuple[str, str], list[Finding]] = {}
    for finding in sorted((f for f in ordered if f.verdict is None),
                          key=lambda f: (f.code, *f.sort_key())):
        by_rule.setdefault((finding.code, finding.name), []).append(finding)
    return found + [(f"{code} {name}", group) for (code, name), group in by_rule.items()]


def _link_rows(group: list[Finding]) -> tuple[tuple[str, ...], list[str]]:
    """The header and rows of one verdict's link findings; with a Replacement column when one
    has a suggestion (the message then without the suffix that names it)."""
    suggested = [Replacement.from_json(f.details.get("replacement")) for f in group]
    if not any(suggested):
        return (("Location", "Link", "Severity", "Message"), [
            _row((_location(f), _cell(f.url or ""), f.severity.value, _cell(f.message)))
            for f in group])
    return (("Location", "Link", "Severity", "Message", "Replacement"), [
        _row((_location(f), _cell(f.url or ""), f.severity.value,
              _cell(f.message.removesuffix(r.suffix()) if r else f.message),
              _cell(r.describe()) if r else ""))
        for f, r in zip(group, suggested, strict=True)])


def _tables(result: RunResult) -> list[_Group]:
    parts = []
    found = groups(result)
    link_groups = [(t, g) for t, g in found if g[0].verdict is not None]
    rule_groups = [(t, g) for t, g in found if g[0].verdict is None]
    for index, (title, group) in enumerate(link_groups):
        heading = "## Links\n\n" if index == 0 else ""
        header, rows = _link_rows(group)
        parts.append(_Group(f"{heading}### {_cell(title)} ({len(group)})\n\n" + _header(header),
                            rows))
    for index, (title, group) in enumerate(rule_groups):
        heading = "## Rules\n\n" if index == 0 else ""
        parts.append(_Group(
            f"{heading}### {_cell(title)} ({len(group)})\n\n"
            + _header(("Location", "Severity", "Message")),
            [_row((_location(f), f.severity.value, _cell(f.message))) for f in group]))
    if result.errors:
        parts.append(_Group(
            f"## Files that could not be checked ({len(result.errors)})\n\n"
            + _header(("File", "Problem")),
            [_row((_cell(f"{e.path}:{e.line}" if e.line else e.path), _cell(e.message)))
             for e in result.errors], files=True))
    return parts


def _links_line(result: RunResult) -> str:
    """"Links checked: N (ok 12, dead 2, ...)", newly dead and recovered; "" without --links."""
    if result.links is None:
        return ""
    counts = ", ".join(f"{verdict} {count:,}" for verdict, count in
                       health.verdict_counts(result.links))
    line = f"Links checked: {len(result.links):,}" + (f" ({counts})" if counts else "")
    if health.has_history(result.links):
        line += (f"; newly failing: {len(health.newly_dead(result.links)):,}, recovered: "
                 f"{len(health.recovered(result.links)):,}")
    return line + ".\n"


def _left_out(findings: int, files: int, rows: int) -> str:
    what = [f"{findings:,} finding{'' if findings == 1 else 's'}"] if findings else []
    if files:
        what.append(f"{files:,} file{'' if files == 1 else 's'} that could not be checked")
    return (f"\n_Left out: {' and '.join(what)} ({rows:,} table row{'' if rows == 1 else 's'}): "
            f"this report is capped at {ISSUE_BODY_LIMIT:,} characters to fit an issue body; "
            "`--format json` has them all._\n")


def render(result: RunResult, limit: int = ISSUE_BODY_LIMIT) -> str:
    """The whole report as one Markdown string of at most ``limit`` characters (UTF-16 code
    units): the counts, then the groups, most actionable first. When they do not all fit,
    whole rows are dropped from the end (a table is never cut inside a row, nor an escape
    inside a cell) and a closing line counts the findings and rows left out."""
    counts = result.counts()
    head = "# awesome-lint report\n\n" + _cell(summary_line(result)) + "\n\n"
    head += _header(("errors", "warnings", "infos", "files checked", "files not checked"))
    head += _row((str(counts["error"]), str(counts["warning"]), str(counts["info"]),
                  str(len(result.files)), str(len(result.errors))))
    links = _links_line(result)
    if links:
        head += "\n" + links
    if not result.findings and not result.errors:
        return head + "\nNo findings.\n"
    tables = _tables(result)
    whole = head + "".join("\n" + t.opening + "".join(t.rows) for t in tables)
    if _size(whole) <= limit:
        return whole
    rows = sum(len(t.rows) for t in tables)
    # The longest closing line: every count at most its total.
    budget = limit - _size(_left_out(len(result.findings), len(result.errors), rows))
    parts = [head]
    size = _size(head)
    shown = shown_files = shown_rows = 0
    for table in tables:
        opening = "\n" + table.opening
        if size + _size(opening) + _size(table.rows[0]) > budget:
            break
        parts.append(opening)
        size += _size(opening)
        for row in table.rows:
            if size + _size(row) > budget:
                break
            parts.append(row)
            size += _size(row)
            shown_rows += 1
            if table.files:
                shown_files += 1
            else:
                shown += 1
        else:
            continue
        break
    parts.append(_left_out(len(result.findings) - shown, len(result.errors) - shown_files,
                           rows - shown_rows))
    return "".join(parts)


def write(result: RunResult, out: TextIO, *, color: bool) -> None:
    """Write the Markdown report (``color`` is ignored)."""
    out.write(render(result))
