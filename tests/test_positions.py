"""Positions are exact: on every corpus list, on hand-written edge cases and on generated documents.

Item and heading lines are cross-checked against markdown-it-py (CommonMark), an independent parser.
"""

from __future__ import annotations

from pathlib import Path

import mistune
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from awesome_lint.model import Document, Entry, LinkKind, ListBlock, Span
from awesome_lint.parse import fence_left_open, parse
from awesome_lint.source import normalise_text, read_source
from conftest import corpus_params

_MD = MarkdownIt("commonmark")


def _markdown_it_lines(text: str) -> tuple[list[int], list[int]]:
    """Lines of list items (those in block quotes included) and of headings."""
    items, heads = _markdown_it_structure(text)
    return sorted(line for line, _ in items), sorted(heads)


def _markdown_it_structure(text: str) -> tuple[list[tuple[int, tuple[bool, ...]]], list[int]]:
    """Items in document order as (line, kinds of the enclosing lists), and heading lines."""
    items, heads = [], []
    lists: list[bool] = []
    for tok in _MD.parse(text):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(tok.type == "ordered_list_open")
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif tok.type == "list_item_open" and tok.map:
            items.append((tok.map[0] + 1, tuple(lists)))
        elif tok.type == "heading_open" and tok.map:
            heads.append(tok.map[0] + 1)
    return items, heads


def _our_structure(doc: Document) -> list[tuple[int, tuple[bool, ...]]]:
    def walk(lst: ListBlock, outer: tuple[bool, ...]) -> list[tuple[int, tuple[bool, ...]]]:
        kinds = (*outer, lst.ordered)
        found = []
        for entry in lst.entries:
            found.append((entry.span.line, kinds))
            for sub in entry.sublists:
                found.extend(walk(sub, kinds))
        return found

    return [item for lst in doc.iter_lists() if lst.delimiter for item in walk(lst, ())]


def _item_lines(doc: Document) -> list[int]:
    """Lines of the entries written as list items (not as block-quote paragraphs)."""
    return sorted(e.span.line for e in doc.iter_entries() if e.marker)


def _mistune_item_count(text: str) -> int:
    tokens, _ = mistune.create_markdown(renderer=None).parse(text)

    def count(toks: list[dict[str, object]]) -> int:
        n = 0
        for tok in toks:
            n += tok["type"] == "list_item"
            children = tok.get("children")
            if isinstance(children, list):
                n += count(children)
        return n

    return count(tokens)


def assert_invariants(doc: Document) -> None:
    """Every link's URL span covers the URL as written; every entry starts at its marker (or,
    written as a block-quote paragraph, at its text)."""
    lines = doc.text.split("\n")
    for link in doc.links:
        span = link.url_span
        assert 1 <= span.line <= span.end_line <= len(lines)
        if link.kind is LinkKind.REFERENCE and span == link.span:
            continue  # an undefined label: no definition to point at
        assert span.line == span.end_line, link
        written = lines[span.line - 1][span.column - 1 : span.end_column - 1]
        assert written == link.url, (link, lines[span.line - 1])
        whole = lines[link.span.line - 1][link.span.column - 1 :]
        assert whole.startswith(("[", "![", "<", "http")), link
    for entry in doc.iter_entries():
        line = lines[entry.span.line - 1]
        start = entry.marker or entry.text
        assert line[entry.span.column - 1 :].startswith(start.split("\n")[0]), (entry.span, line)
        assert entry.span.end_line >= entry.span.line
        if entry.text_span is not None and entry.text_span.line == entry.text_span.end_line:
            row = lines[entry.text_span.line - 1]
            assert row[entry.text_span.column - 1 : entry.text_span.end_column - 1] == entry.text
    for heading in doc.headings:
        span = heading.text_span
        if span.line == span.end_line:
            row = lines[span.line - 1]
            assert row[span.column - 1 : span.end_column - 1] == heading.text


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_positions(path: Path) -> None:
    text = read_source(path).text  # as the CLI reads it: BOM dropped, line endings normalised
    doc = parse(text, path.name)
    assert_invariants(doc)
    items, heads = _markdown_it_lines(text)
    assert _item_lines(doc) == items
    assert sorted(h.span.line for h in doc.headings) == heads
    assert len(doc.links) >= len(list(doc.iter_entries())) // 2


