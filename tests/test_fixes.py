"""Applying fixes: edits by span, overlaps skipped, unsafe fixes opt-in, fixing to a fixed point."""

from __future__ import annotations

from awesome_lint.config import Config, resolve_rules
from awesome_lint.engine import fix_text, lint_document
from awesome_lint.findings import Applicability, Edit, Finding, Fix, Severity
from awesome_lint.fixes import applicable, apply_fixes
from awesome_lint.model import Span
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules


def edit(line: int, column: int, end_line: int, end_column: int, text: str) -> Edit:
    return Edit(Span(line, column, end_line, end_column), text)


def finding(*edits: Edit, unsafe: bool = False, line: int | None = None) -> Finding:
    first = edits[0].span if edits else Span(1, 1, 1, 1)
    fix = Fix(tuple(edits), Applicability.UNSAFE if unsafe else Applicability.SAFE)
    return Finding("README.md", Span(line or first.line, first.column, first.end_line,
                                     first.end_column),
                   "AL999", "dummy", Severity.ERROR, "message", fix)


def no_fix() -> Finding:
    return Finding("README.md", Span(1, 1, 1, 2), "AL999", "dummy", Severity.ERROR, "message")


TEXT = "alpha\nbeta\ngamma\n"


def test_single_line_edit() -> None:
    # "beta" -> "BETA": line 2, columns 1..5 (end exclusive).
    assert apply_fixes(TEXT, [finding(edit(2, 1, 2, 5, "BETA"))]) == ("alpha\nBETA\ngamma\n", 1)


def test_edit_inside_a_line() -> None:
    assert apply_fixes(TEXT, [finding(edit(1, 2, 1, 4, "LP"))]) == ("aLPha\nbeta\ngamma\n", 1)


def test_insertion_is_an_empty_span() -> None:
    assert apply_fixes(TEXT, [finding(edit(2, 1, 2, 1, "> "))]) == ("alpha\n> beta\ngamma\n", 1)


def test_deletion_is_an_empty_text() -> None:
    assert apply_fixes(TEXT, [finding(edit(1, 1, 2, 1, ""))]) == ("beta\ngamma\n", 1)


def test_multi_line_edit() -> None:
    # From "pha" on line 1 through "gam" on line 3 (end column 4 is exclusive).
    result = apply_fixes(TEXT, [finding(edit(1, 3, 3, 4, "-"))])
    assert result == ("al-ma\n", 1)


def test_multi_line_replacement_with_newlines() -> None:
    result = apply_fixes(TEXT, [finding(edit(2, 1, 3, 6, "b\nc\nd"))])
    assert result == ("alpha\nb\nc\nd\n", 1)


def test_edit_at_end_of_file() -> None:
    # Line 4 is the empty line after the final newline.
    assert apply_fixes(TEXT, [finding(edit(4, 1, 4, 1, "delta\n"))]) == (
        "alpha\nbeta\ngamma\ndelta\n", 1)


def test_edit_at_end_of_file_without_final_newline() -> None:
    text = "alpha\nbeta"
    assert apply_fixes(text, [finding(edit(2, 5, 2, 5, "\n"))]) == ("alpha\nbeta\n", 1)
    # Replacing the last characters of the file.
    assert apply_fixes(text, [finding(edit(2, 3, 2, 5, "TA"))]) == ("alpha\nbeTA", 1)


def test_span_past_the_end_is_clamped() -> None:
    assert apply_fixes("ab", [finding(edit(1, 2, 9, 9, "Z"))]) == ("aZ", 1)


def test_two_non_overlapping_fixes_both_applied() -> None:
    fixes = [finding(edit(1, 1, 1, 6, "ALPHA")), finding(edit(3, 1, 3, 6, "GAMMA"))]
    assert apply_fixes(TEXT, fixes) == ("ALPHA\nbeta\nGAMMA\n", 2)


def test_non_overlapping_fixes_in_any_order() -> None:
    fixes = [finding(edit(3, 1, 3, 6, "GAMMA")), finding(edit(1, 1, 1, 6, "ALPHA"))]
    assert apply_fixes(TEXT, fixes) == ("ALPHA\nbeta\nGAMMA\n", 2)


def test_adjacent_fixes_do_not_overlap() -> None:
    # [1,3) and [3,5) on the same line touch but do not overlap.
    fixes = [finding(edit(1, 1, 1, 3, "AL")), finding(edit(1, 3, 1, 5, "PH"))]
    assert apply_fixes(TEXT, fixes) == ("ALPHa\nbeta\ngamma\n", 2)


def test_fix_with_several_edits_applies_them_all() -> None:
    fixes = [finding(edit(1, 1, 1, 2, "A"), edit(2, 1, 2, 2, "B"), edit(3, 1, 3, 2, "G"))]
    assert apply_fixes(TEXT, fixes) == ("Alpha\nBeta\nGamma\n", 1)


def test_overlapping_fix_is_skipped() -> None:
    fixes = [finding(edit(2, 1, 2, 5, "BETA")), finding(edit(2, 3, 2, 5, "TT"))]
    assert apply_fixes(TEXT, fixes) == ("alpha\nBETA\ngamma\n", 1)


