"""Issue 12: a baseline for a legacy list (``--write-baseline``, ``--baseline``, the config key,
``--prune-baseline``), read from BASE with ``--diff``; honest fix counts; ``--fix --dry-run``
with machine formats; ``--statistics``; ``--exit-zero``. On real temporary git repositories."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from awesome_lint.baseline import BaselineError, fingerprint, parse_baseline
from awesome_lint.cli import cli
from test_changed import commit, git, git_env, lint, make_repo  # noqa: F401 (git_env: autouse)

#: A legacy list: a duplicate (AL301 at line 7), a repeated number (AL101 at line 12, fixable)
#: and, with the awesome preset, a missing badge, contributing guide and licence (AL111, AL501,
#: AL502 at line 1).
LEGACY = ("# List\n\n## Tools\n\n"
          "- [Alpha](https://alpha.example) - First tool.\n"
          "- [Beta](https://beta.example) - Second tool.\n"
          "- [Alpha again](https://alpha.example) - The same tool.\n"
          "- [Gamma](https://gamma.example) - Third tool.\n\n"
          "## Steps\n\n"
          "1. One\n2. Two\n2. Three\n")
OLD = {("README.md", 1, "AL111"), ("README.md", 1, "AL501"), ("README.md", 1, "AL502"),
       ("README.md", 7, "AL301"), ("README.md", 14, "AL101")}
BASELINE = ".awesome-lint-baseline.json"


def run(repo: Path, *args: str) -> Result:
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(cwd)


def adopted(tmp_path: Path, config: str | None = None) -> Path:
    """A repository whose legacy list's findings are in a committed baseline (on main)."""
    # The guidelines' preset gives the legacy list its three findings at line 1.
    files = {"README.md": LEGACY, ".awesome-lint.toml": 'preset = "awesome"\n' + (config or "")}
    repo = make_repo(tmp_path / "r", files)
    git(repo, "checkout", "-q", "main")
    assert set(lint(repo)[1]) == OLD
    code, found, err = lint(repo, "--write-baseline", BASELINE)
    assert (code, found) == (0, [])
    assert f"Wrote 5 findings to the baseline {BASELINE}" in err
    commit(repo, {}, "adopt awesome-lint with a baseline")
    git(repo, "checkout", "-q", "change")
    git(repo, "reset", "-q", "--hard", "main")
    return repo


def edit(repo: Path, old: str, new: str) -> None:
    path = repo / "README.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


NEW_DUPLICATE = "- [Beta too](https://beta.example) - Beta again.\n"


# --- the adoption path ------------------------------------------------------------------------


def test_a_pr_adding_one_duplicate_reports_exactly_that_one(tmp_path: Path) -> None:
    repo = adopted(tmp_path)
    assert lint(repo, "--baseline", BASELINE)[:2] == (0, [])
    edit(repo, "- [Gamma]", NEW_DUPLICATE + "- [Gamma]")
    commit(repo, {}, "add an entry")
    code, found, _ = lint(repo, "--baseline", BASELINE)
    assert (code, found) == (1, [("README.md", 8, "AL301")])
    assert lint(repo, "--baseline", BASELINE, "--diff", "main")[:2] == (1, found)
    # Without the baseline everything is back.
    assert set(lint(repo)[1]) == {*OLD_SHIFTED, ("README.md", 8, "AL301")}


OLD_SHIFTED = {(p, line + 1 if line > 7 else line, c) for p, line, c in OLD}


def test_the_config_key_names_the_baseline(tmp_path: Path) -> None:
    repo = adopted(tmp_path, config=f'baseline = "{BASELINE}"\n')
    assert lint(repo)[:2] == (0, [])
    edit(repo, "- [Gamma]", NEW_DUPLICATE + "- [Gamma]")
    assert lint(repo)[:2] == (1, [("README.md", 8, "AL301")])
    assert set(lint(repo, "--no-baseline")[1]) == {*OLD_SHIFTED, ("README.md", 8, "AL301")}
    text = run(repo)
    assert "(5 in the baseline)" in text.stdout.splitlines()[-1]


