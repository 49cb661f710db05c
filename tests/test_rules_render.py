"""The rendering rules (AL105, AL106, AL116, AL207, AL208) and AL203's port and scheme case:
text that GitHub renders other than as written, on synthetic lists and on the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from awesome_lint.config import Config
from awesome_lint.engine import fix_text, lint_document
from awesome_lint.findings import Applicability, Finding
from awesome_lint.parse import parse
from awesome_lint.rule import Rule, Tier
from awesome_lint.rules.empty_list_item import EmptyListItem
from awesome_lint.rules.entry_url import EntryUrl, fixed, problem
from awesome_lint.rules.heading_space import HeadingSpace
from awesome_lint.rules.list_marker_space import ListMarkerSpace
from awesome_lint.rules.text_after_link import TextAfterLink
from awesome_lint.rules.unrendered_link import UnrenderedLink
from awesome_lint.source import normalise_newlines
from conftest import CORPUS, corpus_params

RULES: list[type[Rule]] = [ListMarkerSpace, EmptyListItem, HeadingSpace, TextAfterLink,
                           UnrenderedLink, EntryUrl]
CODES = {rule.code for rule in RULES}


def lint(text: str) -> list[Finding]:
    return [f for f in lint_document(parse(text, "t.md"), RULES, Config()) if f.code in CODES]


def at(findings: list[Finding], code: str) -> list[tuple[int, int]]:
    return sorted((f.span.line, f.span.column) for f in findings if f.code == code)


def fix(text: str, *, unsafe: bool = False) -> str:
    return fix_text(text, "t.md", RULES, Config(), unsafe=unsafe)[0]


def test_the_rules_are_defaults() -> None:
    assert all(rule.tier is Tier.DEFAULT for rule in RULES)


# --- the corpus: every finding read ---------------------------------------------------------

#: What the rules find on the corpus copies, each read: all real defects.
EXPECTED = {
    # line 270: ``-[voxrai-ai](...)`` is glued to the PortAudio entry above it;
    # line 838: a ``- `` left before the "Database Schema Migration" heading.
    "avelino__awesome-go.md": {"AL105": [(270, 1)], "AL106": [(838, 1)]},
    # ``[RWKV-v4|5|6](https://huggingface.co/RWKV)minicpm-2b-65d48bf958302b9fd25b698f)``: a
    # pasted identifier run into the link.
    "Hannibal046__Awesome-LLM.md": {"AL207": [(339, 47)]},
}


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_findings_are_the_real_defects(path: Path) -> None:
    findings = lint(normalise_newlines(path.read_text(encoding="utf-8")))
    found = {code: at(findings, code) for code in CODES if at(findings, code)}
    assert found == EXPECTED.get(path.name, {})


def test_the_corpus_defects_are_fixed() -> None:
    text = normalise_newlines((CORPUS / "avelino__awesome-go.md").read_text(encoding="utf-8"))
    lines = fix(text).split("\n")
    assert lines[269].startswith("- [voxrai-ai](https://github.com/Voxray-AI/Voxray) - AI")
    assert lines[836:838] == [text.split("\n")[836], "### Database Schema Migration"]
    assert at(lint(fix(text)), "AL105") == at(lint(fix(text)), "AL106") == []


# --- AL105 list-marker-space ----------------------------------------------------------------


def test_marker_glued_to_a_link() -> None:
    text = ("- [Alpha](https://a.example) - A.\n-[Beta](https://b.example) - B.\n"
            "+[Gamma](https://g.example) - G.\n  -[Delta](https://d.example) - D.\n"
            "3)[Eps](https://e.example) - E.\n-![logo](logo.png)\n-**[Zeta](https://z.example)**\n"
            "> -[Eta](https://h.example) - H.\n")
    assert at(lint(text), "AL105") == [(2, 1), (3, 1), (4, 3), (5, 1), (6, 1), (7, 1), (8, 3)]
    assert fix(text).split("\n")[1:4] == ["- [Beta](https://b.example) - B.",
                                          "+ [Gamma](https://g.example) - G.",
                                          "  - [Delta](https://d.example) - D."]


def test_star_glued_to_a_link_is_a_marker_only_without_emphasis() -> None:
    text = ("*[Alpha](https://a.example) in italics*\n\n*[Beta](https://b.example) - B.\n\n"
            "**[Gamma](https://g.example)** - bold.\n")
    assert at(lint(text), "AL105") == [(3, 1)]


def test_marker_lookalikes_and_code_are_not_read() -> None:
    text = ("`-[Alpha](https://a.example)`\n\n```\n-[Beta](https://b.example)\n```\n\n"
            "--[Gamma](https://g.example)\n\n    -[Delta](https://d.example)\n\n"
            "<div>\n-[Eps](https://e.example)\n</div>\n\n2019.[x] is a year.\n")
    assert at(lint(text), "AL105") == [(15, 1)]  # only the number glued to a bracket


def test_front_matter_is_not_read() -> None:
    text = "---\ntitle: x\n-[a]: y\n---\n\n# Title\n\n-[Beta](https://b.example)\n"
    assert at(lint(text), "AL105") == [(8, 1)]


# --- AL106 empty-list-item ------------------------------------------------------------------


def test_empty_items() -> None:
    text = ("- [Alpha](https://a.example) - A.\n- \n-\n- [Beta](https://b.example) - B.\n"
            "  - [Sub](https://s.example)\n  - \n\n1. One.\n2.\n")
    assert at(lint(text), "AL106") == [(2, 1), (3, 1), (6, 3), (9, 1)]
    assert fix(text) == ("- [Alpha](https://a.example) - A.\n- [Beta](https://b.example) - B.\n"
                         "  - [Sub](https://s.example)\n\n1. One.\n")


def test_items_with_content_are_not_empty() -> None:
    text = ("-\n  [Alpha](https://a.example) - A.\n- <!-- kept for later -->\n"
            "- [Beta](https://b.example)\n  - [Sub](https://s.example)\n\nHeading\n-\n")
    assert at(lint(text), "AL106") == []


def test_last_line_and_only_line() -> None:
    assert fix("- [Alpha](https://a.example) - A.\n-") == "- [Alpha](https://a.example) - A."
    assert fix("- ") == ""


def test_removing_before_indented_text_is_unsafe() -> None:
    text = "- [Alpha](https://a.example) - A.\n-\n\n  More text.\n"
    (finding,) = [f for f in lint(text) if f.code == "AL106"]
    assert finding.applicability is Applicability.UNSAFE
    assert fix(text) == text


# --- AL116 heading-space --------------------------------------------------------------------


def test_hashes_glued_to_the_text() -> None:
    text = ("#Awesome Tools\n\n##Contents\n\n- [A](#a)\n\n###[Alpha](https://a.example)\n\n"
            "####### seven\n")
    findings = lint(text)
    assert at(findings, "AL116") == [(1, 1), (3, 1), (7, 1)]
    assert fix(text).split("\n")[:7] == ["#Awesome Tools", "", "## Contents", "", "- [A](#a)",
                                         "", "### [Alpha](https://a.example)"]
    assert fix(text, unsafe=True).startswith("# Awesome Tools\n")


@pytest.mark.parametrize("line", ["#hacktoberfest", "#1 in its class", "##2", "#!/bin/sh",
                                  "#", "# Title", "#Word glued\nto a paragraph"])
def test_hashtags_numbers_and_headings_are_fine(line: str) -> None:
    assert at(lint(f"Intro.\n\n{line}\n\nText.\n"), "AL116") == []


def test_hashes_in_code_html_front_matter_and_setext_headings() -> None:
    text = ("---\ntitle: x\n#comment: y\n---\n#Title Here\n\n```\n##not\n```\n\n"
            "<p>\n##html\n</p>\n\n##Setext\n---\n")
    assert at(lint(text), "AL116") == [(5, 1)]


# --- AL207 text-after-link ------------------------------------------------------------------


def test_text_glued_after_a_link() -> None:
    text = ("- [Alpha](https://a.example) - See [x](#x)d and [b](https://b.example)foo.\n"
            "- [Gamma](https://g.example)` - G.\n")
    findings = lint(text)
    assert at(findings, "AL207") == [(1, 43), (1, 71), (2, 29)]
    messages = [f.message for f in findings if f.code == "AL207"]
    assert messages[0].startswith("'d' is glued") and messages[1].startswith("'foo' is glued")
    assert "backtick" in messages[2]


@pytest.mark.parametrize("after", [
    "[Promise](https://p.example)s", "[Promise](https://p.example)s.",
    "[Foo](https://f.example)'s", "[Foo](https://f.example)\u2019s",
    "[a](https://a.example)/[b](https://b.example)", "[fork](https://f.example)ed",
    "[Dockerize](https://d.example)d", "[a](https://a.example), b", "([a](https://a.example))",
    "[a](https://a.example)`code`", "[Python](https://p.example)3", "[链接](https://c.example)是",
    "**[a](https://a.example)**", "[a](https://a.example)_b_",
])
def test_legitimate_text_after_links(after: str) -> None:
    assert at(lint(f"Some text {after} here.\n"), "AL207") == []


# --- AL208 unrendered-link ------------------------------------------------------------------


def test_space_before_the_parenthesis() -> None:
    text = ("- [Alpha] (https://a.example) - A.\n- [Beta](https://b.example) - [docs]\t(#docs), "
            "![logo] (./logo.png), [guide] (docs/guide.md).\n")
    assert at(lint(text), "AL208") == [(1, 10), (2, 37), (2, 54), (2, 76)]
    assert fix(text) == ("- [Alpha](https://a.example) - A.\n- [Beta](https://b.example) - "
                         "[docs](#docs), ![logo](./logo.png), [guide](docs/guide.md).\n")


def test_spaces_in_the_url() -> None:
    text = "- [Alpha](https://a.example/my page) - A.\n"
    (finding,) = [f for f in lint(text) if f.code == "AL208"]
    assert (finding.span.column, finding.span.end_column) == (11, 36)
    assert finding.applicability is Applicability.UNSAFE
    assert fix(text, unsafe=True) == "- [Alpha](https://a.example/my%20page) - A.\n"


@pytest.mark.parametrize("text", [
    "[1] (2019)", "- [ ] (https://a.example) todo", "- [x] (#done) todo",
    "[a](https://a.example \"Title\")", "[a](https://a.example 'Title')",
    "[a]( https://a.example )", "`[a] (https://a.example)`", "\\[a] (https://a.example)",
    "[a][b] (https://a.example)\n\n[b]: https://b.example", "[WIP] (see below)",
    "[a](<https://a.example/my page>)",
])
def test_not_broken_links(text: str) -> None:
    assert at(lint(text + "\n"), "AL208") == []


# --- AL203 entry-url: port and scheme case --------------------------------------------------


@pytest.mark.parametrize(("url", "bad"), [
    ("https://github.com:jersey/jersey", True), ("HTTPS://github.com:jersey/jersey", True),
    ("https://example.com:99999/", True), ("https://example.com:8080/", False),
    ("https://example.com:/x", False), ("https://user:pw@example.com/", False),
    ("https://[::1]:8080/", False), ("https://[::1]:x/", True),
    ("HTTPS://example.com", True), ("Http://example.com", True), ("HTTPS:/example.com", True),
    ("Htps://example.com", True), ("HTTPS//example.com", True), ("WWW.example.com", True),
    ("MAILTO:x@example.com", False),
])
def test_port_and_scheme_in_any_case(url: str, bad: bool) -> None:
    assert (problem(url) is not None) is bad


def test_url_fixes() -> None:
    assert fixed("HTTPS://example.com/a") == ("https://example.com/a", Applicability.SAFE)
    assert fixed("Http://example.com") == ("http://example.com", Applicability.SAFE)
    assert fixed("https://github.com:jersey/jersey") == ("https://github.com/jersey/jersey",
                                                         Applicability.UNSAFE)
    assert fixed("HTTPS:/example.com") is None  # lower case alone would not make it work
    assert fixed("https://example.com:99999/") is None
    assert "if ':' should be '/', write https://github.com/jersey/jersey" in (
        problem("https://github.com:jersey/jersey") or "")


def test_reference_definition_scheme_is_fixed_once() -> None:
    text = "- [A][r] - A.\n- [B][r] - B.\n\n[r]: HTTPS://example.com\n"
    assert at(lint(text), "AL203") == [(4, 6), (4, 6)]
    assert fix(text).endswith("[r]: https://example.com\n")


# --- what the fuzz tests found ------------------------------------------------------------------

def test_a_dash_under_text_underlines_a_heading_and_a_no_break_space_is_content() -> None:
    # CommonMark: an empty item cannot interrupt a paragraph (``Contents`` over ``-`` is an
    # h2 heading, ``0.`` after text is more text); U+00A0 is not blank to it.
    assert at(lint("# T\n\nContents\n-\n\nText\n0.\n"), "AL106") == []
    assert at(lint("# T\n\n- a\n-\n\n1. b\n2. \xa0\n"), "AL106") == [(4, 1)]


def test_a_url_as_the_text_of_an_unrendered_link_gets_no_fix() -> None:
    text = "# T\n\n- [https://x.example](https://ex.example/a b) - Does things.\n"
    [finding] = [f for f in lint(text) if f.code == "AL208"]
    assert finding.fix is None  # the text's own address is autolinked today
    assert fix(text, unsafe=True) == text


def test_a_bare_url_in_brackets_is_not_wrapped() -> None:
    from awesome_lint.rules.bare_url import BareUrl

    text = "# T\n\n- [A](https://a.example) - See [https://x.example](https://ex.example/a b).\n"
    findings = lint_document(parse(text, "t.md"), [BareUrl], Config())
    assert [f.fix for f in findings if f.code == "AL205"] == [None] * len(findings) != []


def test_a_bare_url_that_runs_into_a_link_is_not_wrapped() -> None:
    from awesome_lint.rules.bare_url import BareUrl

    text = ("# T\n\n- [A](https://a.example) - See "
            "https://ex.example/ab-[![b](https://img.example/y.svg)](https://ex.example/badge).\n")
    findings = [f for f in lint_document(parse(text, "t.md"), [BareUrl], Config())
                if f.code == "AL205"]
    assert findings and all(f.fix is None for f in findings)
