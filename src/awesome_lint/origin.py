"""Which GitHub repository a checkout is: its ``origin`` remote, else ``GITHUB_REPOSITORY``.

Read once per file by the run (:func:`awesome_lint.session.with_repository`), never by rules.
A pull request controls the checkout's files but not ``.git/``; its config is still read as
data only: a capped read of a regular file, nothing run, nothing followed but ``gitdir:``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from awesome_lint.lazy_re import lazy_compile

#: ``owner/name`` as GitHub allows them.
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9-]*)/[A-Za-z0-9._-]+"
_REPOSITORY = re.compile(_NAME)
#: https://github.com/o/r(.git), git@github.com:o/r.git, ssh://git@github.com/o/r, git://...
_REMOTE = lazy_compile(
    rf"(?:(?:https?|git|ssh)://(?:[^@/\s]*@)?(?:www\.)?github\.com(?::\d+)?/|[^@/\s]+@github\.com:)"
    rf"({_NAME}?)(?:\.git)?/?", re.IGNORECASE)
_SECTION = re.compile(r'\s*\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]\s*(.*)')
_URL = re.compile(r"\s*url\s*=\s*(.*?)\s*", re.IGNORECASE)
#: A git config larger than this is not read (real ones are a few hundred bytes).
_LIMIT = 64 * 1024


def github_repository(root: Path | None, environ: Mapping[str, str]) -> str | None:
    """``owner/name`` of the GitHub repository checked out at ``root`` (its ``origin``
    remote), else of ``GITHUB_REPOSITORY`` (the repository a workflow runs for), else None."""
    if root is not None:
        url = origin_url(root)
        found = remote_repository(url) if url is not None else None
        if found is not None:
            return found
    named = environ.get("GITHUB_REPOSITORY", "")
    return named if _REPOSITORY.fullmatch(named) else None


def remote_repository(url: str) -> str | None:
    """``owner/name`` of a GitHub remote URL, in any of the forms git accepts; else None."""
    m = _REMOTE().fullmatch(url.strip())
    return m.group(1) if m is not None else None


def origin_url(root: Path) -> str | None:
    """The ``url`` of ``[remote "origin"]`` in the git config of the checkout at ``root``."""
    text = _read(_config_path(root / ".git"))
    if text is None:
        return None
    section: tuple[str, str | None] | None = None
    for line in text.splitlines():
        header = _SECTION.fullmatch(line)
        if header is not None:
            name, sub = header.group(1), header.group(2)
            if sub is None and "." in name:  # the old [remote.origin] spelling
                name, _, sub = name.partition(".")
            section = (name.lower(), sub)
            line = header.group(3)
        if section == ("remote", "origin") and (m := _URL.fullmatch(line)) is not None:
            return m.group(1).strip('"')
    return None


def _config_path(dot_git: Path) -> Path:
    """``.git/config``; for a worktree or submodule (``.git`` is a ``gitdir:`` file), the config
    of the repository it belongs to."""
    if not dot_git.is_file():
        return dot_git / "config"
    pointer = _read(dot_git) or ""
    gitdir = Path(pointer.strip().removeprefix("gitdir:").strip())
    gitdir = gitdir if gitdir.is_absolute() else dot_git.parent / gitdir
    common = _read(gitdir / "commondir")
    if common is not None:
        shared = Path(common.strip())
        gitdir = shared if shared.is_absolute() else gitdir / shared
    return gitdir / "config"


def _read(path: Path) -> str | None:
    """The text of ``path`` if it is a regular file under the size limit (never a FIFO or a
    device, which could block or never end)."""
    try:
        if not path.is_file() or path.stat().st_size > _LIMIT:
            return None
        with path.open("rb") as handle:
            return handle.read(_LIMIT).decode("utf-8", "replace")
    except OSError:
        return None
