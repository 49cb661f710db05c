"""Every rule has a page in rules/, and every example on it is executed (pycodestyle-style).

Examples are fenced blocks whose info string is ``md KIND [key=value ...]``:

- ``md bad lines=3,4``: linting the block reports this rule at exactly those lines;
- ``md fixed``: the bad block just above, after ``--fix``, is exactly this block, and lints clean
  (``md fixed-unsafe``: after ``--fix --unsafe-fixes``);
- ``md good``: this rule reports nothing;
- ``md base``: the file as it was at BASE, for the ``bad`` or ``good`` example right after it
  (as ``--diff BASE`` compares them).

Other ``key=value`` pairs are the rule's options (values in TOML syntax, else plain strings),
except for the link rules' examples: ``verdict=dead`` (with ``final=URL``, ``archived=true``,
and facts for ``LinkStatus.extra`` such as ``last_commit="2016-03-01T10:00:00Z"`` or
``recovered=true``) gives every web link of the example that status, as if ``--links`` had
fetched it.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from awesome_lint.cli import cli
from awesome_lint.config import Config
from awesome_lint.engine import fix_text, lint_document
from awesome_lint.findings import Finding
from awesome_lint.fixes import apply_fixes
from awesome_lint.model import Document
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules
from awesome_lint.rule import Rule
from awesome_lint.rule_docs import page_name, read_page

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from conftest import REPO

PAGES = REPO / "rules"
_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
_INFO_WORD = re.compile(r"""([\w-]+)=("[^"]*"|\[[^\]]*\]|\S+)|(\S+)""")
_SECTIONS = ("## What it does", "## Why", "## Options", "## Fix safety", "## Examples")


@dataclass
class Example:
    kind: str
    text: str
    line: int
    lines: list[int] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)


def _value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def parse_examples(page: str) -> list[Example]:
    """The ``md`` examples of a rule page, in order."""
    examples = []
    lines = page.split("\n")
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, info = m.group(1), _INFO_WORD.findall(m.group(2))
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith(fence))
        if len(info) > 1 and info[0][2] in ("md", "markdown"):
            example = Example(info[1][2], "\n".join(lines[i + 1 : end]) + "\n", i + 1)
            for key, raw, _ in info[2:]:
                if key == "lines":
                    example.lines = [int(n) for n in raw.split(",")]
                else:
                    example.options[key] = _value(raw)
            examples.append(example)
        i = end + 1
    return examples


#: Facts a status carries in ``extra`` (the GitHub API's for the project rules, the history's).
_EXTRA_KEYS = ("last_commit", "fork", "default_branch", "recovered")
_LINK_KEYS = ("verdict", "final", "archived", *_EXTRA_KEYS)
#: ``files=[...]`` (and ``empty=[...]``): the files next to the list, for AL501/AL502;
#: ``existing=[...]``: the relative link targets that exist, for AL906.
_REPO_KEYS = ("files", "empty", "existing")


def _with_files(doc: Document, options: dict[str, Any]) -> Document:
    """``doc`` with the repository context the example's options describe (if any)."""
    from awesome_lint.repo import RepoFiles

    if "files" in options:
        files = RepoFiles(frozenset(options["files"]), frozenset(options.get("empty", [])))
        doc = dataclasses.replace(doc, repo_files=files)
    if "existing" in options:
        doc = dataclasses.replace(doc, local_targets=frozenset(options["existing"]))
    return doc


def _link_findings(rule: type[Rule], example: Example) -> list[Finding]:
    """The example's findings of link rule ``rule``, every web link given the example's status."""
    from awesome_lint.engine import run_rules
    from awesome_lint.session import web_links
    from awesome_lint.urls import absolute
    from awesome_lint.verdicts import LinkStatus, Verdict

    doc = parse(example.text, "example.md")
    final = example.options.get("final")
    extra = {key: example.options[key] for key in _EXTRA_KEYS if key in example.options}
    statuses = {
        absolute(link.url): LinkStatus(absolute(link.url), Verdict(example.options["verdict"]),
                                       final_url=final, permanent=final is not None,
                                       archived=bool(example.options.get("archived", False)),
                                       extra=extra)
        for link in web_links(doc)
    }
    settings = {k: v for k, v in example.options.items() if k not in _LINK_KEYS + _REPO_KEYS}
    return run_rules(dataclasses.replace(doc, link_statuses=statuses), [rule],
                     Config(rule_settings={rule.code: settings}))


def _config(rule: type[Rule], options: dict[str, Any]) -> Config:
    declared = {option.name: option for option in rule.options}
    options = {k: v for k, v in options.items() if k not in _LINK_KEYS + _REPO_KEYS}
    for key, value in options.items():
        assert key in declared, f"{rule.code} has no option {key!r}"
        assert declared[key].validate(value) is None, f"bad value for {key}: {value!r}"
    return Config(rule_settings={rule.code: options})


def _page_cases() -> list[Any]:
    cases = []
    for rule in load_rules():
        path = PAGES / page_name(rule)
        if not path.is_file():
            continue
        examples = parse_examples(path.read_text(encoding="utf-8"))
        for index, example in enumerate(examples):
            before = examples[index - 1] if index else None
            cases.append(pytest.param(rule, example, before,
                                      id=f"{rule.code}-{example.kind}-line{example.line}"))
    return cases


