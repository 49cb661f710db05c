"""Issue 10, attacks on the action itself: its own ``run:`` steps from action.yml, run in a
hostile pull request's checkout.

* Item 1: the checkout holds a shadow module for every name the interpreter could import (each
  name in ``sys.stdlib_module_names``, pip's and every dependency's top-level names), each
  writing a marker file when imported. The prepare, install and lint steps run as the runner
  runs them (bash, the env from action.yml, cwd the workspace); none of the markers may appear.
* Item 3 / 8: after the steps the workspace is exactly the checkout (``git status --porcelain
  --ignored`` is empty): the link cache is under ``$RUNNER_TEMP``, nothing is written into the
  user's tree.

The install is offline: ``PIP_NO_INDEX`` and ``PIP_FIND_LINKS`` point at a wheelhouse of our
dependencies and build backend, ``$AWESOME_LINT_WHEELHOUSE`` (.ci/run builds it), or one built
here once per session when that variable is unset.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from test_action import Runner, git

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="bash steps, POSIX paths"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

#: What the action's checkout (``$GITHUB_ACTION_PATH``) holds: what pip builds the package from.
ACTION_FILES = ("pyproject.toml", "README.md", "action.yml", "src", "rules")


@pytest.fixture(scope="session")
def action_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the action as the runner downloads it (so that pip's build never writes into
    this source tree)."""
    where = tmp_path_factory.mktemp("action") / "awesome-lint"
    where.mkdir()
    for name in ACTION_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, where / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, where / name)
    return where


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory, action_path: Path) -> Path:
    given = os.environ.get("AWESOME_LINT_WHEELHOUSE")
    if given:
        return Path(given)
    where = tmp_path_factory.mktemp("wheelhouse")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet",
                           "--disable-pip-version-check", "-w", str(where), str(action_path),
                           *build_requirements()],
                          capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0:
        pytest.skip(f"no wheelhouse (set AWESOME_LINT_WHEELHOUSE): {done.stderr[-500:]}")
    return where


def build_requirements() -> list[str]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover (Python 3.10: our dependency tomli)
        import tomli as tomllib

    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["build-system"]["requires"])


def top_level_names(wheelhouse: Path) -> set[str]:
    """The importable top-level names of every wheel in the wheelhouse, and pip's."""
    names = {"pip"}
    for wheel in wheelhouse.glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                first = member.split("/", 1)[0]
                if first.endswith((".dist-info", ".data")):
                    continue
                name = first.split(".", 1)[0]
                if name.isidentifier():
                    names.add(name)
    return names


def shadow_names(wheelhouse: Path) -> set[str]:
    return set(sys.stdlib_module_names) | top_level_names(wheelhouse)


def plant_shadows(workspace: Path, markers: Path, names: set[str]) -> None:
    """A module (or, for packages run with -m, a package with ``__main__``) per name, each
    writing ``markers/NAME`` when imported. Only builtins: it must work whatever it shadows."""
    for name in sorted(names):
        body = (f"open({str(markers / name)!r} + '.' + __name__, 'w').close()\n"
                "raise SystemExit('shadow module ' + __name__ + ' ran')\n")
        if name in ("pip", "venv", "awesome_lint", "ensurepip"):
            package = workspace / name
            package.mkdir(exist_ok=True)
            (package / "__init__.py").write_text(body, encoding="utf-8")
            (package / "__main__.py").write_text(body, encoding="utf-8")
        else:
            (workspace / f"{name}.py").write_text(body, encoding="utf-8")


README = ("# Awesome List\n\n## Tools\n\n"
          "- [Alpha](https://alpha.example) - First tool.\n")
CHANGED = README + "- [Beta](http://127.0.0.1:9/private) - Second tool.\n"


def hostile_pull_request(tmp_path: Path, names: set[str]) -> tuple[Path, dict[str, Any], Path]:
    """(workspace, event payload, marker folder): a PR that adds the shadow modules."""
    workspace = tmp_path / "workspace"
    markers = tmp_path / "markers"
    workspace.mkdir()
    markers.mkdir()
    git(workspace, "init", "-q", "-b", "main")
    (workspace / "README.md").write_text(README, encoding="utf-8")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "base")
    base = git(workspace, "rev-parse", "HEAD")
    git(workspace, "checkout", "-q", "-b", "pr")
    plant_shadows(workspace, markers, names)
    (workspace / "README.md").write_text(CHANGED, encoding="utf-8")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "pr")
    payload = {"pull_request": {"number": 1, "base": {"sha": base},
                                "head": {"sha": git(workspace, "rev-parse", "HEAD")}}}
    return workspace, payload, markers


def run_steps(runner: Runner) -> list[tuple[str, int, str]]:
    """The action's ``run:`` steps in order, as the runner runs them; outputs carried on."""
    results = []
    for step_id in ("prepare", "install", "lint"):
        code, out, outputs = runner.run_step(step_id)
        runner.context["steps"][step_id] = {"outputs": outputs}
        results.append((step_id, code, out))
        if code != 0 and step_id != "lint":
            break
    return results


def test_action_steps_run_no_module_from_the_pull_request(
        tmp_path: Path, action_path: Path, wheelhouse: Path) -> None:
    names = shadow_names(wheelhouse)
    assert {"venv", "glob", "pip", "json", "subprocess", "click", "aiohttp", "mistune",
            "hatchling", "encodings", "site"} <= names
    workspace, payload, markers = hostile_pull_request(tmp_path, names)
    runner = Runner(tmp_path, workspace, "pull_request", payload, {})
    runner.action_path = action_path
    runner.extra_env = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse)}
    runner.context["steps"] = {"python": {"outputs": {"python-path": sys.executable}}}
    results = run_steps(runner)
    ran = sorted(p.name for p in markers.iterdir())
    assert ran == [], f"modules from the pull request ran: {ran}\n{results}"
    assert [(step_id, code) for step_id, code, _ in results] == [
        ("prepare", 0), ("install", 0), ("lint", 0)], results
    lint_out = results[-1][2]
    assert "README.md" in lint_out and "AL9" in lint_out  # the blocked private link, reported
    # Nothing written into the checkout: no cache, no __pycache__, no report.
    status = git(workspace, "status", "--porcelain", "--ignored", "--untracked-files=all")
    assert status == ""
    cache = runner.temp / "awesome-lint-links"
    assert (cache / "links.sqlite3").is_file()


def test_lint_step_writes_nothing_into_the_workspace(tmp_path: Path) -> None:
    """Item 8 (and 3): with link checks on, the lint step (the installed package, as in
    test_action) leaves the checkout as it was; the link cache is in $RUNNER_TEMP."""
    workspace, payload, _ = hostile_pull_request(tmp_path, set())
    runner = Runner(tmp_path, workspace, "pull_request", payload, {"links": "changed"})
    code, out, outputs = runner.run_step("lint")
    assert outputs["exit-code"] == str(code), out
    status = git(workspace, "status", "--porcelain", "--ignored", "--untracked-files=all")
    assert status == "", f"the action wrote into the workspace:\n{status}"
    assert (runner.temp / "awesome-lint-links" / "links.sqlite3").is_file()
