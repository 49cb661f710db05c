"""Markdown to :class:`Document`, with exact source positions. The only module importing mistune.

mistune keeps no positions (lepture/mistune#218), so we recover them from its parser state:

* every child state (list item, block quote) is built from its parent's text one source line per
  line, so a state needs only the absolute line of its first line (``line0``);
* block tokens are stamped with their first line when a block rule matches (``parse_method``) or
  a paragraph starts (``add_paragraph``);
* list items get their marker line from a stack of open lists: mistune creates an item's child
  state only after reading the NEXT item's marker line, which is where the next item starts;
* links and code spans are stamped with their offsets in the inline source when their closing
  bracket (or the autolink, or the code span) is parsed;
* columns: a parsed line is the raw line minus container prefixes and leading-tab expansion, so
  it is aligned with the END of the raw line.

What is code (code blocks, code spans) and what is raw HTML is read here, from mistune's tokens,
and kept on the Document; so is the reading of each entry (main link, separator, description).
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, ClassVar, NamedTuple

import mistune
from mistune.core import BlockState, InlineState
from mistune.list_parser import (
    _create_list_marker,
    _get_list_bullet,
    _ListMarker,
    _parse_list_item,
    _transform_tight_list,
)
from mistune.plugins.url import URL_LINK_PATTERN, parse_url_link

from awesome_lint.entries import separator_after
from awesome_lint.lazy_re import lazy_compile
from awesome_lint.model import (
    CodeBlock,
    Document,
    Entry,
    Heading,
    HtmlBlock,
    Link,
    LinkKind,
    ListBlock,
    Section,
    Span,
    TextMap,
)
from awesome_lint.slug import Slugger
from awesome_lint.source import normalise_text

Token = dict[str, Any]

_LIST_MARKER = re.compile(r"([ \t]*)([*+-]|\d{1,9}[.)])([ \t]*)(.*)")
_REF_DEF = re.compile(r" {0,3}\[((?:[^\\\[\]]|\\.)+)\]:[ \t]*(<[^>\n]*>|\S*)")
_FRONT_MATTER_KEY = re.compile(r"[A-Za-z0-9_-]+:(\s|$)")
_INLINE_STRIP = " \r\n\t\f"
_PLAIN_URL = re.compile(r"[^\s()\\]*")
# An entry with no inline markup but links: ``[Name](https://url) - Plain [text](#text).``.
# Such text needs no inline parser (most entries of real lists look like this); anything with
# a character that could start markup (``!`` only before ``[``, ``&`` before an entity's name,
# ``_`` but between letters or digits) or a bare URL takes mistune's path.
# Plain text, written "normal* (special normal*)*" so that a failed match does not backtrack.
_PLAIN_NORMAL = r"[^\[\]\\`*_<>&\n]"
_PLAIN_TEXT = (rf"{_PLAIN_NORMAL}*(?:(?:&(?![#A-Za-z])|(?<=[A-Za-z0-9])_+(?=[A-Za-z0-9]))"
               rf"{_PLAIN_NORMAL}*)*")
_PLAIN_URL_GROUP = r"\(((?:https?://|#)[^\s()<>\\`]+)\)"
_PLAIN_LINK = re.compile(rf"\[(?!\])({_PLAIN_TEXT})\]{_PLAIN_URL_GROUP}")
_PLAIN_ENTRY = re.compile(rf"{_PLAIN_LINK.pattern}({_PLAIN_TEXT})")
_PLAIN_BADGE = lazy_compile(rf"\[!\[({_PLAIN_TEXT})\]{_PLAIN_URL_GROUP}\]{_PLAIN_URL_GROUP}")
_PLAIN_CODE = re.compile(r"`([^`\n]+)`(?!`)")
_PLAIN_RUN = re.compile(_PLAIN_TEXT)


class _ListFrame:
    """An open block rule; for lists, where the next item starts and the items seen so far."""

    __slots__ = ("items", "kind", "line")

    def __init__(self, kind: str, line: int) -> None:
        self.kind = kind
        self.line = line
        self.items: list[tuple[int, int]] = []


class _State(BlockState):  # type: ignore[misc]
    """A BlockState that knows the absolute line of its first line."""

    line0: int

    def __init__(self, parent: Any | None = None) -> None:
        super().__init__(parent)
        self.line0 = 0
        # Offsets of the newlines: an array of machine integers, not a list of int objects
        # (a file of 10 million empty lines would need 400 MB for a list).
        self._newlines: array[int] = array("q")

    def process(self, src: str) -> None:
        super().process(src)
        self._newlines = array("q", (m.start() for m in re.finditer("\n", src)))

    def abs_line(self, pos: int) -> int:
        """0-based absolute line of offset ``pos`` of this state's text."""
        return self.line0 + bisect_right(self._newlines, pos - 1)

    def local_line(self, index: int) -> str:
        """Line ``index`` (0-based, relative to this state) without its newline."""
        start = self._newlines[index - 1] + 1 if index > 0 else 0
        end = self._newlines[index] if index < len(self._newlines) else len(self.src)
        return str(self.src[start:end])

    def child_state(self, src: str, lazy_line_starts: set[int] | None = None) -> _State:
        child: _State = super().child_state(src, lazy_line_starts)
        frames: list[_ListFrame] = self.env["_al_frames"]
        frame = frames[-1]
        if lazy_line_starts is not None:  # a block quote: its lines start at the quote
            child.line0 = frame.line
            return child
        marker_line = frame.line
        local = self.local_line(marker_line - self.line0)
        m = _LIST_MARKER.match(local)
        child.line0 = marker_line + (1 if m is None or not m.group(4).strip() else 0)
        frame.items.append((marker_line, child.line0))
        # The cursor is past the next item's marker line, if there is a next item.
        frame.line = self.abs_line(self.cursor - 1)
        return child

    def add_paragraph(self, text: str) -> None:
        last = self.last_token()
        line = self.abs_line(self.cursor)
        if last and last["type"] == "paragraph":
            self._continue_paragraph(last, line)
        else:
            self.tokens.append({"type": "paragraph", "text": "", "_line": line, "_segs": []})
        super().add_paragraph(text)

    def append_paragraph(self) -> int | None:
        last = self.last_token()
        if last and last["type"] == "paragraph":
            self._continue_paragraph(last, self.abs_line(self.cursor))
        end: int | None = super().append_paragraph()
        return end

    @staticmethod
    def _continue_paragraph(tok: Token, line: int) -> None:
        """Record where appended text comes from: not always the next line (a lazy line read
        while a block quote was being parsed lands in the paragraph before the quote)."""
        segs = tok.setdefault("_segs", [])
        segs.append((tok["text"].count("\n"), line))


