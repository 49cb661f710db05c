"""AL101 list-numbering: ordered lists count 1, 2, 3 (or 1, 1, 1) without repeats or gaps."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from awesome_lint.findings import Edit, Fix, Related, Violation
from awesome_lint.model import Document, Entry, ListBlock, Span
from awesome_lint.rule import Option, Rule

_ITEM = re.compile(r"([ \t]*)(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)")


class ListNumbering(Rule):
    code = "AL101"
    name = "list-numbering"
    summary = "Ordered list numbers must count up by one (or all be the same, if configured)."
    fixable = True
    options = (
        Option(
            "style",
            "consistent",
            "'sequential' (1, 2, 3), 'ones' (1, 1, 1), or 'consistent': each list keeps the "
            "style its first two items use.",
            choices=("consistent", "sequential", "ones"),
        ),
    )

    def check(self, doc: Document) -> Iterator[Violation]:
        for section in doc.iter_sections():
            yield from self._check_runs(doc, _runs(section.lists))
        for lst in doc.iter_lists():
            for entry in lst.iter_entries():
                for sub in entry.sublists:
                    if sub.ordered:
                        yield from self._check_run(doc, list(sub.entries))

    def _check_runs(self, doc: Document, runs: list[list[Entry]]) -> Iterator[Violation]:
        for run in runs:
            yield from self._check_run(doc, run)

    def _check_run(self, doc: Document, run: Sequence[Entry]) -> Iterator[Violation]:
        style = self.settings["style"]
        numbers = [e.number if e.number is not None else 0 for e in run]
        if style == "consistent":
            style = "ones" if len(numbers) > 1 and numbers[0] == numbers[1] else "sequential"
        first = numbers[0] if numbers[0] in (0, 1) else 1
        fix = _renumber(doc, run, first, style)
        if numbers[0] != first:
            yield Violation(run[0].marker_span,
                            f"Expected {first}, found {numbers[0]} (a list starts at 1)", fix)
        for i in range(1, len(run)):
            found, previous = numbers[i], numbers[i - 1]
            if style == "ones":
                if found != first:
                    why = f"this list numbers every item {first}"
                    yield Violation(run[i].marker_span, f"Expected {first}, found {found} ({why})",
                                    fix)
                continue
            expected = previous + 1
            if found == expected:
                continue
            if found == previous:
                why = f"the item above is also {found}"
            elif found > expected:
                why = f"{expected if found == expected + 1 else f'{expected}-{found - 1}'} skipped"
            else:
                why = f"the item above is {previous}"
            yield Violation(run[i].marker_span, f"Expected {expected}, found {found} ({why})", fix,
                            related=(Related(run[i - 1].marker_span, "the item above"),))


def _runs(lists: Sequence[ListBlock]) -> list[list[Entry]]:
    """Ordered lists of one section, joined where a list continues the one before it.

    A note written under an entry but indented too little ends an ordered list, and the next
    entry (``3.``) starts a new one: that list continues the previous ordered list, unless it
    starts again at 1.
    """
    runs: list[list[Entry]] = []
    current: list[Entry] | None = None
    for lst in lists:
        if not lst.ordered:
            continue
        if current is not None and lst.start not in (0, 1) and lst.delimiter == _delim(current):
            current.extend(lst.entries)
        else:
            current = list(lst.entries)
            runs.append(current)
    return runs


def _delim(run: list[Entry]) -> str:
    return run[0].marker[-1]


def _renumber(doc: Document, run: Sequence[Entry], first: int, style: str) -> Fix | None:
    """One fix for the whole list: every finding in it shares it, so it is applied once and
    leaves the list numbered ``first, first+1, ...`` (or ``first, first, ...``).

    A number of another width moves where the entry's text starts: the lines nested under the
    entry (notes, sub-lists) move by as much, or they would leave it (``123456789.`` to ``1.``
    turned a nested note into an indented code block). No fix when a narrower number would
    pull the next item, indented a little, under the entry (``99.`` then ``   0.``)."""
    edits = []
    for index, entry in enumerate(run):
        number = first if style == "ones" else first + index
        if entry.number != number:
            span = entry.marker_span
            digits = Span(span.line, span.column, span.end_line, span.end_column - 1)
            edits.append(Edit(digits, str(number)))
            width = span.end_column - 1 - span.column  # the digits of the number as written
            shift = _shift_nested(doc, entry, len(str(number)) - width)
            if shift is None:
                return None
            edits.extend(shift)
            if len(str(number)) < width and _would_nest(doc, entry, len(str(number))):
                return None
    return Fix(tuple(edits)) if edits else None


def _would_nest(doc: Document, entry: Entry, digits: int) -> bool:
    """Whether the item after ``entry`` (blank lines apart) would move under it were the entry
    numbered with ``digits`` digits: indented short of the entry's text now, but not of the
    narrower number's."""
    span = entry.marker_span
    rest = doc.lines[span.line - 1][span.end_column - 1:]
    spaces = len(rest) - len(rest.lstrip(" "))
    text = span.column - 1 + digits + 1 + (1 if not rest.strip() or spaces > 4 else spaces)
    for line in doc.lines[entry.span.end_line:]:
        if line.strip():
            item = _ITEM.match(line)
            return item is not None and ("\t" in item.group(1) or len(item.group(1)) >= text)
    return False


def _shift_nested(doc: Document, entry: Entry, by: int) -> list[Edit] | None:
    """Edits moving the lines nested under ``entry`` (indented to its text) ``by`` columns;
    None when that cannot be done with spaces (tab indentation)."""
    if by == 0 or entry.span.end_line == entry.span.line:
        return []
    span = entry.marker_span
    marker_line = doc.lines[span.line - 1]
    if marker_line[: span.column - 1].strip():
        return []  # in a block quote: leave the nested lines alone
    rest = marker_line[span.end_column - 1:]
    spaces = len(rest) - len(rest.lstrip(" "))
    if "\t" in marker_line[: span.column - 1] or rest[spaces:spaces + 1] == "\t":
        return None
    content = span.end_column - 1 + (1 if not rest.strip() or spaces > 4 else spaces)
    edits = []
    for number in range(entry.span.line + 1, entry.span.end_line + 1):
        line = doc.lines[number - 1]
        lead = len(line) - len(line.lstrip(" \t"))
        if not line.strip() or (lead < content + min(by, 0) and "\t" not in line[:lead]):
            continue  # blank, or a lazy continuation line: not nested by its indentation
        if lead < content:
            return None  # a lazy line the narrower number would take into the entry
        if "\t" in line[:lead]:
            return None
        if by > 0:
            edits.append(Edit(Span(number, 1, number, 1), " " * by))
        else:
            edits.append(Edit(Span(number, 1, number, 1 - by), ""))
    return edits
