"""AL406 final-newline: the file ends with exactly one newline."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Edit, Fix, Severity, Violation
from awesome_lint.model import Document, Span
from awesome_lint.rule import Rule, Tier


class FinalNewline(Rule):
    code = "AL406"
    name = "final-newline"
    summary = "The file must end with a single newline, without blank lines after the text."
    severity = Severity.WARNING
    tier = Tier.AWESOME
    fixable = True

    def check(self, doc: Document) -> Iterator[Violation]:
        lines = doc.lines
        if not doc.text.strip():
            return
        last = max(n for n, line in enumerate(lines, 1) if line.strip())
        column = len(lines[last - 1]) + 1
        if last == len(lines) and doc.text.endswith("\n"):
            return
        # everything after the text, up to the end of the file (past its final newline, if any)
        tail = Span(last, column, len(lines), len(lines[-1]) + 1 + doc.text.endswith("\n"))
        fix = Fix((Edit(tail, "\n"),))
        count = len(lines) - last - (not doc.text.endswith("\n"))
        if count <= 0:
            yield Violation(Span(last, column, last, column),
                            "No newline at the end of the file; add one", fix)
        else:
            yield Violation(Span(last + 1, 1, last + 1, 1),
                            f"{count} blank line{'s' if count > 1 else ''} at the end of the "
                            "file; end it with a single newline", fix)
