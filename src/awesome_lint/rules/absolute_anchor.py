"""AL122 absolute-anchor: a link to a section of this file is ``#section``, not its GitHub URL."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Edit, Fix, Severity, Violation
from awesome_lint.model import Document, LinkKind, Span
from awesome_lint.rule import Rule
from awesome_lint.rules._structure import (
    BUILTIN_FRAGMENTS,
    REPOSITORY,
    anchor_entries,
    anchor_links,
    html_anchors,
)

#: Where the URL can be replaced by ``#section`` in place; an autolink or a bare URL shows the
#: address as its text and needs a ``[text](#section)`` written by a person.
_REWRITABLE = (LinkKind.INLINE, LinkKind.REFERENCE, LinkKind.HTML)


class AbsoluteAnchor(Rule):
    code = "AL122"
    name = "absolute-anchor"
    summary = "A link to a section of this file is written #section, not as the file's URL."
    severity = Severity.WARNING
    fixable = True
    options = (REPOSITORY,)

    def check(self, doc: Document) -> Iterator[Violation]:
        targets = {h.slug.lower() for h in doc.headings} | {
            a.lower() for a in html_anchors(doc)}
        fixed: set[Span] = set()
        # An entry that links to a section instead of its resource is AL123's: #section would
        # not make it right.
        entries = {id(a.link) for a in anchor_entries(doc, self.settings["repository"])}
        for anchor in anchor_links(doc, self.settings["repository"]):
            if id(anchor.link) in entries:
                continue
            name = anchor.name.lower()
            # The repository's page itself (#readme, #top) is not a section; a broken anchor
            # is AL120's, and would stay broken as #section.
            if (not anchor.absolute or anchor.link.kind is LinkKind.IMAGE
                    or name in BUILTIN_FRAGMENTS or name not in targets):
                continue
            link, relative = anchor.link, "#" + anchor.raw
            fix = None
            if link.kind in _REWRITABLE and link.url_span not in fixed:
                fixed.add(link.url_span)  # one reference definition, one edit
                fix = Fix((Edit(link.url_span, relative),))
            yield Violation(link.span, f"Link to {link.url} reaches a section of this file by "
                            "its GitHub address, which reloads the page and leaves forks, "
                            f"branches and previews; write {relative}", fix)
