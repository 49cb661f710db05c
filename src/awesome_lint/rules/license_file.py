"""AL502 license-file: the list's repository says under which licence the list may be reused."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document, LinkKind, Span
from awesome_lint.repo import RepoFiles
from awesome_lint.rule import Rule, Tier

# LICENSE, LICENCE, COPYING, UNLICENSE, with any extension or suffix (LICENSE-MIT, license.txt).
_FILE = re.compile(r"(?:un)?licen[cs]e|copying", re.IGNORECASE)
_SECTION = re.compile(r"\blicen[cs](?:e|ing)\b", re.IGNORECASE)
#: A badge (an image) that names the licence: its alt text or its address.
_BADGE = re.compile(r"licen[cs]e|creativecommons\.org|/publicdomain/|\bcc0\b", re.IGNORECASE)


def _is_badge(kind: LinkKind) -> bool:
    return kind in (LinkKind.IMAGE, LinkKind.HTML)


class LicenseFile(Rule):
    code = "AL502"
    name = "license-file"
    summary = "The list's repository must have a licence file (or a License section)."
    severity = Severity.WARNING
    tier = Tier.AWESOME

    def check(self, doc: Document) -> Iterator[Violation]:
        files: RepoFiles | None = getattr(doc, "repo_files", None)
        if files is None:
            return  # the files next to the list are unknown (text from stdin, a test)
        present = [n for n in files.names if "/" not in n and _FILE.match(n)]
        if any(n not in files.empty for n in present):
            return
        if any(_SECTION.search(h.plain) for h in doc.headings):
            return
        if any(_is_badge(link.kind) and (_BADGE.search(link.text) or _BADGE.search(link.url))
               for link in doc.links):
            return  # a licence badge (shields.io "License: CC0-1.0", a Creative Commons one)
        where = Span(1, 1, 1, 1)
        if present:
            yield Violation(where, f"The licence file {files.spelling(sorted(present)[0])} is "
                            "empty; put the licence text in it")
        else:
            yield Violation(where, "No licence file next to the list and no License section; "
                            "add a LICENSE file (CC0-1.0 is usual for lists) so that others "
                            "may reuse it")
