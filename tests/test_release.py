"""Ready to release: a licence, a contributing guide, a changelog, one version, README examples
that use its tags, and a README with nothing to say at --fail-on warning."""

from __future__ import annotations

import re
import subprocess
import sys

import awesome_lint
from conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

README = (REPO / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = awesome_lint.__version__


def test_readme_is_clean_at_fail_on_warning() -> None:
    done = subprocess.run([sys.executable, "-m", "awesome_lint", "--fail-on", "warning",
                           "README.md"], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "All checks passed: 1 file, no findings."


def test_the_project_config_turns_off_the_awesome_badge_only() -> None:
    """The README is a tool's: the badge rule is off (and the README says why), nothing else."""
    assert PYPROJECT["tool"]["awesome-lint"] == {"ignore": ["awesome-badge"]}
    assert '[tool.awesome-lint]\nignore = ["awesome-badge"]\n' in README
    assert (REPO / ".awesome-lint.toml").exists() is False  # it would win over pyproject.toml


def test_version_comes_from_one_place() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "src/awesome_lint/__init__.py"
    # No other file of the package spells the version out.
    for path in (REPO / "src" / "awesome_lint").rglob("*.py"):
        if path.name != "__init__.py" or path.parent.name != "awesome_lint":
            assert VERSION not in path.read_text(encoding="utf-8"), path
    done = subprocess.run([sys.executable, "-m", "awesome_lint", "--version"],
                          capture_output=True, text=True, check=False)
    assert VERSION in done.stdout


def test_readme_examples_use_the_versions_tags() -> None:
    """pre-commit pins ``rev: vX.Y.Z``; the workflows use the action's major tag ``@vX``."""
    revs = re.findall(r"^\s*rev: (\S+)$", README, re.M)
    assert revs and set(revs) == {f"v{VERSION}"}, revs
    uses = re.findall(r"awesome-lint/awesome-lint@(\S+?)`?$", README, re.M)
    major = f"v{VERSION.split('.')[0]}"
    assert len(uses) >= 3 and set(uses) == {major}, uses
    # Any other tag-like mention of the project's version (prose included) is the same.
    for tag in re.findall(r"awesome-lint@(v[\w.]+)", README):
        assert tag == major
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(VERSION)} - \d{{4}}-\d\d-\d\d$", changelog, re.M)


def test_licence_contributing_guide_and_changelog() -> None:
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n")
    assert re.search(r"^Copyright \(c\) \d{4} awesome-lint developers$", licence, re.M)
    assert PYPROJECT["project"]["license"] == "MIT"
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for needed in ("pip install -e '.[test]'", "python -m pytest",
                   "python -m awesome_lint.rule_docs --update-readme README.md",
                   "[SECURITY.md](SECURITY.md)", "ruff check src tests bench", "mypy"):
        assert needed in contributing, needed
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", changelog, re.M)
    assert headings[0] == "Unreleased" and headings[-1].startswith(f"{VERSION} - ")
    unreleased = changelog.split("\n## ")[1]
    for change in ("lint_paths", "AL003", "read as committed at BASE", "CPU time", "observations",
                   "scheduler", "step summary"):
        assert change in unreleased, change
    sdist = PYPROJECT["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    assert {"LICENSE", "CHANGELOG.md", "CONTRIBUTING.md", "SECURITY.md"} <= set(sdist)
