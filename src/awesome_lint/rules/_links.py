"""What the link rules share: each web link of the document with its checked status."""

from __future__ import annotations

from typing import Any

from awesome_lint.model import Document, Link
from awesome_lint.urls import absolute, is_web_url
from awesome_lint.verdicts import LinkStatus


def checked_links(doc: Document) -> list[tuple[Link, LinkStatus]]:
    """Every web link of ``doc`` that the network check answered, with its status.

    Nothing when links were not checked (``doc.link_statuses`` is None), and nothing for a
    link left out of the check (``--diff``: only the links on changed lines are checked).
    Worked out once per document and shared by the link rules (fourteen of them read it).
    """
    global _memo
    memo = _memo  # one read: another thread (the language server's) may replace it
    if memo is not None and memo[0] is doc:
        return memo[1]
    statuses = doc.link_statuses
    found: list[tuple[Link, LinkStatus]] = []
    if statuses:
        for link in doc.links:
            if is_web_url(link.url):
                status = statuses.get(absolute(link.url))
                if status is not None:
                    found.append((link, status))
    _memo = (doc, found)  # holds the document: its id cannot be reused while remembered
    return found


_memo: tuple[Document, list[tuple[Link, LinkStatus]]] | None = None


#: The project facts a repository link's status may carry (``LinkStatus.extra``, from the
#: GitHub API), passed on as a finding's ``details``.
PROJECT_KEYS = ("last_commit", "archived", "fork", "moved_to", "default_branch")


def project_details(status: LinkStatus) -> dict[str, Any]:
    """The project facts of ``status`` (those it has) for a finding's ``details``."""
    return {key: status.extra[key] for key in PROJECT_KEYS if key in status.extra}
