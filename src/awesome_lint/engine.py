"""Linting one document: run the enabled rules, attribute their violations, apply suppressions."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from awesome_lint.config import Config
from awesome_lint.findings import Finding
from awesome_lint.fixes import applicable, apply_fixes
from awesome_lint.model import Document
from awesome_lint.parse import parse
from awesome_lint.rule import Rule
from awesome_lint.suppress import apply_suppressions


class RuleCrashError(Exception):
    """A rule raised: a bug in that rule, reported against the file instead of a traceback."""

    def __init__(self, code: str, error: Exception) -> None:
        super().__init__(f"rule {code} failed: {type(error).__name__}: {error}")
        self.code = code


def run_rules(doc: Document, rules: Sequence[type[Rule]], config: Config) -> list[Finding]:
    """The raw findings of ``rules`` on ``doc``, before suppressions and configured severities."""
    findings: list[Finding] = []
    for rule_cls in rules:
        rule = rule_cls(config.rule_settings.get(rule_cls.code))
        try:
            for v in rule.check(doc):
                findings.append(Finding(doc.path, v.span, rule.code, rule.name, rule.severity,
                                        v.message, v.fix))
        except Exception as exc:
            raise RuleCrashError(rule_cls.code, exc) from exc
    return findings


def finish(doc: Document, findings: Sequence[Finding], rules: Sequence[type[Rule]],
           config: Config, known: Sequence[type[Rule]] | None = None) -> list[Finding]:
    """Apply suppressions and configured severities to all of a file's findings, sorted.

    The one place where suppressions are applied, to offline and link findings alike.
    ``known`` is every registered rule (default: ``rules``), so that a comment naming a rule
    left out by ``--select`` is not taken for a misspelling.
    """
    kept = apply_suppressions(doc.lines, doc.path, findings, rules, known=known,
                              severities=config.severities)
    configured = config.severities
    kept = [
        dataclasses.replace(f, severity=sev)
        if f.code in configured and (sev := configured[f.code]) is not None else f
        for f in kept
    ]
    return sorted(kept, key=Finding.sort_key)


def lint_document(doc: Document, rules: Sequence[type[Rule]], config: Config,
                  known: Sequence[type[Rule]] | None = None) -> list[Finding]:
    """Findings of ``rules`` on ``doc`` with configured severities, suppressions applied, sorted."""
    return finish(doc, run_rules(doc, rules, config), rules, config, known)


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
    if "\r" in text or text.startswith("\ufeff"):
        text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
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
