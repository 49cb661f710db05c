"""Heading anchors: the values GitHub (github-slugger) gives, checked against known outputs."""

from __future__ import annotations

import pytest

from awesome_lint.slug import Slugger, slugify, unique_slugs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Table of Contents", "table-of-contents"),
        ("Named-Entity Recognition (NER)", "named-entity-recognition-ner"),
        ("Question Answering (QA)", "question-answering-qa"),
        ("Generative Pre-Training Transformer (GPT)", "generative-pre-training-transformer-gpt"),
        # "&" is dropped but both spaces around it stay: two dashes
        ("Awesome BERT & Transfer Learning in NLP", "awesome-bert--transfer-learning-in-nlp"),
        # emoji dropped, the space after it kept
        ("🚀 Rocket", "-rocket"),
        ("Rocket 🚀", "rocket-"),
        ("✨ Features ✨", "-features-"),
        # non-Latin letters and accents kept, lower-cased
        ("Café Ünïcode", "café-ünïcode"),
        ("中文 标题", "中文-标题"),
        ("Русский Заголовок", "русский-заголовок"),
        ("日本語のリスト", "日本語のリスト"),
        # underscores and hyphens kept
        ("snake_case_name", "snake_case_name"),
        ("__init__", "__init__"),
        ("a-b_c", "a-b_c"),
        # punctuation dropped
        ("C++ / C#", "c--c"),
        ("What's new?", "whats-new"),
        ("Node.js", "nodejs"),
        ("v1.2.3", "v123"),
        ("Hello, World!", "hello-world"),
        ("[Link] `code` *em*", "link-code-em"),
        # numbers kept; each space is its own dash
        ("Python 3", "python-3"),
        ("Two  spaces", "two--spaces"),
        (" Leading and trailing ", "-leading-and-trailing-"),
        ("", ""),
        # from github-slugger's own fixtures
        ("heading with a - dash", "heading-with-a---dash"),
        ("heading with an _ underscore", "heading-with-an-_-underscore"),
        ("exchange.bind_headers(exchange, routing [, bindCallback])",
         "exchangebind_headersexchange-routing--bindcallback"),
        ("apostrophe\u2019s should be trimmed", "apostrophes-should-be-trimmed"),
        ("I \u2665 unicode", "i--unicode"),
        ("en\u2013dash", "endash"),
        ("\U0001f604-\U0001f604 unicode emoji", "--unicode-emoji"),
        ("\U0001f604_\U0001f604 unicode emoji", "_-unicode-emoji"),
        (":ok_hand: Single", "ok_hand-single"),
        ("Привет non-latin 你好", "привет-non-latin-你好"),
        # other numbers go, decimal and letter numbers stay
        ("a\u00b2 \u00bd \u2460 \u0663 \u216bb", "a---\u0663-\u217bb"),
        # every connector punctuation stays, not just "_"
        ("a_ \u203f \u2040 \uff3fb", "a_-\u203f-\u2040-\uff3fb"),
        # symbols that are alphabetic stay (lower-cased when they have a lower case)
        ("a\u24ba \U0001f170b", "a\u24d4-\U0001f170b"),
        # only the ASCII space becomes "-": no-break space and tab are dropped
        ("a\u00a0b\tc", "abc"),
    ],
)
def test_slugify(text: str, expected: str) -> None:
    assert slugify(text) == expected


def test_repeats_get_numbered() -> None:
    assert unique_slugs(["Foo", "Foo", "Foo"]) == ["foo", "foo-1", "foo-2"]


def test_repeats_are_counted_after_slugifying() -> None:
    assert unique_slugs(["Foo", "foo", "FOO!"]) == ["foo", "foo-1", "foo-2"]


def test_literal_dash_one_heading_before_repeats() -> None:
    # github-slugger: "foo-1" is taken by the first heading, so the second "foo" skips to -2.
    assert unique_slugs(["foo-1", "foo", "foo"]) == ["foo-1", "foo", "foo-2"]


def test_literal_dash_one_heading_after_repeats() -> None:
    # The third heading's own slug "foo-1" is taken by the second "foo": it becomes foo-1-1.
    assert unique_slugs(["foo", "foo", "foo-1"]) == ["foo", "foo-1", "foo-1-1"]


def test_github_slugger_repetition_fixture() -> None:
    # The sequence from github-slugger's fixtures, in one slugger.
    assert unique_slugs(["echo", "echo", "echo 1", "echo-1", "echo"]) == [
        "echo", "echo-1", "echo-1-1", "echo-1-2", "echo-2"]
    assert unique_slugs(["foxtrot-1", "foxtrot", "foxtrot"]) == [
        "foxtrot-1", "foxtrot", "foxtrot-2"]
    assert unique_slugs([" a ", "-a-"]) == ["-a-", "-a--1"]


def test_repeats_interleaved() -> None:
    assert unique_slugs(["A", "B", "A", "B", "A"]) == ["a", "b", "a-1", "b-1", "a-2"]


def test_empty_headings_repeat_too() -> None:
    assert unique_slugs(["🚀", "!!", ""]) == ["", "-1", "-2"]


def test_unique_slugs_fresh_per_call() -> None:
    assert unique_slugs(["x"]) == ["x"]
    assert unique_slugs(["x"]) == ["x"]


def test_slugger_keeps_state_across_calls() -> None:
    slugger = Slugger()
    assert [slugger.slug(t) for t in ["Intro", "Intro", "intro-1", "Intro"]] == [
        "intro", "intro-1", "intro-1-1", "intro-2"]


def test_seed_list_table_of_contents_anchors() -> None:
    headings = ["Table of Contents", "Papers", "Articles", "BERT and Transformer",
                "Transfer Learning in NLP", "Tasks", "Named-Entity Recognition (NER)",
                "Question Answering (QA)", "Papers"]
    assert unique_slugs(headings) == [
        "table-of-contents", "papers", "articles", "bert-and-transformer",
        "transfer-learning-in-nlp", "tasks", "named-entity-recognition-ner",
        "question-answering-qa", "papers-1"]
