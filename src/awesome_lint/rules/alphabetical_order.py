"""AL303 alphabetical-order: the entries of each list sorted by name (opt-in)."""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase
from itertools import pairwise

from awesome_lint.findings import Applicability, Edit, Fix, Severity, Violation
from awesome_lint.model import Document, Entry, ListBlock, Span
from awesome_lint.rule import Option, Rule, Tier


class AlphabeticalOrder(Rule):
    code = "AL303"
    name = "alphabetical-order"
    summary = "The entries of each list are sorted by name."
    severity = Severity.WARNING
    tier = Tier.OPT_IN
    fixable = True  # unsafe only: --fix alone never reorders a list
    options = (
        Option("ignore-case", True, "Compare names without regard to case."),
        Option(
            "sections",
            [],
            "Check only the lists under these headings (shell-style wildcards, any case); "
            "empty: every list.",
        ),
    )

    def check(self, doc: Document) -> Iterator[Violation]:
        patterns = [p.casefold() for p in self.settings["sections"]]
        for section in doc.iter_sections():
            if patterns:
                title = section.heading.plain.casefold() if section.heading else ""
                if not any(fnmatchcase(title, p) for p in patterns):
                    continue
            for lst in section.lists:
                yield from self._check_tree(doc, lst)

    def _check_tree(self, doc: Document, lst: ListBlock) -> Iterator[Violation]:
        yield from self._check_list(doc, lst)
        for entry in lst.entries:
            for sub in entry.sublists:
                yield from self._check_tree(doc, sub)

    def _key(self, entry: Entry) -> str | None:
        if entry.link is None or entry.link.url.startswith("#"):
            return None  # not a named entry, or a table of contents (document order)
        name = " ".join(entry.link.text.split())
        return name.casefold() if self.settings["ignore-case"] else name

    def _check_list(self, doc: Document, lst: ListBlock) -> Iterator[Violation]:
        keyed = [(e, k) for e in lst.entries if (k := self._key(e)) is not None]
        fix: Fix | None = None
        for (before, key_before), (entry, key) in pairwise(keyed):
            if key >= key_before:
                continue
            if fix is None:
                fix = _sort_fix(doc, lst, [k for _, k in keyed]) or Fix(())
            assert entry.link is not None and before.link is not None
            yield Violation(
                entry.link.span,
                f"{entry.link.text!r} is out of order after {before.link.text!r} "
                f"(line {before.span.line}); move it up to keep the list sorted by name",
                fix if fix.edits else None,
            )


def _sort_fix(doc: Document, lst: ListBlock, keys: list[str]) -> Fix | None:
    """Reorder the entries' lines (sub-lists move with their entry): only when every entry is
    named and the list has no blank lines, so each entry is a plain block of lines."""
    if len(keys) != len(lst.entries):
        return None
    first, last = lst.span.line, lst.span.end_line
    lines = doc.lines[first - 1:last]
    if any(not line.strip(" \t>") for line in lines):  # a blank line, in a quote or not
        return None
    starts = [e.span.line for e in lst.entries] + [last + 1]
    blocks = [doc.lines[a - 1:b - 1] for a, b in pairwise(starts)]
    order = sorted(range(len(blocks)), key=lambda i: keys[i])
    text = "\n".join(line for i in order for line in blocks[i])
    span = Span(first, 1, last, len(doc.lines[last - 1]) + 1)
    return Fix((Edit(span, text),), Applicability.UNSAFE)
