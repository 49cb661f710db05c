"""Inline suppression comments, applied to one file's findings after every rule has run.

::

    <!-- awesome-lint-disable AL101 -->            from this line on, up to an enable
    <!-- awesome-lint-enable AL101 -->             (whose own line is still covered)
    <!-- awesome-lint-disable-next-line AL301 -->  the next line only
    <!-- awesome-lint-disable-line AL301 -->       the comment's own line
    <!-- awesome-lint-disable-file AL301 -->       the whole file

A comment may sit anywhere on a line and name several rules, by code or slug, separated by commas
or spaces; naming none means every rule. A reason may follow ``--``:
``<!-- awesome-lint-disable-line AL301 -- cross-listed on purpose -->`` (it is reported in the
JSON output, never read as rule names). A comment must fit on one line, and comments inside code
blocks or code spans (as the parser reads them: ``Document.is_code``) are documentation, not
directives. A finding is suppressed when its first line is covered.

What each comment did (the rules it names that do not exist, the ones it suppressed nothing
of) is handed to AL001 and AL002 as ``Document.suppressions``: those rules run after this and
are never suppressed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from awesome_lint.config import did_you_mean, rule_names
from awesome_lint.findings import Finding
from awesome_lint.model import SUPPRESSION_MARK, Document, Span, SuppressionComment
from awesome_lint.rule import Rule

_DIRECTIVE = re.compile(
    r"<!--\s*awesome-lint-(disable-next-line|disable-line|disable-file|disable|enable)"
    r"(?=[\s,]|-->)(.*?)-->"
)
_NAME_SEPARATOR = re.compile(r"[\s,]+")
#: ``--`` as a word of its own: what follows is the comment's reason, not rule names.
_REASON = re.compile(r"(?:^|(?<=[\s,]))--(?:\s|$)")
#: A comment naming more unknown rules is reported for the first ones only, and only so many
#: names get a did-you-mean (a comment naming 300,000 rules took 33 s before).
MAX_UNKNOWN_NAMES = 10
MAX_HINTS = 100


@dataclass(eq=False)
class _Directive:
    """One comment. ``codes`` None means every rule; ``used`` collects the codes it suppressed."""

    kind: str
    line: int
    span: Span
    codes: tuple[str, ...] | None
    unknown: tuple[tuple[str, str], ...] = ()
    used: set[str] = field(default_factory=set)
    reason: str = ""
    hidden: list[tuple[str, Span]] = field(default_factory=list)

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

    def covering(self, code: str, line: int) -> _Directive | None:
        """The most specific directive covering ``code`` on ``line``, if any."""
        for d in self.by_line.get(line, ()):
            if d.covers(code):
                return d
        if 0 < line <= len(self.ranges):
            states = self.ranges[line - 1]
        else:  # past the last line: the state the file ends in
            states = self.ranges[-1][-1:] if self.ranges else ()
        for state in states:
            ranged = state.covering(code)
            if ranged is not None:
                return ranged
        return next((d for d in self.file_wide if d.covers(code)), None)


def _directives(doc: Document, known: Sequence[type[Rule]]) -> list[_Directive]:
    """Every suppression comment of ``doc``, its names read against the ``known`` rules."""
    by_name = {name: rule.code for rule in known for name in (rule.code, rule.name)}
    hints: dict[str, str] = {}  # a did-you-mean per distinct unknown name, at most MAX_HINTS
    directives: list[_Directive] = []
    for line, match in _scan(doc):
        span = Span(line, match.start() + 1, line, match.end() + 1)
        body, reason = _split_reason(match.group(2))
        names = [name for name in _NAME_SEPARATOR.split(body) if name]
        codes: dict[str, None] = {}
        unknown: dict[str, str] = {}
        for name in names:
            code = by_name.get(name)
            if code is not None:
                codes[code] = None
            elif name not in unknown and len(unknown) < MAX_UNKNOWN_NAMES:
                if name not in hints:
                    hints[name] = (did_you_mean(name, rule_names(known))
                                   if len(hints) < MAX_HINTS else "")
                unknown[name] = hints[name]
        directives.append(_Directive(match.group(1), line, span, tuple(codes) if names else None,
                                     tuple(unknown.items()), reason=reason))
    return directives


def apply_suppressions(
    doc: Document,
    findings: Sequence[Finding],
    rules: Sequence[type[Rule]],
    *,
    known: Sequence[type[Rule]] | None = None,
    base: Document | None = None,
) -> tuple[list[Finding], tuple[SuppressionComment, ...]]:
    """The findings of one file that no comment suppresses, and what each comment did.

    ``rules`` are the rules that ran: a comment naming a rule that did not run is not reported
    as unused. ``known`` (default: ``rules``) are every registered rule, the names a comment may
    use (a rule left out by ``--select`` is not a misspelling). ``base`` (``--diff``): the file
    as it was at BASE; each comment then also records what it hides that the comments at BASE
    did not hide at that place (:attr:`SuppressionComment.new`).
    """
    known = rules if known is None else known
    ran = {rule.code for rule in rules}
    slugs = {rule.code: rule.name for rule in known}
    directives = _directives(doc, known)
    last_line = max([len(doc.lines), *(f.span.line for f in findings)])
    suppressions = _Suppressions(directives, last_line)
    kept: list[Finding] = []
    for finding in findings:
        directive = suppressions.covering(finding.code, finding.span.line)
        if directive is None:
            kept.append(finding)
        else:
            directive.used.add(finding.code)
            directive.hidden.append((finding.code, finding.span))
    was_hidden = None if base is None else _hidden_at_base(doc, base, known)
    comments = tuple(
        SuppressionComment(
            d.kind, d.span, d.codes, d.unknown,
            tuple((code, slugs[code]) for code in d.codes or () if code in ran
                  and code not in d.used),
            bool(d.used),
            tuple(d.hidden),
            () if was_hidden is None else tuple(
                (code, span) for code, span in d.hidden if not was_hidden(code, span.line)),
        )
        for d in directives
    )
    comments = tuple(c._replace(reason=d.reason) if d.reason else c
                     for c, d in zip(comments, directives, strict=True))
    return kept, comments


def _hidden_at_base(doc: Document, base: Document,
                    known: Sequence[type[Rule]]) -> Callable[[str, int], bool]:
    """Whether the comments at BASE hid ``code`` at the place of line ``line`` of ``doc``: at
    the same line when it is unchanged; at every line it replaced; around an inserted line."""
    directives = _directives(base, known)
    then = _Suppressions(directives, max(len(base.lines), 1) + 1)
    places = _places(base.lines, doc.lines)

    def hidden(code: str, line: int) -> bool:
        lines = places.get(line, ())
        return bool(lines) and all(then.covering(code, at) is not None for at in lines)

    return hidden


def _places(old: Sequence[str], new: Sequence[str]) -> dict[int, tuple[int, ...]]:
    """For each 1-based line of ``new``, the lines of ``old`` at its place."""
    from difflib import SequenceMatcher  # only --diff needs it

    places: dict[int, tuple[int, ...]] = {}
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            if tag == "equal":
                places[j + 1] = (i1 + (j - j1) + 1,)
            elif i2 > i1:  # replaced lines
                places[j + 1] = tuple(range(i1 + 1, i2 + 1))
            else:  # inserted after old line i1: the lines around it
                places[j + 1] = tuple(n for n in (i1, i1 + 1) if 1 <= n <= len(old))
    return places


def _split_reason(body: str) -> tuple[str, str]:
    """A comment's text as (rule names, reason): the reason is what follows ``--``."""
    found = _REASON.search(body)
    if found is None:
        return body, ""
    return body[:found.start()], " ".join(body[found.end():].split())


def _scan(doc: Document) -> list[tuple[int, re.Match[str]]]:
    """Every directive comment outside code (blocks and spans, as the parser read them), with
    its line number. Code spans are blanked out (same length) first, so match columns are the
    line's columns."""
    found: list[tuple[int, re.Match[str]]] = []
    for number, line in enumerate(doc.lines, 1):
        if SUPPRESSION_MARK not in line or doc.is_code(number):
            continue
        for start, end in doc.inline_code_ranges(number):
            line = line[:start] + " " * (end - start) + line[end:]
        found.extend((number, match) for match in _DIRECTIVE.finditer(line))
    return found
