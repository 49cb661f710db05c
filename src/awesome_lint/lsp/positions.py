"""Positions between the linter (1-based lines, columns in code points, as in SARIF) and LSP
(0-based lines, columns in the negotiated encoding's code units: UTF-16 unless the client
offers UTF-8 or UTF-32).

LSP ends lines at ``\\n``, ``\\r\\n`` and ``\\r``, as the parser does (``normalise_newlines``),
so line numbers agree; a leading byte-order mark, which the parser drops, shifts the first
line's columns by one character.
"""

from __future__ import annotations

import re

from awesome_lint.model import Span

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"

_LINE_END = re.compile(r"\r\n|\r|\n")
_BOM = "\ufeff"


class Positions:
    """Converts positions for one text of the client's, in ``encoding``."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.lines = _LINE_END.split(text)
        self.encoding = encoding if encoding in (UTF8, UTF32) else UTF16
        self.bom = 1 if text.startswith(_BOM) else 0

    def _line(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def _units(self, chars: str) -> int:
        if chars.isascii() or self.encoding == UTF32:
            return len(chars)
        if self.encoding == UTF8:
            return len(chars.encode("utf-8", "surrogatepass"))
        return len(chars.encode("utf-16-le", "surrogatepass")) // 2

    def to_client(self, line: int, column: int) -> tuple[int, int]:
        """(line, character) for the client of our 1-based ``line`` and ``column``."""
        index = max(line - 1, 0)
        text = self._line(index)
        shift = self.bom if index == 0 else 0
        return index, self._units(text[:max(column - 1, 0) + shift])

    def range(self, span: Span) -> tuple[tuple[int, int], tuple[int, int]]:
        """The client's (start, end) of ``span``."""
        return self.to_client(span.line, span.column), self.to_client(span.end_line,
                                                                       span.end_column)

    def from_client(self, line: int, character: int) -> tuple[int, int]:
        """Our 1-based (line, column) of the client's ``line`` and ``character``."""
        text = self._line(line)
        shift = self.bom if line == 0 else 0
        if text.isascii() or self.encoding == UTF32:
            column = min(character, len(text))
        else:
            column = units = 0
            for char in text:
                if units >= character:
                    break
                units += self._units(char)
                column += 1
        return line + 1, max(column - shift, 0) + 1

    def end(self) -> tuple[int, int]:
        """The client's position of the end of the text."""
        return len(self.lines) - 1, self._units(self.lines[-1])
