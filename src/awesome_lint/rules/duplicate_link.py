"""AL301 duplicate-link: the same resource listed by two entries."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Related, Violation
from awesome_lint.model import Document
from awesome_lint.rule import Rule
from awesome_lint.rules._repeats import ACROSS_SECTIONS, ALLOW, repeated_links, same_name


class DuplicateLink(Rule):
    code = "AL301"
    name = "duplicate-link"
    summary = "Two entries with the same name link to the same resource."
    options = (ALLOW, ACROSS_SECTIONS)

    def check(self, doc: Document) -> Iterator[Violation]:
        for link, earlier in repeated_links(doc, self.settings["allow"],
                                               self.settings["across-sections"]):
            first = next((e for e in earlier if same_name(e.text, link.text)), None)
            if first is None:
                continue  # two different entries on one page: shared-link's finding
            same = "" if first.url == link.url else f" as {first.url}"
            yield Violation(
                link.span,
                f"Duplicate link {link.url} (listed{same} at line {first.span.line}); "
                "remove one of the entries",
                related=(Related(first.span, "first listed here"),),
            )