EDGE_CASES = {
    "tabs": "-\t[a](http://a.example)\n\t- [b](<http://b.example/x y>)\n",
    "quote": "> - [a](u1)\n>   - [b](u2 \"title\")\n> text <http://c.example>\n",
    "nested-ordered": "1. [a](u1)\n   1) [b](u2)\n   2) [c](u3)\n2. [d](u4)\n",
    "empty-first-line": "-\n  [a](u1) - desc\n- [b](u2)\n",
    "loose": "- [a](u1)\n\n  more [x](u9)\n\n- [b](u2)\n",
    "setext": "Title [t](u0)\n=====\n\n- [a](u1)\n",
    "atx-closed": "## Head [h](u0) ##\n- [a](u1)\n",
    "reference": "- [a][ref] - desc\n- [b][]\n\n[ref]: https://r.example/x\n[b]: <https://b.example>\n",
    "image-in-link": "- [![img](i.png)](https://x.example) - badge\n",
    "parens-in-url": "- [a](https://x.example/a_(b)) - desc\n",
    "escaped": "- [a\\]b](https://x.example/\\(y) - desc\n",
    "bare-url": "- see https://bare.example/path, then [a](u)\n",
    "html-block": "<details>\n\n- [a](u1)\n\n</details>\n- [b](u2)\n",
    "front-matter": "---\ntitle: x\n---\n# T\n- [a](u1)\n",
    "deep": "".join("  " * i + f"- [l{i}](u{i})\n" for i in range(25)),
    "no-final-newline": "- [a](u1)",
    "unicode": "- [日本語](https://例え.jp/パス) - 説明。\n- [emoji 🤗](https://e.example) - ok\n",
    "crlf-normalised": "- [a](u1)\n- [b](u2)\n",
    "code-fence": "```\n- [not](a link)\n```\n- [a](u1)\n",
}


