"""Rules come from the ``awesome_lint.rules`` entry points, third-party ones included."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from awesome_lint import registry
from awesome_lint.registry import RegistryError, load_rules


@pytest.fixture
def plugin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory on sys.path where a test can install a fake distribution."""
    monkeypatch.syspath_prepend(str(tmp_path))
    load_rules.cache_clear()
    importlib.invalidate_caches()
    yield tmp_path
    load_rules.cache_clear()
    for name in [m for m in sys.modules if m.startswith("fake_rules")]:
        del sys.modules[name]


def _install(where: Path, module: str, entry_points: str) -> None:
    (where / "fake_rules.py").write_text(module, encoding="utf-8")
    info = where / "fake_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-rules\nVersion: 1.0\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[awesome_lint.rules]\n{entry_points}\n",
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


def test_builtin_rules_are_registered_in_code_order() -> None:
    codes = [rule.code for rule in load_rules()]
    assert codes == sorted(codes)
    assert {"AL001", "AL002", "AL101", "AL301"} <= set(codes)


def test_a_third_party_rule_runs_like_a_builtin(plugin_dir: Path) -> None:
    from click.testing import CliRunner

    from awesome_lint.cli import cli

    _install(plugin_dir, _PLUGIN, "XY001 = fake_rules:NoTodo")
    assert "XY001" in [rule.code for rule in load_rules()]
    readme = plugin_dir / "list.md"
    readme.write_text("# T\n\n- [a](https://a.example) - TODO.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [str(readme), "--select", "no-todo"])
    assert result.exit_code == 1
    assert f"{readme}:3:28: XY001 no-todo Remove the TODO" in result.output


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("XY001 = fake_rules:Missing", "failed to load"),
        ("XY001 = fake_rules:NotARule", "is not a subclass"),
        ("XY002 = fake_rules:NoTodo", "must look like AL101 and equal the entry point's name"),
    ],
)
def test_broken_plugins_are_reported_by_name(plugin_dir: Path, entry: str, message: str) -> None:
    _install(plugin_dir, _PLUGIN + "\nclass NotARule:\n    pass\n", entry)
    with pytest.raises(RegistryError, match=message):
        load_rules()


def test_broken_plugin_gives_a_clean_cli_error(plugin_dir: Path) -> None:
    from click.testing import CliRunner

    from awesome_lint.cli import cli

    _install(plugin_dir, _PLUGIN, "XY001 = fake_rules:Missing")
    result = CliRunner().invoke(cli, ["x.md"])
    assert result.exit_code == 2
    assert "rule plugin XY001" in result.output
    assert "Traceback" not in result.output


def test_registry_module_does_not_import_rules_eagerly() -> None:
    assert registry.GROUP == "awesome_lint.rules"
