"""The language server's parts without a client: positions in each encoding, the debouncer (by
counts), the suppression comment's place, the smallest edit, the rule page's sections."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from awesome_lint.findings import Edit
from awesome_lint.lsp.actions import _smallest_edit, disable_edit
from awesome_lint.lsp.debounce import Debouncer
from awesome_lint.lsp.positions import UTF8, UTF16, UTF32, Positions
from awesome_lint.model import Span
from awesome_lint.rule_docs import page_sections

LINE = "- [A 🦀 é](https://x.example) - ok"  # 🦀: 1 code point, 2 UTF-16 units, 4 UTF-8 bytes


@pytest.mark.parametrize(("encoding", "expected"), [(UTF16, 9), (UTF8, 12), (UTF32, 8)])
def test_columns_count_the_clients_units(encoding: str, expected: int) -> None:
    positions = Positions(f"# T\n{LINE}\n", encoding)
    column = LINE.index("]") + 1  # 1-based code points
    assert positions.to_client(2, column) == (1, expected)
    assert positions.from_client(1, expected) == (2, column)


def test_line_endings_and_byte_order_mark_as_the_parser_reads_them() -> None:
    """``\\r\\n`` and ``\\r`` end lines; the parser drops a BOM, the client counts it."""
    positions = Positions("\ufeff# T\r\nab\rc🦀d\n", UTF16)
    assert positions.to_client(1, 1) == (0, 1)
    assert positions.from_client(0, 1) == (1, 1)
    assert positions.to_client(3, 3) == (2, 3)
    assert positions.to_client(3, 4) == (2, 3 + 1)  # (just after "c🦀": 3 units, not 2)
    assert positions.from_client(2, 3) == (3, 3)
    assert positions.end() == (3, 0)


def test_a_position_inside_a_surrogate_pair_rounds_up() -> None:
    positions = Positions("🦀x", UTF16)
    assert positions.from_client(0, 1) == (1, 2)
    assert positions.from_client(0, 99) == (1, 3)


@pytest.mark.asyncio
async def test_pokes_within_the_pause_make_one_run() -> None:
    runs: list[str] = []

    async def run(key: str) -> None:
        runs.append(key)

    debouncer = Debouncer(0.0, run)
    for _ in range(50):
        debouncer.poke("a")
    debouncer.poke("b")
    await debouncer.idle()
    assert sorted(runs) == ["a", "b"]


@pytest.mark.asyncio
async def test_changes_during_a_run_make_one_more_run_after_it() -> None:
    """A huge file: never two lints at once, and one (not one per change) after the long one."""
    started = asyncio.Event()
    release = asyncio.Event()
    runs = 0
    running = 0
    peak = 0

    async def run(key: str) -> None:
        nonlocal runs, running, peak
        runs += 1
        running += 1
        peak = max(peak, running)
        started.set()
        if runs == 1:
            await release.wait()
        running -= 1

    debouncer = Debouncer(0.0, run)
    debouncer.poke("big")
    await started.wait()
    for _ in range(20):  # typing while it is linted
        debouncer.poke("big")
        await asyncio.sleep(0)
    release.set()
    await debouncer.idle()
    assert (runs, peak) == (2, 1)


@pytest.mark.asyncio
async def test_a_forgotten_document_is_not_linted() -> None:
    runs: list[str] = []

    async def run(key: str) -> None:
        runs.append(key)

    debouncer = Debouncer(0.0, run)
    debouncer.poke("closed")
    debouncer.forget("closed")
    await debouncer.idle()
    assert runs == []


def test_disable_comment_goes_at_the_end_of_the_content() -> None:
    text = "# T\n\n- [A](https://a.example) - A.  \n"
    edit = disable_edit("AL304", 3, text)
    assert edit == Edit(Span(3, 30, 3, 30), " <!-- awesome-lint-disable-line AL304 -->")


def test_on_a_blank_line_the_comment_goes_on_the_line_above_never_alone() -> None:
    """A comment alone on a line is an HTML block: between two items it would end the list."""
    text = "- [A](https://a.example) - A.\n\n- [B](https://b.example) - B.\n"
    edit = disable_edit("AL999", 2, text)
    assert edit == Edit(Span(1, 30, 1, 30), " <!-- awesome-lint-disable-next-line AL999 -->")
    assert disable_edit("AL999", 2, "\n\n") is None


def test_the_smallest_edit_spans_only_what_changed() -> None:
    before = "# T\n\n- [A](https://a.example) - A..\n- [B](x) - B.\n"
    after = before.replace("A..", "A.")
    edit = _smallest_edit(before, after)
    assert edit == Edit(Span(3, 30, 3, 31), "")
    assert _smallest_edit("abc", "abc") == Edit(Span(1, 4, 1, 4), "")


def test_page_sections_skip_headings_inside_code_fences() -> None:
    page = ("# AL1 x\n\n## What it does\nDoes.\n\n## Why\nBecause.\n\n## Examples\n```md\n"
            "## Why\nnot this\n```\n")
    assert page_sections(page, ("What it does", "Why")) == (
        "## What it does\nDoes.\n\n## Why\nBecause.")


def test_without_pygls_the_server_says_which_extra_to_install() -> None:
    code = ("import sys; sys.modules['pygls'] = None; "
            "from awesome_lint.lsp import main; main([])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode != 0
    assert done.stderr == ("awesome-lint-lsp: the language server needs pygls: "
                           "pip install 'awesome-lint[lsp]'\n")
