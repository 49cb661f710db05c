"""The rule index: the built-in rules' codes, names and sets without importing their modules,
generated from the modules and never different from them."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from awesome_lint import registry, rule_index
from awesome_lint.registry import BUILTIN_PACKAGE, load_rules
from awesome_lint.rule import Rule
from awesome_lint.rule_index import (
    StaleIndexError,
    fresh_index_text,
    index_path,
    real_rule,
)

_RULE = '''
from awesome_lint.findings import Severity, Violation
from awesome_lint.model import Span
from awesome_lint.rule import Option, Rule, Tier


class {cls}(Rule):
    code = "{code}"
    name = "{name}"
    summary = "The {name} rule."
    severity = Severity.WARNING
    tier = Tier.OPT_IN
    options = (Option("words", 2, "How many."),)

    def check(self, doc):
        yield Violation(Span(1, 1, 1, 2), f"{name} with {{self.settings['words']}}")
'''


def test_the_index_is_the_generated_one() -> None:
    assert index_path(BUILTIN_PACKAGE).read_text(encoding="utf-8") == fresh_index_text(), (
        "awesome_lint/rules/_index.py is stale: run `python -m awesome_lint.rule_index`")


def test_every_stand_in_is_its_rule() -> None:
    """What a run reads of a rule is the same from the index's stand-in as from the class."""
    for rule in load_rules():
        real = real_rule(rule)
        for attribute in ("code", "name", "summary", "severity", "fixable", "tier", "phase",
                          "options", "__module__", "__qualname__"):
            assert getattr(rule, attribute) == getattr(real, attribute), (rule.code, attribute)
        made = rule({})
        assert type(made) is real
        assert made.settings == {option.name: option.default for option in real.options}


@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An importable rules package ``fake_index_rules``, the registry's built-in package."""
    package = tmp_path / "fake_index_rules"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "BUILTIN_PACKAGE", "fake_index_rules")
    load_rules.cache_clear()
    yield package
    load_rules.cache_clear()
    for name in [m for m in sys.modules if m.startswith("fake_index_rules")]:
        del sys.modules[name]
    importlib.invalidate_caches()


def _write(package: Path, module: str, cls: str, code: str, name: str) -> None:
    (package / f"{module}.py").write_text(_RULE.format(cls=cls, code=code, name=name),
                                          encoding="utf-8")


def _index(package: Path, *rows: tuple[str, ...]) -> None:
    (package / "_index.py").write_text(f"RULES = {rows!r}\n", encoding="utf-8")


def test_an_indexed_module_is_imported_only_when_its_rule_is_used(fake_package: Path) -> None:
    _write(fake_package, "listed", "Listed", "XY101", "listed")
    _index(fake_package, ("listed", "Listed", "XY101", "listed", "opt-in", "warning", "document"))
    [rule] = load_rules()
    assert (rule.code, rule.name, rule.tier.value) == ("XY101", "listed", "opt-in")
    assert "fake_index_rules.listed" not in sys.modules
    assert [option.name for option in rule.options] == ["words"]  # read from the module
    assert "fake_index_rules.listed" in sys.modules
    made = rule({"words": 3})
    assert type(made) is real_rule(rule) and made.settings == {"words": 3}


def test_a_module_the_index_does_not_list_is_imported_as_before(fake_package: Path) -> None:
    """Adding a rule takes one module: the index, written before it, does not hide it; a row
    whose module is gone is dropped."""
    _write(fake_package, "listed", "Listed", "XY101", "listed")
    _write(fake_package, "added", "Added", "XY102", "added")
    _index(fake_package, ("listed", "Listed", "XY101", "listed", "opt-in", "warning", "document"),
           ("gone", "Gone", "XY103", "gone", "default", "error", "document"))
    rules = {rule.code: rule for rule in load_rules()}
    assert sorted(rules) == ["XY101", "XY102"]
    assert real_rule(rules["XY102"]) is rules["XY102"]  # the class itself
    assert real_rule(rules["XY101"]) is not rules["XY101"]  # a stand-in


def test_a_stale_row_says_how_to_regenerate(fake_package: Path) -> None:
    _write(fake_package, "listed", "Renamed", "XY101", "listed")
    _index(fake_package, ("listed", "Listed", "XY101", "listed", "opt-in", "warning", "document"))
    [rule] = load_rules()
    with pytest.raises(StaleIndexError, match=r"python -m awesome_lint\.rule_index"):
        rule({})


def test_the_command_rewrites_a_stale_index(fake_package: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    _write(fake_package, "listed", "Listed", "XY101", "listed")
    _index(fake_package, ("listed", "Listed", "XY101", "listed", "default", "error", "document"))
    assert rule_index.main([]) == 0
    assert "written" in capsys.readouterr().out
    load_rules.cache_clear()
    [rule] = load_rules()
    assert (rule.tier.value, rule.severity.value) == ("opt-in", "warning")
    assert rule_index.main([]) == 0
    assert "already up to date" in capsys.readouterr().out


def test_a_plugin_rule_is_never_a_stand_in() -> None:
    class Plain(Rule):
        code = "XY199"
        name = "plain"
        summary = "Plain."

    assert real_rule(Plain) is Plain
