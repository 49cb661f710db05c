"""A link's history across runs (issue 14): since when it has been failing, in how many runs,
whether it works again, and under ``dead-after`` whether a gone link is dead yet or only
failing. Pure: no network library; the observations come from the cache, newest first.

A run counts as failed when its observation is judged *gone* (:data:`~awesome_lint.verdicts.GONE`,
under the reading run's policy); one that worked (:data:`WORKING`) ends the streak; anything
else (a timeout, a bot wall) neither counts nor ends it: it says nothing about the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from awesome_lint.links.observation import Observation, plainly_working
from awesome_lint.links.policy import DeadAfter
from awesome_lint.verdicts import DEAD_AFTER, FAILING_AS, GONE, LinkStatus, Verdict

__all__ = ["WORKING", "iso_time", "with_history"]

#: Verdicts of a link that answered with its page: they end a failing streak.
WORKING = frozenset({Verdict.OK, Verdict.REDIRECTED, Verdict.MISSING_FRAGMENT,
                     Verdict.ARCHIVED, Verdict.STALE, Verdict.MOVED})

Judge = Callable[[Observation], "LinkStatus | None"]


def iso_time(seconds: float) -> str:
    """``seconds`` since the epoch as ISO-8601 UTC, to the second (``2026-12-01T06:00:00Z``)."""
    moment = datetime.fromtimestamp(seconds, timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def with_history(status: LinkStatus, past: Sequence[Observation], judge: Judge, at: float,
                 dead_after: DeadAfter | None, *, grace: bool = True) -> LinkStatus:
    """``status`` (this run's, observed at ``at``) with what ``past`` (earlier runs' observations,
    newest first, judged by ``judge``) adds to it.

    The keys are :data:`~awesome_lint.verdicts.HISTORY_DETAILS`. A gone status gets
    ``first_failed``, ``failures`` (this run included) and ``last_ok``; with ``dead_after``
    (and ``grace``: False for a link a pull request adds) it becomes :attr:`Verdict.FAILING`
    until it has failed in ``runs`` runs spanning ``hours``. A working status after failed
    runs gets ``recovered`` True, with the failed streak's facts.
    """
    if not past and status.verdict not in GONE:
        return status  # nothing before it, and not gone: nothing to add (most links)
    failed, first, last_ok = _streak(past, judge)
    if status.verdict in GONE:
        failures = failed + 1
        first = at if first is None else first
        details: dict[str, Any] = {"first_failed": iso_time(first), "failures": failures,
                                   "last_ok": None if last_ok is None else iso_time(last_ok)}
        if dead_after is None:
            return _adding(status, details)
        details["runs_needed"] = dead_after.runs
        dead = failures >= dead_after.runs and at - first >= dead_after.hours * 3600.0
        if dead or not grace:
            return _adding(status, details)
        failing = _adding(status, details)
        return replace(failing, verdict=Verdict.FAILING,
                       extra={**failing.extra, FAILING_AS: status.verdict.value,
                              DEAD_AFTER: str(dead_after)})
    if status.verdict in WORKING and failed:
        assert first is not None
        return _adding(status, {"recovered": True, "first_failed": iso_time(first),
                                "failures": failed, "last_ok": iso_time(at)})
    return status


def _streak(past: Sequence[Observation], judge: Judge) -> tuple[int, float | None, float | None]:
    """The failed runs at the head of ``past``, the oldest of them, and when it last worked."""
    failed, first = 0, None
    for observed in past:
        if plainly_working(observed):  # (judging it would say so, under any policy)
            return failed, first, observed.checked
        status = judge(observed)
        if status is None:
            continue
        if status.verdict in GONE:
            failed, first = failed + 1, observed.checked
        elif status.verdict in WORKING:
            return failed, first, observed.checked
    return failed, first, None


def _adding(status: LinkStatus, details: dict[str, Any]) -> LinkStatus:
    return replace(status, extra={**status.extra, **details})
