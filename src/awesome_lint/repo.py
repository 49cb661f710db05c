"""The files next to a list: what the repository-file rules (contributing guide, licence) read.

The engine scans the list's directory once (:func:`scan`) and hands the result to the rules on
the Document, so that the rules themselves stay pure and never touch the file system.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Sub-folders whose files count as the list's own (GitHub looks for community files there).
SUBFOLDERS = (".github", "docs")


@dataclass(frozen=True, slots=True)
class RepoFiles:
    """Relative paths (``/``-separated, lower-cased) of the files in the list's directory and in
    its ``.github/`` and ``docs/`` folders; ``empty`` holds those of them that are empty."""

    names: frozenset[str]
    empty: frozenset[str] = field(default_factory=frozenset)

    def find(self, candidates: tuple[str, ...]) -> str | None:
        """The first of ``candidates`` (lower-case relative paths) that exists, if any."""
        return next((name for name in candidates if name in self.names), None)


def scan(directory: Path) -> RepoFiles:
    """The files of ``directory`` and of its ``.github/`` and ``docs/`` sub-folders."""
    names: set[str] = set()
    empty: set[str] = set()
    for folder, prefix in [(directory, ""), *((directory / s, s + "/") for s in SUBFOLDERS)]:
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for path in entries:
            try:
                if not path.is_file():
                    continue
                size = path.stat().st_size
            except OSError:
                continue
            name = prefix + path.name.lower()
            names.add(name)
            if size == 0:
                empty.add(name)
    return RepoFiles(frozenset(names), frozenset(empty))
