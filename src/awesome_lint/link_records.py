"""The checked links of a document as :class:`~awesome_lint.result.LinkRecord` rows: what the
HTML and Markdown reports count (ok links, per-section health), not only the findings."""

from __future__ import annotations

from bisect import bisect_right

from awesome_lint.model import Document, Section
from awesome_lint.redact import redact_url
from awesome_lint.result import LinkRecord
from awesome_lint.urls import absolute, is_web_url
from awesome_lint.verdicts import Verdict


def _sections(doc: Document) -> tuple[list[int], list[tuple[str, ...]]]:
    """The first line of every section, ascending, and its heading path (outermost first).

    A line belongs to the section of the last heading above it: a section runs to the next
    heading of its level or higher, and a deeper heading starts one of its subsections.
    """
    starts: list[int] = [0]
    paths: list[tuple[str, ...]] = [()]

    def walk(section: Section, trail: tuple[str, ...]) -> None:
        for sub in section.subsections:
            here = (*trail, sub.heading.plain) if sub.heading is not None else trail
            starts.append(sub.span.line)
            paths.append(here)
            walk(sub, here)

    walk(doc.root, ())
    return starts, paths


def link_records(doc: Document) -> list[LinkRecord]:
    """One record per web link of ``doc`` that has a status (``doc.link_statuses``), in source
    order. An archived repository that answers is recorded as ``archived``, as AL905 reports it."""
    statuses = doc.link_statuses
    if not statuses:
        return []
    starts, paths = _sections(doc)
    records = []
    for link in doc.links:
        if not is_web_url(link.url):
            continue
        status = statuses.get(absolute(link.url))
        if status is None:  # not checked (--diff: a line that did not change)
            continue
        verdict = status.verdict
        if status.archived and verdict is Verdict.OK:
            verdict = Verdict.ARCHIVED
        url = redact_url(link.url)
        section = paths[bisect_right(starts, link.span.line) - 1]
        records.append(LinkRecord(doc.path, link.span.line, section,
                                  link.url if url == link.url else url, verdict.value,
                                  status.extra))
    return records
