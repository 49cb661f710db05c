"""The ``awesome-lint`` command end to end: exit codes, config, suppression, --fix, output formats.

Exit status: 0 clean, 1 error-severity findings, 2 usage, config or file errors.
"""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import awesome_lint
from awesome_lint.cli import cli
from conftest import SEED

# Fixtures are clean for the whole rule catalogue except for what a test is about: a title
# with the Awesome badge (AL110, AL111), entries with a capitalised, full-stop description.
TITLE = "# Awesome Test [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
TITLE_CRLF = TITLE.replace("\n", "\r\n").encode()
BOM = b"\xef\xbb\xbf"
CLEAN = (TITLE + "- [Alpha](https://example.com/alpha) - Does alpha things.\n"
         "- [Beta](https://example.com/beta) - Does beta things.\n")
REPEATED = TITLE + "1. a\n2. b\n2. c\n3. d\n"  # line 5 repeats 2
# An item numbered 2 in a list numbering every item 1, and a duplicate link: both on line 5.
TWO_RULES = (TITLE + "1. [A](https://example.com/a) - Does alpha things.\n"
             "1. [A (beta)](https://example.com/b) - Does beta things.\n"
             "2. [A again](https://example.com/a) - Does gamma things.\n")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory, with no config above it that we did not write."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return work


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def lines(result: Result) -> list[str]:
    """The output's lines, without the note that these folders are not git repositories (the
    repository rules are skipped: tests/test_suppress_reasons.py checks that note)."""
    return [line for line in result.output.splitlines()
            if not line.endswith("not in a git repository")]


def findings(result: Result) -> list[tuple[str, int]]:
    """(code, line) of every finding of a ``--format json`` run."""
    data = json.loads(result.stdout)
    return [(f["code"], f["line"]) for f in data["findings"]]


def names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- the seed list --------------------------------------------------------------------------


def test_seed_list() -> None:
    result = run("--format", "json", str(SEED))
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    by_code: dict[str, list[int]] = {}
    for f in data["findings"]:
        by_code.setdefault(f["code"], []).append(f["line"])
    assert by_code.get("AL101") == [55, 84, 103]
    assert by_code.get("AL301") == [233, 292]
    assert [f for f in data["findings"] if 12 <= f["line"] <= 47] == []  # table of contents
    assert data["summary"]["file_errors"] == []
    assert data["summary"]["files"] == 1


# --- exit codes -----------------------------------------------------------------------------


def test_clean_file_exits_0(here: Path) -> None:
    write(here / "list.md", CLEAN)
    result = run("list.md")
    assert result.exit_code == 0
    assert lines(result) == ["All checks passed: 1 file, no findings."]


def test_repeated_number_exits_1(here: Path) -> None:
    write(here / "list.md", REPEATED)
    result = run("list.md")
    assert result.exit_code == 1
    assert lines(result) == [
        "list.md:5:1: AL101 list-numbering Expected 3, found 2 (the item above is also 2) [*]",
        "Found 1 error, 0 warnings and 0 infos in 1 file (1 fixable with --fix).",
    ]


def test_missing_file_exits_2(here: Path) -> None:
    result = run("nope.md")
    assert result.exit_code == 2
    assert "nope.md: error: no such file" in lines(result)
    assert "Traceback" not in result.output


def test_directory_exits_2(here: Path) -> None:
    (here / "docs").mkdir()
    result = run("docs")
    assert result.exit_code == 2
    assert ("docs: error: is a folder with no Markdown readme (README.md, any case) in it or "
            "below, nor a file its config includes") in lines(result)


def test_missing_and_bad_file_both_reported(here: Path) -> None:
    write(here / "bad.md", REPEATED)
    result = run("missing.md", "bad.md")
    assert result.exit_code == 2
    out = lines(result)
    assert "missing.md: error: no such file" in out
    assert ("bad.md:5:1: AL101 list-numbering Expected 3, found 2 (the item above is also 2) [*]"
            in out)
    assert out[-1] == ("Found 1 error, 0 warnings and 0 infos in 1 file (1 fixable with --fix); "
                       "1 file could not be checked.")


