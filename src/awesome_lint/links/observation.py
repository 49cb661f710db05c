"""What the network said about one URL, and the verdict a policy draws from it.

The checker records an :class:`Observation` per URL: the raw facts (HTTP status, each redirect,
the final URL, the kind of failure, when, how many attempts). The cache stores observations
only, never a verdict: the verdict depends on settings that differ between repositories
(``accept = {"*" = [404]}``, ``max-redirects``), so :func:`judge` derives it every time, under
the policy of the run that reads it. Pure: no network library.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from awesome_lint.verdicts import LinkStatus, Verdict

if TYPE_CHECKING:
    from awesome_lint.links.policy import LinkPolicy

__all__ = [
    "BLOCKED_STATUSES",
    "DEAD_STATUSES",
    "PERMANENT_REDIRECTS",
    "SOFT_DEAD",
    "Hop",
    "Kind",
    "Observation",
    "judge",
    "now",
    "plainly_working",
]

#: Status codes that mean "alive but not letting a robot in": never reported as dead.
BLOCKED_STATUSES = frozenset({401, 403, 451, 999})
DEAD_STATUSES = frozenset({404, 410})
PERMANENT_REDIRECTS = frozenset({301, 308})


def now() -> float:
    """The time observations are stamped with and judged at: the system clock, unless
    ``AWESOME_LINT_CLOCK`` (seconds since the epoch) says otherwise, which lets the tests play
    runs a day apart without waiting."""
    fixed = os.environ.get("AWESOME_LINT_CLOCK")
    if fixed:
        try:
            value = float(fixed)
        except ValueError:
            value = math.nan
        if math.isfinite(value):
            return value
    return time.time()


class Kind(str, Enum):
    """How a check ended. Only ``http`` carries an answer a policy may accept."""

    HTTP = "http"  # a final HTTP answer (``status``), after any redirects
    TRANSIENT = "transient-http"  # 408/429/5xx on every attempt
    TIMEOUT = "timeout"  # on every attempt
    DROPPED = "dropped"  # the connection closed without a (complete) response, every attempt
    CONNECT = "connect"  # could not connect (not refused), every attempt
    REQUEST_FAILED = "request-failed"  # another client error, every attempt
    REFUSED = "refused"  # connection refused
    NO_SUCH_HOST = "no-such-host"  # NXDOMAIN: the name does not exist (EAI_NONAME, EAI_NODATA)
    DNS_TEMPORARY = "dns-temporary"  # SERVFAIL, EAI_AGAIN...: DNS could not answer, every attempt
    TLS = "tls"
    BLOCKED_ADDRESS = "blocked-address"  # the address guard refused a non-public address
    INVALID_RESPONSE = "invalid-response"  # not HTTP
    INVALID_URL = "invalid-url"  # not a URL the client can request
    REDIRECT_INVALID = "redirect-invalid"  # a Location that is not a URL
    REDIRECT_OFF_WEB = "redirect-off-web"  # a Location that is not http(s)
    REDIRECT_LOOP = "redirect-loop"
    TOO_MANY_REDIRECTS = "too-many-redirects"


#: The verdicts ``evidence["gone"]`` may give a 2xx answer.
SOFT_DEAD = frozenset({Verdict.SOFT_404, Verdict.PARKED, Verdict.REDIRECT_TO_ROOT,
                       Verdict.UNVERIFIABLE})
_ERROR_BY_DETAIL = frozenset({Kind.TLS, Kind.INVALID_RESPONSE,
                              Kind.INVALID_URL, Kind.REDIRECT_INVALID, Kind.REDIRECT_OFF_WEB})
_AFTER_TRIES = frozenset({Kind.TIMEOUT, Kind.CONNECT, Kind.REQUEST_FAILED})


@dataclass(frozen=True, slots=True)
class Hop:
    """One redirect: the URL requested and the redirect status it answered with."""

    url: str
    status: int


@dataclass(frozen=True, slots=True)
class Observation:
    """The raw outcome of checking ``url``; see :func:`judge` for what it means.

    ``final_url`` is where the redirects ended (or, for a loop, the repeated target), already
    passed through :func:`awesome_lint.urls.safe_markdown_url`; None when there were no
    redirects or the target has no safe form. ``final_host`` is the host of the last request
    (``accept`` is per host). ``detail`` is a redacted one-line message (an error's text).
    ``evidence`` is what the checker learnt from a 2xx page's body (issue 14): ``gone`` (a
    soft-dead verdict: ``soft-404``, ``parked``, ``redirect-to-root``, ``unverifiable``) and
    ``why``; ``fragments`` (fragment -> found, missing (false) or unverifiable (null)); for an
    origin's probe, ``probe`` (see :class:`awesome_lint.links.softdead.Probe`).
    """

    url: str
    kind: Kind
    status: int | None = None
    hops: tuple[Hop, ...] = ()
    final_url: str | None = None
    final_host: str | None = None
    detail: str = ""
    attempts: int = 1
    elapsed: float = 0.0
    checked: float = 0.0
    evidence: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def permanent(self) -> bool:
        """Every redirect was permanent (301/308)."""
        return bool(self.hops) and all(hop.status in PERMANENT_REDIRECTS for hop in self.hops)


def plainly_working(obs: Observation) -> bool:
    """A 2xx answer without redirects that was not found soft-dead: what :func:`judge` calls
    ok under any policy."""
    code = obs.status
    return (obs.kind is Kind.HTTP and not obs.hops and code is not None and 200 <= code < 300
            and "gone" not in obs.evidence)


_SOFT_DEAD_VALUES = frozenset(verdict.value for verdict in SOFT_DEAD)


def _page_facts(evidence: Mapping[str, Any]) -> dict[str, Any]:
    """What a status carries of the page's evidence: the fragments looked for."""
    fragments = evidence.get("fragments")
    if not isinstance(fragments, Mapping):
        return {}
    return {"fragments": {str(name): found for name, found in fragments.items()
                          if found is None or isinstance(found, bool)}}


