"""AL303 alphabetical-order: an entry out of place in a list that is otherwise sorted by name."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from fnmatch import fnmatchcase
from itertools import pairwise
from typing import NamedTuple

from awesome_lint.findings import Applicability, Edit, Fix, Related, Severity, Violation
from awesome_lint.model import Document, Entry, ListBlock, Span
from awesome_lint.rule import Option, Rule, Tier
from awesome_lint.rules._moves import out_of_order

#: Adjacent pairs of names it takes to tell that a maintainer sorts: a list with fewer is
#: judged with the other lists of the file (all their pairs together).
EVIDENCE = 10
#: Below this share of pairs in order (percent) no other reading is tried: no list that far
#: from sorted is reported.
_HOPELESS = 70
_ARTICLE = re.compile(r"(?:a|an|the)\s+(?=\S)", re.IGNORECASE)
_NUMBER = re.compile(r"\d+")
#: Appended to every key when a name sorts after its longer forms.
_LAST = "\U0010ffff"


class _Group(NamedTuple):
    """Consecutive entries of one list, named ones only, with the reading that fits them best:
    their sort keys, the indices that break the order, and how many adjacent pairs are in order."""

    entries: tuple[Entry, ...]
    complete: bool  # every entry of the run is named: the sort fix may reorder its lines
    keys: tuple[str, ...]
    moved: tuple[int, ...]
    in_order: int

    @property
    def pairs(self) -> int:
        return len(self.keys) - 1


class AlphabeticalOrder(Rule):
    code = "AL303"
    name = "alphabetical-order"
    summary = "An entry is out of place in a list otherwise sorted by name."
    severity = Severity.WARNING
    tier = Tier.DEFAULT
    fixable = True  # unsafe only: --fix alone never reorders a list
    options = (
        Option("mode", "detect", "detect: check the lists that are sorted (see threshold); "
               "always: check every list.", choices=("detect", "always")),
        Option("threshold", 90, "Percentage of adjacent pairs of names in order from which a "
               "list counts as sorted (mode detect)."),
        Option("ignore-case", True, "Compare names without regard to case."),
        Option("ignore-articles", True, "Accept lists sorted without a leading a, an or the, "
               "as well as lists sorted with them."),
        Option(
            "sections",
            [],
            "Check only the lists under these headings (shell-style wildcards, any case); "
            "empty: every list.",
        ),
    )

    def check(self, doc: Document) -> Iterator[Violation]:
        groups = [g for lst in self._lists(doc) for g in self._groups(doc, lst)]
        pairs = sum(g.pairs for g in groups)
        in_order = sum(g.in_order for g in groups)
        file_sorted = pairs >= EVIDENCE and self._sorted(in_order, pairs)
        for group in groups:
            if group.moved and (
                self.settings["mode"] == "always"
                or (self._sorted(group.in_order, group.pairs) if group.pairs >= EVIDENCE
                    else file_sorted)
            ):
                yield from _report(doc, group)

    def _sorted(self, in_order: int, pairs: int) -> bool:
        return in_order * 100 >= int(self.settings["threshold"]) * pairs

    def _lists(self, doc: Document) -> Iterator[ListBlock]:
        """Every list and sub-list of the selected sections."""
        patterns = [p.casefold() for p in self.settings["sections"]]
        for section in doc.iter_sections():
            title = section.heading.plain.casefold() if section.heading else ""
            if not patterns or any(fnmatchcase(title, p) for p in patterns):
                for lst in section.lists:
                    yield lst
                    yield from (sub for e in lst.iter_entries() for sub in e.sublists)

    def _groups(self, doc: Document, lst: ListBlock) -> Iterator[_Group]:
        """The runs of ``lst`` that raw HTML (``<details>``, a comment) does not split, each with
        two names or more. HTML indented under an entry is the entry's and splits nothing."""
        run: list[Entry] = []
        for entry in lst.entries:
            if run and run[-1].span.line + 1 < entry.span.line and any(
                    _outdented_html(doc, n, entry.marker_span.column)
                    for n in range(run[-1].span.line + 1, entry.span.line)):
                yield from self._group(run)
                run = []
            run.append(entry)
        yield from self._group(run)

    def _group(self, run: list[Entry]) -> Iterator[_Group]:
        named = tuple(e for e in run if _name(e) is not None)
        if len(named) < 2:
            return
        names = [_name(e) or "" for e in named]
        best: _Group | None = None
        tried: set[tuple[bool, tuple[str, ...]]] = set()  # (prefix first, keys without _LAST)
        keys_of: dict[tuple[bool, bool, bool, bool], tuple[str, ...]] = {}
        numbered = any(_NUMBER.search(n) for n in names)
        for articles, accents, case, prefix_first, natural in self._readings():
            if natural and not numbered:
                break  # (the numeric readings come last: no number, no other order)
            plain = keys_of.get((articles, accents, case, natural))
            if plain is None:
                plain = keys_of[articles, accents, case, natural] = tuple(
                    self._key(n, articles, accents, case, True, natural) for n in names)
            # A reading that orders the names as one tried already finds the same entries to
            # move: it cannot do better, so it is not tried (the result is the same).
            if (prefix_first, plain) in tried or not (prefix_first or _has_prefix(plain)):
                continue  # (no name is a longer one's start: the order is the same)
            tried.add((prefix_first, plain))
            keys = plain if prefix_first else tuple(k + _LAST for k in plain)
            moved = tuple(out_of_order(keys))
            if best is None or len(moved) < len(best.moved):
                in_order = sum(b >= a for a, b in pairwise(keys))
                best = _Group(named, len(named) == len(run), keys, moved, in_order)
            if not best.moved or (best.in_order + 1) * 100 < _HOPELESS * best.pairs:
                break  # sorted as usual, or far from sorted in any reading
        assert best is not None
        yield best

    def _readings(self) -> list[tuple[bool, bool, bool, bool, bool]]:
        """(skip articles, strip accents, fold case, a name before its longer forms, numbers
        by value) for each way of sorting accepted, the usual first. Accents as written: a list
        sorted by code point (``Brisbane``, ``Bärner``) is sorted; case as written: ``AI
        Today`` before ``Adversarial``; a name after its longer forms: ``Docker Compose``,
        ``Docker``; numbers by value (last): ``Python 3.9`` before ``Python 3.10``."""
        articles = [True, False] if self.settings["ignore-articles"] else [False]
        cases = [True, False] if self.settings["ignore-case"] else [False]
        return [(a, accents, case, prefix_first, natural) for natural in (False, True)
                for prefix_first in (True, False)
                for case in cases for a in articles for accents in (True, False)]

    @staticmethod
    def _key(name: str, articles: bool, accents: bool, fold_case: bool,
             prefix_first: bool, natural: bool = False) -> str:
        """The sort key of a name: case folded, accents stripped, leading characters other
        than letters and digits (emoji, quotes, ``@``) and articles skipped, numbers compared
        by value, as the reading says."""
        text = " ".join(name.split())
        if accents and not text.isascii():
            decomposed = unicodedata.normalize("NFKD", text)
            text = "".join(c for c in decomposed if not unicodedata.combining(c))
        if fold_case:
            text = text.casefold()
        text = _skip_symbols(text)
        if articles and (m := _ARTICLE.match(text)):
            text = _skip_symbols(text[m.end():]) or text
        if natural:  # a number's digits padded: 9 before 10
            text = _NUMBER.sub(lambda m: m.group().lstrip("0").rjust(20, "0"), text)
        return text if prefix_first else text + _LAST