def test_moving_old_lines_does_not_resurface_them(tmp_path: Path) -> None:
    repo = adopted(tmp_path)
    body = LEGACY.replace("- [Alpha again](https://alpha.example) - The same tool.\n", "")
    body = body.replace("- [Gamma](https://gamma.example) - Third tool.\n",
                        "- [Gamma](https://gamma.example) - Third tool.\n"
                        "  - [Alpha again](https://alpha.example) - The same tool.\n")
    body = "<!-- a comment -->\n\n" + body.replace("1. One\n", "1. One\n\n")
    commit(repo, {"README.md": body}, "move lines around")
    code, found, err = lint(repo, "--baseline", BASELINE)
    assert (code, found) == (0, [])
    assert "no longer occur" not in err
    # Editing an old line's content brings its finding back.
    edit(repo, "The same tool.", "The very same tool.")
    assert lint(repo, "--baseline", BASELINE)[1] == [("README.md", 10, "AL301")]


def test_a_fixed_old_finding_is_counted_as_gone_then_pruned(tmp_path: Path) -> None:
    repo = adopted(tmp_path)
    edit(repo, "2. Three", "3. Three")  # the legacy AL101 fixed
    edit(repo, "- [Gamma]", NEW_DUPLICATE + "- [Gamma]")  # and a new finding
    code, found, err = lint(repo, "--baseline", BASELINE)
    assert (code, found) == (1, [("README.md", 8, "AL301")])
    assert "1 baseline entry no longer occurs: run --prune-baseline to prune them" in err
    before = json.loads((repo / BASELINE).read_text(encoding="utf-8"))
    code, found, err = lint(repo, "--baseline", BASELINE, "--prune-baseline")
    assert (code, found) == (1, [("README.md", 8, "AL301")])  # pruning adds nothing
    assert f"Pruned 1 entry that no longer occur from the baseline {BASELINE}" in err
    after = json.loads((repo / BASELINE).read_text(encoding="utf-8"))
    assert "AL101" in before["files"]["README.md"]
    assert "AL101" not in after["files"]["README.md"]
    assert after["files"]["README.md"]["AL301"] == before["files"]["README.md"]["AL301"]
    assert "no longer occur" not in lint(repo, "--baseline", BASELINE)[2]
    # Re-writing records what occurs now, the new duplicate included.
    assert lint(repo, "--write-baseline", BASELINE)[:2] == (0, [])
    assert lint(repo, "--baseline", BASELINE)[:2] == (0, [])


def test_more_copies_than_recorded_reports_every_copy_and_diff_keeps_the_new(
        tmp_path: Path) -> None:
    """As ESLint's bulk suppressions: which copy is new cannot be told, so all are reported;
    ``--diff`` then keeps the one on a changed line."""
    repo = adopted(tmp_path)
    line = "- [Alpha again](https://alpha.example) - The same tool.\n"
    edit(repo, "- [Beta]", line + "- [Beta]")  # the same duplicate line, pasted above
    commit(repo, {}, "paste")
    assert lint(repo, "--baseline", BASELINE)[1] == [("README.md", 6, "AL301"),
                                                      ("README.md", 8, "AL301")]
    assert lint(repo, "--baseline", BASELINE, "--diff", "main")[1] == [("README.md", 6, "AL301")]


def test_write_baseline_keeps_what_this_run_did_not_look_at(tmp_path: Path) -> None:
    repo = adopted(tmp_path)
    (repo / "other.md").write_text("# Other\n\n1. a\n1. b\n2. c\n", encoding="utf-8")
    before = json.loads((repo / BASELINE).read_text(encoding="utf-8"))["files"]
    # Only AL301 ran, only on README.md: the other rules' and files' entries stay.
    assert lint(repo, "--select", "AL301", "--write-baseline", BASELINE, "README.md")[0] == 0
    assert json.loads((repo / BASELINE).read_text(encoding="utf-8"))["files"] == before
    assert lint(repo, "--write-baseline", BASELINE, "README.md", "other.md")[0] == 0
    files = json.loads((repo / BASELINE).read_text(encoding="utf-8"))["files"]
    assert set(files) == {"README.md", "other.md"}
    assert lint(repo, "--baseline", BASELINE, "README.md", "other.md")[:2] == (0, [])


