"""Inline suppression comments, applied to one file's findings after every rule has run.

::

    <!-- awesome-lint-disable AL101 -->            from this line on, up to an enable
    <!-- awesome-lint-enable AL101 -->             (whose own line is still covered)
    <!-- awesome-lint-disable-next-line AL301 -->  the next line only
    <!-- awesome-lint-disable-line AL301 -->       the comment's own line
    <!-- awesome-lint-disable-file AL301 -->       the whole file

A comment may sit anywhere on a line and name several rules, by code or slug, separated by commas
or spaces; naming none means every rule. A comment must fit on one line, and comments inside fenced
code blocks or inline code spans are documentation, not directives. A finding is suppressed when its
first line is covered.

AL001 (unknown-rule-in-comment) and AL002 (unused-suppression) are computed here, after the
matching, and no comment suppresses them: a comment could otherwise hide the report that it is
itself useless. Turn them off in the config (``ignore``, or ``severity = "off"``) instead.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from awesome_lint.config import did_you_mean, lookup_rule, rule_names
from awesome_lint.findings import Finding, Severity
from awesome_lint.model import Span
from awesome_lint.rule import Rule
from awesome_lint.rules.suppression_comments import UnknownRuleInComment, UnusedSuppression

_DIRECTIVE = re.compile(
    r"<!--\s*awesome-lint-(disable-next-line|disable-line|disable-file|disable|enable)"
    r"(?=[\s,]|-->)(.*?)-->"
)
_NAME_SEPARATOR = re.compile(r"[\s,]+")
_FENCE = re.compile(r"[ \t>]*(`{3,}|~{3,})(.*)")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
_UNSUPPRESSIBLE = (UnknownRuleInComment.code, UnusedSuppression.code)


@dataclass(eq=False)
class _Directive:
    """One comment. ``codes`` None means every rule; ``used`` collects the codes it suppressed."""

    kind: str
    line: int
    span: Span
    codes: tuple[str, ...] | None
    used: set[str] = field(default_factory=set)

    def covers(self, code: str) -> bool:
        return self.codes is None or code in self.codes


@dataclass(frozen=True)
class _Ranges:
    """The disable/enable ranges in force at one point of the file."""

    named: Mapping[str, _Directive] = field(default_factory=dict)
    every: _Directive | None = None
    reenabled: frozenset[str] = frozenset()  # codes enabled again inside an all-rules range

    def covering(self, code: str) -> _Directive | None:
        if code in self.named:
            return self.named[code]
        if self.every is not None and code not in self.reenabled:
            return self.every
        return None

    def after(self, directive: _Directive) -> _Ranges:
        """The state once ``directive`` (a disable or an enable) has taken effect."""
        codes = directive.codes
        if directive.kind == "disable":
            if codes is not None:  # an earlier disable of the same rule keeps the credit
                return replace(self, named={**dict.fromkeys(codes, directive), **self.named})
            if self.every is None or self.reenabled:
                return replace(self, every=directive, reenabled=frozenset())
            return self
        if codes is None:
            return _Ranges()
        named = {code: d for code, d in self.named.items() if code not in codes}
        reenabled = self.reenabled | set(codes) if self.every is not None else self.reenabled
        return _Ranges(named, self.every, reenabled)


class _Suppressions:
    """Every directive of a file, indexed by the lines it covers."""

    def __init__(self, directives: Sequence[_Directive], last_line: int) -> None:
        self.by_line: dict[int, list[_Directive]] = defaultdict(list)
        self.file_wide = [d for d in directives if d.kind == "disable-file"]
        range_events: dict[int, list[_Directive]] = defaultdict(list)
        for d in directives:
            if d.kind == "disable-line":
                self.by_line[d.line].append(d)
            elif d.kind == "disable-next-line":
                self.by_line[d.line + 1].append(d)
            elif d.kind in ("disable", "enable"):
                range_events[d.line].append(d)
        # ranges[n - 1]: every state in force at some point of line n.
        self.ranges: list[tuple[_Ranges, ...]] = []
        state = _Ranges()
        for line in range(1, last_line + 1):
            states = [state]
            for d in range_events.get(line, ()):
                state = state.after(d)
                states.append(state)
            self.ranges.append(tuple(states))

    def covering(self, finding: Finding) -> _Directive | None:
        """The most specific directive covering the finding's first line, if any."""
        code, line = finding.code, finding.span.line
        for d in self.by_line.get(line, ()):
            if d.covers(code):
                return d
        for state in self.ranges[line - 1]:
            ranged = state.covering(code)
            if ranged is not None:
                return ranged
        return next((d for d in self.file_wide if d.covers(code)), None)


