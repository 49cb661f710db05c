"""AL113 empty-section: a heading with nothing under it."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document, Section
from awesome_lint.rule import Rule, Tier


class EmptySection(Rule):
    code = "AL113"
    name = "empty-section"
    summary = "A section has content: text, a list or a sub-section with content."
    severity = Severity.WARNING
    tier = Tier.AWESOME

    def check(self, doc: Document) -> Iterator[Violation]:
        content = _content_lines(doc)
        heading_lines: set[int] = set()
        for h in doc.headings:
            heading_lines.update(range(h.span.line, h.span.end_line + 1))
        for section in doc.root.subsections:
            yield from self._check(section, content - heading_lines)

    def _check(self, section: Section, content: set[int]) -> Iterator[Violation]:
        assert section.heading is not None
        lines = range(section.heading.span.end_line + 1, section.span.end_line + 1)
        if not any(n in content for n in lines):
            name = section.heading.plain
            below = " or its sub-sections" if section.subsections else ""
            yield Violation(section.heading.span, f"Section '{name}' has nothing under it{below}; "
                            "add its entries or remove the heading")
            return
        for sub in section.subsections:
            yield from self._check(sub, content)


def _content_lines(doc: Document) -> set[int]:
    """Lines with something a reader sees: not blank, not only an HTML comment."""
    text = _blank_comments(doc.text)
    return {n for n, line in enumerate(text.split("\n"), start=1) if line.strip()}


def _blank_comments(text: str) -> str:
    """``text`` with each ``<!-- ... -->`` replaced by its newlines.

    Not ``re.sub(r"<!--.*?-->")``: with no ``-->`` left, that scans to the end of the text
    again from every ``<!--`` (quadratic on a line of them).
    """
    out: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out += [text[pos:start], "\n" * text.count("\n", start, end)]
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)
