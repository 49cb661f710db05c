"""``awesome-lint --fix`` on a copy of the seed list: lossless, idempotent, clean of safe fixes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from awesome_lint.cli import cli
from awesome_lint.parse import parse
from conftest import SEED

MOJIBAKE = ("â€", "ðŸ", "Ã")


@pytest.fixture(scope="module")
def fixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    where = tmp_path_factory.mktemp("seed") / "README.md"
    shutil.copyfile(SEED, where)
    first = CliRunner().invoke(cli, ["--fix", str(where)])
    assert first.exit_code == 1, first.output  # the duplicate entries remain (no safe fix)
    once = where.read_text(encoding="utf-8")
    CliRunner().invoke(cli, ["--fix", str(where)])
    return SEED.read_text(encoding="utf-8"), once, where.read_text(encoding="utf-8")


def test_fixing_twice_changes_nothing(fixed: tuple[str, str, str]) -> None:
    _, once, twice = fixed
    assert twice == once


def test_no_safe_fix_is_left(fixed: tuple[str, str, str], tmp_path: Path) -> None:
    _, once, _ = fixed
    path = tmp_path / "README.md"
    path.write_text(once, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--format", "json", str(path)])
    assert '"fixable": true' not in result.stdout


def test_every_url_and_entry_is_kept(fixed: tuple[str, str, str]) -> None:
    original, once, _ = fixed
    before, after = parse(original), parse(once)
    assert [link.url for link in after.links] == [link.url for link in before.links]
    names = [(e.link.text if e.link else e.text) for e in before.iter_entries()]
    new_names = [(e.link.text if e.link else e.text) for e in after.iter_entries()]
    assert len(new_names) == len(names) == 207
    changed = [(a, b) for a, b in zip(names, new_names, strict=True) if a != b]
    assert changed and all(any(m in a for m in MOJIBAKE) for a, _ in changed)


def test_notes_nest_and_numbering_runs_on(fixed: tuple[str, str, str]) -> None:
    original, once, _ = fixed
    papers = [s for s in parse(once).iter_sections() if s.heading and s.heading.text == "Papers"]
    (section,) = papers
    (numbered,) = [lst for lst in section.lists if lst.ordered]
    assert [e.number for e in numbered.entries] == list(range(1, 19))
    assert sum(len(e.sublists) for e in numbered.entries) >= 7
    assert "â€" in original and "â€" not in once
