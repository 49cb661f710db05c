"""Writing a fixed file back: atomically, keeping its BOM, line endings and mode."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from awesome_lint.repo import repository_root
from awesome_lint.source import Source, SourceError


def _refuse_escaping_symlink(path: Path, target: Path, name: str) -> None:
    """A pull request may add ``README.md -> ../../somewhere``: --fix must not write there.

    The repository is the nearest folder holding ``.git`` above the link's own folder (or that
    folder itself when there is none); the link's target must be inside it.
    """
    if not path.is_symlink():
        return
    directory = path.parent.resolve()
    root = repository_root(directory) or directory
    if not target.is_relative_to(root):
        raise SourceError(name, f"is a symlink to {target}, outside the repository {root}; "
                                "the fix was not written")


def write_atomic(path: Path, source: Source, text: str) -> None:
    """Replace ``path`` with ``text`` encoded like ``source``, via a temp file and a rename.

    Writes through a symlink to its real target (the link itself survives), unless that target
    is outside the link's repository; and refuses when the file changed on disk since it was read.
    """
    target = path.resolve()
    _refuse_escaping_symlink(path, target, source.path)
    try:
        if target.read_bytes() != source.raw:
            raise SourceError(source.path, "changed on disk while being fixed; not written")
        mode = target.stat().st_mode & 0o7777
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise SourceError(source.path, f"cannot write the fix: {exc.strerror or exc}") from None
    try:
        try:
            handle = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            raise
        with handle:
            handle.write(source.encode(text))
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(mode)
        Path(tmp).replace(target)
    except BaseException as exc:  # Ctrl-C too: never leave the temp file behind
        Path(tmp).unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        raise SourceError(source.path, f"cannot write the fix: {exc.strerror or exc}") from None
