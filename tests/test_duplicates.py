"""AL301 duplicate-link and AL304 shared-link: one resource listed twice (an error) against two
different entries on one page (a warning), on synthetic lists and on the real corpus."""

from __future__ import annotations

from typing import Any

import pytest

from awesome_lint.config import Config
from awesome_lint.engine import lint_document
from awesome_lint.findings import Finding, Severity
from awesome_lint.parse import parse
from awesome_lint.rules._repeats import same_name
from awesome_lint.rules.duplicate_link import DuplicateLink
from awesome_lint.rules.shared_link import SharedLink
from awesome_lint.source import read_source
from conftest import CORPUS


def lint(text: str, **options: Any) -> list[Finding]:
    config = Config(rule_settings={"AL301": options, "AL304": options})
    return lint_document(parse(text, "t.md"), [DuplicateLink, SharedLink], config)


def found(findings: list[Finding]) -> list[tuple[int, str, Severity]]:
    return [(f.span.line, f.code, f.severity) for f in findings]


def test_different_entries_on_a_vendors_home_page_are_a_warning() -> None:
    text = ("## Models\n\n"
            "- [Llama 3.2](https://llama.meta.com/) - Small models.\n"
            "- [Llama 3.1](https://llama.meta.com) - Large models.\n"
            "- [Feast](https://github.com/feast-dev/feast) - A feature store.\n"
            "- [Temporal](https://github.com/feast-dev/feast) - Dynamic graphs.\n")
    findings = lint(text)
    assert found(findings) == [(4, "AL304", Severity.WARNING), (6, "AL304", Severity.WARNING)]
    assert findings[0].message == (
        "'Llama 3.1' links to the same page as 'Llama 3.2' (line 3): https://llama.meta.com; "
        "give each entry a link to its own page, or remove one if they are the same resource")
    assert [r.span.line for r in findings[0].related] == [3]


def test_the_same_resource_under_the_same_or_a_near_same_name_stays_an_error() -> None:
    text = ("- [Stanza](https://github.com/stanfordnlp/stanza) - A toolkit.\n"
            "- [stanfordnlp/stanza](https://github.com/StanfordNLP/stanza/) - Again.\n"
            "- [BPE](https://arxiv.org/abs/1508.07909) - Subwords.\n"
            "- [Byte-Pair Encoding (Sennrich et al.)](https://arxiv.org/abs/1508.07909) - Again.\n")
    assert found(lint(text)) == [(2, "AL301", Severity.ERROR), (4, "AL301", Severity.ERROR)]


def test_a_repeat_is_matched_to_the_earlier_entry_of_its_name() -> None:
    text = ("- [Sailor](https://github.com/sail-sg/sailor-llm) - Models.\n"
            "- [SeaLLM](https://github.com/sail-sg/sailor-llm) - Another entry.\n"
            "- [Sailor](https://github.com/sail-sg/sailor-llm) - Models again.\n")
    findings = lint(text)
    assert found(findings) == [(2, "AL304", Severity.WARNING), (3, "AL301", Severity.ERROR)]
    assert "(listed at line 1)" in findings[1].message


def test_allowed_links_are_left_to_both_rules() -> None:
    text = ("- [One](https://example.com/vendor) - First.\n"
            "- [Two](https://example.com/vendor) - Second.\n"
            "- [One](https://example.com/vendor) - Again.\n")
    assert lint(text, allow=["https://example.com/vendor*"]) == []


@pytest.mark.parametrize(("a", "b"), [
    ("Lapce", "lapce"), ("kaushaltrivedi/fast-bert", "FastBert"), ("corex_topic", "CorEx Topic"),
    ("vproxy", "vproxy/0x676e67"), ("DPR", "DPR (Dense Passage Retrieval)"),
    ("SeamlessM4T", "SeamlessM4T / Seamless"), ("Support Vector Machines",
                                                "SVM (Support Vector Machine)"),
    ("C4.5", "C4.5 algorithm"), ("Guide", "The guide"), ("BPE", "Byte-Pair Encoding"),
    ("An Introduction to Statistical Learning",
     "An Introduction to Statistical Learning with Applications in R"),
    ("Natural Language Processing with Python",
     "Natural Language Processing with Python \u2013 Analyzing Text with the NLTK"),
])
def test_near_same_names(a: str, b: str) -> None:
    assert same_name(a, b) and same_name(b, a)


@pytest.mark.parametrize(("a", "b"), [
    ("uv", "uv-build"), ("django", "django.db.models"), ("hatch", "hatchling"),
    ("Llama 3.2-1|3|11|90B", "Llama 3.1-8|70|405B"), ("Baichuan-7|13B", "Baichuan2-7|13B"),
    ("g3proxy", "g3bench"), ("Cargo", "Crates"), ("A", "B"), ("VQA", "visualqa.org"),
    ("IIT Patna Movie Review Sentiment Dataset", "IIT Patna Bilingual Word Embeddings Hi-En"),
])
def test_different_names(a: str, b: str) -> None:
    assert not same_name(a, b) and not same_name(b, a)


#: Every repeat in the corpus fixtures, read and judged: AL301's are the same resource under
#: the same or a near-same name; AL304's are two entries on a vendor's page (Llama, Baichuan),
#: a monorepo (g3), or a copy-paste slip (Cargo on crates.io).
CORPUS_REPEATS = {
    "Hannibal046__Awesome-LLM.md": {"AL301": [200, 201], "AL304": [227, 303]},
    "academic__awesome-datascience.md": {
        "AL301": [296, 298, 302, 303, 608, 636, 647, 724, 792, 967],
        "AL304": [271, 317, 627, 829, 981, 1027, 1033]},
    "cedrickchee__awesome-bert-nlp.seed.md": {"AL301": [233, 292]},
    "rust-unofficial__awesome-rust.md": {
        "AL301": [873, 1103, 1117, 1503, 1657, 1664, 1996, 2084, 2325, 2330, 2334, 2340, 2341,
                  2346, 2385],
        "AL304": [1133, 2400]},
    "sindresorhus__awesome-nodejs.md": {"AL301": [401]},
}


@pytest.mark.parametrize("name", sorted(CORPUS_REPEATS))
def test_corpus_repeats_are_the_judged_ones(name: str) -> None:
    findings = lint(read_source(CORPUS / name).text)
    by_code: dict[str, list[int]] = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f.span.line)
    assert by_code == CORPUS_REPEATS[name]


def test_keon_nlp_keeps_its_repeats_as_errors() -> None:
    findings = lint(read_source(CORPUS / "keon__awesome-nlp.md").text)
    assert [f.span.line for f in findings if f.code == "AL304"] == [664, 1031]
    assert len([f for f in findings if f.code == "AL301"]) == 27


def test_across_sections_false_keeps_only_repeats_within_a_section() -> None:
    text = ("# L\n\n## Clients\n\n- [hyper](https://h.example) - HTTP.\n"
            "- [curl](https://c.example) - Transfers.\n- [Curl](https://c.example) - Again.\n"
            "\n## Servers\n\n- [hyper](https://h.example) - HTTP.\n"
            "- [Warp](https://h.example) - A server on hyper.\n")
    assert [(line, code) for line, code, _ in found(lint(text))] == [
        (7, "AL301"), (11, "AL301"), (12, "AL304")]
    assert [(line, code) for line, code, _ in found(lint(text, **{"across-sections": False}))] \
        == [(7, "AL301"), (12, "AL304")]
