"""AL120 broken-anchor: every link to an anchor of this file points at a heading or an HTML
anchor: ``#fragment``, and ``https://github.com/OWNER/REPO#fragment`` of this repository."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Related, Violation
from awesome_lint.model import Document
from awesome_lint.rule import Option, Rule
from awesome_lint.rules._structure import (
    BUILTIN_FRAGMENTS,
    REPOSITORY,
    AnchorLink,
    anchor_links,
    closest_slug,
    html_anchors,
)


class BrokenAnchor(Rule):
    code = "AL120"
    name = "broken-anchor"
    summary = "An in-page link (#fragment) points to a heading or an HTML anchor of the file."
    options = (
        Option(
            "case_sensitive",
            False,
            "Report fragments that match an anchor only when case is ignored (GitHub accepts "
            "them; GitLab and most other renderers do not).",
        ),
        REPOSITORY,
    )

    def check(self, doc: Document) -> Iterator[Violation]:
        slugs = {heading.slug for heading in doc.headings}
        targets = slugs | html_anchors(doc)
        lowered = {t.lower() for t in targets}
        case_sensitive: bool = self.settings["case_sensitive"]
        for anchor in anchor_links(doc, self.settings["repository"]):
            name, link = anchor.name, anchor.link
            if name in targets or name.lower() in BUILTIN_FRAGMENTS:
                continue
            if name.lower() in lowered:
                if case_sensitive:
                    yield Violation(link.span, f"Link to {_shown(anchor, name)} matches an "
                                    f"anchor only when case is ignored; write #{name.lower()}")
                continue
            meant = closest_slug(name.lower(), sorted(slugs))
            hint = (f"did you mean #{meant}?" if meant is not None
                    else "point it at an existing heading's anchor")
            heading = next((h for h in doc.headings if h.slug == meant), None)
            yield Violation(link.span, f"Link to {_shown(anchor, name)} matches no heading or "
                            f"anchor in this file; {hint}",
                            related=(Related(heading.span, "the heading it may mean"),)
                            if heading is not None else ())


def _shown(anchor: AnchorLink, name: str) -> str:
    """``#name``, or the URL and what it is (a link to this file, by URL)."""
    if not anchor.absolute:
        return f"#{name}"
    return f"{anchor.link.url} (this file's #{name})"