def test_missing_and_bad_file_in_json(here: Path) -> None:
    write(here / "bad.md", REPEATED)
    result = run("--format", "json", "bad.md", "missing.md")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert findings(result) == [("AL101", 5)]
    assert data["summary"]["file_errors"] == [
        {"path": "missing.md", "line": None, "message": "no such file"}]


def test_invalid_utf8_exits_2_with_one_line(here: Path) -> None:
    (here / "latin1.md").write_bytes("# Awesome\n\n- Café\n".encode("latin-1"))
    result = run("latin1.md")
    assert result.exit_code == 2
    errors = [line for line in lines(result) if "latin1.md" in line]
    assert errors == ["latin1.md:3: error: not valid UTF-8 (byte 0xe9 at offset 16)"]
    assert "Traceback" not in result.output


def test_binary_file_exits_2(here: Path) -> None:
    (here / "logo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run("logo.md")
    assert result.exit_code == 2
    assert "logo.md: error: binary file (not UTF-8 Markdown)" in lines(result)


def test_warning_only_exits_0(here: Path) -> None:
    # An unused suppression (AL002) is a warning: reported, but not a failure.
    write(here / "list.md", TITLE + "<!-- awesome-lint-disable-next-line AL101 -->\n- a\n")
    result = run("list.md")
    assert result.exit_code == 0
    assert lines(result)[0].startswith("list.md:3:1: AL002 unused-suppression ")
    assert lines(result)[0].endswith("(warning)")


# --- default path ---------------------------------------------------------------------------


def test_no_paths_lints_readme(here: Path) -> None:
    write(here / "README.md", REPEATED)
    write(here / "other.md", TWO_RULES)  # not linted
    result = run("--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(f["path"], f["code"], f["line"]) for f in data["findings"]] == [
        ("README.md", "AL101", 5)]


def test_no_paths_and_no_readme(here: Path) -> None:
    result = run()
    assert result.exit_code == 2 and result.stdout == ""
    assert "no readme found: looked for README.md (any case;" in result.stderr


# --- --select / --ignore --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), [("AL101", 5), ("AL301", 5)]),
        (("--select", "AL101"), [("AL101", 5)]),
        (("--select", "AL1"), [("AL101", 5)]),
        (("--select", "duplicate-link"), [("AL301", 5)]),
        (("--select", "AL3,list-numbering"), [("AL101", 5), ("AL301", 5)]),
        (("--select", "AL3", "--select", "AL101"), [("AL101", 5), ("AL301", 5)]),
        (("--select", "ALL"), [("AL101", 5), ("AL301", 5)]),
        (("--ignore", "AL301"), [("AL101", 5)]),
        (("--ignore", "AL3"), [("AL101", 5)]),
        (("--ignore", "list-numbering"), [("AL301", 5)]),
        (("--ignore", "AL"), []),
        (("--select", "AL101", "--ignore", "AL101"), []),
    ],
)
def test_select_and_ignore(here: Path, args: tuple[str, ...],
                           expected: list[tuple[str, int]]) -> None:
    write(here / "list.md", TWO_RULES)
    result = run("--format", "json", *args, "list.md")
    assert findings(result) == expected
    assert result.exit_code == (1 if expected else 0)


@pytest.mark.parametrize(
    ("option", "name", "hint"),
    [
        ("--select", "list-numbring", "did you mean 'list-numbering'?"),
        ("--ignore", "duplicate-links", "did you mean 'duplicate-link'?"),
        ("--select", "al101", "did you mean 'AL101'?"),
    ],
)
def test_unknown_selector_suggests(here: Path, option: str, name: str, hint: str) -> None:
    write(here / "list.md", TWO_RULES)
    result = run(option, name, "list.md")
    assert result.exit_code == 2
    assert f"Error: {option}: unknown rule or code prefix {name!r}; {hint}" in lines(result)
    assert "list.md:" not in result.output  # nothing was linted


def test_unknown_selector_without_close_match(here: Path) -> None:
    write(here / "list.md", TWO_RULES)
    result = run("--select", "zzz", "list.md")
    assert result.exit_code == 2
    assert "Error: --select: unknown rule or code prefix 'zzz'" in lines(result)


# --- config ---------------------------------------------------------------------------------


