"""Structure rules (AL110-AL115, AL120-AL121) on the real corpus and on edge cases."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from awesome_lint.config import Config
from awesome_lint.engine import fix_text, lint_document
from awesome_lint.findings import Finding, Severity
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules
from awesome_lint.rule import Rule
from conftest import CORPUS, SEED, corpus_params

CODES = ("AL110", "AL111", "AL112", "AL113", "AL114", "AL115", "AL120", "AL121")


def _rules() -> list[type[Rule]]:
    rules = [r for r in load_rules() if r.code in CODES]
    assert sorted(r.code for r in rules) == list(CODES)
    return rules


def _lint(text: str, config: Config | None = None) -> list[Finding]:
    return lint_document(parse(text, "x.md"), _rules(), config or Config())


def _lines(findings: list[Finding]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for f in findings:
        out.setdefault(f.code, []).append(f.span.line)
    return out


def _corpus(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def test_seed_reports_exactly_its_structure_defects() -> None:
    # Line 289 is `## Tools ` with a trailing space. The ToC inside <details> (lines 18-45)
    # matches the headings, and its `# Table of Contents` H1 (line 12) is accepted by default.
    assert _lines(_lint(_corpus(SEED.name))) == {"AL114": [289]}
    strict = Config(rule_settings={"AL110": {"allow_toc_h1": False}})
    assert _lines(_lint(_corpus(SEED.name), strict)) == {"AL110": [12], "AL114": [289]}


def test_seed_toc_fix_changes_only_the_heading_line() -> None:
    text = _corpus(SEED.name)
    fixed, count, remaining = fix_text(text, "x.md", _rules(), Config())
    assert count == 1
    changed = [i for i, (a, b) in enumerate(zip(text.split("\n"), fixed.split("\n"), strict=True))
               if a != b]
    assert changed == [288]
    assert fixed.split("\n")[288] == "## Tools"
    assert remaining == []


def test_sindresorhus_awesome_gets_no_error() -> None:
    findings = _lint(_corpus("sindresorhus__awesome.md"))
    assert [f for f in findings if f.severity is Severity.ERROR] == []


@pytest.mark.parametrize(("name", "code", "lines"), [
    ("keon__awesome-nlp.md", "AL120", [403, 563]),  # #retrieval-for-nlp: no such heading
    ("Hannibal046__Awesome-LLM.md", "AL114", [400]),  # ## LLM Evaluation:
    ("Hannibal046__Awesome-LLM.md", "AL121", [27]),  # "LLM Training Framework" entry
    ("avelino__awesome-go.md", "AL110", [3710]),  # # Resources
    ("keon__awesome-nlp.md", "AL115", [917]),  # Libraries, Models... repeated under one parent
])
def test_real_defects_in_the_corpus(name: str, code: str, lines: list[int]) -> None:
    assert _lines(_lint(_corpus(name))).get(code) == lines


@pytest.mark.parametrize("path", corpus_params())
def test_noise_bound_per_corpus_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    findings = _lint(text)
    loud = [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    per_100 = 100 * len(loud) / max(1, text.count("\n"))
    assert per_100 <= 1.0, Counter(f.code for f in loud)
    # No rule of this group reports the same line twice.
    keys = [(f.code, f.span.line) for f in findings]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("path", corpus_params())
def test_fixes_converge_on_the_corpus(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    once, _, _ = fix_text(text, "x.md", _rules(), Config())
    twice, count, _ = fix_text(once, "x.md", _rules(), Config())
    assert twice == once and count == 0


def test_numbered_toc_with_shortened_anchors() -> None:
    # A real list (not copyable into the tests) links long headings by a short anchor.
    text = ("# Awesome Things\n\n1. [Tools](#tools)\n1. [Academic/Research/Books](#academic)\n"
            "1. [Exploits/Bugs](#exploits)\n\n## Tools\n\n- [A](https://a.example) - A.\n\n"
            "## Academic/Research/Books\n\n- [B](https://b.example) - B.\n\n"
            "## Exploits/Bugs\n\n- [C](https://c.example) - C.\n")
    assert _lines(_lint(text)).get("AL120") == [4, 5]


def test_crlf_text_is_checked_like_lf() -> None:
    text = "# Awesome Things\n\n- [Tools](#tool)\n\n## Tools:\n\n- [A](https://a.example) - A.\n"
    lf = _lines(_lint(text))
    assert lf == {"AL111": [1], "AL114": [5], "AL120": [3]}
    assert _lines(_lint(text.replace("\n", "\r\n"))) == lf


def test_unicode_headings_and_anchors() -> None:
    text = ("# Awesome Ünïcode [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
            "- [Café](#café)\n- [Ελληνικά](#ελληνικά)\n- [📖 Citation](#-citation)\n\n"
            "## Café\n\nx\n\n## Ελληνικά\n\ny\n\n## 📖 Citation\n\nz\n")
    assert _lint(text) == []
    # Percent-encoded fragments are decoded before matching.
    assert _lint(text.replace("(#café)", "(#caf%C3%A9)")) == []


def test_empty_file_reports_only_the_missing_title() -> None:
    assert _lines(_lint("")) == {"AL110": [1]}


def test_byte_order_mark_title_is_a_title() -> None:
    text = "\ufeff# Awesome Things\n\n## Tools\n\n- [A](https://a.example) - A.\n"
    assert "AL110" not in _lines(_lint(text))


def test_toc_inside_details_is_checked() -> None:
    text = ("# Awesome Things [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
            "<details>\n<summary>Contents</summary>\n\n"
            "- [Foo](#foo)\n- [Bar](#bar)\n- [Qux](#qux)\n</details>\n\n"
            "## Foo\n\nx\n\n## Bar\n\ny\n\n## Baz\n\nz\n\n## Qux\n\nw\n")
    assert _lines(_lint(text)) == {"AL121": [7]}
    fixed, count, remaining = fix_text(text, "x.md", _rules(), Config())
    assert count == 1 and remaining == []
    assert "- [Bar](#bar)\n- [Baz](#baz)\n- [Qux](#qux)\n</details>" in fixed


def test_headings_in_code_blocks_and_links_in_code_are_ignored() -> None:
    text = ("# Awesome Things [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
            "```md\n# Not a title\n## Empty:\n[x](#nowhere)\n```\n\n## Tools\n\nx\n")
    assert _lint(text) == []


def test_case_only_mismatch_is_accepted_unless_configured() -> None:
    text = "# T [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n" \
           "[Go](#Tools)\n\n## Tools\n\nx\n"
    assert _lint(text) == []
    config = Config(rule_settings={"AL120": {"case_sensitive": True}})
    assert _lines(_lint(text, config)) == {"AL120": [3]}


def test_emoji_variation_selectors_are_not_part_of_anchors() -> None:
    # The JS peer's toc fixture: "⬆️⬇️ Routers" is #-routers on GitHub (U+FE0F dropped).
    text = ("# T [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n## Contents\n\n"
            "- [🤳📱 Phones / Tablets](#-phones--tablets)\n- [⬆️⬇️ Routers](#-routers)\n"
            "- [Hubs](#hubs)\n\n"
            "## 🤳📱 Phones / Tablets\n\nx\n\n## ⬆️⬇️ Routers\n\ny\n\n## Hubs\n\nz\n\n## ⬆️ Up\n\nw\n")
    assert _lines(_lint(text)) == {"AL121": [7]}
    fixed, _, remaining = fix_text(text, "x.md", _rules(), Config())
    assert "- [Hubs](#hubs)\n- [⬆️ Up](#-up)\n" in fixed
    assert remaining == []


def test_html_links_and_badges_count() -> None:
    text = ('# Foo <a href="https://awesome.re"><img src="https://awesome.re/badge.svg"></a>\n\n'
            '<p><a href="#tools">Tools</a> | <a href="#nope">Nope</a></p>\n\n## Tools\n\nx\n')
    assert _lines(_lint(text)) == {"AL120": [3]}


BADGE = "[![Awesome](https://awesome.re/badge.svg)](https://awesome.re)"
RAWGIT = ("[![Awesome](https://cdn.rawgit.com/sindresorhus/awesome/d7305f38d29fed78fa85652e3a63e1"
          "54dd8e8829/media/badge.svg)](https://github.com/sindresorhus/awesome)")


@pytest.mark.parametrize("text", [
    f"{BADGE}\n\n# Awesome Things\n\nA list.\n",  # on its own line above the title
    '<p align="center">\n  <img src="https://awesome.re/badge.svg">\n</p>\n\n# T\n\nA list.\n',
    f"# Awesome Things\n\n{BADGE}\n\nA list.\n",  # right below it
    # below a logo and among other badges, as awesome-go writes it
    f"# Awesome Things\n\n<a href=\"https://x.org\"><img src=\"logo.png\"></a>\n\n"
    f"[![Build](https://x.org/b.svg)](https://x.org)\n{BADGE} <br>\n\nA list.\n",
])
def test_awesome_badge_above_or_right_below_the_title_counts(text: str) -> None:
    assert _lines(_lint(text)).get("AL111") is None


def test_awesome_badge_below_the_title_keeps_its_source_and_its_place_checked() -> None:
    assert _lines(_lint(f"# Awesome Things\n\n{RAWGIT}\n\nA list.\n")) == {"AL111": [3]}
    [finding] = _lint(f"# Awesome Things\n\n{RAWGIT}\n")
    assert finding.message.startswith("Invalid Awesome badge source https://cdn.rawgit.com/")
    # after a paragraph of prose it is no longer "right below" the title
    late = f"# Awesome Things\n\nA curated list.\n\n{BADGE}\n\n## Tools\n\nx\n"
    [finding] = _lint(late)
    assert (finding.code, finding.span.line) == ("AL111", 5)
    assert "move it onto the title line (line 1) or right below it" in finding.message


@pytest.mark.parametrize(("name", "line"), [
    ("avelino__awesome-go.md", 6), ("keon__awesome-nlp.md", 3),
    ("academic__awesome-datascience.md", 5)])
def test_corpus_badges_right_below_the_title_are_judged_by_their_source(name: str,
                                                                         line: int) -> None:
    findings = [f for f in _lint(_corpus(name)) if f.code == "AL111"]
    assert [f.span.line for f in findings] == [line]
    assert findings[0].message.startswith("Invalid Awesome badge source")


def test_heading_of_punctuation_only_is_left_alone() -> None:
    text = "# T [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n## :\n\nx\n"
    assert _lint(text) == []


def test_setext_and_closed_atx_headings_are_fixed() -> None:
    text = ("Awesome: [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n===\n\n"
            "Tools. \n---\n\nx\n\n## Libs; ##  \n\ny\n")
    assert _lines(_lint(text)) == {"AL114": [4, 9]}
    fixed, count, remaining = fix_text(text, "x.md", _rules(), Config())
    assert count == 2 and remaining == []
    assert "\nTools\n---\n" in fixed and "\n## Libs ##\n" in fixed


def test_seed_toc_is_really_checked() -> None:
    # Drop the ToC line of "Generative Pre-Training Transformer (GPT)" (line 23).
    lines = _corpus(SEED.name).split("\n")
    assert lines[22] == "  - [Generative Pre-Training Transformer (GPT)]" \
                        "(#generative-pre-training-transformer-gpt)"
    broken = "\n".join(lines[:22] + lines[23:])
    assert _lines([f for f in _lint(broken) if f.code == "AL121"]) == {"AL121": [22]}


@pytest.mark.parametrize("name", [
    "cedrickchee__awesome-bert-nlp.seed.md", "Hannibal046__Awesome-LLM.md",
    "avelino__awesome-go.md",
    "rust-unofficial__awesome-rust.md",
    "sindresorhus__awesome-nodejs.md",  # tab-indented ToC
    "sindresorhus__awesome.md",
])
def test_toc_fix_restores_a_damaged_corpus_toc(name: str) -> None:
    from awesome_lint.rules._structure import find_toc

    text = _corpus(name)
    toc = find_toc(parse(text, "x.md"))
    assert toc is not None
    lines = text.split("\n")
    gone = toc.items[5].entry.span.line - 1
    a, b = toc.items[10].entry.span.line - 1, toc.items[11].entry.span.line - 1
    lines[a], lines[b] = lines[b], lines[a]
    del lines[gone]
    toc_rule = [r for r in _rules() if r.code == "AL121"]
    fixed, count, _ = fix_text("\n".join(lines), "x.md", toc_rule, Config())
    assert count >= 1
    assert fixed == text


def test_renamed_heading_is_reported_once_by_broken_anchor() -> None:
    # "Attention Concept" (line 112) renamed: the ToC link breaks (AL120); AL121 does not also
    # report the renamed heading as missing from the ToC.
    lines = _corpus(SEED.name).split("\n")
    lines[111] = lines[111].replace("Attention Concept", "Attention Concepts")
    found = _lines(_lint("\n".join(lines)))
    assert found == {"AL114": [289], "AL120": [21]}


def test_toc_fix_uses_githubs_anchor_for_a_badged_heading() -> None:
    """The model's slug keeps the space before a trailing badge (``awesome-foo-``), as GitHub
    does; the ToC must not add a second hyphen on top of it."""
    from awesome_lint.config import Config
    from awesome_lint.engine import fix_text
    from awesome_lint.parse import parse
    from awesome_lint.rules.toc import TableOfContents

    text = ("# T\n\n## Contents\n\n- [Foo](#foo)\n- [Bar](#bar)\n- [Baz](#baz)\n\n"
            "## Foo\n\nText.\n\n"
            "## Awesome Foo [![A](https://x.example/b.svg)](https://y.example)\n\nText.\n\n"
            "## Bar\n\nText.\n\n## Baz\n\nText.\n")
    fixed, _, _ = fix_text(text, "README.md", [TableOfContents], Config())
    assert "](#awesome-foo-)" in fixed and "#awesome-foo--" not in fixed
    assert {h.slug for h in parse(text).headings} >= {"awesome-foo-", "bar"}
    assert "- [Awesome Foo](#awesome-foo-)" in fixed
