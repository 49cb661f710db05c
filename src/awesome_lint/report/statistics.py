"""``--statistics``: how many findings each rule has, instead of the findings themselves.

Text, like ruff's: one line per rule, ``count  code  name`` sorted by count (most first, then by
code), ending with ``[*]`` when ``--fix`` fixes every one of them and ``[*] N fixable`` when it
fixes some; then the file errors and the usual summary line. JSON: a list of ``{"code", "name",
"count", "fixable", "unsafe_fixable"}`` in the same order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, TextIO

from awesome_lint.findings import Applicability
from awesome_lint.result import RunResult

FORMATS = ("text", "json")


@dataclass(frozen=True, slots=True)
class RuleCount:
    code: str
    name: str
    count: int
    fixable: int
    unsafe_fixable: int


def statistics(result: RunResult) -> list[RuleCount]:
    """Per rule that has findings: its counts, most findings first (then by code)."""
    counts = Counter((f.code, f.name) for f in result.findings)
    safe = Counter(f.code for f in result.findings if f.applicability is Applicability.SAFE)
    unsafe = Counter(f.code for f in result.findings if f.applicability is Applicability.UNSAFE)
    rows = [RuleCount(code, name, n, safe[code], unsafe[code])
            for (code, name), n in counts.items()]
    return sorted(rows, key=lambda r: (-r.count, r.code, r.name))


def document(result: RunResult) -> list[dict[str, Any]]:
    return [{"code": r.code, "name": r.name, "count": r.count, "fixable": r.fixable,
             "unsafe_fixable": r.unsafe_fixable} for r in statistics(result)]


def write(fmt: str, result: RunResult, out: TextIO) -> None:
    """Write the statistics of ``result`` in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        from awesome_lint.report.json import json_text

        out.write(json_text(document(result)) + "\n")
        return
    from awesome_lint.report.text import clean, summary_line

    rows = statistics(result)
    if rows:
        count_width = max(len(str(r.count)) for r in rows)
        code_width = max(len(r.code) for r in rows)
        name_width = max(len(r.name) for r in rows)
        for r in rows:
            mark = ("[*]" if r.fixable == r.count else f"[*] {r.fixable} fixable") \
                if r.fixable else ""
            line = f"{r.count:>{count_width}}  {r.code:<{code_width}}  {r.name:<{name_width}}"
            out.write(clean(f"{line}  {mark}".rstrip()) + "\n")
    for error in result.errors:
        out.write(clean(str(error)) + "\n")
    out.write(summary_line(result) + "\n")
