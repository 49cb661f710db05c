"""AL410 misspelling: what it reads, what it leaves alone, the corpus, and the typos checker:
found only where its wheel installed it, fed words on stdin, its absence or failure a warning."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from awesome_lint import spelling
from awesome_lint.config import Config
from awesome_lint.engine import fix_text, lint_document
from awesome_lint.findings import Applicability, Finding
from awesome_lint.model import Span
from awesome_lint.parse import parse
from awesome_lint.rules.misspelling import Misspelling
from awesome_lint.source import normalise_newlines, read_source
from conftest import corpus_params

posix_only = pytest.mark.skipif(os.name == "nt", reason="fake checkers are shell scripts")

#: Every finding on the corpus, each read: real misspellings, except `writeable` (nodejs 412)
#: and `invokable` (python, not in the fixtures), spellings the field uses; ignore-words is for
#: them. Before acronyms and the list's own names were skipped, `AIMD` (awesome-go) and `GOST`,
#: `Ratatui`, `Strang` (names) were reported too.
EXPECTED = {
    "Hannibal046__Awesome-LLM.md": [(543, "datset"), (549, "evaulation"), (549, "optimzation")],
    "academic__awesome-datascience.md": [],
    "avelino__awesome-go.md": [(820, "retreival"), (2099, "consise"), (3770, "maintanable")],
    "cedrickchee__awesome-bert-nlp.seed.md": [(323, "classfication")],
    "keon__awesome-nlp.md": [(302, "Langauge"), (372, "varities"), (1030, "languge")],
    "rust-unofficial__awesome-rust.md": [(1878, "informations")],
    "sindresorhus__awesome-nodejs.md": [(412, "writeable")],
    "sindresorhus__awesome.md": [],
}


@pytest.fixture(autouse=True)
def _fresh_checker(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No answer or warning of another test carried over; the real binary found anew after."""
    real = spelling.checker
    monkeypatch.setattr(spelling, "_cache", {})
    monkeypatch.setattr(spelling, "_warned", set())
    yield
    real.cache_clear()


def lint(text: str, **options: Any) -> list[Finding]:
    config = Config(rule_settings={"AL410": options})
    return lint_document(parse(normalise_newlines(text), "t.md"), [Misspelling], config)


def words(findings: list[Finding], text: str) -> list[tuple[int, str]]:
    """(line, reported text) of each finding, read back from ``text`` by its span."""
    lines = text.split("\n")
    return [(f.span.line, lines[f.span.line - 1][f.span.column - 1:f.span.end_column - 1])
            for f in findings]


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_findings_are_exactly_the_judged_ones(path: Path) -> None:
    text = read_source(path).text
    assert words(lint(text), text) == EXPECTED[path.name]


def test_descriptions_and_headings_are_read_and_fixed() -> None:
    text = ("# Awesome Things\n\n## Libaries\n\n"
            "- [Alpha](https://example.com/a) - Parser that recieves streams,\n"
            "  across lines: a seperate one.\n")
    findings = lint(text)
    assert words(findings, text) == [(3, "Libaries"), (5, "recieves"), (6, "seperate")]
    assert {f.applicability for f in findings} == {Applicability.UNSAFE}
    assert findings[1].message == ("'recieves' is a common misspelling of 'receives'; "
                                   "correct it, or add it to ignore-words if it is meant")
    fixed, count, after = fix_text(text, "t.md", [Misspelling], Config(), unsafe=True)
    assert (count, after) == (3, [])
    assert fixed == text.replace("Libaries", "Libraries").replace("recieves", "receives") \
        .replace("seperate", "separate")
    assert fix_text(text, "t.md", [Misspelling], Config())[0] == text  # unsafe only


def test_a_heading_is_read_though_the_table_of_contents_names_it() -> None:
    text = "- [Libaries](#libaries)\n\n## Libaries\n\n- [Alpha](https://example.com/a) - Fine.\n"
    assert words(lint(text), text) == [(3, "Libaries")]


@posix_only
def test_several_corrections_no_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answer = '{"type":"typo","line_num":2,"byte_offset":0,"typo":"wich",' \
             '"corrections":["which","witch"]}'
    fake = _fake(tmp_path, f"cat > /dev/null; echo '{answer}'; exit 2")
    monkeypatch.setattr(spelling, "checker", lambda: fake)
    [finding] = lint("- [Beta](https://example.com/b) - Tool wich converts.\n")
    assert finding.fix is None and finding.span == Span(1, 40, 1, 44)
    assert finding.message == ("'wich' is a common misspelling of 'which' or 'witch'; "
                               "correct it, or add it to ignore-words if it is meant")


def test_case_is_kept_and_hyphenated_words_are_read_part_by_part() -> None:
    text = "- [Alpha](https://example.com/a) - Teh fast, well-knwon Recieve-side tool.\n"
    findings = lint(text)
    assert words(findings, text) == [(1, "knwon"), (1, "Recieve")]
    fixed = fix_text(text, "t.md", [Misspelling], Config(), unsafe=True)[0]
    assert fixed == "- [Alpha](https://example.com/a) - Teh fast, well-known Receive-side tool.\n"


