"""Issue 10, item 2: a pull request cannot hide its change from ``--diff``.

A PR controls ``.gitattributes`` (``-diff``, ``binary``, a ``diff=`` driver, ``filter=``,
``working-tree-encoding=``); the user's or the runner's git config may set a textconv, an
external diff, a clean filter (git-lfs installs one system-wide), prefixes, colours or relative
paths. None of them may change which lines count as changed: the real CLI, in real temporary
repositories, must report the PR's new error on line 8, and exit 1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GIT_ENV

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BASE = ("# List\n\n## Tools\n\n"
        "- [Alpha](https://alpha.example) - First tool.\n"
        "- [Beta](https://beta.example) - Second tool.\n"
        "- [Gamma](https://gamma.example) - Third tool.\n")
PR = BASE + "- [Alpha](https://alpha.example) - Listed twice.\n"  # line 8: AL301, an error


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True, env={**os.environ, **GIT_ENV})
    return done.stdout.strip()


def pull_request(where: Path, attributes: str | None, config: dict[str, str],
                 commit_pr: bool = True) -> tuple[Path, str]:
    """A repository whose PR branch adds line 8 and ``attributes`` as .gitattributes, with
    ``config`` in its .git/config (what a user or the runner may have); (repo, base sha)."""
    repo = where / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text(BASE, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "pr")
    (repo / "README.md").write_text(PR, encoding="utf-8")
    if commit_pr:  # the text as it is, then the attributes (as a crafted commit holds them)
        git(repo, "add", "README.md")
    if attributes is not None:
        (repo / ".gitattributes").write_text(attributes, encoding="utf-8")
        git(repo, "add", ".gitattributes")
    if commit_pr:
        git(repo, "commit", "-q", "-m", "pr")
    for key, value in config.items():
        git(repo, "config", key, value)
    return repo, base


def lint_diff(repo: Path, base: str) -> tuple[int, list[tuple[str, int, str]], str]:
    done = subprocess.run([sys.executable, "-m", "awesome_lint", "--format", "json",
                           "--select", "AL301", "--diff", base, "README.md"],
                          cwd=repo, capture_output=True, text=True, check=False,
                          env={**os.environ, **GIT_ENV})
    try:
        data = json.loads(done.stdout)
    except ValueError:
        return done.returncode, [], done.stdout + done.stderr
    found = [(f["path"], f["line"], f["code"]) for f in data["findings"]]
    return done.returncode, found, json.dumps(data["summary"]) + done.stderr


ATTRIBUTES = {
    "no-diff": "README.md -diff\n",
    "binary": "*.md binary\n",
    "diff-driver": "README.md diff=hide\n",
    "textconv": "README.md diff=hide\n",
    "filter": "README.md filter=hide\n",
    "encoding": "README.md working-tree-encoding=UTF-16LE\n",
    "eol": "* text eol=crlf\n",
}
#: What the driver named in the PR's attributes does, when some config defines it.
DRIVERS = {
    "no-diff": {},
    "binary": {},
    "diff-driver": {"diff.hide.command": "true", "diff.hide.binary": "true"},
    "textconv": {"diff.hide.textconv": "head -c0", "diff.hide.cachetextconv": "false"},
    "filter": {"filter.hide.clean": "head -n 3", "filter.hide.smudge": "cat"},
    "encoding": {},
    "eol": {},
}


@pytest.mark.parametrize("variant", sorted(ATTRIBUTES))
def test_gitattributes_cannot_hide_the_change(tmp_path: Path, variant: str) -> None:
    repo, base = pull_request(tmp_path, ATTRIBUTES[variant], DRIVERS[variant])
    code, found, out = lint_diff(repo, base)
    assert (code, found) == (1, [("README.md", 8, "AL301")]), out


@pytest.mark.parametrize("variant", ["no-diff", "filter"])
def test_gitattributes_cannot_hide_an_uncommitted_change(tmp_path: Path, variant: str) -> None:
    repo, base = pull_request(tmp_path, ATTRIBUTES[variant], DRIVERS[variant], commit_pr=False)
    code, found, out = lint_diff(repo, base)
    assert (code, found) == (1, [("README.md", 8, "AL301")]), out


CONFIGS = {
    "external": {"diff.external": "true"},
    "noprefix": {"diff.noprefix": "true"},
    "mnemonic": {"diff.mnemonicPrefix": "true"},
    "relative": {"diff.relative": "true"},
    "color": {"color.diff": "always", "color.ui": "always"},
    "context": {"diff.context": "20"},
    "renames": {"diff.renames": "false"},
    "autocrlf": {"core.autocrlf": "true"},
    "quotepath": {"core.quotePath": "false"},
    "suppress-blank": {"diff.suppressBlankEmpty": "true"},
}


@pytest.mark.parametrize("variant", sorted(CONFIGS))
def test_git_config_does_not_change_the_changed_lines(tmp_path: Path, variant: str) -> None:
    repo, base = pull_request(tmp_path, None, CONFIGS[variant])
    code, found, out = lint_diff(repo, base)
    assert (code, found) == (1, [("README.md", 8, "AL301")]), out


def test_a_symlink_to_another_file_does_not_hide_its_changes(tmp_path: Path) -> None:
    """README.md becomes a link to a new file holding the PR's text: the diff of the link
    itself (one line, its target's name) must not stand for the text's changed lines."""
    repo, base = pull_request(tmp_path, None, {})
    (repo / "LIST.md").write_text(PR, encoding="utf-8")
    (repo / "README.md").unlink()
    (repo / "README.md").symlink_to("LIST.md")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "link")
    code, found, out = lint_diff(repo, base)
    assert (code, found) == (1, [("README.md", 8, "AL301")]), out
