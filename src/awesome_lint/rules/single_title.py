"""AL110 single-title: one level-1 heading, the list's title, at the top."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document, Heading, Span
from awesome_lint.rule import Option, Rule, Tier
from awesome_lint.rules._structure import find_toc


class SingleTitle(Rule):
    code = "AL110"
    name = "single-title"
    summary = "The list has exactly one level-1 heading, its title, before any other heading."
    severity = Severity.WARNING
    tier = Tier.AWESOME
    options = (
        Option("allow_toc_h1", True, "Accept a level-1 heading over the table of contents "
               "(`# Table of Contents`), a common style; false reports it like any other."),
    )

    def check(self, doc: Document) -> Iterator[Violation]:
        title = doc.title
        first = doc.headings[0] if doc.headings else None
        if _bom_title(doc):
            title = None  # the parser missed line 1: every H1 it found is an extra one
        elif title is None:
            if _html_title(doc):
                return
            if first is not None and first.span.line == _first_content_line(doc):
                yield Violation(first.span, f"The title is a level-{first.level} heading; "
                                "make it a level-1 heading (`# Title`)")
            else:
                yield Violation(Span(1, 1, 1, 1), "Missing title; start the list with a "
                                "level-1 heading (`# Awesome Topic`)")
            return
        elif first is not None and first is not title:
            yield Violation(title.span, f"The title comes after the heading at line "
                            f"{first.span.line}; move it to the top of the list")
        toc_heading = _toc_heading(doc) if self.settings["allow_toc_h1"] else None
        for heading in doc.headings:
            if heading.level == 1 and heading is not title and heading is not toc_heading:
                yield Violation(heading.span, "Only the title may be a level-1 heading; make "
                                "this a level-2 heading (`## ...`)")


def _toc_heading(doc: Document) -> Heading | None:
    """The heading of the section that holds the table of contents."""
    toc = find_toc(doc)
    if toc is None:
        return None
    for section in doc.iter_sections():
        if any(block is toc.blocks[0] for block in section.lists):
            return section.heading
    return None


def _first_content_line(doc: Document) -> int:
    return next((n for n, line in enumerate(doc.lines, start=1) if line.strip()), 1)


def _bom_title(doc: Document) -> bool:
    """A title the parser missed because the file starts with a byte-order mark."""
    return bool(doc.lines) and doc.lines[0].startswith("\ufeff# ")


def _html_title(doc: Document) -> bool:
    """An HTML block (a centred logo, ``<h1>``) before any heading stands for the title."""
    if not doc.html_blocks:
        return False
    start = doc.html_blocks[0].span.line
    first = doc.headings[0].span.line if doc.headings else len(doc.lines) + 1
    return start == _first_content_line(doc) and start < first
