"""The pre-commit hooks: the manifest's fields, and a real ``pre-commit try-repo`` of this
repository (it installs the package from a package index into pre-commit's own environment;
skipped, with the reason, when pre-commit or the index is not there)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import GIT_ENV, REPO

HOOKS: list[dict[str, Any]] = yaml.safe_load(
    (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_hook_manifest_fields() -> None:
    hooks = {hook["id"]: hook for hook in HOOKS}
    assert list(hooks) == ["awesome-lint", "awesome-lint-links"]
    offline, links = hooks["awesome-lint"], hooks["awesome-lint-links"]
    assert offline["entry"] == "awesome-lint"
    assert links["entry"] == "awesome-lint --links"
    for hook in (offline, links):
        assert hook["language"] == "python"
        assert hook["types"] == ["text"]  # (identify does not know every readme extension)
        assert hook["name"] and hook["description"]
    assert "stages" not in offline and "require_serial" not in offline
    assert links["stages"] == ["manual"]
    assert links["require_serial"] is True


def test_hook_manifest_is_valid_for_pre_commit() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="pre-commit not installed")
    manifest = clientlib.load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    assert [hook["id"] for hook in manifest] == ["awesome-lint", "awesome-lint-links"]


def test_files_pattern_matches_readmes_only() -> None:
    import re

    from awesome_lint.discover import MARKDOWN_EXTENSIONS

    for hook in HOOKS:
        pattern = re.compile(hook["files"])
        assert pattern.search("README.md") and pattern.search("docs/readme.md")
        # the same readmes as the command finds on its own
        for ext in MARKDOWN_EXTENSIONS:
            assert pattern.search(f".github/Readme{ext.upper()}"), ext
        assert not pattern.search("CONTRIBUTING.md") and not pattern.search("README.md.bak")
        assert not pattern.search("README") and not pattern.search("README.rst")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True,
                   env={**os.environ, **GIT_ENV})


def _try_repo(source: Path, project: Path, home: Path, *args: str) -> tuple[int, str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(source), *args,
                           "--all-files", "--color", "never"],
                          cwd=project, capture_output=True, text=True, check=False, env=env,
                          timeout=240)
    out = done.stdout + done.stderr
    if "An unexpected error has occurred" in out and ("pip" in out or "install" in out):
        pytest.skip("pre-commit could not install the hook from a package index: "
                    + out.strip().splitlines()[-1][:200])
    return done.returncode, out


def test_pre_commit_try_repo(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit not installed")
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and this repository's history")
    source = tmp_path / "awesome-lint"
    subprocess.run(["git", "clone", "-q", "--depth", "1", REPO.as_uri(), str(source)],
                   check=True, capture_output=True, env={**os.environ, **GIT_ENV})
    if not (source / ".pre-commit-hooks.yaml").exists():
        pytest.skip("the hooks are not committed yet (try-repo reads the committed tree)")
    project = tmp_path / "list"
    project.mkdir()
    _git(project, "init", "-q")
    (project / "README.md").write_text(
        "# List\n\n- [Alpha](https://alpha.example) - First.\n"
        "- [Beta](https://beta.example) - Second.\n", encoding="utf-8")
    (project / "CONTRIBUTING.md").write_text("Not a list: [](x)\n", encoding="utf-8")
    _git(project, "add", "-A")
    home = tmp_path / "pre-commit-home"

    code, out = _try_repo(source, project, home, "awesome-lint")
    assert code == 0, out  # warnings only (no badge...): the commit goes through
    assert "awesome-lint" in out and "Passed" in out

    (project / "README.md").write_text(
        "# List\n\n- [Alpha](https://alpha.example) - First.\n"
        "- [Alpha](https://alpha.example) - Second.\n", encoding="utf-8")
    _git(project, "add", "-A")
    code, out = _try_repo(source, project, home, "awesome-lint")
    assert code == 1, out
    assert "README.md:4:3: AL301 duplicate-link" in out
    assert "CONTRIBUTING.md" not in out  # not a list: not linted

    # The network hook runs only in the manual stage; with no web link it checks nothing.
    (project / "README.md").write_text("# List\n\n- [Guide](CONTRIBUTING.md) - Local.\n",
                                       encoding="utf-8")
    _git(project, "add", "-A")
    code, out = _try_repo(source, project, home, "awesome-lint-links")
    assert code == 1 and "No hook with id `awesome-lint-links` in stage `pre-commit`" in out
    code, out = _try_repo(source, project, home, "awesome-lint-links", "--hook-stage",
                          "manual", "--verbose")
    assert code == 0, out
    assert "Links: 0 checked" in out
