"""Helpers shared by the structure rules (AL110-AL121): anchors and the ToC."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from awesome_lint.model import Document, Entry, Link, ListBlock
from awesome_lint.slug import slugify

_HTML_ID = re.compile(r"""<[a-zA-Z][^>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_TAG_START = re.compile(r"<[a-zA-Z]")
#: Fragments every GitHub page has: the top of the page, and the README container.
BUILTIN_FRAGMENTS = frozenset({"", "top", "readme"})


def html_anchors(doc: Document) -> set[str]:
    """``id`` and ``name`` attributes of HTML anywhere outside code blocks."""
    skip = doc.code_lines
    found: set[str] = set()
    for number, line in enumerate(doc.lines, start=1):
        if number in skip or "<" not in line:
            continue
        found.update(_html_ids(line))
    return found


def _html_ids(line: str) -> Iterator[str]:
    """What ``_HTML_ID.finditer(line)`` finds, in linear time: when no attribute follows a
    ``<tag`` before its ``>``, none follows any other ``<tag`` before that ``>`` either, so the
    search goes on after it (finditer would retry at every ``<``: quadratic on ``<a <a <a``)."""
    pos = 0
    while (start := _TAG_START.search(line, pos)) is not None:
        m = _HTML_ID.match(line, start.start())
        if m is not None:
            yield next(g for g in m.groups() if g is not None)
            pos = m.end()
            continue
        close = line.find(">", start.start())
        if close < 0:
            return
        pos = close + 1


def fragment(link: Link) -> str | None:
    """The decoded fragment of an in-page link (``#foo`` -> ``foo``), else None."""
    if not link.url.startswith("#"):
        return None
    value = unquote(link.url[1:])
    return value.removeprefix("user-content-")


@dataclass(frozen=True, slots=True)
class TocItem:
    """One ToC entry: its link, its nesting depth (0 = top) and the entry."""

    entry: Entry
    link: Link
    depth: int


@dataclass(frozen=True, slots=True)
class Toc:
    """The table of contents: its lists (one, or several split by sub-titles) and its items."""

    blocks: tuple[ListBlock, ...]
    items: tuple[TocItem, ...]

    @property
    def line(self) -> int:
        return self.blocks[0].span.line


def _entry_link(entry: Entry) -> Link | None:
    if entry.link is not None:
        return entry.link
    if len(entry.links) == 1:
        return entry.links[0]
    return None


def _items(entries: tuple[Entry, ...], depth: int) -> Iterator[tuple[Entry, Link | None, int]]:
    for entry in entries:
        yield entry, _entry_link(entry), depth
        for sub in entry.sublists:
            yield from _items(sub.entries, depth + 1)


def _local(block: ListBlock) -> tuple[list[TocItem], int] | None:
    """The in-page items of ``block`` and its entry count, if nearly all of them are."""
    rows = list(_items(block.entries, 0))
    local = [TocItem(e, link, d) for e, link, d in rows
             if link is not None and link.url.startswith("#")]
    if rows and len(local) >= 0.8 * len(rows):
        return local, len(rows)
    return None


def find_toc(doc: Document) -> Toc | None:
    """The first list of at least three entries, nearly all of them in-page ``#`` links, with
    the lists of its section that follow it and are also in-page links."""
    for section in doc.iter_sections():
        for index, block in enumerate(section.lists):
            found = _local(block)
            if found is None or found[1] < 3:
                continue
            blocks, items = [block], list(found[0])
            for other in section.lists[index + 1:]:
                more = _local(other)
                if more is None:
                    break
                blocks.append(other)
                items.extend(more[0])
            return Toc(tuple(blocks), tuple(items))
    return None


def same_text(a: str, b: str) -> bool:
    """Whether two headings' texts give the same anchor, ignoring spacing and edge dashes."""
    return slugify(" ".join(a.split())).strip("-") == slugify(" ".join(b.split())).strip("-")
