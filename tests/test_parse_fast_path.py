"""The parser's fast path for runs of one-line ``- [Name](url) - text`` items (issue 11).

It must give exactly mistune's tokens (and so the same Document) wherever it is taken, and it
is guarded by counting operations, not by timing: child parser states per simple item.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import mistune
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import awesome_lint.parse as parse_module
from awesome_lint.parse import _block_tokens, parse
from conftest import corpus_params
from test_positions import _line, _markdown_it_structure, _our_structure, assert_invariants

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def _without_fast_path() -> Iterator[None]:
    """mistune's own list parsing, every item in a child state."""
    real = parse_module._BlockParser.parse_list
    parse_module._BlockParser.parse_list = mistune.BlockParser.parse_list  # type: ignore[method-assign]
    try:
        yield
    finally:
        parse_module._BlockParser.parse_list = real  # type: ignore[method-assign]


def _assert_same(text: str) -> None:
    fast_tokens, fast_doc = _block_tokens(text).tokens, parse(text)
    with _without_fast_path():
        assert _block_tokens(text).tokens == fast_tokens
        assert parse(text) == fast_doc


def _child_states(text: str) -> int:
    """How many child parser states (list items, block quotes) parsing ``text`` creates."""
    count = 0
    real = parse_module._State.child_state

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal count
        count += 1
        return real(self, *args, **kwargs)

    parse_module._State.child_state = counting  # type: ignore[method-assign]
    try:
        parse(text)
    finally:
        parse_module._State.child_state = real  # type: ignore[method-assign]
    return count


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_tokens_equal_mistunes(path: Path) -> None:
    _assert_same(path.read_text(encoding="utf-8"))


_SIMPLE = "- [Alpha](https://a.example) - Does things."


@pytest.mark.parametrize("text", [
    # the run ends at: the end, a blank line, a heading, a fence, a quote, HTML, a thematic break
    f"{_SIMPLE}\n{_SIMPLE}\n{_SIMPLE}\n",
    f"{_SIMPLE}\n{_SIMPLE}\n\ntext\n",
    f"{_SIMPLE}\n{_SIMPLE}\n\n{_SIMPLE}\n",  # loose: paragraphs, not block_text
    f"{_SIMPLE}\n{_SIMPLE}\n# Heading\n{_SIMPLE}\n",
    f"{_SIMPLE}\n{_SIMPLE}\n```\ncode\n```\n",
    f"{_SIMPLE}\n{_SIMPLE}\n> quote\n",
    f"{_SIMPLE}\n{_SIMPLE}\n<details>\n\n{_SIMPLE}\n\n</details>\n",
    f"{_SIMPLE}\n{_SIMPLE}\n</details>\n",
    f"{_SIMPLE}\n{_SIMPLE}\n---\n",
    f"{_SIMPLE}\n{_SIMPLE}\n- - -\n",
    f"Para\n{_SIMPLE}\n{_SIMPLE}\n",
    # lazy continuation, continuation, sub-lists, a different bullet, indents, tabs
    f"{_SIMPLE}\nlazy line\n{_SIMPLE}\n{_SIMPLE}\n",
    f"{_SIMPLE}\n{_SIMPLE}\n  continued\n{_SIMPLE}\n",
    f"{_SIMPLE}\n  - [Sub](https://s.example) - x\n  - [Sub](https://s.example) - y\n{_SIMPLE}\n",
    f"{_SIMPLE}\n* [B](https://b.example) - x\n* [C](https://c.example)\n",
    f" {_SIMPLE}\n {_SIMPLE}\n{_SIMPLE}\n",
    f"{_SIMPLE}\n {_SIMPLE}\n   {_SIMPLE}\n    {_SIMPLE}\n",
    f"-\t[A](https://a.example)\n{_SIMPLE}\n{_SIMPLE}\n",
    f"{_SIMPLE}   \n{_SIMPLE}  \n{_SIMPLE}\\\n{_SIMPLE}\n",
    # names that could be read otherwise: a reference definition, brackets, backslashes
    "- [r]: https://r.example\n- [r]: https://r.example\n",
    "- [a\\](b]: x\n- [a\\](b]: x\n",
    "- [a](b) [r]: x\n- [[a]](b)\n- [a](<b c>)\n- [a](b)\n",
    "- [a](b) - x\n- [a](b) - x",  # no newline at the end
    # in a block quote, in a list item, at the nesting limit
    f"> {_SIMPLE}\n> {_SIMPLE}\n> {_SIMPLE}\n",
    f"> {_SIMPLE}\n{_SIMPLE}\n{_SIMPLE}\n",
    f"1. Item\n   {_SIMPLE}\n   {_SIMPLE}\n   {_SIMPLE}\n",
    "".join(f"{'  ' * depth}- [D{depth}](https://d.example)\n" for depth in range(12)) * 2,
])
def test_edge_cases_equal_mistunes(text: str) -> None:
    _assert_same(text)