def test_pages_and_rules_match_one_to_one() -> None:
    expected = {page_name(rule) for rule in load_rules()}
    actual = {p.name for p in PAGES.glob("*.md")}
    assert actual == expected


_HEADER = re.compile(r"# (\S+) (\S+)\n\n\*\*(.+?)\*\*\n\n"
                     r"Default severity: (\w+)\b(.*?)\n\n", re.S)


@pytest.mark.parametrize("rule", load_rules(), ids=lambda r: r.code)
def test_page_header_matches_the_registry(rule: type[Rule]) -> None:
    """Title, summary, default severity, fix and set, as the rule declares them."""
    page = (PAGES / page_name(rule)).read_text(encoding="utf-8")
    header = _HEADER.match(page)
    assert header is not None, f"{page_name(rule)} does not start with the usual header"
    code, name, summary, severity, rest = header.groups()
    assert (code, name, summary, severity) == (rule.code, rule.name, rule.summary,
                                               rule.severity.value)
    fix = re.search(r"\bFix:\s+(\w+)", rest)
    assert fix is not None, f"{page_name(rule)} does not say how it fixes"
    assert (fix.group(1) != "none") == rule.fixable, f"Fix: {fix.group(1)} on the page"
    tier = re.search(r"\bSet: `?(default|awesome|opt-in)\b", rest)
    assert tier is not None and tier.group(1) == rule.tier.value, f"{page_name(rule)}: Set"


def test_the_cli_reads_the_pages_tested_here() -> None:
    """``--rule`` prints these pages, not a stale copy (a non-editable install is reinstalled)."""
    for rule in load_rules():
        assert read_page(rule) == (PAGES / page_name(rule)).read_text(encoding="utf-8")


@pytest.mark.parametrize("rule", load_rules(), ids=lambda r: r.code)
def test_page_has_every_section_and_examples(rule: type[Rule]) -> None:
    page = (PAGES / page_name(rule)).read_text(encoding="utf-8")
    assert page.startswith(f"# {rule.code} {rule.name}\n")
    assert f"**{rule.summary}**" in page
    for heading in _SECTIONS:
        assert heading in page, f"{page_name(rule)} lacks {heading!r}"
    kinds = {e.kind for e in parse_examples(page)}
    assert {"bad", "good"} <= kinds
    if rule.fixable:
        assert kinds & {"fixed", "fixed-unsafe"}
    for option in rule.options:
        assert f"`{option.name}`" in page, f"option {option.name} is not documented"


@pytest.mark.parametrize(("rule", "example", "before"), _page_cases())
def test_example(rule: type[Rule], example: Example, before: Example | None) -> None:
    rules = load_rules()
    if "verdict" in example.options or (before is not None and "verdict" in before.options
                                        and example.kind.startswith("fixed")):
        _check_link_example(rule, example, before)
        return
    if example.kind in ("fixed", "fixed-unsafe"):
        assert before is not None and before.kind == "bad", "a fixed block follows a bad one"
        config = _config(rule, before.options)
        fixed, count, remaining = fix_text(before.text, "example.md", [rule], config,
                                           unsafe=example.kind == "fixed-unsafe")
        assert count > 0
        assert fixed == example.text
        assert [f for f in remaining if f.code == rule.code] == []
        return
    if example.kind == "base":  # the file at BASE for the example after it (--diff)
        return
    assert example.kind in ("bad", "good"), f"unknown example kind {example.kind!r}"
    base = (parse(before.text, "example.md") if before is not None and before.kind == "base"
            else None)
    findings = lint_document(_with_files(parse(example.text, "example.md"), example.options),
                             rules, _config(rule, example.options), base=base)
    lines = sorted(f.span.line for f in findings if f.code == rule.code)
    assert lines == (sorted(example.lines) if example.kind == "bad" else [])


def _check_link_example(rule: type[Rule], example: Example, before: Example | None) -> None:
    if example.kind.startswith("fixed"):
        assert before is not None and before.kind == "bad"
        fixed, count = apply_fixes(before.text, _link_findings(rule, before),
                                   unsafe=example.kind == "fixed-unsafe")
        assert count > 0 and fixed == example.text
        return
    lines = sorted(f.span.line for f in _link_findings(rule, example) if f.code == rule.code)
    assert lines == (sorted(example.lines) if example.kind == "bad" else [])


def test_rule_page_is_printed_by_the_cli() -> None:
    result = CliRunner().invoke(cli, ["--rule", "list-numbering"])
    assert result.exit_code == 0
    assert result.output.startswith("# AL101 list-numbering")


def test_example_parser_reads_kinds_lines_and_options() -> None:
    page = (
        'x\n\n```md bad lines=2,3 style=ones allow=["a*", "b"]\n1. a\n2. b\n```\n\n'
        "```md good\nz\n```\n"
    )
    bad, good = parse_examples(page)
    assert (bad.kind, bad.lines) == ("bad", [2, 3])
    assert bad.options == {"style": "ones", "allow": ["a*", "b"]}
    assert bad.text == "1. a\n2. b\n"
    assert (good.kind, good.text) == ("good", "z\n")


def test_wheel_ships_the_pages() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    force = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force == {"rules": "awesome_lint/_rule_docs"}
    assert Path(REPO / "rules").is_dir()
