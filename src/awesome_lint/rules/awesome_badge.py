"""AL111 awesome-badge: the Awesome badge sits next to the title."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document, Link, LinkKind
from awesome_lint.rule import Rule, Tier

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
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
        below = _badge_lines_below(doc, title.span.end_line)
        near = [i for i in images if i.span.line <= title.span.end_line or i.span.line in below]
        if any(_VALID.match(i.url) for i in near):
            return
        wrong = [i for i in near if _looks_like_badge(i)]
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
            yield Violation(badge.span, "The Awesome badge belongs next to the title; move it "
                            f"onto the title line (line {title.span.line}) or right below it"
                            f"{source}")
            return
        yield Violation(title.span, f"Missing Awesome badge next to the title; add {BADGE}")


def _badge_lines_below(doc: Document, title_end: int) -> set[int]:
    """The lines right below the title that hold only badges (images, links around images,
    HTML tags), up to the first line of other text; blank lines and HTML blocks between them
    (a logo) are read past."""
    badges: dict[int, list[Link]] = {}
    for link in doc.links:
        if link.kind is LinkKind.IMAGE or (
                link.kind in (LinkKind.INLINE, LinkKind.REFERENCE) and not link.text.strip()):
            badges.setdefault(link.span.line, []).append(link)
    found: set[int] = set()
    for number in range(title_end + 1, len(doc.lines) + 1):
        line = doc.lines[number - 1]
        if not line.strip() or doc.in_html(number):
            continue
        for link in badges.get(number, []):
            if link.span.end_line == number:
                start, end = link.span.column - 1, link.span.end_column - 1
                line = line[:start] + " " * (end - start) + line[end:]
        if _TAG.sub("", line).strip():
            break
        found.add(number)
    return found
