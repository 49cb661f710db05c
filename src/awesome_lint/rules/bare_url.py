"""AL205 bare-url: a raw URL in an entry instead of a Markdown link."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Edit, Fix, Severity, Violation
from awesome_lint.model import Document, Link, LinkKind
from awesome_lint.rule import Rule, Tier
from awesome_lint.rules._entry_text import link_label

_URL_NAME = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)


def _inside_other(link: Link, links: tuple[Link, ...]) -> bool:
    """A bare URL inside another link's text or an image's alt text is not shown as a URL."""
    start, end = link.span[:2], link.span[2:]
    return any(o is not link and o.kind != LinkKind.BARE and o.span[:2] <= start
               and end <= o.span[2:] for o in links)


class BareUrl(Rule):
    """Entries name their resource: ``[Name](url)``, not ``https://...``."""

    code = "AL205"
    name = "bare-url"
    summary = "An entry shows a raw URL instead of a named Markdown link."
    severity = Severity.WARNING
    tier = Tier.AWESOME
    fixable = True

    def check(self, doc: Document) -> Iterator[Violation]:
        for entry in doc.iter_entries():
            first = entry.link
            for link in entry.links:
                if link is first and link.kind in (LinkKind.BARE, LinkKind.AUTOLINK):
                    yield Violation(link.span, "Entry is a bare URL; write it as "
                                    "[Name](url) with the resource's name")
                elif link is first and link.kind == LinkKind.INLINE and _URL_NAME.match(
                        link_label(doc, link)):
                    yield Violation(link.span, "Entry's name is its URL; write the "
                                    "resource's name between the brackets")
                elif link.kind == LinkKind.BARE and not _inside_other(link, entry.links):
                    fix = None
                    span = link.span
                    # The parser ends a URL at U+00A0 (a space to Python), GitHub does not:
                    # <url> would cut the address there. Inside a broken autolink or link
                    # destination (<https://a b>, [x](https://a b)) or text ([https://a](b c))
                    # the URL is not the bare URL's alone: wrapping it would make other links
                    # of the brackets around.
                    line = doc.lines[span.line - 1]
                    after = line[span.end_column - 1:span.end_column]
                    before = line[max(0, span.column - 3):span.column - 1]
                    if (span.line == span.end_line and not (after.isspace() and after not in " \t")
                            and not before.endswith(("<", "](", "[")) and
                            link.url.lower().startswith(("http://", "https://"))
                            and not any(c in link.url for c in "[]<>")):  # runs into a link
                        fix = Fix((Edit(span, f"<{link.url}>"),))
                    yield Violation(span, "Bare URL in the entry's text; write it as "
                                    "[text](url) or <url>", fix)
