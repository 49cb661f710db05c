"""Reading files: decoding, BOM, line endings, and one clear SourceError per unreadable file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import awesome_lint.source as source_module
from awesome_lint.source import Source, SourceError, decode, read_source

BOM = b"\xef\xbb\xbf"


def _error(data: bytes, path: str = "list.md") -> SourceError:
    with pytest.raises(SourceError) as info:
        decode(path, data)
    return info.value


def _one_line(exc: SourceError) -> None:
    assert str(exc) == exc.message
    assert "\n" not in str(exc)
    assert str(exc).strip() == str(exc) != ""


# --- decode ---------------------------------------------------------------------------------


def test_plain_utf8_with_lf() -> None:
    data = "# Title\n\n- [Café](https://example.com)\n".encode()
    source = decode("list.md", data)
    assert source == Source("list.md", "# Title\n\n- [Café](https://example.com)\n", "\n",
                            False, data)
    assert source.encode(source.text) == data


def test_utf8_bom_is_accepted_and_remembered() -> None:
    data = BOM + b"# Title\n- a\n"
    source = decode("list.md", data)
    assert source.bom is True
    assert source.text == "# Title\n- a\n"  # no U+FEFF in the text
    assert source.newline == "\n"
    assert source.raw == data
    assert source.encode(source.text) == data
    assert source.encode("# New\n") == BOM + b"# New\n"


def test_no_bom_is_not_added() -> None:
    source = decode("list.md", b"x\n")
    assert source.bom is False
    assert source.encode("y\n") == b"y\n"


def test_crlf_is_normalised_and_restored() -> None:
    data = b"# Title\r\n\r\n1. a\r\n2. b\r\n"
    source = decode("list.md", data)
    assert source.text == "# Title\n\n1. a\n2. b\n"
    assert source.newline == "\r\n"
    assert source.bom is False
    assert source.encode(source.text) == data
    assert source.encode("x\ny\n") == b"x\r\ny\r\n"


def test_cr_only_is_normalised_and_restored() -> None:
    data = b"# Title\r\r- a\r- b\r"
    source = decode("list.md", data)
    assert source.text == "# Title\n\n- a\n- b\n"
    assert source.newline == "\r"
    assert source.encode(source.text) == data


def test_bom_and_crlf_together_round_trip() -> None:
    data = BOM + "# Tïtle\r\n- ü\r\n".encode()
    source = decode("list.md", data)
    assert (source.text, source.newline, source.bom) == ("# Tïtle\n- ü\n", "\r\n", True)
    assert source.encode(source.text) == data


def test_no_trailing_newline_round_trips() -> None:
    data = b"a\r\nb"
    source = decode("list.md", data)
    assert source.text == "a\nb"
    assert source.encode(source.text) == data


def test_file_without_line_break_defaults_to_lf() -> None:
    source = decode("list.md", b"just one line")
    assert (source.text, source.newline) == ("just one line", "\n")


def test_mixed_line_endings_keep_the_first_one() -> None:
    data = b"a\r\nb\nc\rd\r\n"
    source = decode("list.md", data)
    assert source.text == "a\nb\nc\nd\n"
    assert source.newline == "\r\n"  # the first line ending found
    assert source.raw == data  # the original bytes are still at hand
    # Writing back uses one style throughout.
    assert source.encode(source.text) == b"a\r\nb\r\nc\r\nd\r\n"


def test_mixed_starting_with_lf() -> None:
    source = decode("list.md", b"a\nb\r\nc\r")
    assert (source.text, source.newline) == ("a\nb\nc\n", "\n")
    assert source.encode(source.text) == b"a\nb\nc\n"


def test_cr_at_end_of_data_is_cr_style() -> None:
    source = decode("list.md", b"a\r")
    assert (source.text, source.newline) == ("a\n", "\r")


@pytest.mark.parametrize(
    "data",
    [
        b"# Title\n\x00\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"GIF89a\x01\x00\x01\x00",
        b"PK\x03\x04\x14\x00",
        b"\x7fELF\x02\x01\x01",
        BOM + b"\x00",
    ],
    ids=["nul", "png", "gif", "zip", "elf", "bom-then-nul"],
)
def test_binary_is_refused(data: bytes) -> None:
    exc = _error(data)
    assert exc.path == "list.md"
    assert exc.message == "binary file (not UTF-8 Markdown)"
    _one_line(exc)


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"], ids=["utf-16-le", "utf-16-be"])
def test_utf16_is_a_binary_error(bom: bytes) -> None:
    encoding = "utf-16-le" if bom == b"\xff\xfe" else "utf-16-be"
    exc = _error(bom + "# Title\n".encode(encoding))
    assert exc.message.startswith("binary file")
    _one_line(exc)


def test_utf16_without_nul_in_head_still_binary() -> None:
    # A UTF-16 BOM followed by bytes that contain no control characters.
    exc = _error(b"\xff\xfe\xe4\xe5\xe6")
    assert exc.message.startswith("binary file")


def test_invalid_utf8_names_line_and_byte() -> None:
    exc = _error(b"# Title\n\n- ok\n- bad \xff here\n- after\n")
    assert exc.line == 4
    assert exc.message == "not valid UTF-8 (byte 0xff at offset 20)"
    assert exc.path == "list.md"
    _one_line(exc)


def test_invalid_utf8_on_first_line() -> None:
    exc = _error(b"\xc3(abc\n")
    assert exc.line == 1
    assert exc.message == "not valid UTF-8 (byte 0xc3 at offset 0)"


def test_truncated_utf8_sequence_at_end() -> None:
    exc = _error(b"a\nb\n\xe2\x82")  # an unfinished euro sign
    assert exc.line == 3
    assert exc.message == "not valid UTF-8 (byte 0xe2 at offset 4)"


def test_latin1_file_is_invalid_utf8() -> None:
    exc = _error("# Ünïcode\n".encode("latin-1"))
    assert exc.line == 1
    assert exc.message == "not valid UTF-8 (byte 0xdc at offset 2)"


def test_invalid_utf8_offset_counts_the_bom() -> None:
    # The offset is a position in the file, so the three BOM bytes count.
    exc = _error(BOM + b"ab\xff")
    assert exc.line == 1
    assert exc.message == "not valid UTF-8 (byte 0xff at offset 5)"


def test_invalid_utf8_line_counts_cr_only_files() -> None:
    # Line numbers in a CR-only file count CRs (counting LFs only would say line 1).
    exc = _error(b"a\rb\rc\r\xff")
    assert exc.line == 4


# --- read_source ----------------------------------------------------------------------------


def test_read_source_reads_and_decodes(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(BOM + b"# T\r\n- a\r\n")
    source = read_source(path)
    assert (source.path, source.text, source.newline, source.bom) == (
        str(path), "# T\n- a\n", "\r\n", True)
    assert read_source(path, "shown.md").path == "shown.md"


def _read_error(path: Path, **kwargs: int) -> SourceError:
    with pytest.raises(SourceError) as info:
        read_source(path, "shown.md", **kwargs)
    exc = info.value
    assert exc.path == "shown.md"
    _one_line(exc)
    return exc


def test_missing_file(tmp_path: Path) -> None:
    exc = _read_error(tmp_path / "nope.md")
    assert exc.message == "no such file"
    assert exc.line is None


def test_missing_parent_directory(tmp_path: Path) -> None:
    assert _read_error(tmp_path / "no" / "such" / "dir.md").message == "no such file"


def test_directory(tmp_path: Path) -> None:
    assert _read_error(tmp_path).message == "is a directory, not a Markdown file"


def test_file_over_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"x" * 100)
    exc = _read_error(path, max_bytes=10)
    assert exc.message == "file too large (100 bytes; the limit is 10 bytes)"
    assert read_source(path, max_bytes=100).text == "x" * 100  # the limit itself is fine


def test_file_over_default_limit_in_mb(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"x" * 2_500_000)
    exc = _read_error(path, max_bytes=2_000_000)
    assert exc.message == "file too large (2.5 MB; the limit is 2.0 MB)"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root (or Windows) can read a mode-000 file")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.md"
    path.write_text("# T\n")
    path.chmod(0)
    try:
        assert _read_error(path).message == "permission denied"
    finally:
        path.chmod(0o644)


def test_permission_denied_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same path as above, reachable even when the tests run as root."""
    path = tmp_path / "secret.md"
    path.write_text("# T\n")

    def refuse(fd: int, size: int) -> bytes:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(source_module.os, "read", refuse)
    assert _read_error(path).message == "permission denied"


