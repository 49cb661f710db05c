"""Issue 10, item 5 (and the relative-link oracle of item 8): a pull request's files cannot
make awesome-lint read or write outside its repository, read without limit, or block.

Each attack goes through the real CLI (``python -m awesome_lint``) in a real temporary git
repository, or through the action's own lint step; the "outside" folder stands for the rest of
the runner (another checkout, $HOME, /etc).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from awesome_lint.action import expand_files
from awesome_lint.repo import scan
from test_action import Runner

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="symlinks and FIFOs"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

SECRET = "AWS_SECRET_ACCESS_KEY=do-not-print-me"
README = ("# Awesome List\n\n## Tools\n\n"
          "- [Alpha](https://alpha.example) - First tool.\n")
FIXABLE = README + "1. a\n2. b\n2. c\n"


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    """(repository, outside): a git repository and a folder beside it with a secret."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secrets.env").write_text(f"# {SECRET}.\n\n- [x]({SECRET}) - {SECRET}\n",
                                         encoding="utf-8")
    (outside / "README.md").write_text(FIXABLE, encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo, outside


def cli(repo: Path, *args: str, timeout: float = 60) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "awesome_lint", *args], cwd=repo,
                          capture_output=True, text=True, check=False, timeout=timeout,
                          env={**os.environ, "AWESOME_LINT_CACHE_DIR": str(repo.parent / "c")})
    return done.returncode, done.stdout + done.stderr


def test_a_readme_linked_out_of_the_repository_is_not_read(world: tuple[Path, Path]) -> None:
    repo, _ = world
    (repo / "README.md").symlink_to(Path("..") / "outside" / "secrets.env")
    code, out = cli(repo, "--format", "github", "README.md")
    assert code == 2, out
    assert SECRET not in out
    lines = [line for line in out.splitlines() if line.startswith("::")]
    assert lines == ["::error file=README.md::is a link to a file outside the repository; "
                     "not read"], out


def test_a_folder_linked_out_of_the_repository_is_not_read(world: tuple[Path, Path]) -> None:
    repo, outside = world
    (repo / "docs").symlink_to(outside)
    code, out = cli(repo, "docs/secrets.env")
    assert code == 2 and SECRET not in out, out
    assert "docs/secrets.env: error: is a link to a file outside the repository; not read" in out


def test_fix_never_writes_through_a_folder_link(world: tuple[Path, Path]) -> None:
    repo, outside = world
    (repo / "docs").symlink_to(Path("..") / "outside")
    before = (outside / "README.md").read_bytes()
    code, out = cli(repo, "--fix", "docs/README.md")
    assert code == 2, out
    assert (outside / "README.md").read_bytes() == before
    assert sorted(p.name for p in outside.iterdir()) == ["README.md", "secrets.env"]


def test_dev_zero_is_refused_at_once(world: tuple[Path, Path]) -> None:
    """Outside a repository too: a device is not a regular file (and the read is capped)."""
    repo, _ = world
    (repo / "README.md").symlink_to("/dev/zero")
    started = time.monotonic()
    code, out = cli(repo, "README.md", timeout=30)
    assert code == 2 and time.monotonic() - started < 20, out
    assert "README.md: error: " in out
    (repo.parent / "zero.md").symlink_to("/dev/zero")  # no repository: still refused
    code, out = cli(repo.parent, "zero.md", timeout=30)
    assert code == 2, out
    assert "zero.md: error: not a regular file (a device, FIFO or socket); not read" in out


def test_a_fifo_does_not_block(world: tuple[Path, Path]) -> None:
    repo, _ = world
    os.mkfifo(repo / "README.md")
    code, out = cli(repo, "README.md", timeout=30)
    assert code == 2, out
    assert "README.md: error: not a regular file (a device, FIFO or socket); not read" in out


