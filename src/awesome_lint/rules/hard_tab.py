"""AL405 hard-tab: tab characters in prose, and tab indentation in a list indented with spaces."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Edit, Fix, Severity, Violation
from awesome_lint.model import Document, Span
from awesome_lint.rule import Option, Rule, Tier

_INDENT = re.compile(r"[ \t]*")


def _width(indent: str) -> int:
    """The column an indentation reaches, tabs stopping at multiples of 4 as in CommonMark."""
    width = 0
    for char in indent:
        width = width + 4 - width % 4 if char == "\t" else width + 1
    return width


class HardTab(Rule):
    code = "AL405"
    name = "hard-tab"
    summary = "Prose must not contain tab characters, nor indent with a mix of tabs and spaces."
    severity = Severity.WARNING
    tier = Tier.OPT_IN
    fixable = True
    options = (
        Option("indent", "consistent",
               "'spaces': indent with spaces only; 'tabs': tabs are fine, but not after a space; "
               "'consistent': tabs if more lines indent with tabs than with spaces only.",
               choices=("consistent", "spaces", "tabs")),
    )

    def check(self, doc: Document) -> Iterator[Violation]:
        skip = doc.code_lines | doc.html_lines  # raw HTML is indented as its authors like
        lines = [(n, line.rstrip(" \t")) for n, line in enumerate(doc.lines, 1)
                 if n not in skip and line.strip()]  # trailing tabs are AL404's
        style = self.settings["indent"]
        if style == "consistent":
            indents = [line[: len(line) - len(line.lstrip(" \t"))] for _, line in lines]
            tabs = sum("\t" in indent for indent in indents)
            spaces = sum(indent != "" and "\t" not in indent for indent in indents)
            style = "tabs" if tabs > spaces else "spaces"
        for number, line in lines:
            if "\t" not in line:
                continue
            indent = _INDENT.match(line)
            assert indent is not None
            if "\t" in indent.group():
                violation = _indentation(number, indent.group(), style)
                if violation is not None:
                    yield violation
            column = next((i for i, c in enumerate(line) if c == "\t" and i >= indent.end()
                           and not doc.is_code(number, i + 1)), None)
            if column is not None:
                yield Violation(Span(number, column + 1, number, column + 2),
                                "Tab character in text; use a space")


def _indentation(number: int, indent: str, style: str) -> Violation | None:
    span = Span(number, 1, number, len(indent) + 1)
    width = _width(indent)
    if style == "spaces":
        return Violation(span, "Tab in the indentation; indent with spaces",
                         Fix((Edit(span, " " * width),)))
    if " \t" not in indent:
        return None
    fix = Fix((Edit(span, "\t" * (width // 4)),)) if width % 4 == 0 else None
    return Violation(span, "Indentation mixes spaces and tabs; indent with tabs only", fix)