def test_other_os_error_uses_strerror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "flaky.md"
    path.write_text("# T\n")

    def fail(fd: int, size: int) -> bytes:
        raise OSError(5, "Input/output error", str(path))

    monkeypatch.setattr(source_module.os, "read", fail)
    assert _read_error(path).message == "Input/output error"


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlink_loop(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.symlink_to(b)
    b.symlink_to(a)
    exc = _read_error(a)
    if sys.platform.startswith("linux"):
        assert exc.message == "Too many levels of symbolic links"
    assert exc.line is None


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_dangling_symlink_is_missing(tmp_path: Path) -> None:
    link = tmp_path / "README.md"
    link.symlink_to(tmp_path / "gone.md")
    assert _read_error(link).message == "no such file"


def test_binary_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "logo.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert _read_error(path).message == "binary file (not UTF-8 Markdown)"


def test_invalid_utf8_on_disk_keeps_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(b"a\nb\n\xff\n")
    exc = _read_error(path)
    assert exc.line == 3
    assert exc.message == "not valid UTF-8 (byte 0xff at offset 4)"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    source = read_source(path)
    assert (source.text, source.newline, source.bom) == ("", "\n", False)
    assert source.encode("") == b""


def test_nul_after_the_sniffed_head_names_its_line() -> None:
    data = b"- entry\r" * 2000 + b"x\x00y\n"  # 16000 bytes of text, CR-only, then a NUL
    exc = _error(data)
    assert exc.message == "binary file (NUL byte)"
    assert exc.line == 2001


def test_the_cap_applies_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose size says nothing (/proc files say 0, a file may grow): the read stops at
    the cap, never trusting fstat alone."""
    path = tmp_path / "growing.md"
    path.write_bytes(b"x" * 100)
    real = os.fstat

    def lying(fd: int) -> os.stat_result:
        info = real(fd)
        return os.stat_result((info.st_mode, *info[1:6], 0, *info[7:]))

    monkeypatch.setattr(source_module.os, "fstat", lying)
    with pytest.raises(SourceError) as info:
        read_source(path, max_bytes=10)
    assert info.value.message == "file too large (more than 10 bytes; the limit is 10 bytes)"
