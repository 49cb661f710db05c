"""AL120 broken-anchor: every ``#fragment`` link points at a heading or an HTML anchor."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from awesome_lint.findings import Related, Violation
from awesome_lint.model import Document
from awesome_lint.rule import Option, Rule
from awesome_lint.rules._structure import (
    BUILTIN_FRAGMENTS,
    fragment,
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
    )

    def check(self, doc: Document) -> Iterator[Violation]:
        slugs = {heading.slug for heading in doc.headings}
        targets = slugs | html_anchors(doc)
        lowered = {t.lower() for t in targets}
        case_sensitive: bool = self.settings["case_sensitive"]
        skip = doc.code_lines
        for link in doc.links:
            name = fragment(link)
            if name is None or link.span.line in skip:
                continue
            if name in targets or name.lower() in BUILTIN_FRAGMENTS:
                continue
            if name.lower() in lowered:
                if case_sensitive:
                    yield Violation(link.span, f"Link to #{name} matches an anchor only "
                                    f"when case is ignored; write #{name.lower()}")
                continue
            hint = _suggest(name.lower(), sorted(slugs))
            meant = [h for h in doc.headings if hint.startswith(f"did you mean #{h.slug}?")]
            yield Violation(link.span, f"Link to #{name} matches no heading or anchor in "
                            f"this file; {hint}",
                            related=tuple(Related(h.span, "the heading it may mean")
                                          for h in meant[:1]))


def _suggest(name: str, slugs: list[str]) -> str:
    close = difflib.get_close_matches(name, slugs, n=1, cutoff=0.6)
    if not close and name:
        close = [s for s in slugs if s.startswith(name) or name.startswith(s)][:1]
    if close:
        return f"did you mean #{close[0]}?"
    return "point it at an existing heading's anchor"
