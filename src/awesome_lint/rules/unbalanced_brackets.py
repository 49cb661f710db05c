"""AL402 unbalanced-brackets: a bracket or quote without its pair in an entry's description."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document, Entry, Span
from awesome_lint.rule import Rule

_PAIRS = {")": "(", "]": "[", "}": "{", "\u201d": "\u201c"}
_OPENERS = set(_PAIRS.values())
# ``:)``, ``:-(``, ``;)``, ``:D)``: smileys are not brackets.
_SMILEY = re.compile(r"[:;=8]['-]?$")
# ``a)``, ``1)``, ``iv)`` after a space or at the start: an enumeration, not a closing bracket.
_ENUMERATION = re.compile(r"(?:^|[\s(])(?:[A-Za-z]|\d{1,2}|[ivxIVX]{1,4})$")


_MARKS = re.compile('[()\\[\\]{}\u201c\u201d"]')


def _masked(doc: Document, entry: Entry) -> tuple[str, list[tuple[int, int]]]:
    """The description's text with code spans and links blanked out (NUL characters, so that
    columns do not move), and where each of its lines starts: (offset in the text, line)."""
    span = entry.description_span
    if span is None:
        return "", []
    hidden: dict[int, list[tuple[int, int]]] = {}
    for link in entry.links:  # the link syntax (and its text) has brackets of its own
        u = link.span
        if u.line == u.end_line:
            hidden.setdefault(u.line, []).append((u.column - 1, u.end_column - 1))
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    offset = 0
    for number in range(span.line, span.end_line + 1):
        line = doc.lines[number - 1]
        start = span.column - 1 if number == span.line else 0
        end = min(span.end_column - 1 if number == span.end_line else len(line), len(line))
        text = "\0" * start + line[start:end]
        for a, b in [*doc.inline_code_ranges(number), *hidden.get(number, [])]:
            a, b = max(a, start), min(b, end)
            if a < b:
                text = text[:a] + "\0" * (b - a) + text[b:]
        # the last character of mojibake such as 'â€”' is not a quote (AL401 reports it)
        text = re.sub("(?<=\u20ac).", "\0", text)
        starts.append((offset, number))
        parts.append(text)
        offset += len(text) + 1
    return "\n".join(parts), starts


class UnbalancedBrackets(Rule):
    code = "AL402"
    name = "unbalanced-brackets"
    summary = "Brackets and quotes in an entry's description must be balanced."
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Violation]:
        for entry in doc.iter_entries():
            text, starts = _masked(doc, entry)
            if not _MARKS.search(text):
                continue
            problem = _first_unbalanced(text)
            if problem is not None:
                index, message = problem
                offset, line = next((o, n) for o, n in reversed(starts) if o <= index)
                col = index - offset + 1
                yield Violation(Span(line, col, line, col + 1), message)


def _first_unbalanced(text: str) -> tuple[int, str] | None:
    """Where the first unbalanced bracket or quote of ``text`` is, and what is wrong with it."""
    stack: list[int] = []
    quotes: list[int] = []
    for match in _MARKS.finditer(text):
        i, char = match.start(), match.group()
        before = text[max(0, i - 6):i]  # enough for a smiley or an enumeration
        if char == '"':
            if not (i and text[i - 1].isdigit()):  # 27" is an inch mark
                quotes.append(i)
        elif char in _OPENERS:
            if not (char == "(" and _SMILEY.search(before)):
                stack.append(i)
        elif stack and text[stack[-1]] == _PAIRS[char]:
            stack.pop()
        elif char == ")" and (_SMILEY.search(before) or _ENUMERATION.search(before)):
            continue
        elif any(text[j] == _PAIRS[char] for j in stack):
            stack = stack[-1:]  # closes an outer bracket: the inner one was left open
            break
        else:
            return i, (f"'{char}' has no matching '{_PAIRS[char]}'; add the opening one or "
                       "remove this one")
    if stack:
        char = text[stack[0]]
        closing = next(k for k, v in _PAIRS.items() if v == char)
        return stack[0], f"'{char}' is never closed; add '{closing}' or remove it"
    if len(quotes) % 2:
        return quotes[-1], "Odd number of '\"' quotes; add the missing quote or remove this one"
    return None
