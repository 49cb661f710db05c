"""Start-up (issue 11): what a run of the command imports, counted in a fresh interpreter.

Counted, never timed: a plain run imports the modules of the rules it runs and none of what
only other runs need (a config file's parser, the baseline's hashing, ``--diff``'s git,
``--statistics``, the opt-in rules, the network).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from awesome_lint.config import Config, resolve_rules
from awesome_lint.registry import load_rules
from awesome_lint.rule import Phase

LIST = """# Awesome Things

> A small list.

## Tools

- [Foo](https://example.com/foo) - A foo tool.
- [Bar](https://example.com/bar) - A bar tool.

## License
"""

#: Imported only by the runs that need them, never by a plain run on a list.
NOT_AT_START_UP = frozenset({
    "tomllib", "tomli",  # a config file
    "hashlib", "json", "awesome_lint.baseline",  # a baseline
    "subprocess", "tempfile", "awesome_lint.changed", "awesome_lint.at_base",  # --diff, git
    "difflib",  # --fix --dry-run, did-you-mean hints
    "logging", "csv", "awesome_lint.spelling",  # the opt-in misspelling rule
    "awesome_lint.report.statistics", "awesome_lint.rule_docs", "traceback",
    "importlib.metadata", "email", "configparser", "pkgutil", "glob",
    "awesome_lint.links.api", "aiohttp", "ftfy",
    "awesome_lint.links.policy", "awesome_lint.links.forge_urls",  # a [links] table, --links
    "awesome_lint.verdicts", "awesome_lint.link_records",  # --links
    "awesome_lint.suppress",  # a suppression comment
    "awesome_lint.stdin",  # - (standard input)
    "awesome_lint.lsp", "pygls", "lsprotocol",  # the language server's own
})

_CHILD = """
import sys
before = set(sys.modules)
from awesome_lint.cli import cli
try:
    cli.main(sys.argv[2:], standalone_mode=False)
except SystemExit:
    pass
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("\\n".join(sorted(set(sys.modules) - before)))
"""


def _imported(folder: Path, *args: str) -> set[str]:
    """The modules a run of ``awesome-lint ARGS`` in ``folder`` imports (beyond the
    interpreter's own start-up)."""
    record = folder.parent / f"{folder.name}-modules.txt"
    subprocess.run([sys.executable, "-c", _CHILD, str(record), *args], cwd=folder,
                   capture_output=True, check=True, timeout=60)
    return set(record.read_text(encoding="utf-8").split("\n"))


def _rule_modules(modules: set[str]) -> set[str]:
    return {m for m in modules
            if m.startswith("awesome_lint.rules.") and not m.rsplit(".", 1)[1].startswith("_")}


def _listed(tmp_path: Path) -> Path:
    folder = tmp_path / "list"
    folder.mkdir()
    (folder / "README.md").write_text(LIST, encoding="utf-8")
    return folder


def test_a_plain_run_imports_the_rules_it_runs_and_nothing_it_does_not_need(
        tmp_path: Path) -> None:
    modules = _imported(_listed(tmp_path), "README.md")
    assert "awesome_lint.session" in modules  # (the run did happen)
    assert sorted(modules & NOT_AT_START_UP) == []
    offline = {rule.__module__ for rule in resolve_rules(Config(), load_rules())
               if rule.phase is not Phase.LINKS}
    assert _rule_modules(modules) == offline


def test_a_config_imports_its_parser_and_the_rules_it_configures(tmp_path: Path) -> None:
    """``[rules.NAME]``: that rule's module is imported to check its options (it does not run:
    only a severity selects it)."""
    folder = _listed(tmp_path)
    (folder / ".awesome-lint.toml").write_text('[rules.misspelling]\nignore-words = ["Foo"]\n',
                                               encoding="utf-8")
    modules = _imported(folder, "README.md")
    assert "tomllib" in modules or "tomli" in modules
    assert "awesome_lint.rules.misspelling" in modules
    assert "awesome_lint.rules.description_repeats_name" not in modules


_DEFINED = """
import dataclasses, sys
from awesome_lint.cli import cli
try:
    cli.main(sys.argv[2:], standalone_mode=False)
except SystemExit:
    pass
mine = [m for name, m in list(sys.modules.items()) if name.startswith("awesome_lint")]
classes = [c for m in mine for c in vars(m).values()
           if isinstance(c, type) and c.__module__ == m.__name__ and dataclasses.is_dataclass(c)]
lazy = [f"{m.__name__}.{n}" for m in mine for n, f in vars(m).items()
        if getattr(f, "__qualname__", "") == "lazy_compile.<locals>.compiled"
        and f.cache_info().currsize]
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write(" ".join(sorted(c.__qualname__ for c in classes)) + "\\n" + " ".join(sorted(lazy)))
"""


def test_a_plain_run_defines_few_dataclasses_and_compiles_no_pattern_it_does_not_use(
        tmp_path: Path) -> None:
    """Each dataclass compiles its methods when defined (~0.5 ms): the records a run makes
    many of are named tuples, and the classes below are the only dataclasses a plain run
    defines. Patterns only some lists need are compiled on first use (``lazy_re``)."""
    folder = _listed(tmp_path)
    record = tmp_path / "defined.txt"
    subprocess.run([sys.executable, "-c", _DEFINED, str(record), "README.md"], cwd=folder,
                   capture_output=True, check=True, timeout=60)
    classes, compiled = record.read_text(encoding="utf-8").split("\n")
    assert classes.split() == ["Document", "RunOptions", "RunResult"]
    assert compiled.split() == []  # no badge, raw HTML, remote, absolute anchor in LIST


def test_select_imports_the_selected_rules_only(tmp_path: Path) -> None:
    modules = _imported(_listed(tmp_path), "README.md", "--select", "AL204")
    assert _rule_modules(modules) == {"awesome_lint.rules.description_repeats_name"}


def test_version_and_list_rules(tmp_path: Path) -> None:
    """``--version`` imports no rule; ``--list-rules`` prints summaries: every rule module."""
    assert _rule_modules(_imported(tmp_path, "--version")) == set()
    listed = _rule_modules(_imported(tmp_path, "--list-rules"))
    assert listed == {rule.__module__ for rule in load_rules()
                      if rule.__module__.startswith("awesome_lint.rules.")}


_GC_PROBE = """
import gc, runpy, sys
during = []
def seen(phase, info):
    cli = sys.modules.get("awesome_lint.cli")
    if phase == "start" and cli is not None and not hasattr(cli, "main"):
        during.append(info["generation"])
gc.callbacks.append(seen)
sys.argv = ["awesome-lint", "--version"]
try:
    runpy.run_module("awesome_lint", run_name="__main__")
except SystemExit:
    pass
print(during, gc.isenabled(), gc.get_freeze_count() > 10_000)
"""


def test_the_command_is_imported_without_a_cycle_collection(tmp_path: Path) -> None:
    """``python -m awesome_lint`` imports the command with the collector paused, then freezes
    what the imports made (never scanned again) and restores the collector."""
    done = subprocess.run([sys.executable, "-c", _GC_PROBE], cwd=tmp_path, capture_output=True,
                          text=True, check=True, timeout=60)
    assert done.stdout.splitlines()[-1] == "[] True True"
