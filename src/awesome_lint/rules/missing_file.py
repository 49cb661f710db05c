"""AL906 missing-file: a relative link to a file that is not in the repository."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Violation
from awesome_lint.model import Document
from awesome_lint.repo import local_path
from awesome_lint.rule import Rule


class MissingFile(Rule):
    code = "AL906"
    name = "missing-file"
    summary = "A relative link points at a file or folder that does not exist."

    def check(self, doc: Document) -> Iterator[Violation]:
        existing = doc.local_targets
        if existing is None:  # not linting a file on disk: nothing is known
            return
        for link in doc.links:
            path = local_path(link.url)
            if path is not None and path not in existing:
                yield Violation(link.url_span,
                                f"{path} does not exist next to this file; fix the path or "
                                "remove the link")
