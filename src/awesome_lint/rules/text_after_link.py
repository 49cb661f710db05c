"""AL207 text-after-link: stray text glued to the end of a link, ``[x](#x)d``."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Document, Link, LinkKind, Span
from awesome_lint.rule import Rule

# The word glued after a link: letters first (``[Python](url)3`` may be meant), then anything up
# to a space or a closing mark.
_WORD = re.compile(r"[^\W\d_][^\s()\[\]<>,;]*")
_TRAILING = ".,:;!?'\"\u2019*_~-"
# What may extend the link's last word: plurals, verb endings (``[Promise](url)s``).
_SUFFIXES = frozenset(("s", "es", "ed", "ing", "er", "ers", "ish", "ified"))
# Scripts written without spaces between words (CJK, kana, hangul, Thai...) start here.
_SPACED_SCRIPTS_END = 0x0590


class TextAfterLink(Rule):
    """A word run into the closing parenthesis of a link, or a backtick that opens no code span,
    is usually a leftover from an edit: ``[x](#x)d``, ``[Name](url)Name2``, ``[Name](url)```.
    Plural and verb endings (``[Promise](url)s``, ``[fork](url)ed``), ``'s``, punctuation,
    ``/`` between links and text in scripts written without spaces are fine."""

    code = "AL207"
    name = "text-after-link"
    summary = "Stray text is glued to the end of a link."
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Violation]:
        for link in doc.links:
            if link.kind not in (LinkKind.INLINE, LinkKind.REFERENCE):
                continue
            end = link.span
            line, pos = doc.lines[end.end_line - 1], end.end_column - 1
            if pos >= len(line) or doc.in_html(end.end_line):
                continue
            if line[pos] == "`":
                if not doc.is_code(end.end_line, end.end_column):
                    yield Violation(Span(end.end_line, end.end_column, end.end_line,
                                         end.end_column + 1),
                                    "Stray '`' after the link renders as a literal backtick; "
                                    "remove it")
                continue
            m = _WORD.match(line, pos)  # not a slice: a long line holds many links
            if m is None or ord(line[pos]) >= _SPACED_SCRIPTS_END:
                continue
            word = m.group().rstrip(_TRAILING)
            if _extends(link, word):
                continue
            shown = word if len(word) <= 24 else word[:23] + "\u2026"
            yield Violation(Span(end.end_line, end.end_column, end.end_line,
                                 end.end_column + len(word)),
                            f"'{shown}' is glued to the end of the link; put a space before "
                            "it, or remove it if it is left over from an edit")


def _extends(link: Link, word: str) -> bool:
    """Whether ``word`` is an ending of the link text's last word (``Promise`` + ``s``)."""
    text = link.text.rstrip()
    if not text[-1:].isalpha():
        return False
    return word in _SUFFIXES or (word == "d" and text.endswith("e"))
