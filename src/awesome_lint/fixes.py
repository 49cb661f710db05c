"""Applying fixes to text: non-overlapping edits, applied from the end so offsets stay valid."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from awesome_lint.findings import Applicability, Finding, Fix
from awesome_lint.model import Span


class _Offsets:
    """Maps 1-based (line, column) to offsets of ``text``."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.starts.append(i + 1)
        self.size = len(text)

    def offset(self, line: int, column: int) -> int:
        line = max(1, min(line, len(self.starts)))
        return min(self.starts[line - 1] + column - 1, self.size)

    def range(self, span: Span) -> tuple[int, int]:
        return self.offset(span.line, span.column), self.offset(span.end_line, span.end_column)


def applicable(fix: Fix | None, *, unsafe: bool) -> bool:
    return fix is not None and (unsafe or fix.applicability is Applicability.SAFE)


def apply_fixes(text: str, findings: Iterable[Finding], *, unsafe: bool = False) -> tuple[str, int]:
    """``text`` with the fixes of ``findings`` applied, and how many fixes were applied.

    A fix whose edits overlap an already chosen fix is skipped (the next pass gets it).
    """
    offsets = _Offsets(text)
    chosen: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    count = 0
    for finding in findings:
        if not applicable(finding.fix, unsafe=unsafe):
            continue
        assert finding.fix is not None
        edits = [(*offsets.range(e.span), e.text) for e in finding.fix.edits]
        if any(_overlaps(start, end, taken) for start, end, _ in edits):
            continue
        for start, end, _ in edits:
            index = bisect_right(taken, (start, end))
            taken.insert(index, (start, end))
        chosen.extend(edits)
        count += 1
    for start, end, new in sorted(chosen, reverse=True):
        text = text[:start] + new + text[end:]
    return text, count


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    index = bisect_right(taken, (start, end))
    for s, e in taken[max(0, index - 1): index + 1]:
        if (start < e and s < end) or (start == end == s):
            return True
    return False
