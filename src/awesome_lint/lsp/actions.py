"""Code actions: each finding's fix as a quick fix (safe ones preferred, unsafe ones labelled),
"disable for this line" (the end-of-line comment form), and "fix all safe" for the file
(``source.fixAll.awesome-lint``: what ``awesome-lint --fix`` would write)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from lsprotocol import types

from awesome_lint.budget import Budget
from awesome_lint.config import resolve_rules
from awesome_lint.engine import fix_text
from awesome_lint.findings import Applicability, Edit, Finding
from awesome_lint.lsp.linting import Linted, buffer_config
from awesome_lint.lsp.positions import Positions
from awesome_lint.model import Span
from awesome_lint.rule import Rule
from awesome_lint.session import FILE_ERRORS
from awesome_lint.source import detect_newline, normalise_text

FIX_ALL = "source.fixAll.awesome-lint"
#: What the server offers; the client asks for some of them (``CodeActionContext.only``).
KINDS = (types.CodeActionKind.QuickFix, FIX_ALL)

ToDiagnostic = Callable[[Finding], types.Diagnostic]


def code_actions(linted: Linted, uri: str, encoding: str, request: types.Range,
                 only: Sequence[str] | None, diagnostic: ToDiagnostic,
                 unsuppressible: Collection[str], rules: Sequence[type[Rule]]
                 ) -> list[types.CodeAction]:
    """The actions for the ``request`` range of the buffer ``linted`` (at ``uri``)."""
    positions = Positions(linted.buffer.text, encoding)
    actions: list[types.CodeAction] = []
    if _wanted(types.CodeActionKind.QuickFix, only):
        start = positions.from_client(request.start.line, request.start.character)
        end = positions.from_client(request.end.line, request.end.character)
        for finding in linted.findings:
            span = finding.span
            if (span.line, span.column) <= end and start <= (span.end_line, span.end_column):
                actions.extend(_quick_fixes(finding, linted, uri, positions, diagnostic,
                                            unsuppressible))
    if _wanted(FIX_ALL, only):
        action = fix_all(linted, uri, positions, rules)
        if action is not None:
            actions.append(action)
    return actions


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether the client asks for ``kind``: ``only`` lists kinds or their parents."""
    return only is None or any(kind == o or kind.startswith(o + ".") for o in only)


def _quick_fixes(finding: Finding, linted: Linted, uri: str, positions: Positions,
                 diagnostic: ToDiagnostic, unsuppressible: Collection[str]
                 ) -> list[types.CodeAction]:
    found: list[types.CodeAction] = []
    fix = finding.fix
    newline = detect_newline(linted.buffer.text)
    if fix is not None:
        safe = fix.applicability is Applicability.SAFE
        label = "" if safe else " (unsafe: check the result)"
        found.append(types.CodeAction(
            title=f"Fix {finding.code} {finding.name}{label}",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic(finding)],
            is_preferred=safe,
            edit=_workspace_edit(linted, uri, [_text_edit(positions, e, newline)
                                               for e in fix.edits]),
        ))
    if finding.code not in unsuppressible:
        edit = disable_edit(finding.code, finding.span.line, normalise_text(linted.buffer.text))
        if edit is not None:
            found.append(types.CodeAction(
                title=f"Disable {finding.code} {finding.name} for this line",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic(finding)],
                edit=_workspace_edit(linted, uri, [_text_edit(positions, edit, newline)]),
            ))
    return found


def disable_edit(code: str, line: int, text: str) -> Edit | None:
    """The edit that suppresses ``code`` on ``line`` (1-based) of ``text`` (``\\n`` endings):
    ``<!-- awesome-lint-disable-line CODE -->`` after the line's content (before trailing
    spaces, which may be a hard line break). A blank line gets a ``disable-next-line`` comment at
    the end of the line above instead: a comment alone on a line is an HTML block, which would
    end the list around it. None when there is no such place."""
    lines = text.split("\n")
    kind = "disable-line"
    current = lines[line - 1] if 0 < line <= len(lines) else ""
    if not current.strip():
        kind, line = "disable-next-line", line - 1
        if not 0 < line <= len(lines) or not lines[line - 1].strip():
            return None
    column = len(lines[line - 1].rstrip()) + 1
    return Edit(Span(line, column, line, column), f" <!-- awesome-lint-{kind} {code} -->")


def fix_all(linted: Linted, uri: str, positions: Positions,
            rules: Sequence[type[Rule]]) -> types.CodeAction | None:
    """The file with every safe fix applied (as ``--fix``), as one edit; None when nothing
    changes or the text cannot be fixed."""
    buffer = linted.buffer
    try:
        config = buffer_config(buffer, rules)
        enabled = resolve_rules(config, rules)
        with Budget(len(buffer.text.encode("utf-8", "surrogatepass")), what="fix"):
            fixed, count, _ = fix_text(buffer.text, buffer.name, enabled, config, known=rules)
    except FILE_ERRORS:
        return None
    before = normalise_text(buffer.text)
    if fixed == before:
        return None
    edit = _smallest_edit(before, fixed)
    return types.CodeAction(
        title=f"Fix all safe awesome-lint findings ({count})",
        kind=FIX_ALL,
        edit=_workspace_edit(linted, uri, [_text_edit(positions, edit,
                                                      detect_newline(buffer.text))]),
    )


def _smallest_edit(before: str, after: str) -> Edit:
    """One edit turning ``before`` into ``after``: what lies between their common prefix and
    common suffix (the cursor and the rest of the buffer stay where they are)."""
    size = min(len(before), len(after))
    start = 0
    while start < size and before[start] == after[start]:
        start += 1
    end = 0
    while end < size - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return Edit(Span(*_line_column(before, start), *_line_column(before, len(before) - end)),
                after[start:len(after) - end])


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _text_edit(positions: Positions, edit: Edit, newline: str) -> types.TextEdit:
    (line, character), (end_line, end_character) = positions.range(edit.span)
    text = edit.text.replace("\n", newline) if newline != "\n" else edit.text
    return types.TextEdit(types.Range(types.Position(line, character),
                                      types.Position(end_line, end_character)), text)


def _workspace_edit(linted: Linted, uri: str, edits: list[types.TextEdit]
                    ) -> types.WorkspaceEdit:
    """Edits of the buffer at the version they were computed for (a client refuses them once
    the text has changed)."""
    document = types.OptionalVersionedTextDocumentIdentifier(uri, linted.buffer.version)
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(document, edits)])
