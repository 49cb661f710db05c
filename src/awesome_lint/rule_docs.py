"""Each rule's page, ``rules/<CODE>-<name>.md``: shipped in the wheel, or read from the checkout."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from awesome_lint.rule import Rule

_REPO_DOCS = Path(__file__).resolve().parents[2] / "rules"


def docs_dir() -> Path:
    """Where the rule pages are: inside the installed package, or the checkout's ``rules/``."""
    packaged = Path(str(files("awesome_lint") / "_rule_docs"))
    return packaged if packaged.is_dir() else _REPO_DOCS


def page_name(rule: type[Rule]) -> str:
    return f"{rule.code}-{rule.name}.md"


def read_page(rule: type[Rule]) -> str | None:
    """The Markdown page of ``rule``, or None when it has none."""
    path = docs_dir() / page_name(rule)
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None
