"""What to do about a gone link: where the resource lives now, or its latest archived copy.

Read from a :class:`~awesome_lint.verdicts.LinkStatus` with a gone verdict, in this order: a
repository that moved (``extra["moved_to"]``, from the GitHub API), a permanent redirect to
another page (``final_url`` with ``permanent``), else the archived copy the network phase
found when asked to (``extra["replacement"]``, ``--suggest-archived``). Shared by the link
rules (message, ``details["replacement"]``, fix) and the reports. Pure: no network library.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal
from urllib.parse import urlsplit

from awesome_lint.redact import redact_url
from awesome_lint.urls import safe_markdown_url
from awesome_lint.verdicts import GONE, LinkStatus, Verdict

Kind = Literal["redirect", "moved", "archive"]

_LABELS: dict[str, str] = {"redirect": "where it redirects permanently",
                           "moved": "the repository's new address"}
#: A redirect's target says nothing about where the page went for these: it is the evidence
#: that the page is gone (the home page, a domain parking lander, the site's "not found" page).
_NO_REDIRECT = frozenset({Verdict.REDIRECT_TO_ROOT, Verdict.PARKED, Verdict.SOFT_404})


@dataclass(frozen=True, slots=True)
class Replacement:
    """A suggested new address: ``url`` is safe to write into Markdown (see
    :func:`~awesome_lint.urls.safe_markdown_url`); ``archived_at`` (ISO-8601 UTC) is set for
    an archived copy only."""

    url: str
    kind: Kind
    archived_at: str | None = None

    @property
    def is_move(self) -> bool:
        """Where the resource itself went (a fix may write it); an archived copy is not."""
        return self.kind != "archive"

    def to_json(self) -> dict[str, str]:
        """``details["replacement"]``: ``{"url", "kind", "archived_at"}`` (the last for an
        archived copy only); the URL redacted like every URL in reports."""
        data = {"url": redact_url(self.url), "kind": self.kind}
        if self.archived_at is not None:
            data["archived_at"] = self.archived_at
        return data

    @classmethod
    def from_json(cls, data: object) -> Replacement | None:
        """Inverse of :meth:`to_json`; None for anything but a well-formed replacement."""
        if not isinstance(data, dict):
            return None
        raw = data.get("url")
        url = safe_markdown_url(raw) if isinstance(raw, str) else None
        kind = data.get("kind")
        archived_at = data.get("archived_at")
        if url is None or kind not in ("redirect", "moved", "archive"):
            return None
        if kind == "archive":
            return cls(url, "archive", archived_at) if is_utc_time(archived_at) else None
        return None if archived_at is not None else cls(url, kind)

    def describe(self) -> str:
        """``URL (archived copy from 2019-03-01)``: for a message or a report cell."""
        if self.archived_at is not None:
            label = f"archived copy from {self.archived_at[:10]}"
        else:
            label = _LABELS[self.kind]
        return f"{redact_url(self.url)} ({label})"

    def suffix(self) -> str:
        """What a gone link's message ends with: ``; replacement: URL (...)``."""
        return f"; replacement: {self.describe()}"


def is_utc_time(value: object) -> bool:
    """Whether ``value`` is an ISO-8601 UTC time as :func:`archive_time` writes it."""
    if not isinstance(value, str) or not value.endswith("Z"):
        return False
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    return True


def archive_time(timestamp: object) -> str | None:
    """The Wayback Machine's ``YYYYMMDDhhmmss`` as ISO-8601 UTC, or None if it is not one."""
    if not isinstance(timestamp, str) or len(timestamp) != 14 or not timestamp.isascii() \
            or not timestamp.isdigit():
        return None
    try:
        when = datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def replacement_for(status: LinkStatus) -> Replacement | None:
    """The suggestion for a gone link: its new location, else an archived copy; None for a
    link that is not gone or when nothing is known."""
    if status.verdict not in GONE:
        return None
    return new_location(status) or Replacement.from_json(status.extra.get("replacement"))


def wants_archived_copy(status: LinkStatus) -> bool:
    """Whether an archived copy is worth asking for: the link is gone and where it went is
    not known."""
    return status.verdict in GONE and new_location(status) is None


def new_location(status: LinkStatus) -> Replacement | None:
    """Where a gone link's resource went, if the check learned it: a moved repository, else a
    permanent redirect to another page (not the site's home page). The link's ``#fragment``
    is kept when the new address has none (a browser keeps it across a redirect)."""
    moved = status.extra.get("moved_to")
    if isinstance(moved, str):
        url = _elsewhere(moved, status.url)
        if url is not None:
            return Replacement(url, "moved")
    if status.permanent and status.final_url and status.verdict not in _NO_REDIRECT:
        url = _elsewhere(status.final_url, status.url)
        if url is not None and not _home_page(url):
            return Replacement(url, "redirect")
    return None


def _elsewhere(target: str, link: str) -> str | None:
    """``target`` made safe, with ``link``'s fragment if it has none; None when it is not a
    safe http(s) URL or is the link itself."""
    url = safe_markdown_url(target)
    if url is None:
        return None
    fragment = urlsplit(link).fragment
    if fragment and "#" not in url:
        url = safe_markdown_url(f"{url}#{fragment}")
        if url is None:
            return None
    here = safe_markdown_url(link)
    return None if here is not None and _page(here) == _page(url) else url


def _page(url: str) -> str:
    return url.partition("#")[0]


def _home_page(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query
