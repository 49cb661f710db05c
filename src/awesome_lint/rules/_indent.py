"""Helpers shared by the indentation rules (AL103, AL104): columns, and moving a list under an
entry safely; not a rule itself."""

from __future__ import annotations

import re

from awesome_lint.findings import Edit, Fix
from awesome_lint.model import Document, Entry, ListBlock

_ITEM = re.compile(r"([ \t]*)(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)")


def visual_column(line: str, column: int) -> int:
    """The 1-based column of code point ``column`` with tabs expanded to multiples of 4."""
    width = 0
    for ch in line[: column - 1]:
        width = width + 4 - width % 4 if ch == "\t" else width + 1
    return width + 1


def content_column(doc: Document, entry: Entry) -> int:
    """The (visual) column where the entry's text starts: where a nested block must start."""
    span = entry.marker_span
    line = doc.lines[span.line - 1]
    after = visual_column(line, span.end_column)  # just after the marker
    rest = line[span.end_column - 1:]
    gap = len(rest) - len(rest.lstrip(" \t"))
    # The gap's width with tabs expanded: "1.\tText" starts its text at column 5, not 4.
    width = visual_column(line, span.end_column + gap) - after
    if not rest.strip() or width > 4:
        return after + 1
    return after + width


def moving_fix(doc: Document, fix: Fix | None, entry: Entry, moved: ListBlock) -> Fix | None:
    """``fix``, which re-indents list ``moved`` to nest it under ``entry``, made safe to apply.

    None when the move could change more than the nesting:

    * an item of ``moved`` has nothing after its marker: moved under the entry's text, a lone
      ``-`` would underline that text as a heading, and the item would be lost;
    * the items of ``moved`` start at different columns (0 to 3 spaces: one list); moved
      right, the less indented ones would no longer be items of it;
    * a line of the entry, left of its text, starts like a list item (``1.  a`` then
      ``   2. b``): the parser read it as the entry's text, GitHub reads an item, and the
      entry the note would nest under is not the one measured.

    Otherwise ``fix`` plus an edit that leaves ``entry``'s marker as it is: the indentation is
    measured from that marker, so a fix renumbering the entry (AL101, which may change the
    marker's width) must not be applied in the same pass; the next pass measures again.
    """
    if fix is None or moved.quoted:
        return None  # the fixes indent whole lines: a quote's lines would move off its ``>``
    lines = doc.lines
    if any(not lines[e.marker_span.line - 1][e.marker_span.end_column - 1:].strip()
           for e in moved.iter_entries()):
        return None
    if len({visual_column(lines[e.marker_span.line - 1], e.marker_span.column)
            for e in moved.entries}) > 1:
        return None
    text = content_column(doc, entry)
    for number in range(entry.span.line + 1, moved.span.line):
        item = _ITEM.match(lines[number - 1])
        if item is not None and visual_column(lines[number - 1], item.end(1) + 1) < text:
            return None
    return Fix((*fix.edits, Edit(entry.marker_span, entry.marker)), fix.applicability)
