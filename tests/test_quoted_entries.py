"""Entries in block quotes and in ``<details>``, and names wrapped in emphasis: what the parser
reads as an entry there, with exact positions, and that the rules check them and fix them
without breaking the quote."""

from __future__ import annotations

from awesome_lint.config import Config
from awesome_lint.engine import fix_text, lint_document
from awesome_lint.model import Document, Entry, Span
from awesome_lint.parse import parse
from awesome_lint.rule import Rule
from awesome_lint.rules.alphabetical_order import AlphabeticalOrder
from awesome_lint.rules.duplicate_link import DuplicateLink
from awesome_lint.rules.entry_format import EntryFormat
from awesome_lint.rules.list_marker import ListMarker
from awesome_lint.rules.list_numbering import ListNumbering
from awesome_lint.rules.note_indentation import NoteIndentation
from awesome_lint.rules.sublist_indentation import SublistIndentation


def at(doc: Document, span: Span) -> str:
    """The source text a span covers."""
    lines = doc.lines[span.line - 1:span.end_line]
    if span.line == span.end_line:
        return lines[0][span.column - 1:span.end_column - 1]
    return "\n".join([lines[0][span.column - 1:], *lines[1:-1], lines[-1][:span.end_column - 1]])


def entries(text: str) -> list[Entry]:
    return list(parse(text).iter_entries())


def codes(text: str, rule: type[Rule]) -> list[tuple[int, str]]:
    return [(f.span.line, f.code) for f in lint_document(parse(text, "t.md"), [rule], Config())]


# --- what is an entry in a block quote -------------------------------------------------------

def test_quoted_list_items_are_entries_with_exact_spans() -> None:
    text = "# T\n\n> - [A](https://a.example) - First.\n>   - [B](https://b.example) - Sub.\n"
    doc = parse(text)
    (lst,) = doc.root.subsections[0].lists
    assert lst.quoted and lst.entries[0].sublists[0].quoted
    a, b = doc.iter_entries()
    assert (a.marker, at(doc, a.marker_span), b.marker) == ("-", "-", "-")
    assert a.link is not None and at(doc, a.link.span) == "[A](https://a.example)"
    assert b.link is not None and at(doc, b.link.url_span) == "https://b.example"
    assert a.separator_span is not None and at(doc, a.separator_span) == " - "
    assert a.description_span is not None and at(doc, a.description_span) == "First."


def test_a_quote_paragraph_that_starts_with_a_name_is_an_entry() -> None:
    text = ("> **[Name](https://n.example)** <br> What it does.\n"
            ">\n"
            "> [Other](https://o.example) - Spans\n"
            "> two lines.\n")
    doc = parse(text)
    (lst,) = doc.iter_lists()
    assert (lst.quoted, lst.delimiter, len(lst.entries)) == (True, "", 2)
    first, second = lst.entries
    assert (first.marker, first.name, first.wrapping) == ("", "Name", "**")
    assert first.marker_span == Span(1, 3, 1, 3) and first.span == Span(1, 3, 1, 51)
    assert first.separator == " <br> " and first.description == "What it does."
    assert first.separator_span is not None and at(doc, first.separator_span) == " <br> "
    assert first.description_span is not None and at(doc, first.description_span) == "What it does."
    assert second.span == Span(3, 3, 4, 13) and second.description == "Spans\ntwo lines."
    assert second.description_span is not None
    assert at(doc, second.description_span) == "Spans\n> two lines."
    assert at(doc, second.span_in_description(6, 9)) == "two"


def test_quoted_prose_is_not_an_entry() -> None:
    epigraph = "> Simplicity is prerequisite for reliability. [Dijkstra](https://d.example)\n"
    sentence = "> [Foo](https://foo.example) is a tool I use every day.\n"
    note = "> [!NOTE]\n> [Foo](https://foo.example) - see there.\n"
    article = ("> The year 2018 was an inflection point.\n>\n"
               "> [ULMFiT introduced methods](https://u.example) - more than embeddings.\n>\n"
               "> NLP finally had a way to do transfer learning.\n")
    for text in (epigraph, sentence, note, article):
        assert entries(text) == [], text
        assert parse(text).links  # the links are still seen (and checked)


def test_a_quote_mostly_of_entries_keeps_its_title_out() -> None:
    text = ("> **Editor's picks**\n>\n> [A](https://a.example) - One.\n>\n"
            "> [B](https://b.example) - Two.\n")
    assert [e.name for e in entries(text)] == ["A", "B"]


# --- <details> --------------------------------------------------------------------------------

def test_details_list_ends_at_the_closing_tag() -> None:
    """mistune took ``</details>`` right after an item into the item; GitHub ends the list."""
    text = ("<details><summary>More</summary>\n\n- [A](https://a.example) - One.\n"
            "- [B](https://b.example) - Two.\n</details>\n")
    doc = parse(text)
    (lst,) = doc.iter_lists()
    assert [e.span.end_line for e in lst.entries] == [3, 4]
    assert lst.span.end_line == 4
    assert [h.span.line for h in doc.html_blocks] == [1, 5]


