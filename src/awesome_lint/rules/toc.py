"""AL121 toc: the table of contents lists every section, in order, under its own name."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from awesome_lint.findings import Applicability, Edit, Fix, Related, Severity, Violation
from awesome_lint.lazy_re import lazy_compile
from awesome_lint.model import Document, Heading, Span
from awesome_lint.rule import Option, Rule
from awesome_lint.rules._moves import out_of_order
from awesome_lint.rules._structure import (
    Toc,
    TocItem,
    closest_slug,
    find_toc,
    fragment,
    same_text,
)
from awesome_lint.slug import slugify

_PLAIN_ITEM = lazy_compile(r"^(\s*)([-*+]|\d+[.)])\s+\[([^\]]*)\]\((#[^)\s]*)\)\s*$")
EXCLUDE = ["Contributing", "Contribute", "Contribution", "Contributors", "License", "Licence",
           "Citation", "Footnotes", "Contents", "Table of Contents"]


class TableOfContents(Rule):
    code = "AL121"
    name = "toc"
    summary = "The table of contents lists every section at its depth, in order, by name."
    severity = Severity.WARNING
    fixable = True
    options = (
        Option("depth", 0, "How many heading levels the ToC covers; 0: as many as it uses now."),
        Option("exclude", EXCLUDE, "Headings (and their sub-sections) that need no ToC entry; "
               "compared ignoring case and punctuation."),
    )

    def check(self, doc: Document) -> Iterator[Violation]:
        toc = find_toc(doc)
        if toc is None:
            return
        by_slug: dict[str, Heading] = {}
        for heading in doc.headings:
            by_slug.setdefault(heading.slug, heading)
        lowered = {k.lower(): v for k, v in by_slug.items()}
        resolved: list[tuple[TocItem, Heading]] = []
        broken: list[TocItem] = []
        for item in toc.items:
            name = fragment(item.link) or ""
            target = by_slug.get(name) or lowered.get(name.lower())
            if target is not None:
                resolved.append((item, target))
            else:
                broken.append(item)
        if not resolved:
            return
        levels = self._levels(toc, resolved)
        parents = _parents(doc)
        covered = {parents[id(h)] for item, h in resolved}
        linked = {id(h) for _, h in resolved}
        expected = self._expected(doc, toc, levels, linked, parents, covered)
        # An entry whose anchor is broken (AL120 reports it) still lists the heading it meant.
        unlisted = [h for h in expected if id(h) not in linked]
        order = {id(h): n for n, h in enumerate(doc.headings)}
        rank = {id(item): n for n, item in enumerate(toc.items)}
        for item in broken:
            named = _meant(item, unlisted, [(rank[id(i)], order[id(h)], h) for i, h in resolved
                                            if i.block == item.block], rank[id(item)], order)
            if named is not None:
                expected.remove(named)
                unlisted.remove(named)
        yield from self._compare(doc, toc, resolved, expected, levels, parents)

    def _levels(self, toc: Toc, resolved: list[tuple[TocItem, Heading]]) -> range:
        """The heading levels the ToC covers: from the level its top entries point to, ``depth``
        levels, or (0) as deep as its lists nest, each list from the level of its own top
        entries (a second list may hold the sub-sections)."""
        top = _top(resolved)
        if self.settings["depth"]:
            return range(top, top + self.settings["depth"])
        deepest = top
        for index in range(len(toc.blocks)):
            block = [(item, h) for item, h in resolved if item.block == index]
            if block:
                deepest = max(deepest, _top(block) + max(item.depth for item, _ in block))
        return range(top, deepest + 1)

    def _expected(self, doc: Document, toc: Toc, levels: range, linked: set[int],
                  parents: dict[int, int], covered: set[int]) -> list[Heading]:
        """Headings the ToC should list: at its levels, siblings of the headings it lists (a
        section whose sub-sections it lists none of may leave them out), not excluded, and not
        above the ToC unless it links to them."""
        excluded = {slugify(name).strip("-") for name in self.settings["exclude"]}
        out: list[Heading] = []
        skip_below: int | None = None
        for heading in doc.headings:
            if skip_below is not None and heading.level > skip_below:
                continue
            skip_below = None
            if slugify(heading.plain).strip("-") in excluded:
                # `# Table of Contents` above a ToC of level-2 headings excludes itself only.
                if heading.level >= levels.start:
                    skip_below = heading.level
                continue
            if heading.level not in levels or parents[id(heading)] not in covered:
                continue
            before = heading.span.line < toc.line
            if before and id(heading) not in linked:
                continue
            out.append(heading)
        return out

    def _compare(self, doc: Document, toc: Toc, resolved: list[tuple[TocItem, Heading]],
                 expected: list[Heading], levels: range,
                 parents: dict[int, int]) -> Iterator[Violation]:
        fix = _regenerate(doc, toc, resolved, expected, levels)
        listed = {id(h): item for item, h in resolved}
        order = {id(h): n for n, h in enumerate(doc.headings)}
        # Missing headings, one finding per parent section, placed at the first gap.
        missing_ids = {id(h) for h in expected if id(h) not in listed}
        groups: dict[int, tuple[TocItem | None, list[Heading]]] = {}
        previous: TocItem | None = None
        for heading in expected:
            item = listed.get(id(heading))
            if item is not None:
                previous = item
                continue
            parent = parents[id(heading)]
            while parent in missing_ids:
                parent = parents[parent]
            groups.setdefault(parent, (previous, []))[1].append(heading)
        for after, missing in groups.values():
            names = [slugify(h.plain).strip("-") for h in missing]
            if len(set(names)) < len(names):
                # `### Libraries` under each `### NLP in X`: sub-sections a level too high
                # (AL115 reports the repeated headings), not sections the ToC forgot.
                continue
            yield self._missing(toc, after, missing, fix)
        moved = {id(item): where for item, where in _moves(resolved, order)}
        for item, heading in resolved:
            if id(item) in moved:
                yield Violation(item.entry.span, f"ToC entry '{item.link.text}' is out of order; "
                                f"move it {moved[id(item)]}, where its section is in the file",
                                fix, related=(Related(heading.span, "its section"),))
            if not (same_text(item.link.text, heading.plain)
                    or _abbreviates(item.link.text, heading.plain)
                    or _abbreviates(heading.plain, item.link.text)):
                yield Violation(item.entry.span, f"ToC entry '{item.link.text}' does not match "
                                f"its heading '{heading.plain}'; use the heading's text",
                                _retitle(doc, item, heading))

    @staticmethod
    def _missing(toc: Toc, previous: TocItem | None, missing: list[Heading],
                 fix: Fix | None) -> Violation:
        at = previous.entry.span if previous else toc.blocks[0].span
        where = f"after '{previous.link.text}'" if previous else "at the start"
        if len(missing) > 1 and previous:
            where = "starting " + where
        shown = missing[:5]
        names = ", ".join(f"'{h.plain}' (line {h.span.line})" for h in shown)
        if len(missing) > len(shown):
            names += f" and {len(missing) - len(shown)} more"
        entry = "an entry" if len(missing) == 1 else f"{len(missing)} entries"
        them = "it" if len(missing) == 1 else "them"
        return Violation(Span(at.line, at.column, at.line, at.column + 1),
                         f"ToC lacks {entry} for {names}; add {them} {where}", fix,
                         related=tuple(Related(h.span, "a section the ToC lacks")
                                       for h in missing))


def _abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` is an acronym of ``long``: its capitals are the initials of its words
    (``MOOC's`` for ``Massively Open Online Courses``, ``ML Tools`` for ``Machine Learning
    Tools``)."""
    capitals = "".join(c for c in short if c.isupper())
    initials = "".join(word[0] for word in re.findall(r"\w+", long)).upper()
    return len(capitals) >= 2 and len(short.split()) < len(long.split()) and capitals == initials


