"""Linting one document: run rules into findings (the one place findings are made), apply the
inline suppressions, and fix text until no fix applies."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from awesome_lint.config import Config
from awesome_lint.findings import Finding
from awesome_lint.fixes import applicable, apply_fixes
from awesome_lint.model import SUPPRESSION_MARK, Document, SuppressionComment
from awesome_lint.parse import parse
from awesome_lint.rule import Phase, Rule
from awesome_lint.source import normalise_text


class RuleCrashError(Exception):
    """A rule raised: a bug in that rule, reported against the file instead of a traceback."""

    def __init__(self, code: str, error: Exception) -> None:
        super().__init__(f"rule {code} failed: {type(error).__name__}: {error}")
        self.code = code


def in_phase(rules: Sequence[type[Rule]], phase: Phase) -> list[type[Rule]]:
    """The rules of ``rules`` that run in ``phase``, in their order."""
    return [rule for rule in rules if rule.phase is phase]


def run_rules(doc: Document, rules: Sequence[type[Rule]], config: Config) -> list[Finding]:
    """The findings of ``rules`` on ``doc``, each with its final severity (the configured one,
    else the rule's default under the config's preset). Every finding of a run is made here."""
    findings: list[Finding] = []
    for rule_cls in rules:
        rule = rule_cls(config.rule_settings.get(rule_cls.code))
        severity = config.severities.get(rule.code) or rule.default_severity(config.preset)
        try:
            for v in rule.check(doc):
                findings.append(Finding(doc.path, v.span, rule.code, rule.name, severity,
                                        v.message, v.fix, v.url, v.verdict, v.related,
                                        v.details))
        except Exception as exc:
            raise RuleCrashError(rule_cls.code, exc) from exc
    return findings


def finish(doc: Document, findings: Sequence[Finding], rules: Sequence[type[Rule]],
           config: Config, known: Sequence[type[Rule]] | None = None, *,
           base: Document | None = None,
           suppressions: list[SuppressionComment] | None = None) -> list[Finding]:
    """Apply the inline suppressions to all of a file's findings, then run the rules that
    report on the comments themselves (AL001, AL002); sorted.

    The one place where suppressions are applied, to offline and link findings alike.
    ``known`` is every registered rule (default: ``rules``), so that a comment naming a rule
    left out by ``--select`` is not taken for a misspelling. ``base`` (``--diff``): the file at
    BASE, to tell what a changed comment newly hides (AL003).
    """
    if SUPPRESSION_MARK in doc.text:
        from awesome_lint.suppress import apply_suppressions

        kept, comments = apply_suppressions(doc, findings, rules, known=known, base=base)
    else:  # no comment: every finding is kept (and the module is not imported)
        kept, comments = list(findings), ()
    if suppressions is not None:  # the caller's record of the comments (JSON: their reasons)
        suppressions.extend(comments)
    last = run_rules(dataclasses.replace(doc, suppressions=comments),
                     in_phase(rules, Phase.SUPPRESSIONS), config)
    return sorted([*kept, *last], key=Finding.sort_key)


def lint_document(doc: Document, rules: Sequence[type[Rule]], config: Config,
                  known: Sequence[type[Rule]] | None = None, *,
                  base: Document | None = None) -> list[Finding]:
    """The offline findings of ``rules`` on ``doc``: suppressions applied, sorted (``base``:
    the file at BASE, as with ``--diff``)."""
    return finish(doc, run_rules(doc, in_phase(rules, Phase.DOCUMENT), config), rules, config,
                  known, base=base)


#: Passes of fix-and-relint before giving up on reaching a fixed point.
MAX_FIX_PASSES = 10


def fix_text(text: str, path: str, rules: Sequence[type[Rule]], config: Config, *,
             known: Sequence[type[Rule]] | None = None,
             unsafe: bool = False) -> tuple[str, int, list[Finding]]:
    """Fix ``text`` until no applicable fix remains (or :data:`MAX_FIX_PASSES`).

    Returns the new text, how many of the original findings the fixes resolved, and the
    findings of the new text (re-linted in memory). The text is read as :func:`parse` reads
    it: ``\\r\\n`` and ``\\r`` become ``\\n`` and a byte-order mark is dropped (the fixes' spans
    are positions in that text); the new text has ``\\n`` endings and no BOM.
    """
    text = normalise_text(text)
    findings = lint_document(parse(text, path), rules, config, known)
    fixable_before = sum(applicable(f.fix, unsafe=unsafe) for f in findings)
    for _ in range(MAX_FIX_PASSES):
        new_text, count = apply_fixes(text, findings, unsafe=unsafe)
        if count == 0 or new_text == text:
            break
        text = new_text
        findings = lint_document(parse(text, path), rules, config, known)
    fixable_after = sum(applicable(f.fix, unsafe=unsafe) for f in findings)
    return text, max(0, fixable_before - fixable_after), findings
