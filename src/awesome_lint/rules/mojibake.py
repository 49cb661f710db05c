"""AL401 mojibake: UTF-8 text that was once decoded as Windows-1252 (``â€”`` for ``—``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_lint.findings import Edit, Fix, Violation
from awesome_lint.model import Document, Span
from awesome_lint.rule import Rule

# A UTF-8 lead byte read as Windows-1252 (U+00C2-U+00F4) followed by a continuation byte read
# the same way: only lines with such a pair are handed to ftfy (imported lazily: it costs ~50 ms).
_CONTINUATION = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc" \
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_SUSPECT = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]")
_RUN = re.compile(r"[^\x00-\x7f]+")
# The single-byte encodings ftfy tries (its sloppy Windows ones map their undefined bytes to C1
# controls): a run can only be UTF-8 misread through one of them when, encoded back, it holds a
# UTF-8 sequence. ``Tomáš`` does not (``\xe1\x9a`` is a lead byte short of a continuation byte),
# so it never costs ftfy's import.
_ENCODINGS = ("latin-1", "cp1252", "cp1251", "cp1250", "cp1253", "cp1254", "cp1257",
              "iso-8859-2", "mac_roman", "cp437")
_UTF8 = re.compile(rb"[\xc0-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf7][\x80-\xbf]{3}")
_C1 = re.compile("[\x80-\x9f]")
# A lead byte whose continuation byte was dropped (0x81, 0x8d, 0x8f, 0x90, 0x9d are undefined in
# Windows-1252): ``Åukasz`` for ``Łukasz``. Only looked for in a file that has repairable mojibake.
_LOST = re.compile(r"(?<![^\W\d_])[\u00c3\u00c5](?=[a-z])")


def _candidate(run: str) -> bool:
    """Whether ``run`` may be mis-decoded UTF-8 at all: the cheap test before ftfy's."""
    return _C1.search(run) is not None or any(
        _UTF8.search(run.encode(encoding, "replace")) for encoding in _ENCODINGS)


def _repair(run: str) -> str | None:
    """The text ``run`` stood for before it was mis-decoded, if ftfy can tell."""
    if not _candidate(run):
        return None
    import ftfy  # lazily: only files with suspect characters pay for it

    fixed = ftfy.fix_encoding(run)
    return None if fixed == run else fixed


def _lossless(bad: str, good: str) -> bool:
    """Whether re-encoding the repair gives back exactly the mojibake (nothing was lost)."""
    import ftfy.bad_codecs  # noqa: F401 - registers sloppy-windows-1252

    try:
        return good.encode("utf-8").decode("sloppy-windows-1252") == bad
    except UnicodeError:
        return False


class Mojibake(Rule):
    code = "AL401"
    name = "mojibake"
    summary = "Text must not contain mojibake: UTF-8 read as Windows-1252, such as `â€”` for `—`."
    fixable = True

    def check(self, doc: Document) -> Iterator[Violation]:
        code = doc.code_lines
        # A URL is an address as written: a server may well serve the mis-decoded path (blogs
        # make slugs of mojibake titles), so mojibake in a URL is reported but not repaired.
        urls: dict[int, list[tuple[int, int]]] = {}
        for link in doc.links:
            s = link.url_span
            if s.line == s.end_line:
                urls.setdefault(s.line, []).append((s.column - 1, s.end_column - 1))
        found = False
        suspects: list[int] = []
        for number, line in enumerate(doc.lines, 1):
            if line.isascii() or number in code:
                continue
            if _LOST.search(line):
                suspects.append(number)
            if not _SUSPECT.search(line):
                continue
            edits: list[Edit] = []
            shown: list[str] = []
            spans: list[Span] = []
            lossy = False
            for match in _RUN.finditer(line):
                if doc.is_code(number, match.start() + 1) or not _SUSPECT.search(match.group()):
                    continue
                good = _repair(match.group())
                if good is None:
                    continue
                shown.append(f"'{match.group()}' for '{good}'")
                spans.append(Span(number, match.start() + 1, number, match.end() + 1))
                in_url = any(start < match.end() and match.start() < end
                             for start, end in urls.get(number, ()))
                if _lossless(match.group(), good) and not in_url:
                    edits.append(Edit(spans[-1], good))
                else:
                    lossy = True
            if not shown:
                continue
            found = True
            fix = Fix(tuple(edits)) if edits and not lossy else None
            yield Violation(spans[0], f"Mojibake {', '.join(shown)} (UTF-8 text read as "
                            "Windows-1252); replace it with the intended characters", fix)
        if found:
            yield from self._lost_bytes(doc, suspects)

    @staticmethod
    def _lost_bytes(doc: Document, numbers: list[int]) -> Iterator[Violation]:
        for number in numbers:
            line = doc.lines[number - 1]
            for match in _LOST.finditer(line):
                if doc.is_code(number, match.start() + 1):
                    continue
                col = match.start() + 1
                yield Violation(Span(number, col, number, col + 1),
                                f"'{match.group()}{line[match.end()]}' looks like mojibake that "
                                "lost a byte (a character such as 'Ł' read as Windows-1252); "
                                "retype the character")
