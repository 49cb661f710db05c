"""Link verdicts: the typed outcome of checking one URL, as pure data.

The link checker (:mod:`awesome_lint.links`) produces them; the link rules read them from the
document (``Document.link_statuses``) without importing the checker or aiohttp.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Verdict(str, Enum):
    """What we can say about a link. Only ``dead`` means "broken" with certainty."""

    OK = "ok"
    REDIRECTED = "redirected"  # works, but through a redirect (see ``permanent``, ``final_url``)
    DEAD = "dead"  # 404, 410, unknown host, connection refused
    BLOCKED = "blocked"  # 401/403/999, bot walls: could not verify, never "dead"
    ERROR = "error"  # timeout, TLS, 5xx after retries: try again later
    EXCLUDED = "excluded"  # matched an exclude pattern
    SKIPPED = "skipped"  # not checkable (mailto:, ftp:, private address refused...)
    # Link health (content-aware verdicts): a 200 answer that is gone all the same...
    UNVERIFIABLE = "unverifiable"  # answered, but the answer cannot tell (a single-page app)
    SOFT_404 = "soft-404"  # a "not found" page served with 200
    PARKED = "parked"  # the domain is parked or for sale
    REDIRECT_TO_ROOT = "redirect-to-root"  # a deep link that ends at the site's home page
    MISSING_FRAGMENT = "missing-fragment"  # the page exists, its #fragment does not
    # ...the project behind a repository link...
    ARCHIVED = "archived"  # read-only, no longer maintained
    STALE = "stale"  # no commit for a long time
    MOVED = "moved"  # renamed or transferred: a new address
    # ...and its history across runs.
    FAILING = "failing"  # failed, but not yet in enough runs to be called dead
    RECOVERED = "recovered"  # failed in an earlier run, works now


#: The verdicts that say the page is gone (a dead link, whatever its status code).
#: MISSING_FRAGMENT is not among them: the page is there, its anchor is not.
GONE = frozenset({Verdict.DEAD, Verdict.SOFT_404, Verdict.PARKED, Verdict.REDIRECT_TO_ROOT})

#: ``LinkStatus.extra`` keys of a link's history across runs (:mod:`awesome_lint.links.history`),
#: which its findings carry as ``details``: ISO-8601 UTC times, counts of runs, a flag.
HISTORY_DETAILS = ("first_failed", "failures", "runs_needed", "last_ok", "recovered")
#: ``LinkStatus.extra`` keys of a failing status (not details): the gone verdict it stands for,
#: and the ``dead-after`` rule it waits for, as words ("2 runs over 24 h").
FAILING_AS = "failing_as"
DEAD_AFTER = "dead_after"

#: How reports title each verdict's group of findings, in the order a maintainer acts on them.
TITLES: dict[Verdict, str] = {
    Verdict.DEAD: "Dead links",
    Verdict.SOFT_404: "Pages that say they are gone",
    Verdict.PARKED: "Parked domains",
    Verdict.REDIRECT_TO_ROOT: "Deep links that end at the home page",
    Verdict.MISSING_FRAGMENT: "Missing anchors on linked pages",
    Verdict.FAILING: "Failing links (not dead yet)",
    Verdict.REDIRECTED: "Redirected links",
    Verdict.MOVED: "Moved repositories",
    Verdict.ARCHIVED: "Archived repositories",
    Verdict.STALE: "Stale repositories",
    Verdict.BLOCKED: "Unverifiable links",
    Verdict.UNVERIFIABLE: "Unverifiable links",
    Verdict.ERROR: "Links that could not be checked",
    Verdict.RECOVERED: "Recovered links",
    Verdict.OK: "Working links",
    Verdict.EXCLUDED: "Excluded links",
    Verdict.SKIPPED: "Links not checked",
}


@dataclass(frozen=True, slots=True)
class LinkStatus:
    """The result for one URL: verdict, last HTTP status, redirect chain and a short reason.

    ``archived`` is set for GitHub repositories known (through the API) to be archived.
    """

    url: str
    verdict: Verdict
    status: int | None = None
    reason: str = ""
    final_url: str | None = None
    permanent: bool = False
    chain: tuple[str, ...] = ()
    archived: bool = False
    elapsed: float = 0.0
    attempts: int = 1
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the cache stores this)."""
        return {
            "url": self.url,
            "verdict": self.verdict.value,
            "status": self.status,
            "reason": self.reason,
            "final_url": self.final_url,
            "permanent": self.permanent,
            "chain": list(self.chain),
            "archived": self.archived,
            "elapsed": self.elapsed,
            "attempts": self.attempts,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinkStatus:
        """Inverse of :meth:`to_json`; raises ``KeyError``/``ValueError`` on a bad record."""
        return cls(
            url=str(data["url"]),
            verdict=Verdict(data["verdict"]),
            status=None if data.get("status") is None else int(data["status"]),
            reason=str(data.get("reason", "")),
            final_url=data.get("final_url"),
            permanent=bool(data.get("permanent", False)),
            chain=tuple(str(u) for u in data.get("chain", ())),
            archived=bool(data.get("archived", False)),
            elapsed=float(data.get("elapsed", 0.0)),
            attempts=int(data.get("attempts", 1)),
        )