_BLANK_LINES = (r"(?:^[ \t\v\f]*\n)++" if sys.version_info >= (3, 11)
                else r"^[ \t\v\f]*\n")
# mistune ends a list item or a quote at an HTML block only when its tag name is followed by
# a space or the line end, so ``</details>`` right after an item became part of the item
# (sorting the list moved it). CommonMark, and GitHub, also end them at ``>`` and ``/>``.
_BLOCK_HTML = mistune.BlockParser.BLOCK_HTML.replace(r"(?:[ \t]+|\n|$)",
                                                     r"(?:[ \t]+|(?=/?>)|\n|$)")


class _BlockParser(mistune.BlockParser):  # type: ignore[misc]
    state_cls = _State
    # mistune reads a run of blank lines with one repeated group, whose backtracking state
    # grows with the run (5 million lines of spaces took 5 GB). A possessive run keeps none
    # (Python 3.11+); before 3.11, one blank line per match. Either way a run is one token
    # (parse_blank_line).
    SPECIFICATION: ClassVar[dict[str, str]] = {
        **mistune.BlockParser.SPECIFICATION, "blank_line": _BLANK_LINES, "block_html": _BLOCK_HTML}
    BLANK_LINE = re.compile(_BLANK_LINES, re.M)

    def parse_blank_line(self, m: re.Match[str], state: _State) -> int:
        last = state.last_token()
        line = state.abs_line(m.start())
        if last and last["type"] == "blank_line" and last.get("_end") == line - 1:
            last["_end"] = line
            if "newlines" in last:
                last["newlines"] += 1
            return m.end()
        end: int = super().parse_blank_line(m, state)
        return end

    def parse_method(self, m: re.Match[str], state: _State) -> int | None:
        kind = m.lastgroup or ""
        frames: list[_ListFrame] = state.env["_al_frames"]
        start = state.abs_line(m.start())
        frames.append(_ListFrame(kind, start))
        count = len(state.tokens)
        try:
            end: int | None = super().parse_method(m, state)
        finally:
            frame = frames.pop()
        if end:
            end_line = state.abs_line(end - 1)
            added = len(state.tokens) - count
            for tok in state.tokens[max(0, len(state.tokens) - added - 1):]:
                if "_line" not in tok:
                    tok["_line"] = start
                    tok["_end"] = end_line
                    if tok["type"] == "list":
                        tok["_items"] = frame.items
            last = state.last_token()
            if kind == "setex_heading" and last and last.get("style") == "setext":
                last["_end"] = end_line
            if kind == "fenced_code" and last and last["type"] == "block_code":
                last["_closed"] = _fence_closed(state.src, m, end)
            if kind == "ref_link":
                state.env["_al_refdefs"].append(start)
        return end

    def parse_list(self, m: re.Match[str], state: _State) -> int:
        """mistune's ``parse_list`` for bullet lists, but a run of one-line items is read here.

        mistune parses each item in a child state of its own, with patterns compiled per
        item. An item on one line that starts with a link and whose next line is the next
        item of the same list (the same bullet, no indent) is that one line, a paragraph:
        such items are built here, and mistune reads the rest (the last item of each run).
        """
        first = _create_list_marker(m, "list")
        if first.ordered or not first.text.strip():
            return int(super().parse_list(m, state))
        depth = state.depth()
        token: Token = {"type": "list", "children": [], "tight": True, "bullet": first.bullet,
                        "attrs": {"depth": depth, "ordered": False}}
        state.cursor = m.end() + 1
        rules = self.list_rules
        if depth >= self.max_nested_level - 1:
            rules = [rule for rule in rules if rule not in ("list", "block_quote")]
        bullet = _get_list_bullet(first.bullet)
        frame: _ListFrame = state.env["_al_frames"][-1]
        marker: _ListMarker | None = first
        while marker is not None:
            if not marker.spaces:
                marker = self._simple_items(state, marker, token, frame)
            marker = _parse_list_item(self, bullet, marker, token, state, rules)
        end: int | None = token.pop("_end_pos", None)
        _transform_tight_list(token)
        if end:
            state.tokens.insert(token.pop("_tok_index"), token)
            return end
        state.append_token(token)
        return int(state.cursor)

    @staticmethod
    def _simple_items(state: _State, marker: _ListMarker, token: Token,
                      frame: _ListFrame) -> _ListMarker:
        """Add the run of one-line items from ``marker``'s line on to ``token``, but the last;
        return the marker of the last, the cursor past its line (where mistune would be)."""
        src = state.src
        pos = src.rfind("\n", 0, state.cursor - 1) + 1
        run: list[re.Match[str]] = []
        while (item := _SIMPLE_ITEM.match(src, pos)) is not None and src[pos] == marker.bullet:
            run.append(item)
            pos = item.end()
        if len(run) < 2:
            return marker
        for line, simple in enumerate(run[:-1], frame.line):
            text = simple.group(1)
            paragraph: Token = {"type": "paragraph", "text": text, "_line": line, "_segs": []}
            token["children"].append({"type": "list_item", "children": [paragraph]})
            frame.items.append((line, line))
        frame.line += len(run) - 1
        state.cursor = run[-1].end()
        return _ListMarker("", marker.marker, " " + run[-1].group(1).rstrip("\n"))

    def parse(self, state: _State, rules: list[str] | None = None) -> None:
        if _single_paragraph(self, state, rules):
            # The usual list item, one line of text: mistune would try every block rule at
            # every offset of the line before calling it a paragraph.
            state.add_paragraph(state.src)
            state.cursor = state.cursor_max
            return
        super().parse(state, rules)

    def _parse_indent_code_fast(self, state: _State) -> int | None:
        count = len(state.tokens)
        start = state.abs_line(state.cursor)
        end: int | None = super()._parse_indent_code_fast(state)
        if end and len(state.tokens) > count and state.tokens[-1]["type"] == "block_code":
            state.tokens[-1].update(_line=start, _end=state.abs_line(end - 1))
        return end


