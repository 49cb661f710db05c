"""``--diff BASE``: changed lines from real temporary git repositories, end to end."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from awesome_lint.changed import ChangedLinesError, _added_lines, changed_lines, touches
from awesome_lint.cli import cli
from awesome_lint.model import Span
from conftest import GIT_ENV, SEED
from linkserver import serve

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CLEAN = "# List\n\n## Tools\n\n- [Alpha](https://alpha.example) - First tool.\n" \
        "- [Beta](https://beta.example) - Second tool.\n" \
        "- [Gamma](https://gamma.example) - Third tool.\n" \
        "- [Delta](https://delta.example) - Fourth tool.\n"


@pytest.fixture(autouse=True)
def git_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWESOME_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CI", "true")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


def make_repo(where: Path, files: dict[str, str]) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    git(where, "init", "-q", "-b", "main")
    commit(where, files, "base")
    git(where, "checkout", "-q", "-b", "change")
    return where


def commit(repo: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)


def lint(repo: Path, *args: str) -> tuple[int, list[tuple[str, int, str]], str]:
    """Run the CLI in ``repo``; (exit code, [(path, line, code)], stderr)."""
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        result = CliRunner().invoke(cli, ["--format", "json", *args])
    finally:
        os.chdir(cwd)
    if result.exit_code == 2 and not result.stdout.strip():
        return 2, [], result.stderr
    data = json.loads(result.stdout)
    found = [(f["path"], f["line"], f["code"]) for f in data["findings"]]
    return result.exit_code, found, result.stderr


# --- units ------------------------------------------------------------------------------------


def test_hunk_headers_give_the_added_lines() -> None:
    diff = (b"diff --git a/x b/x\n@@ -1 +1 @@\n-a\n+b\n@@ -3,0 +4,2 @@\n+c\n+d\n"
            b"@@ -9,2 +10,0 @@\n-e\n-f\n@@ -20,3 +19,3 @@ ## a heading\n")
    assert _added_lines(diff) == {1, 4, 5, 19, 20, 21}


def test_touches_counts_any_line_of_a_multi_line_span() -> None:
    assert touches(Span(3, 1, 5, 2), {5})
    assert touches(Span(3, 1, 3, 2), None)
    assert not touches(Span(3, 1, 5, 2), {2, 6})
    assert not touches(Span(3, 1, 3, 2), set())


# --- changed_lines on real repositories --------------------------------------------------------


def test_added_modified_and_moved_lines(tmp_path: Path) -> None:
    lines = [f"line {i}" for i in range(1, 11)]
    repo = make_repo(tmp_path / "r", {"a.md": "\n".join(lines) + "\n"})
    new = list(lines)
    new[1] = "line 2, modified"          # line 2: modified
    new.insert(4, "inserted")            # line 5: added
    del new[8]                           # "line 8" deleted ...
    new.append("line 8")                 # ... and re-added at the end (line 11)
    commit(repo, {"a.md": "\n".join(new) + "\n"}, "change")
    assert changed_lines(repo / "a.md", "main") == {2, 5, 11}


def test_a_line_deleted_then_restored_is_unchanged(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.md": "one\ntwo\nthree\n"})
    commit(repo, {"a.md": "one\nthree\n"}, "delete")
    commit(repo, {"a.md": "one\ntwo\nthree\n"}, "restore")
    assert changed_lines(repo / "a.md", "main") is None
    commit(repo, {"a.md": "one\nthree\n"}, "delete again")
    assert changed_lines(repo / "a.md", "main") == set()  # changed, but nothing added


def test_uncommitted_and_untracked_changes_count(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.md": "one\ntwo\n"})
    (repo / "a.md").write_text("one\ntwo\nthree\n", encoding="utf-8")  # not committed
    assert changed_lines(repo / "a.md", "main") == {3}
    (repo / "docs").mkdir()
    (repo / "docs" / "new.md").write_text("x\ny\nz", encoding="utf-8")  # untracked
    assert changed_lines(repo / "docs" / "new.md", "main") == {1, 2, 3}


def test_renamed_file_counts_only_its_added_lines(tmp_path: Path) -> None:
    body = "".join(f"- [Entry {i}](https://e{i}.example) - Entry number {i}.\n"
                   for i in range(1, 21))
    repo = make_repo(tmp_path / "r", {"old.md": body})
    git(repo, "mv", "old.md", "new.md")
    commit(repo, {"new.md": body.replace("Entry number 7.", "Entry number seven.")}, "rename")
    assert changed_lines(repo / "new.md", "main") == {7}


def test_merge_base_ignores_what_changed_on_the_base_since(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.md": "one\ntwo\nthree\n"})
    commit(repo, {"a.md": "one\ntwo\nthree\nfour\n"}, "change")
    git(repo, "checkout", "-q", "main")
    commit(repo, {"a.md": "ONE\ntwo\nthree\n"}, "base moves on")
    git(repo, "checkout", "-q", "change")
    assert changed_lines(repo / "a.md", "main") == {4}


def test_file_in_a_subdirectory_with_odd_name(tmp_path: Path) -> None:
    name = "sub dir/we:ird, name%.md"
    repo = make_repo(tmp_path / "r", {name: "a\n"})
    commit(repo, {name: "a\nb\n"}, "change")
    assert changed_lines(repo / name, "main") == {2}


def test_unknown_base_and_no_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.md": "a\n"})
    with pytest.raises(ChangedLinesError, match=r"^unknown git ref 'origin/main' \(in a shallow"
                                                r" clone, fetch it first: git fetch --depth=1 "
                                                r"origin main:refs/remotes/origin/main\)$"):
        changed_lines(repo / "a.md", "origin/main")
    with pytest.raises(ChangedLinesError, match="invalid git ref"):
        changed_lines(repo / "a.md", "--output=/tmp/x")
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "a.md").write_text("a\n", encoding="utf-8")
    with pytest.raises(ChangedLinesError, match="not inside a git repository"):
        changed_lines(outside / "a.md", "main")


# --- the CLI -----------------------------------------------------------------------------------

DEFECTS = CLEAN.replace("Second tool.", "Second tool. ")  # AL404 trailing whitespace, line 6
#: The guidelines' preset and trailing whitespace (opt-in): the old defects of DEFECTS.
STRICT = {".awesome-lint.toml": 'preset = "awesome"\nextend-select = ["AL404"]\n'}


def test_cli_reports_only_changed_lines_and_skips_unchanged_files(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": DEFECTS, "other.md": DEFECTS, **STRICT})
    whole = lint(repo, "README.md", "other.md")[1]
    # Old defects: no badge, no contributing guide, no licence (line 1), trailing space (line 6).
    for name in ("README.md", "other.md"):
        assert {(line, code) for path, line, code in whole if path == name} == {
            (1, "AL111"), (1, "AL501"), (1, "AL502"), (6, "AL404")}
    added = DEFECTS + "- [Alpha](https://alpha.example) - Again.\n"  # line 9: AL301
    commit(repo, {"README.md": added}, "change")
    code, found, _ = lint(repo, "--diff", "main", "README.md", "other.md")
    assert (code, found) == (1, [("README.md", 9, "AL301")])
    done = CliRunner().invoke(cli, ["--diff", "main", str(repo / "README.md"),
                                    str(repo / "other.md")])
    assert done.stdout.splitlines()[-1] == "Found 1 error, 0 warnings and 0 infos in 1 file."
    # Nothing changed in other.md: skipped, not even counted as a file.
    code, found, _ = lint(repo, "--diff", "main", "other.md")
    assert (code, found) == (0, [])


def test_cli_multi_line_finding_counts_when_any_line_changed(tmp_path: Path) -> None:
    # The duplicate link's text runs over lines 4 and 5; the change touches line 5 only.
    text = ("# List\n\n- [Alpha](https://alpha.example) - First.\n"
            "- [Alpha\n  again](https://alpha.example) - Second.\n")
    repo = make_repo(tmp_path / "r", {"README.md": text})
    commit(repo, {"README.md": text.replace("Second.", "Second entry.")}, "change")
    assert changed_lines(repo / "README.md", "main") == {5}
    result = CliRunner().invoke(cli, ["--format", "json", "--diff", "main",
                                      str(repo / "README.md")])
    found = [(f["line"], f["end_line"], f["code"]) for f in json.loads(result.stdout)["findings"]]
    assert (4, 5, "AL301") in found
    assert all(end >= 5 for _, end, _ in found)


def test_cli_unknown_base_exits_2_with_one_line(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": CLEAN})
    code, found, stderr = lint(repo, "--diff", "origin/main", "README.md")
    assert code == 2 and found == []
    assert stderr.strip().splitlines() == [
        "Error: unknown git ref 'origin/main' (in a shallow clone, fetch it first: "
        "git fetch --depth=1 origin main:refs/remotes/origin/main)"]


def test_cli_diff_and_fix_do_not_mix(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": DEFECTS})
    result = CliRunner().invoke(cli, ["--diff", "main", "--fix", str(repo / "README.md")])
    assert result.exit_code == 2 and "cannot be combined with --diff" in result.output
    assert (repo / "README.md").read_text(encoding="utf-8") == DEFECTS


def test_cli_missing_file_is_still_reported(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": CLEAN})
    result = CliRunner().invoke(cli, ["--diff", "main", str(repo / "gone.md")])
    assert result.exit_code == 2
    assert "gone.md: error:" in result.stdout


def test_cli_shallow_clone_with_the_base_fetched(tmp_path: Path) -> None:
    origin = make_repo(tmp_path / "origin", {"README.md": DEFECTS})
    commit(origin, {"README.md": DEFECTS + "- [Beta](https://beta.example) - Again.\n"},
           "change")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "change",
                    (origin.as_uri()), str(clone)], check=True, capture_output=True)
    assert git(clone, "rev-parse", "--is-shallow-repository") == "true"
    code, _, stderr = lint(clone, "--diff", "origin/main", "README.md")
    assert code == 2 and "unknown git ref 'origin/main'" in stderr
    # The command the message suggests makes it work.
    git(clone, "fetch", "-q", "--depth=1", "origin", "main:refs/remotes/origin/main")
    code, found, _ = lint(clone, "--diff", "origin/main", "README.md")
    assert (code, found) == (1, [("README.md", 9, "AL301")])
    # As in GitHub Actions: the base fetched by its commit id.
    base = git(origin, "rev-parse", "main")
    clone2 = tmp_path / "clone2"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "change",
                    (origin.as_uri()), str(clone2)], check=True, capture_output=True)
    git(clone2, "fetch", "-q", "--depth=1", "origin", base)
    assert lint(clone2, "--diff", base, "README.md")[1] == [("README.md", 9, "AL301")]


def test_cli_diff_checks_only_the_links_on_changed_lines(tmp_path: Path) -> None:
    with serve() as server:
        u = server.url
        base = f"# List\n\n- [Old]({u('/status/404')}) - Dead before the change.\n"
        repo = make_repo(tmp_path / "r", {"README.md": base,
                                          ".awesome-lint.toml": "[links]\nretries = 1\n"})
        commit(repo, {"README.md": base + f"- [New]({u('/status/410')}) - Dead on arrival.\n"},
               "change")
        code, found, _ = lint(repo, "--diff", "main", "--links", "--allow-private", "README.md")
        assert server.hits["/status/404"] == 0
        assert server.hits["/status/410"] == 1
    assert (code, found) == (1, [("README.md", 4, "AL901")])


def test_cli_fail_on_and_extra_report(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": DEFECTS, **STRICT})  # warnings only
    assert lint(repo, "README.md")[0] == 0
    assert lint(repo, "--fail-on", "warning", "README.md")[0] == 1
    assert lint(repo, "--fail-on", "info", "README.md")[0] == 1
    report = tmp_path / "report.md"
    assert lint(repo, "--report", f"markdown:{report}", "README.md")[0] == 0
    assert "### AL404 trailing-whitespace (1)" in report.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["--report", "xml:out.xml", str(repo / "README.md")])
    assert result.exit_code == 2 and "expected FORMAT:PATH" in result.output


# --- the scenario: the seed list as the base --------------------------------------------


def test_seed_list_change_reports_exactly_the_two_new_defects(tmp_path: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    repo = make_repo(tmp_path / "list", {"README.md": seed})
    code, before, _ = lint(repo, "README.md")
    assert len(before) > 30  # the seed's old defects
    lines = seed.split("\n")
    at = lines.index("### Chainer") + 2
    assert lines[at].startswith("1. [soskek/bert-chainer]")
    assert lines[at + 1] == ""
    duplicate = lines.index(next(x for x in lines if "[codertimo/BERT-pytorch]" in x))
    lines[at + 1:at + 1] = [
        # a duplicate of an entry further up (AL301) ...
        "2. [codertimo/BERT-pytorch](https://github.com/codertimo/BERT-pytorch) - Google AI "
        "2018 BERT pytorch implementation.",
        # ... and a malformed entry: a link without text (AL202)
        "3. [](https://github.com/example/chainer-bert) - A Chainer implementation of BERT.",
    ]
    commit(repo, {"README.md": "\n".join(lines)}, "add two entries")
    code, found, _ = lint(repo, "--diff", "main", "README.md")
    assert (code, found) == (1, [("README.md", at + 2, "AL301"), ("README.md", at + 3, "AL202")])
    assert duplicate + 1 < at + 2  # the duplicate points back at the old entry
    # The same through the installed command, as a workflow runs it.
    done = subprocess.run([sys.executable, "-m", "awesome_lint", "--diff", "main", "README.md"],
                          cwd=repo, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert [line.split(" ")[0:2] for line in done.stdout.splitlines()[:-1]] == [
        [f"README.md:{at + 2}:4:", "AL301"], [f"README.md:{at + 3}:4:", "AL202"]]
