"""AL001 and AL002: problems with the suppression comments themselves.

They read ``Document.suppressions``, which the run sets once every other rule's findings have
met the comments (only then is it known which comments suppressed something). They run last
and no comment suppresses them: a comment could otherwise hide the report that it is itself
useless. Turn them off in the config (``ignore``, or ``severity = "off"``) instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document
from awesome_lint.rule import Phase, Rule


class UnknownRuleInComment(Rule):
    """An ``awesome-lint-*`` comment names a rule that does not exist.

    A misspelt name suppresses nothing, so the finding it meant to hide would come back unnoticed.
    """

    code = "AL001"
    name = "unknown-rule-in-comment"
    summary = "A suppression comment names an unknown rule."
    severity = Severity.ERROR
    phase = Phase.SUPPRESSIONS

    def check(self, doc: Document) -> Iterator[Violation]:
        for comment in doc.suppressions or ():
            for name, hint in comment.unknown:
                yield Violation(comment.span,
                                f"Unknown rule {name!r} in suppression comment{hint}")


class UnusedSuppression(Rule):
    """A suppression comment that suppresses no finding.

    A stale comment would silently hide the next real problem on its lines: remove it.
    """

    code = "AL002"
    name = "unused-suppression"
    summary = "A suppression comment suppresses nothing."
    severity = Severity.WARNING
    phase = Phase.SUPPRESSIONS

    def check(self, doc: Document) -> Iterator[Violation]:
        last_rules = (UnknownRuleInComment.code, UnusedSuppression.code)
        for comment in doc.suppressions or ():
            if comment.kind == "enable":
                continue
            if comment.codes is None:
                if not comment.used:
                    yield Violation(comment.span, "Unused suppression of all rules")
                continue
            for code, name in comment.unused:
                message = f"Unused suppression of {code} ({name})"
                if code in last_rules:
                    message += ": comments cannot suppress it; ignore it in the config instead"
                yield Violation(comment.span, message)
