"""What the rendering rules share: the lines of a document that are Markdown prose."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.model import Document

_FRONT_MATTER_KEY = re.compile(r"[A-Za-z0-9_-]+:(\s|$)")


def front_matter_lines(doc: Document) -> int:
    """How many lines at the top of ``doc`` are YAML front matter (0 if none).

    The same reading as the parser's: ``---``, a ``key:`` line, and a closing ``---`` or ``...``
    within the first 200 lines.
    """
    lines = doc.lines
    if len(lines) < 3 or lines[0] != "---" or not _FRONT_MATTER_KEY.match(lines[1]):
        return 0
    for i in range(1, min(len(lines), 200)):
        if lines[i] in ("---", "..."):
            return i + 1
    return 0


def prose_lines(doc: Document) -> Iterator[tuple[int, str]]:
    """Each 1-based line number and text that is not code, raw HTML or front matter."""
    skip = front_matter_lines(doc)
    code, html = doc.code_lines, doc.html_lines
    for number, line in enumerate(doc.lines, 1):
        if number > skip and number not in code and number not in html:
            yield number, line