def test_first_fix_wins_an_overlap() -> None:
    fixes = [finding(edit(2, 3, 2, 5, "TT")), finding(edit(2, 1, 2, 5, "BETA"))]
    assert apply_fixes(TEXT, fixes) == ("alpha\nbeTT\ngamma\n", 1)


def test_fix_overlapping_with_one_of_its_edits_is_skipped_whole() -> None:
    # The second fix's first edit is free but its second edit overlaps: none of it applies.
    fixes = [finding(edit(3, 1, 3, 6, "GAMMA")),
             finding(edit(1, 1, 1, 6, "ALPHA"), edit(3, 2, 3, 3, "x"))]
    assert apply_fixes(TEXT, fixes) == ("alpha\nbeta\nGAMMA\n", 1)


def test_two_insertions_at_the_same_point_overlap() -> None:
    fixes = [finding(edit(1, 1, 1, 1, "1")), finding(edit(1, 1, 1, 1, "2"))]
    assert apply_fixes(TEXT, fixes) == ("1alpha\nbeta\ngamma\n", 1)


def test_unsafe_fix_skipped_by_default() -> None:
    fixes = [finding(edit(1, 1, 1, 6, "ALPHA"), unsafe=True), finding(edit(2, 1, 2, 5, "BETA"))]
    assert apply_fixes(TEXT, fixes) == ("alpha\nBETA\ngamma\n", 1)


def test_unsafe_fix_applied_with_unsafe() -> None:
    fixes = [finding(edit(1, 1, 1, 6, "ALPHA"), unsafe=True), finding(edit(2, 1, 2, 5, "BETA"))]
    assert apply_fixes(TEXT, fixes, unsafe=True) == ("ALPHA\nBETA\ngamma\n", 2)


def test_findings_without_fix_are_ignored() -> None:
    assert apply_fixes(TEXT, [no_fix(), finding(edit(1, 1, 1, 2, "A"))]) == (
        "Alpha\nbeta\ngamma\n", 1)
    assert apply_fixes(TEXT, [no_fix()]) == (TEXT, 0)
    assert apply_fixes(TEXT, []) == (TEXT, 0)


def test_applicable() -> None:
    safe = Fix((edit(1, 1, 1, 1, "x"),))
    unsafe = Fix((edit(1, 1, 1, 1, "x"),), Applicability.UNSAFE)
    assert (applicable(None, unsafe=True), applicable(safe, unsafe=False),
            applicable(unsafe, unsafe=False), applicable(unsafe, unsafe=True)) == (
        False, True, False, True)


def test_columns_are_code_points() -> None:
    text = "café — ünï\n"
    # Column 8 is "ü" (c1 a2 f3 é4 ' '5 —6 ' '7 ü8).
    assert apply_fixes(text, [finding(edit(1, 8, 1, 9, "u"))]) == ("café — unï\n", 1)


# --- engine.fix_text with the real rules --------------------------------------------------------

#: The rules a default run uses: the whole catalogue less the opt-in rules (AL303).
RULES = resolve_rules(Config(), load_rules())
#: A title with the Awesome badge, so that the structure rules (AL110, AL111) have nothing to say.
TITLE = "# Awesome Test [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"


def _fix(text: str) -> tuple[str, int, list[Finding]]:
    return fix_text(text, "README.md", RULES, Config())


def test_fix_text_renumbers_a_repeated_number() -> None:
    text, count, findings = _fix(TITLE + "1. a\n2. b\n2. c\n3. d\n")
    assert text == TITLE + "1. a\n2. b\n3. c\n4. d\n"
    assert count == 1
    assert findings == []


def test_fix_text_is_idempotent() -> None:
    once, _, _ = _fix(TITLE + "1. a\n2. b\n2. c\n3. d\n")
    twice, count, findings = _fix(once)
    assert (twice, count, findings) == (once, 0, [])


def test_fix_text_several_lists() -> None:
    source = TITLE + "## A\n\n1. a\n1. b\n3. c\n\n## B\n\n1. x\n3. y\n3. z\n"
    text, _, findings = _fix(source)
    # List A numbers every item 1 (its first two items agree); list B counts up.
    assert text == TITLE + "## A\n\n1. a\n1. b\n1. c\n\n## B\n\n1. x\n2. y\n3. z\n"
    assert findings == []
    assert _fix(text)[:2] == (text, 0)


def test_fix_count_matches_the_findings_fixed() -> None:
    source = TITLE + "1. x\n3. y\n3. z\n"
    before = lint_document(parse(source, "README.md"), RULES, Config())
    text, count, _ = _fix(source)
    assert text == TITLE + "1. x\n2. y\n3. z\n"
    assert count == len(before) == 2


def test_fix_text_keeps_non_fixable_findings() -> None:
    source = (TITLE + "1. [A](https://example.com/a) - Does alpha things.\n"
              "1. [B](https://example.com/b) - Does beta things.\n"
              "3. [A again](https://example.com/a) - Does alpha things again.\n")
    text, count, findings = _fix(source)
    assert text == source.replace("3. [A again]", "1. [A again]")
    assert count == 1
    assert [(f.code, f.span.line) for f in findings] == [("AL301", 5)]


def test_fix_text_without_findings_changes_nothing() -> None:
    source = (TITLE + "- [Alpha](https://example.com/alpha) - Does alpha things.\n"
              "- [Beta](https://example.com/beta) - Does beta things.\n")
    assert _fix(source) == (source, 0, [])
