"""Inline suppression comments: which findings survive, and AL001/AL002 reports."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from awesome_lint.config import Config
from awesome_lint.engine import finish
from awesome_lint.findings import Finding, Severity, Violation
from awesome_lint.model import Document, Span
from awesome_lint.parse import parse
from awesome_lint.rule import Option, Rule
from awesome_lint.rules.suppression_comments import UnknownRuleInComment, UnusedSuppression


class _Dummy(Rule):
    summary = "A test rule."

    def check(self, doc: Document) -> Iterator[Violation]:
        yield from ()


class ListNumbering(_Dummy):
    code = "AL101"
    name = "list-numbering"
    options = (Option("style", "sequential", "How to number.", choices=("sequential", "ones")),)


class ListMarker(_Dummy):
    code = "AL102"
    name = "list-marker"


class DuplicateLink(_Dummy):
    code = "AL301"
    name = "duplicate-link"


RULES: tuple[type[Rule], ...] = (
    UnknownRuleInComment,
    UnusedSuppression,
    ListNumbering,
    ListMarker,
    DuplicateLink,
)
PATH = "README.md"


def finding(line: int, code: str = "AL101") -> Finding:
    rule = next(rule for rule in RULES if rule.code == code)
    return Finding(PATH, Span(line, 1, line, 3), code, rule.name, Severity.ERROR, "bad")


def apply(
    text: str,
    findings: Sequence[Finding],
    rules: Sequence[type[Rule]] = RULES,
    known: Sequence[type[Rule]] | None = None,
    config: Config | None = None,
) -> list[Finding]:
    """What the run keeps of ``findings`` on ``text``: suppressions, then AL001/AL002."""
    return finish(parse(text, PATH), findings, rules, config or Config(), known)


def run(
    text: str,
    findings: Sequence[Finding],
    rules: Sequence[type[Rule]] = RULES,
    known: Sequence[type[Rule]] | None = None,
) -> list[tuple[int, str, str]]:
    """(line, code, message) of every finding that survives."""
    kept = apply(text, findings, rules, known)
    return [(f.span.line, f.code, f.message) for f in kept]


def test_range_from_disable_to_enable_both_lines_included() -> None:
    text = """\
<!-- awesome-lint-disable AL101 -->
1. a
1. b
<!-- awesome-lint-enable AL101 -->
1. c"""
    findings = [finding(1), finding(2), finding(3), finding(3, "AL301"), finding(4), finding(5)]
    assert run(text, findings) == [(3, "AL301", "bad"), (5, "AL101", "bad")]


def test_disable_without_enable_runs_to_the_end() -> None:
    text = "1. a\n<!-- awesome-lint-disable list-numbering -->\n1. b\n\n1. c"
    assert run(text, [finding(1), finding(3), finding(5)]) == [(1, "AL101", "bad")]


def test_disable_next_line_covers_only_the_next_line() -> None:
    text = "<!-- awesome-lint-disable-next-line duplicate-link -->\n- [a](x)\n- [b](x)"
    findings = [finding(1, "AL301"), finding(2, "AL301"), finding(3, "AL301")]
    assert run(text, findings) == [(1, "AL301", "bad"), (3, "AL301", "bad")]


def test_disable_line_covers_its_own_line_only() -> None:
    text = "- [a](x)\n- [b](x) <!-- awesome-lint-disable-line AL301 -->\n- [c](x)"
    findings = [finding(1, "AL301"), finding(2, "AL301"), finding(3, "AL301")]
    assert run(text, findings) == [(1, "AL301", "bad"), (3, "AL301", "bad")]


def test_disable_file_with_several_names() -> None:
    text = "# Awesome\n\n<!-- awesome-lint-disable-file AL101,duplicate-link  AL301 -->\n"
    findings = [finding(1), finding(9, "AL301"), finding(12, "AL102")]
    assert run(text, findings) == [(12, "AL102", "bad")]


def test_no_names_means_every_rule() -> None:
    text = "<!-- awesome-lint-disable-next-line -->\n1. [a](x)\n1. [a](x)"
    findings = [finding(2), finding(2, "AL301"), finding(3)]
    assert run(text, findings) == [(3, "AL101", "bad")]


def test_enable_one_rule_inside_an_all_rules_range() -> None:
    text = """\
<!-- awesome-lint-disable -->
x
<!-- awesome-lint-enable list-numbering -->
x
<!-- awesome-lint-disable -->
x"""
    findings = [finding(2), finding(2, "AL301"), finding(4), finding(4, "AL301"), finding(6)]
    assert run(text, findings) == [(4, "AL101", "bad")]


def test_enable_without_names_ends_every_range() -> None:
    text = """\
