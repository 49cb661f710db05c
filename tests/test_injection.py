"""No workflow command can be smuggled through our output: the real CLI and the real action
step on files whose names and contents are hostile, read by the runner's command parser
(``parse_commands``, re-implemented in test_report.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from awesome_lint.action import neutral
from test_action import Runner
from test_report import parse_commands

NAMES = [
    "::add-mask::x.md",
    "a\n::set-output name=x::y.md",
    "##[group]evil.md",
    "%0A::stop-commands::tok,x:y.md",
    "b\r::error::z.md",
    " ::warning:: spaced.md",
]
BAD_URL = "https://evil.example/::error::x,%0A##[warning]y"
CONTENT = (
    "# List ::add-mask::secret\n\n"
    "## ::stop-commands::tok ##[error]x.\n\n"              # AL114 quotes the heading
    f"- [::set-output name=a::b]({BAD_URL}) - First ::warning::z.\n"
    f"- [::set-output name=a::b]({BAD_URL}) - Again ##[debug]q..\n"  # AL301 quotes the URL; AL403
    "- [](https://empty.example/::notice::n) - Empty.\r::error::cr\n"  # AL202
)
OUR_KEYS = {"file", "line", "endLine", "col", "endColumn", "title"}

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="file names with newlines")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    where = tmp_path / "w"
    where.mkdir()
    for name in NAMES:
        (where / name).write_text(CONTENT, encoding="utf-8", newline="")
    return where


def check_output(out: str, names: list[str]) -> list[tuple[str, dict[str, str], str]]:
    """Only our commands, with our keys, for our files; returns them."""
    assert "##[" not in out
    lines = out.split("\n")
    commands = parse_commands(out)
    assert len(commands) == sum(line.lstrip().startswith("::") for line in lines)
    expected_files = {name.replace("##[", "## [") for name in names}
    for name, props, message in commands:
        assert name in ("error", "warning", "notice")
        assert set(props) <= OUR_KEYS
        assert props.get("file") in expected_files, props
        assert re.fullmatch(r"AL\d{3} [a-z-]+", props["title"])
        assert all(props[k].isdigit() for k in set(props) & {"line", "endLine", "col",
                                                              "endColumn"})
        assert "\n" not in message and "\r" not in message
    return commands


def test_cli_github_output_round_trips_and_runs_no_command(
        hostile: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "CI": "true"}
    done = subprocess.run([sys.executable, "-m", "awesome_lint", "--format", "github",
                           "--select", "AL114,AL202,AL301", "--", *NAMES],
                          cwd=hostile, capture_output=True, check=False, env=env)
    out = done.stdout.decode("utf-8")
    assert done.returncode == 1, out + done.stderr.decode()
    commands = check_output(out, NAMES)
    # Every file's three findings, fields intact (GitHub shows 10 per type: errors first).
    errors = [(p["file"], p["line"], p["title"], m) for n, p, m in commands if n == "error"]
    assert len(errors) == 10
    neutral_url = BAD_URL.replace("##[", "## [")
    for _, line, title, message in errors:
        if title == "AL301 duplicate-link":
            assert line == "6"
            assert message == (f"Duplicate link {neutral_url} (listed at line 5); "
                               "remove one of the entries")
        else:
            assert (line, title) == ("7", "AL202 empty-link-text")
    # Worst first, then by path: the first five files (two errors each) are annotated.
    assert {f for f, *_ in errors} == {n.replace("##[", "## [") for n in sorted(NAMES)[:5]}
    plain = [line for line in out.splitlines() if not line.startswith("::")]
    assert plain == ["Found 12 errors, 6 warnings and 0 infos in 6 files (6 fixable with --fix).",
                     "2 more annotations not shown (GitHub shows 10 per type): see the step "
                     "summary."]
    # The step summary has all 18, and no raw HTML, links or code from the files.
    text = summary.read_text(encoding="utf-8")
    rows = [row for row in text.splitlines() if row.startswith("| [")]
    assert len(rows) == 18
    assert all(row.count(" | ") == 1 for row in rows)
    # The only links are our own, to the lines (the name percent-encoded); the only code
    # spans are in our --fix hint.
    links = re.findall(r"\]\(([^)]*)\)", text)
    assert len(links) == text.count("](") == 18
    assert all(re.fullmatch(r"[\w%./-]+#L\d+", link) for link in links), links
    hint = "Run `awesome-lint --fix` locally to fix 6 findings."
    assert hint in text and "`" not in text.replace(hint, "")


def test_warning_messages_quoting_the_file_are_escaped(hostile: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "awesome_lint", "--format", "github",
                           "--select", "AL114", "--", NAMES[0]],
                          cwd=hostile, capture_output=True, text=True, check=False,
                          env={**os.environ, "GITHUB_STEP_SUMMARY": ""})
    commands = check_output(done.stdout, NAMES)
    assert [(n, p["line"], m) for n, p, m in commands] == [
        ("warning", "3", "Heading '::stop-commands::tok ## [error]x.' ends with '.'; remove it")]


def test_action_step_with_hostile_files(hostile: Path, tmp_path: Path) -> None:
    runner = Runner(tmp_path, hostile, "push", {}, {"links": "none", "files": "*.md",
                                                    "fail-on": "warning"})
    code, out, outputs = runner.run_step("lint")
    assert code == 1
    check_output(out, NAMES)
    assert set(outputs) == {"errors", "warnings", "exit-code", "report", "sarif", "html-report"}
    report = Path(outputs["report"]).read_text(encoding="utf-8")
    assert not any(line.lstrip().startswith("::") for line in report.splitlines())
    assert "##[" not in report
    assert "](https://evil" not in report  # no link made from the file's text


@pytest.mark.parametrize(("line", "expected"), [
    ("Error: unknown git ref '##[error]x'", "Error: unknown git ref '## [error]x'"),
    ("  ::add-mask::secret", "awesome-lint:   ::add-mask::secret"),
    ("a\r::error::b", "a ::error::b"),
    ("Links: 3 checked", "Links: 3 checked"),
])
def test_stderr_lines_are_neutralised(line: str, expected: str) -> None:
    assert neutral(line) == expected
    assert parse_commands(neutral(line)) == []