# A list item on one line that starts with a link, ``- [Name](url) ...``: a paragraph
# whatever follows (no block rule starts with ``[`` but a reference definition,
# ``[label]:``, and its label can hold neither brackets nor backslashes here).
_SIMPLE_ITEM = re.compile(r"[-*+] (\[[^\[\]\\\n]*\]\([^\n]*\n)")


def _fence_closed(src: str, m: re.Match[str], end: int) -> bool:
    """Whether the fenced code block opened by ``m`` and ending at ``end`` has its closing fence
    (mistune runs an unclosed one to the end of its container)."""
    marker = m.group("fenced_2")
    body = m.end() + 1
    last = src.rfind("\n", 0, end - 1) + 1
    if end <= body or last < body:
        return False
    line = src[last:end].rstrip("\n")
    return re.fullmatch(" {0,3}" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*",
                        line) is not None


def _single_paragraph(parser: _BlockParser, state: _State, rules: list[str] | None) -> bool:
    """Whether ``state`` holds one line that can only be a paragraph.

    mistune's block rules all match at the start of a line, so a single line on which none
    matches, and which does not start with a space (indented code), is a paragraph.
    """
    src = state.src
    if state.cursor != 0 or not src or "\n" in src[:-1] or src[0].isspace():
        return False
    return parser.compile_sc(rules if rules is not None else parser.rules).match(src, 0) is None


class _InlineParser(mistune.InlineParser):  # type: ignore[misc]
    """Stamps link tokens with ``_start``/``_end`` offsets (and ``_dest``) in the inline source."""

    def parse_method(self, m: re.Match[str], state: InlineState) -> int | None:
        kind = m.lastgroup
        if kind == "link_close":
            before = list(state.brackets)
            end: int | None = super().parse_method(m, state)
            if end:
                for b in _closed(before, state.brackets):
                    if b.token_index >= len(state.tokens):
                        continue
                    tok = state.tokens[b.token_index]
                    if tok["type"] in ("link", "image") and "_start" not in tok:
                        tok["_start"] = b.start - (2 if b.image else 1)
                        tok["_end"] = end
                        if "ref" not in tok and state.src.startswith("(", m.end()):
                            tok["_dest"] = (m.end() + 1, end - 1)
            return end
        if kind in ("auto_link", "auto_email", "url_link"):
            count = len(state.tokens)
            end = super().parse_method(m, state)
            if end and len(state.tokens) > count and state.tokens[-1]["type"] == "link":
                tok = state.tokens[-1]
                tok["_start"] = m.start()
                tok["_end"] = end
            return end
        result: int | None = super().parse_method(m, state)
        return result

    def parse_codespan(self, m: re.Match[str], state: InlineState) -> int:
        # Overridden here rather than in parse_method: precedence_scan calls it directly.
        count = len(state.tokens)
        end: int = super().parse_codespan(m, state)
        if len(state.tokens) > count and state.tokens[-1]["type"] == "codespan":
            state.tokens[-1]["_start"] = m.start()
            state.tokens[-1]["_end"] = end
        return end


def _closed(before: list[Any], after: list[Any]) -> list[Any]:
    """The brackets of ``before`` no longer in ``after``. mistune only drops brackets from the
    end of the stack, so they are the tail of ``before`` (comparing every bracket instead was
    quadratic on ``[a][`` repeated: 20 KB took 5 s)."""
    kept = len(after)
    if kept <= len(before) and (kept == 0 or after[-1] is before[kept - 1]):
        return before[kept:]
    remaining = {id(b) for b in after}
    return [b for b in before if id(b) not in remaining]