@pytest.mark.parametrize("text", [
    "- [Recieve](https://example.com/recieve) - Client.\n",  # link text: a name
    "- [Alpha](https://example.com/recieve) - See [the recieve docs](https://x.example/).\n",
    "- [Alpha](https://example.com/a) - Reads <https://example.com/recieve> and www.recieve.io.\n",
    "- [Alpha](https://example.com/a) - Wraps `recieve()` and `` recieve ``.\n",
    "- [Alpha](https://example.com/a) - Wraps <span title='recieve'>x</span>.\n",
    "- [Alpha](https://example.com/a) - Wraps recieve_all, recieve.js, recieve2 and @recieve.\n",
    "- [Alpha](https://example.com/a) - AIMD, NUMA-AWARED, GitHub and ReciEve support.\n",
    "- [Gost](https://example.com/gost) - Ciphers for Gost.\n",  # a name the list uses
    "- [Alpha](https://example.com/a) - Reads ue, fo and nd files.\n",  # under four letters
    "Intro paragraph that recieves nothing: only descriptions and headings are read.\n",
    "```\n# recieve\n```\n- [Alpha](https://example.com/a) - Fine.\n",
    "- [Alpha](https://example.com/a) - Café, naïve façade and 日本語 text.\n",
])
def test_left_alone(text: str) -> None:
    assert lint(text) == []


def test_ignore_words_in_any_case() -> None:
    text = "- [Duplex](https://example.com/d) - Turn a Writeable stream into a recieving one.\n"
    assert words(lint(text), text) == [(1, "Writeable"), (1, "recieving")]
    assert words(lint(text, **{"ignore-words": ["writeable"]}), text) == [(1, "recieving")]


def test_ignore_words_option_from_config(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from awesome_lint.cli import cli

    (tmp_path / "README.md").write_text(
        "- [Duplex](https://example.com/d) - Turn a writeable stream into a recieving one.\n",
        encoding="utf-8")
    (tmp_path / ".awesome-lint.toml").write_text(
        '[rules.misspelling]\nignore-words = ["Recieving"]\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--select", "AL410", str(tmp_path / "README.md")])
    assert "'writeable'" in result.output and "recieving" not in result.output


def test_the_markdown_is_never_on_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Words go on stdin, one a line, letters and apostrophes only, once per new word."""
    calls: list[tuple[list[str], bytes]] = []
    real = subprocess.run

    def recording(args: list[str], **kwargs: Any) -> Any:
        calls.append((list(args), kwargs["input"]))
        return real(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", recording)
    text = ("- [Alpha](https://example.com/a) - A --config=/etc/x tool that doesn't recieve\n"
            "  $(touch pwned) or Recieve's files; recieve.\n")
    assert words(lint(text), text) == [(1, "recieve"), (2, "Recieve"), (2, "recieve")]
    lint(text)  # answers are remembered: no second run
    [(args, stdin)] = calls
    assert args[1:] == ["--isolated", "--format", "json", "--color", "never", "-"]
    assert Path(args[0]) == spelling.checker()
    assert stdin.decode("ascii").split("\n") == [
        "tool", "that", "doesn't", "recieve", "pwned", "Recieve's", "files", ""]


def test_only_the_installed_binary_is_trusted(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``typos`` distribution planted on ``sys.path`` (a checkout's folder) is not run."""
    info = tmp_path / "typos-99.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: typos\nVersion: 99.0\n")
    (info / "RECORD").write_text("planted/typos,,\n")
    (tmp_path / "planted").mkdir()
    (tmp_path / "planted" / "typos").write_text("#!/bin/sh\ntouch pwned\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    spelling.checker.cache_clear()
    found = spelling.checker()
    assert found is not None and found.parent.resolve() in spelling._scripts_folders()
    assert tmp_path not in found.parents


def _fake(tmp_path: Path, script: str) -> Path:
    path = tmp_path / "typos"
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


TEXT = "- [Alpha](https://example.com/a) - Parser that recieves streams.\n"


@pytest.mark.parametrize("script, reason", [
    ("echo 'error: boom' >&2; exit 1", "exited with status 1: error: boom"),
    ("echo 'not json'; exit 2", "gave an answer this version of awesome-lint does not"),
    ('echo \'{"type":"typo","line_num":99,"byte_offset":0,"typo":"x","corrections":[]}\'',
     "gave an answer this version"),
    ("exec sleep 30", "took more than 0.2 s"),
])
@posix_only
def test_a_failing_checker_is_one_warning_not_a_crash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        script: str, reason: str) -> None:
    fake = _fake(tmp_path, script)
    monkeypatch.setattr(spelling, "checker", lambda: fake)
    monkeypatch.setattr(spelling, "TIMEOUT", 0.2)
    with caplog.at_level(logging.WARNING):
        assert lint(TEXT) == [] and lint(TEXT.replace("Parser", "Reader")) == []
    [record] = caplog.records
    assert record.getMessage().startswith(
        "awesome-lint: warning: misspellings (AL410) not checked: ")
    assert reason in record.getMessage()


def test_a_missing_checker_is_one_warning(monkeypatch: pytest.MonkeyPatch,
                                          caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(spelling, "checker", lambda: None)
    with caplog.at_level(logging.WARNING):
        assert lint(TEXT) == [] and lint(TEXT) == []
    assert [r.getMessage() for r in caplog.records] == [
        "awesome-lint: warning: misspellings (AL410) not checked: the typos checker is not "
        "installed (pip install typos)"]


@posix_only
def test_input_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          caplog: pytest.LogCaptureFixture) -> None:
    """At most MAX_WORDS distinct words per run, none longer than MAX_WORD_LENGTH."""
    seen = tmp_path / "seen"
    fake = _fake(tmp_path, f"cat > '{seen}'")
    monkeypatch.setattr(spelling, "checker", lambda: fake)
    monkeypatch.setattr(spelling, "MAX_WORDS", 3)
    long_word = "a" * (spelling.MAX_WORD_LENGTH + 1)
    with caplog.at_level(logging.WARNING):
        spelling.misspellings(["alpha", long_word, "beta", "gamma", "delta", "alpha"])
    assert seen.read_text() == "alpha\nbeta\ngamma\n"
    assert "more than 3 distinct words" in caplog.text
