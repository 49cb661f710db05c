"""AL114 heading-punctuation: no trailing punctuation or whitespace in a heading."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Applicability, Edit, Fix, Severity, Violation
from awesome_lint.model import Document, Heading, Span
from awesome_lint.rule import Rule, Tier
from awesome_lint.slug import slugify

_PUNCTUATION = ".:,;"


class HeadingPunctuation(Rule):
    code = "AL114"
    name = "heading-punctuation"
    summary = "A heading does not end with punctuation (. : , ;) or whitespace."
    severity = Severity.WARNING
    tier = Tier.AWESOME
    fixable = True

    def check(self, doc: Document) -> Iterator[Violation]:
        for heading in doc.headings:
            violation = self._check(doc, heading)
            if violation is not None:
                yield violation

    def _check(self, doc: Document, heading: Heading) -> Violation | None:
        edits: list[Edit] = []
        problems: list[str] = []
        safe = True
        ts = heading.text_span
        text_line = doc.lines[ts.end_line - 1]
        # Trailing punctuation: the last characters of the heading's own text.
        end = ts.end_column - 1  # 0-based index just after the text
        start = end
        while start > ts.column - 1 and text_line[start - 1] in _PUNCTUATION:
            start -= 1
        punct = text_line[start:end]
        if (punct and not punct.endswith("..") and heading.text.endswith(punct)
                and heading.text.strip(_PUNCTUATION).strip()):
            problems.append(f"ends with '{punct}'")
            edits.append(Edit(Span(ts.end_line, start + 1, ts.end_line, end + 1), ""))
            kept = heading.plain.removesuffix(punct)
            safe = heading.plain.endswith(punct) and slugify(kept.rstrip()) == slugify(
                heading.plain)
        # Trailing whitespace on the heading's last source line (ATX) or its text line (setext).
        line_no = heading.span.line if ts.end_line == heading.span.line else ts.end_line
        line = doc.lines[line_no - 1]
        stripped = len(line.rstrip())
        if stripped < len(line):
            problems.append("has trailing whitespace")
            edits.append(Edit(Span(line_no, stripped + 1, line_no, len(line) + 1), ""))
        if not problems:
            return None
        what = " and ".join(problems)
        applicability = Applicability.SAFE if safe else Applicability.UNSAFE
        return Violation(heading.span, f"Heading '{heading.plain}' {what}; remove it",
                         Fix(tuple(edits), applicability))