def _column_offset(raw: str, parsed: str) -> int:
    """How many code points of ``raw`` precede ``parsed`` when both end alike."""
    if raw.endswith(parsed):
        return len(raw) - len(parsed)
    stripped = parsed.rstrip()
    raw_stripped = raw.rstrip()
    if raw_stripped.endswith(stripped.lstrip()):
        return len(raw_stripped) - len(stripped)
    return max(0, len(raw) - len(parsed))


def _blank_front_matter(text: str) -> str:
    """Blank out YAML front matter (keeping its newlines): mistune would read it as Markdown."""
    if not text.startswith("---\n"):
        return text
    lines = text.split("\n")
    if len(lines) < 3 or not _FRONT_MATTER_KEY.match(lines[1]):
        return text
    for i in range(1, min(len(lines), 200)):
        if lines[i] in ("---", "..."):
            return "\n" * i + "\n".join(lines[i:]).replace(lines[i], "", 1)
    return text


class _TextBlock:
    """Lines of a paragraph-like token, mapping inline-source offsets to source positions.

    ``line_numbers[i]`` is the 0-based source line of line ``i`` of ``text``; ``offsets[i]`` is
    how many raw code points precede that line's text in the file.
    """

    def __init__(self, builder: _Builder, line_numbers: list[int], text: str,
                 offsets: list[int] | None = None) -> None:
        lines = text.rstrip("\n").split("\n")
        self.first_line = line_numbers[0]
        self.last_line = max(line_numbers)
        self.inline_src = text.strip(_INLINE_STRIP)
        starts = [0]
        for line in lines[:-1]:  # (none for the usual one-line entry)
            starts.append(starts[-1] + len(line) + 1)
        columns = offsets if offsets is not None else [
            _column_offset(builder.raw_line(number), line)
            for number, line in zip(line_numbers, lines, strict=True)
        ]
        self.map = TextMap(len(text) - len(text.lstrip(_INLINE_STRIP)), tuple(starts),
                           tuple(line_numbers), tuple(columns))
        self.span = self.map.span


def _line_numbers(tok: Token) -> list[int]:
    """The source line of each line of a paragraph token's text (see ``_State``)."""
    count = tok.get("text", "").rstrip("\n").count("\n") + 1
    numbers = [tok["_line"] + i for i in range(count)]
    for first, line in tok.get("_segs", ()):
        for i in range(first, count):
            numbers[i] = line + i - first
    return numbers


def _plain(tokens: Iterable[Token]) -> str:
    """Rendered text of inline tokens (what a reader sees, and what GitHub slugs)."""
    out = []
    for tok in tokens:
        if tok["type"] == "image":
            continue  # an image has no text content, so GitHub's anchors ignore it
        if "children" in tok:
            out.append(_plain(tok["children"]))
        elif tok["type"] in ("text", "codespan"):
            out.append(tok["raw"])
        elif tok["type"] in ("softbreak", "linebreak"):
            out.append(" ")
    return "".join(out)


def _is_badge(tok: Token) -> bool:
    """A link around an image and nothing else: a badge, not a name."""
    children = tok.get("children", ())
    first = next((c for c in children if not (c["type"] == "text" and not c["raw"].strip())),
                 None)
    return first is not None and first["type"] == "image" and not _plain(children).strip()


def _wrapped_link(tok: Token) -> Token:
    """The link that emphasis wraps as a whole (``**[Name](url)**``, ``***[Name](url)***``),
    else ``tok`` itself."""
    while tok["type"] in ("strong", "emphasis") and len(tok["children"]) == 1:
        tok = tok["children"][0]
    return tok


def _name_after_badges(inline: list[Token], index: int, src: str) -> Token | None:
    """The ``[Name](url)`` link (possibly emphasised) that follows the badges from
    ``inline[index]`` on, if any."""
    for tok in inline[index:]:
        kind = tok["type"]
        if kind == "text" and not tok["raw"].strip(" \t"):
            continue
        if kind == "image" or (kind == "link" and _is_badge(tok)):
            continue
        tok = _wrapped_link(tok)
        if tok["type"] == "link" and "_start" in tok and src.startswith("[", tok["_start"]):
            return tok
        return None
    return None


class _Reading(NamedTuple):
    """An entry's main link, the emphasis around it, its separator and description."""

    link: Link | None = None
    wrapping: str = ""
    separator: str | None = None
    separator_span: Span | None = None
    description: str | None = None
    description_span: Span | None = None


def _read_entry(inline: list[Token], block: _TextBlock, links: list[Link]) -> _Reading:
    """The one reading of an entry's first paragraph (see :class:`Entry`)."""
    index, first = next(((i, t) for i, t in enumerate(inline)
                         if not (t["type"] == "text" and not t["raw"].strip())), (0, None))
    if first is not None:
        first = _wrapped_link(first)
    if first is None or first["type"] != "link" or "_start" not in first or "_autolink" in first:
        return _Reading()
    src = block.inline_src
    if _is_badge(first):
        name = _name_after_badges(inline, index + 1, src)
        if name is not None:
            first = name
    start = first["_start"]
    wrapping = src[:start][len(src[:start].rstrip("*_")):]  # the ** or _ just before the link
    end = first["_end"]
    if wrapping:  # step over the closing ** or _
        if src.startswith(wrapping[::-1], end):
            end += len(wrapping)
        else:
            while end < len(src) and src[end] in "*_":
                end += 1
    where = block.span(start, first["_end"])
    link = next(x for x in links if x.span == where)
    sep_start, sep_end = separator_after(src, end)
    description = src[sep_end:]
    return _Reading(link, wrapping, src[sep_start:sep_end], block.span(sep_start, sep_end),
                    description, block.span(sep_end, len(src)) if description else None)


