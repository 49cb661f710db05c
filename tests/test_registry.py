"""The registry: built-in rules are the modules of ``awesome_lint.rules``; third-party rules are
``awesome_lint.rules`` entry points of packages installed in the environment, and only there."""

from __future__ import annotations

import importlib
import os
import pkgutil
import shutil
import site
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

import awesome_lint
import awesome_lint.rules
from awesome_lint import registry
from awesome_lint.registry import RegistryError, entry_points, installed_folders, load_rules
from awesome_lint.rule import Rule
from awesome_lint.rule_index import real_rule
from conftest import REPO

SCRIPT = Path(sys.executable).parent / ("awesome-lint.exe" if os.name == "nt" else "awesome-lint")


def _clear() -> None:
    load_rules.cache_clear()
    importlib.invalidate_caches()
    for name in [m for m in sys.modules if m.startswith(("fake_rules", "evil_rules"))]:
        del sys.modules[name]


@pytest.fixture
def site_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A site-packages folder of the environment where a test can install a fake distribution."""
    folder = tmp_path / "site-packages"
    folder.mkdir()
    real = site.getsitepackages
    monkeypatch.setattr(site, "getsitepackages", lambda: [*real(), str(folder)])
    monkeypatch.syspath_prepend(str(folder))
    _clear()
    yield folder
    _clear()


def _install(where: Path, module: str, entry_points: str, *, info: str = "dist-info") -> None:
    (where / "fake_rules.py").write_text(module, encoding="utf-8")
    meta = where / f"fake_rules-1.0.{info}"
    meta.mkdir()
    (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-rules\nVersion: 1.0\n",
                                   encoding="utf-8")
    (meta / "entry_points.txt").write_text(f"[awesome_lint.rules]\n{entry_points}\n",
                                           encoding="utf-8")


_PLUGIN = '''
from awesome_lint.findings import Violation
from awesome_lint.model import Span
from awesome_lint.rule import Rule

class NoTodo(Rule):
    code = "XY001"
    name = "no-todo"
    summary = "No TODO in the list."

    def check(self, doc):
        for number, line in enumerate(doc.lines, 1):
            col = line.find("TODO")
            if col >= 0:
                yield Violation(Span(number, col + 1, number, col + 5), "Remove the TODO")
'''


# -- built-in rules: every module of awesome_lint.rules ----------------------------------------


def test_builtin_rules_are_registered_in_code_order() -> None:
    codes = [rule.code for rule in load_rules()]
    assert codes == sorted(codes)
    assert {"AL001", "AL002", "AL101", "AL301", "AL901"} <= set(codes)


def _package_modules() -> list[str]:
    """Every module of the rules package, private ones included, from its folder's files."""
    names = {info.name for info in pkgutil.iter_modules(awesome_lint.rules.__path__)}
    files = {path.stem for folder in awesome_lint.rules.__path__
             for path in Path(folder).glob("*.py") if path.stem != "__init__"}
    assert names == files  # what the registry scans is what is in the folder
    return sorted(names)


def test_every_rule_module_is_loaded_and_every_rule_class_registered() -> None:
    registered = {real_rule(rule) for rule in load_rules()}  # (the index's stand-ins resolved)
    for name in _package_modules():
        module = importlib.import_module(f"awesome_lint.rules.{name}")
        defined = [obj for obj in vars(module).values()
                   if isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule
                   and obj.__module__ == module.__name__]
        for rule in defined:
            if getattr(rule, "code", None) is None:
                assert rule.__name__.startswith("_"), f"{name}.{rule.__name__} has no code"
            else:
                assert rule in registered, f"{name}.{rule.__name__} is not registered"
        has_rules = any(rule in registered for rule in defined)
        if name.startswith("_"):
            assert not has_rules, f"helper module {name} defines a rule: drop the underscore"
        elif name in registry.NOT_RULE_MODULES:
            assert not defined, f"{name} is listed as holding no rule, but defines {defined}"
        else:
            assert has_rules, (f"rules/{name}.py defines no rule: name a helper module "
                               f"_{name}.py")


def test_a_malformed_builtin_rule_is_reported_by_module(site_dir: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    package = site_dir / "fake_rules_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "_helper.py").write_text("raise ImportError('helpers are not scanned')\n",
                                        encoding="utf-8")
    (package / "good.py").write_text(_PLUGIN, encoding="utf-8")
    (package / "bad.py").write_text(_PLUGIN.replace('"XY001"', '"X1"').replace("no-todo", "no"),
                                    encoding="utf-8")
    monkeypatch.setattr(registry, "BUILTIN_PACKAGE", "fake_rules_pkg")
    assert registry.builtin_modules() == ["fake_rules_pkg.bad", "fake_rules_pkg.good"]
    with pytest.raises(RegistryError, match=r"rule fake_rules_pkg\.bad:NoTodo: code 'X1' must"):
        load_rules()