def _top(resolved: list[tuple[TocItem, Heading]]) -> int:
    """The heading level the top entries of these ToC entries point to."""
    tops = [h.level for item, h in resolved if item.depth == 0]
    return min(tops) if tops else min(h.level for _, h in resolved)


def _moves(resolved: list[tuple[TocItem, Heading]],
           order: dict[int, int]) -> Iterator[tuple[TocItem, str]]:
    """The fewest entries to move to put each list of the ToC in the order of the file, each
    with where it goes (after the entry whose section comes just before its own)."""
    for index in {item.block for item, _ in resolved}:
        block = [(item, order[id(h)]) for item, h in resolved if item.block == index]
        out = out_of_order([position for _, position in block])
        moving = set(out)
        stay = sorted((position, n) for n, (_, position) in enumerate(block) if n not in moving)
        for n in out:
            item, position = block[n]
            before = bisect_left(stay, (position, -1))
            if before:
                yield item, f"after '{block[stay[before - 1][1]][0].link.text}'"
            else:
                yield item, f"before '{block[stay[0][1]][0].link.text}'"


def _meant(item: TocItem, unlisted: list[Heading], around: list[tuple[int, int, Heading]],
           at: int, order: dict[int, int]) -> Heading | None:
    """The unlisted heading a broken entry (``at`` in the ToC) was meant for: one of the same
    text, else the only one at its level between the sections of the entries ``around`` it in
    its list (each as its rank in the ToC, its heading's rank in the file, its heading), else
    the one whose anchor is closest."""
    for heading in unlisted:
        if same_text(item.link.text, heading.plain):
            return heading
    if around:
        level = min(h.level for _, _, h in around) + item.depth
        low = max((n for rank, n, _ in around if rank < at), default=-1)
        high = min((n for rank, n, _ in around if rank > at), default=len(order))
        between = [h for h in unlisted if h.level == level and low < order[id(h)] < high]
        if len(between) == 1:
            return between[0]
    close = closest_slug((fragment(item.link) or "").lower(), [h.slug for h in unlisted])
    return next((h for h in unlisted if h.slug == close), None)


