"""The outcome of one run, as every reporter receives it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from awesome_lint.findings import Applicability, Finding, Severity
from awesome_lint.rule import Rule

if TYPE_CHECKING:
    from awesome_lint.model import SuppressionComment


class FileError(NamedTuple):
    """A file that could not be checked (missing, binary, undecodable, bad config...)."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: error: {self.message}"


class LinkRecord(NamedTuple):
    """One checked web link of one file, for reports that count links and not only findings.

    ``section``: the headings above the link, outermost first (``()`` before the first one);
    records of one section share the tuple. ``url`` is redacted; ``verdict`` a
    :class:`~awesome_lint.verdicts.Verdict` value; ``details`` the status's facts
    (``last_commit``, ``failures``, ``replacement``...), shared with the status, not copied.
    """

    path: str
    line: int
    section: tuple[str, ...]
    url: str
    verdict: str
    details: Mapping[str, Any]


@dataclass(slots=True)
class RunResult:
    """Findings (sorted by path, line, column), files checked, files that failed, rules run.

    ``warnings`` are for people (a corrupt cache moved aside, an API error); ``notes`` are the
    link check's summaries. Neither changes the exit status. ``would_fix``: how many findings
    ``--fix --dry-run`` would fix; ``baselined``: how many findings a baseline hid.
    """

    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    rules: list[type[Rule]] = field(default_factory=list)
    #: The preset the files were linted under (``--preset``, else their configs' when they
    #: agree): it decides some rules' default severity (SARIF's rule metadata shows it).
    preset: str | None = None
    fixed: int = 0
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Every inline suppression comment of the files checked, with its file's path.
    suppressions: list[tuple[str, SuppressionComment]] = field(default_factory=list)
    would_fix: int = 0
    baselined: int = 0
    #: With ``--links``: every checked link of every file, per file in source order (whatever
    #: suppressions and baselines hide from the findings). None: links were not checked.
    links: list[LinkRecord] | None = None

    def fixable(self) -> tuple[int, int]:
        """(findings ``--fix`` fixes, findings only ``--fix --unsafe-fixes`` fixes)."""
        safe = sum(f.applicability is Applicability.SAFE for f in self.findings)
        unsafe = sum(f.applicability is Applicability.UNSAFE for f in self.findings)
        return safe, unsafe

    def counts(self) -> dict[str, int]:
        """Number of findings per severity, every severity present (possibly 0)."""
        counter = Counter(f.severity for f in self.findings)
        return {s.value: counter.get(s, 0) for s in Severity}

    @property
    def exit_code(self) -> int:
        """2 when a file or config failed, 1 when an error-severity finding remains, else 0."""
        if self.errors:
            return 2
        if any(f.severity is Severity.ERROR for f in self.findings):
            return 1
        return 0
