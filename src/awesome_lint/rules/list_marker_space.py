"""AL105 list-marker-space: ``-[Name](url)``, a list marker with no space after it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Edit, Fix, Violation
from awesome_lint.model import Document, Span
from awesome_lint.rule import Rule
from awesome_lint.rules._render import prose_lines

# A marker glued to a link, an image or a bold link: ``-[``, ``1.[``, ``+![``, ``-**[``.
_GLUED = re.compile(r"([ \t]*(?:>[ \t]*)*)([-+]|\d{1,9}[.)])(?=!?\[|\*\*\[|__\[)")
# ``*[Name](url)`` is a list item only when no other ``*`` could close it as emphasis.
_GLUED_STAR = re.compile(r"([ \t]*(?:>[ \t]*)*)(\*)(?=\[[^*]*$)")


class ListMarkerSpace(Rule):
    """A line that starts with a list marker glued to a link is a paragraph, not a list item:
    GitHub joins it to the entry above (or shows it as text). Code and HTML are not read."""

    code = "AL105"
    name = "list-marker-space"
    summary = "A list marker must be followed by a space, or the line is not a list item."
    fixable = True

    def check(self, doc: Document) -> Iterator[Violation]:
        for number, line in prose_lines(doc):
            m = _GLUED.match(line) or _GLUED_STAR.match(line)
            if m is None or doc.is_code(number, m.end(2)):
                continue
            marker = m.group(2)
            span = Span(number, m.start(2) + 1, number, m.end(2) + 1)
            at = Span(number, m.end(2) + 1, number, m.end(2) + 1)
            joined = number > 1 and doc.lines[number - 2].strip() != ""
            renders = "text joined to the line above" if joined else "a paragraph"
            yield Violation(span, f"No space after the list marker '{marker}': the line is not "
                            f"a list item and renders as {renders}; add a space after the "
                            "marker", Fix((Edit(at, " "),)))
