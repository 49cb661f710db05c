"""AL001 and AL002: problems with the suppression comments themselves.

Both are reported by :mod:`awesome_lint.suppress` after every other rule has run, since only
then is it known which comments suppressed something; their :meth:`check` yields nothing. They
are rules so that ``select``, ``ignore`` and ``severity`` work on them like on any other.
"""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document
from awesome_lint.rule import Rule


class UnknownRuleInComment(Rule):
    """An ``awesome-lint-*`` comment names a rule that does not exist.

    A misspelt name suppresses nothing, so the finding it meant to hide would come back unnoticed.
    """

    code = "AL001"
    name = "unknown-rule-in-comment"
    summary = "A suppression comment names an unknown rule."
    severity = Severity.ERROR

    def check(self, doc: Document) -> Iterator[Violation]:
        """Nothing: :func:`awesome_lint.suppress.apply_suppressions` reports these."""
        yield from ()


class UnusedSuppression(Rule):
    """A suppression comment that suppresses no finding.

    A stale comment would silently hide the next real problem on its lines: remove it.
    """

    code = "AL002"
    name = "unused-suppression"
    summary = "A suppression comment suppresses nothing."
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Violation]:
        """Nothing: :func:`awesome_lint.suppress.apply_suppressions` reports these."""
        yield from ()