# -- third-party rules: entry points of the installed packages ---------------------------------


def test_a_third_party_rule_runs_like_a_builtin(site_dir: Path) -> None:
    from click.testing import CliRunner

    from awesome_lint.cli import cli

    _install(site_dir, _PLUGIN, "XY001 = fake_rules:NoTodo")
    assert "XY001" in [rule.code for rule in load_rules()]
    readme = site_dir / "list.md"
    readme.write_text("# T\n\n- [a](https://a.example) - TODO.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [str(readme), "--select", "no-todo"])
    assert result.exit_code == 1
    assert f"{readme}:3:28: XY001 no-todo Remove the TODO" in result.output


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("XY001 = fake_rules:Missing", "failed to load"),
        ("XY001 = fake_rules:NotARule", "is not a subclass"),
        ("XY002 = fake_rules:NoTodo", "must equal the entry point's name"),
        ("AL101 = fake_rules:TakesAL101", "two rules claim the code AL101"),
        ("XY003 = fake_rules:TakesAName", "two rules claim the name list-numbering"),
    ],
)
def test_broken_plugins_are_reported_by_name(site_dir: Path, entry: str, message: str) -> None:
    extra = ("\nclass NotARule:\n    pass\n"
             "\nclass TakesAL101(NoTodo):\n    code = 'AL101'\n    name = 'other-name'\n"
             "\nclass TakesAName(NoTodo):\n    code = 'XY003'\n    name = 'list-numbering'\n")
    _install(site_dir, _PLUGIN + extra, entry)
    with pytest.raises(RegistryError, match=message):
        load_rules()


def test_broken_plugin_gives_a_clean_cli_error(site_dir: Path) -> None:
    from click.testing import CliRunner

    from awesome_lint.cli import cli

    _install(site_dir, _PLUGIN, "XY001 = fake_rules:Missing")
    result = CliRunner().invoke(cli, ["x.md"])
    assert result.exit_code == 2
    assert "rule plugin XY001" in result.output
    assert "Traceback" not in result.output


def test_the_installed_environment_is_where_plugins_come_from() -> None:
    folders = {os.path.realpath(f) for f in installed_folders()}
    for key in ("purelib", "platlib"):
        path = sysconfig.get_paths()[key]
        if path in sys.path:
            assert os.path.realpath(path) in folders
    assert all(Path(folder).is_absolute() for folder in folders)


def test_a_legacy_editable_install_is_found(site_dir: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"  # `setup.py develop`: the egg-info stays in the project
    project.mkdir()
    _install(project, _PLUGIN, "XY001 = fake_rules:NoTodo", info="egg-info")
    (site_dir / "fake-rules.egg-link").write_text(f"{project}\n.\n", encoding="utf-8")
    assert "XY001" not in [rule.code for rule in load_rules()]  # not on sys.path: not loaded
    monkeypatch.syspath_prepend(str(project))  # what easy-install.pth does
    _clear()
    assert "XY001" in [rule.code for rule in load_rules()]


@pytest.mark.parametrize("enabled", [True, False])
def test_user_site_packages_only_when_enabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              enabled: bool) -> None:
    user = tmp_path / "user-site"
    user.mkdir()
    _install(user, _PLUGIN, "XY001 = fake_rules:NoTodo")
    monkeypatch.setattr(site, "ENABLE_USER_SITE", enabled)
    monkeypatch.setattr(site, "getusersitepackages", lambda: str(user))
    monkeypatch.syspath_prepend(str(user))
    assert (("XY001", "fake_rules:NoTodo") in entry_points(registry.GROUP)) is enabled


@pytest.mark.parametrize("entry", ["absolute", "relative", "empty"])
def test_other_folders_on_sys_path_are_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                entry: str) -> None:
    _install(tmp_path, _PLUGIN, "XY001 = fake_rules:NoTodo")
    monkeypatch.chdir(tmp_path.parent)
    folder = {"absolute": str(tmp_path), "relative": tmp_path.name, "empty": ""}[entry]
    if entry == "empty":
        monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(folder)
    assert ("XY001", "fake_rules:NoTodo") not in entry_points(registry.GROUP)


