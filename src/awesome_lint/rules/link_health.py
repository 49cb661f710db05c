"""AL901-AL905: what the link checker found (``awesome-lint --links``).

These rules read no Document: their findings come from the network check
(:mod:`awesome_lint.links.findings`), and they are rules so that select, ignore, severity and
inline suppressions work on them like on every other rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document
from awesome_lint.rule import Option, Rule


class _LinkRule(Rule):
    def check(self, doc: Document) -> Iterator[Violation]:
        """Nothing offline: the link checker reports these."""
        yield from ()


class DeadLink(_LinkRule):
    code = "AL901"
    name = "dead-link"
    summary = "A link is dead: 404 or 410, an unknown host, or a refused connection."
    severity = Severity.ERROR


class RedirectedLink(_LinkRule):
    code = "AL902"
    name = "redirected-link"
    summary = "A link redirects permanently: point it at its new address."
    severity = Severity.WARNING
    fixable = True
    options = (
        Option("temporary", False, "Also report temporary redirects (302, 303, 307)."),
    )


class UnverifiableLink(_LinkRule):
    code = "AL903"
    name = "unverifiable-link"
    summary = "A site refused the checker (401, 403, 429, bot walls): the link is unverified."
    severity = Severity.INFO


class LinkError(_LinkRule):
    code = "AL904"
    name = "link-error"
    summary = "A link could not be checked: timeouts, TLS errors or server errors after retries."
    severity = Severity.WARNING


class ArchivedRepository(_LinkRule):
    code = "AL905"
    name = "archived-repository"
    summary = "A GitHub repository in the list is archived (read-only, no longer maintained)."
    severity = Severity.WARNING
