"""Reading a Markdown file: decoding, BOM and line endings, with one clear error per bad file."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import NamedTuple

from awesome_lint.repo import escaped_repository

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


class Source(NamedTuple):
    """A decoded file. ``text`` has ``\\n`` line endings; ``newline`` and ``bom`` say how to
    write it back (``newline`` is the first line ending found, ``\\n`` when there is none).
    ``raw`` is the file's bytes as read."""

    path: str
    text: str
    newline: str
    bom: bool
    raw: bytes = b""

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


def detect_newline(text: str) -> str:
    """The text's line ending (its first), which edits' new lines are written with."""
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
    return Source(path, normalise_newlines(text), detect_newline(text), bom, raw)


def _size(count: int) -> str:
    """A file size for a message: MB from 1 MB up, else bytes."""
    return f"{count / 1e6:.1f} MB" if count >= 1_000_000 else f"{count} bytes"


#: How a file is opened: never blocking (a FIFO named as a path must not hang the run), never
#: becoming the controlling terminal, binary on Windows.
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
_CHUNK = 1 << 20


class RefusedFileError(Exception):
    """Not a file we read: ``str()`` is the one-line reason."""


def read_capped(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``: opened without
    blocking, checked on the opened descriptor, capped while reading. Raises OSError (a
    directory as IsADirectoryError) or ``RefusedFileError``."""
    if path.is_dir():  # (before opening: Windows cannot open a directory)
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFileError("not a regular file (a device, FIFO or socket); not read")
        if info.st_size > max_bytes:
            raise RefusedFileError(f"file too large ({_size(info.st_size)}; the limit is "
                                   f"{_size(max_bytes)})")
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(_CHUNK, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                limit = _size(max_bytes)
                raise RefusedFileError(f"file too large (more than {limit}; the limit is {limit})")
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_bytes(path: Path, name: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of ``path``, a regular file of at most ``max_bytes``, or :class:`SourceError`.

    Inside a git repository only a file whose real path is inside that repository is read (a
    pull request may add ``README.md -> ../secrets.env`` or a ``docs -> /`` folder link). The
    file is opened without blocking, checked to be a regular file *on the opened descriptor*,
    and read with the cap applied while reading (:func:`read_capped`): ``/dev/zero``, a FIFO or
    a growing file cannot make us read without limit, and nothing is decided by a ``stat`` of
    the path before the read.
    """
    try:
        if escaped_repository(path) is not None:
            raise SourceError(name, "is a link to a file outside the repository; not read")
        return read_capped(path, max_bytes)
    except RefusedFileError as exc:
        raise SourceError(name, str(exc)) from None
    except IsADirectoryError:
        raise SourceError(name, "is a directory, not a Markdown file") from None
    except FileNotFoundError:
        raise SourceError(name, "no such file") from None
    except PermissionError:
        raise SourceError(name, "permission denied") from None
    except OSError as exc:
        raise SourceError(name, exc.strerror or str(exc)) from None


def read_source(path: Path, display: str | None = None, max_bytes: int = MAX_BYTES) -> Source:
    """Read (see :func:`read_bytes`) and decode ``path``; ``display`` is the name used in
    messages."""
    name = display if display is not None else str(path)
    return decode(name, read_bytes(path, name, max_bytes))
