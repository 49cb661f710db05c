"""AL404 trailing-whitespace: spaces or tabs at the end of a line (hard line breaks excepted)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Edit, Fix, Severity, Violation
from awesome_lint.model import Document, Span
from awesome_lint.rule import Option, Rule, Tier

# A line that starts a new block: a hard break before it breaks nothing.
_BLOCK_START = re.compile(r"\s*(?:#{1,6}(?:\s|$)|>|[-*+](?:\s|$)|\d{1,9}[.)](?:\s|$)|`{3}|~{3}|<)")
_HEADING = re.compile(r"\s*#{1,6}(?:\s|$)")


class TrailingWhitespace(Rule):
    code = "AL404"
    name = "trailing-whitespace"
    summary = "Lines must not end with spaces or tabs, except two spaces for a hard line break."
    severity = Severity.WARNING
    tier = Tier.OPT_IN
    fixable = True
    options = (
        Option("strict", False, "Also report two trailing spaces that break nothing (at the end "
               "of a paragraph, a heading or a blank line)."),
        Option("blank-lines", False, "Also report lines that hold nothing but whitespace (they "
               "render as blank lines)."),
    )

    def check(self, doc: Document) -> Iterator[Violation]:
        code = doc.code_lines
        # A heading's trailing whitespace is AL114 heading-punctuation's: one finding per defect.
        headings = {h.span.line for h in doc.headings if h.span.line == h.span.end_line}
        lines = doc.lines
        for number, line in enumerate(lines, 1):
            # Not a regex: ``[ \t]+$`` retries at every space of a long run (quadratic).
            start = len(line.rstrip(" \t"))
            if start == len(line) or number in code or number in headings:
                continue
            tail = line[start:]
            following = lines[number] if number < len(lines) else ""
            breaks = (start > 0 and not _HEADING.match(line)
                      and following.strip() != "" and not _BLOCK_START.match(following))
            if tail == "  " and start > 0 and (breaks or not self.settings["strict"]):
                continue  # a hard line break, or the habit of ending lines with one
            span = Span(number, start + 1, number, len(line) + 1)
            if breaks and set(tail) == {" "}:
                yield Violation(span, f"{len(tail)} trailing spaces; a hard line break needs "
                                "exactly two", Fix((Edit(span, "  "),)))
            elif start == 0:
                if not self.settings["blank-lines"]:
                    continue
                yield Violation(span, "Whitespace-only line; make it empty",
                                Fix((Edit(span, ""),)))
            else:
                yield Violation(span, "Trailing whitespace; remove it", Fix((Edit(span, ""),)))
