"""AL501 contributing-file: the list's repository has a contributing guide."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document, Span
from awesome_lint.repo import SUBFOLDERS, RepoFiles
from awesome_lint.rule import Rule, Tier

_NAMES = ("contributing.md", "contributing.rst", "contributing.txt", "contributing")
CANDIDATES = _NAMES + tuple(f"{folder}/{name}" for folder in SUBFOLDERS for name in _NAMES)
#: A section that says how to contribute (``## Contributing``, ``## Contribution``...).
_SECTION = re.compile(r"\bcontribut(?:ing|ions?|e)\b", re.IGNORECASE)


class ContributingFile(Rule):
    code = "AL501"
    name = "contributing-file"
    summary = "The list's repository must have a contributing guide (CONTRIBUTING.md)."
    severity = Severity.WARNING
    tier = Tier.AWESOME

    def check(self, doc: Document) -> Iterator[Violation]:
        files: RepoFiles | None = getattr(doc, "repo_files", None)
        if files is None:
            return  # the files next to the list are unknown (text from stdin, a test)
        found = files.find(CANDIDATES)
        where = Span(1, 1, 1, 1)
        if found is None:
            if any(link.url.lower().rstrip("/").endswith(CANDIDATES) for link in doc.links):
                return  # the README links to a guide kept elsewhere
            if any(_SECTION.search(h.plain) for h in doc.headings):
                return  # the list says how to contribute itself
            yield Violation(where, "No contributing guide next to the list and no "
                            "Contributing section; add a CONTRIBUTING.md that says how to "
                            "propose an entry")
        elif found in files.empty:
            yield Violation(where, f"The contributing guide {files.spelling(found)} is empty; "
                            "say in it how to propose an entry")
