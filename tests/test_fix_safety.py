"""``--fix`` under faults: a failed write leaves the original intact and no temp file behind,
the file keeps its mode, line endings and BOM, and a file that changed on disk (edited, deleted,
replaced by a directory) while it was being fixed is reported and left alone, while the other
files are still fixed. Through the CLI, with the faults injected by monkeypatching (root ignores
file permissions, so a read-only directory proves nothing in CI containers).

Appending to the file meanwhile is tested in test_cli.py
(``test_fix_refuses_a_file_changed_since_it_was_read``).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import awesome_lint.session as runner_module
from awesome_lint.config import Config, resolve_rules
from awesome_lint.engine import fix_text as real_fix_text
from awesome_lint.registry import load_rules
from awesome_lint.source import decode, read_source
from awesome_lint.write import write_atomic
from test_cli import BOM, REPEATED, lines, names, run
from test_fuzz import raw_markdown

FIXED = REPEATED.replace("2. c\n3. d\n", "3. c\n4. d\n")


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with two fixable files: bad.md (the one a fault hits) and good.md."""
    here = tmp_path / "work"
    here.mkdir()
    monkeypatch.chdir(here)
    (here / "bad.md").write_text(REPEATED, encoding="utf-8")
    (here / "good.md").write_text(REPEATED, encoding="utf-8")
    return here


def _encode(text: str, newline: str, bom: bool) -> bytes:
    return (BOM if bom else b"") + text.replace("\n", newline).encode("utf-8")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize(("bom", "mode"), [(False, 0o644), (True, 0o600), (False, 0o755),
                                           (True, 0o444)])
def test_fix_keeps_line_endings_bom_and_mode(work: Path, newline: str, bom: bool,
                                             mode: int) -> None:
    path = work / "bad.md"
    path.write_bytes(_encode(REPEATED, newline, bom))
    path.chmod(mode)
    result = run("--fix", "bad.md")
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == _encode(FIXED, newline, bom)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert names(work) == ["bad.md", "good.md"]


