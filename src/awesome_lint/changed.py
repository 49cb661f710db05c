"""Changed-lines mode (``--diff BASE``): which lines of a file changed since a git ref.

The lines that count are the ones added or modified between the merge base of BASE and HEAD
and the working tree (so uncommitted edits count too), as ``git diff -U0`` reports them in its
hunk headers ``@@ -a,b +c,d @@``. Renames are followed (``--find-renames``): a renamed file
counts only its added lines. A file git does not track yet counts as changed throughout.

In a shallow clone (``actions/checkout`` fetches one commit) BASE must be fetched first
(``git fetch --depth=1 origin SHA``, or ``... origin main:refs/remotes/origin/main`` for a
branch). The merge base is then usually unknown (history is cut),
and the diff is taken against BASE itself: on a pull request's merge commit, whose first parent
is the base, that is exactly the pull request's change.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from awesome_lint.model import Span

_HUNK = re.compile(rb"^@@+ (?:-\d+(?:,\d+)? )+\+(\d+)(?:,(\d+))? @@")


class ChangedLinesError(Exception):
    """``--diff`` cannot work: BASE unknown, not a git repository, git missing or failing."""


def _git(cwd: Path | str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, env=env,
                              check=False)
    except FileNotFoundError as exc:
        raise ChangedLinesError("--diff needs git, and git was not found") from exc


def _fetch_hint(base: str) -> str:
    remote, slash, branch = base.partition("/")
    if slash and remote == "origin" and branch:
        return f"git fetch --depth=1 origin {branch}:refs/remotes/origin/{branch}"
    return f"git fetch --depth=1 origin {base}"


_DIFF_OPTIONS = ("--no-color", "--no-ext-diff", "--no-textconv", "--find-renames",
                 "--ignore-submodules")


def _added_lines(diff: bytes) -> set[int]:
    lines: set[int] = set()
    for line in diff.split(b"\n"):
        match = _HUNK.match(line)
        if match:
            start, count = int(match.group(1)), int(match.group(2) or b"1")
            lines.update(range(start, start + count))
    return lines


def _untracked(root: str, rel: str) -> bool:
    done = _git(root, "ls-files", "--error-unmatch", "--", f":(literal){rel}")
    return done.returncode != 0


class ChangedLines:
    """``changed_lines`` for many files against one BASE: git asked once per repository."""

    def __init__(self, base: str) -> None:
        if not base or base.startswith("-"):
            raise ChangedLinesError(f"invalid git ref {base!r}")
        self.base = base
        self._locations: dict[str, tuple[str, str]] = {}
        self._commits: dict[str, str] = {}
        self._files: dict[str, dict[str, str | None]] = {}

    def _location(self, directory: str) -> tuple[str, str]:
        """(repository root, the directory's path inside it: empty or ending with '/')."""
        if directory not in self._locations:
            done = _git(directory, "rev-parse", "--show-toplevel", "--show-prefix")
            if done.returncode != 0:
                raise ChangedLinesError(f"{directory}: not inside a git repository "
                                        "(--diff needs one)")
            lines = os.fsdecode(done.stdout).split("\n")
            self._locations[directory] = (lines[0], lines[1] if len(lines) > 1 else "")
        return self._locations[directory]

    def _commit(self, root: str) -> str:
        """The commit to diff against: the merge base of BASE and HEAD, else BASE itself."""
        if root not in self._commits:
            base = self.base
            resolved = _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
            if resolved.returncode != 0:
                raise ChangedLinesError(f"unknown git ref {base!r} (in a shallow clone, fetch "
                                        f"it first: {_fetch_hint(base)})")
            commit = resolved.stdout.decode().strip()
            merge_base = _git(root, "merge-base", commit, "HEAD")
            if merge_base.returncode == 0 and merge_base.stdout.strip():
                commit = merge_base.stdout.decode().split()[0]
            # else no common history (a shallow clone, unrelated histories): BASE itself.
            self._commits[root] = commit
        return self._commits[root]

    def _changed_files(self, root: str) -> dict[str, str | None]:
        """Files that differ from the commit in the working tree: path -> old path if renamed."""
        if root not in self._files:
            commit = self._commit(root)
            done = _git(root, "diff", "--name-status", "-z", *_DIFF_OPTIONS, commit, "--")
            if done.returncode != 0:
                raise ChangedLinesError(f"git diff failed: {_first_line(done.stderr)}")
            fields = [os.fsdecode(f) for f in done.stdout.split(b"\0")]
            files: dict[str, str | None] = {}
            i = 0
            while i + 1 < len(fields) and fields[i]:
                status = fields[i]
                if status[:1] in ("R", "C") and i + 2 < len(fields):
                    files[fields[i + 2]] = fields[i + 1]
                    i += 3
                else:
                    if status[:1] != "D":
                        files[fields[i + 1]] = None
                    i += 2
            self._files[root] = files
        return self._files[root]

    def __call__(self, path: Path) -> set[int] | None:
        """Line numbers (1-based) of ``path`` added or changed since BASE; None when the file
        did not change. An untracked file counts as changed throughout."""
        root, prefix = self._location(str(path.absolute().parent))
        rel = prefix + path.name
        files = self._changed_files(root)
        if rel not in files:
            if _untracked(root, rel):
                text = path.read_bytes()
                count = text.count(b"\n") + (0 if text.endswith(b"\n") or not text else 1)
                return set(range(1, count + 1))
            return None
        old = files[rel]
        paths = [f":(literal){rel}"] + ([f":(literal){old}"] if old is not None else [])
        done = _git(root, "diff", "-U0", *_DIFF_OPTIONS, self._commit(root), "--", *paths)
        if done.returncode != 0:
            raise ChangedLinesError(f"git diff failed: {_first_line(done.stderr)}")
        return _added_lines(done.stdout)


def changed_lines(path: Path, base: str) -> set[int] | None:
    """Line numbers (1-based) of ``path`` added or changed since ``base`` (the merge base of
    ``base`` and HEAD); None when the file did not change. An untracked file counts as changed
    throughout.

    Raises :class:`ChangedLinesError` (with a one-line message) when ``base`` is unknown or
    ``path`` is not in a git repository.
    """
    return ChangedLines(base)(path)


def _first_line(stderr: bytes) -> str:
    lines = os.fsdecode(stderr).strip().splitlines()
    return lines[0] if lines else "no message"


def touches(span: Span, lines: set[int] | None) -> bool:
    """Whether a span (possibly several lines long) has a line in ``lines`` (None: all lines)."""
    if lines is None:
        return True
    return any(line in lines for line in range(span.line, max(span.line, span.end_line) + 1))
