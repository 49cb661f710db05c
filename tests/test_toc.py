"""AL121 toc: the false patterns of issue 13, each from a synthetic list, and on the corpus."""

from __future__ import annotations

from awesome_lint.config import Config
from awesome_lint.engine import fix_text, lint_document
from awesome_lint.findings import Finding
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules
from awesome_lint.rules._structure import find_toc
from test_rules_structure import _corpus, _lines

RULES = [r for r in load_rules() if r.code in ("AL120", "AL121")]


def _lint(text: str) -> list[Finding]:
    return lint_document(parse(text, "x.md"), RULES, Config())


def test_one_entry_far_ahead_is_the_only_one_out_of_order() -> None:
    text = ("- [Foo](#foo)\n- [Qux](#qux)\n- [Bar](#bar)\n- [Baz](#baz)\n\n"
            "## Foo\n\n## Bar\n\n## Baz\n\n## Qux\n")
    (found,) = _lint(text)
    assert found.span.line == 2
    assert found.message == ("ToC entry 'Qux' is out of order; move it after 'Baz', where its "
                             "section is in the file")
    assert [r.span.line for r in found.related] == [12]
    fixed, _, remaining = fix_text(text, "x.md", RULES, Config())
    assert fixed.startswith("- [Foo](#foo)\n- [Bar](#bar)\n- [Baz](#baz)\n- [Qux](#qux)\n")
    assert remaining == []


def test_the_message_says_where_the_entry_goes() -> None:
    headings = "\n\n## Foo\n\n## Bar\n\n## Baz\n"
    (first,) = _lint("- [Baz](#baz)\n- [Foo](#foo)\n- [Bar](#bar)" + headings)
    assert first.span.line == 1 and "move it after 'Bar'," in first.message
    (last,) = _lint("- [Bar](#bar)\n- [Baz](#baz)\n- [Foo](#foo)" + headings)
    assert last.span.line == 3 and "move it before 'Bar'," in last.message


def test_a_moved_entry_of_a_real_toc_is_the_only_one_reported() -> None:
    # awesome-go's ToC with its 4th entry moved to the top: one finding, not one per entry.
    text = _corpus("avelino__awesome-go.md")
    toc = find_toc(parse(text, "x.md"))
    assert toc is not None and len(toc.items) > 100
    lines = text.split("\n")
    moved = toc.items[3].entry.span.line - 1
    first = toc.items[0].entry.span.line - 1
    entry = lines.pop(moved)
    lines.insert(first, entry)
    found = [f for f in _lint("\n".join(lines)) if f.code == "AL121"]
    assert [(f.span.line, "out of order" in f.message) for f in found] == [(first + 1, True)]
    assert _lint(text) == []


def test_a_list_of_sub_sections_after_the_toc_is_part_of_it() -> None:
    text = ("## Contents\n\n- [Foo](#foo)\n- [Bar](#bar)\n- [Baz](#baz)\n\nFoo in detail:\n\n"
            "- [Foo A](#foo-a)\n- [Foo B](#foo-b)\n\n"
            "## Foo\n\n### Foo A\n\n### Foo B\n\n### Foo C\n\n## Bar\n\n## Baz\n")
    toc = find_toc(parse(text, "x.md"))
    assert toc is not None and len(toc.blocks) == 2
    # Not "Foo A is out of order" (the lists are ordered each on its own); Foo C is missing.
    (found,) = _lint(text)
    assert found.span.line == 10
    assert "ToC lacks an entry for 'Foo C' (line 18); add it after 'Foo B'" in found.message


def test_a_toc_of_short_lists_under_sub_titles_is_one_toc() -> None:
    # Each list has two entries (fewer than the three a lone list needs): the first is the
    # ToC's too, so its sections are listed, not missing.
    text = ("## Contents\n\n**Basics**\n\n- [Intro](#intro)\n- [Setup](#setup)\n\n"
            "**Tools**\n\n- [Editors](#editors)\n- [Linters](#linters)\n\n"
            "## Intro\n\n## Setup\n\n## Editors\n\n## Linters\n\n## Shells\n")
    toc = find_toc(parse(text, "x.md"))
    assert toc is not None and [b.span.line for b in toc.blocks] == [5, 10]
    (found,) = _lint(text)
    assert found.span.line == 11 and "'Shells'" in found.message


def test_a_broken_entry_is_not_also_a_missing_heading() -> None:
    # The entry's text and anchor are both unlike the heading it meant: the only unlisted
    # heading between its neighbours' sections is it.
    text = ("- [Foo](#foo)\n- [Tool list](#tool-list)\n- [Baz](#baz)\n\n"
            "## Foo\n\n## Utilities\n\n## Baz\n")
    assert _lines(_lint(text)) == {"AL120": [2]}


def test_a_broken_entry_among_several_unlisted_headings_takes_the_closest_anchor() -> None:
    text = ("1. [Tools](#tools)\n1. [Exploits](#exploits)\n1. [Papers](#papers)\n\n"
            "## Tools\n\n## Exploits/Vulnerabilities/Bugs\n\n## Videos\n\n## Papers\n")
    found = _lint(text)
    assert _lines(found) == {"AL120": [2], "AL121": [1]}
    missing = next(f for f in found if f.code == "AL121")
    assert "'Videos'" in missing.message and "Exploits" not in missing.message


def test_an_acronym_of_the_heading_is_its_name() -> None:
    text = ("- [Massively Open Online Courses](#moocs)\n- [ML Tools](#machine-learning-tools)\n"
            "- [Books](#books)\n\n## MOOC's\n\n## Machine Learning Tools\n\n## Books\n")
    assert _lint(text) == []
    drifted = text.replace("[ML Tools]", "[Tools]")
    assert _lines(_lint(drifted)) == {"AL121": [2]}


def test_repeated_sub_headings_a_level_too_high_are_not_missing_sections() -> None:
    text = ("## Contents\n\n- [Per language](#per-language)\n  - [Arabic](#arabic)\n"
            "  - [Chinese](#chinese)\n\n## Per language\n\n### Arabic\n\n### Libraries\n\n"
            "### Datasets\n\n### Chinese\n\n### Libraries\n\n### Datasets\n")
    assert _lint(text) == []
    # A section really forgotten under the same parent is still reported.
    once = text.replace("### Chinese\n\n### Libraries\n\n### Datasets\n", "### Chinese\n")
    assert _lines(_lint(once)) == {"AL121": [4]}


def test_corpus_toc_findings() -> None:
    # academic: 'Real World' and 'Three kinds of Machine Learning Systems' are missing; the
    # 'Massively Open Online Courses' entry for "MOOC's" is its acronym, not a drift.
    academic = _lint(_corpus("academic__awesome-datascience.md"))
    assert _lines(academic) == {"AL121": [24, 32]}
    # keon: "Videos and Courses" drifted from "Videos and Online Courses"; the `### Libraries`,
    # `### Datasets`... under each `### NLP in X` are not 31 missing sections.
    assert _lines(_lint(_corpus("keon__awesome-nlp.md"))).get("AL121") == [29]
