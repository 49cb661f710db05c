"""AL402 unbalanced-brackets: a bracket or quote without its pair in an entry's description."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document, Entry, Span
from awesome_lint.rules._prose import inline_code_ranges
from awesome_lint.rules.base import Rule

_PAIRS = {")": "(", "]": "[", "}": "{", "\u201d": "\u201c"}
_OPENERS = set(_PAIRS.values())
# ``:)``, ``:-(``, ``;)``, ``:D)``: smileys are not brackets.
_SMILEY = re.compile(r"[:;=8]['-]?$")
# ``a)``, ``1)``, ``iv)`` after a space or at the start: an enumeration, not a closing bracket.
_ENUMERATION = re.compile(r"(?:^|[\s(])(?:[A-Za-z]|\d{1,2}|[ivxIVX]{1,4})$")


def _characters(doc: Document, entry: Entry) -> list[tuple[int, int, str]]:
    """(line, 0-based column, character) of the description, without code spans and links."""
    span = entry.description_span
    if span is None:
        return []
    hidden: dict[int, list[tuple[int, int]]] = {}
    for link in entry.links:  # the link syntax (and its text) has brackets of its own
        u = link.span
        if u.line == u.end_line:
            hidden.setdefault(u.line, []).append((u.column - 1, u.end_column - 1))
    chars: list[tuple[int, int, str]] = []
    for number in range(span.line, span.end_line + 1):
        line = doc.lines[number - 1]
        start = span.column - 1 if number == span.line else 0
        end = span.end_column - 1 if number == span.end_line else len(line)
        ranges = inline_code_ranges(line) + hidden.get(number, [])
        for col in range(start, min(end, len(line))):
            if col and line[col - 1] == "\u20ac":
                continue  # the last character of mojibake such as 'â€”' (AL401 reports it)
            if not any(a <= col < b for a, b in ranges):
                chars.append((number, col, line[col]))
    return chars


class UnbalancedBrackets(Rule):
    code = "AL402"
    name = "unbalanced-brackets"
    summary = "Brackets and quotes in an entry's description must be balanced."
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Violation]:
        for entry in doc.iter_entries():
            problem = _first_unbalanced(_characters(doc, entry))
            if problem is not None:
                line, col, message = problem
                yield Violation(Span(line, col + 1, line, col + 2), message)


def _first_unbalanced(chars: list[tuple[int, int, str]]) -> tuple[int, int, str] | None:
    text = "".join(c for _, _, c in chars)
    stack: list[int] = []
    for i, (line, col, char) in enumerate(chars):
        if char in _OPENERS:
            if char == "(" and _SMILEY.search(text[:i]):
                continue
            stack.append(i)
        elif char in _PAIRS:
            if stack and text[stack[-1]] == _PAIRS[char]:
                stack.pop()
                continue
            if char == ")" and (_SMILEY.search(text[:i]) or _ENUMERATION.search(text[:i])):
                continue
            if any(text[j] == _PAIRS[char] for j in stack):
                stack = stack[-1:]  # closes an outer bracket: the inner one was left open
                break
            return (line, col, f"'{char}' has no matching '{_PAIRS[char]}'; add the "
                    "opening one or remove this one")
    if stack:
        i = stack[0]
        line, col, char = chars[i]
        closing = next(k for k, v in _PAIRS.items() if v == char)
        return (line, col, f"'{char}' is never closed; add '{closing}' or remove it")
    quotes = [i for i, c in enumerate(text) if c == '"' and not (i and text[i - 1].isdigit())]
    if len(quotes) % 2:
        line, col, _ = chars[quotes[-1]]
        return (line, col, "Odd number of '\"' quotes; add the missing quote or remove "
                "this one")
    return None
