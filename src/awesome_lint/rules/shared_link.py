"""AL304 shared-link: two differently named entries link to the same page."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Related, Severity, Violation
from awesome_lint.model import Document
from awesome_lint.rule import Rule
from awesome_lint.rules._repeats import ACROSS_SECTIONS, ALLOW, repeated_links, same_name


class SharedLink(Rule):
    code = "AL304"
    name = "shared-link"
    summary = "Two entries with different names link to the same page."
    severity = Severity.WARNING
    options = (ALLOW, ACROSS_SECTIONS)

    def check(self, doc: Document) -> Iterator[Violation]:
        for link, earlier in repeated_links(doc, self.settings["allow"],
                                               self.settings["across-sections"]):
            if any(same_name(e.text, link.text) for e in earlier):
                continue  # the same resource listed twice: duplicate-link's finding
            first = earlier[0]
            yield Violation(
                link.span,
                f"{link.text!r} links to the same page as {first.text!r} (line "
                f"{first.span.line}): {link.url}; give each entry a link to its own page, or "
                "remove one if they are the same resource",
                related=(Related(first.span, "also links here"),),
            )
