"""The package's layers, read from its source: every import, also inside functions, and every
``importlib.import_module`` name (an f-string counts by its constant prefix).

- ``links/`` is a library beneath the rules: it imports only itself, ``urls``, ``redact`` and
  the pure verdict module ``verdicts``;
- ``rules/`` read the document: they never import ``links/``, ``report/``, ``cli``, ``session``
  or ``config``, and no rule module imports another rule module (shared helpers are ``_x``);
- ``report/`` formats results: it never imports ``rules/``;
- ``lsp/`` (the language server) alone imports pygls and lsprotocol (the ``lsp`` extra), and
  nothing else imports it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "awesome_lint"


def module_name(path: Path) -> str:
    parts = ["awesome_lint", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _constant_prefix(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def imports_of(path: Path, name: str | None = None) -> set[str]:
    """Every awesome_lint module ``path`` (the module ``name``) imports; a ``from X import y``
    counts as X and X.y."""
    name = module_name(path) if name is None else name
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__"):
                prefix = _constant_prefix(node.args[0])
                if prefix:
                    found.add(prefix.rstrip("."))
    return {m for m in found if m == "awesome_lint" or m.startswith("awesome_lint.")}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _existing(imported: set[str]) -> set[str]:
    """Only the names that are modules or packages (``from m import function`` adds m.function)."""
    real = {module_name(p) for p in _modules()}
    return {m for m in imported if m in real}


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@pytest.mark.parametrize("path", [p for p in _modules() if _under(module_name(p),
                                                                   "awesome_lint.links")],
                         ids=lambda p: module_name(p))
def test_links_is_a_library_beneath_the_rules(path: Path) -> None:
    allowed = ("awesome_lint.links", "awesome_lint.urls", "awesome_lint.redact",
               "awesome_lint.verdicts")
    bad = {m for m in _existing(imports_of(path)) if m != "awesome_lint"
           and not any(_under(m, a) for a in allowed)}
    assert not bad, f"{module_name(path)} imports {sorted(bad)}"


_RULE_MODULES = [p for p in _modules() if _under(module_name(p), "awesome_lint.rules")]


@pytest.mark.parametrize("path", _RULE_MODULES, ids=lambda p: module_name(p))
def test_rules_read_the_document_only(path: Path) -> None:
    forbidden = ("awesome_lint.links", "awesome_lint.report", "awesome_lint.cli",
                 "awesome_lint.session", "awesome_lint.config")
    imported = _existing(imports_of(path))
    bad = {m for m in imported if any(_under(m, f) for f in forbidden)}
    assert not bad, f"{module_name(path)} imports {sorted(bad)}"
    if not path.name.startswith("_"):
        other_rules = {m for m in imported if _under(m, "awesome_lint.rules")
                       and m != "awesome_lint.rules"
                       and not m.rpartition(".")[2].startswith("_")
                       and m != module_name(path)}
        assert not other_rules, f"{module_name(path)} imports rule modules {sorted(other_rules)}"


@pytest.mark.parametrize("path", [p for p in _modules() if _under(module_name(p),
                                                                   "awesome_lint.report")],
                         ids=lambda p: module_name(p))
def test_reports_do_not_import_rules(path: Path) -> None:
    bad = {m for m in _existing(imports_of(path)) if _under(m, "awesome_lint.rules")}
    assert not bad, f"{module_name(path)} imports {sorted(bad)}"


def _top_level_imports(path: Path) -> set[str]:
    """The first part of every module name ``path`` imports (absolute imports only)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.partition(".")[0])
    return found


def test_only_the_language_server_imports_pygls() -> None:
    server = [p for p in _modules() if _under(module_name(p), "awesome_lint.lsp")]
    assert any("pygls" in _top_level_imports(p) for p in server)  # (the check sees them)
    for path in _modules():
        if path in server:
            continue
        assert not {"pygls", "lsprotocol"} & _top_level_imports(path), module_name(path)
        bad = {m for m in _existing(imports_of(path)) if _under(m, "awesome_lint.lsp")}
        assert not bad, f"{module_name(path)} imports {sorted(bad)}"


def test_the_check_sees_imports_inside_functions_and_import_module(tmp_path: Path) -> None:
    """The reader itself: an import in a function body and an import_module string count."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import importlib\n"
        "def f():\n"
        "    from awesome_lint import session\n"
        "    from ..report import text\n"
        "    importlib.import_module('awesome_lint.config')\n"
        "    importlib.import_module(f'awesome_lint.links.{f}')\n",
        encoding="utf-8",
    )
    found = _existing(imports_of(sample, "awesome_lint.rules.sample"))
    assert {"awesome_lint.session", "awesome_lint.report.text", "awesome_lint.config",
            "awesome_lint.links"} <= found