class _SectionBuilder:
    """A section being built: its heading, and the lists, HTML blocks and sections under it."""

    __slots__ = ("children", "heading", "html", "level", "lists")

    def __init__(self, heading: Heading | None, level: int) -> None:
        self.heading = heading
        self.level = level
        self.lists: list[ListBlock] = []
        self.html: list[HtmlBlock] = []
        self.children: list[_SectionBuilder] = []


_ENTRY_MARKER = re.compile(r"(?:[ \t]*>)*[ \t]*([*+-]|\d{1,9}[.)])")


class _Builder:
    """Walks mistune's tokens and builds the frozen Document."""

    def __init__(self, raw_lines: list[str], env: dict[str, Any]) -> None:
        self.raw_lines = raw_lines
        self.env = env
        self.inline = _InlineParser()
        self.inline.register("url_link", URL_LINK_PATTERN, parse_url_link)
        self.links: list[Link] = []
        self.html_blocks: list[HtmlBlock] = []
        self.code_blocks: list[CodeBlock] = []
        self.code_spans: list[Span] = []
        self.headings: list[Heading] = []
        self.slugger = Slugger()
        self.root = _SectionBuilder(None, 0)
        self.stack = [self.root]

    def raw_line(self, index: int) -> str:
        return self.raw_lines[index] if 0 <= index < len(self.raw_lines) else ""

    def line_span(self, first: int, last: int) -> Span:
        """Span of 0-based lines ``first``..``last``, from the first non-blank character."""
        first_raw = self.raw_line(first)
        column = len(first_raw) - len(first_raw.lstrip()) + 1
        return Span(first + 1, column, last + 1, len(self.raw_line(last).rstrip()) + 1)

    # -- inline --------------------------------------------------------------------------
    def inline_tokens(self, block: _TextBlock) -> list[Token]:
        """The inline tokens of ``block``; its code spans are recorded on the way."""
        tokens = _plain_entry_tokens(block.inline_src)
        if tokens is None:
            tokens = self.inline(block.inline_src, self.env)
        if "`" in block.inline_src:
            self.collect_code_spans(tokens, block)
        return tokens

    def collect_code_spans(self, tokens: Iterable[Token], block: _TextBlock) -> None:
        """Record the code spans of ``tokens``, one span per line they cover."""
        src = block.inline_src
        for tok in tokens:
            if tok["type"] == "codespan" and "_start" in tok:
                start, end = tok["_start"], tok["_end"]
                while (newline := src.find("\n", start, end)) >= 0:
                    self.code_spans.append(block.span(start, newline))
                    start = newline + 1
                self.code_spans.append(block.span(start, end))
            elif "children" in tok:
                self.collect_code_spans(tok["children"], block)

    def collect_links(self, tokens: Iterable[Token], block: _TextBlock) -> Iterator[Link]:
        for tok in tokens:
            if tok["type"] in ("link", "image") and "_start" in tok:
                yield self.make_link(tok, block)
            if "children" in tok:
                yield from self.collect_links(tok["children"], block)

    def make_link(self, tok: Token, block: _TextBlock) -> Link:
        src = block.inline_src
        start, end = tok["_start"], tok["_end"]
        span = block.span(start, end)
        text = _plain(tok.get("children", ()))
        if src.startswith("<", start):
            url_span = block.span(start + 1, end - 1)
            return Link(LinkKind.AUTOLINK, text, src[start + 1:end - 1], span, url_span)
        if not src.startswith(("[", "!["), start):
            return Link(LinkKind.BARE, text, src[start:end], span, span)
        image = tok["type"] == "image"
        if "_dest" in tok:
            u_start, u_end = tok["_url"] if "_url" in tok else _destination(src, *tok["_dest"])
            kind = LinkKind.IMAGE if image else LinkKind.INLINE
            return Link(kind, text, src[u_start:u_end], span, block.span(u_start, u_end))
        url, where = self.reference_target(tok)
        kind = LinkKind.IMAGE if image else LinkKind.REFERENCE
        return Link(kind, text, url, span, where or span)

    def reference_target(self, tok: Token) -> tuple[str, Span | None]:
        """The URL of a reference link as written in its definition, and where."""
        wanted = _normal_label(tok.get("label", ""))
        for line in self.env["_al_refdefs"]:
            m = _REF_DEF.match(self.raw_line(line).lstrip(" >"))
            if m and _normal_label(m.group(1)) == wanted:
                raw = self.raw_line(line)
                offset = len(raw) - len(raw.lstrip(" >"))
                url, col = m.group(2), offset + m.start(2) + 1
                if url.startswith("<"):
                    url, col = url[1:-1], col + 1
                return url, Span(line + 1, col, line + 1, col + len(url))
        return str(tok.get("attrs", {}).get("url", "")), None

    # -- blocks --------------------------------------------------------------------------
    def text_block(self, tok: Token) -> _TextBlock:
        return _TextBlock(self, _line_numbers(tok), tok.get("text", ""))

    def walk(self, tokens: list[Token], *, top: bool, quoted: bool = False) -> int:
        """Build the nodes of ``tokens``; return the last 0-based line they cover.

        ``top``: the tokens are not inside a list item, so their lists are the section's;
        ``quoted``: they are inside a block quote, whose paragraphs may be entries.
        """
        last = -1
        read = self.quote_paragraphs(tokens) if quoted and top else {}
        run: list[Entry] = []  # the quote's paragraph entries so far, blank lines apart
        for index, tok in enumerate(tokens):
            kind = tok["type"]
            if kind in ("paragraph", "block_text"):
                block, found, entry = read.get(index) or self.text_links(tok)
                self.links.extend(found)
                last = max(last, block.last_line)
                if entry is not None:
                    run.append(entry)
                    continue
            if run and kind != "blank_line":
                self.stack[-1].lists.append(_paragraph_list(run))
                run = []
            if kind in ("paragraph", "block_text"):
                continue
            if kind == "heading":
                last = max(last, self.heading(tok))
            elif kind == "list":
                lst = self.list_block(tok, 0, quoted=quoted)
                if top:
                    self.stack[-1].lists.append(lst)
                last = max(last, lst.span.end_line - 1)
            elif kind == "block_html":
                first = tok["_line"]
                end = first + tok["raw"].rstrip("\n").count("\n")
                html = HtmlBlock(tok["raw"], self.line_span(first, end))
                self.html_blocks.append(html)
                if top and not quoted:
                    self.stack[-1].html.append(html)
                last = max(last, end)
            elif kind == "block_quote":
                last = max(last, self.walk(tok["children"], top=top, quoted=True),
                           int(tok["_line"]))
            elif kind == "block_code" and "_line" in tok:
                end = self.code_end(tok)
                info = str(tok.get("attrs", {}).get("info", ""))
                fenced = tok.get("style") == "fenced"
                self.code_blocks.append(CodeBlock(fenced, info, self.line_span(tok["_line"], end),
                                                  bool(tok.get("_closed", True))))
                last = max(last, end)
            elif "_line" in tok:
                last = max(last, int(tok["_end"] if "_end" in tok else tok["_line"]))
        if run:
            self.stack[-1].lists.append(_paragraph_list(run))
        return last

    def text_links(self, tok: Token) -> tuple[_TextBlock, list[Link], None]:
        """The text block of a paragraph token and its links (and no entry)."""
        block = self.text_block(tok)
        return block, list(self.collect_links(self.inline_tokens(block), block)), None

    def quote_paragraphs(self, tokens: list[Token]
                         ) -> dict[int, tuple[_TextBlock, list[Link], Entry | None]]:
        """The paragraphs of a block quote (by index in ``tokens``), each with its links and
        the entry it is. A quote is a list of entries only if at least half its paragraphs
        are entries: in a quoted article, a paragraph that starts with a link is prose."""
        read: dict[int, tuple[_TextBlock, list[Link], Entry | None]] = {}
        for index, tok in enumerate(tokens):
            if tok["type"] == "paragraph":
                block = self.text_block(tok)
                inline = self.inline_tokens(block)
                found = list(self.collect_links(inline, block))
                read[index] = block, found, self.paragraph_entry(block, inline, found)
        if 2 * sum(entry is not None for _, _, entry in read.values()) < len(read):
            return {index: (block, found, None) for index, (block, found, _) in read.items()}
        return read

    def paragraph_entry(self, block: _TextBlock, inline: list[Token],
                        links: list[Link]) -> Entry | None:
        """The entry a block quote's paragraph is, if it is one: a name link followed by a
        separator (or a line break) and a description. Quoted prose is not, even when it
        starts with a link (``> [Foo](url) is a tool that...``)."""
        reading = _read_entry(inline, block, links)
        description = reading.description or ""
        if reading.link is None or not description.strip() or not (
                (reading.separator or "").strip() or description.startswith("\n")):
            return None
        text = block.inline_src
        span = block.span(0, len(text))
        return Entry(
            span=span, marker="", marker_span=span._replace(end_line=span.line,
                                                            end_column=span.column),
            number=None, text=text, text_span=span, link=reading.link,
            separator=reading.separator, description=reading.description,
            description_span=reading.description_span, links=tuple(links), sublists=(),
            wrapping=reading.wrapping, separator_span=reading.separator_span,
            text_map=block.map,
        )

    def code_end(self, tok: Token) -> int:
        """The last line of a code block: blank lines an indented block swallowed don't count."""
        end = int(tok["_end"])
        while end > tok["_line"] and not self.raw_line(end).strip():
            end -= 1
        return end

    def heading(self, tok: Token) -> int:
        """Open a section for heading ``tok``; return its last line."""
        level = tok["attrs"]["level"]
        first = tok["_line"]
        if tok.get("style") == "setext":
            block = self.text_block(tok)
            last = int(tok.get("_end", block.last_line + 1))
        else:
            raw = self.raw_line(first)
            text = tok["text"]
            hashes = raw.find("#") + level
            col = raw.find(text, hashes) if text else len(raw.rstrip())
            block = _TextBlock(self, [first], text, offsets=[max(col, hashes)])
            last = first
        inline = self.inline_tokens(block)
        self.links.extend(self.collect_links(inline, block))
        # Slugged unstripped: "Awesome LLM [![badge](...)](...)" is "Awesome LLM " to GitHub,
        # whose anchor is "awesome-llm-"; the text people read has no trailing space.
        plain = _plain(inline)
        heading = Heading(
            level=level,
            text=block.inline_src,
            plain=plain.strip(),
            slug=self.slugger.slug(plain),
            span=self.line_span(first, last),
            text_span=block.span(0, len(block.inline_src)),
        )
        self.headings.append(heading)
        while self.stack[-1].level >= level:
            self.stack.pop()
        section = _SectionBuilder(heading, level)
        self.stack[-1].children.append(section)
        self.stack.append(section)
        return last

    def list_block(self, tok: Token, depth: int, *, quoted: bool) -> ListBlock:
        entries = [
            self.entry(item, marker_line, depth, quoted=quoted)
            for item, (marker_line, _) in zip(tok["children"], tok["_items"], strict=True)
        ]
        first, last = entries[0].span, entries[-1].span
        return ListBlock(
            span=Span(first.line, first.column, last.end_line, last.end_column),
            ordered=bool(tok["attrs"].get("ordered")),
            delimiter=tok["bullet"],
            start=entries[0].number,
            depth=depth,
            entries=tuple(entries),
            quoted=quoted,
        )

    def entry(self, item: Token, marker_line: int, depth: int, *, quoted: bool) -> Entry:
        raw = self.raw_line(marker_line)
        m = _ENTRY_MARKER.match(raw)
        marker = m.group(1) if m else ""
        marker_col = m.start(1) if m else len(raw) - len(raw.lstrip())
        last = marker_line
        links: list[Link] = []
        sublists: list[ListBlock] = []
        text, text_span, text_map = "", None, None
        reading = _Reading()
        for index, child in enumerate(item["children"]):
            kind = child["type"]
            if kind in ("paragraph", "block_text"):
                block = self.text_block(child)
                inline = self.inline_tokens(block)
                found = list(self.collect_links(inline, block))
                links.extend(found)
                last = max(last, block.last_line)
                if index == 0:
                    text, text_span = block.inline_src, block.span(0, len(block.inline_src))
                    text_map = block.map
                    reading = _read_entry(inline, block, found)
            elif kind == "list":
                sub = self.list_block(child, depth + 1, quoted=quoted)
                sublists.append(sub)
                last = max(last, sub.span.end_line - 1)
            else:
                last = max(last, self.walk([child], top=False))
        self.links.extend(links)
        return Entry(
            span=Span(marker_line + 1, marker_col + 1, last + 1,
                      len(self.raw_line(last).rstrip()) + 1),
            marker=marker,
            marker_span=Span(marker_line + 1, marker_col + 1, marker_line + 1,
                             marker_col + len(marker) + 1),
            number=int(marker[:-1]) if marker[:-1].isdigit() else None,
            text=text,
            text_span=text_span,
            link=reading.link,
            separator=reading.separator,
            description=reading.description,
            description_span=reading.description_span,
            links=tuple(links),
            sublists=tuple(sublists),
            wrapping=reading.wrapping,
            separator_span=reading.separator_span,
            text_map=text_map,
        )

    def freeze(self, builder: _SectionBuilder, end_line: int) -> Section:
        """The frozen section of ``builder``, which ends at 1-based line ``end_line``."""
        children = []
        for i, child in enumerate(builder.children):
            nxt = builder.children[i + 1].heading if i + 1 < len(builder.children) else None
            children.append(self.freeze(child, nxt.span.line - 1 if nxt else end_line))
        return Section(
            heading=builder.heading,
            level=builder.level,
            span=Span(builder.heading.span.line if builder.heading else 1, 1, end_line,
                      len(self.raw_line(end_line - 1)) + 1),
            lists=tuple(builder.lists),
            html_blocks=tuple(builder.html),
            subsections=tuple(children),
        )


