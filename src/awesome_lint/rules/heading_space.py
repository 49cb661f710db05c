"""AL116 heading-space: ``##Heading``, hashes with no space after them, renders as text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Applicability, Edit, Fix, Violation
from awesome_lint.model import Document, Span
from awesome_lint.rule import Rule
from awesome_lint.rules._render import front_matter_lines, prose_lines

# Up to three spaces, one to six hashes, then a word or a link: not a digit (``#1``).
_GLUED = re.compile(r" {0,3}(#{1,6})(?=\[|[^\W\d])")


class HeadingSpace(Rule):
    """Reports a line that starts with ``#`` glued to its text. Two to six hashes are always a
    heading meant; a single ``#`` only on a line of its own (blank lines around it) whose text
    starts with a capital or has several words: ``#hashtag`` and ``#1`` are left alone."""

    code = "AL116"
    name = "heading-space"
    summary = "A heading's '#' must be followed by a space, or it renders as plain text."
    fixable = True

    def check(self, doc: Document) -> Iterator[Violation]:
        headings = {n for h in doc.headings for n in range(h.span.line, h.span.end_line + 1)}
        top = front_matter_lines(doc) + 1
        for number, line in prose_lines(doc):
            m = _GLUED.match(line)
            if m is None or number in headings or doc.is_code(number, m.end(1) + 1):
                continue
            hashes = m.group(1)
            if len(hashes) == 1 and not _title_alone(doc, number, top, line[m.end():]):
                continue
            safe = len(hashes) > 1
            at = Span(number, m.end(1) + 1, number, m.end(1) + 1)
            yield Violation(Span(number, m.start(1) + 1, number, m.end(1) + 1),
                            f"No space after '{hashes}', so this line renders as plain text, "
                            "not a heading; add a space after the hashes",
                            Fix((Edit(at, " "),),
                                Applicability.SAFE if safe else Applicability.UNSAFE))


def _title_alone(doc: Document, number: int, top: int, text: str) -> bool:
    """Whether ``#text`` on line ``number`` reads as a title rather than a hashtag (``top`` is
    the first line after any front matter)."""
    lines = doc.lines
    alone = ((number == top or not lines[number - 2].strip())
             and (number == len(lines) or not lines[number].strip()))
    return alone and (text[:1].isupper() or " " in text.strip())
