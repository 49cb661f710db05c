"""AL106 empty-list-item: a list marker with nothing after it renders as an empty bullet."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from awesome_lint.findings import Applicability, Edit, Fix, Severity, Violation
from awesome_lint.model import Document, Entry, ListBlock, Span
from awesome_lint.rule import Rule


def _empty(doc: Document, entry: Entry) -> bool:
    """Whether the item holds nothing: its marker line ends at the marker, and the rest of its
    span (if any) is blank lines or bare quote markers."""
    if entry.text.strip(" \t") or entry.sublists:  # U+00A0 is text to CommonMark
        return False
    marker = entry.marker_span
    lines = doc.lines
    if lines[marker.line - 1][marker.end_column - 1:].strip(" \t"):
        return False
    return all(not lines[n - 1].strip(" \t>") for n in range(marker.line + 1,
                                                             entry.span.end_line + 1))


def _first_items(lists: Iterable[ListBlock]) -> Iterator[Entry]:
    """The first item of every list and sub-list."""
    for lst in lists:
        if lst.entries:
            yield lst.entries[0]
        for entry in lst.entries:
            yield from _first_items(entry.sublists)


def _after_text(doc: Document, entry: Entry) -> bool:
    """Whether the line above the item is paragraph text outside any list item: an empty item
    cannot start a list there (it cannot interrupt a paragraph), so CommonMark reads ``-`` as
    a heading's underline and ``0.`` as more text; only mistune sees an item."""
    above = entry.marker_span.line - 1
    if above < 1 or not doc.lines[above - 1].strip(" \t>"):
        return False
    return not any(e.span.line <= above <= e.span.end_line
                   for e in doc.iter_entries() if e is not entry)


def _applicability(doc: Document, entry: Entry) -> Applicability:
    """Unsafe when the next text is indented deeper than the marker: without the item it
    could join the item above."""
    following = next((line for line in doc.lines[entry.span.end_line:] if line.strip()), "")
    indent = len(following) - len(following.lstrip(" \t"))
    return Applicability.UNSAFE if indent >= entry.marker_span.column else Applicability.SAFE


class EmptyListItem(Rule):
    """``- `` alone on its line: GitHub shows a bullet (or a number) with nothing after it."""

    code = "AL106"
    name = "empty-list-item"
    summary = "A list item has nothing after its marker and renders as an empty bullet."
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document) -> Iterator[Violation]:
        last = len(doc.lines)
        first = {id(entry) for entry in _first_items(list(doc.iter_lists()))}
        for entry in doc.iter_entries():
            if not _empty(doc, entry) or (id(entry) in first and _after_text(doc, entry)):
                continue
            line = entry.marker_span.line
            if line < last:
                whole = Span(line, 1, line + 1, 1)
            elif line > 1:  # the last line: take the newline before it instead
                whole = Span(line - 1, len(doc.lines[line - 2]) + 1, line,
                             len(doc.lines[line - 1]) + 1)
            else:
                whole = Span(line, 1, line, len(doc.lines[line - 1]) + 1)
            yield Violation(entry.marker_span, f"List item '{entry.marker}' is empty and "
                            "renders as a bare bullet; remove the line or write the entry",
                            Fix((Edit(whole, ""),), _applicability(doc, entry)))