def test_the_file_is_versioned_sorted_and_stable(tmp_path: Path) -> None:
    repo = adopted(tmp_path)
    text = (repo / BASELINE).read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data) == ["version", "tool", "files"] and data["version"] == 1
    prints = data["files"]["README.md"]
    assert list(prints) == sorted(prints)
    assert prints["AL301"] == {fingerprint(
        "  - [Alpha again](https://alpha.example) - The same tool.  "): 1}
    assert lint(repo, "--write-baseline", BASELINE)[0] == 0
    assert (repo / BASELINE).read_text(encoding="utf-8") == text  # re-writing changes nothing
    # Paths are relative to the baseline's folder, whatever the working directory.
    sub = repo / "sub"
    sub.mkdir()
    assert lint(sub, "--baseline", f"../{BASELINE}", "../README.md")[:2] == (0, [])


# --- --diff: the baseline as committed at BASE ------------------------------------------------


@pytest.mark.parametrize("by_config", [False, True])
def test_a_pr_cannot_swallow_its_finding_by_editing_the_baseline(tmp_path: Path,
                                                                 by_config: bool) -> None:
    repo = adopted(tmp_path, config=f'baseline = "{BASELINE}"\n' if by_config else None)
    edit(repo, "- [Gamma]", NEW_DUPLICATE + "- [Gamma]")
    args = () if by_config else ("--baseline", BASELINE)
    # The PR records its new duplicate in the baseline file ...
    assert lint(repo, "--write-baseline", BASELINE)[:2] == (0, [])
    commit(repo, {}, "add an entry and hide it")
    assert lint(repo, *args)[:2] == (0, [])  # (a full run reads the file on disk)
    # ... but --diff reads the baseline as committed at BASE.
    code, found, _ = lint(repo, *args, "--diff", "main")
    assert (code, found) == (1, [("README.md", 8, "AL301")])


def test_a_baseline_the_pr_adds_is_not_used_with_diff(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": LEGACY})
    edit(repo, "- [Gamma]", NEW_DUPLICATE + "- [Gamma]")
    assert lint(repo, "--write-baseline", BASELINE)[0] == 0
    commit(repo, {}, "add a baseline and an entry")
    code, found, err = lint(repo, "--baseline", BASELINE, "--diff", "main")
    assert (code, found) == (1, [("README.md", 8, "AL301")])
    assert f"baseline {BASELINE}: not committed at main; every finding is reported" in err


# --- bad baselines and bad combinations -------------------------------------------------------


def test_bad_baseline_files_are_errors(tmp_path: Path) -> None:
    repo = adopted(tmp_path)
    for content, message in [("{", "not valid JSON"), ('{"version": 2, "files": {}}',
                                                         "unsupported version 2"),
                             ('{"version": 1, "files": {"a": {"AL1": {"x": 0}}}}',
                              "files.a.AL1.x: expected a count >= 1"),
                             ("[" * 100000, "not valid JSON")]:
        (repo / "bad.json").write_text(content, encoding="utf-8")
        result = run(repo, "--baseline", "bad.json")
        assert result.exit_code == 2, content
        assert f"bad.json: error: baseline: {message}" in result.stdout
    result = run(repo, "--baseline", "missing.json")
    assert result.exit_code == 2 and "missing.json: error: baseline: no such file" in result.stdout
    outside = tmp_path / "outside.json"
    outside.write_text((repo / BASELINE).read_text(encoding="utf-8"), encoding="utf-8")
    (repo / "link.json").symlink_to(outside)
    result = run(repo, "--baseline", "link.json")
    assert result.exit_code == 2 and "outside the repository" in result.stdout
    if hasattr(os, "mkfifo"):
        os.mkfifo(repo / "fifo.json")
        result = run(repo, "--baseline", "fifo.json")
        assert result.exit_code == 2 and "not a regular file" in result.stdout


@pytest.mark.parametrize("value", ['"/etc/baseline.json"', '"../baseline.json"', '""', "3"])
def test_config_key_must_be_a_relative_path_inside(tmp_path: Path, value: str) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": LEGACY,
                                      ".awesome-lint.toml": f"baseline = {value}\n"})
    result = run(repo)
    assert result.exit_code == 2
    assert ".awesome-lint.toml: error: config: baseline: expected" in result.stdout


