"""Which files a run lints: the readme GitHub shows, the readmes of a folder, glob patterns.

- No argument: the readme GitHub shows on the repository's page, looked for as GitHub does
  (:func:`find_readme`): in ``.github/``, then the folder itself, then ``docs/``; any case;
  only Markdown counts (a ``README`` with no extension is plain text). The config's ``include``
  files come along.
- A folder: every Markdown readme in it and below, and the files its config's ``include``
  globs match, minus ``exclude``/``extend-exclude``. Inside a git repository the files are
  those git knows or would add (``git ls-files --cached --others --exclude-standard``: what
  ``.gitignore`` ignores is left out); elsewhere the folder is walked. Either way no folder link
  is entered, and ``.git``, ``node_modules`` and hidden folders (but ``.github``) are skipped.
- A glob pattern (``'**/README.md'``, quoted so the shell leaves it): expanded here, entering no
  folder link (:func:`awesome_lint.action.glob_files`), minus the excluded files.
- A file: linted as named, even if excluded.

Globs are relative to the folder of the config that applies (or to the current folder with
``--config``, as ruff does). The config is the one the session loaded (with ``--diff``, the
config at BASE), passed in as ``config_for``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path, PurePath

from awesome_lint.config import Config, ConfigError
from awesome_lint.globs import compile_glob, matches_any
from awesome_lint.result import FileError

#: The extensions GitHub renders as Markdown (github/markup), in the order we prefer them.
MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn")
#: Where GitHub looks for the readme it shows, in its order ("" is the folder itself).
README_FOLDERS = (".github", "", "docs")
_SKIPPED = frozenset({".git", "node_modules"})
_KEPT_HIDDEN = frozenset({".github"})

ConfigFor = Callable[[Path], Config]


class DiscoveryError(Exception):
    """No file to lint where one was expected: ``str()`` is one line."""


def is_markdown_readme(name: str) -> bool:
    """``README.md``, ``readme.md``, ``Readme.markdown``, ``README.mdown``...: any case."""
    path = PurePath(name)
    return path.stem.casefold() == "readme" and path.suffix.casefold() in MARKDOWN_EXTENSIONS


def _is_readme(name: str) -> bool:
    """Any readme GitHub would show: ``README``, ``README.txt``, ``readme.rst``..."""
    folded = name.casefold()
    return folded == "readme" or folded.startswith("readme.")


def _preference(name: str) -> tuple[bool, int, str]:
    ext = PurePath(name).suffix.casefold()
    return (name != "README.md", MARKDOWN_EXTENSIONS.index(ext), name)


def _files_in(folder: Path) -> list[str]:
    """The names of the non-folder entries of ``folder`` (file links included), sorted."""
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if not _is_dir(e))
    except OSError:
        return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # (a link to a folder is not a readme either)
    except OSError:
        return False


def find_readme(folder: Path = Path()) -> Path:
    """The readme GitHub shows for ``folder``: the first folder of :data:`README_FOLDERS`
    holding a readme decides, and its Markdown readme is the one (``README.md`` first).
    Raises :class:`DiscoveryError` when there is none, or when that readme is not Markdown."""
    for sub in README_FOLDERS:
        where = folder / sub if sub else folder
        if sub and (where.is_symlink() or not where.is_dir()):
            continue  # a linked .github/ or docs/ may lead anywhere on the machine
        readmes = [name for name in _files_in(where) if _is_readme(name)]
        if not readmes:
            continue
        markdown = [name for name in readmes if is_markdown_readme(name)]
        if not markdown:
            shown = where / readmes[0]
            raise DiscoveryError(
                f"{shown}: this readme is plain text, not Markdown (no Markdown extension), "
                "so it is not linted; rename it README.md, or name the files to lint")
        return where / min(markdown, key=_preference)
    looked = ", ".join(f"{folder / sub}/" if sub else f"{folder}/" for sub in README_FOLDERS)
    raise DiscoveryError(
        f"no readme found: looked for README.md (any case; {', '.join(MARKDOWN_EXTENSIONS)}) "
        f"in {looked}; name the files to lint")


def _visible(relative: str) -> bool:
    """Not below ``.git``, ``node_modules`` or a hidden folder (``.github`` is kept)."""
    folders = relative.split("/")[:-1]
    return not any(part in _SKIPPED or (part.startswith(".") and part not in _KEPT_HIDDEN)
                   for part in folders)


def _git_files(directory: Path) -> list[str] | None:
    """The files under ``directory`` that git tracks or would add (relative, ``/``), or None
    outside a git repository (or without git). Read-only: git writes no lock or index."""
    from awesome_lint.changed import ChangedLinesError, _git

    try:
        done = _git(directory, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    except ChangedLinesError:  # git is not installed
        return None
    if done.returncode != 0:
        return None
    names = {os.fsdecode(name) for name in done.stdout.split(b"\0") if name}
    return sorted(name for name in names if not name.endswith("/"))


def _walked_files(directory: Path) -> list[str]:
    """The files under ``directory`` (relative, ``/``), entering no folder link."""
    found: list[str] = []
    for root, folders, files in os.walk(directory):
        folders[:] = sorted(f for f in folders if not Path(root, f).is_symlink()
                            and f not in _SKIPPED
                            and (not f.startswith(".") or f in _KEPT_HIDDEN))
        prefix = Path(root).relative_to(directory).as_posix()
        found.extend(name if prefix == "." else f"{prefix}/{name}" for name in files)
    return sorted(found)


def list_files(directory: Path) -> list[str]:
    """The files of ``directory`` and below that a folder argument considers."""
    names = _git_files(directory)
    if names is None:
        names = _walked_files(directory)
    return [name for name in names if _visible(name)
            and os.path.lexists(directory / name) and not (directory / name).is_dir()]


def anchor(config: Config, explicit: bool) -> Path:
    """The folder the config's globs are relative to: the config's own, or the current folder
    for ``--config`` (and for the defaults)."""
    if explicit or config.path is None:
        return Path.cwd().resolve()
    return config.path.parent.resolve()


def relative_to(path: Path, folder: Path) -> str:
    """``path`` from ``folder`` with ``/``, by name (a file link is not followed)."""
    absolute = path.absolute()
    with contextlib.suppress(OSError, RuntimeError):
        absolute = absolute.parent.resolve() / absolute.name
    return Path(os.path.relpath(absolute, folder)).as_posix()


def is_excluded(path: Path, config: Config, explicit: bool) -> bool:
    """Whether ``exclude`` or ``extend-exclude`` of ``config`` match ``path``."""
    relative = relative_to(path, anchor(config, explicit))
    return matches_any(config.exclude, relative) or matches_any(config.extend_exclude, relative)


def with_file_ignores(config: Config, path: Path, explicit: bool) -> Config:
    """``config`` with the rules its ``per-file-ignores`` turn off for ``path`` added to its
    ``ignore``."""
    if not config.per_file_ignores:
        return config
    relative = relative_to(path, anchor(config, explicit))
    extra = [selector for pattern, selectors in config.per_file_ignores
             if compile_glob(pattern).matches(relative) for selector in selectors]
    return config._replace(ignore=(*config.ignore, *extra)) if extra else config


class _Finder:
    def __init__(self, config_for: ConfigFor, explicit: bool, errors: list[FileError]) -> None:
        self.config_for = config_for
        self.explicit = explicit
        self.errors = errors

    def config(self, path: Path) -> Config | None:
        """The config for ``path``; None when it cannot be loaded (the file reports why)."""
        try:
            return self.config_for(path)
        except ConfigError:
            return None

    def kept(self, path: Path) -> bool:
        config = self.config(path)
        return config is None or not is_excluded(path, config, self.explicit)

    def folder(self, directory: Path, readmes: bool = True) -> Iterator[Path]:
        """The readmes (``readmes``) and included files of ``directory`` and below."""
        from awesome_lint.repo import escaped_repository

        if escaped_repository(directory) is not None:
            self.errors.append(FileError(str(directory), "is a link to a folder outside the "
                                                         "repository; not read"))
            return
        try:
            config = self.config_for(directory)
        except ConfigError as exc:
            self.errors.append(FileError(exc.path, f"config: {exc.detail}"))
            return
        if not readmes and not config.include:
            return
        top = anchor(config, self.explicit)
        found = 0
        for name in list_files(directory):
            path = directory / name
            wanted = (readmes and is_markdown_readme(path.name)) or (
                bool(config.include) and matches_any(config.include, relative_to(path, top)))
            if wanted and self.kept(path):
                found += 1
                yield path
        if readmes and not found:
            self.errors.append(FileError(str(directory), "is a folder with no Markdown readme "
                                                         "(README.md, any case) in it or below, "
                                                         "nor a file its config includes"))

    def pattern(self, pattern: str) -> Iterator[Path]:
        from awesome_lint.action import glob_files

        matches = [Path(m) for m in glob_files(pattern)
                   if os.path.lexists(m) and not Path(m).is_dir()]
        if not matches:
            self.errors.append(FileError(pattern, "no file matches this pattern"))
        yield from (path for path in matches if self.kept(path))


def _has_magic(argument: str) -> bool:
    """Whether an argument that names no file is a glob pattern (``*``, ``?``, ``[``)."""
    import glob  # (not for the arguments that name files)

    return glob.has_magic(argument)


def expand_paths(paths: Sequence[Path], config_for: ConfigFor, *, explicit: bool,
                 errors: list[FileError], readme: bool = False) -> list[Path]:
    """The files to lint for the command line's ``paths``, each once, in order (see the
    module's docstring); with no ``paths`` and ``readme``, the readme GitHub shows here (and
    the config's ``include`` files). Errors of single arguments go to ``errors``; raises
    :class:`DiscoveryError` when there is no readme to find."""
    finder = _Finder(config_for, explicit, errors)
    found: list[Path] = []
    try:
        if not paths and readme:
            found.append(find_readme())
            found.extend(finder.folder(Path(), readmes=False))
        for path in paths:
            if path.is_dir():
                found.extend(finder.folder(path))
            elif not os.path.lexists(path) and _has_magic(str(path)):
                found.extend(finder.pattern(str(path)))
            else:
                found.append(path)
    except Exception as exc:
        from awesome_lint.changed import ChangedLinesError  # (subprocess: only with --diff)

        if isinstance(exc, ChangedLinesError):  # --diff outside a repository: no config known
            raise DiscoveryError(str(exc)) from exc
        raise
    seen: set[str] = set()
    unique = []
    for path in found:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique
