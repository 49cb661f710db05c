"""Shared reading of an entry's text for the entries rules (AL201-AL206); not a rule itself.

The Document gives an entry's main link, separator and description as written. The entries
rules need a little more, derived here from the entry's source text: the name link after any
leading badges, the real separator after decorations that sit between the name and it
(``[[crate](url)]``, ``(2024)``, ``**NEW**``, badges), and where the rendered description
starts and ends once trailing badges and tag-like metadata are set aside.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from awesome_lint.model import Document, Entry, Link, LinkKind, Span

# Separators between the name and the description: dashes, colons, bars, with any spacing.
SEPARATOR = re.compile(r"[ \t\u00a0]*(?:[-\u2013\u2014:|]+)[ \t\u00a0]*")
# Decorations that may sit between the name link and the separator.
_IMAGE = r"!\[[^\]\n]*\]\([^)\s]*\)"
_LINK = r"\[[^\]\n]*\]\([^)\s]*\)"
_DECORATION = re.compile(
    r"[ \t\u00a0]*(?:"
    rf"\[{_IMAGE}\]\([^)\s]*\)"  # badge: [![alt](img)](url)
    rf"|{_IMAGE}"
    rf"|\[{_LINK}(?:\s*,\s*{_LINK})*\]"  # [[crate](url)], [[a](u), [b](v)]
    r"|\[\[[^\]\n]*\]\]\([^)\s]*\)"  # [[crate]](url)
    rf"|{_LINK}"
    r"|\([^()\n]{1,60}\)"  # (2024), (NVIDIA, 2024)
    r"|`[^`\n]+`"
    r"|\*\*[^*\n]+\*\*|__[^_\n]+__|\*[^*\n]+\*|_[^_\n]+_"
    r")"
)
# Trailing metadata the description's final punctuation is read before.
_TAIL = re.compile(
    r"(?:[ \t\u00a0]*(?:"
    rf"\[{_IMAGE}\]\([^)\s]*\)"
    rf"|{_IMAGE}"
    r"|<img\b[^>\n]*>|<br\s*/?>"
    rf"|\(\s*{_LINK}(?:\s*,\s*{_LINK})*\s*\)"  # ([Demo](url), [Source Code](url))
    # `MIT` `Go`: two or more tag-like code spans, as an atomic group ((?=(...))\1): else the
    # spans of a run could be split between this alternative's repeats in 2^n ways
    r"|(?=(`[^`\n]+`(?:[ \t]+`[^`\n]+`)+))\1"
    r"|\n[*_ \t]*\[[^\]\n]*\]\(#[^)\s]*\)[*_ \t]*"  # a "back to top" line run into the entry
    r"))+[ \t\u00a0]*$"
)
#: How much of a description's end :func:`tail_start` searches for :data:`_TAIL`.
_TAIL_WINDOW = 4096
_WEB_OR_PATH = re.compile(r"^(?![a-z][a-z0-9+.-]*:)(?!#)|^https?://", re.IGNORECASE)


def is_content_link(link: Link) -> bool:
    """A link that names a listed resource: a web URL or a relative path, not a ``#anchor``."""
    url = link.url.strip()
    return link.kind in (LinkKind.INLINE, LinkKind.REFERENCE) and not url.startswith("#") and (
        bool(_WEB_OR_PATH.match(url)) or url.lower().startswith("//")
    )


def in_code(doc: Document, line: int) -> bool:
    """True when ``line`` is inside a code block."""
    return any(b.span.line <= line <= b.span.end_line for b in doc.code_blocks)


@dataclass(frozen=True, slots=True)
class EntryParts:
    """The name link, the real separator and the description of a content entry.

    ``separator`` is ``""`` when the description follows the name with no separator (or only
    spaces); ``description`` is the description's source text and ``desc_span`` its start.
    ``sep_span`` covers the separator (empty span when missing).
    """

    entry: Entry
    name: Link
    separator: str
    sep_span: Span
    description: str
    desc_start: Span


def _link_src(doc: Document, link: Link) -> str:
    span = link.span
    if span.line == span.end_line:
        return doc.lines[span.line - 1][span.column - 1 : span.end_column - 1]
    parts = [doc.lines[span.line - 1][span.column - 1 :]]
    parts += [doc.lines[n - 1] for n in range(span.line + 1, span.end_line)]
    parts.append(doc.lines[span.end_line - 1][: span.end_column - 1])
    return "\n".join(parts)


def link_label(doc: Document, link: Link) -> str:
    """The source between a link's brackets (``[label](url)``), images included."""
    src = _link_src(doc, link)
    if not src.startswith("["):
        return link.text
    depth = 0
    for i, ch in enumerate(src):
        if ch == "\\":
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return src[1:i]
    return link.text


def is_badge(doc: Document, link: Link) -> bool:
    """A link whose label is only an image: a badge, not a name."""
    label = link_label(doc, link).strip()
    return bool(label) and not link.text.strip() and label.startswith("![")