def apply_suppressions(
    doc_lines: Sequence[str],
    path: str,
    findings: Sequence[Finding],
    rules: Sequence[type[Rule]],
    *,
    known: Sequence[type[Rule]] | None = None,
    severities: Mapping[str, Severity | None] | None = None,
) -> list[Finding]:
    """The findings of one file that no comment suppresses, plus AL001/AL002 findings, sorted.

    ``rules`` are the rules that ran: AL001/AL002 are reported only when among them, and a
    comment naming a rule that did not run is not reported as unused. ``known`` (default:
    ``rules``) are every registered rule, the names a comment may use. ``severities`` are the
    configured ones (``Config.severities``), applied to AL001/AL002 findings.
    """
    known = rules if known is None else known
    enabled = {rule.code for rule in rules}
    slugs = {rule.code: rule.name for rule in known}

    def report(rule: type[Rule], span: Span, message: str) -> Finding:
        severity = (severities or {}).get(rule.code) or rule.severity
        return Finding(path, span, rule.code, rule.name, severity, message)

    directives: list[_Directive] = []
    extra: list[Finding] = []
    for line, match in _scan(doc_lines):
        span = Span(line, match.start() + 1, line, match.end() + 1)
        names = [name for name in _NAME_SEPARATOR.split(match.group(2)) if name]
        codes: dict[str, None] = {}
        for name in names:
            rule = lookup_rule(name, known)
            if rule is not None:
                codes[rule.code] = None
            elif UnknownRuleInComment.code in enabled:
                hint = did_you_mean(name, rule_names(known))
                message = f"Unknown rule {name!r} in suppression comment{hint}"
                extra.append(report(UnknownRuleInComment, span, message))
        directives.append(_Directive(match.group(1), line, span, tuple(codes) if names else None))

    last_line = max([len(doc_lines), *(f.span.line for f in findings)])
    suppressions = _Suppressions(directives, last_line)
    kept: list[Finding] = []
    for finding in findings:
        directive = suppressions.covering(finding)
        if directive is None:
            kept.append(finding)
        else:
            directive.used.add(finding.code)

    if UnusedSuppression.code in enabled:
        for d in directives:
            if d.kind == "enable":
                continue
            if d.codes is None:
                if not d.used:
                    extra.append(
                        report(UnusedSuppression, d.span, "Unused suppression of all rules")
                    )
                continue
            for code in d.codes:
                if code in d.used or code not in enabled:
                    continue
                message = f"Unused suppression of {code} ({slugs[code]})"
                if code in _UNSUPPRESSIBLE:
                    message += ": comments cannot suppress it; ignore it in the config instead"
                extra.append(report(UnusedSuppression, d.span, message))
    return sorted([*kept, *extra], key=Finding.sort_key)


def _scan(lines: Sequence[str]) -> list[tuple[int, re.Match[str]]]:
    """Every directive comment outside fenced code and code spans, with its line number.

    Code spans are blanked out (same length) first, so match columns are the line's columns.
    """
    found: list[tuple[int, re.Match[str]]] = []
    fence: str | None = None
    for number, line in enumerate(lines, 1):
        marker = _FENCE.fullmatch(line)
        if fence is not None:
            if marker and _closes(marker, fence):
                fence = None
            continue
        if marker and not (marker[1][0] == "`" and "`" in marker[2]):
            fence = marker[1]
            continue
        masked = _CODE_SPAN.sub(lambda span: " " * len(span[0]), line)
        found.extend((number, match) for match in _DIRECTIVE.finditer(masked))
    return found


def _closes(marker: re.Match[str], fence: str) -> bool:
    """Whether a fence-like line closes the block opened by ``fence``."""
    run, rest = marker[1], marker[2]
    return run[0] == fence[0] and len(run) >= len(fence) and not rest.strip()
