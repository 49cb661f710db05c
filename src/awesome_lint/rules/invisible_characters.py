"""AL407 invisible-characters: zero-width and bidi control characters, and invisible URL bytes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from awesome_lint.findings import Edit, Fix, Violation
from awesome_lint.model import Document, Span
from awesome_lint.rule import Rule

# Never part of a URL: they break the link or make it point somewhere else than it shows.
_IN_URL = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\u00a0]")
# Bidirectional overrides and isolates (the "Trojan Source" trick): reported everywhere.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Zero-width characters in prose; joiners are fine between two non-ASCII characters (emoji
# sequences, Indic and Arabic scripts) and are checked separately.
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]|(?P<joiner>[\u200c\u200d])")
# Link destinations and bare URLs as written, for the ones the parser did not read as links
# (Python's regular expressions, and so mistune, take U+00A0 for whitespace and end the URL there).
_URL_TEXT = re.compile("\\]\\(([^)\x20\t]+)|https?://[^\x20\t<>)\\]]+")


def _name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


class InvisibleCharacters(Rule):
    code = "AL407"
    name = "invisible-characters"
    summary = "No invisible characters in URLs, nor zero-width or bidi control characters in text."
    fixable = True

    def check(self, doc: Document) -> Iterator[Violation]:
        code = doc.code_lines
        urls = [(s.line, s.column - 1, s.end_column - 1)
                for s in (link.url_span for link in doc.links) if s.line == s.end_line]
        for number, line in enumerate(doc.lines, 1):
            if number not in code and not line.isascii():
                urls.extend((number, m.start(), m.end()) for m in _URL_TEXT.finditer(line))
        in_urls: set[tuple[int, int]] = set()
        for number, start, end in sorted(urls):
            line = doc.lines[number - 1]
            for match in _IN_URL.finditer(line, start, end):
                col = match.start() + 1
                if (number, col) in in_urls:
                    continue
                in_urls.add((number, col))
                where = Span(number, col, number, col + 1)
                yield Violation(where, f"Invisible character {_name(match.group())} in a URL; "
                                "remove it", Fix((Edit(where, ""),)))
        for number, line in enumerate(doc.lines, 1):
            if line.isascii():
                continue
            bidi = _BIDI.search(line)
            if bidi is not None:  # once a line: an override usually comes with its U+202C
                col = bidi.start() + 1
                yield Violation(Span(number, col, number, col + 1),
                                f"Bidirectional control character {_name(bidi.group())}: it "
                                "can make text read differently from how it is stored; remove it")
            if number in code:
                continue
            for match in _ZERO_WIDTH.finditer(line):
                col = match.start() + 1
                if (number, col) in in_urls or (number == col == 1 and match.group() == "\ufeff"):
                    continue
                if match.group("joiner") and _joins_text(line, match.start()):
                    continue
                yield Violation(Span(number, col, number, col + 1),
                                f"Invisible character {_name(match.group())} in the text; "
                                "remove it")


def _joins_text(line: str, index: int) -> bool:
    """Whether a joiner sits between two non-ASCII, non-space characters (an emoji, a script)."""
    before = line[index - 1] if index else " "
    after = line[index + 1] if index + 1 < len(line) else " "
    return not before.isascii() and not after.isascii() and not before.isspace() \
        and not after.isspace()
