"""Each rule's page, ``rules/<CODE>-<name>.md``: shipped in the wheel, or read from the checkout.

``python -m awesome_lint.rule_docs --update-readme README.md`` rewrites the README's rule table
from the registry (``--readme-table`` prints it); a test fails while the two disagree.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from awesome_lint.rule import Rule

#: The wheel ships the pages inside the package (``force-include`` in pyproject.toml) ...
_PACKAGED_DOCS = Path(__file__).resolve().parent / "_rule_docs"
#: ... a checkout (or an editable install) has them at the top, next to ``src/``.
_REPO_DOCS = Path(__file__).resolve().parents[2] / "rules"
_TABLE_HEAD = ("| code | name | set | severity | fix | what it checks |\n"
               "|---|---|---|---|---|---|\n")


def docs_dir() -> Path:
    """Where the rule pages are: inside the installed package, or the checkout's ``rules/``."""
    return _PACKAGED_DOCS if _PACKAGED_DOCS.is_dir() else _REPO_DOCS


#: Where the pages are read on the web: the repository's ``rules/`` folder (the repository is
#: the SARIF report's ``informationUri``), as the README's rule table links them.
PAGES_URL = "https://github.com/awesome-lint/awesome-lint/blob/main/rules/"


def page_name(rule: type[Rule]) -> str:
    return f"{rule.code}-{rule.name}.md"


def page_url(rule: type[Rule]) -> str | None:
    """The web address of ``rule``'s page, or None for a rule without one (a plugin's)."""
    return PAGES_URL + page_name(rule) if (docs_dir() / page_name(rule)).is_file() else None


def page_sections(page: str, titles: Sequence[str]) -> str:
    """The ``## `` sections of ``page`` whose titles are ``titles``, in the page's order."""
    kept: list[str] = []
    keep = fenced = False
    for line in page.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif line.startswith("## ") and not fenced:
            keep = line[3:].strip() in titles
        if keep:
            kept.append(line)
    return "\n".join(kept).strip()


def read_page(rule: type[Rule]) -> str | None:
    """The Markdown page of ``rule``, or None when it has none."""
    path = docs_dir() / page_name(rule)
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def readme_table(rules: Sequence[type[Rule]]) -> str:
    """The README's rule table: one row per rule, linked to its page."""
    rows = [_TABLE_HEAD]
    for rule in rules:
        summary = rule.summary
        cells = (f"[{rule.code}](rules/{page_name(rule)})", rule.name, rule.tier.value,
                 rule.severity.value,
                 "yes" if rule.fixable else "", summary.replace("|", "\\|"))
        rows.append("| " + " | ".join(cells) + " |\n")
    return "".join(rows)


def replace_readme_table(readme: str, table: str) -> str:
    """``readme`` with its rule table (the one under the table's header row) replaced."""
    start = readme.find(_TABLE_HEAD)
    if start < 0:
        raise ValueError("the README has no rule table (its header row was not found)")
    end = start + len(_TABLE_HEAD)
    while readme.startswith("|", end):
        end = readme.find("\n", end) + 1 or len(readme)
    return readme[:start] + table + readme[end:]


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from awesome_lint.registry import load_rules

    parser = argparse.ArgumentParser(prog="python -m awesome_lint.rule_docs",
                                     description="Print or update the README's rule table.")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--readme-table", action="store_true", help="print the rule table")
    group.add_argument("--update-readme", metavar="README", type=Path,
                       help="rewrite the rule table of this README in place")
    args = parser.parse_args(argv)
    table = readme_table(load_rules())
    if args.readme_table:
        sys.stdout.write(table)
        return 0
    path: Path = args.update_readme
    before = path.read_text(encoding="utf-8")
    after = replace_readme_table(before, table)
    if after != before:
        path.write_text(after, encoding="utf-8")
    print(f"{path}: rule table {'updated' if after != before else 'already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
