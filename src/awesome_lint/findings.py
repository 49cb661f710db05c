"""Findings: what a rule reports, and the fixes it proposes."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType
from typing import Any, NamedTuple

from awesome_lint.model import Span


class Severity(str, Enum):
    """How much a finding matters; only ``error`` fails a run by default."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for info: sorts the worst first."""
        return _RANKS[self]


_RANKS = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


#: The ``details`` of a finding that has none (read-only: shared by all of them).
NO_DETAILS: Mapping[str, Any] = MappingProxyType({})


class Applicability(str, Enum):
    """Whether ``--fix`` may apply a fix on its own (safe) or only with ``--unsafe-fixes``."""

    SAFE = "safe"
    UNSAFE = "unsafe"


class Edit(NamedTuple):
    """Replace the text in ``span`` (end column exclusive) with ``text``."""

    span: Span
    text: str


class Fix(NamedTuple):
    """A set of edits that together resolve one finding."""

    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE


class Related(NamedTuple):
    """Another place a finding involves: the first copy of a duplicate, the heading that a
    table-of-contents entry names. ``path`` None means the finding's own file."""

    span: Span
    message: str
    path: str | None = None


class Violation(NamedTuple):
    """What a rule yields: where, what, optionally how to fix it and the other places involved."""

    span: Span
    message: str
    fix: Fix | None = None
    related: tuple[Related, ...] = ()
    #: Link rules only: the link (redacted) and its verdict, for reports that group by verdict.
    url: str | None = None
    verdict: str | None = None
    #: Link rules only: facts about the link for machines and reports (JSON ``details``):
    #: ``first_failed``, ``failures``, ``replacement``, ``last_commit``... Plain JSON values.
    details: Mapping[str, Any] = NO_DETAILS


class Finding(NamedTuple):
    """A violation attributed to a file and a rule, with its final (configured) severity.

    ``url`` and ``verdict`` are set by the link rules only. Findings are created in one place,
    :func:`awesome_lint.engine.run_rules`.
    """

    path: str
    span: Span
    code: str
    name: str
    severity: Severity
    message: str
    fix: Fix | None = None
    url: str | None = None
    verdict: str | None = None
    related: tuple[Related, ...] = ()
    details: Mapping[str, Any] = NO_DETAILS

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    @property
    def applicability(self) -> Applicability | None:
        """Whether ``--fix`` applies the fix on its own (safe) or only with ``--unsafe-fixes``."""
        return None if self.fix is None else self.fix.applicability

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.column, self.code)
