"""Any readme, many files (issue 12): the readme found as GitHub finds it, folders (``.gitignore``
respected), globs, ``include``/``exclude``/``per-file-ignores``, and standard input; each driven
through the CLI (or the action's module) on a real temporary git repository."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from awesome_lint import action
from awesome_lint.cli import cli
from awesome_lint.config import ConfigError, load_config
from awesome_lint.globs import GlobError, compile_glob
from awesome_lint.registry import load_rules
from test_changed import commit, git, git_env, lint, make_repo  # noqa: F401 (git_env: autouse)

#: A list with one duplicate link (AL301, an error) on line 6.
DUP = ("# List\n\n## Tools\n\n- [Alpha](https://alpha.example) - First tool.\n"
       "- [Alpha](https://alpha.example) - Listed twice.\n")
CLEAN = "# List\n\n## Tools\n\n- [Alpha](https://alpha.example) - First tool.\n"


def paths(found: list[tuple[str, int, str]], code: str = "AL301") -> list[str]:
    return sorted({path for path, _, rule in found if rule == code})


def invoke(repo: Path, *args: str, stdin: str | bytes | None = None) -> Result:
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        return CliRunner().invoke(cli, list(args), input=stdin)
    finally:
        os.chdir(cwd)


def run(repo: Path, *args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    """The CLI in ``repo``: (exit code, stdout, stderr)."""
    result = invoke(repo, *args, stdin=stdin)
    return result.exit_code, result.stdout, result.stderr


# --- no argument: the readme GitHub shows ------------------------------------------------------


def test_no_argument_finds_a_lower_case_readme(tmp_path: Path) -> None:
    """sindresorhus/awesome spells it readme.md: no more 'no such file'."""
    repo = make_repo(tmp_path / "r", {"readme.md": DUP, "contributing.md": "x\n"})
    code, found, _ = lint(repo)
    assert code == 1 and paths(found) == ["readme.md"]


@pytest.mark.parametrize(("files", "shown"), [
    ({".github/README.md": DUP, "README.md": CLEAN, "docs/README.md": CLEAN},
     ".github/README.md"),
    ({"Readme.markdown": DUP, "docs/README.md": CLEAN}, "Readme.markdown"),
    ({"docs/README.mdown": DUP, "notes.md": CLEAN}, "docs/README.mdown"),
    ({"README.md": DUP, "readme.mkd": CLEAN}, "README.md"),  # README.md first in a folder
], ids=["github-folder-wins", "root-before-docs", "docs-last", "README.md-first"])
def test_the_readme_github_shows_in_its_order(tmp_path: Path, files: dict[str, str],
                                              shown: str) -> None:
    repo = make_repo(tmp_path / "r", files)
    code, found, _ = lint(repo)
    assert code == 1 and paths(found) == [shown]
    assert {path for path, _, _ in found} == {shown}  # the other readmes are not linted


def test_a_readme_without_extension_is_plain_text_not_linted(tmp_path: Path) -> None:
    """GitHub shows the root README (plain text) before docs/: nothing Markdown to lint."""
    repo = make_repo(tmp_path / "r", {"README": DUP, "docs/README.md": DUP})
    code, out, err = run(repo)
    assert code == 2 and out == ""
    assert "README: this readme is plain text, not Markdown" in err
    assert len(err.strip().splitlines()) == 1
    # In a folder, only Markdown readmes count.
    code, found, _ = lint(repo, ".")
    assert code == 1 and paths(found) == ["docs/README.md"]


def test_no_readme_is_one_line_and_exit_2(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"notes.md": DUP, ".github/README.rst": "x\n"})
    (repo / "docs").symlink_to(tmp_path)  # a folder link is not looked into
    (tmp_path / "README.md").write_text(DUP, encoding="utf-8")
    code, out, err = run(repo)
    assert code == 2 and out == ""
    assert "README.rst: this readme is plain text" in err  # .github/ first, as on GitHub
    (repo / ".github" / "README.rst").unlink()
    code, _, err = run(repo)
    assert code == 2 and "no readme found: looked for README.md (any case;" in err


# --- a folder: its readmes and below, .gitignore respected --------------------------------------


def test_a_folder_means_its_readmes_and_below_as_git_sees_them(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {
        "README.md": DUP, "lists/go/readme.md": DUP, "lists/go/notes.md": DUP,
        ".github/README.md": DUP, ".hidden/README.md": DUP,
        "node_modules/pkg/README.md": DUP, "vendor/x/README.md": DUP,
        ".gitignore": "build/\n",
    })
    (repo / "build").mkdir()
    (repo / "build" / "README.md").write_text(DUP, encoding="utf-8")  # ignored, untracked
    (repo / "new").mkdir()
    (repo / "new" / "README.md").write_text(DUP, encoding="utf-8")  # untracked: linted
    (repo / "loop").symlink_to(repo)  # a folder link is not entered
    code, found, _ = lint(repo, ".")
    assert code == 1
    assert paths(found) == [".github/README.md", "README.md", "lists/go/readme.md",
                            "new/README.md"]
    code, found, _ = lint(repo, "lists")
    assert paths(found) == ["lists/go/readme.md"]


def test_a_folder_outside_git_is_walked_without_following_links(tmp_path: Path) -> None:
    top = tmp_path / "plain"
    for name in ("README.md", "a/README.md", ".git-like/README.md", "node_modules/README.md"):
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text(DUP, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "README.md").write_text(DUP, encoding="utf-8")
    (top / "linked").symlink_to(outside)
    (top / "self").symlink_to(top)
    code, found, _ = lint(top, ".")
    assert code == 1 and paths(found) == ["README.md", "a/README.md"]


# --- include, exclude, extend-exclude, per-file-ignores ----------------------------------------


def test_include_exclude_and_per_file_ignores_from_the_config(tmp_path: Path) -> None:
    config = ('preset = "awesome"\n'  # findings besides AL301 (no badge) show old.md is linted
              'include = ["docs/**/*.md", "CONTRIBUTING.md"]\n'
              'extend-exclude = ["drafts"]\n'
              '[per-file-ignores]\n"docs/legacy/*.md" = ["AL301"]\n')
    repo = make_repo(tmp_path / "r", {
        ".awesome-lint.toml": config, "readme.md": DUP, "CONTRIBUTING.md": DUP,
        "docs/guide.md": DUP, "docs/legacy/old.md": DUP, "docs/drafts/README.md": DUP,
        "other/notes.md": DUP, "node_modules/README.md": DUP, "vendor/README.md": DUP,
    })
    expected = ["CONTRIBUTING.md", "docs/guide.md", "readme.md"]
    code, found, _ = lint(repo, ".")
    assert code == 1 and paths(found) == expected
    assert any(path == "docs/legacy/old.md" for path, _, _ in found)  # linted, AL301 ignored
    # With no argument: the readme, and the included files.
    code, found, _ = lint(repo)
    assert paths(found) == expected
    # A file named on the command line is linted even if excluded.
    code, found, _ = lint(repo, "docs/drafts/README.md")
    assert paths(found) == ["docs/drafts/README.md"]
    # exclude replaces the defaults (vendor...), extend-exclude adds to them; node_modules,
    # .git and hidden folders are never entered.
    commit(repo, {".awesome-lint.toml": 'exclude = ["docs"]\n'}, "no defaults")
    code, found, _ = lint(repo, ".")
    assert paths(found) == ["readme.md", "vendor/README.md"]


def test_per_file_ignores_follow_the_config_folder_not_the_current_one(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {
        "sub/.awesome-lint.toml": '[per-file-ignores]\n"/README.md" = ["duplicate-link"]\n',
        "sub/README.md": DUP, "sub/deeper/README.md": DUP,
    })
    _, found, _ = lint(repo, ".")
    assert paths(found) == ["sub/deeper/README.md"]
    _, found, _ = lint(repo / "sub", "README.md", "deeper")
    assert paths(found) == ["deeper/README.md"]


@pytest.mark.parametrize(("config", "message"), [
    ('exlude = ["x"]\n', "exlude: unknown key 'exlude'; did you mean 'exclude'?"),
    ('include = "docs/*.md"\n', "include: expected a list of strings (glob patterns)"),
    ('extend-exclude = ["../up"]\n', "extend-exclude: '../up': a pattern cannot go up"),
    ('per-file-ignores = ["x"]\n', "per-file-ignores: expected a table of glob = [rules]"),
    ('[per-file-ignores]\n"docs/*" = ["AL999"]\n',
     "per-file-ignores.'docs/*': unknown rule or code prefix 'AL999'"),
    ('[per-file-ignores]\n"docs/*" = "AL301"\n',
     "per-file-ignores.'docs/*': expected a list of strings"),
])
def test_the_new_keys_are_validated_strictly(tmp_path: Path, config: str, message: str) -> None:
    repo = make_repo(tmp_path / "r", {".awesome-lint.toml": config, "README.md": CLEAN})
    code, out, _ = run(repo)
    assert code == 2 and message in out


def test_diff_mode_reads_include_exclude_and_ignores_at_base(tmp_path: Path) -> None:
    """A pull request cannot take its own files out of the check through the config."""
    pytest.importorskip("awesome_lint.at_base", reason="needs the config read at BASE")
    repo = make_repo(tmp_path / "r", {
        ".awesome-lint.toml": 'include = ["docs/*.md"]\n', "README.md": CLEAN,
        "docs/a.md": CLEAN,
    })
    commit(repo, {
        ".awesome-lint.toml": 'include = []\nextend-exclude = ["docs"]\n'
                              '[per-file-ignores]\n"*.md" = ["ALL"]\n',
        "README.md": DUP, "docs/a.md": DUP,
    }, "silence")
    code, found, _ = lint(repo, "--diff", "main")
    assert code == 1 and paths(found) == ["README.md", "docs/a.md"]
    code, found, _ = lint(repo, "--diff", "main", ".")
    assert code == 1 and paths(found) == ["README.md", "docs/a.md"]
    code, found, _ = lint(repo)  # a full run reads the config on disk
    assert code == 0 and found == []


# --- globs ---------------------------------------------------------------------------------------


def test_glob_arguments_are_expanded_without_entering_folder_links(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": DUP, "a/README.md": DUP, "a/b/README.md": DUP,
                                      "a/other.md": DUP, "node_modules/README.md": DUP})
    for i in range(4):  # would make ** explode if followed
        (repo / "a" / f"loop{i}").symlink_to(repo)
    code, found, _ = lint(repo, "**/README.md")
    assert code == 1 and paths(found) == ["README.md", "a/README.md", "a/b/README.md"]
    code, found, _ = lint(repo, "a/*.md")
    assert paths(found) == ["a/README.md", "a/other.md"]
    code, out, _ = run(repo, "nothing/**/*.md")
    assert code == 2 and "nothing/**/*.md: error: no file matches this pattern" in out


def test_globs_match_as_gitignore_does(tmp_path: Path) -> None:
    assert compile_glob("node_modules").matches("a/node_modules/b/README.md")
    assert compile_glob("docs/*.md").matches("docs/a.md")
    assert not compile_glob("docs/*.md").matches("docs/sub/a.md")
    assert not compile_glob("docs/*.md").matches("x/docs/a.md")  # anchored
    assert compile_glob("docs/**/*.md").matches("docs/a.md")
    assert compile_glob("docs/**/*.md").matches("docs/x/y/a.md")
    assert compile_glob("/README.md").matches("README.md")
    assert not compile_glob("/README.md").matches("sub/README.md")
    assert compile_glob("[!a]*.md").matches("b.md") and not compile_glob("[!a]*.md").matches("a.md")
    assert not compile_glob("/docs").matches("../docs/a.md")  # outside the config's folder
    assert compile_glob("docs").matches("../docs/a.md")  # a name below the shared folders
    with pytest.raises(GlobError):
        compile_glob("")
    config = tmp_path / ".awesome-lint.toml"
    config.write_text('[per-file-ignores]\n"a//b" = ["AL301"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="a pattern cannot have an empty part"):
        load_config(config, load_rules())


# --- standard input ------------------------------------------------------------------------------


def test_stdin_without_and_with_a_file_name(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {
        "docs/.awesome-lint.toml": '[per-file-ignores]\n"legacy.md" = ["AL301"]\n'
                                   '[rules.AL404]\nseverity = "error"\n',
    })
    code, out, _ = run(repo, "--format", "json", "-", stdin=DUP)
    assert code == 1
    data = json.loads(out)
    assert {(f["path"], f["code"]) for f in data["findings"]} >= {("<stdin>", "AL301")}
    # --stdin-filename: the name in messages, its config and per-file-ignores.
    text = CLEAN + "- [Beta](https://beta.example) - Trailing. \n"
    code, out, _ = run(repo, "--stdin-filename", "docs/legacy.md", "-", stdin=DUP + "x \n")
    assert code == 1 and "docs/legacy.md:7:2: AL404" in out and "AL301" not in out
    code, out, _ = run(repo, "--stdin-filename", "docs/new.md", stdin=text)  # "-" implied
    assert code == 1 and "docs/new.md:6:" in out
    code, out, _ = run(repo, "--stdin-filename", "elsewhere.md", "--select", "AL404", "-",
                       stdin=text)
    assert code == 0 and "elsewhere.md:6:" in out and "(warning)" in out


def test_fix_on_stdin_prints_the_fixed_text(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": CLEAN})
    broken = "# List\r\n\r\n## Tools\r\n\r\n- [Alpha](https://alpha.example) - First tool. \r\n"
    result = invoke(repo, "--fix", "--select", "AL404", "-", stdin=broken.encode())
    # Exactly the text, with its line endings.
    assert result.stdout_bytes == broken.replace(" \r\n", "\r\n").encode()
    assert result.exit_code == 0
    assert "no findings (1 fixed)" in result.stderr
    assert (repo / "README.md").read_text(encoding="utf-8") == CLEAN  # no file touched
    code, out, err = run(repo, "--fix", "--dry-run", "--select", "AL404", "-",
                         stdin=broken.encode())
    assert "--- a/<stdin>\n+++ b/<stdin>\n" in out and "+- [Alpha](https://alpha.example)" in out
    assert "<stdin>:5:47: AL404" in out and "Would fix 1 finding." in err
    code, out, err = run(repo, "--fix", "--format", "json", "-", stdin=DUP)
    assert code == 1 and out == DUP
    assert "AL301" in {f["code"] for f in json.loads(err)["findings"]}


def test_bad_standard_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"README.md": CLEAN})
    code, out, _ = run(repo, "-", stdin=b"# List\n\x00\x01binary")
    assert code == 2 and "<stdin>: error: binary file" in out
    code, out, _ = run(repo, "--stdin-filename", "x.md", stdin=b"# caf\xe9\n")
    assert code == 2 and "x.md:1: error: not valid UTF-8 (byte 0xe9 at offset 5)" in out
    result = invoke(repo, "--fix", "-", stdin=b"# caf\xe9\n")
    assert result.exit_code == 2 and result.stdout_bytes == b"# caf\xe9\n"  # input unchanged
    assert result.stderr.count("\n") == 2 and "x.md" not in result.stderr  # error, summary
    for args in (["-", "README.md"], ["--diff", "main", "-"], ["--links", "-"],
                 ["--stdin-filename", "x.md", "README.md"]):
        code, _, err = run(repo, *args, stdin="x\n")
        assert code == 2 and "Error:" in err, args


# --- the action's default ------------------------------------------------------------------------


def test_the_action_default_finds_the_readme(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "r", {"readme.md": CLEAN})
    base = git(repo, "rev-parse", "HEAD")
    commit(repo, {"readme.md": DUP}, "change")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}}}), encoding="utf-8")
    output = tmp_path / "output"
    env = {**os.environ, "GITHUB_EVENT_PATH": str(event), "RUNNER_TEMP": str(tmp_path / "t"),
           "GITHUB_OUTPUT": str(output), "INPUT_LINKS": "none", "INPUT_FILES": "README.md"}
    monkeypatch.chdir(repo)
    assert action.main(env) == 1
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert outputs["errors"] == "1" and outputs["exit-code"] == "1"
    summary = json.loads((tmp_path / "t" / "awesome-lint-report.json").read_text())
    assert {f["path"] for f in summary["findings"]} == {"readme.md"}
