"""AL103 note-indentation: a note under an entry, indented too little to nest under it."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from awesome_lint.findings import Edit, Fix, Severity, Violation
from awesome_lint.model import Document, Entry, ListBlock, Span
from awesome_lint.rule import Rule
from awesome_lint.rules._indent import content_column, moving_fix, visual_column


class NoteIndentation(Rule):
    code = "AL103"
    name = "note-indentation"
    summary = "A note under an entry must be indented to where the entry's text starts."
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document) -> Iterator[Violation]:
        for section in doc.iter_sections():
            lists = section.lists
            for before, note in pairwise(lists):
                violation = _check_pair(doc, before, note)
                if violation is not None:
                    yield violation
        for entry in doc.iter_entries():
            for sub in entry.sublists:
                violation = _check_nested(doc, entry, sub)
                if violation is not None:
                    yield violation


def _marker_column(doc: Document, lst: ListBlock) -> int:
    span = lst.entries[0].marker_span
    return visual_column(doc.lines[span.line - 1], span.column)


def _check_pair(doc: Document, before: ListBlock, note: ListBlock) -> Violation | None:
    if not before.ordered or note.ordered or not before.entries or not note.entries:
        return None
    gap = doc.lines[before.span.end_line:note.span.line - 1]
    if any(line.strip() for line in gap) or before.quoted != note.quoted:
        return None
    if gap and note.span.column == 1:
        return None  # a bullet list after a blank line, at the margin: a list of its own
    if any(before.span.line < h.span.line < note.span.line for h in doc.html_blocks):
        # An HTML line the parser took into the entry: on GitHub it ends the list, and the
        # note is raw text of the HTML block (AL408's to report; it ends where it adds a blank).
        return None
    entry = before.entries[-1]
    target = content_column(doc, entry)
    column = _marker_column(doc, note)
    if column >= target:
        return None
    shift = target - column
    where = "not indented" if column == 1 else f"indented {column - 1} spaces"
    message = (
        f"Note {where}, but entry {entry.marker} needs {target - 1} to nest it: the note ends "
        f"the numbered list and renders as a separate list; indent it to {target - 1} spaces"
    )
    return Violation(note.entries[0].marker_span, message,
                     moving_fix(doc, _shift(doc, note.span, shift), entry, note))


def _check_nested(doc: Document, entry: Entry, sub: ListBlock) -> Violation | None:
    """A sub-list the parser nested but CommonMark (GitHub) does not: under ``1.  Entry`` (two
    spaces after the marker) the text starts at column 5, and a note at column 4 is not nested;
    under ``-   Entry``, a note at column 3 is a sibling item."""
    if sub.span.line == entry.marker_span.line:
        return None  # "1. 2. x", "- - x": a list that starts on the entry's own line
    target = content_column(doc, entry)
    column = _marker_column(doc, sub)
    if column >= target:
        return None
    if entry.number is not None:
        effect = "ends the numbered list and renders as a separate list"
    else:
        effect = "renders as an item of the list, not under the entry"
    message = (
        f"Note indented {column - 1} spaces, but entry {entry.marker} (text at column {target}) "
        f"needs {target - 1} to nest it: on GitHub the note {effect}; indent it to "
        f"{target - 1} spaces"
    )
    return Violation(sub.entries[0].marker_span, message,
                     moving_fix(doc, _shift(doc, sub.span, target - column), entry,
                                sub))


def _shift(doc: Document, span: Span, shift: int) -> Fix | None:
    """Indent every non-blank line of ``span`` by ``shift`` more spaces."""
    edits = []
    for number in range(span.line, span.end_line + 1):
        line = doc.lines[number - 1]
        if not line.strip():
            continue
        if "\t" in line[: len(line) - len(line.lstrip())]:
            return None
        edits.append(Edit(Span(number, 1, number, 1), " " * shift))
    return Fix(tuple(edits)) if edits else None