def test_config_option_changes_findings(here: Path) -> None:
    write(here / "list.md", TITLE + "1. a\n2. b\n3. c\n")
    assert run("list.md").exit_code == 0
    write(here / ".awesome-lint.toml", '[rules.list-numbering]\nstyle = "ones"\n')
    result = run("--format", "json", "list.md")
    assert result.exit_code == 1
    assert findings(result) == [("AL101", 4), ("AL101", 5)]
    assert json.loads(result.stdout)["findings"][0]["message"] == (
        "Expected 1, found 2 (this list numbers every item 1)")
    fixed = run("--fix", "list.md")
    assert (fixed.exit_code, (here / "list.md").read_text()) == (
        0, TITLE + "1. a\n1. b\n1. c\n")


def test_config_ones_style_messages(here: Path) -> None:
    write(here / "list.md", TITLE + "1. a\n2. b\n3. c\n")
    write(here / ".awesome-lint.toml", '[rules.list-numbering]\nstyle = "ones"\n')
    data = json.loads(run("--format", "json", "list.md").stdout)
    assert [f["message"] for f in data["findings"]] == [
        "Expected 1, found 2 (this list numbers every item 1)",
        "Expected 1, found 3 (this list numbers every item 1)",
    ]


def test_config_severity_warning_exits_0(here: Path) -> None:
    write(here / "list.md", REPEATED)
    write(here / ".awesome-lint.toml", '[rules.AL101]\nseverity = "warning"\n')
    result = run("list.md")
    assert result.exit_code == 0
    assert lines(result) == [
        "list.md:5:1: AL101 list-numbering Expected 3, found 2 (the item above is also 2) "
        "(warning) [*]",
        "Found 0 errors, 1 warning and 0 infos in 1 file (1 fixable with --fix).",
    ]


def test_config_severity_off(here: Path) -> None:
    write(here / "list.md", REPEATED)
    write(here / ".awesome-lint.toml", '[rules.list-numbering]\nseverity = "off"\n')
    result = run("list.md")
    assert (result.exit_code, lines(result)) == (0, ["All checks passed: 1 file, no findings."])


def test_config_bad_key(here: Path) -> None:
    write(here / "list.md", REPEATED)
    config = write(here / ".awesome-lint.toml", '[rules.list-numbering]\nstyel = "ones"\n')
    result = run("list.md")
    assert result.exit_code == 2
    errors = [line for line in lines(result) if ": error: " in line]
    assert errors == [f"{config}: error: config: rules.list-numbering.styel: unknown option "
                      "'styel'; did you mean 'style'?"]
    assert "AL101" not in result.output  # the file was not linted with a broken config


def test_config_unknown_top_level_key(here: Path) -> None:
    write(here / "list.md", CLEAN)
    config = write(here / ".awesome-lint.toml", "selcet = ['AL1']\n")
    result = run("list.md")
    assert result.exit_code == 2
    assert (f"{config}: error: config: selcet: unknown key 'selcet'; did you mean 'select'?"
            in lines(result))


def test_config_invalid_toml(here: Path) -> None:
    write(here / "list.md", CLEAN)
    config = write(here / ".awesome-lint.toml", "[rules\n")
    result = run("list.md")
    assert result.exit_code == 2
    errors = [line for line in lines(result) if ": error: " in line]
    assert len(errors) == 1
    assert errors[0].startswith(f"{config}: error: config: invalid TOML: ")
    assert "Traceback" not in result.output


def test_pyproject_found_from_a_subdirectory(here: Path) -> None:
    write(here / "pyproject.toml",
          '[project]\nname = "x"\n\n[tool.awesome-lint.rules.list-numbering]\nstyle = "ones"\n')
    write(here / "docs" / "deep" / "list.md", TITLE + "1. a\n2. b\n")
    result = run("--format", "json", "docs/deep/list.md")
    assert result.exit_code == 1
    assert findings(result) == [("AL101", 4)]


def test_pyproject_without_tool_table_is_skipped(here: Path) -> None:
    write(here / ".awesome-lint.toml", '[rules.list-numbering]\nstyle = "ones"\n')
    write(here / "docs" / "pyproject.toml", '[project]\nname = "x"\n')
    write(here / "docs" / "list.md", TITLE + "1. a\n2. b\n")
    result = run("--format", "json", "docs/list.md")
    assert findings(result) == [("AL101", 4)]  # the .awesome-lint.toml above applies


