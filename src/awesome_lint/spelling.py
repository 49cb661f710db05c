"""Common misspellings, from typos' dictionary (MIT/Apache-2.0, kept up by the typos project).

The ``typos`` wheel ships the checker as a binary, not a library: :func:`misspellings` runs
it at most once per call, on words alone (letters and apostrophes, one a line, on its standard
input; never the Markdown, never on its command line), with a time limit and a bounded input.
The binary is the one the installed ``typos`` distribution put in one of this interpreter's
scripts folders (never one found on ``PATH`` or in the checkout). When it is missing or fails,
one warning says so (through :mod:`logging`, once per reason and process) and no word is
reported.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from awesome_lint.registry import installed_folders

# logging, csv, json, subprocess and sysconfig are imported where used: importing the rule
# (``--list-rules``, a config's check) costs none of them.

#: Wall-clock seconds one run of the checker may take (awesome-go's 9,000 words take ~20 ms).
TIMEOUT = 10.0
#: Most distinct words one run sends, and the longest word sent: what a file can make it read.
MAX_WORDS = 50_000
MAX_WORD_LENGTH = 64
#: Words whose answer is remembered (a ``--fix`` run lints a file up to ten times).
_CACHE_LIMIT = 200_000


class Typo(NamedTuple):
    """A misspelling inside a word: where it starts in the word, as written, its corrections."""

    start: int
    typo: str
    corrections: tuple[str, ...]


_cache: dict[str, tuple[Typo, ...]] = {}
_warned: set[str] = set()


def _warn(reason: str) -> None:
    if reason not in _warned:
        import logging

        _warned.add(reason)
        logging.getLogger(__name__).warning(
            "awesome-lint: warning: misspellings (AL410) not checked: %s", reason)


def _scripts_folders() -> set[Path]:
    """Where pip puts this interpreter's scripts, in each of its installation schemes."""
    import sysconfig

    folders = set()
    for scheme in sysconfig.get_scheme_names():
        try:
            folders.add(Path(sysconfig.get_path("scripts", scheme)).resolve())
        except (KeyError, OSError):
            continue
    return folders


def _recorded(info: Path) -> Iterator[str]:
    """The paths a ``*.dist-info`` folder's RECORD lists (relative to its site folder)."""
    import csv

    try:
        text = (info / "RECORD").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    for row in csv.reader(text.splitlines()):
        if row:
            yield row[0]


@functools.cache
def checker() -> Path | None:
    """The ``typos`` binary that the installed ``typos`` distribution records, if it sits in one
    of this interpreter's scripts folders. The distribution is looked for where the rule
    plugins are (:func:`~awesome_lint.registry.installed_folders`): a ``*.dist-info`` in the
    current folder or another one merely on ``sys.path`` is not read."""
    trusted = _scripts_folders()
    for folder in installed_folders():
        for info in sorted(Path(folder).glob("typos-*.dist-info")):
            for name in _recorded(info):
                if PurePosixPath(name).name.lower() not in ("typos", "typos.exe"):
                    continue
                path = Path(folder) / name
                parent = path.parent.resolve()
                if parent in trusted and (parent / path.name).is_file():
                    return parent / path.name
    return None


def _parse(stdout: bytes, words: list[str]) -> dict[str, list[Typo]] | None:
    """The typos of each word, from the checker's JSON lines (None if they make no sense)."""
    import json

    found: dict[str, list[Typo]] = {}
    try:
        for line in stdout.decode("utf-8").splitlines():
            item = json.loads(line)
            if item.get("type") != "typo":
                continue
            number = int(item["line_num"])
            if not 0 < number <= len(words):
                return None
            word = words[number - 1]
            start, typo = int(item["byte_offset"]), str(item["typo"])
            if word[start:start + len(typo)] != typo:
                return None
            corrections = tuple(str(c) for c in item["corrections"])
            found.setdefault(word, []).append(Typo(start, typo, corrections))
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None
    return found


def _run(binary: Path, words: list[str]) -> dict[str, list[Typo]] | None:
    """One run of the checker on ``words`` (None, with a warning, when it fails)."""
    import subprocess

    command = [str(binary), "--isolated", "--format", "json", "--color", "never", "-"]
    try:
        done = subprocess.run(command, input="".join(w + "\n" for w in words).encode("ascii"),
                              capture_output=True, timeout=TIMEOUT, cwd=binary.parent,
                              check=False)
    except subprocess.TimeoutExpired:
        _warn(f"{binary} took more than {TIMEOUT:g} s")
        return None
    except OSError as exc:
        _warn(f"{binary} could not run ({exc.strerror or exc})")
        return None
    if done.returncode not in (0, 2):  # 2: typos were found
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        _warn(f"{binary} exited with status {done.returncode}"
              + (f": {detail[0][:200]}" if detail else ""))
        return None
    found = _parse(done.stdout, words)
    if found is None:
        _warn(f"{binary} gave an answer this version of awesome-lint does not understand")
    return found


def misspellings(words: Iterable[str]) -> Mapping[str, tuple[Typo, ...]]:
    """The words of ``words`` that hold a common misspelling, each with its typos.

    Words are ASCII letters and apostrophes (others are not sent); answers are cached, so a
    word is sent once per process.
    """
    words = list(words)
    new = list(dict.fromkeys(
        w for w in words
        if w not in _cache and len(w) <= MAX_WORD_LENGTH and w.isascii()
        and w.replace("'", "").isalpha()))
    if new:
        binary = checker()
        if binary is None:
            _warn("the typos checker is not installed (pip install typos)")
            return {}
        if len(new) > MAX_WORDS:
            _warn(f"a file has more than {MAX_WORDS} distinct words; the rest are not checked")
            new = new[:MAX_WORDS]
        found = _run(binary, new)
        if found is None:
            return {}
        if len(_cache) + len(new) > _CACHE_LIMIT:
            _cache.clear()
        _cache.update((w, tuple(found.get(w, ()))) for w in new)
    return {w: _cache[w] for w in dict.fromkeys(words) if _cache.get(w)}