def _name(entry: Entry) -> str | None:
    """The name an entry sorts by; None without one, or for a table of contents' link to a
    heading of the file (which follows the document's order)."""
    if entry.link is None or entry.link.url.startswith("#"):
        return None
    return " ".join(entry.link.text.split())


def _outdented_html(doc: Document, line: int, column: int) -> bool:
    """Whether ``line`` is raw HTML indented less than an entry's marker at ``column``."""
    text = doc.lines[line - 1]
    return doc.in_html(line) and len(text) - len(text.lstrip()) < column


def _has_prefix(keys: tuple[str, ...]) -> bool:
    """Whether one key is the start of a longer one: only then do the readings that put a name
    after its longer forms order the keys differently."""
    ordered = sorted(set(keys))
    return any(b.startswith(a) for a, b in pairwise(ordered))


def _skip_symbols(text: str) -> str:
    return next((text[i:] for i, c in enumerate(text) if c.isalnum()), text)


def _report(doc: Document, group: _Group) -> Iterator[Violation]:
    """One finding per entry to move, naming the entry it belongs after (or before)."""
    moved = set(group.moved)
    kept = [i for i in range(len(group.keys)) if i not in moved]
    kept_keys = [group.keys[i] for i in kept]
    fix = _sort_fix(doc, group)
    for i in group.moved:
        place = bisect_right(kept_keys, group.keys[i])
        where, anchor = ("after", kept[place - 1]) if place else ("before", kept[0])
        entry, other = group.entries[i], group.entries[anchor]
        assert entry.link is not None and other.link is not None
        yield Violation(
            entry.link.span,
            f"'{_name(entry)}' is out of order: it belongs {where} '{_name(other)}' "
            f"(line {other.span.line}) in this list sorted by name; move it there",
            fix,
            related=(Related(other.link.span, f"'{_name(entry)}' belongs {where} this entry"),),
        )


def _sort_fix(doc: Document, group: _Group) -> Fix | None:
    """Sort the entries' lines by the group's keys (sub-lists move with their entry): only when
    every entry is named and no blank line (``>`` alone, in a quote) or raw HTML sits among them,
    so that each entry is a plain block of lines."""
    first, last = group.entries[0].span.line, group.entries[-1].span.end_line
    if not group.complete or any(
        not doc.lines[n - 1].strip(" \t>") or doc.in_html(n)  # blank, in a quote or not
        for n in range(first, last + 1)
    ):
        return None
    starts = [e.span.line for e in group.entries] + [last + 1]
    blocks = [doc.lines[a - 1:b - 1] for a, b in pairwise(starts)]
    order = sorted(range(len(blocks)), key=group.keys.__getitem__)
    text = "\n".join(line for i in order for line in blocks[i])
    span = Span(first, 1, last, len(doc.lines[last - 1]) + 1)
    return Fix((Edit(span, text),), Applicability.UNSAFE)