_SIMPLE_LINES = st.sampled_from([
    _SIMPLE, "- [Beta](https://b.example)", "* [Gamma](https://g.example) - `code` and *em*.",
    "+ [Delta](https://d.example) - see https://x.example", "- [](https://e.example) -",
    "- [a\\](b) - escaped", "- [r1]: https://ref.example/x", "  - [Sub](https://s.example) - s",
    "- [Eta](https://h.example) <br> html", "- [Theta](https://t.example)   ",
])


@FUZZ
@given(st.lists(st.one_of(_SIMPLE_LINES, _SIMPLE_LINES, _line()), min_size=1, max_size=30))
def test_generated_documents_equal_mistunes(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    _assert_same(text)
    doc = parse(text)
    assert_invariants(doc)
    items, _ = _markdown_it_structure(text)
    if [kinds for _, kinds in items] == [kinds for _, kinds in _our_structure(doc)]:
        assert [line for line, _ in _our_structure(doc)] == [line for line, _ in items]


def test_a_run_of_simple_items_needs_one_child_state() -> None:
    """mistune reads only the last item of a run; nothing else creates a child state."""
    assert _child_states(f"# Title\n\n{_SIMPLE}\n" * 1 + f"{_SIMPLE}\n" * 499) == 1
    two_lists = f"{_SIMPLE}\n" * 100 + "\n## B\n\n" + f"{_SIMPLE}\n" * 100
    assert _child_states(two_lists) == 2


@pytest.mark.parametrize(("text", "states"), [
    # a lazy continuation line: that item and the last are mistune's
    (f"{_SIMPLE}\n" * 5 + "lazy\n" + f"{_SIMPLE}\n" * 5, 2),
    (f"{_SIMPLE}\n" * 5 + "  continued\n" + f"{_SIMPLE}\n" * 5, 2),
    # a sub-list: its parent item is mistune's (and the sub-list's run has a state of its own)
    (f"{_SIMPLE}\n" * 5 + "  - [S](https://s.example)\n  - [T](https://t.example)\n"
     + f"{_SIMPLE}\n" * 5, 3),
    # HTML in a list: the items around it are mistune's
    (f"{_SIMPLE}\n" * 5 + "<details>\n\n" + f"{_SIMPLE}\n" * 5 + "\n</details>\n", 2),
    # a block quote: one state for the quote, one for the last item of the run in it
    ("".join(f"> {_SIMPLE}\n" for _ in range(10)), 2),
    # items that do not start with a link are mistune's
    ("- plain text\n" * 10, 10),
])
def test_the_fast_path_bails_out(text: str, states: int) -> None:
    assert _child_states(text) == states
    _assert_same(text)


def test_corpus_child_states_fall() -> None:
    """On awesome-go, at most one item in ten is left to mistune's child states."""
    path = next(p.values[0] for p in corpus_params()
                if "awesome-go" in str(p.values[0]))  # type: ignore[attr-defined]
    text = Path(path).read_text(encoding="utf-8")
    entries = sum(1 for _ in parse(text).iter_entries())
    assert _child_states(text) * 10 < entries


# -- entries read without mistune's inline parser ------------------------------------------------

_PIECES = st.sampled_from([
    "[Name](https://n.example/a_b*c)", "[Section](#section)", "[x](https://x.example)",
    " - ", " ", "plain words", "&", "& more", "&amp;", "&#38;", "!", "Wow!", "!!", "(2024)",
    "https://bare.example", "www.example.com", "[", "]", "[x]", "![i](https://i.example)",
    "a://b", "_", "*", "`c`", "<b>", "\\", "é 日本", "[https://u.example](https://u.example)",
    "[](https://empty.example)", "[#](#)", "[a](#)", "[a](#a b)", "[a](<https://a.example>)",
    "`c`", "` c `", "`  `", "``c``", "`", "`[x](https://x.example)`", "[x](https://x.example/`)",
    "[[w](https://w.example)]", "[[w](https://w.example)](https://v.example)", "[r1]",
    "[![CI](https://i.example/b.svg)](https://c.example)", "[![](https://i.example)](#c)",
    "factory_boy", "a__b", "_c_", "é_b", "b_", "[a_b](https://a.example/_x_)", "[a!](#a)",
])
_FIRSTS = st.sampled_from([
    "[Name](https://n.example)", "[![B](https://b.example/i.svg)](https://b.example)",
    "[[Name](https://n.example)]", "[Name](#name)", "`code`", "plain",
])


@FUZZ
@given(_FIRSTS, st.lists(_PIECES, min_size=1, max_size=8))
def test_plain_entries_equal_mistunes(first: str, pieces: list[str]) -> None:
    """Where the plain reading is taken, the Document is the one mistune's inline parser gives."""
    src = first + "".join(pieces)
    text = f"# T\n\n- {src}\n- {src}\n* {src}\n\n> {src}\n\n[r1]: https://r.example\n"
    fast = parse(text)
    real = parse_module._plain_entry_tokens
    parse_module._plain_entry_tokens = lambda src: None  # type: ignore[assignment]
    try:
        assert parse(text) == fast
    finally:
        parse_module._plain_entry_tokens = real


@pytest.mark.parametrize("src", [
    "[a](https://x.example) - with [b](https://y.example) and [c](#c).",
    "[Awesome Go](#awesome-go)",
    "[a](https://x.example) - Fast & small, done!",
    "[a](https://x.example) [[a](https://crates.io/a)] - `x` and `y`, factory_boy.",
    "[a](https://x.example) - d [![CI](https://i.example/b.svg)](https://c.example)",
])
def test_plain_entries_taken(src: str) -> None:
    tokens = parse_module._plain_entry_tokens(src)
    assert tokens is not None
    starts = [t["_start"] for t in tokens if t["type"] == "link"]
    starts += [c["_start"] for t in tokens for c in t.get("children", ()) if c["type"] == "image"]
    (entry,) = parse(f"- {src}\n").iter_entries()
    assert sorted(link.span.column - 3 for link in entry.links) == sorted(starts)


# -- the flat entries tuple ----------------------------------------------------------------------


def test_iterating_entries_walks_no_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Document walks its lists once; rules asking for every entry walk nothing."""
    from awesome_lint.model import Entry, ListBlock

    text = (f"# T\n\n{_SIMPLE}\n  - [Sub](https://s.example)\n{_SIMPLE}\n\n## B\n\n"
            f"> {_SIMPLE}\n\n1. [One](https://o.example)\n")
    doc = parse(text)
    walked = [lst_entry for lst in doc.iter_lists() for lst_entry in lst.iter_entries()]
    walks = 0

    def counting(self: Any) -> Iterator[Entry]:
        nonlocal walks
        walks += 1
        return iter(())

    monkeypatch.setattr(ListBlock, "iter_entries", counting)
    monkeypatch.setattr(Entry, "iter_entries", counting)
    for _ in range(3):
        assert list(doc.iter_entries()) == walked
    assert doc.entries == tuple(walked) and len(walked) == 5
    assert walks == 0
