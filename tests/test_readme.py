"""The README tells the truth: its set-up commands are CI's, and its rule table is the registry."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from awesome_lint import rule_docs
from awesome_lint.registry import load_rules
from awesome_lint.rule_docs import page_name, readme_table, replace_readme_table
from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_two_setup_commands_that_ci_runs() -> None:
    block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert block is not None and README.index(block.group(0)) < README.index("\n## ")
    commands = block.group(1).strip().split("\n")
    assert commands == [
        "pip install . && awesome-lint README.md",
        "pip install -e '.[test]' && python -m pytest",
    ]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in ci and 'bash -c "${commands[1]}"' in ci


def test_rule_table_lists_every_rule_with_its_page() -> None:
    rows = []
    for line in README.split("\n"):
        link = re.match(r"\| \[(\w+)\]\(rules/([^)]+)\) \|", line)
        if link:
            cells = [cell.strip() for cell in line.strip("|").split("|")[1:]]
            rows.append((link.group(1), link.group(2), *cells))
    expected = [
        (r.code, page_name(r), r.name, r.tier.value, r.severity.value,
         "yes" if r.fixable else "", r.summary)
        for r in load_rules()
    ]
    assert [tuple(row) for row in rows] == expected


def test_rule_table_is_the_generated_one() -> None:
    table = readme_table(load_rules())
    assert replace_readme_table(README, table) == README, (
        "the README's rule table is stale: run "
        "`python -m awesome_lint.rule_docs --update-readme README.md`")


def test_update_readme_rewrites_a_stale_table_only(tmp_path: Path) -> None:
    table = readme_table(load_rules())
    first_row = table.index("| [")
    gone = "| [AL000](rules/AL000-gone.md) | gone | error |  | Gone. |\n"
    stale_table = table[:first_row] + gone + table[first_row:].split("\n", 1)[1]
    readme = tmp_path / "README.md"
    readme.write_text(replace_readme_table(README, stale_table), encoding="utf-8")
    assert rule_docs.main(["--update-readme", str(readme)]) == 0
    updated = readme.read_text(encoding="utf-8")
    assert updated == replace_readme_table(README, table)


def test_readme_lints_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "awesome_lint", str(REPO / "README.md")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_readme_links_config_example_is_valid() -> None:
    import sys

    from awesome_lint.links.policy import HostLimit, LinkPolicy, policy_from_config

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    block = README.split("```toml\n[tool.awesome-lint.links]")[1].split("```")[0]
    policy = policy_from_config(tomllib.loads(block))
    assert policy.accept == {"www.linkedin.com": (999,)}
    assert policy.hosts["api.example.com"] == HostLimit(2, 0.5)
    assert policy.hosts["github.com"] == HostLimit(4, 0.05)  # the default stays
    defaults = LinkPolicy()
    assert (policy.per_host, policy.concurrency) == (defaults.per_host, defaults.concurrency)
