"""AL102 list-marker: one bullet character (and one number delimiter) per list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from awesome_lint.findings import Edit, Fix, Severity, Violation
from awesome_lint.model import Document, Entry, ListBlock
from awesome_lint.rule import Option, Rule, Tier
from awesome_lint.rules._style import dominant


class ListMarker(Rule):
    code = "AL102"
    name = "list-marker"
    summary = "The items of one list use the same bullet (`-`, `*`, `+`) or number delimiter."
    severity = Severity.WARNING
    tier = Tier.AWESOME
    fixable = True
    options = (
        Option(
            "style",
            "consistent",
            "'consistent': each list keeps the bullet 90% of its items (or all but one) use; "
            "a list split between bullets is left alone; or '-', '*', '+': every bullet in the "
            "file uses that character.",
            choices=("consistent", "-", "*", "+"),
        ),
    )

    def check(self, doc: Document) -> Iterator[Violation]:
        for section in doc.iter_sections():
            yield from self._check_lists(doc, section.lists)
        for entry in doc.iter_entries():
            if entry.sublists:
                yield from self._check_lists(doc, entry.sublists)

    def _check_lists(self, doc: Document, lists: Sequence[ListBlock]) -> Iterator[Violation]:
        for run in list_runs(doc, lists):
            yield from self._check_run(run)

    def _check_run(self, run: list[ListBlock]) -> Iterator[Violation]:
        entries = [e for lst in run for e in lst.entries]
        ordered = run[0].ordered
        style = self.settings["style"]
        marks = [_mark(e, ordered) for e in entries]
        expected = dominant(Counter(marks)) if ordered or style == "consistent" else style
        if expected is None:
            return  # a list split between two markers has no style of its own to restore
        for entry, mark in zip(entries, marks, strict=True):
            if mark == expected:
                continue
            kind = "number delimiter" if ordered else "bullet"
            why = ("the configured style is" if expected == style
                   else "nearly every item of this list uses")
            span = entry.marker_span
            fix = None
            if entry.text.strip():  # an empty item could turn a line above into a heading
                edit_span = span._replace(column=span.end_column - 1)
                fix = Fix((Edit(edit_span, expected),))
            yield Violation(
                span,
                f"List item uses {kind} {mark!r}, but {why} {expected!r} (a change of {kind} "
                f"starts a new list); use {expected!r}",
                fix,
            )


def _mark(entry: Entry, ordered: bool) -> str:
    return entry.marker[-1] if ordered else entry.marker


def list_runs(doc: Document, lists: Sequence[ListBlock]) -> list[list[ListBlock]]:
    """Lists that read as one: of the same kind, starting at the same column, separated only by
    blank lines. Markdown starts a new list when the bullet character (or ``.``/``)``) changes.
    """
    runs: list[list[ListBlock]] = []
    for lst in lists:
        if not lst.delimiter:
            continue  # entries written as block-quote paragraphs: no markers
        if runs:
            last = runs[-1][-1]
            gap = doc.lines[last.span.end_line:lst.span.line - 1]
            if (last.ordered == lst.ordered and last.span.column == lst.span.column
                    and last.quoted == lst.quoted and not any(line.strip() for line in gap)):
                runs[-1].append(lst)
                continue
        runs.append([lst])
    return runs
