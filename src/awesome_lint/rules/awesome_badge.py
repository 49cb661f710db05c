"""AL111 awesome-badge: the Awesome badge sits next to the title."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document, Link, LinkKind
from awesome_lint.rule import Rule, Tier

_VALID = re.compile(r"^https://awesome\.re/badge(?:-flat2?)?\.svg$")
BADGE = "[![Awesome](https://awesome.re/badge.svg)](https://awesome.re)"


def _looks_like_badge(link: Link) -> bool:
    url = link.url.lower()
    return link.text.strip().lower() == "awesome" or "awesome.re" in url or (
        "sindresorhus/awesome" in url and "badge" in url)


class AwesomeBadge(Rule):
    code = "AL111"
    name = "awesome-badge"
    summary = "The title carries the Awesome badge from awesome.re."
    severity = Severity.WARNING
    tier = Tier.AWESOME

    def check(self, doc: Document) -> Iterator[Violation]:
        title = doc.title
        if title is None:
            return  # an HTML title (a logo) or no title at all: AL110's business
        # Markdown images, and `<img src>` of inline HTML when it is the awesome.re badge.
        images = [link for link in doc.links if link.kind is LinkKind.IMAGE
                  or (link.kind is LinkKind.HTML and _VALID.match(link.url))]
        on_title = [i for i in images if title.span.line <= i.span.line <= title.span.end_line]
        if any(_VALID.match(i.url) for i in on_title):
            return
        wrong = [i for i in on_title if _looks_like_badge(i)]
        if wrong:
            yield Violation(wrong[0].span, f"Invalid Awesome badge source {wrong[0].url}; use "
                            "https://awesome.re/badge.svg")
            return
        header_end = next((h.span.line for h in doc.headings if h.span.line > title.span.line),
                          len(doc.lines) + 1)
        elsewhere = [i for i in images if title.span.end_line < i.span.line < header_end
                     and (_VALID.match(i.url) or _looks_like_badge(i))]
        if elsewhere:
            badge = elsewhere[0]
            source = "" if _VALID.match(badge.url) else ", with the source https://awesome.re/badge.svg"
            yield Violation(badge.span, "The Awesome badge belongs on the title line; move it "
                            f"next to the title (line {title.span.line}){source}")
            return
        yield Violation(title.span, f"Missing Awesome badge next to the title; add {BADGE}")