def test_relative_links_out_of_the_repository_are_not_looked_up(
        world: tuple[Path, Path]) -> None:
    """AL906 must not tell which files exist outside: an existing and a missing target out of
    the repository are reported alike."""
    repo, outside = world
    (repo / "docs").symlink_to(outside)
    text = README + ("- [Env](../outside/secrets.env) - Exists, outside.\n"
                     "- [None](../outside/nothing.env) - Missing, outside.\n"
                     "- [Via](docs/secrets.env) - Exists, through a folder link.\n"
                     f"- [Abs]({outside}/secrets.env) - Absolute path.\n")
    (repo / "README.md").write_text(text, encoding="utf-8")
    code, out = cli(repo, "--format", "json", "--select", "AL906", "README.md")
    assert code == 1, out
    found, _ = json.JSONDecoder().raw_decode(out)
    lines = sorted(f["line"] for f in found["findings"])
    assert lines == [6, 7, 8, 9], out


# --- the action's files glob ----------------------------------------------------------------


def test_glob_follows_no_folder_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md").write_text(README, encoding="utf-8")
    (tmp_path / "a").symlink_to(".")
    (tmp_path / "b").symlink_to(".")
    (tmp_path / "docs" / "root").symlink_to("/")
    try:  # in a child process: before the fix this never ended
        done = subprocess.run([sys.executable, "-c", "from awesome_lint.action import "
                               "expand_files; print(expand_files('**/README.md'))"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=20,
                              check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("expand_files('**/README.md') ran for more than 20 s (symlink loops)")
    assert done.stdout.strip() == "['docs/README.md']", done.stderr
    assert expand_files("**/README.md") == ["docs/README.md"]


def test_action_step_on_symlink_loops_and_a_link_to_root(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    subprocess.run(["git", "init", "-q", str(workspace)], check=True)
    (workspace / "README.md").write_text(README, encoding="utf-8")
    for name in "abcdefgh":
        (workspace / name).symlink_to(".")
    (workspace / "root").symlink_to("/")
    (workspace / "secret.md").symlink_to(tmp_path / "elsewhere.md")
    (tmp_path / "elsewhere.md").write_text(f"# {SECRET}\n", encoding="utf-8")
    runner = Runner(tmp_path, workspace, "push", {}, {"links": "none", "files": "**/*.md"})
    started = time.monotonic()
    try:
        code, out, _ = runner.run_step("lint")
    except subprocess.TimeoutExpired:
        pytest.fail("the lint step ran for more than 120 s (symlink loops in the glob)")
    assert time.monotonic() - started < 60
    files = {props_file(line) for line in out.splitlines() if line.startswith("::")}
    assert files <= {"README.md", "secret.md"}, out
    assert SECRET not in out
    assert code == 2, out  # secret.md: one file error
    assert "::error file=secret.md::is a link to a file outside the repository; not read" in out


def props_file(line: str) -> str:
    head = line.split("::", 2)[1]
    props: dict[str, Any] = dict(p.split("=", 1) for p in head.split(" ", 1)[1].split(","))
    return str(props["file"])


def test_diff_mode_through_a_folder_link_is_one_file_error(world: tuple[Path, Path]) -> None:
    """--diff on docs/README.md where docs -> ../outside: the file is refused (one line), git
    is not asked about the folder the link leads to."""
    repo, _ = world
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    (repo / "README.md").write_text(README, encoding="utf-8")
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-qm", "base"], check=True, env=env)
    (repo / "docs").symlink_to(Path("..") / "outside")
    code, out = cli(repo, "--diff", "HEAD", "docs/secrets.env")
    assert code == 2 and SECRET not in out, out
    assert "docs/secrets.env: error: is a link to a file outside the repository; not read" in out


def test_linked_community_folders_are_not_scanned(world: tuple[Path, Path]) -> None:
    """A docs/ link to a folder outside must not make its files count as the list's own."""
    repo, outside = world
    (outside / "CONTRIBUTING.md").write_text("# Contributing\n", encoding="utf-8")
    (repo / "docs").symlink_to(outside)
    (repo / "CONTRIBUTING.md").symlink_to(outside / "CONTRIBUTING.md")
    assert scan(repo).names == frozenset()
