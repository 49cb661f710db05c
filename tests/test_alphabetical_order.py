"""AL303 alphabetical-order: which lists are sorted, the entries that break them, the sort fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from awesome_lint.config import Config
from awesome_lint.engine import fix_text, lint_document
from awesome_lint.findings import Applicability, Finding
from awesome_lint.parse import parse
from awesome_lint.rule import Tier
from awesome_lint.rules.alphabetical_order import AlphabeticalOrder
from awesome_lint.source import normalise_newlines
from conftest import CORPUS, corpus_params

#: Every finding on the corpus, each read and judged: awesome-go's `acme-proxy` sorts before
#: `acmetool` in any collation; awesome-datascience's sorted Podcasts list has `Adversarial
#: Learning` after `AI Today` and `How AI Built This` added at its end.
EXPECTED = {
    "avelino__awesome-go.md": [2414],
    "academic__awesome-datascience.md": [784, 808],
}
GREEK = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa",
         "Lambda", "Mu", "Nu", "Xi", "Omicron", "Pi", "Rho", "Sigma", "Tau", "Upsilon"]
SORTED = sorted(GREEK)


def lint(text: str, **options: Any) -> list[Finding]:
    config = Config(rule_settings={"AL303": options} if options else {})
    return lint_document(parse(text, "list.md"), [AlphabeticalOrder], config)


def lines(text: str, **options: Any) -> list[int]:
    return [f.span.line for f in lint(text, **options)]


def fix(text: str, *, unsafe: bool = True, **options: Any) -> str:
    config = Config(rule_settings={"AL303": options} if options else {})
    fixed, _, _ = fix_text(text, "list.md", [AlphabeticalOrder], config, unsafe=unsafe)
    again, count, _ = fix_text(fixed, "list.md", [AlphabeticalOrder], config, unsafe=unsafe)
    assert (again, count) == (fixed, 0), "fixing twice must equal fixing once"
    return fixed


def listing(names: list[str], indent: str = "") -> str:
    return "".join(f"{indent}- [{n}](https://example.com/{i})\n" for i, n in enumerate(names))


# --- the corpus --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", corpus_params())
def test_corpus_findings_are_the_judged_ones(path: Path) -> None:
    doc = parse(normalise_newlines(path.read_text(encoding="utf-8")), str(path))
    findings = lint_document(doc, [AlphabeticalOrder], Config())
    assert [f.span.line for f in findings] == EXPECTED.get(path.name, [])


def test_corpus_messages_name_where_the_entry_belongs() -> None:
    text = (CORPUS / "avelino__awesome-go.md").read_text(encoding="utf-8")
    [finding] = lint_document(parse(normalise_newlines(text), "go.md"), [AlphabeticalOrder],
                              Config())
    assert finding.message == ("'acme-proxy' is out of order: it belongs before 'acmetool' "
                               "(line 2413) in this list sorted by name; move it there")


# --- which lists are sorted --------------------------------------------------------------------

def test_on_by_default() -> None:
    assert AlphabeticalOrder.tier is Tier.DEFAULT


def test_one_misplaced_entry_in_a_sorted_list_is_the_only_finding() -> None:
    names = SORTED[:]
    names.insert(3, names.pop(15))  # "Tau" moved up among the Ds and Es
    text = listing(names)
    assert lines(text) == [4]
    [finding] = lint(text)
    assert finding.message.startswith("'Tau' is out of order: it belongs after 'Sigma' (line 16)")
    assert finding.related[0].span.line == 16


def test_an_entry_that_sorts_first_belongs_before_the_first() -> None:
    names = [*SORTED[1:12], "Aardvark"]
    [finding] = lint(listing(names))
    assert (finding.span.line, "belongs before 'Beta' (line 1)" in finding.message) == (12, True)


def test_a_list_in_another_order_is_silent() -> None:
    names = SORTED[:]
    # 60% of the adjacent pairs in order: reversed runs of three
    names = [n for i in range(0, 20, 5) for n in (names[i:i + 3] + names[i + 3:i + 5][::-1])]
    text = listing(names)
    assert lines(text) == []
    assert len(lines(text, mode="always")) > 0
    assert lines(listing(GREEK)) == []  # Greek order: 13 pairs of 19 in order


def test_threshold_is_a_percentage_of_adjacent_pairs() -> None:
    names = SORTED[:12]
    names.insert(0, names.pop(5))
    names.insert(0, names.pop(9))  # 2 breaks in 11 pairs: 82%
    text = listing(names)
    assert lines(text) == []
    assert lines(text, threshold=80) == [1, 2]


def test_short_lists_borrow_the_files_evidence() -> None:
    short = "## Short\n\n" + listing(["Kubernetes", "Docker", "Podman"])
    assert lines(short) == []  # three names prove nothing
    sorted_file = "## Long\n\n" + listing(SORTED[:9]) + "\n" + short
    assert lines(sorted_file) == [16]  # 8 + 2 pairs, 9 in order: the file is sorted
    unsorted_file = "## Long\n\n" + listing(GREEK[:9]) + "\n" + short
    assert lines(unsorted_file) == []
    assert lines(short, mode="always") == [4]


# --- how names compare -------------------------------------------------------------------------

@pytest.mark.parametrize("names", [
    ["apple", "Banana", "cherry"],  # case
    ["Émile", "Eros", "Zola"],  # accents stripped
    ["Brisbane", "Bärner", "Zurich"],  # or compared as written, as a byte-wise sort does
    ["Apex", "The Go Book", "Kit"],  # articles skipped
    ["A Tour of Go", "Apex", "The Go Book"],  # or kept
    ["🚀 Apex", "\"Best\" Tools", "@hapi/joi", ".NET", "Zap"],  # leading emoji, punctuation
    ["50 Shades of Go", "Apex"],  # digits are not skipped
    ["  Spaced ", "Tight"],
    ["Docker Compose", "Docker Swarm", "Docker", "Podman"],  # a name after its longer forms
    ["AI Today", "Adversarial Learning", "Bayes"],  # case as written: I before d
])
def test_sorted_as_people_sort(names: list[str]) -> None:
    assert lines(listing(names), mode="always") == []


def test_ignore_articles_false_makes_articles_count() -> None:
    text = listing(["Apex", "The Go Book", "Kit"])
    assert lines(text, mode="always", **{"ignore-articles": False}) == [3]


def test_ignore_case_false_sorts_capitals_first() -> None:
    text = "- [alpha](https://a.example)\n- [Beta](https://b.example)\n"
    assert lines(text, mode="always") == []
    assert lines(text, mode="always", **{"ignore-case": False}) == [2]


# --- what a list is ----------------------------------------------------------------------------

def test_sub_lists_are_checked_on_their_own() -> None:
    sub = listing(["Gamma", "Alpha", "Beta"], indent="  ")
    text = listing(["Alpha"]) + sub + listing(["Beta", "Gamma"])
    assert lines(text, mode="always") == [2]  # Gamma, in the sub-list; the parent is sorted


def test_table_of_contents_is_skipped() -> None:
    toc = "".join(f"- [{n}](#{n.lower()})\n" for n in GREEK)
    assert lines(toc, mode="always") == []


def test_raw_html_between_entries_starts_a_new_run() -> None:
    featured = listing(["Zeta", "Alpha", "Omega", "Beta"])  # the featured ones first
    rest = listing(SORTED[:11])
    text = featured.rstrip("\n") + "\n<details>\n<summary>More</summary>\n\n" + rest
    assert lines(text) == []
    assert lines(text, mode="always") == [1, 4]  # the first run only: the other is sorted
    assert len(lines(featured + rest, mode="always")) > 2


def test_sections_option_matches_headings_with_wildcards() -> None:
    text = ("## Tools for X\n\n- [B](https://b.example)\n- [A](https://a.example)\n\n"
            "## Other\n\n- [D](https://d.example)\n- [C](https://c.example)\n")
    assert lines(text, mode="always", sections=["tools*"]) == [4]
    assert lines(text, mode="always") == [4, 9]


# --- the sort fix ------------------------------------------------------------------------------

def test_sort_fix_is_unsafe_and_moves_sub_lists() -> None:
    text = ("- [C](https://c.example)\n  - [Docs](https://c.example/d)\n"
            "- [A](https://a.example)\n- [B](https://b.example)\n")
    assert fix(text, unsafe=False, mode="always") == text  # --fix alone does not reorder
    assert [f.fix.applicability for f in lint(text, mode="always") if f.fix] == [
        Applicability.UNSAFE]
    assert fix(text, mode="always") == (
        "- [A](https://a.example)\n- [B](https://b.example)\n"
        "- [C](https://c.example)\n  - [Docs](https://c.example/d)\n")


def test_sort_fix_sorts_by_the_key_of_the_findings() -> None:
    names = ["Zap", "🚀 Apex", "The Go Book", "\"Kit\""]
    fixed = fix(listing(names), mode="always")
    order = [line.split("]")[0][3:] for line in fixed.splitlines()]
    assert order == ["🚀 Apex", "The Go Book", "\"Kit\"", "Zap"]
    assert lines(fixed, mode="always") == []


def test_no_sort_fix_across_blank_lines_html_or_unnamed_entries() -> None:
    for text in ("- [B](https://b.example)\n\n- [A](https://a.example)\n",
                 "- [B](https://b.example)\n- plain\n- [A](https://a.example)\n",
                 "- [B](https://b.example)\n  <!-- note -->\n- [A](https://a.example)\n"):
        findings = lint(text, mode="always")
        assert [f.fix for f in findings] == [None]


def test_numbers_sorted_by_value_are_sorted() -> None:
    # "Python 3.9" before "Python 3.10", "Part 2" before "Part 10": a natural order, not a
    # misplaced entry (found on the soft-dead bench's generated list: 1.1 ... 1.9, 1.10).
    natural = [f"Resource 1.{n}" for n in range(1, 14)]
    assert lines(listing(natural)) == []
    assert lines(listing(["Python 3.8", "Python 3.9", "Python 3.10", "Python 3.11", "Ruby 2",
                          "Ruby 10", "Rust 1.70", "Zig 0.9", "Zig 0.10", "Zsh 5"])) == []
    # still a finding where no reading sorts it, and the fix keeps numbers by value
    broken = natural[:]
    broken.insert(2, broken.pop(10))  # "Resource 1.11" up among the single digits
    assert lines(listing(broken)) == [3]
    fixed_names = [line.split("]")[0][3:] for line in fix(listing(broken)).splitlines()]
    assert fixed_names == natural
    # lexicographic lists are still read as lexicographic (the numeric reading comes last)
    assert lines(listing(sorted(natural))) == []