def test_nearest_config_wins(here: Path) -> None:
    write(here / ".awesome-lint.toml", '[rules.list-numbering]\nstyle = "ones"\n')
    write(here / "docs" / ".awesome-lint.toml", "ignore = ['AL101']\n")
    write(here / "list.md", TITLE + "1. a\n2. b\n")
    write(here / "docs" / "list.md", TITLE + "1. a\n2. b\n")
    result = run("--format", "json", "list.md", "docs/list.md")
    data = json.loads(result.stdout)
    assert [(f["path"], f["line"]) for f in data["findings"]] == [("list.md", 4)]


def test_explicit_config(here: Path) -> None:
    write(here / ".awesome-lint.toml", "ignore = ['AL101']\n")  # not used
    write(here / "configs" / "strict.toml", '[rules.list-numbering]\nstyle = "ones"\n')
    write(here / "list.md", TITLE + "1. a\n2. b\n")
    result = run("--format", "json", "--config", "configs/strict.toml", "list.md")
    assert result.exit_code == 1
    assert findings(result) == [("AL101", 4)]


def test_explicit_config_missing(here: Path) -> None:
    write(here / "list.md", CLEAN)
    result = run("--config", "nope.toml", "list.md")
    assert result.exit_code == 2
    assert "nope.toml: no such file" in result.output
    assert "--config" in result.output


# --- inline suppression ---------------------------------------------------------------------


def test_disable_next_line(here: Path) -> None:
    write(here / "list.md",
          TITLE + "1. a\n2. b\n<!-- awesome-lint-disable-next-line AL101 -->\n2. c\n")
    result = run("list.md")
    assert (result.exit_code, lines(result)) == (0, ["All checks passed: 1 file, no findings."])


def test_disable_next_line_by_slug(here: Path) -> None:
    write(here / "list.md",
          TITLE + "1. a\n2. b\n<!-- awesome-lint-disable-next-line list-numbering -->\n2. c\n")
    assert run("list.md").exit_code == 0


def test_unknown_rule_in_comment(here: Path) -> None:
    write(here / "list.md",
          TITLE + "1. a\n2. b\n<!-- awesome-lint-disable-next-line list-numbring -->\n2. c\n")
    result = run("--format", "json", "list.md")
    assert result.exit_code == 1
    assert findings(result) == [("AL001", 5), ("AL101", 6)]
    assert json.loads(result.stdout)["findings"][0]["message"] == (
        "Unknown rule 'list-numbring' in suppression comment; did you mean 'list-numbering'?")


# --- --fix ----------------------------------------------------------------------------------


def test_fix_keeps_crlf_bom_and_mode(here: Path) -> None:
    path = here / "README.md"
    path.write_bytes(BOM + TITLE_CRLF + b"1. a\r\n2. b\r\n2. c\r\n5. d\r\n")
    path.chmod(0o640)
    before = names(here)
    result = run("--fix", "README.md")
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == BOM + TITLE_CRLF + b"1. a\r\n2. b\r\n3. c\r\n4. d\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert names(here) == before == ["README.md"]  # no temp file left behind
    assert lines(result) == ["All checks passed: 1 file, no findings (2 fixed)."]


def test_fix_again_changes_nothing(here: Path) -> None:
    path = here / "README.md"
    path.write_bytes(BOM + TITLE_CRLF + b"1. a\r\n1. b\r\n3. c\r\n")
    assert run("--fix", "README.md").exit_code == 0
    fixed = path.read_bytes()
    assert fixed == BOM + TITLE_CRLF + b"1. a\r\n1. b\r\n1. c\r\n"
    inode, mtime = path.stat().st_ino, path.stat().st_mtime_ns
    result = run("--fix", "README.md")
    assert result.exit_code == 0
    assert path.read_bytes() == fixed
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (inode, mtime)  # not rewritten
    assert lines(result) == ["All checks passed: 1 file, no findings."]