def judge(obs: Observation, policy: LinkPolicy, max_redirects: int | None = None
          ) -> LinkStatus | None:
    """The verdict ``policy`` draws from ``obs``; None when ``obs`` cannot answer under it
    (it stopped at a redirect limit lower than this policy's: check again).

    ``max_redirects`` overrides the policy's (the checker passes its capped value).
    """
    code = obs.status
    if (obs.kind is Kind.HTTP and not obs.hops and not obs.evidence and code is not None
            and 200 <= code < 300):  # most links: what the general path below says, sooner
        return LinkStatus(obs.url, Verdict.OK, code, "", elapsed=obs.elapsed,
                          attempts=obs.attempts)
    limit = policy.max_redirects if max_redirects is None else max_redirects
    url, chain, tries = obs.url, tuple(hop.url for hop in obs.hops), obs.attempts

    def status(verdict: Verdict, reason: str, **more: Any) -> LinkStatus:
        more.setdefault("chain", chain)
        return LinkStatus(url, verdict, obs.status, reason, elapsed=obs.elapsed,
                          attempts=tries, **more)

    kind = obs.kind
    if kind is Kind.TOO_MANY_REDIRECTS or (kind is Kind.HTTP and len(obs.hops) > limit):
        if len(obs.hops) <= limit:
            return None
        return status(Verdict.ERROR, f"more than {limit} redirects")
    if kind is Kind.HTTP and obs.status is not None:
        code = obs.status
        host = obs.final_host or urlsplit(url).hostname or ""
        if 200 <= code < 300 or policy.accepted(host, code):
            found = _page_facts(obs.evidence)
            gone = obs.evidence.get("gone")
            if 200 <= code < 300 and isinstance(gone, str) and gone in _SOFT_DEAD_VALUES:
                why = str(obs.evidence.get("why", ""))
                return status(Verdict(gone), why, final_url=obs.final_url,
                              permanent=obs.permanent, extra={**found, "evidence": why})
            if obs.hops:
                permanent = obs.permanent
                return status(Verdict.REDIRECTED,
                              "moved permanently" if permanent else "redirected",
                              final_url=obs.final_url, permanent=permanent, extra=found)
            return status(Verdict.OK, "", extra=found)
        if code in DEAD_STATUSES:
            return status(Verdict.DEAD, f"HTTP {code}")
        if code in BLOCKED_STATUSES:
            return status(Verdict.BLOCKED,
                          f"HTTP {code}: the site refuses robots, could not verify")
        return status(Verdict.ERROR, f"HTTP {code}")
    if kind is Kind.TRANSIENT:
        if obs.status == 429:
            return status(Verdict.BLOCKED,
                          f"rate limited (429) after {tries} tries: could not verify")
        return status(Verdict.ERROR, f"HTTP {obs.status} after {tries} tries")
    if kind in _AFTER_TRIES:
        return status(Verdict.ERROR, f"{obs.detail or kind.value} after {tries} tries")
    if kind is Kind.DNS_TEMPORARY:
        return status(Verdict.ERROR, f"temporary DNS failure ({obs.detail}) after {tries} "
                      "tries: could not resolve the host, try again later")
    if kind is Kind.DROPPED:
        return status(Verdict.DEAD, f"{obs.detail or 'connection closed'} ({tries} tries)")
    if kind is Kind.REFUSED:
        return status(Verdict.DEAD, "connection refused")
    if kind is Kind.NO_SUCH_HOST:
        return status(Verdict.DEAD, "unknown host")
    if kind is Kind.REDIRECT_LOOP:
        loop = (*chain, obs.final_url) if obs.final_url else chain
        return status(Verdict.ERROR, "redirect loop", chain=loop)
    if kind is Kind.BLOCKED_ADDRESS:  # not a fact about the link: the run's own policy
        return status(Verdict.ERROR, f"skipped by policy: {obs.detail or kind.value}",
                      extra={"skipped_by_policy": True})
    if kind in _ERROR_BY_DETAIL:
        return status(Verdict.ERROR, obs.detail or kind.value)
    return status(Verdict.ERROR, obs.detail or kind.value)  # pragma: no cover - every kind
