"""AL003 suppression-added: a change makes a comment hide findings that were not hidden before.

Only with ``--diff BASE`` (the action on pull requests): the run compares what the comments hide
now with what the comments at BASE hid at the same places (``SuppressionComment.new``).
"""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Related, Severity, Violation
from awesome_lint.model import Document
from awesome_lint.rule import Phase, Rule

#: How many of the hidden findings a message names (all are related locations).
_NAMED = 5


class SuppressionAdded(Rule):
    """A comment added, widened or left open (its ``enable`` deleted) by the change hides
    findings. Comments are invisible on the rendered page, so a pull request could silence any
    finding, a dead link included; the change's own files cannot turn this rule off, since in
    ``--diff`` mode the config is read from BASE."""

    code = "AL003"
    name = "suppression-added"
    summary = "A change adds, widens or un-ends a suppression comment that hides findings."
    severity = Severity.ERROR
    phase = Phase.SUPPRESSIONS

    def check(self, doc: Document) -> Iterator[Violation]:
        for comment in doc.suppressions or ():
            if not comment.new:
                continue
            named = ", ".join(f"{code} at line {span.line}" for code, span in comment.new[:_NAMED])
            more = len(comment.new) - _NAMED
            named += f" and {more} more" if more > 0 else ""
            count = len(comment.new)
            yield Violation(
                comment.span,
                f"This change makes this comment hide {count} finding{'s' * (count != 1)} "
                f"that {'were' if count != 1 else 'was'} reported before it: {named}; fix "
                f"{'them' if count != 1 else 'it'}, or let a maintainer add the suppression",
                related=tuple(Related(span, f"{code} hidden by the comment")
                              for code, span in comment.new),
            )