def test_fix_reports_what_is_left(here: Path) -> None:
    path = write(here / "list.md", TWO_RULES)
    result = run("--fix", "list.md")
    assert result.exit_code == 1  # the duplicate link has no fix
    assert path.read_text() == TWO_RULES.replace("2. [A again]", "1. [A again]")
    assert lines(result) == [
        "list.md:5:4: AL301 duplicate-link Duplicate link https://example.com/a (listed at "
        "line 3); remove one of the entries",
        "Found 1 error, 0 warnings and 0 infos in 1 file (1 fixed).",
    ]


def test_fix_dry_run_prints_diff(here: Path) -> None:
    path = write(here / "list.md", REPEATED)
    before = path.read_bytes()
    result = run("--fix", "--dry-run", "list.md")
    assert path.read_bytes() == before
    assert result.stdout.startswith(
        "--- a/list.md\n"
        "+++ b/list.md\n"
        "@@ -2,5 +2,5 @@\n"
        " \n"
        " 1. a\n"
        " 2. b\n"
        "-2. c\n"
        "-3. d\n"
        "+3. c\n"
        "+4. d\n"
    )
    # Nothing was written, so the report (and the exit status) is about the file on disk.
    assert "list.md:5:1: AL101 list-numbering Expected 3, found 2" in result.output
    assert result.exit_code == 1


def test_dry_run_needs_fix(here: Path) -> None:
    path = write(here / "list.md", REPEATED)
    result = run("--dry-run", "list.md")
    assert result.exit_code == 2
    assert "Error: --unsafe-fixes and --dry-run need --fix" in lines(result)
    assert path.read_text() == REPEATED


def test_unsafe_fixes_needs_fix(here: Path) -> None:
    write(here / "list.md", REPEATED)
    assert run("--unsafe-fixes", "list.md").exit_code == 2


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_fix_through_symlink(here: Path) -> None:
    real = write(here / "lists" / "real.md", REPEATED)
    link = here / "README.md"
    link.symlink_to(Path("lists") / "real.md")
    result = run("--fix")
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert link.readlink() == Path("lists") / "real.md"
    assert real.read_text() == TITLE + "1. a\n2. b\n3. c\n4. d\n"
    assert names(here) == ["README.md", "lists"]
    assert names(here / "lists") == ["real.md"]  # no temp file left behind


def test_fix_refuses_a_file_changed_since_it_was_read(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import awesome_lint.session as cli_module

    path = write(here / "list.md", REPEATED)
    real_fix_text = cli_module.fix_text

    def fix_then_edit(*args: Any, **kwargs: Any) -> Any:
        out = real_fix_text(*args, **kwargs)
        path.write_text(REPEATED + "\n- edited meanwhile\n")
        return out

    monkeypatch.setattr(cli_module, "fix_text", fix_then_edit)
    result = run("--fix", "list.md")
    assert result.exit_code == 2
    assert "list.md: error: changed on disk while being fixed; not written" in lines(result)
    assert path.read_text() == REPEATED + "\n- edited meanwhile\n"


# --- rule documentation, version ------------------------------------------------------------


def test_list_rules() -> None:
    result = run("--list-rules")
    assert result.exit_code == 0
    rows = [line.split()[:2] for line in lines(result)]
    assert ["AL101", "list-numbering"] in rows
    assert ["AL301", "duplicate-link"] in rows
    assert [code for code, _ in rows] == sorted(code for code, _ in rows)


@pytest.mark.parametrize("name", ["AL101", "list-numbering"])
def test_rule_page(name: str) -> None:
    result = run("--rule", name)
    assert result.exit_code == 0
    assert lines(result)[0] == "# AL101 list-numbering"
    assert "## Options" in result.output


def test_unknown_rule_page() -> None:
    result = run("--rule", "nope")
    assert result.exit_code == 2
    assert "Error: unknown rule 'nope'" in lines(result)


def test_misspelt_rule_page_suggests() -> None:
    result = run("--rule", "list-numbring")
    assert result.exit_code == 2
    assert "Error: unknown rule 'list-numbring'; did you mean 'list-numbering'?" in lines(result)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"awesome-lint, version {awesome_lint.__version__}\n"


# --- output formats -------------------------------------------------------------------------


def test_json_format(here: Path) -> None:
    write(here / "list.md", REPEATED)
    result = run("--format", "json", "list.md")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"version", "tool", "findings", "summary"}
    assert data["tool"] == {"name": "awesome-lint", "version": awesome_lint.__version__}
    assert data["findings"] == [{
        "path": "list.md", "line": 5, "column": 1, "end_line": 5, "end_column": 3,
        "code": "AL101", "name": "list-numbering", "severity": "error",
        "message": "Expected 3, found 2 (the item above is also 2)", "fixable": True,
        "applicability": "safe",
        "related": [{"path": "list.md", "line": 4, "column": 1, "end_line": 4, "end_column": 3,
                     "message": "the item above"}],
    }]


