"""AL202 empty-link-text: a link with nothing between its brackets renders as nothing."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Violation
from awesome_lint.model import Document, LinkKind
from awesome_lint.rule import Rule
from awesome_lint.rules._entry_text import link_label


class EmptyLinkText(Rule):
    """``[](url)`` or ``[ ](url)``: the link is invisible in the rendered page."""

    code = "AL202"
    name = "empty-link-text"
    summary = "A link has no text, so readers cannot see or click it."

    def check(self, doc: Document) -> Iterator[Violation]:
        for link in doc.links:
            if link.kind not in (LinkKind.INLINE, LinkKind.REFERENCE):
                continue
            if link.text.strip() or link_label(doc, link).strip():
                continue
            yield Violation(link.span, "Link has no text and renders as nothing; write the "
                            "resource's name between the brackets")
