"""Helpers shared by the text rules: which lines are code, where inline code sits on a line."""

from __future__ import annotations

import re

from awesome_lint.model import Document

_TICKS = re.compile(r"`+")


def code_block_lines(doc: Document) -> frozenset[int]:
    """1-based numbers of the lines inside code blocks (fences included)."""
    lines: set[int] = set()
    for block in doc.code_blocks:
        lines.update(range(block.span.line, block.span.end_line + 1))
    return frozenset(lines)


def inline_code_ranges(line: str) -> list[tuple[int, int]]:
    """0-based ``[start, end)`` ranges of the inline code spans of one line, backticks included.

    A run of backticks opens a span closed by the next run of the same length (CommonMark).
    """
    if "`" not in line:
        return []
    ranges: list[tuple[int, int]] = []
    runs = list(_TICKS.finditer(line))
    i = 0
    while i < len(runs):
        opening = runs[i]
        size = len(opening.group())
        close = next((j for j in range(i + 1, len(runs)) if len(runs[j].group()) == size), None)
        if close is None:
            i += 1
            continue
        ranges.append((opening.start(), runs[close].end()))
        i = close + 1
    return ranges


def in_ranges(index: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether a 0-based index falls inside one of ``ranges``."""
    return any(start <= index < end for start, end in ranges)
