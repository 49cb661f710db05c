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
import tempfile
from pathlib import Path

from awesome_lint.model import Span
from awesome_lint.source import MAX_BYTES, SourceError, read_bytes

_HUNK = re.compile(rb"^@@+ (?:-\d+(?:,\d+)? )+\+(\d+)(?:,(\d+))? @@")


class ChangedLinesError(Exception):
    """``--diff`` cannot work: BASE unknown, not a git repository, git missing or failing."""


#: Config that would change what ``git diff`` prints, whoever set it (the user, the runner's
#: system config): neutralised on every call. The repository's own files (``.gitattributes``,
#: which a pull request controls) never decide the changed lines: see :meth:`ChangedLines.__call__`.
_NEUTRAL_CONFIG = (
    "core.attributesFile=" + os.devnull, "diff.external=", "diff.noprefix=false",
    "diff.mnemonicPrefix=false", "diff.relative=false", "color.ui=false", "color.diff=false",
    "core.quotePath=true", "diff.suppressBlankEmpty=false",
)


def _git(cwd: Path | str, *args: str, **env_extra: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C", **env_extra}
    for name in ("GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS"):
        env.pop(name, None)
    config = [arg for pair in _NEUTRAL_CONFIG for arg in ("-c", pair)]
    try:
        return subprocess.run(["git", *config, "-C", str(cwd), *args], capture_output=True,
                              env=env, check=False)
    except FileNotFoundError as exc:
        raise ChangedLinesError("--diff needs git, and git was not found") from exc


def _fetch_hint(base: str) -> str:
    remote, slash, branch = base.partition("/")
    if slash and remote == "origin" and branch:
        return f"git fetch --depth=1 origin {branch}:refs/remotes/origin/{branch}"
    return f"git fetch --depth=1 origin {base}"


_DIFF_OPTIONS = ("--text", "--no-color", "--no-ext-diff", "--no-textconv", "--find-renames",
                 "--ignore-submodules")


def _added_lines(diff: bytes) -> set[int]:
    lines: set[int] = set()
    for line in diff.split(b"\n"):
        match = _HUNK.match(line)
        if match:
            start, count = int(match.group(1)), int(match.group(2) or b"1")
            lines.update(range(start, start + count))
    return lines


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

    def _old_blob(self, root: str, rel: str) -> bytes | None:
        """The file's bytes in the commit, exactly as stored (no filter, no conversion); None
        when it is not there (or is not a file there)."""
        spec = f"{self._commit(root)}:{rel}"
        kind = _git(root, "cat-file", "-t", spec)
        if kind.returncode != 0 or kind.stdout.strip() != b"blob":
            return None
        size = _git(root, "cat-file", "-s", spec)
        if size.returncode != 0 or int(size.stdout.strip() or b"0") > MAX_BYTES:
            return None  # (too large to lint anyway: counted as changed throughout)
        done = _git(root, "cat-file", "blob", spec)
        return done.stdout if done.returncode == 0 else None

    def __call__(self, path: Path) -> set[int] | None:
        """Line numbers (1-based) of ``path`` added or changed since BASE; None when the file
        did not change. An untracked file counts as changed throughout.

        The lines are those of the bytes we lint: the file as read (through a symlink, like the
        lint), diffed by git against the commit's blob as stored. The repository's
        ``.gitattributes`` (``-diff``, ``binary``, ``diff=``, ``filter=``, encodings), which a
        pull request controls, have no say, nor has any textconv or external diff: git compares
        two plain files outside the repository (``git diff --no-index --text``). A file that
        cannot be read (outside the repository, not a regular file, too large) counts as
        changed at line 1, so that the lint reports why in one line.
        """
        try:  # (first: git must not be asked about a folder a link leads to)
            new = read_bytes(path, str(path))
        except SourceError:
            return {1}
        root, prefix = self._location(str(path.absolute().parent))
        rel = prefix + path.name
        old_rel = self._changed_files(root).get(rel)  # the old name of a renamed file
        old = self._old_blob(root, old_rel if old_rel is not None else rel)
        if old is None and old_rel is not None:
            old = self._old_blob(root, rel)
        if old is None:  # new in the change, or untracked: changed throughout
            count = new.count(b"\n") + (0 if new.endswith(b"\n") or not new else 1)
            return set(range(1, count + 1))
        # Line endings as git's own conversion would see them (core.autocrlf checkouts).
        old, new = old.replace(b"\r\n", b"\n"), new.replace(b"\r\n", b"\n")
        if old == new:
            return None
        return _diff_bytes(old, new)


def _diff_bytes(old: bytes, new: bytes) -> set[int]:
    """The lines of ``new`` added or changed from ``old``, by ``git diff --no-index`` on two
    temporary files in an empty folder outside any repository."""
    with tempfile.TemporaryDirectory(prefix="awesome-lint-diff-") as folder:
        Path(folder, "old").write_bytes(old)
        Path(folder, "new").write_bytes(new)
        done = _git(folder, "diff", "--no-index", "-U0", *_DIFF_OPTIONS, "--", "old", "new",
                    GIT_CEILING_DIRECTORIES=str(Path(folder).parent), GIT_DIR=os.devnull)
    if done.returncode not in (0, 1):
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
