"""AL115 duplicate-heading: two sibling sections with the same heading."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document, Heading
from awesome_lint.rule import Rule


class DuplicateHeading(Rule):
    code = "AL115"
    name = "duplicate-heading"
    summary = "Sibling sections (same parent) do not share a heading."
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Violation]:
        for section in doc.iter_sections():
            groups: dict[str, list[Heading]] = {}
            for sub in section.subsections:
                if sub.heading is not None:
                    key = " ".join(sub.heading.plain.casefold().split())
                    groups.setdefault(key, []).append(sub.heading)
            repeated = [(first, repeats) for first, *repeats in groups.values() if repeats]
            if not repeated:
                continue
            parent = f"'{section.heading.plain}'" if section.heading else "the top level"
            names = "; ".join(
                f"'{first.plain}' at lines {', '.join(str(h.span.line) for h in (first, *reps))}"
                for first, reps in repeated)
            at = min((reps[0] for _, reps in repeated), key=lambda h: h.span.line)
            yield Violation(
                at.span,
                f"Sections under {parent} share a heading: {names}; merge them, rename them, "
                "or nest each under its own parent",
            )