def test_json_format_clean(here: Path) -> None:
    write(here / "list.md", CLEAN)
    result = run("--format", "json", "list.md")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["findings"] == []
    assert data["summary"]["files"] == 1


def test_sarif_format(here: Path) -> None:
    write(here / "list.md", REPEATED)
    result = run("--format", "sarif", "list.md")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["version"] == "2.1.0"
    results = data["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["AL101"]


def test_github_format(here: Path) -> None:
    write(here / "list.md", TWO_RULES)
    result = run("--format", "github", "list.md")
    assert result.exit_code == 1
    commands = [line for line in lines(result) if line.startswith("::")]
    assert len(commands) == 2
    assert all(line.startswith("::error file=list.md,line=5,") for line in commands)
    assert commands[0].endswith(",title=AL101 list-numbering::Expected 1, found 2 (this list "
                                "numbers every item 1)")


# --- colour ---------------------------------------------------------------------------------


def test_no_colour_when_not_a_terminal(here: Path) -> None:
    write(here / "list.md", REPEATED)
    result = run("list.md")
    assert result.exit_code == 1
    assert "\x1b[" not in result.output


def test_colour_when_asked(here: Path) -> None:
    write(here / "list.md", REPEATED)
    result = run("--color", "list.md")
    assert "\x1b[" in result.output
    assert "\x1b[" not in run("--no-color", "list.md").output


# --- real processes -------------------------------------------------------------------------


def _no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stdout
    assert "Traceback" not in proc.stderr


def test_python_dash_m(tmp_path: Path) -> None:
    write(tmp_path / "list.md", REPEATED)
    proc = subprocess.run([sys.executable, "-m", "awesome_lint", "list.md"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[0] == (
        "list.md:5:1: AL101 list-numbering Expected 3, found 2 (the item above is also 2) [*]")
    assert "\x1b[" not in proc.stdout  # a pipe is not a terminal
    _no_traceback(proc)


def test_python_dash_m_binary_file(tmp_path: Path) -> None:
    (tmp_path / "logo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    proc = subprocess.run([sys.executable, "-m", "awesome_lint", "logo.md"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert "logo.md: error: binary file (not UTF-8 Markdown)" in proc.stdout.splitlines()
    _no_traceback(proc)


def _console_script() -> str:
    script = Path(sys.executable).parent / "awesome-lint"
    if script.is_file():
        return str(script)
    found = shutil.which("awesome-lint")
    if found is None:
        pytest.skip("awesome-lint console script not installed")
    return found


def test_console_script(tmp_path: Path) -> None:
    write(tmp_path / "README.md", REPEATED)
    proc = subprocess.run([_console_script(), "--format", "json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1, proc.stderr
    assert [(f["code"], f["line"]) for f in json.loads(proc.stdout)["findings"]] == [
        ("AL101", 5)]
    _no_traceback(proc)


def test_console_script_everything_fails(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe# \x00T\x00")
    (tmp_path / "dir.md").mkdir()
    proc = subprocess.run([_console_script(), "bad.md", "dir.md", "missing.md"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert proc.stdout.splitlines() == [  # (a folder's error comes first: found expanding it)
        "dir.md: error: is a folder with no Markdown readme (README.md, any case) in it or "
        "below, nor a file its config includes",
        "bad.md: error: binary file (not UTF-8 Markdown)",
        "missing.md: error: no such file",
        "Found 0 errors, 0 warnings and 0 infos in 0 files; 3 files could not be checked.",
    ]
    _no_traceback(proc)


def test_console_script_usage_error(tmp_path: Path) -> None:
    proc = subprocess.run([_console_script(), "--format", "xml"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert "Invalid value for '--format'" in proc.stderr
    _no_traceback(proc)