@pytest.mark.parametrize("args", [("--write-baseline", "b.json", "--baseline", "b.json"),
                                  ("--write-baseline", "b.json", "--diff", "main"),
                                  ("--prune-baseline", "--diff", "main"),
                                  ("--no-baseline", "--baseline", "b.json"),
                                  ("--statistics", "--format", "sarif")])
def test_combinations_that_make_no_sense_are_usage_errors(tmp_path: Path,
                                                          args: tuple[str, ...]) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": LEGACY})
    assert run(repo, *args).exit_code == 2


def test_parse_baseline_units() -> None:
    assert parse_baseline(b'{"version": 1, "files": {"a.md": {"AL101": {"ab": 2}}}}') == {
        "a.md": {"AL101": {"ab": 2}}}
    for bad in (b"\xff", b"[]", b'{"version": true, "files": {}}', b'{"version": 1}',
                b'{"version": 1, "files": {"a": []}}'):
        with pytest.raises(BaselineError):
            parse_baseline(bad)
    assert fingerprint("\t x  ") == fingerprint("x") != fingerprint("y")


# --- honest fixes, machine output, statistics, exit-zero --------------------------------------

UNSORTED = ("# List\n\n## Tools\n\n- [Beta](https://b.example) - Second.\n"
            "- [Alpha](https://a.example) - First.\n\n"
            "## Steps\n\n1. One\n2. Two\n2. Three\n")
#: Two names are too few for AL303 to tell that the list is sorted, unless told to check it.
UNSORTED_FILES = {"README.md": UNSORTED,
                  ".awesome-lint.toml": '[rules.alphabetical-order]\nmode = "always"\n'}


