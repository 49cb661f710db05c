"""Writing a fixed file back: atomically, keeping its BOM, line endings and mode."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from awesome_lint.source import Source, SourceError


def write_atomic(path: Path, source: Source, text: str) -> None:
    """Replace ``path`` with ``text`` encoded like ``source``, via a temp file and a rename.

    Writes through a symlink to its real target (the link itself survives), and refuses when the
    file changed on disk since it was read.
    """
    target = path.resolve()
    try:
        if target.read_bytes() != source.raw:
            raise SourceError(source.path, "changed on disk while being fixed; not written")
        mode = target.stat().st_mode & 0o7777
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise SourceError(source.path, f"cannot write the fix: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(source.encode(text))
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(mode)
        Path(tmp).replace(target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise SourceError(source.path, f"cannot write the fix: {exc.strerror or exc}") from None