def _paragraph_list(entries: list[Entry]) -> ListBlock:
    """The list that consecutive paragraph entries of a block quote make."""
    first, last = entries[0].span, entries[-1].span
    return ListBlock(Span(first.line, first.column, last.end_line, last.end_column),
                     ordered=False, delimiter="", start=None, depth=0, entries=tuple(entries),
                     quoted=True)


def _plain_entry_tokens(src: str) -> list[Token] | None:
    """The tokens mistune would give an entry that starts with a link (or a badge) and holds
    nothing but plain text, code spans and links (``[text](url)``, ``[[text](url)]``, badges),
    else None."""
    m = _PLAIN_ENTRY.fullmatch(src)  # the usual entry: a link and plain text, read at once
    if m is not None and "://" not in m.group(1) and "://" not in m.group(3):
        link = _link_token(m, [{"type": "text", "raw": m.group(1)}])
        return [link, {"type": "text", "raw": m.group(3)}] if m.group(3) else [link]
    tokens: list[Token] = []
    pos, end = 0, len(src)
    while pos < end:
        char = src[pos]
        if char == "[":
            pos = _plain_link(src, pos, tokens)
        elif not tokens:
            return None
        elif char == "`" and (m := _PLAIN_CODE.match(src, pos)) is not None:
            code = m.group(1)
            if code.strip(" ") and code.startswith(" ") and code.endswith(" "):
                code = code[1:-1]
            tokens.append({"type": "codespan", "raw": code, "_start": pos, "_end": m.end()})
            pos = m.end()
        elif (m := _PLAIN_RUN.match(src, pos)) is not None and m.end() > pos:
            text = m.group()
            if "://" in text or (text.endswith("!") and src.startswith("[", m.end())):
                return None  # a bare URL; an image
            _add_text(tokens, text)
            pos = m.end()
        else:
            return None
        if pos < 0:
            return None
    return tokens