def _once(real: Callable[..., Any], error: BaseException) -> Callable[..., Any]:
    """``real``, except that its first call raises ``error``."""
    calls = []

    def fake(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        if len(calls) == 1:
            raise error
        return real(*args, **kwargs)

    return fake


class _FailingFile:
    """A file object whose ``write`` fails as on a full disk."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def __enter__(self) -> _FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])  # a partial write, then the disk is full
        raise OSError(28, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


def _fault(kind: str, monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """Make the first write of ``--fix`` fail at step ``kind``."""
    if kind == "mkstemp":  # e.g. a read-only directory
        monkeypatch.setattr(tempfile, "mkstemp", _once(tempfile.mkstemp, error))
    elif kind == "write":
        real_fdopen = os.fdopen
        calls = []

        def fdopen(*args: Any, **kwargs: Any) -> Any:
            handle = real_fdopen(*args, **kwargs)
            calls.append(args)
            return _FailingFile(handle) if len(calls) == 1 else handle

        monkeypatch.setattr(os, "fdopen", fdopen)
    elif kind == "fsync":
        monkeypatch.setattr(os, "fsync", _once(os.fsync, error))
    elif kind == "chmod":
        monkeypatch.setattr(Path, "chmod", _once(Path.chmod, error))
    elif kind == "replace":
        monkeypatch.setattr(Path, "replace", _once(Path.replace, error))
    else:  # pragma: no cover
        raise AssertionError(kind)


FAULTS = {
    "mkstemp": (PermissionError(13, "Permission denied"), "Permission denied"),
    "write": (OSError(28, "No space left on device"), "No space left on device"),
    "fsync": (OSError(5, "Input/output error"), "Input/output error"),
    "chmod": (PermissionError(1, "Operation not permitted"), "Operation not permitted"),
    "replace": (OSError(18, "Invalid cross-device link"), "Invalid cross-device link"),
}


@pytest.mark.parametrize("kind", FAULTS)
def test_failed_write_keeps_the_original_and_leaves_no_temp_file(
    work: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    bad = work / "bad.md"
    bad.write_bytes(_encode(REPEATED, "\r\n", True))
    bad.chmod(0o640)
    before = bad.read_bytes()
    error, message = FAULTS[kind]
    _fault(kind, monkeypatch, error)
    result = run("--fix", "bad.md", "good.md")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert [line for line in lines(result) if line.startswith("bad.md")] == [
        f"bad.md: error: cannot write the fix: {message}"
    ]
    assert bad.read_bytes() == before
    assert stat.S_IMODE(bad.stat().st_mode) == 0o640
    assert (work / "good.md").read_text(encoding="utf-8") == FIXED  # the other file is fixed
    assert names(work) == ["bad.md", "good.md"]  # no temp file left behind


@pytest.mark.parametrize("kind", ["write", "fsync", "replace"])
def test_interrupted_write_leaves_no_temp_file(
    work: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Ctrl-C (or any exception, not only an OSError) while writing: the temp file goes too."""
    bad = work / "bad.md"
    source = read_source(bad)
    if kind == "write":
        monkeypatch.setattr(os, "fdopen", _once(os.fdopen, KeyboardInterrupt()))
    else:
        _fault(kind, monkeypatch, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        write_atomic(bad, source, FIXED)
    assert bad.read_text(encoding="utf-8") == REPEATED
    assert names(work) == ["bad.md", "good.md"]


def _delete(path: Path) -> None:
    path.unlink()


def _to_directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _same_size_edit(path: Path) -> None:
    path.write_text(REPEATED.replace("1. a", "1. A"), encoding="utf-8")


def _to_crlf(path: Path) -> None:
    path.write_bytes(REPEATED.replace("\n", "\r\n").encode())  # the same text to the parser


CHANGES = {
    "deleted": (_delete, "bad.md: error: cannot write the fix: No such file or directory"),
    "directory": (_to_directory, "bad.md: error: cannot write the fix: Is a directory"),
    "same-size-edit": (_same_size_edit,
                       "bad.md: error: changed on disk while being fixed; not written"),
    "line-endings": (_to_crlf, "bad.md: error: changed on disk while being fixed; not written"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_file_changed_meanwhile_is_reported_and_the_others_fixed(
    work: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    mutate, message = CHANGES[change]
    bad = work / "bad.md"

    def fix_then_change(text: str, name: str, *args: Any, **kwargs: Any) -> Any:
        out = real_fix_text(text, name, *args, **kwargs)
        if name == "bad.md":
            mutate(bad)
        return out

    monkeypatch.setattr(runner_module, "fix_text", fix_then_change)
    result = run("--fix", "bad.md", "good.md")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert [line for line in lines(result) if line.startswith("bad.md")] == [message]
    assert (work / "good.md").read_text(encoding="utf-8") == FIXED
    if change == "deleted":
        assert names(work) == ["good.md"]
    elif change == "directory":
        assert bad.is_dir() and names(bad) == []
        assert names(work) == ["bad.md", "good.md"]
    else:
        written = bad.read_bytes()
        mutate(bad)  # again: what the other writer wrote is still there, untouched
        assert bad.read_bytes() == written
        assert names(work) == ["bad.md", "good.md"]



def test_mixed_line_endings_become_the_first_one(work: Path) -> None:
    """As documented on ``Source``: a fixed file is written with the first line ending it has
    (a file with mixed endings is normalised; a file that needs no fix is not touched)."""
    path = work / "bad.md"
    path.write_bytes(REPEATED.replace("\n", "\r\n", 1).encode())
    assert run("--fix", "bad.md").exit_code == 0
    assert path.read_bytes() == FIXED.replace("\n", "\r\n").encode()
    clean = work / "good.md"
    clean.write_bytes(FIXED.replace("\n", "\r\n", 1).encode())
    assert run("--fix", "good.md").exit_code == 0
    assert clean.read_bytes() == FIXED.replace("\n", "\r\n", 1).encode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_markdown())
def test_cli_fix_writes_what_fix_text_gives_in_the_files_encoding(text: str) -> None:
    """On generated files with any line endings and BOM: ``--fix`` writes exactly the fixed text
    with the file's BOM and (first) line ending, and a second ``--fix`` leaves the file alone."""
    raw = text.encode("utf-8")
    source = decode("README.md", raw)
    rules = load_rules()
    expected = real_fix_text(source.text, "README.md", resolve_rules(Config(), rules), Config(),
                             known=rules)[0]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "README.md"
        path.write_bytes(raw)
        result = run("--fix", str(path))
        assert result.exit_code in (0, 1), result.output
        written = path.read_bytes()
        assert written == (source.encode(expected) if expected != source.text else raw)
        assert written.startswith(BOM) == raw.startswith(BOM)
        stamp = path.stat().st_mtime_ns, path.stat().st_ino
        assert run("--fix", str(path)).exit_code in (0, 1)
        assert (path.stat().st_mtime_ns, path.stat().st_ino) == stamp
        assert names(Path(folder)) == ["README.md"]
