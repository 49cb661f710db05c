"""AL402 unbalanced-brackets: a bracket or quote without its pair in an entry's description."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document, Entry, Span
from awesome_lint.rule import Rule

#: Each closing mark and the opening marks it closes: a fullwidth closer (U+FF09) closes ``(``
#: as well as its fullwidth opener (U+FF08): Chinese text often mixes them.
_PAIRS = {")": "(\uff08", "\uff09": "(\uff08", "]": "[", "}": "{", "\u201d": "\u201c"}
_OPENERS = set("".join(_PAIRS.values()))
# ``:)``, ``:-(``, ``;)``, ``=)``: an emoticon's mouth is not a bracket (unless it is the only
# candidate to close one: ``(great :)``).
_SMILEY = re.compile(r"[:;=]['-]?$")
# ``a)``, ``1)``, ``iv)`` after a space or at the start: an enumeration, not a closing bracket.
_ENUMERATION = re.compile(r"(?:^|[\s(])(?:[A-Za-z]|\d{1,2}|[ivxIVX]{1,4})$")
# An inline HTML tag: its attributes' quotes and brackets are markup, not prose.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")

_MARKS = re.compile('[()\\[\\]{}\uff08\uff09\u201c\u201d"]')


def _masked(doc: Document, entry: Entry) -> tuple[str, list[tuple[int, int]]]:
    """The description's text with code spans, links and HTML tags blanked out (NUL characters,
    so that columns do not move), and where each of its lines starts: (offset in the text,
    line)."""
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
        text = _TAG.sub(lambda m: "\0" * len(m.group()), "\0" * start + line[start:end])
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


def _has_marks(doc: Document, entry: Entry) -> bool:
    """Whether the lines of the description, as written, hold any bracket or quote."""
    span = entry.description_span
    if span is None:
        return False
    if span.line == span.end_line:  # the usual entry
        return _MARKS.search(doc.lines[span.line - 1], span.column - 1,
                             span.end_column - 1) is not None
    return any(_MARKS.search(doc.lines[n - 1]) for n in range(span.line, span.end_line + 1))


class UnbalancedBrackets(Rule):
    code = "AL402"
    name = "unbalanced-brackets"
    summary = "Brackets and quotes in an entry's description must be balanced."
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Violation]:
        for entry in doc.iter_entries():
            if not _has_marks(doc, entry):
                continue  # (masking only blanks characters out: it adds no mark)
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
    frowns: list[int] = []  # the '(' of ':(': may open a bracket after all
    smiles: list[int] = []  # the ')' of ':)': may close one after all
    for match in _MARKS.finditer(text):
        i, char = match.start(), match.group()
        before = text[max(0, i - 6):i]  # enough for a smiley or an enumeration
        if char == '"':
            if not (i and text[i - 1].isdigit()):  # 27" is an inch mark
                quotes.append(i)
        elif char in _OPENERS:
            (frowns if char == "(" and _SMILEY.search(before) else stack).append(i)
        elif char == ")" and _SMILEY.search(before):
            smiles.append(i)
        elif stack and text[stack[-1]] in _PAIRS[char]:
            stack.pop()
        elif char == ")" and _ENUMERATION.search(before):
            continue
        elif char in ")\uff09" and frowns:
            frowns.pop()
        elif any(text[j] in _PAIRS[char] for j in stack):
            stack = stack[-1:]  # closes an outer bracket: the inner one was left open
            break
        else:
            return i, (f"'{char}' has no matching '{_PAIRS[char][0]}'; add the opening one or "
                       "remove this one")
    while stack and smiles and text[stack[-1]] == "(" and smiles[-1] > stack[-1]:
        stack.pop()  # "(great :)": the smiley closes the bracket too
        smiles.pop()
    if stack:
        char = text[stack[0]]
        closing = next(k for k, v in _PAIRS.items() if char in v)
        return stack[0], f"'{char}' is never closed; add '{closing}' or remove it"
    if len(quotes) % 2:
        return quotes[-1], "Odd number of '\"' quotes; add the missing quote or remove this one"
    return None