def test_safe_and_unsafe_fixes_are_counted_apart(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", UNSORTED_FILES)
    result = run(repo, "--select", "AL101,AL303")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("README.md:6:3: AL303") and not lines[0].endswith("[*]")
    assert lines[1].startswith("README.md:12:1: AL101") and lines[1].endswith("[*]")
    assert lines[-1] == ("Found 1 error, 1 warning and 0 infos in 1 file (1 fixable with "
                         "--fix, 1 more with --unsafe-fixes).")
    only_unsafe = run(repo, "--select", "AL303").stdout.splitlines()[-1]
    assert only_unsafe.endswith("(1 fixable with --fix --unsafe-fixes).")
    data = json.loads(run(repo, "--select", "AL101,AL303", "--format", "json").stdout)
    assert data["version"] == 1
    assert (data["summary"]["fixable"], data["summary"]["unsafe_fixable"]) == (1, 1)
    assert [f["applicability"] for f in data["findings"]] == ["unsafe", "safe"]
    sarif = json.loads(run(repo, "--select", "AL101,AL303", "--format", "sarif").stdout)
    assert [r["properties"]["fixApplicability"] for r in sarif["runs"][0]["results"]] == [
        "unsafe", "safe"]


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_fix_dry_run_keeps_machine_output_pure(tmp_path: Path, fmt: str) -> None:
    repo = make_repo(tmp_path / "r", UNSORTED_FILES)
    result = run(repo, "--fix", "--dry-run", "--format", fmt)
    json.loads(result.stdout)  # nothing but the document
    assert "+3. Three" in result.stderr and "Would fix 1 finding." in result.stderr
    assert (repo / "README.md").read_text(encoding="utf-8") == UNSORTED
    unsafe = run(repo, "--fix", "--dry-run", "--unsafe-fixes", "--select", "AL101,AL303",
                 "--format", fmt)
    json.loads(unsafe.stdout)
    assert "Would fix 2 findings." in unsafe.stderr


def test_fix_dry_run_text_keeps_the_diff_on_stdout(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", UNSORTED_FILES)
    result = run(repo, "--fix", "--dry-run", "--select", "AL101")
    assert result.stdout.startswith("--- a/README.md\n+++ b/README.md\n")
    assert "Would fix 1 finding." in result.stderr and "Would fix" not in result.stdout


def test_statistics_counts_per_rule(tmp_path: Path) -> None:
    body = LEGACY.replace("- [Gamma]", "- [Beta 2](https://beta.example) - B.\n"
                          "- [Gamma 2](https://gamma.example) - G.\n- [Gamma]")
    repo = make_repo(tmp_path / "r", {"README.md": body})
    result = run(repo, "--statistics", "--select", "AL101,AL301,AL111")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "3  AL301  duplicate-link",
        "1  AL101  list-numbering  [*]",
        "1  AL111  awesome-badge",
        "Found 4 errors, 1 warning and 0 infos in 1 file (1 fixable with --fix).",
    ]
    data = json.loads(run(repo, "--statistics", "--select", "AL101,AL301",
                          "--format", "json").stdout)
    assert data == [{"code": "AL301", "name": "duplicate-link", "count": 3, "fixable": 0,
                     "unsafe_fixable": 0},
                    {"code": "AL101", "name": "list-numbering", "count": 1, "fixable": 1,
                     "unsafe_fixable": 0}]


def test_exit_zero(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": LEGACY})
    assert run(repo).exit_code == 1
    result = run(repo, "--exit-zero")
    assert result.exit_code == 0 and "AL301" in result.stdout
    assert run(repo, "--exit-zero", "--fail-on", "warning").exit_code == 0
    assert run(repo, "--exit-zero", "missing.md").exit_code == 2  # errors still fail


def test_the_readme_adoption_path_works(tmp_path: Path) -> None:
    """The README's commands and config, run as written."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Adopting it on a legacy list: the baseline", 1)[1]
    command = section.split("```sh\n", 1)[1].split("\n", 1)[0].split()
    toml = section.split("```toml\n", 1)[1].split("```", 1)[0]
    assert command[:2] == ["awesome-lint", "--write-baseline"]
    repo = make_repo(tmp_path / "r", {"README.md": LEGACY})
    assert run(repo, *command[1:]).exit_code == 0
    (repo / "pyproject.toml").write_text(toml, encoding="utf-8")
    commit(repo, {}, "adopt")
    assert lint(repo)[:2] == (0, [])
    edit(repo, "- [Gamma]", NEW_DUPLICATE + "- [Gamma]")
    assert lint(repo, "--diff", "main")[:2] == (1, [("README.md", 8, "AL301")])


def test_statistics_marks_partly_and_unsafely_fixable_rules() -> None:
    import io

    from awesome_lint.findings import Applicability, Edit, Finding, Fix, Severity
    from awesome_lint.model import Span
    from awesome_lint.report import statistics
    from awesome_lint.result import RunResult

    span = Span(2, 1, 2, 2)

    def finding(code: str, applicability: Applicability | None) -> Finding:
        fix = None if applicability is None else Fix((Edit(span, "x"),), applicability)
        return Finding("a.md", span, code, f"rule-{code}", Severity.WARNING, "m", fix)

    result = RunResult(findings=[finding("AL1", Applicability.SAFE), finding("AL1", None),
                                 finding("AL2", Applicability.UNSAFE)], files=["a.md"])
    out = io.StringIO()
    statistics.write("text", result, out)
    assert out.getvalue().splitlines()[:2] == ["2  AL1  rule-AL1  [*] 1 fixable",
                                               "1  AL2  rule-AL2"]
