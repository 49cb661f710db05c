"""Rule-side helpers for the entries rules (AL201-AL206); not a rule itself.

The parser reads each entry once (main link, separator, description: see
:class:`~awesome_lint.model.Entry`); what is left here is the rules' own judgement: which main
links name a listed resource, a link's label as written, and where a description's trailing
badges and tag-like metadata begin.
"""

from __future__ import annotations

import re

from awesome_lint.entries import IMAGE, LINK
from awesome_lint.lazy_re import lazy_compile
from awesome_lint.model import Document, Entry, Link, LinkKind

# Trailing metadata the description's final punctuation is read before.
_TAIL = lazy_compile(
    r"(?:[ \t\u00a0]*(?:"
    rf"\[{IMAGE}\]\([^)\s]*\)"
    rf"|{IMAGE}"
    r"|<img\b[^>\n]*>|<br\s*/?>"
    rf"|\(\s*{LINK}(?:\s*,\s*{LINK})*\s*\)"  # ([Demo](url), [Source Code](url))
    # `MIT` `Go`: two or more tag-like code spans, as an atomic group ((?=(...))\1): else the
    # spans of a run could be split between this alternative's repeats in 2^n ways
    r"|(?=(`[^`\n]+`(?:[ \t]+`[^`\n]+`)+))\1"
    r"|\n[*_ \t]*\[[^\]\n]*\]\(#[^)\s]*\)[*_ \t]*"  # a "back to top" line run into the entry
    r"))+[ \t\u00a0]*$"
)
#: How much of a description's end :func:`tail_start` searches for :data:`_TAIL`.
_TAIL_WINDOW = 4096
_WEB_OR_PATH = lazy_compile(r"^(?![a-z][a-z0-9+.-]*:)(?!#)|^https?://", re.IGNORECASE)


def is_content_link(link: Link) -> bool:
    """A link that names a listed resource: a web URL or a relative path, not a ``#anchor``."""
    url = link.url.strip()
    return link.kind in (LinkKind.INLINE, LinkKind.REFERENCE) and not url.startswith("#") and (
        bool(_WEB_OR_PATH().match(url)) or url.lower().startswith("//")
    )


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
    if link.text.strip():
        return False
    label = link_label(doc, link).strip()
    return label.startswith("![")


def name_link(doc: Document, entry: Entry) -> Link | None:
    """The main link of an entry that names a listed resource (a web URL or a relative path,
    not a ``#anchor`` nor a badge), else None: the entries rules check only such entries."""
    link = entry.link
    if link is None or entry.separator is None or not is_content_link(link):
        return None
    return None if is_badge(doc, link) else link


def tail_start(description: str) -> int:
    """Where trailing badges and tag-like metadata begin (the description's length if none)."""
    # Only the end of it: the search retries at every "![" or "[" of a long description, each
    # try reading to its end (quadratic); trailing badges never come near this many characters.
    offset = max(len(description) - _TAIL_WINDOW, 0)
    m = _TAIL().search(description, offset)
    return m.start() if m and m.start() > 0 else len(description.rstrip())