def _plain_link(src: str, pos: int, tokens: list[Token]) -> int:
    """Add the link, badge or bracketed link at ``pos`` to ``tokens``; return where it ends
    (-1 if there is none)."""
    if "://" in src[pos:src.find("]", pos)]:
        return -1  # a URL in a link's text
    if (m := _PLAIN_LINK.match(src, pos)) is not None:
        tokens.append(_link_token(m, [{"type": "text", "raw": m.group(1)}]))
        return m.end()
    if (m := _PLAIN_BADGE().match(src, pos)) is not None:
        image = _link_token(m, [{"type": "text", "raw": m.group(1)}] if m.group(1) else [])
        image.update(type="image", _start=pos + 1, _end=m.end(2) + 1)
        tokens.append(_link_token(m, [image], group=3))
        tokens[-1]["_start"] = pos
        return m.end()
    inner = _PLAIN_LINK.match(src, pos + 1)
    if not tokens or inner is None or not src.startswith("]", inner.end()) or \
            src.startswith(("(", "["), inner.end() + 1):
        return -1
    _add_text(tokens, "[")
    tokens.append(_link_token(inner, [{"type": "text", "raw": inner.group(1)}]))
    _add_text(tokens, "]")
    return inner.end() + 1


def _link_token(m: re.Match[str], children: list[Token], group: int = 2) -> Token:
    """The link token of ``m``, whose destination is its group ``group``."""
    return {"type": "link", "children": children, "attrs": {"url": m.group(group)},
            "_start": m.start(), "_end": m.end(group) + 1, "_dest": m.span(group),
            "_url": m.span(group)}


