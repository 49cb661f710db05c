"""The files next to a list: what the repository-file rules (contributing guide, licence) read.

The engine scans the list's directory once (:func:`scan`) and hands the result to the rules on
the Document, so that the rules themselves stay pure and never touch the file system.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")

#: Sub-folders whose files count as the list's own (GitHub looks for community files there).
SUBFOLDERS = (".github", "docs")


class RepoFiles(NamedTuple):
    """Relative paths (``/``-separated, lower-cased) of the files in the list's directory and in
    its ``.github/`` and ``docs/`` folders; ``empty`` holds those of them that are empty."""

    names: frozenset[str]
    empty: frozenset[str] = frozenset()
    #: (lower-cased name, the name as spelled on disk) where they differ.
    spelled: tuple[tuple[str, str], ...] = ()

    def find(self, candidates: tuple[str, ...]) -> str | None:
        """The first of ``candidates`` (lower-case relative paths) that exists, if any."""
        return next((name for name in candidates if name in self.names), None)

    def spelling(self, name: str) -> str:
        """``name`` (lower-cased, as in ``names``) as the file is spelled on disk."""
        return next((shown for lower, shown in self.spelled if lower == name), name)


def scan(directory: Path) -> RepoFiles:
    """The files of ``directory`` and of its ``.github/`` and ``docs/`` sub-folders."""
    names: set[str] = set()
    empty: set[str] = set()
    spelled: dict[str, str] = {}
    for folder, prefix in [(directory, ""), *((directory / s, s + "/") for s in SUBFOLDERS)]:
        try:
            if prefix and folder.is_symlink():
                continue  # a linked .github/ or docs/ may lead anywhere on the machine
            entries = list(folder.iterdir())
        except OSError:
            continue
        for path in entries:
            try:
                if path.is_symlink() and escaped_repository(path) is not None:
                    continue  # a link out of the repository: not the list's file
                if not path.is_file():
                    continue
                size = path.stat().st_size
            except OSError:
                continue
            name = prefix + path.name.lower()
            names.add(name)
            if path.name != path.name.lower():
                spelled.setdefault(name, prefix + path.name)
            if size == 0:
                empty.add(name)
    return RepoFiles(frozenset(names), frozenset(empty), tuple(sorted(spelled.items())))


def local_path(url: str) -> str | None:
    """The path part of a relative link (``docs/a.md#x`` -> ``docs/a.md``), or None when the link
    is not a relative file link (a web URL, ``mailto:``, an in-page ``#anchor``)."""
    url = url.strip()
    if not url or url.startswith(("#", "//")) or _SCHEME.match(url):
        return None
    path = url.split("#", 1)[0].split("?", 1)[0]
    return path or None


def existing_targets(urls: Iterable[str], directory: Path, root: Path) -> frozenset[str]:
    """The relative link paths among ``urls`` whose target exists, from ``directory`` (and from
    ``root`` for ``/absolute`` ones, as GitHub resolves them).

    Only targets inside the repository ``root`` count (by their real path): ``../../etc/passwd``
    or a link through ``docs -> /`` is never looked up, so the findings cannot tell which files
    exist elsewhere on the machine; such a link is reported like any missing target."""
    found = set()
    for url in urls:
        path = local_path(url)
        if path is None or path in found:
            continue
        target = (root / unquote(path).lstrip("/")) if path.startswith("/") else (
            directory / unquote(path))
        try:
            if _inside(os.path.realpath(target), root) and target.exists():
                found.add(path)
        except (OSError, ValueError):
            continue
    return frozenset(found)


def repository_root(directory: Path) -> Path | None:
    """The nearest enclosing directory holding ``.git``: the list's repository, if any."""
    for folder in (directory, *directory.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _inside(real: str, folder: Path) -> bool:
    top = os.path.realpath(folder)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def escaped_repository(path: Path) -> Path | None:
    """The git repository that ``path`` is in by name but whose real path is not inside it.

    A pull request controls every path component below its repository's root: ``README.md ->
    ../outside/secrets.env``, ``docs -> /``, ``docs -> ../another-checkout``. Every folder
    above ``path`` (by name, symlinks not followed) that holds ``.git`` is a repository that
    the file must really be inside; None when it is inside all of them, or in none.
    """
    lexical = Path(os.path.normpath(Path(path).absolute()))
    real = os.path.realpath(lexical)
    for folder in lexical.parents:
        try:
            if os.path.lexists(folder / ".git") and not _inside(real, folder):
                return folder
        except (OSError, ValueError):
            continue
    return None
