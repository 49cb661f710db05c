"""What the link rules share: each web link of the document with its checked status."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.model import Document, Link
from awesome_lint.urls import absolute, is_web_url
from awesome_lint.verdicts import LinkStatus


def checked_links(doc: Document) -> Iterator[tuple[Link, LinkStatus]]:
    """Every web link of ``doc`` that the network check answered, with its status.

    Nothing when links were not checked (``doc.link_statuses`` is None), and nothing for a
    link left out of the check (``--diff``: only the links on changed lines are checked).
    """
    statuses = doc.link_statuses
    if not statuses:
        return
    for link in doc.links:
        if is_web_url(link.url):
            status = statuses.get(absolute(link.url))
            if status is not None:
                yield link, status
