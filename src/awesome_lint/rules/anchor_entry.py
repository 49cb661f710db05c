"""AL123 anchor-entry: an entry of a list of resources links to its resource, not to a section."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Related, Severity, Violation
from awesome_lint.model import Document, Heading
from awesome_lint.rule import Rule
from awesome_lint.rules._structure import REPOSITORY, anchor_entries


class AnchorEntry(Rule):
    code = "AL123"
    name = "anchor-entry"
    summary = "An entry links to its resource, not to a section of the list (#anchor)."
    severity = Severity.WARNING
    options = (REPOSITORY,)

    def check(self, doc: Document) -> Iterator[Violation]:
        by_slug: dict[str, Heading] = {}
        for heading in doc.headings:
            by_slug.setdefault(heading.slug.lower(), heading)
        for anchor in anchor_entries(doc, self.settings["repository"]):
            link = anchor.link
            target = by_slug.get(anchor.name.lower())
            written = f"{link.url} (#{anchor.name} of this file)" if anchor.absolute else \
                f"#{anchor.name}"
            yield Violation(
                link.span,
                f"Entry '{link.text}' links to {written}, a place in this list, not to its "
                "resource; link the resource's own URL (a see-also belongs in the description)",
                related=(Related(target.span, "the section it links to"),)
                if target is not None else ())
