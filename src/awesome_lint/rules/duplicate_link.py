"""AL301 duplicate-link: the same resource listed by two entries."""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from awesome_lint.findings import Related, Violation
from awesome_lint.model import Document, Link
from awesome_lint.rule import Option, Rule
from awesome_lint.urls import is_web_url, normalise_url


class DuplicateLink(Rule):
    code = "AL301"
    name = "duplicate-link"
    summary = "Two entries link to the same resource (after URL normalisation)."
    options = (
        Option(
            "allow",
            [],
            "URL patterns (shell-style wildcards, matched against the URL as written) that may "
            "appear in more than one entry.",
        ),
    )

    def check(self, doc: Document) -> Iterator[Violation]:
        allowed: list[str] = self.settings["allow"]
        seen: dict[str, Link] = {}
        for entry in doc.iter_entries():
            link = entry.link
            if link is None or not is_web_url(link.url):
                continue
            if any(fnmatchcase(link.url, pattern) for pattern in allowed):
                continue
            key = normalise_url(link.url)
            first = seen.setdefault(key, link)
            if first is not link:
                same = "" if first.url == link.url else f" as {first.url}"
                yield Violation(
                    link.span,
                    f"Duplicate link {link.url} (listed{same} at line {first.span.line}); "
                    "remove one of the entries",
                    related=(Related(first.span, "first listed here"),),
                )
