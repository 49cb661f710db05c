"""A Markdown report for people: a pull-request comment, a weekly issue, a file in the repo.

Counts first, then the link findings grouped by verdict (dead, redirected, unverifiable,
error, archived; a Replacement column where a gone link has a suggestion), then the other
findings grouped by rule, then the files that could not be checked; "No findings" when there
is nothing to say. Each finding's location links to its line:
``https://github.com/OWNER/REPO/blob/SHA/path#L12`` when ``GITHUB_SERVER_URL``,
``GITHUB_REPOSITORY`` and ``GITHUB_SHA`` are set (as in GitHub Actions), else ``path#L12``
relative to the report. Text from the linted files goes through the same cell escaping as the
GitHub step summary: it cannot break a table, nor inject HTML, links or mentions.
"""

from __future__ import annotations

from typing import TextIO

from awesome_lint.findings import Finding
from awesome_lint.replacements import Replacement
from awesome_lint.report.github import escape_cell, line_url
from awesome_lint.report.text import summary_line
from awesome_lint.result import RunResult
from awesome_lint.verdicts import TITLES

__all__ = ["line_url", "render", "write"]


def _cell(value: str) -> str:
    # '@' as an entity too: no mention of a user or team from a list's text in an issue.
    return escape_cell(value).replace("@", "&#64;")


def _location(finding: Finding) -> str:
    text = _cell(f"{finding.path}:{finding.span.line}")
    return f"[{text}]({line_url(finding.path, finding.span.line)})"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _link_table(group: list[Finding]) -> str:
    """The link findings of one verdict; with a Replacement column when one has a suggestion
    (the message then without the suffix that names it)."""
    suggested = [Replacement.from_json(f.details.get("replacement")) for f in group]
    if not any(suggested):
        return _table(("Location", "Link", "Severity", "Message"), [
            (_location(f), _cell(f.url or ""), f.severity.value, _cell(f.message))
            for f in group])
    return _table(("Location", "Link", "Severity", "Message", "Replacement"), [
        (_location(f), _cell(f.url or ""), f.severity.value,
         _cell(f.message.removesuffix(r.suffix()) if r else f.message),
         _cell(r.describe()) if r else "")
        for f, r in zip(group, suggested, strict=True)])


def render(result: RunResult) -> str:
    """The whole report as one Markdown string."""
    counts = result.counts()
    parts = ["# awesome-lint report\n", _cell(summary_line(result)) + "\n"]
    parts.append(_table(("errors", "warnings", "infos", "files checked", "files not checked"),
                        [(str(counts["error"]), str(counts["warning"]), str(counts["info"]),
                          str(len(result.files)), str(len(result.errors)))]))
    if not result.findings and not result.errors:
        parts.append("No findings.\n")
        return "\n".join(parts)
    ordered = sorted(result.findings, key=Finding.sort_key)
    links = [f for f in ordered if f.verdict is not None]
    others = [f for f in ordered if f.verdict is None]
    if links:
        parts.append("## Links\n")
        groups: dict[str, list[Finding]] = {}
        for verdict, title in TITLES.items():  # (two verdicts may share a title)
            groups.setdefault(title, []).extend(f for f in links if f.verdict == verdict.value)
        for title, group in groups.items():
            if group:
                parts.append(f"### {title} ({len(group)})\n")
                parts.append(_link_table(group))
    if others:
        parts.append("## Rules\n")
        by_rule: dict[tuple[str, str], list[Finding]] = {}
        for finding in sorted(others, key=lambda f: (f.code, *f.sort_key())):
            by_rule.setdefault((finding.code, finding.name), []).append(finding)
        for (code, name), group in by_rule.items():
            parts.append(f"### {_cell(code)} {_cell(name)} ({len(group)})\n")
            parts.append(_table(("Location", "Severity", "Message"), [
                (_location(f), f.severity.value, _cell(f.message)) for f in group]))
    if result.errors:
        parts.append(f"## Files that could not be checked ({len(result.errors)})\n")
        parts.append(_table(("File", "Problem"), [
            (_cell(f"{e.path}:{e.line}" if e.line else e.path), _cell(e.message))
            for e in result.errors]))
    return "\n".join(parts)


def write(result: RunResult, out: TextIO, *, color: bool) -> None:
    """Write the Markdown report (``color`` is ignored)."""
    out.write(render(result))