<!-- awesome-lint-disable AL101 -->
<!-- awesome-lint-disable duplicate-link -->
x
<!-- awesome-lint-enable -->
x"""
    findings = [finding(3), finding(3, "AL301"), finding(5), finding(5, "AL301")]
    assert run(text, findings) == [(5, "AL101", "bad"), (5, "AL301", "bad")]


def test_comments_in_fenced_blocks_and_code_spans_are_not_directives() -> None:
    text = """\
Write `<!-- awesome-lint-disable-file -->` to silence a file.
```markdown
```text is not a closing fence
<!-- awesome-lint-disable-file AL101 -->
~~~
<!-- awesome-lint-disable-file AL102 -->
```
~~~~
~~~
<!-- awesome-lint-disable-file AL301 -->
~~~~~
```inline``` code <!-- awesome-lint-disable-next-line AL102 -->
1. x"""
    findings = [finding(13), finding(13, "AL102"), finding(13, "AL301")]
    assert run(text, findings) == [(13, "AL101", "bad"), (13, "AL301", "bad")]


def test_unknown_rule_is_reported_at_the_comment() -> None:
    text = "1. a\n1. b <!-- awesome-lint-disable-line list-numbring, AL101 -->"
    kept = apply(text, [finding(2)])
    assert kept == [
        Finding(
            PATH,
            Span(2, 6, 2, 61),
            "AL001",
            "unknown-rule-in-comment",
            Severity.ERROR,
            "Unknown rule 'list-numbring' in suppression comment; did you mean 'list-numbering'?",
        )
    ]


def test_unused_suppression_is_reported_at_the_comment() -> None:
    text = "x\n  <!-- awesome-lint-disable-next-line AL101 AL301 -->\n1. a"
    kept = apply(text, [finding(3, "AL301")])
    assert kept == [
        Finding(
            PATH,
            Span(2, 3, 2, 54),
            "AL002",
            "unused-suppression",
            Severity.WARNING,
            "Unused suppression of AL101 (list-numbering)",
        )
    ]


def test_unused_all_rules_suppression() -> None:
    assert run("<!-- awesome-lint-disable-file -->", []) == [
        (1, "AL002", "Unused suppression of all rules")
    ]


def test_redundant_disable_is_unused() -> None:
    text = "<!-- awesome-lint-disable AL101 -->\n<!-- awesome-lint-disable AL101 -->\nx"
    assert run(text, [finding(3)]) == [(2, "AL002", "Unused suppression of AL101 (list-numbering)")]


def test_suppressing_a_meta_rule_is_unused_and_says_why() -> None:
    text = (
        "<!-- awesome-lint-disable-file unused-suppression -->\n<!-- awesome-lint-disable AL101 -->"
    )
    assert run(text, []) == [
        (
            1,
            "AL002",
            "Unused suppression of AL002 (unused-suppression): comments cannot suppress it;"
            " ignore it in the config instead",
        ),
        (2, "AL002", "Unused suppression of AL101 (list-numbering)"),
    ]


def test_disabled_meta_rules_report_nothing() -> None:
    text = "<!-- awesome-lint-disable AL101 -->\n<!-- awesome-lint-disable no-such-rule -->"
    assert run(text, [], rules=(ListNumbering, DuplicateLink)) == []


def test_rule_that_did_not_run_is_known_but_not_unused() -> None:
    text = "<!-- awesome-lint-disable-file duplicate-link -->"
    rules = (UnknownRuleInComment, UnusedSuppression, ListNumbering)
    assert run(text, [], rules=rules, known=RULES) == []
    assert run(text, [], rules=rules) == [
        (1, "AL001", "Unknown rule 'duplicate-link' in suppression comment")
    ]


def test_configured_severity_applies_to_meta_findings() -> None:
    text = "<!-- awesome-lint-disable AL101 -->"
    kept = apply(text, [], config=Config(severities={"AL002": Severity.ERROR, "AL101": None}))
    assert [(f.code, f.severity) for f in kept] == [("AL002", Severity.ERROR)]


def test_result_is_sorted_by_position() -> None:
    text = "x\n<!-- awesome-lint-disable-line AL102 -->\nx"
    findings = [finding(1), finding(3)]
    assert run(text, findings) == [
        (1, "AL101", "bad"),
        (2, "AL002", "Unused suppression of AL102 (list-marker)"),
        (3, "AL101", "bad"),
    ]
