"""Helpers shared by the structure rules (AL110-AL123): anchors and the ToC."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import NamedTuple
from urllib.parse import unquote

from awesome_lint.lazy_re import lazy_compile
from awesome_lint.model import Document, Entry, Link, ListBlock
from awesome_lint.rule import Option
from awesome_lint.slug import slugify

_HTML_ID = lazy_compile(
    r"""<[a-zA-Z][^>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
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
    """What ``_HTML_ID().finditer(line)`` finds, in linear time: when no attribute follows a
    ``<tag`` before its ``>``, none follows any other ``<tag`` before that ``>`` either, so the
    search goes on after it (finditer would retry at every ``<``: quadratic on ``<a <a <a``)."""
    pos = 0
    while (start := _TAG_START.search(line, pos)) is not None:
        m = _HTML_ID().match(line, start.start())
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
    return _decoded(link.url[1:])


def _decoded(raw: str) -> str:
    return unquote(raw).removeprefix("user-content-")


#: A GitHub page of a repository with a fragment: owner/name, then ``/blob/REF/PATH`` or
#: nothing, then the query GitHub's "copy link" gives a README section, or none.
_GITHUB_ANCHOR = lazy_compile(
    r"https?://(?:www\.)?github\.com/([A-Za-z0-9-]+/[A-Za-z0-9._-]+)(?:/blob/([^?#]+))?/?"
    r"(?:\?tab=readme-ov-file)?#(.*)", re.IGNORECASE | re.DOTALL)


def self_fragment(url: str, repository: str, place: str | None) -> tuple[str, str] | None:
    """``(raw, decoded)`` fragment of ``url`` when it is an absolute link to an anchor of this
    very file on GitHub: ``https://github.com/OWNER/NAME#x`` (the README GitHub shows) or
    ``https://github.com/OWNER/NAME/blob/REF/PATH#x``, where ``repository`` is ``OWNER/NAME``
    and ``place`` the file's path in it (None: taken to be the README GitHub shows)."""
    m = _GITHUB_ANCHOR().fullmatch(url.strip())
    if m is None or m.group(1).casefold() != repository.casefold():
        return None
    blob, raw = m.group(2), m.group(3)
    if blob is None:
        shown = place is None or _shown_readme(place)
        return (raw, _decoded(raw)) if shown else None
    path = unquote(blob).rstrip("/")
    if place is None:
        ref, _, name = path.rpartition("/")
        same = bool(ref) and _is_readme(name)
    else:
        same = path.endswith("/" + place) and len(path) > len(place) + 1
    return (raw, _decoded(raw)) if same else None


#: The option of the rules that read links to this file's anchors written as URLs.
REPOSITORY = Option(
    "repository",
    "",
    "The GitHub repository (`owner/name`) whose URLs with an anchor of this file are checked "
    "like `#anchor` links; empty: the one of the `origin` remote, else `GITHUB_REPOSITORY`.",
)


class AnchorLink(NamedTuple):
    """A link to an anchor of this file: ``#x``, or an absolute GitHub URL of this file with a
    fragment (``absolute``). ``raw`` is the fragment as written, ``name`` decoded."""

    link: Link
    raw: str
    name: str
    absolute: bool


def anchor_links(doc: Document, repository: str) -> Iterator[AnchorLink]:
    """Every link of ``doc`` to one of its own anchors, outside code blocks. ``repository``
    (``owner/name``, the rule's option) overrides the one the run read; absolute links are
    recognised only when one of them is known."""
    repository = repository or doc.repository or ""
    for link in doc.links:
        if link.span.line not in doc.code_lines:
            anchor = anchor_of(link, repository, doc.repository_path)
            if anchor is not None:
                yield anchor


def anchor_of(link: Link, repository: str, place: str | None) -> AnchorLink | None:
    """``link`` as a link to an anchor of this file (at ``place`` in ``repository``), if it is."""
    if link.url.startswith("#"):
        return AnchorLink(link, link.url[1:], _decoded(link.url[1:]), absolute=False)
    if repository and "github.com/" in link.url.lower():
        found = self_fragment(link.url, repository, place)
        if found is not None:
            return AnchorLink(link, found[0], found[1], absolute=True)
    return None


def anchor_entries(doc: Document, repository: str) -> Iterator[AnchorLink]:
    """The own links of entries of lists of resources that are to an anchor of this file (``#x``
    or its URL), other than links back up (to the top, the title, the ToC or above it).
    Lists that are at least half such links are navigation (a ToC, a section's list of its
    sub-sections) and are not read."""
    repository = repository or doc.repository or ""
    toc = find_toc(doc)
    above = {h.slug for h in doc.headings if toc is not None and h.span.line < toc.line}
    if doc.title is not None:
        above.add(doc.title.slug)
    for block in doc.iter_lists():
        rows = [(e, anchor_of(e.link, repository, doc.repository_path) if e.link else None)
                for e in block.iter_entries()]
        if 2 * sum(1 for _, anchor in rows if anchor is not None) >= len(rows):
            continue
        for entry, anchor in rows:
            if anchor is None or entry.span.line in doc.code_lines:
                continue
            name = anchor.name.lower()
            if name not in BUILTIN_FRAGMENTS and name not in above:
                yield anchor


def _shown_readme(place: str) -> bool:
    """Whether the file at ``place`` is a readme GitHub shows on the repository's page (one of
    the root, ``.github/`` or ``docs/``)."""
    folder, _, name = place.rpartition("/")
    return folder in ("", ".github", "docs") and _is_readme(name)


def _is_readme(name: str) -> bool:
    return PurePosixPath(name).stem.casefold() == "readme"


def closest_slug(name: str, slugs: list[str]) -> str | None:
    """The heading anchor a broken ``#name`` most likely meant: a close spelling, else one that
    starts with the other (``#exploits`` for ``#exploits-and-bugs``); None when nothing is."""
    import difflib  # only for a broken anchor: not at start-up

    close = difflib.get_close_matches(name, slugs, n=1, cutoff=0.6)
    if not close and name:
        close = [s for s in slugs if s.startswith(name) or name.startswith(s)][:1]
    return close[0] if close else None


class TocItem(NamedTuple):
    """One ToC entry: its link, its nesting depth (0 = top), the entry, and which of the ToC's
    lists it is in (an index into :attr:`Toc.blocks`)."""

    entry: Entry
    link: Link
    depth: int
    block: int = 0


class Toc(NamedTuple):
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
    """The table of contents: the first run of consecutive lists of one section that are nearly
    all in-page ``#`` links and hold at least three entries together (one list, or several
    under sub-titles: each of them may be short)."""
    for section in doc.iter_sections():
        blocks: list[ListBlock] = []
        items: list[TocItem] = []
        count = 0
        for block in (*section.lists, None):
            found = None if block is None else _local(block)
            if found is not None and block is not None:
                items.extend(item._replace(block=len(blocks)) for item in found[0])
                blocks.append(block)
                count += found[1]
                continue
            if count >= 3:
                return Toc(tuple(blocks), tuple(items))
            blocks, items, count = [], [], 0
    return None


def same_text(a: str, b: str) -> bool:
    """Whether two headings' texts give the same anchor, ignoring spacing and edge dashes."""
    return slugify(" ".join(a.split())).strip("-") == slugify(" ".join(b.split())).strip("-")
