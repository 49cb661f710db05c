"""Findings as LSP diagnostics: positions in the client's encoding, severity mapped, the rule's
code linked to its page, the other places involved as related information."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from awesome_lint.findings import Finding, Severity
from awesome_lint.lsp.linting import Linted
from awesome_lint.lsp.positions import Positions
from awesome_lint.model import Span
from awesome_lint.result import FileError
from awesome_lint.rule import Rule
from awesome_lint.rule_docs import page_url

SOURCE = "awesome-lint"

_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def lsp_range(positions: Positions, span: Span) -> types.Range:
    (line, character), (end_line, end_character) = positions.range(span)
    return types.Range(types.Position(line, character), types.Position(end_line, end_character))


class Diagnostics:
    """Makes the diagnostics of linted buffers, knowing the rules (for their pages)."""

    def __init__(self, rules: Sequence[type[Rule]]) -> None:
        self.pages: dict[str, str] = {}
        for rule in rules:
            url = page_url(rule)
            if url is not None:
                self.pages[rule.code] = url

    def of(self, linted: Linted, uri: str, encoding: str) -> list[types.Diagnostic]:
        """The diagnostics of ``linted`` (the buffer at ``uri``)."""
        positions = Positions(linted.buffer.text, encoding)
        found = [self.finding(f, uri, positions) for f in linted.findings]
        if linted.problem is not None:
            found.insert(0, problem(linted.problem, linted.buffer.name, positions))
        return found

    def finding(self, finding: Finding, uri: str, positions: Positions) -> types.Diagnostic:
        url = self.pages.get(finding.code)
        related = [types.DiagnosticRelatedInformation(
                       types.Location(uri, lsp_range(positions, r.span)), r.message)
                   for r in finding.related if r.path is None]
        return types.Diagnostic(
            range=lsp_range(positions, finding.span),
            message=finding.message,
            severity=_SEVERITIES[finding.severity],
            code=finding.code,
            code_description=types.CodeDescription(href=url) if url else None,
            source=SOURCE,
            related_information=related or None,
        )


def problem(error: FileError, name: str, positions: Positions) -> types.Diagnostic:
    """The one diagnostic saying why the buffer was not (fully) checked, at its line (else the
    first), naming the file at fault when it is another one (a config, a baseline)."""
    own = error.path == name
    line = max((error.line or 1) - 1, 0) if own else 0
    where = "" if own else f"{error.path}: "
    end = positions.to_client(line + 1, 1 << 30)
    return types.Diagnostic(
        range=types.Range(types.Position(line, 0), types.Position(*end)),
        message=f"{where}{error.message}",
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
    )
