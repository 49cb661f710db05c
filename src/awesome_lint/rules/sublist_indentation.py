"""AL104 sublist-indentation: sub-lists indented the same way under the same kind of entry."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from awesome_lint.findings import Edit, Fix, Severity, Violation
from awesome_lint.model import Document, Entry, ListBlock, Span
from awesome_lint.rule import Rule, Tier
from awesome_lint.rules._indent import content_column, moving_fix
from awesome_lint.rules._style import dominant

_TAB = 4


class SublistIndentation(Rule):
    code = "AL104"
    name = "sublist-indentation"
    summary = "Sub-lists under the same kind of entry are indented by the same amount."
    severity = Severity.WARNING
    tier = Tier.AWESOME
    fixable = True

    def check(self, doc: Document) -> Iterator[Violation]:
        found: list[tuple[tuple[bool, int], int, Entry, ListBlock]] = []
        for entry in doc.iter_entries():
            if not entry.sublists:
                continue
            parent = _indent(doc, entry.marker_span)
            key = (entry.number is not None, _content_offset(doc, entry))
            for sub in entry.sublists:
                offset = _indent(doc, sub.entries[0].marker_span) - parent
                if offset >= key[1]:  # a note left of the entry's text is note-indentation's
                    found.append((key, offset, entry, sub))
        per_kind: dict[tuple[bool, int], Counter[int]] = {}
        for key, offset, _, _ in found:
            per_kind.setdefault(key, Counter())[offset] += 1
        usual = {key: dominant(counts) for key, counts in per_kind.items()}
        for key, offset, entry, sub in found:
            expected = usual[key]
            if expected is None or offset == expected:
                continue  # a file split between two indentations has no style to restore
            uses = per_kind[key][expected]
            plural = "s" if uses > 1 else ""
            message = (
                f"Sub-list indented {offset} spaces from its entry's marker, but the other "
                f"{uses} sub-list{plural} under {entry.marker!r} entries use {expected}; "
                f"indent it {expected} spaces"
            )
            yield Violation(sub.entries[0].marker_span, message,
                            moving_fix(doc, _shift(doc, sub.span, expected - offset),
                                       entry, sub))


def _indent(doc: Document, span: Span) -> int:
    """The visual column (tabs to multiples of 4) of ``span``'s start, 0-based."""
    column = 0
    for ch in doc.lines[span.line - 1][: span.column - 1]:
        column = column + _TAB - column % _TAB if ch == "\t" else column + 1
    return column


def _content_offset(doc: Document, entry: Entry) -> int:
    """How far the entry's text starts from its marker (2 for ``- x``, 3 for ``1. x``)."""
    return content_column(doc, entry) - 1 - _indent(doc, entry.marker_span)


def _shift(doc: Document, span: Span, by: int) -> Fix | None:
    """Move every non-blank line of ``span`` right (or left) by ``by`` spaces, when possible."""
    edits = []
    for number in range(span.line, span.end_line + 1):
        line = doc.lines[number - 1]
        if not line.strip():
            continue
        lead = len(line) - len(line.lstrip())
        if "\t" in line[:lead] or lead + by < 0:
            return None
        if by > 0:
            edits.append(Edit(Span(number, 1, number, 1), " " * by))
        else:
            edits.append(Edit(Span(number, 1, number, 1 - by), ""))
    return Fix(tuple(edits)) if edits else None