def _add_text(tokens: list[Token], text: str) -> None:
    if tokens and tokens[-1]["type"] == "text":
        tokens[-1]["raw"] += text
    else:
        tokens.append({"type": "text", "raw": text})


def _destination(src: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the URL as written inside ``(...)``: angle brackets and title excluded."""
    while start < end and src[start] in " \t\n":
        start += 1
    if src.startswith("<", start):
        close = src.find(">", start)
        return start + 1, close if start < close <= end else end
    plain = _PLAIN_URL.match(src, start, end)
    pos, depth = plain.end() if plain else start, 0
    while pos < end and not src[pos].isspace():
        ch = src[pos]
        if ch == "\\":
            pos += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        pos += 1
    return start, min(pos, end)


def _normal_label(label: str) -> str:
    return " ".join(label.split()).casefold()


_HTML_LINK = lazy_compile(
    r"""<(?:a|img|source|link|iframe|video|audio|embed|area)\b[^<>]*?\b(?:href|src)\s*=\s*"""
    r"""(?:"([^"<>]*)"|'([^'<>]*)'|([^\s"'<>=`]+))""",
    re.IGNORECASE,
)


def _html_links(raw_lines: list[str], code_blocks: list[CodeBlock],
                code_spans: list[Span]) -> Iterator[Link]:
    """``href``/``src`` of HTML tags, outside code blocks and code spans (mistune leaves raw HTML
    unparsed). A tag split over several lines is not seen."""
    in_code = {line for block in code_blocks
               for line in range(block.span.line, block.span.end_line + 1)}
    spans: dict[int, list[Span]] = {}
    for span in code_spans:
        spans.setdefault(span.line, []).append(span)
    for number, raw in enumerate(raw_lines, 1):
        if "<" not in raw or number in in_code:
            continue
        for m in _HTML_LINK().finditer(raw):
            if any(s.column <= m.start() + 1 < s.end_column for s in spans.get(number, ())):
                continue  # inside a code span
            group = next(g for g in (1, 2, 3) if m.group(g) is not None)
            url = m.group(group)
            span = Span(number, m.start() + 1, number, m.end() + 1)
            url_span = Span(number, m.start(group) + 1, number, m.end(group) + 1)
            yield Link(LinkKind.HTML, "", url, span, url_span)


def _block_tokens(text: str) -> _State:
    """mistune's block reading of ``text`` (normalised), its tokens stamped with lines."""
    src = _blank_front_matter(text)
    if not src.endswith("\n"):
        src += "\n"
    state = _State()
    state.env.update({"_al_frames": [], "_al_refdefs": []})
    state.process(src)
    _BlockParser().parse(state)
    return state


def fence_left_open(text: str) -> bool:
    """Whether ``text``, read as Markdown on its own, opens a code fence it never closes (at any
    depth: in a list item or a quote too)."""
    def open_in(tokens: list[Token]) -> bool:
        return any(
            (tok["type"] == "block_code" and tok.get("style") == "fenced"
             and not tok.get("_closed", True)) or open_in(tok.get("children") or [])
            for tok in tokens if isinstance(tok, dict)
        )
    return open_in(_block_tokens(normalise_text(text)).tokens)


def parse(text: str, path: str = "<string>") -> Document:
    """Parse ``text`` into a Document, read as :func:`~awesome_lint.source.normalise_text` reads
    it (``\\r\\n`` and ``\\r`` as ``\\n``, as mistune does; no byte-order mark)."""
    text = normalise_text(text)
    raw_lines = text.split("\n")
    state = _block_tokens(text)
    builder = _Builder(raw_lines, state.env)
    builder.walk(state.tokens, top=True)
    end_line = len(raw_lines) - 1 if len(raw_lines) > 1 and raw_lines[-1] == "" else len(raw_lines)
    return Document(
        path=path,
        text=text,
        lines=tuple(islice(raw_lines, end_line)),
        root=builder.freeze(builder.root, max(end_line, 1)),
        links=tuple(sorted([*builder.links,
                            *_html_links(raw_lines, builder.code_blocks, builder.code_spans)],
                           key=lambda link: (link.span.line, link.span.column))),
        headings=tuple(builder.headings),
        html_blocks=tuple(builder.html_blocks),
        code_blocks=tuple(builder.code_blocks),
        code_spans=tuple(sorted(builder.code_spans)),
    )
