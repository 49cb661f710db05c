"""AL302 duplicate-entry-name: two entries of one section with the same name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document, Entry
from awesome_lint.rule import Rule
from awesome_lint.urls import is_web_url, normalise_url


class DuplicateEntryName(Rule):
    code = "AL302"
    name = "duplicate-entry-name"
    summary = "Two entries of one section have the same name and look like one resource."
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Violation]:
        for section in doc.iter_sections():
            yield from _check_group(e for lst in section.lists for e in lst.entries)
        for entry in doc.iter_entries():
            if entry.sublists:
                yield from _check_group(e for sub in entry.sublists for e in sub.entries)


def _key(entry: Entry) -> str | None:
    link = entry.link
    if link is None or link.url.startswith("#"):
        return None
    return " ".join(link.text.split()).casefold() or None


def _check_group(entries: Iterable[Entry]) -> Iterator[Violation]:
    """Entries of one level: a section's entries, or the sub-entries of one entry."""
    seen: dict[str, Entry] = {}
    for entry in entries:
        key = _key(entry)
        if key is None:
            continue
        first = seen.setdefault(key, entry)
        if first is entry:
            continue
        assert entry.link is not None and first.link is not None
        a, b = first.link.url, entry.link.url
        if not (is_web_url(a) and is_web_url(b)) or normalise_url(a) == normalise_url(b):
            continue  # the same resource twice is duplicate-link's finding
        if not (_same_site(a, b) or _same_description(first, entry)):
            continue  # two works with one title ("Deep Learning"), two packages named "errors"
        yield Violation(
            entry.link.span,
            f"Entry name {entry.link.text!r} is already used at line {first.span.line} for "
            f"{a}; keep one of the entries, or name them apart",
        )


def _site(url: str) -> tuple[str, str]:
    """Host and first path segment: ``(github.com, owner)``, ``(example.org, docs)``."""
    host, _, path = normalise_url(url).partition("/")
    return host, path.split("/")[0].split("?")[0].split("#")[0]


def _same_site(a: str, b: str) -> bool:
    return _site(a) == _site(b)


def _same_description(a: Entry, b: Entry) -> bool:
    def norm(e: Entry) -> str:
        return " ".join((e.description or "").split()).strip(" .").casefold()
    return bool(norm(a)) and norm(a) == norm(b)
