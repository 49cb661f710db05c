"""AL403 repeated-punctuation: ``..``, ``,,``, ``;;`` and a space before a comma in entry text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Edit, Fix, Severity, Violation
from awesome_lint.model import Document, Entry, Span
from awesome_lint.rule import Rule, Tier

# Two periods but not an ellipsis, a range (``1..10``) or a path (``../``); doubled commas and
# semicolons; a space before a comma.
_PATTERNS = (
    (re.compile(r"(?<![.\d])\.\.(?![./\d])"), ".", "two periods"),
    (re.compile(r",,+"), ",", "repeated commas"),
    (re.compile(r";;+"), ";", "repeated semicolons"),
    (re.compile(r"(?<=\S)[ \t]+,(?=\s|$)"), ",", "a space before a comma"),
)
_ANY = re.compile(r"\.\.|,,|;;|\s,")  # a quick look before the patterns above


class RepeatedPunctuation(Rule):
    code = "AL403"
    name = "repeated-punctuation"
    summary = "Entry text must not repeat punctuation (.. or ,,) or put a space before a comma."
    severity = Severity.WARNING
    tier = Tier.AWESOME
    fixable = True

    def check(self, doc: Document) -> Iterator[Violation]:
        for entry in doc.iter_entries():
            yield from self._check_entry(doc, entry)

    def _check_entry(self, doc: Document, entry: Entry) -> Iterator[Violation]:
        span = entry.text_span
        if span is None:
            return
        for number in range(span.line, span.end_line + 1):
            line = doc.lines[number - 1]
            start = span.column - 1 if number == span.line else 0
            end = span.end_column - 1 if number == span.end_line else len(line)
            if not _ANY.search(line, start, end):
                continue
            hidden = [*doc.inline_code_ranges(number), *(
                (link.url_span.column - 1, link.url_span.end_column - 1)
                for link in entry.links
                if link.url_span.line == number and link.url_span.end_line == number
            )]
            for pattern, replacement, what in _PATTERNS:
                for match in pattern.finditer(line, start, end):
                    if any(a <= match.start() < b or a <= match.end() - 1 < b for a, b in hidden):
                        continue  # in a code span or a URL
                    where = Span(number, match.start() + 1, number, match.end() + 1)
                    yield Violation(where, f"Found {what} ('{match.group()}'); write a single "
                                    f"'{replacement}'", Fix((Edit(where, replacement),)))