class TextMap:
    """Positions of offsets in a piece of inline source that starts at ``start``."""

    def __init__(self, doc: Document, text: str, start: Span) -> None:
        self.doc, self.text, self.start = doc, text, start

    def pos(self, offset: int) -> tuple[int, int]:
        before = self.text[:offset]
        row = before.count("\n")
        if row == 0:
            return self.start.line, self.start.column + offset
        line_no = self.start.line + row
        segment = self.text.split("\n")[row]
        raw = self.doc.lines[line_no - 1] if line_no <= len(self.doc.lines) else ""
        found = raw.find(segment) if segment else -1
        base = found if found >= 0 else len(raw) - len(raw.lstrip(" \t>"))
        return line_no, base + 1 + (offset - (len(before) - len(before.split("\n")[-1])))

    def span(self, start: int, end: int) -> Span:
        line, col = self.pos(start)
        end_line, end_col = self.pos(end)
        return Span(line, col, end_line, end_col)


#: entry_parts per document (by identity), for the last few documents: three rules ask for the
#: parts of every entry, and working them out is most of those rules' time.
_PARTS: OrderedDict[int, tuple[Document, dict[int, EntryParts | None]]] = OrderedDict()


def entry_parts(doc: Document, entry: Entry) -> EntryParts | None:
    """The parts of a content entry, or None for entries without a content name link."""
    slot = _PARTS.get(id(doc))
    if slot is None or slot[0] is not doc:
        slot = _PARTS[id(doc)] = (doc, {})
        while len(_PARTS) > 4:
            _PARTS.popitem(last=False)
    known = slot[1]
    if id(entry) not in known:
        known[id(entry)] = _entry_parts(doc, entry)
    return known[id(entry)]


def _entry_parts(doc: Document, entry: Entry) -> EntryParts | None:
    link = entry.link
    if link is None or entry.text_span is None:
        return None
    text = entry.text
    tmap = TextMap(doc, text, entry.text_span)
    offset = _offset(tmap, link.span.end_line, link.span.end_column)
    if offset is None:
        return None
    if link.kind in (LinkKind.INLINE, LinkKind.REFERENCE) and is_badge(doc, link):
        # Leading badges: the name is the next link after them.
        rest = text[offset:]
        m = re.compile(rf"(?:[ \t]*(?:\[{_IMAGE}\]\([^)\s]*\)|{_IMAGE}))*[ \t]*").match(rest)
        start = offset + (m.end() if m else 0)
        following = [x for x in entry.links
                     if x.kind in (LinkKind.INLINE, LinkKind.REFERENCE) and not is_badge(doc, x)]
        name = next((x for x in following
                     if _offset(tmap, x.span.line, x.span.column) == start), None)
        if name is None:
            return None
        link = name
        end = _offset(tmap, link.span.end_line, link.span.end_column)
        if end is None:
            return None
        offset = end
    if not is_content_link(link):
        return None
    pos = offset
    while True:
        m = SEPARATOR.match(text, pos)
        if m:
            sep_start, sep_end = m.start(), m.end()
            break
        d = _DECORATION.match(text, pos)
        if d is None or d.end() == pos:
            if not text[pos:].strip():
                sep_start = sep_end = len(text)  # only decorations: no description
                break
            sep_start = sep_end = offset
            # No separator: the description starts after the spaces following the name.
            while sep_end < len(text) and text[sep_end] in " \t\u00a0":
                sep_end += 1
            sep_start = sep_end
            break
        pos = d.end()
    separator = text[sep_start:sep_end]
    return EntryParts(
        entry=entry,
        name=link,
        separator=separator,
        sep_span=tmap.span(sep_start, sep_end),
        description=text[sep_end:],
        desc_start=tmap.span(sep_end, sep_end),
    )


def _offset(tmap: TextMap, line: int, column: int) -> int | None:
    """The offset in ``tmap.text`` of a source position on one of its lines."""
    row = line - tmap.start.line
    lines = tmap.text.split("\n")
    if row < 0 or row >= len(lines):
        return None
    before = sum(len(x) + 1 for x in lines[:row])
    if row == 0:
        return before + column - tmap.start.column
    line_start = tmap.pos(before)[1]
    return before + column - line_start


def strip_decorations(text: str) -> str:
    """``text`` without leading decorations (badges, ``(2024)``, ``[[crate](url)]``...)."""
    pos = 0
    while (m := _DECORATION.match(text, pos)) is not None and m.end() > pos:
        pos = m.end()
    return text[pos:]


def tail_start(description: str) -> int:
    """Where trailing badges and tag-like metadata begin (the description's length if none)."""
    # Only the end of it: the search retries at every "![" or "[" of a long description, each
    # try reading to its end (quadratic); trailing badges never come near this many characters.
    offset = max(len(description) - _TAIL_WINDOW, 0)
    m = _TAIL.search(description, offset)
    return m.start() if m and m.start() > 0 else len(description.rstrip())