def _parents(doc: Document) -> dict[int, int]:
    """id(heading) -> id(its parent heading) (0 at the top level)."""
    stack: list[Heading] = []
    out: dict[int, int] = {}
    for heading in doc.headings:
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        out[id(heading)] = id(stack[-1]) if stack else 0
        stack.append(heading)
    return out


def _regenerate(doc: Document, toc: Toc, resolved: list[tuple[TocItem, Heading]],
                expected: list[Heading], levels: range) -> Fix | None:
    """The ToC rewritten from the headings, when every line of it is a plain ``[x](#y)`` item."""
    if len(toc.blocks) != 1:
        return None
    block = toc.blocks[0].span
    lines = doc.lines[block.line - 1: block.end_line]
    # The parser lets an HTML line right after the list (`</details>`) continue its last item.
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("<")):
        lines = lines[:-1]
    matches = [_PLAIN_ITEM().match(line) for line in lines if line.strip()]
    if not matches or not all(matches) or len(matches) != len(toc.items):
        return None
    if len(resolved) != len(toc.items):
        return None  # a broken entry (AL120's) would be lost
    if any(h.level not in levels for _, h in resolved):
        return None
    first = matches[0]
    assert first is not None
    marker = first.group(2)
    # The indentation each depth uses now (tabs or spaces, as written).
    indent_of: dict[int, str] = {}
    for m, item in zip(matches, toc.items, strict=True):
        assert m is not None
        indent_of.setdefault(item.depth, m.group(1))
    base = indent_of.get(0, "")
    unit = indent_of[1].removeprefix(base) if 1 in indent_of else " " * (len(marker) + 1)
    blank_between = any(not line.strip() for line in lines)
    if any(item.depth != h.level - levels.start for item, h in resolved):
        return None  # the ToC nests a section differently from its heading level: ask a person
    texts = {id(h): item.link.text for item, h in resolved}
    anchors = {id(h): item.link.url for item, h in resolved}
    keep = {id(h): h for _, h in resolved}
    for h in expected:
        keep[id(h)] = h
    headings = sorted(keep.values(), key=lambda h: h.span.line)
    out: list[str] = []
    counters: dict[int, int] = {}
    for h in headings:
        level = h.level - levels.start
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        counters[level] = counters.get(level, 0) + 1
        mark = marker if marker[0] in "-*+" else f"{counters[level]}{marker[-1]}"
        text = texts.get(id(h), h.plain)
        anchor = anchors.get(id(h)) or "#" + h.slug
        indent = indent_of.get(level, base + unit * level)
        out.append(f"{indent}{mark} [{text}]({anchor})")
    joiner = "\n\n" if blank_between else "\n"
    new = joiner.join(out)
    old_end = block.line + len(lines) - 1
    if new == "\n".join(lines):
        return None
    return Fix((Edit(Span(block.line, 1, old_end, len(doc.lines[old_end - 1]) + 1), new),))


def _retitle(doc: Document, item: TocItem, heading: Heading) -> Fix | None:
    """Replace an entry's text with its heading's: unsafe, the entry's wording is lost."""
    span = item.link.span
    line = doc.lines[span.line - 1]
    raw = f"[{item.link.text}]"
    start = span.column - 1
    if line[start:start + len(raw)] != raw or "]" in heading.plain or "[" in heading.plain:
        return None
    edit = Edit(Span(span.line, span.column + 1, span.line, span.column + 1 + len(item.link.text)),
                heading.plain)
    return Fix((edit,), Applicability.UNSAFE)