@pytest.mark.parametrize("text", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_edge_case_positions(text: str) -> None:
    doc = parse(text)
    assert_invariants(doc)
    assert len(_item_lines(doc)) == _mistune_item_count(text)


def test_specific_spans() -> None:
    doc = parse("# T\n\n1. [Name](https://x.example/a) - Description.\n  - note\n")
    (entry, *_) = doc.iter_entries()
    assert entry.marker == "1." and entry.number == 1
    assert (entry.span.line, entry.span.column) == (3, 1)
    assert entry.link is not None and entry.link.url == "https://x.example/a"
    assert entry.link.span.column == 4 and entry.link.url_span.column == 11
    assert entry.separator == " - " and entry.description == "Description."
    assert entry.description_span is not None and entry.description_span.column == 34
    assert doc.title is not None and doc.title.slug == "t"


def test_note_indented_too_little_ends_the_ordered_list() -> None:
    doc = parse("1. a\n2. b\n  - note\n3. c\n")
    lists = list(doc.iter_lists())
    assert [(lst.ordered, lst.start, len(lst.entries)) for lst in lists] == [
        (True, 1, 2), (False, None, 1), (True, 3, 1)
    ]


def test_sections_nest_by_level() -> None:
    doc = parse("# T\n## A\n- [a](u)\n### A1\n- [b](v)\n## B\n- [c](w)\n## A\n")
    root = doc.root
    (title,) = root.subsections
    assert [s.heading.text for s in title.subsections if s.heading] == ["A", "B", "A"]
    assert [s.heading.slug for s in title.subsections if s.heading] == ["a", "b", "a-1"]
    a = title.subsections[0]
    assert [e.text for lst in a.lists for e in lst.entries] == ["[a](u)"]
    assert a.span.line == 2 and a.span.end_line == 5
    assert a.subsections[0].span.end_line == 5


# -- generated documents --------------------------------------------------------------------

_INLINE = st.sampled_from([
    "[name](https://ex.example/a)", "[x y](<https://ex.example/b c>)", "![img](pic.png)",
    "<https://auto.example>", "plain words", "`code [no](link)`", "**bold [l](u)**",
    "[ref][r1]", "https://bare.example/p", "a \\[not\\](link)", "[nested [br]](u2)", "é ü 日本",
])
_MARKERS = st.sampled_from(["-", "*", "+", "1.", "2.", "10.", "1)"])


@st.composite
def _line(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["item", "item", "item", "heading", "text", "blank", "quote",
                                 "quoted-entry", "html", "fence", "refdef", "setext"]))
    inline = " ".join(draw(st.lists(_INLINE, min_size=1, max_size=3)))
    indent = draw(st.sampled_from(["", "", "  ", "   ", "    ", "\t", " \t"]))
    if kind == "item":
        gap = draw(st.sampled_from([" ", "  ", "\t"]))
        return f"{indent}{draw(_MARKERS)}{gap}{inline}"
    if kind == "heading":
        return f"{'#' * draw(st.integers(1, 4))} {inline}"
    if kind == "quote":
        # A blank line after the quote: mistune's lazy continuation lines differ from CommonMark.
        return f"> {draw(_MARKERS)} {inline}\n"
    if kind == "quoted-entry":
        return f"> {inline} - {inline}\n>\n> {inline} <br> {inline}\n"
    if kind == "html":
        # Blank lines around: how an HTML block ends a list item differs between the parsers.
        return "\n" + draw(st.sampled_from(["<details>", "</details>", "<p>", "<!-- c -->"])) + "\n"
    if kind == "fence":
        return "```"
    if kind == "refdef":
        return "[r1]: https://ref.example/x"
    if kind == "setext":
        return draw(st.sampled_from(["===", "---"]))
    return "" if kind == "blank" else f"{indent}{inline}"


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_line(), min_size=1, max_size=25))
def test_generated_documents(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    doc = parse(text)
    assert_invariants(doc)
    assert len(_item_lines(doc)) == _mistune_item_count(text)
    items, heads = _markdown_it_structure(text)
    ours = _our_structure(doc)
    # Where the two parsers agree on the structure (list nesting and kinds, heading count), they
    # must agree on every line; where they disagree it is mistune's reading, not our positions.
    assume([kinds for _, kinds in items] == [kinds for _, kinds in ours])
    assume(len(heads) == len(doc.headings))
    assert [line for line, _ in ours] == [line for line, _ in items]
    assert sorted(h.span.line for h in doc.headings) == heads


@pytest.mark.parametrize("path", corpus_params())
def test_plain_entry_fast_path_equals_mistune(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries without inline markup skip mistune's inline parser: the tree must not change."""
    import awesome_lint.parse as parse_module

    text = path.read_text(encoding="utf-8")
    fast = parse(text, path.name)
    monkeypatch.setattr(parse_module, "_plain_entry_tokens", lambda src: None)
    assert parse(text, path.name) == fast


@pytest.mark.parametrize("path", corpus_params())
def test_single_line_paragraph_fast_path_equals_mistune(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One-line list items skip mistune's block-rule search: the tree must not change."""
    import awesome_lint.parse as parse_module

    text = read_source(path).text
    fast = parse(text, path.name)
    monkeypatch.setattr(parse_module, "_single_paragraph", lambda *args: False)
    assert parse(text, path.name) == fast


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_line(), min_size=1, max_size=25))
def test_single_line_fast_path_on_generated_documents(lines: list[str]) -> None:
    import awesome_lint.parse as parse_module

    text = "\n".join(lines) + "\n"
    fast = parse(text)
    real = parse_module._single_paragraph
    parse_module._single_paragraph = lambda *args: False  # type: ignore[assignment]
    try:
        assert parse(text) == fast
    finally:
        parse_module._single_paragraph = real


@pytest.mark.parametrize("src", [
    "[a](https://x.example) - plain",
    "[a](https://x.example)",
    "[a b](http://x.example/p?q=1#f) - with (parens) and 'quotes'.",
])
def test_fast_path_taken_and_equal(src: str) -> None:
    import awesome_lint.parse as parse_module

    assert parse_module._plain_entry_tokens(src) is not None
    text = f"- {src}\n"
    doc = parse(text)
    (entry,) = doc.iter_entries()
    assert entry.link is not None and entry.text == src


@pytest.mark.parametrize("src", [
    "[a](https://x.example) - see https://y.example",
    "[a](https://x.example) - ``code``",
    "[a](https://x.example) - *em*",
    "[a](https://x.example/(x)) - parens in URL",
    "[a](https://x.example) - ![b](https://y.example)",
    "[a](https://x.example) - &amp; entity",
])
def test_fast_path_declines_markup(src: str) -> None:
    import awesome_lint.parse as parse_module

    assert parse_module._plain_entry_tokens(src) is None


def test_code_blocks_are_recorded_with_their_fences() -> None:
    text = "# T\n\n```py\nx\n```\n\n    indented\n    code\n\n- a\n\n  ~~~\n  in item\n  ~~~\n"
    doc = parse(text)
    assert [(c.fenced, c.info, c.span.line, c.span.end_line) for c in doc.code_blocks] == [
        (True, "py", 3, 5), (False, "", 7, 8), (True, "", 12, 14)
    ]


# --- the one reading of an entry (issue 9) ----------------------------------------------------


def _entry(src: str) -> Entry:
    (entry,) = parse(f"- {src}\n").iter_entries()
    return entry


def _at(src: str, span: Span | None) -> str:
    """The text of ``- {src}`` under a one-line span."""
    assert span is not None and span.line == span.end_line == 1
    return f"- {src}"[span.column - 1:span.end_column - 1]


@pytest.mark.parametrize(("src", "name", "wrapping", "separator", "description"), [
    ("[Foo](https://f.example) - Foo is a tool.", "Foo", "", " - ", "Foo is a tool."),
    ("**[Foo](https://f.example)** - Foo is a tool.", "Foo", "**", " - ", "Foo is a tool."),
    ("__[Foo](https://f.example)__: A tool.", "Foo", "__", ": ", "A tool."),
    ("*[Foo](https://f.example)* \u2014 A tool.", "Foo", "*", " \u2014 ", "A tool."),
    ("[Foo](https://f.example) (2024) - A tool.", "Foo", "", " - ", "A tool."),
    ("[Foo](https://f.example) [[crate](https://c.example)] - A tool.", "Foo", "", " - ",
     "A tool."),
    ("[Foo](https://f.example) by Jane Doe.", "Foo", "", "", "by Jane Doe."),
    ("[Foo](https://f.example) ![stars](https://s.example/x.svg)", "Foo", "", "", ""),
    ("[Foo](https://f.example)", "Foo", "", "", ""),
    ("[![ci](https://b.example/ci.svg)](https://ci.example) [Foo](https://f.example) - A tool.",
     "Foo", "", " - ", "A tool."),
])
def test_entry_reading(src: str, name: str, wrapping: str, separator: str,
                       description: str) -> None:
    entry = _entry(src)
    assert (entry.name, entry.wrapping, entry.separator, entry.description) == (
        name, wrapping, separator, description)
    assert _at(src, entry.separator_span) == separator
    if description:
        assert _at(src, entry.description_span) == description
        assert _at(src, entry.span_in_description(0, 3)) == description[:3]
    else:
        assert entry.description_span is None


@pytest.mark.parametrize("src", ["A note", "**[Foo](https://f.example) - all bold**",
                                 "Foo [bar](https://b.example)"])
def test_entry_without_a_main_link_has_no_reading(src: str) -> None:
    entry = _entry(src)
    assert entry.link is entry.separator is entry.description is entry.separator_span is None
    assert entry.name is None and entry.wrapping == ""


def test_entry_offsets_map_to_continuation_lines() -> None:
    text = "# T\n\n- [Foo](https://f.example) - First line\n  and `more` here.\n"
    (entry,) = parse(text).iter_entries()
    assert entry.description == "First line\nand `more` here."
    start = entry.description.index("more")
    assert entry.span_in_description(start, start + 4) == Span(4, 8, 4, 12)
    assert entry.span_in_text(0, 1) == Span(3, 3, 3, 4)


# --- what is code, what is HTML ---------------------------------------------------------------


def test_code_and_html_lines() -> None:
    text = ("# T\n\n```py\nx\n```\n\n    indented\n\n<div>\n<p>hi</p>\n</div>\n\n"
            "- a\n\n  ~~~\n  in item\n  ~~~\n> ```\n> quoted\n> ```\n")
    doc = parse(text)
    assert doc.code_lines == {3, 4, 5, 7, 15, 16, 17, 18, 19, 20}
    assert doc.html_lines == {9, 10, 11}
    assert doc.is_code(4) and not doc.is_code(1) and doc.in_html(10) and not doc.in_html(4)


@pytest.mark.parametrize(("line", "ranges"), [
    ("A `b` c ``d ` e`` f", [(2, 5), (8, 17)]),
    ("Not \\`code\\` here", []),
    ("An ` unmatched tick", []),
    ("`a` and `` ` `` and ```x```", [(0, 3), (8, 15), (20, 27)]),
])
def test_inline_code_ranges_are_mistunes_code_spans(line: str,
                                                    ranges: list[tuple[int, int]]) -> None:
    doc = parse(f"{line}\n")
    assert list(doc.inline_code_ranges(1)) == ranges
    for start, end in ranges:
        assert doc.is_code(1, start + 1) and doc.is_code(1, end)
        assert not doc.is_code(1, end + 1)


def test_code_spans_in_items_quotes_headings_and_across_lines() -> None:
    text = "# The `x` heading\n\n- [A](https://a.example) - Uses `y\n  z` daily.\n\n> quote `q`\n"
    doc = parse(text)
    assert doc.inline_code_ranges(1) == ((6, 9),)
    assert doc.inline_code_ranges(3) == ((32, 34),)  # "`y" to the end of the line
    assert doc.inline_code_ranges(4) == ((2, 4),)  # "z`", after the item's indentation
    assert doc.inline_code_ranges(6) == ((8, 11),)
    assert doc.code_spans == (Span(1, 7, 1, 10), Span(3, 33, 3, 35), Span(4, 3, 4, 5),
                              Span(6, 9, 6, 12))


def test_no_code_spans_in_code_or_html_blocks() -> None:
    text = "```\na `b` c\n```\n\n<p>a `b` c</p>\n"
    doc = parse(text)
    assert doc.code_spans == ()
    assert doc.is_code(2) and not doc.is_code(5, 4)


def test_html_link_in_a_code_span_is_not_a_link() -> None:
    doc = parse('See `<a href="https://x.example">` and <a href="https://y.example">y</a>\n')
    assert [link.url for link in doc.links if link.kind is LinkKind.HTML] == ["https://y.example"]


@pytest.mark.parametrize("path", corpus_params())
def test_code_spans_agree_with_markdown_it(path: Path) -> None:
    """As many code spans as markdown-it-py finds, each starting with a backtick."""
    text = read_source(path).text
    doc = parse(text, path.name)
    starts = [s for s in doc.code_spans if doc.lines[s.line - 1][s.column - 1] == "`"]
    assert all(doc.lines[s.end_line - 1][s.end_column - 2] == "`" or s.end_column - 1 ==
               len(doc.lines[s.end_line - 1]) for s in doc.code_spans)
    tokens = MarkdownIt("commonmark").parse(text)
    theirs = sum(1 for tok in tokens if tok.type == "inline"
                 for child in tok.children or () if child.type == "code_inline")
    assert len(starts) == theirs


@pytest.mark.parametrize(("text", "closed"), [
    ("```\nx\n```\n", True), ("```\nx\n", False), ("````\nx\n```\n", False),
    ("~~~\nx\n```\n", False), ("- a\n\n  ```\n  x\n", False), ("```\nx\n```   \n", True),
])
def test_fence_closed(text: str, closed: bool) -> None:
    (block,) = parse(text).code_blocks
    assert block.closed is closed
    assert fence_left_open(text) is not closed


def test_normalise_text_is_what_parse_reads() -> None:
    raw = "\ufeff# T\r\n\r\n- a\rb\n"
    assert normalise_text(raw) == "# T\n\n- a\nb\n"
    assert parse(raw).text == normalise_text(raw)
