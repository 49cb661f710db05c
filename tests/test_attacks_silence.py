"""A pull request cannot silence the linter (``--diff BASE``, the action's pull-request mode).

Attacks, each in a real temporary git repository: the change adds a duplicate entry (AL301, an
error) and tries to hide it with an invisible comment, by deleting an ``enable`` so that an old
range reaches it, or by editing the config (``ignore = ["ALL"]``, ``severity = "off"``). The
config is read from BASE, and AL003 reports what a changed comment newly hides.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_changed import commit, lint, make_repo
from test_pr_scenarios import diff_findings

LIST = (
    "# List\n\n## Tools\n\n"
    "- [Alpha](https://alpha.example) - First tool.\n"
    "- [Beta](https://beta.example) - Second tool.\n"
)
DUPLICATE = "- [Alpha again](https://alpha.example) - The same as the first.\n"


def test_an_added_comment_cannot_hide_a_new_duplicate(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": LIST})
    commit(repo, {"README.md": LIST + "<!-- awesome-lint-disable-next-line AL301 -->\n"
                  + DUPLICATE}, "hide it")
    code, found, _ = lint(repo, "--diff", "main", "README.md")
    assert (code, found) == (1, [("README.md", 7, "AL003")])
    _, full, _ = lint(repo, "README.md")
    assert "AL003" not in {c for _, _, c in full}  # a full run compares with nothing


def test_the_message_names_what_is_hidden(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": LIST})
    commit(repo, {"README.md": LIST + DUPLICATE.rstrip("\n")
                  + " <!-- awesome-lint-disable-line -->\n"}, "hide it")
    _, (finding,) = diff_findings(repo)
    assert finding["code"] == "AL003"
    assert finding["message"].startswith("This change makes this comment hide 1 finding that "
                                         "was reported before it: AL301 at line 7")
    assert [(r["line"], r["message"]) for r in finding["related"]] == [
        (7, "AL301 hidden by the comment")]


def test_deleting_an_enable_cannot_stretch_an_old_range(tmp_path: Path) -> None:
    base = ("# List\n\n## Tools\n\n<!-- awesome-lint-disable AL301 -->\n"
            "- [Alpha](https://alpha.example) - First tool.\n"
            "- [Alpha mirror](https://alpha.example) - Cross-listed on purpose.\n"
            "<!-- awesome-lint-enable AL301 -->\n"
            "- [Beta](https://beta.example) - Second tool.\n")
    repo = make_repo(tmp_path / "r", {"README.md": base})
    head = base.replace("<!-- awesome-lint-enable AL301 -->\n", "") + DUPLICATE
    commit(repo, {"README.md": head}, "un-end the range")
    code, found, _ = lint(repo, "--diff", "main", "README.md")
    assert code == 1
    # The old disable (line 5) did not change: reported at the new line it now hides.
    assert ("README.md", 9, "AL003") in found


def test_a_maintainers_range_still_covers_new_lines_inside_it(
        tmp_path: Path) -> None:
    base = ("# List\n\n## Mirrors\n\n<!-- awesome-lint-disable AL301 -->\n"
            "- [Alpha](https://alpha.example) - First tool.\n"
            "- [Alpha mirror](https://alpha.example) - Cross-listed on purpose.\n"
            "<!-- awesome-lint-enable AL301 -->\n")
    repo = make_repo(tmp_path / "r", {"README.md": base})
    head = base.replace("<!-- awesome-lint-enable", DUPLICATE + "<!-- awesome-lint-enable")
    commit(repo, {"README.md": head}, "another mirror, inside the range")
    assert lint(repo, "--diff", "main", "README.md")[:2] == (0, [])


@pytest.mark.parametrize(("name", "text"), [
    (".awesome-lint.toml", 'ignore = ["ALL"]\n'),
    (".awesome-lint.toml", 'select = ["AL101"]\n'),
    (".awesome-lint.toml", '[rules.AL301]\nseverity = "off"\n'),
    ("pyproject.toml", '[tool.awesome-lint]\nignore = ["duplicate-link"]\n'),
])
def test_the_change_cannot_loosen_the_config(tmp_path: Path, name: str,
                                             text: str) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": LIST})
    commit(repo, {"README.md": LIST + DUPLICATE, name: text}, "loosen the config")
    code, found, _ = lint(repo, "--diff", "main", "README.md")
    assert (code, found) == (1, [("README.md", 7, "AL301")])
    assert lint(repo, "README.md")[0] == 0  # a full run reads the working tree's config


def test_the_config_at_base_still_applies(tmp_path: Path) -> None:
    """What the maintainers configured at BASE is honoured in the change's run."""
    repo = make_repo(tmp_path / "r", {
        "README.md": LIST, ".awesome-lint.toml": '[rules.AL301]\nseverity = "warning"\n'})
    commit(repo, {"README.md": LIST + DUPLICATE, ".awesome-lint.toml": ""}, "drop the config")
    code, found, _ = lint(repo, "--diff", "main", "--fail-on", "error", "README.md")
    assert (code, found) == (0, [("README.md", 7, "AL301")])  # a warning, as at BASE
