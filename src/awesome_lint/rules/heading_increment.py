"""AL112 heading-increment: heading levels go down one at a time."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document
from awesome_lint.rule import Rule, Tier


class HeadingIncrement(Rule):
    code = "AL112"
    name = "heading-increment"
    summary = "A heading is at most one level deeper than the heading before it."
    severity = Severity.WARNING
    tier = Tier.AWESOME

    def check(self, doc: Document) -> Iterator[Violation]:
        previous = None
        for heading in doc.headings:
            if previous is not None and heading.level > previous.level + 1:
                yield Violation(
                    heading.span,
                    f"Heading level {heading.level} follows a level-{previous.level} heading "
                    f"(line {previous.span.line}); use level {previous.level + 1} "
                    f"(`{'#' * (previous.level + 1)} ...`)",
                )
            previous = heading
