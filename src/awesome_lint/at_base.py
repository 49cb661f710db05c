"""What BASE says, for ``--diff BASE``: the config that applied there, and each file's text.

On a pull request its author controls every file of the checkout, the config included: a PR
that adds ``ignore = ["ALL"]`` or ``severity = "off"`` would silence the check of itself. So in
``--diff`` mode the config comes from BASE (the merge base the diff is taken against): the
nearest ``.awesome-lint.toml`` or ``pyproject.toml`` with a ``[tool.awesome-lint]`` table *as
committed there*. Configs above the repository's root are not the pull request's to change and
are read from the disk, as in a full run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from awesome_lint.changed import ChangedLines, ChangedLinesError
from awesome_lint.config import CONFIG_NAME, PYPROJECT_NAME, find_config, has_tool_table
from awesome_lint.source import SourceError, decode


@dataclass(frozen=True)
class BaseConfig:
    """A config file as it was at BASE: where it is now, its text then, and how to name it."""

    path: Path
    text: str
    label: str


class BaseView:
    """Files as they were at BASE, read from git's objects (never from the working tree)."""

    def __init__(self, changes: ChangedLines) -> None:
        self.changes = changes
        self._configs: dict[tuple[str, PurePosixPath], BaseConfig | Path | None] = {}

    def _where(self, path: Path) -> tuple[str, str]:
        """(repository root, ``path`` relative to it with '/'), for a file or a directory."""
        folder = path if path.is_dir() else path.parent
        root, prefix = self.changes._location(str(folder.absolute()))
        rel = prefix if path.is_dir() else prefix + path.name
        return root, rel.rstrip("/")

    def blob(self, path: Path) -> bytes | None:
        """The bytes of ``path`` at BASE (by its name now), None when it was not there."""
        root, rel = self._where(path)
        return self.changes._old_blob(root, rel)

    def text(self, path: Path) -> str | None:
        """The decoded text of ``path`` at BASE, None when it was not there or not text."""
        data = self.blob(path)
        if data is None:
            return None
        try:
            return decode(str(path), data).text
        except SourceError:
            return None

    def config_for(self, path: Path) -> BaseConfig | Path | None:
        """The config that applied to ``path`` at BASE: its text then (inside the repository),
        a path on disk (above the repository's root), or None (defaults)."""
        root, rel = self._where(path)
        folder = PurePosixPath(rel).parent if not path.is_dir() else PurePosixPath(rel)
        if (root, folder) not in self._configs:  # files of one folder share it: git once
            self._configs[root, folder] = self._find_config(root, folder)
        return self._configs[root, folder]

    def _find_config(self, root: str, folder: PurePosixPath) -> BaseConfig | Path | None:
        base = self.changes._commit(root)
        for directory in (folder, *folder.parents):
            for name in (CONFIG_NAME, PYPROJECT_NAME):
                inside = (directory / name).as_posix().removeprefix("./")
                data = self.changes._old_blob(root, inside)
                if data is None:
                    continue
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    text = "\ufffd"  # reported as a config error, as on disk
                if name == PYPROJECT_NAME and not has_tool_table(text):
                    continue
                return BaseConfig(Path(root) / inside, text, f"{inside} (at {base[:12]})")
        return find_config(Path(root).parent)

    def explicit_config(self, path: Path) -> BaseConfig | Path | None:
        """``--config PATH`` at BASE: its text then when it is inside the repository (None
        when the change added it), else the path itself."""
        try:
            root, rel = self._where(path)
        except ChangedLinesError:
            return path  # outside any repository: not the change's to edit
        data = self.changes._old_blob(root, rel)
        if data is None:
            return None
        base = self.changes._commit(root)
        return BaseConfig(path, data.decode("utf-8", "replace"), f"{rel} (at {base[:12]})")
