"""Reading a Markdown file: decoding, BOM and line endings, with one clear error per bad file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Files larger than this are refused rather than parsed (awesome-go's README is 0.4 MB).
MAX_BYTES = 10_000_000  # (decimal, as messages print it: "the limit is 10.0 MB")

_BOM = b"\xef\xbb\xbf"
# Control characters that never appear in text files; NUL is the classic binary marker.
_BINARY_BYTES = frozenset(b"\x00\x01\x02\x03\x04\x05\x06\x07\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
                          b"\x17\x18\x19\x1a\x1b")


class SourceError(Exception):
    """A file that cannot be linted. ``str()`` is one line; ``line`` is set when known."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class Source:
    """A decoded file. ``text`` has ``\\n`` line endings; ``newline`` and ``bom`` say how to
    write it back (``newline`` is the first line ending found, ``\\n`` when there is none).
    ``raw`` is the file's bytes as read."""

    path: str
    text: str
    newline: str
    bom: bool
    raw: bytes = field(default=b"", repr=False)

    def encode(self, text: str) -> bytes:
        """``text`` (with ``\\n`` endings) as the bytes this file would have on disk."""
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        data = text.encode("utf-8")
        return _BOM + data if self.bom else data


def normalise_newlines(text: str) -> str:
    """Line endings exactly as mistune normalises them: ``\\r\\n``, then ``\\r``, to ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalise_text(text: str) -> str:
    """``text`` as the parser reads it: :func:`normalise_newlines`, and a leading byte-order mark
    dropped (it is not text). :func:`awesome_lint.parse.parse` and the fixer read their input
    through it, so that spans mean the same text; :func:`decode` drops the BOM's bytes itself."""
    if "\r" in text:
        text = normalise_newlines(text)
    return text.removeprefix("\ufeff")


def _detect_newline(text: str) -> str:
    for i, ch in enumerate(text):
        if ch == "\n":
            return "\n"
        if ch == "\r":
            return "\r\n" if text.startswith("\n", i + 1) else "\r"
    return "\n"


def _line_count(before: str) -> int:
    """The 1-based line of the character just after ``before``, whatever its line endings."""
    return normalise_newlines(before).count("\n") + 1


def decode(path: str, data: bytes) -> Source:
    """Decode ``data`` read from ``path`` or raise :class:`SourceError`."""
    raw = data
    bom = data.startswith(_BOM)
    if bom:
        data = data[len(_BOM):]
    head = data[:8192]
    if any(b in _BINARY_BYTES for b in head) or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(path, "binary file (not UTF-8 Markdown)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_count(data[:exc.start].decode("utf-8"))
        offset = exc.start + (len(_BOM) if bom else 0)  # in the file, BOM included
        raise SourceError(
            path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {offset})", line
        ) from None
    if "\x00" in text:
        line = _line_count(text[:text.index("\x00")])
        raise SourceError(path, "binary file (NUL byte)", line)
    return Source(path, normalise_newlines(text), _detect_newline(text), bom, raw)


def _size(count: int) -> str:
    """A file size for a message: MB from 1 MB up, else bytes."""
    return f"{count / 1e6:.1f} MB" if count >= 1_000_000 else f"{count} bytes"


def read_source(path: Path, display: str | None = None, max_bytes: int = MAX_BYTES) -> Source:
    """Read and decode ``path``; ``display`` is the name used in messages."""
    name = display if display is not None else str(path)
    try:
        if path.is_dir():
            raise SourceError(name, "is a directory, not a Markdown file")
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(
                name, f"file too large ({_size(size)}; the limit is {_size(max_bytes)})"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(name, "no such file") from None
    except PermissionError:
        raise SourceError(name, "permission denied") from None
    except OSError as exc:
        raise SourceError(name, exc.strerror or str(exc)) from None
    return decode(name, data)
