"""The document tree that rules read: frozen nodes, each with an exact source span."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from awesome_lint.repo import RepoFiles


class Span(NamedTuple):
    """A range of the original file: 1-based lines and columns (code points).

    ``end_column`` is exclusive: it is the column just after the last character, as in SARIF.
    A named tuple rather than a frozen dataclass: a large list creates tens of thousands.
    """

    line: int
    column: int
    end_line: int
    end_column: int


class LinkKind(str, Enum):
    """How a link was written."""

    INLINE = "inline"  # [text](url)
    IMAGE = "image"  # ![alt](url)
    REFERENCE = "reference"  # [text][label], resolved through a definition
    AUTOLINK = "autolink"  # <https://...>
    BARE = "bare"  # https://... in running text
    HTML = "html"  # <a href="...">, <img src="..."> in raw HTML


@dataclass(frozen=True, slots=True)
class Link:
    """A link anywhere in the file.

    ``url`` is the destination exactly as written in the source (for reference links, as written
    in the definition); ``url_span`` covers those characters. ``text`` is the plain link text.
    """

    kind: LinkKind
    text: str
    url: str
    span: Span
    url_span: Span


@dataclass(frozen=True, slots=True)
class Heading:
    """An ATX or setext heading. ``text`` is the source text, ``plain`` the rendered text."""

    level: int
    text: str
    plain: str
    slug: str
    span: Span
    text_span: Span


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    """A raw HTML block, as written."""

    raw: str
    span: Span


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A fenced or indented code block; ``span`` includes the fences. Rules about prose skip it."""

    fenced: bool
    info: str
    span: Span


@dataclass(frozen=True, slots=True)
class Entry:
    """A list item: ``[Name](url) - Description.`` in the usual case.

    ``marker`` is the literal list marker (``-``, ``*``, ``1.``, ``2)``) and ``number`` its value
    for ordered lists. ``link`` is the main link when the item starts with one; ``separator`` is
    the text between that link and the description (``" - "``), and ``description`` the rest of
    the item's first paragraph. ``links`` holds every link in the item's own text (not in its
    sub-lists). ``marker_span`` covers the marker alone.
    """

    span: Span
    marker: str
    marker_span: Span
    number: int | None
    text: str
    text_span: Span | None
    link: Link | None
    separator: str | None
    description: str | None
    description_span: Span | None
    links: tuple[Link, ...]
    sublists: tuple[ListBlock, ...]

    def iter_entries(self) -> Iterator[Entry]:
        """This entry's sub-entries, depth first."""
        for sub in self.sublists:
            yield from sub.iter_entries()


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A Markdown list. ``delimiter`` is ``-``, ``*`` or ``+`` for bullets, ``.`` or ``)``."""

    span: Span
    ordered: bool
    delimiter: str
    start: int | None
    depth: int
    entries: tuple[Entry, ...]

    def iter_entries(self) -> Iterator[Entry]:
        """Every entry of this list and of its sub-lists, in source order."""
        for entry in self.entries:
            yield entry
            yield from entry.iter_entries()


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and what follows it up to the next heading of the same or a higher level.

    The document's root section has no heading and level 0. ``lists`` are the lists that sit
    directly under the heading (before any sub-heading), in source order.
    """

    heading: Heading | None
    level: int
    span: Span
    lists: tuple[ListBlock, ...]
    html_blocks: tuple[HtmlBlock, ...]
    subsections: tuple[Section, ...]

    def iter_sections(self) -> Iterator[Section]:
        """This section and every section below it, in source order."""
        yield self
        for sub in self.subsections:
            yield from sub.iter_sections()


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed Markdown file.

    ``text`` is the decoded text with line endings normalised to ``\\n``; ``lines`` are its lines
    without their endings (``lines[0]`` is line 1). ``local_targets`` holds the relative link
    destinations (as written, without ``#fragment`` or ``?query``) whose file exists.
    """

    path: str
    text: str
    lines: tuple[str, ...]
    root: Section
    links: tuple[Link, ...]
    headings: tuple[Heading, ...]
    html_blocks: tuple[HtmlBlock, ...]
    code_blocks: tuple[CodeBlock, ...] = ()
    #: What the engine found on disk next to the file (None when linting text, not a file):
    #: the repository's community files, and which relative link targets exist.
    repo_files: RepoFiles | None = None
    local_targets: frozenset[str] | None = None

    @property
    def title(self) -> Heading | None:
        """The first level-1 heading, if any."""
        return next((h for h in self.headings if h.level == 1), None)

    def iter_sections(self) -> Iterator[Section]:
        """Every section, the root first, in source order."""
        return self.root.iter_sections()

    def iter_lists(self) -> Iterator[ListBlock]:
        """Every top-level list (not sub-lists), in source order."""
        for section in self.iter_sections():
            yield from section.lists

    def iter_entries(self) -> Iterator[Entry]:
        """Every entry, sub-entries included, in source order."""
        for lst in self.iter_lists():
            yield from lst.iter_entries()
