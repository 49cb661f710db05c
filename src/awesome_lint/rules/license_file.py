"""AL502 license-file: the list's repository says under which licence the list may be reused."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document, Span
from awesome_lint.repo import RepoFiles
from awesome_lint.rule import Rule

# LICENSE, LICENCE, COPYING, UNLICENSE, with any extension or suffix (LICENSE-MIT, license.txt).
_FILE = re.compile(r"(?:un)?licen[cs]e|copying", re.IGNORECASE)
_SECTION = re.compile(r"\blicen[cs](?:e|ing)\b", re.IGNORECASE)


class LicenseFile(Rule):
    code = "AL502"
    name = "license-file"
    summary = "The list's repository must have a licence file (or a License section)."
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Violation]:
        files: RepoFiles | None = getattr(doc, "repo_files", None)
        if files is None:
            return  # the files next to the list are unknown (text from stdin, a test)
        present = [n for n in files.names if "/" not in n and _FILE.match(n)]
        if any(n not in files.empty for n in present):
            return
        if any(_SECTION.search(h.plain) for h in doc.headings):
            return
        where = Span(1, 1, 1, 1)
        if present:
            yield Violation(where, f"The licence file {sorted(present)[0]} is empty; put the "
                            "licence text in it")
        else:
            yield Violation(where, "No licence file next to the list and no License section; "
                            "add a LICENSE file (CC0-1.0 is usual for lists) so that others "
                            "may reuse it")
