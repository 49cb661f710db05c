"""AL101 list-numbering: ordered lists count 1, 2, 3 (or 1, 1, 1) without repeats or gaps."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from awesome_lint.findings import Edit, Fix, Violation
from awesome_lint.model import Document, Entry, ListBlock, Span
from awesome_lint.rules.base import Option, Rule


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
            yield from self._check_runs(_runs(section.lists))
        for lst in doc.iter_lists():
            for entry in lst.iter_entries():
                for sub in entry.sublists:
                    if sub.ordered:
                        yield from self._check_run(list(sub.entries))

    def _check_runs(self, runs: list[list[Entry]]) -> Iterator[Violation]:
        for run in runs:
            yield from self._check_run(run)

    def _check_run(self, run: Sequence[Entry]) -> Iterator[Violation]:
        style = self.config["style"]
        numbers = [e.number if e.number is not None else 0 for e in run]
        if style == "consistent":
            style = "ones" if len(numbers) > 1 and numbers[0] == numbers[1] else "sequential"
        first = numbers[0] if numbers[0] in (0, 1) else 1
        fix = _renumber(run, first, style)
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
            yield Violation(run[i].marker_span, f"Expected {expected}, found {found} ({why})", fix)


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


def _renumber(run: Sequence[Entry], first: int, style: str) -> Fix | None:
    """One fix for the whole list: every finding in it shares it, so it is applied once and
    leaves the list numbered ``first, first+1, ...`` (or ``first, first, ...``)."""
    edits = []
    for index, entry in enumerate(run):
        number = first if style == "ones" else first + index
        if entry.number != number:
            span = entry.marker_span
            digits = Span(span.line, span.column, span.end_line, span.end_column - 1)
            edits.append(Edit(digits, str(number)))
    return Fix(tuple(edits)) if edits else None
