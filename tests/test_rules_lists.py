"""The "lists" rules (AL102-AL104, AL302) on the real corpus and on edge cases (AL303: its own
file, test_alphabetical_order.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from awesome_lint.config import Config
from awesome_lint.engine import fix_text, lint_document
from awesome_lint.findings import Finding, Severity
from awesome_lint.model import Document
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules
from awesome_lint.rule import Rule, Tier
from awesome_lint.rules.duplicate_entry_name import DuplicateEntryName
from awesome_lint.rules.list_marker import ListMarker
from awesome_lint.rules.list_numbering import ListNumbering
from awesome_lint.rules.note_indentation import NoteIndentation
from awesome_lint.rules.sublist_indentation import SublistIndentation
from awesome_lint.source import normalise_newlines
from conftest import CORPUS, SEED, corpus_params

GROUP: list[type[Rule]] = [ListMarker, NoteIndentation, SublistIndentation, DuplicateEntryName]
DEFAULT = [r for r in GROUP if r.tier is Tier.DEFAULT]

#: Every finding of the default-set rules of this group on the corpus, each read and judged a
#: real defect (see the rule pages): two entries listed twice on one site or with one
#: description. (AL102 and AL104 are in the awesome preset: not run here.)
EXPECTED = {
    "academic__awesome-datascience.md": [(763, "AL302")],
}
SEED_NOTES = [54, 59, 61, 80, 82, 85, 88, 92, 106, 155, 167, 186, 188, 190]


def lint(text: str, rules: list[type[Rule]] | None = None, **options: Any) -> list[Finding]:
    rules = rules or GROUP
    config = Config(rule_settings={r.code: options for r in rules} if options else {})
    return lint_document(parse(text, "list.md"), rules, config)


def lines(findings: list[Finding], code: str) -> list[int]:
    return [f.span.line for f in findings if f.code == code]


def fix(text: str, rules: list[type[Rule]], *, unsafe: bool = False, **options: Any) -> str:
    config = Config(rule_settings={r.code: options for r in rules} if options else {})
    fixed, _, _ = fix_text(text, "list.md", rules, config, unsafe=unsafe)
    again, count, _ = fix_text(fixed, "list.md", rules, config, unsafe=unsafe)
    assert (again, count) == (fixed, 0), "fixing twice must equal fixing once"
    return fixed


def read(path: Path) -> Document:
    return parse(normalise_newlines(path.read_text(encoding="utf-8")), str(path))


# --- the corpus --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", corpus_params())
def test_corpus_findings_are_the_judged_ones(path: Path) -> None:
    findings = lint_document(read(path), DEFAULT, Config())
    found = sorted((f.span.line, f.code) for f in findings)
    if path.name == SEED.name:
        assert found == [(n, "AL103") for n in SEED_NOTES]
    else:
        assert found == EXPECTED.get(path.name, [])
        assert len(found) <= max(2, len(read(path).lines) // 200)  # at most 0.5 per 100 lines


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_gets_no_error_from_this_group(path: Path) -> None:
    findings = lint_document(read(path), GROUP, Config())
    assert [f for f in findings if f.severity is Severity.ERROR] == []


def test_sindresorhus_awesome_is_clean() -> None:
    path = CORPUS / "sindresorhus__awesome.md"
    assert lint_document(read(path), DEFAULT, Config()) == []


def test_seed_fix_nests_the_notes_and_joins_the_numbered_list() -> None:
    text = SEED.read_text(encoding="utf-8")
    fixed = fix(text, [ListNumbering, NoteIndentation])
    doc = parse(fixed, "seed.md")
    papers = next(s for s in doc.iter_sections() if s.heading and s.heading.plain == "Papers")
    assert len(papers.lists) == 1 and len(papers.lists[0].entries) == 18
    nested = [e.marker for e in papers.lists[0].entries if e.sublists]
    assert nested == ["2.", "6.", "7.", "10.", "11.", "13.", "15.", "18."]
    assert lint_document(doc, [ListNumbering, NoteIndentation], Config()) == []
    # besides indentation, only the numbers AL101 renumbers change
    before = [x.lstrip() for x in text.split("\n")]
    after = [x.lstrip() for x in fixed.split("\n")]
    changed = [i + 1 for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed and all(text.split("\n")[i - 1][:1].isdigit() for i in changed)


def test_seed_fix_renders_one_numbered_list_on_commonmark() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    text = SEED.read_text(encoding="utf-8")

    def shape(source: str) -> tuple[int, int]:
        """Ordered lists, and bullet lists at the top level, of the Papers section."""
        section = source[source.index("## Papers"):source.index("## Articles")]
        tokens = markdown_it.MarkdownIt().parse(section)
        return (sum(t.type == "ordered_list_open" for t in tokens),
                sum(t.type == "bullet_list_open" and t.level == 0 for t in tokens))

    assert shape(text) == (8, 8)  # the notes cut the list into 8 pieces
    assert shape(fix(text, [NoteIndentation])) == (1, 0)


def test_seed_details_block_moves_with_its_note() -> None:
    fixed = fix(SEED.read_text(encoding="utf-8"), [NoteIndentation]).split("\n")
    assert fixed[63 - 1].startswith("   - [Comments from HN]")
    assert fixed[64 - 1] == "     <details>"
    assert fixed[76 - 1] == "     </details>"
    assert fixed[65 - 1] == "  "  # whitespace-only lines are left as they are


# --- AL103 note-indentation --------------------------------------------------------------------

def test_note_after_blank_line_at_margin_is_a_list_of_its_own() -> None:
    text = "1. [A](https://a.example) - A.\n\n- [B](https://b.example) - B.\n"
    assert lines(lint(text), "AL103") == []


def test_indented_note_after_blank_line_is_still_reported() -> None:
    text = "1. [A](https://a.example) - A.\n\n  - a note\n2. [B](https://b.example) - B.\n"
    assert lines(lint(text), "AL103") == [3]


def test_note_under_wide_marker_spacing_uses_the_text_column() -> None:
    text = "1.  [A](https://a.example) - A.\n   - a note\n2.  [B](https://b.example) - B.\n"
    assert lines(lint(text), "AL103") == [2]
    assert fix(text, [NoteIndentation]).split("\n")[1] == "    - a note"


def test_crlf_text_normalised_is_checked_and_fixed() -> None:
    text = normalise_newlines("1. [A](https://a.example)\r\n  - note\r\n2. [B](https://b.example)\r\n")
    assert lines(lint(text), "AL103") == [2]
    assert fix(text, [NoteIndentation]) == (
        "1. [A](https://a.example)\n   - note\n2. [B](https://b.example)\n")


def test_unicode_before_the_note_does_not_shift_columns() -> None:
    text = "1. [Ünïcödé 🤗](https://a.example) — ok\n  - note 🤗\n2. [B](https://b.example)\n"
    assert fix(text, [NoteIndentation]).split("\n")[1] == "   - note 🤗"


def test_tab_indented_note_nests_as_on_github() -> None:
    # a tab reaches column 5: past the text of "1. " and of "10. ", so the note is nested
    for number in ("1.", "10."):
        text = f"{number} [A](https://a.example)\n\t- note\n{number} [B](https://b.example)\n"
        assert lint(text, [NoteIndentation]) == []
    text = "1. [A](https://a.example)\n  - note\n2. [B](https://b.example)\n"
    assert lines(lint(text, [NoteIndentation]), "AL103") == [2]  # two spaces do not


def test_empty_file_and_no_lists() -> None:
    assert lint("") == []
    assert lint("# Title\n\nJust text.\n") == []


# --- AL102 list-marker -------------------------------------------------------------------------

def test_lists_inside_details_are_checked_like_others() -> None:
    text = ("<details>\n<summary>More</summary>\n\n- [A](https://a.example) - A.\n"
            "- [B](https://b.example) - B.\n* [C](https://c.example) - C.\n"
            "- [D](https://d.example) - D.\n\n</details>\n")
    assert lines(lint(text), "AL102") == [6]


def test_the_odd_marker_out_is_reported_and_a_split_list_is_left_alone() -> None:
    """Issue 13: a deviation only where the list is otherwise consistent (90%, or one odd item
    among four or more); a list split 60/40, or one of two, has no style to restore."""
    assert lines(lint("* a\n- b\n- c\n- d\n"), "AL102") == [1]
    assert lines(lint("".join(f"- {n}\n" for n in range(18)) + "* x\n* y\n"), "AL102") == [19, 20]
    assert lines(lint("- a\n- b\n- c\n* d\n* e\n"), "AL102") == []
    assert lines(lint("* a\n- b\n"), "AL102") == []
    assert lines(lint("- a\n- b\n* c\n"), "AL102") == []
    assert lines(lint("1. a\n2. b\n3) c\n4) d\n5. e\n"), "AL102") == []


def test_lists_separated_by_text_are_separate() -> None:
    assert lines(lint("- a\n- b\n\nSee also:\n\n* c\n"), "AL102") == []


def test_different_columns_are_different_levels() -> None:
    # a bullet under a numbered entry, indented too little, is AL103's finding, not AL102's
    text = "- [A](https://a.example)\n- [B](https://b.example)\n 1. x\n"
    assert lines(lint(text), "AL102") == []


def test_configured_style_reports_every_other_bullet() -> None:
    findings = lint("- a\n- b\n  + c\n", [ListMarker], style="*")
    assert lines(findings, "AL102") == [1, 2, 3]
    assert fix("- a\n- b\n  + c\n", [ListMarker], style="*") == "* a\n* b\n  * c\n"


def test_empty_item_is_reported_but_not_fixed() -> None:
    findings = lint("- a\n- b\n- c\n*\n", [ListMarker])
    assert [(f.span.line, f.fix) for f in findings] == [(4, None)]


# --- AL104 sublist-indentation -----------------------------------------------------------------

def test_tab_counts_as_four_columns() -> None:
    text = "- a\n\t- x\n- b\n    - y\n- c\n\t- z\n"
    assert lint(text, [SublistIndentation]) == []


def test_tab_indented_odd_sublist_has_no_fix() -> None:
    text = "- a\n  - x\n- b\n  - y\n- d\n  - w\n- c\n\t- z\n"
    findings = lint(text, [SublistIndentation])
    assert [(f.span.line, f.fix) for f in findings] == [(8, None)]


def test_numbered_parents_of_different_widths_are_compared_apart() -> None:
    text = "".join(f"{n}. [E{n}](https://e{n}.example)\n" + " " * (len(str(n)) + 2) + "- note\n"
                   for n in range(8, 12))
    assert lint(text, [SublistIndentation]) == []


def test_left_shift_fix_keeps_the_nesting() -> None:
    text = "- a\n  - x\n- b\n  - y\n- d\n  - w\n- c\n     - z\n       more\n"
    fixed = fix(text, [SublistIndentation])
    assert fixed == "- a\n  - x\n- b\n  - y\n- d\n  - w\n- c\n  - z\n    more\n"
    doc = parse(fixed, "x")
    assert [len(e.sublists) for e in doc.iter_lists().__next__().entries] == [1, 1, 1, 1]


def test_sublist_indentation_split_between_two_styles_is_left_alone() -> None:
    """Issue 13: three sub-lists at 2 and two at 4 is a split, not a style with deviations."""
    text = "".join(f"- {n}\n" + ("  " if n < 3 else "    ") + "- x\n" for n in range(5))
    assert lint(text, [SublistIndentation]) == []
    odd = "".join(f"- {n}\n" + ("    " if n == 4 else "  ") + "- x\n" for n in range(5))
    assert lines(lint(odd, [SublistIndentation]), "AL104") == [10]


# --- AL302 duplicate-entry-name ----------------------------------------------------------------

def test_names_compare_casefolded_and_whitespace_normalised() -> None:
    text = ("## A\n\n- [Straße  Tool](https://ex.example/a/x) - one.\n"
            "- [STRASSE tool](https://ex.example/a/y) - two.\n")
    assert lines(lint(text), "AL302") == [4]


def test_same_name_with_another_url_in_a_numbered_list() -> None:
    # A real list (not copyable into the tests) names one laboratory twice, 400 lines apart:
    # its image archive, then its home page on the same site.
    text = ("1. [Image Lab](https://uni.example/imaging/archive/db.html) - Images of all kinds.\n"
            "2. [Other Lab](https://other.example/) - Other images.\n"
            "3. [Image Lab](https://uni.example/imaging)\n")
    assert lines(lint(text), "AL302") == [3]


def test_same_url_is_left_to_duplicate_link() -> None:
    text = "- [A](https://a.example/x) - one.\n- [A](http://www.a.example/x/) - two.\n"
    assert lines(lint(text), "AL302") == []


def test_sub_entries_compare_within_their_entry_only() -> None:
    text = ("- [A](https://a.example)\n  - [Docs](https://a.example/docs)\n"
            "- [B](https://b.example)\n  - [Docs](https://b.example/docs)\n")
    assert lines(lint(text), "AL302") == []


def test_table_of_contents_anchors_are_ignored() -> None:
    text = "- [Tools](#tools)\n- [Tools](#tools-1)\n"
    assert lines(lint(text), "AL302") == []


def test_registered_group() -> None:
    codes = {r.code for r in load_rules()}
    assert {"AL102", "AL103", "AL104", "AL302", "AL303"} <= codes


def test_note_left_of_the_text_is_note_indentation_not_sublist_indentation() -> None:
    text = ("1.  [A](https://a.example)\n    - note\n2.  [B](https://b.example)\n    - note\n"
            "3.  [C](https://c.example)\n   - note\n")
    found = lint(text)
    assert (lines(found, "AL103"), lines(found, "AL104")) == ([6], [])


def test_list_on_the_entry_line_is_not_a_note() -> None:
    # "1. 5. x" is an entry holding a list that starts on its own line: nothing to re-indent
    text = "1. [A](https://a.example)\n2. 5. [B](https://b.example)\n3. [C](https://c.example)\n"
    assert lines(lint(text), "AL103") == []
