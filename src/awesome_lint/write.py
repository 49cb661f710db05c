"""Writing a fixed file back: atomically, keeping its BOM, line endings and mode."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from awesome_lint.repo import escaped_repository, repository_root
from awesome_lint.source import MAX_BYTES, RefusedFileError, Source, SourceError, read_capped


def _refuse_escaping_symlink(path: Path, target: Path, name: str) -> None:
    """A pull request may add ``README.md -> ../../somewhere`` or ``docs -> ../outside``:
    --fix must not write there.

    In a git repository (every folder above ``path`` holding ``.git``) the real target must be
    inside it, whether the file or one of its folders is the link. Without one, a link's target
    must be inside the link's own folder.
    """
    escaped = escaped_repository(path)
    if escaped is not None:
        root = escaped.resolve()
        if path.is_symlink():
            raise SourceError(name, f"is a symlink to {target}, outside the repository {root}; "
                                    "the fix was not written")
        raise SourceError(name, f"is through a linked folder, at {target}, outside the "
                                f"repository {root}; the fix was not written")
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
        if read_capped(target, max(MAX_BYTES, len(source.raw))) != source.raw:
            raise SourceError(source.path, "changed on disk while being fixed; not written")
        mode = target.stat().st_mode & 0o7777
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except RefusedFileError as exc:
        raise SourceError(source.path, f"cannot write the fix: {exc}") from None
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
