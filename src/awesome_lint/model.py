"""The document tree that rules read: immutable nodes, each with an exact source span.

The nodes are named tuples rather than frozen dataclasses: a large list creates tens of thousands
of them, and a run defines each class once (a dataclass compiles its methods then: ~0.5 ms each).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from awesome_lint.repo import RepoFiles
    from awesome_lint.verdicts import LinkStatus


class Span(NamedTuple):
    """A range of the original file: 1-based lines and columns (code points).

    ``end_column`` is exclusive: it is the column just after the last character, as in SARIF.
    """

    line: int
    column: int
    end_line: int
    end_column: int


class TextMap(NamedTuple):
    """Where the lines of a parsed text (a paragraph's inline source) sit in the file.

    The text is the source lines' text without container prefixes (list indentation, ``>``),
    stripped of ``lead`` leading characters; its line ``i`` starts at offset ``starts[i] - lead``,
    on 0-based file line ``lines[i]``, after ``columns[i]`` code points of that line.
    """

    lead: int
    starts: tuple[int, ...]
    lines: tuple[int, ...]
    columns: tuple[int, ...]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the file of offset ``offset`` of the text."""
        lead, starts, lines, columns = self
        pos = offset + lead
        if len(starts) == 1:  # the usual one-line entry
            return lines[0] + 1, columns[0] + pos + 1
        index = bisect_right(starts, pos) - 1
        return lines[index] + 1, columns[index] + pos - starts[index] + 1

    def span(self, start: int, end: int) -> Span:
        """The span in the file of ``text[start:end]``."""
        lead, starts, lines, columns = self
        if len(starts) == 1:
            line, base = lines[0] + 1, columns[0] + lead + 1
            return Span(line, base + start, line, base + end)
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(line, column, end_line, end_column)


class LinkKind(str, Enum):
    """How a link was written."""

    INLINE = "inline"  # [text](url)
    IMAGE = "image"  # ![alt](url)
    REFERENCE = "reference"  # [text][label], resolved through a definition
    AUTOLINK = "autolink"  # <https://...>
    BARE = "bare"  # https://... in running text
    HTML = "html"  # <a href="...">, <img src="..."> in raw HTML


class Link(NamedTuple):
    """A link anywhere in the file.

    ``url`` is the destination exactly as written in the source (for reference links, as written
    in the definition); ``url_span`` covers those characters. ``text`` is the plain link text.
    """

    kind: LinkKind
    text: str
    url: str
    span: Span
    url_span: Span


#: What every suppression comment holds (``<!-- awesome-lint-disable ... -->``): a text without
#: it has none.
SUPPRESSION_MARK = "awesome-lint-"


class SuppressionComment(NamedTuple):
    """An inline ``<!-- awesome-lint-disable... -->`` comment and what it did in this run.

    ``codes`` are the rules it names (None: every rule); ``unknown`` the names no rule has, each
    with a did-you-mean hint (possibly empty); ``unused`` the (code, name) of rules it names that
    ran but had nothing to suppress; ``used`` whether it suppressed anything at all; ``hidden``
    the (code, span) of each finding it suppressed; ``new`` (``--diff`` only) those of them
    that the comments at BASE did not hide at that place: what the change newly silences.
    """

    kind: str
    span: Span
    codes: tuple[str, ...] | None
    unknown: tuple[tuple[str, str], ...] = ()
    unused: tuple[tuple[str, str], ...] = ()
    used: bool = False
    hidden: tuple[tuple[str, Span], ...] = ()
    new: tuple[tuple[str, Span], ...] = ()
    #: What the comment says after ``--`` (``-- cross-listed on purpose``), else "".
    reason: str = ""


class Heading(NamedTuple):
    """An ATX or setext heading. ``text`` is the source text, ``plain`` the rendered text."""

    level: int
    text: str
    plain: str
    slug: str
    span: Span
    text_span: Span


class HtmlBlock(NamedTuple):
    """A raw HTML block, as written."""

    raw: str
    span: Span


class CodeBlock(NamedTuple):
    """A fenced or indented code block; ``span`` includes the fences. Rules about prose skip it."""

    fenced: bool
    info: str
    span: Span
    #: False for a fence never closed: the block runs to the end of its container.
    closed: bool = True


class Entry(NamedTuple):
    """A list item: ``[Name](url) - Description.`` in the usual case.

    ``marker`` is the literal list marker (``-``, ``*``, ``1.``, ``2)``) and ``number`` its value
    for ordered lists; ``marker_span`` covers the marker alone. An entry written as a paragraph
    of a block quote (``> **[Name](url)** <br> Description.``) has no marker: ``marker`` is
    ``""`` and ``marker_span`` the empty span where its text starts. ``text`` is the item's first
    paragraph as parsed (its inline source) and ``text_span`` where it is. ``links`` holds every
    link in the item's own text (not in its sub-lists).

    The parser reads the entry once, and rules use that reading rather than the text:

    * ``link`` is the main link, whose text is the entry's :attr:`name`: the link the item
      starts with, possibly wrapped in emphasis as a whole (``**[Name](url)**``: ``wrapping``
      is the opening ``**``, ``__``, ``*`` or ``_``, else ``""``). When that link is a badge (a
      link around an image only) followed by more badges and a ``[Name](url)`` link, that link.
      None when the item does not start with a link.
    * ``separator`` is the text between the main link and the description, as written
      (``" - "``, ``": "``, ``" \u2014 "``), found after the decorations that may sit between them
      (``(2024)``, ``[[crate](url)]``, a badge, ``**NEW**``); ``""`` when the description
      follows with no separator (it then starts after the spaces that follow the link) or when
      nothing but decorations follows the link. ``separator_span`` covers it (an empty span
      when ``""``).
    * ``description`` is the rest of the first paragraph, as written (``""`` if none);
      ``description_span`` covers it (None when empty).

    ``separator``, ``separator_span`` and ``description`` are None when ``link`` is. Offsets of
    ``text`` and of ``description`` map to the file with :meth:`span_in_text` and
    :meth:`span_in_description`.
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
    wrapping: str = ""
    separator_span: Span | None = None
    text_map: TextMap | None = None

    @property
    def name(self) -> str | None:
        """The entry's name: the main link's text (None without a main link)."""
        return self.link.text if self.link is not None else None

    def span_in_text(self, start: int, end: int) -> Span:
        """Where ``text[start:end]`` is in the file."""
        if self.text_map is None:
            raise ValueError("this entry has no text")
        return self.text_map.span(start, end)

    def span_in_description(self, start: int, end: int) -> Span:
        """Where ``description[start:end]`` is in the file."""
        offset = len(self.text) - len(self.description or "")
        return self.span_in_text(offset + start, offset + end)

    def iter_entries(self) -> Iterator[Entry]:
        """This entry's sub-entries, depth first."""
        for sub in self.sublists:
            yield from sub.iter_entries()


class ListBlock(NamedTuple):
    """A Markdown list. ``delimiter`` is ``-``, ``*`` or ``+`` for bullets, ``.`` or ``)``.

    ``quoted``: the list is inside a block quote, so its lines start with ``>`` (fixes that
    re-indent or move lines must keep those prefixes). The entries written as consecutive
    paragraphs of one block quote make a quoted list with ``delimiter`` ``""``.
    """

    span: Span
    ordered: bool
    delimiter: str
    start: int | None
    depth: int
    entries: tuple[Entry, ...]
    quoted: bool = False

    def iter_entries(self) -> Iterator[Entry]:
        """Every entry of this list and of its sub-lists, in source order."""
        for entry in self.entries:
            yield entry
            yield from entry.iter_entries()


class Section(NamedTuple):
    """A heading and what follows it up to the next heading of the same or a higher level.

    The document's root section has no heading and level 0. ``lists`` are the lists that sit
    directly under the heading (before any sub-heading), in source order, those in block
    quotes included.
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

    What is code and what is raw HTML is the parser's reading, asked with :meth:`is_code`,
    :meth:`inline_code_ranges` and :meth:`in_html` (or :attr:`code_lines`, :attr:`html_lines`):
    rules and suppressions never decide it with patterns of their own.
    """

    path: str
    text: str
    lines: tuple[str, ...]
    root: Section
    links: tuple[Link, ...]
    headings: tuple[Heading, ...]
    html_blocks: tuple[HtmlBlock, ...]
    code_blocks: tuple[CodeBlock, ...] = ()
    #: Inline code spans (backticks included) in source order, one span per line: a code span
    #: across lines is split at its line ends. None inside code or HTML blocks.
    code_spans: tuple[Span, ...] = ()
    #: What the engine found on disk next to the file (None when linting text, not a file):
    #: the repository's community files, and which relative link targets exist.
    repo_files: RepoFiles | None = None
    local_targets: frozenset[str] | None = None
    #: The GitHub repository the file is in (``owner/name``, from the ``origin`` remote or
    #: ``GITHUB_REPOSITORY``) and its path there; read by the run, None when not known.
    repository: str | None = None
    repository_path: str | None = None
    #: Set by the run after the network check (``--links``): the status of each web link,
    #: keyed by the URL as fetched (:func:`awesome_lint.urls.absolute`). None: not checked.
    link_statuses: Mapping[str, LinkStatus] | None = None
    #: Set by the run once inline suppressions are applied: each comment and what it did.
    suppressions: tuple[SuppressionComment, ...] | None = None
    #: 1-based numbers of the lines inside fenced or indented code blocks, fences included.
    code_lines: frozenset[int] = field(init=False, repr=False, compare=False)
    #: 1-based numbers of the lines inside raw HTML blocks.
    html_lines: frozenset[int] = field(init=False, repr=False, compare=False)
    _code_ranges: dict[int, tuple[tuple[int, int], ...]] = field(
        init=False, repr=False, compare=False)
    #: Every entry, sub-entries included, in source order: the tree walked once, here, so
    #: that rules iterating the entries (:meth:`iter_entries`) walk no tree.
    entries: tuple[Entry, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        def lines(blocks: tuple[CodeBlock, ...] | tuple[HtmlBlock, ...]) -> frozenset[int]:
            return frozenset(n for b in blocks for n in range(b.span.line, b.span.end_line + 1))

        ranges: dict[int, list[tuple[int, int]]] = {}
        for span in self.code_spans:
            ranges.setdefault(span.line, []).append((span.column - 1, span.end_column - 1))
        object.__setattr__(self, "code_lines", lines(self.code_blocks))
        object.__setattr__(self, "html_lines", lines(self.html_blocks))
        object.__setattr__(self, "_code_ranges", {n: tuple(r) for n, r in ranges.items()})
        object.__setattr__(self, "entries", tuple(
            entry for section in self.root.iter_sections() for lst in section.lists
            for entry in lst.iter_entries()))

    def is_code(self, line: int, column: int | None = None) -> bool:
        """Whether 1-based ``line`` is inside a code block; given a 1-based ``column`` (as in a
        :class:`Span`), whether that character is inside a code block or an inline code span."""
        if line in self.code_lines:
            return True
        if column is None:
            return False
        return any(start < column <= end for start, end in self._code_ranges.get(line, ()))

    def inline_code_ranges(self, line: int) -> tuple[tuple[int, int], ...]:
        """The inline code spans on 1-based ``line``, left to right, backticks included, as
        0-based ``(start, end)`` offsets into ``lines[line - 1]`` (``end`` exclusive)."""
        return self._code_ranges.get(line, ())

    def in_html(self, line: int) -> bool:
        """Whether 1-based ``line`` is inside a raw HTML block."""
        return line in self.html_lines

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
        """Every entry, sub-entries included, in source order (:attr:`entries`)."""
        return iter(self.entries)
