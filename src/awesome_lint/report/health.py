"""The health of a list at a glance, from the run's link records (``RunResult.links``): counts
by verdict, repository age, newly dead and recovered links, replacements, per-section health.

Pure figures for the HTML and Markdown reports; the details keys are issue 14's contract
(``last_commit``, ``failures``, ``recovered``, ``replacement``...), read defensively: a value of
the wrong shape is ignored, never trusted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from awesome_lint.replacements import Replacement
from awesome_lint.result import LinkRecord
from awesome_lint.verdicts import GONE, TITLES, Verdict

#: The verdicts of a link that reaches its page (directly, redirected, again, or a project's
#: page that answers however old it is).
WORKING = frozenset({Verdict.OK.value, Verdict.REDIRECTED.value, Verdict.RECOVERED.value,
                     Verdict.STALE.value, Verdict.ARCHIVED.value, Verdict.MOVED.value})
GONE_VALUES = frozenset(v.value for v in GONE)
#: Years since a repository's last commit: each bucket's label and lower bound in years.
AGE_BUCKETS: tuple[tuple[str, float], ...] = (
    ("under 1 year", 0), ("1-2 years", 1), ("2-3 years", 2), ("3-5 years", 3),
    ("5+ years", 5))
_HISTORY_KEYS = ("failures", "first_failed", "last_ok", "recovered")


def verdict_counts(records: Sequence[LinkRecord]) -> list[tuple[str, int]]:
    """(verdict, links) for every verdict present, in the order a maintainer acts on them."""
    counts = Counter(r.verdict for r in records)
    order = [v.value for v in TITLES] + sorted(set(counts) - {v.value for v in TITLES})
    return [(verdict, counts[verdict]) for verdict in order if counts[verdict]]


def parse_time(value: object) -> datetime | None:
    """An ISO-8601 date or time as an aware UTC datetime; None for anything else."""
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when


def age_buckets(records: Sequence[LinkRecord], now: datetime) -> list[int] | None:
    """How many repositories (distinct URLs) fall in each :data:`AGE_BUCKETS` bucket of years
    since ``details.last_commit``; None when no record has a date."""
    dates: dict[str, datetime] = {}
    for record in records:
        when = parse_time(record.details.get("last_commit"))
        if when is not None:
            dates[record.url] = when
    if not dates:
        return None
    counts = [0] * len(AGE_BUCKETS)
    for when in dates.values():
        years = max((now - when).days, 0) / 365.25
        index = max(i for i, (_, low) in enumerate(AGE_BUCKETS) if years >= low)
        counts[index] += 1
    return counts


def has_history(records: Sequence[LinkRecord]) -> bool:
    """Whether any record carries facts from earlier runs (the link history)."""
    return any(key in r.details for r in records for key in _HISTORY_KEYS)


def newly_dead(records: Sequence[LinkRecord]) -> list[LinkRecord]:
    """The links that failed for the first time in this run (``details.failures == 1``)."""
    return [r for r in records if type(r.details.get("failures")) is int
            and r.details["failures"] == 1 and r.verdict not in WORKING]


def recovered(records: Sequence[LinkRecord]) -> list[LinkRecord]:
    """The links that work again after failing in an earlier run."""
    return [r for r in records
            if r.details.get("recovered") is True or r.verdict == Verdict.RECOVERED.value]


def replacement(record: LinkRecord) -> Replacement | None:
    """The record's suggested replacement, when well-formed (:meth:`Replacement.from_json`)."""
    return Replacement.from_json(record.details.get("replacement"))


@dataclass(frozen=True, slots=True)
class SectionHealth:
    """One section of one file: how many links, how many work, how many are gone."""

    path: str
    section: tuple[str, ...]
    links: int
    ok: int
    gone: int


def section_health(records: Sequence[LinkRecord]) -> list[SectionHealth]:
    """Per (file, section) in the order met: links, working, gone. The heading shared by every
    record (the list's title) is left out of the section paths."""
    titles = {r.section[:1] for r in records}
    drop = 1 if len(titles) == 1 and titles != {()} else 0
    totals: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for record in records:
        row = totals.setdefault((record.path, record.section[drop:]), [0, 0, 0])
        row[0] += 1
        row[1] += record.verdict in WORKING
        row[2] += record.verdict in GONE_VALUES
    return [SectionHealth(path, section, *row) for (path, section), row in totals.items()]
