"""AL410 misspelling: common misspellings (``recieve``) in descriptions and headings."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Applicability, Edit, Fix, Severity, Violation
from awesome_lint.model import Document, Span
from awesome_lint.rule import Option, Rule, Tier
from awesome_lint.spelling import misspellings

# A whole whitespace-separated token that is a word (or hyphenated words), give or take quotes,
# brackets, emphasis and punctuation around it: ``foo.bar``, ``C++``, ``v2``, ``@user``,
# ``snake_case`` and ``&nbsp;`` are not words and are left alone.
_TOKEN = re.compile(
    r"(?<!\S)[\"'(\[{*_~\u2018\u201c]*"
    r"([A-Za-z]+(?:['\u2019-][A-Za-z]+)*)"
    r"[\"')\]}*_~.,;:!?\u2019\u201d\u2026]*(?!\S)")
_PART = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
_HTML_TAG = re.compile(r"<[^<>\n]*>")
_NAME_WORD = re.compile(r"[A-Za-z]+")
#: Misspellings shorter than this are left alone: ``ue``, ``fo``, ``nd`` are more often
#: abbreviations, units or names than typos.
MIN_LENGTH = 4

_Word = tuple[int, int, str]  # line, 0-based column, the word (ASCII apostrophes)


def _regions(doc: Document) -> Iterator[tuple[int, int, int]]:
    """(line, start, end) of the text to check: entry descriptions and headings' text."""
    spans = [e.description_span for e in doc.iter_entries()]
    spans += [h.text_span for h in doc.headings]
    for span in spans:
        if span is None:
            continue
        for number in range(span.line, span.end_line + 1):
            start = span.column - 1 if number == span.line else 0
            end = span.end_column - 1 if number == span.end_line else len(doc.lines[number - 1])
            if start < end and not doc.is_code(number):
                yield number, start, end


def _masks(doc: Document) -> dict[int, list[tuple[int, int]]]:
    """Per line, the 0-based column ranges of links (text and URL alike) and inline code."""
    masks: dict[int, list[tuple[int, int]]] = {}
    for link in doc.links:
        s = link.span
        for number in range(s.line, s.end_line + 1):
            start = s.column - 1 if number == s.line else 0
            end = s.end_column - 1 if number == s.end_line else len(doc.lines[number - 1])
            masks.setdefault(number, []).append((start, end))
    for span in doc.code_spans:
        masks.setdefault(span.line, []).append((span.column - 1, span.end_column - 1))
    return masks


def _words(doc: Document, names: frozenset[str]) -> Iterator[_Word]:
    """The words of the checked text, without links, code, HTML tags, URLs, identifiers and
    ``names``."""
    masks = _masks(doc)
    for number, start, end in _regions(doc):
        line = doc.lines[number - 1]
        chars = list(line[start:end])
        for lo, hi in [*masks.get(number, ()), *(m.span() for m in _HTML_TAG.finditer(line))]:
            lo, hi = max(lo, start) - start, min(hi, end) - start
            if lo < hi:
                chars[lo:hi] = " " * (hi - lo)
        text = "".join(chars)
        for token in _TOKEN.finditer(text):
            for part in _PART.finditer(token.group(1)):
                word = part.group().replace("\u2019", "'")
                if len(word) < MIN_LENGTH or not word[1:].islower():
                    continue  # short, or AIMD, GitHub, iOS: an acronym, a name, an identifier
                if word.lower() in names:
                    continue
                yield number, start + token.start(1) + part.start(), word


def _message(typo: str, corrections: tuple[str, ...]) -> str:
    if not corrections:
        return f"'{typo}' is a common misspelling; correct it, or add it to ignore-words"
    alternatives = " or ".join(f"'{c}'" for c in corrections)
    return (f"'{typo}' is a common misspelling of {alternatives}; correct it, or add it to "
            "ignore-words if it is meant")


class Misspelling(Rule):
    """Descriptions and headings spell common words right."""

    code = "AL410"
    name = "misspelling"
    summary = "Descriptions and headings must not contain common misspellings (`recieve`)."
    severity = Severity.WARNING
    tier = Tier.AWESOME
    fixable = True
    options = (
        Option("ignore-words", [], "Words never reported, in any case (`[\"teh\"]`)."),
    )

    def check(self, doc: Document) -> Iterator[Violation]:
        # The names the list uses: the words of its links' text, but not of a table of contents'
        # (``[Libaries](#libaries)`` would hide the misspelt heading it points to).
        names = frozenset(w.lower() for link in doc.links if not link.url.startswith("#")
                          for w in _NAME_WORD.findall(link.text))
        words = list(_words(doc, names))
        found = misspellings(w for _, _, w in words)
        if not found:
            return
        ignored = {w.lower() for w in self.settings["ignore-words"]}
        for number, column, word in words:
            for typo in found.get(word, ()):
                if len(typo.typo) < MIN_LENGTH or typo.typo.lower() in ignored:
                    continue
                start = column + typo.start
                span = Span(number, start + 1, number, start + len(typo.typo) + 1)
                fix = None
                if len(typo.corrections) == 1:
                    edit = Edit(span, typo.corrections[0])
                    fix = Fix((edit,), Applicability.UNSAFE)
                yield Violation(span, _message(typo.typo, typo.corrections), fix)