def test_finding_the_rules_stays_cheap() -> None:
    """No ``importlib.metadata`` (17 ms of start-up on 3.11, with ``email``): files are read."""
    code = ("import sys\nfrom awesome_lint.cli import cli\nfrom awesome_lint.registry import "
            "load_rules\nload_rules()\nprint(sorted({'importlib.metadata', 'email'} & "
            "set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "[]"


# -- end to end: the console script, a hostile checkout, a copy of the package -----------------


def _env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    env.update(NO_COLOR="1", PYTHONDONTWRITEBYTECODE="1", **changes)
    return env


@pytest.mark.parametrize(
    ("how", "command", "pythonpath"),
    [
        # The command as CI and pre-commit run it, in the checkout of a pull request.
        ("script-in-checkout", "script", None),
        # `python -m` puts the current directory first on sys.path.
        ("python-m-in-checkout", "module", None),
        # `PYTHONPATH=$PYTHONPATH:x` with PYTHONPATH unset leaves an empty entry: the cwd.
        ("empty-pythonpath-entry", "script", os.pathsep + "nowhere"),
        # A workflow that puts the checkout on PYTHONPATH (to import a local helper, say).
        ("checkout-on-pythonpath", "script", "CHECKOUT"),
    ],
)
def test_a_checkout_cannot_register_a_plugin(tmp_path: Path, how: str, command: str,
                                             pythonpath: str | None) -> None:
    checkout = tmp_path / "checkout"
    info = checkout / "x-1.0.dist-info"
    info.mkdir(parents=True)
    marker = tmp_path / "marker"
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: x\nVersion: 1.0\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text("[awesome_lint.rules]\nXY666 = evil_rules:Evil\n",
                                           encoding="utf-8")
    (checkout / "evil_rules.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('imported')\n",
        encoding="utf-8")
    argv = ([str(SCRIPT)] if command == "script" else [sys.executable, "-m", "awesome_lint"])
    env = _env() if pythonpath is None else _env(
        PYTHONPATH=pythonpath.replace("CHECKOUT", str(checkout)))
    done = subprocess.run([*argv, "--list-rules"], cwd=checkout, env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert not marker.exists(), f"{how}: the checkout's module was imported"
    assert done.returncode == 0, done.stdout + done.stderr
    assert "AL101" in done.stdout and "XY666" not in done.stdout


_NEW_RULE = '''"""AL990 no-todo: added by the test, in one module."""

from __future__ import annotations

from collections.abc import Iterator

from awesome_lint.findings import Violation
from awesome_lint.model import Document, Span
from awesome_lint.rule import Rule


class NoTodo(Rule):
    code = "AL990"
    name = "no-todo"
    summary = "No TODO in the list."

    def check(self, doc: Document) -> Iterator[Violation]:
        for number, line in enumerate(doc.lines, 1):
            col = line.find("TODO")
            if col >= 0:
                yield Violation(Span(number, col + 1, number, col + 5), "Remove the TODO")
'''
_NEW_PAGE = """# AL990 no-todo

**No TODO in the list.**

Default severity: error. Fix: none.

## What it does
Reports a TODO left in the list: the page of the copy.
"""


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["checkout", "wheel"])
def test_adding_a_rule_takes_one_module_and_one_page(tmp_path: Path, layout: str) -> None:
    """A copy of the package plus one module and one page: listed, documented and run."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    source = Path(awesome_lint.__file__).parent
    if layout == "checkout":  # src/awesome_lint and rules/ side by side, as in the repository
        root = tmp_path / "src"
        pages = tmp_path / "rules"
    else:  # the wheel's layout: the pages inside the package
        root = tmp_path / "site"
        pages = root / "awesome_lint" / "_rule_docs"
    shutil.copytree(source, root / "awesome_lint", ignore=ignore)
    shutil.copytree(REPO / "rules", pages)
    (root / "awesome_lint" / "rules" / "no_todo.py").write_text(_NEW_RULE, encoding="utf-8")
    (pages / "AL990-no-todo.md").write_text(_NEW_PAGE, encoding="utf-8")
    listed = tmp_path / "list.md"
    listed.write_text("# T\n\n- [a](https://a.example) - TODO.\n", encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(SCRIPT), *args], cwd=tmp_path, env=_env(PYTHONPATH=str(root)),
                              capture_output=True, text=True, timeout=60, check=False)

    listing = run("--list-rules")
    assert listing.returncode == 0, listing.stderr
    assert "AL990  no-todo" in listing.stdout
    page = run("--rule", "AL990")
    assert page.returncode == 0, page.stderr
    assert page.stdout.startswith("# AL990 no-todo\n") and "the page of the copy" in page.stdout
    lint = run("list.md", "--select", "AL990")
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert "list.md:3:28: AL990 no-todo Remove the TODO" in lint.stdout
