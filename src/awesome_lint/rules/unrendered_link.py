"""AL208 unrendered-link: ``[Name] (url)`` or ``[Name](url with spaces)`` is not a link."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Applicability, Edit, Fix, Violation
from awesome_lint.model import Document, Span
from awesome_lint.rule import Rule
from awesome_lint.rules._render import prose_lines

# ``[text]`` (not escaped, not the second half of ``[a][b]``), spaces or nothing, ``(...)``.
# Bounded, so that a long line of unclosed ``[a](`` is not read again from each bracket.
_CANDIDATE = re.compile(r"(?<![\]\\])!?\[([^\[\]\n]{0,500})\]([ \t]{0,20})\(([^()\n]{0,2000})\)")
# What only a link destination looks like: a scheme, ``www.``, an anchor, a relative path.
_URL_LIKE = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.-]*://|mailto:|www\.|#[\w-]|\.\.?/|[\w./-]+\.md(?:#|$))")
# What a line needs for a finding: a gap between ``]`` and ``(``, or a space inside ``](...)``.
_SUSPECT = re.compile(r"\][ \t]{1,20}\(|\]\([^()\n]*\s")
_SPACE = re.compile(r"\s")
# The destination, then an optional title in quotes or parentheses.
_TITLE = re.compile(r"""[ \t]+["'(]""")
_TASK_BOX = frozenset((" ", "x", "X"))


class UnrenderedLink(Rule):
    """Link syntax that GitHub shows as literal text: a space between the text's ``]`` and the
    destination's ``(``, or spaces inside the destination. Only a parenthesis holding what can
    only be an address is read (``[1] (2019)`` is text); code and HTML are not read."""

    code = "AL208"
    name = "unrendered-link"
    summary = "What was meant as a link renders as literal text because of a space."
    fixable = True

    def check(self, doc: Document) -> Iterator[Violation]:
        starts: dict[int, set[int]] | None = None  # where each link starts: read if needed
        for number, line in prose_lines(doc):
            if not _SUSPECT.search(line):
                continue  # every link on the line is written right: the usual entry
            for m in _CANDIDATE.finditer(line):
                text, gap, inside = m.groups()
                if not gap and not _SPACE.search(inside):
                    continue
                destination = inside.strip(" \t")
                if (text in _TASK_BOX or not _URL_LIKE.match(destination)
                        or doc.is_code(number, m.start() + 1)):
                    continue
                if gap:
                    span = Span(number, m.end(1) + 2, number, m.start(3))
                    yield Violation(span, "Space between ']' and '(': this is not a link and "
                                    "renders as literal text; remove the space",
                                    Fix((Edit(span, ""),)))
                    continue
                url = _TITLE.split(destination, maxsplit=1)[0]
                if not _SPACE.search(url):
                    continue
                if starts is None:
                    starts = _link_starts(doc)
                if m.start() + 1 in starts.get(number, ()):
                    continue
                first = m.start(3) + inside.index(url)
                span = Span(number, first + 1, number, first + len(url) + 1)
                # A text that is an address itself is autolinked today: the link would hide it.
                fix = None if _URL_LIKE.search(text) else Fix(
                    (Edit(span, re.sub(r"\s+", "%20", url)),), Applicability.UNSAFE)
                yield Violation(span, "Space in the URL: this is not a link and renders as "
                                "literal text; write each space as %20, or fix the address", fix)


def _link_starts(doc: Document) -> dict[int, set[int]]:
    """The columns where the parser found a link, by line."""
    starts: dict[int, set[int]] = {}
    for link in doc.links:
        starts.setdefault(link.span.line, set()).add(link.span.column)
    return starts