def test_duplicates_in_a_quote_and_in_details_are_reported() -> None:
    text = ("# T\n\n- [A](https://a.example) - One.\n\n"
            "> - [A](https://a.example/) - Two.\n\n"
            "> **[A](https://A.example)** <br> Three.\n\n"
            "<details>\n<summary>Older</summary>\n\n- [A](https://a.example) - Four.\n"
            "</details>\n")
    assert codes(text, DuplicateLink) == [(5, "AL301"), (7, "AL301"), (12, "AL301")]


# --- names wrapped in emphasis -----------------------------------------------------------------

def test_emphasised_names_have_their_separator_after_the_emphasis() -> None:
    cases = {
        "**[Name](https://n.example)**: Text.": ("**", ": "),
        "*[Name](https://n.example)* - Text.": ("*", " - "),
        "__[Name](https://n.example)__ - Text.": ("__", " - "),
        "***[Name](https://n.example)***: Text.": ("***", ": "),
        "[![b](https://i.example/b.svg)](https://ci.example) **[Name](https://n.example)** - Text.":
            ("**", " - "),
    }
    for src, (wrapping, separator) in cases.items():
        doc = parse(f"- {src}\n")
        (entry,) = doc.iter_entries()
        assert (entry.name, entry.wrapping, entry.separator) == ("Name", wrapping, separator), src
        assert entry.link is not None and entry.link.url == "https://n.example"
        assert entry.separator_span is not None and at(doc, entry.separator_span) == separator
        assert entry.description == "Text."


def test_entry_format_reads_bold_names_without_a_false_separator() -> None:
    items = [f"- **[Tool {c}](https://{c}.example)**: Does {c}." for c in "abcdefghij"]
    items.append("- [![ci](https://i.example/b.svg)](https://ci.example) "
                 "**[Tool k](https://k.example)**: Does k.")
    items.append("- ***[Tool l](https://l.example)***: Does l.")
    assert codes("# T\n\n" + "\n".join(items) + "\n", EntryFormat) == []


# --- fixes keep quotes whole -------------------------------------------------------------------

def fixed(text: str, rules: list[type[Rule]]) -> str:
    new, _, _ = fix_text(text, "t.md", rules, Config(), unsafe=True)
    return new


def test_fixes_in_a_quoted_list_keep_the_quote() -> None:
    numbered = "> 1. [A](https://a.example) - One.\n> 2. [B](https://b.example) - Two.\n" \
               "> 2. [C](https://c.example) - Three.\n"
    assert fixed(numbered, [ListNumbering]) == numbered.replace("> 2. [C", "> 3. [C")
    nested = ("> - [A](https://a.example) - One.\n>   - [a](https://a1.example) - Sub.\n"
              "> - [B](https://b.example) - Two.\n>   - [b](https://b1.example) - Sub.\n"
              "> - [D](https://d.example) - Four.\n>   - [d](https://d1.example) - Sub.\n"
              "> - [C](https://c.example) - Three.\n>     - [c](https://c1.example) - Sub.\n")
    assert codes(nested, SublistIndentation) == [(8, "AL104")]
    assert fixed(nested, [SublistIndentation]) == nested  # moving lines would leave the quote
    note = "> 1. [A](https://a.example) - One.\n> - note\n"
    assert codes(note, NoteIndentation) == [(2, "AL103")]
    assert fixed(note, [NoteIndentation]) == note


def test_sorting_quoted_entries_keeps_each_line_in_the_quote() -> None:
    names = ["Alpha", "Bravo", "Charlie", "Delta", "Foxtrot", "Echo", "Golf", "Hotel", "India",
             "Juliet", "Kilo", "Lima"]
    listed = "".join(f"> - [{n}](https://{n.lower()}.example) - It.\n" for n in names)
    assert (1 + names.index("Echo"), "AL303") in codes(listed, AlphabeticalOrder)
    sorted_text = "".join(f"> - [{n}](https://{n.lower()}.example) - It.\n"
                          for n in sorted(names))
    assert fixed(listed, [AlphabeticalOrder]) == sorted_text
    # Paragraphs apart: moving them would join two entries into one paragraph; no fix.
    paragraphs = ">\n".join(f"> **[{n}](https://{n.lower()}.example)** <br> It.\n"
                            for n in names)
    assert codes(paragraphs, AlphabeticalOrder)
    assert fixed(paragraphs, [AlphabeticalOrder]) == paragraphs


def test_a_separator_fix_in_a_quote_paragraph_edits_the_separator_only() -> None:
    items = "".join(f"- [T{c}](https://{c}.example) - Does {c}.\n" for c in "abcdefghijkl")
    text = f"# T\n\n{items}\n> **[Tm](https://m.example)**: Does m.\n"
    assert fixed(text, [EntryFormat]) == text.replace("**: Does m.", "** - Does m.")


def test_bullets_of_a_quoted_list_are_not_compared_with_a_list_outside() -> None:
    text = "  - [A](https://a.example) - One.\n\n> * [B](https://b.example) - Two.\n" \
           "\n> **[C](https://c.example)** <br> Three.\n"
    assert codes(text, ListMarker) == []
