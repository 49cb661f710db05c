"""Conformance with the JS peer (sindresorhus/awesome-lint 2.3.0) on its own test fixtures.

    .venv/bin/python bench/conformance.py            # table per peer rule
    .venv/bin/python bench/conformance.py --json     # the same, as JSON
    .venv/bin/python bench/conformance.py --fixtures tests/fixtures/conformance  # the copy

For every fixture in ../shared/conformance/awesome-lint/EXPECTED.json (or ``--fixtures``: the tests
use their copy of the fixtures they need, in tests/fixtures/conformance) and every test case of a
peer rule we adopt, the peer's findings (the test's exact expectations, else what 2.3.0 printed)
are compared with ours: a peer finding is matched when we report one of the mapped rules on the
same line (contributing findings have no line: any line counts). Our findings of the mapped
rules on lines where the peer reports nothing are counted as "extra".

We lint with our defaults plus the peer's one house style for entries (``AL201``: separator
" - ", a capital first letter and a final period), since the peer enforces exactly that.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from awesome_lint.config import Config, resolve_rules
from awesome_lint.engine import finish, run_rules
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules
from awesome_lint.repo import existing_targets, scan
from awesome_lint.source import read_source

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO.parent / "shared" / "conformance" / "awesome-lint"

#: peer rule -> our rules that report the same defects.
ADOPTED: dict[str, tuple[str, ...]] = {
    "awesome-badge": ("AL111",),
    "awesome-heading": ("AL110",),
    "awesome-toc": ("AL120", "AL121"),
    "double-link": ("AL301", "AL304"),
    "awesome-contributing": ("AL501",),
    "awesome-list-item": ("AL102", "AL104", "AL201", "AL202", "AL203", "AL204", "AL205",
                          "AL402", "AL403"),
    "no-repeat-item-in-description": ("AL204",),
    "balanced-punctuation": ("AL402",),
}

#: peer rules we deliberately do not follow, and why (printed with the table).
NOT_ADOPTED: dict[str, str] = {
    "awesome-license": "the peer forbids a License section; we require a licence (AL502), "
                       "as a list others may reuse needs one",
    "awesome-code-of-conduct": "a code of conduct is a community choice, not a list defect",
    "awesome-no-ci-badge": "a CI badge harms no reader",
    "awesome-github": "needs a git remote and the GitHub API in the middle of linting; "
                      "repository health is the link checker's job (--links, AL905)",
    "awesome-git-repo-age": "same: network in the offline linter",
    "awesome-spell-check": "a hand-kept list of ~300 product names drifts; not a list defect",
    "no-repeat-punctuation": "covered in part by AL403 with a different scope (no CJK marks)",
    "no-undefined-references": "a remark-lint style rule, outside the awesome rules",
}

#: Peer findings we deliberately do not reproduce, by fixture (every line of it) and why.
DIFFERENCES: dict[str, str] = {
    "heading/error1.md": "no title-case check: many lists are named after a project in lower case",
    "toc/4.md": "no fixed maximum ToC depth: the ToC's own depth is the expected one (AL121 depth)",
    "toc/3.md": "the missing 'Baz' entry is reported where it belongs in the ToC (line 8), not at "
                "the ToC's first line",
    "list-item/1.md": "a relative link such as (test) is a file in the repository (AL906 checks "
                      "that it exists), not an invalid URL",
    "list-item/10.md": "'-text' without a space is a paragraph, not a list item",
    "double-link/duplicate-anchors.md": "in-page #anchors may repeat (a ToC may link a section "
                                        "twice; AL121 checks the ToC)",
    "double-link/edge-cases.md": "javascript: and empty URLs are reported by AL203 as malformed, "
                                 "not as duplicates",
    "double-link/links-in-descriptions.md": "links inside descriptions are not entries and may "
                                            "repeat ('built on [unicorn](...)')",
    "balanced-punctuation/actual-curly-quote.md": "brackets and quotes are checked in entry "
                                                  "descriptions, not in free prose",
}


PEER_STYLE = {"AL201": {"separator": " - ", "final-punctuation": "required",
                        "description-case": "capital"}}


def peer_rule(config: str) -> str | None:
    """The peer rule a test case runs with its default options (None: custom options)."""
    m = re.fullmatch(r"remark-lint \+ ([\w-]+)|([\w-]+) only", config)
    return (m.group(1) or m.group(2)) if m else None


def peer_findings(case: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    found = case.get("expected") if case.get("assertion") == "exact" else None
    if found is None:
        found = case.get("observed_2_3_0") or []
    return [f for f in found if f.get("rule") == rule]


def our_lines(path: Path, codes: tuple[str, ...]) -> list[int]:
    """Lines where we report any of ``codes`` on fixture ``path``."""
    rules = load_rules()
    config = Config(rule_settings=PEER_STYLE, preset="awesome")  # the guidelines the peer checks
    enabled = resolve_rules(config, rules)
    source = read_source(path)
    doc = parse(source.text, str(path))
    directory = path.parent
    doc = dataclasses.replace(doc, repo_files=scan(directory),
                              local_targets=existing_targets(
                                  (link.url for link in doc.links), directory, directory))
    findings = finish(doc, run_rules(doc, enabled, config), enabled, config, rules)
    lines = [f.span.line for f in findings if f.code in codes]
    # A duplicate is one defect on two lines: the peer reports the first, we the second and
    # name the first ("listed at line 2"), as the finding's related place.
    lines += [r.span.line for f in findings if f.code in ("AL301", "AL304") for r in f.related]
    return lines


def _share(row: dict[str, int]) -> float | None:
    """Matched share of the peer findings we mean to reproduce (deliberate ones left out)."""
    comparable = row["peer"] - row["deliberate"]
    return round(row["matched"] / comparable, 3) if comparable > 0 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES,
                        help="the folder of EXPECTED.json and the fixtures (default: %(default)s)")
    args = parser.parse_args()
    fixtures: Path = args.fixtures
    expected_file = fixtures / "EXPECTED.json"
    if not expected_file.is_file():
        print(f"no fixtures at {fixtures}", file=sys.stderr)
        return 2
    cases = json.loads(expected_file.read_text(encoding="utf-8"))
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"peer": 0, "matched": 0,
                                                             "extra": 0, "cases": 0,
                                                             "deliberate": 0})
    misses: dict[str, list[str]] = defaultdict(list)
    for fixture, tests in cases.items():
        if fixture.startswith("_") or not isinstance(tests, list):
            continue
        path = fixtures / fixture
        if not path.is_file():
            continue
        for case in tests:
            rule = peer_rule(str(case.get("config", "")))
            if rule not in ADOPTED or case.get("assertion") == "skipped":
                continue
            codes = ADOPTED[rule]
            theirs = peer_findings(case, rule)
            ours = our_lines(path, codes)
            row = totals[rule]
            row["cases"] += 1
            row["peer"] += len(theirs)
            peer_lines = set()
            for finding in theirs:
                line = finding.get("line")
                hit = bool(ours) if line is None else line in ours
                row["matched"] += hit
                if line is not None:
                    peer_lines.add(line)
                if not hit and fixture in DIFFERENCES:
                    row["deliberate"] += 1
                elif not hit:
                    misses[rule].append(f"{fixture}:{line} {finding.get('message', '')[:70]}")
            row["extra"] += sum(1 for line in set(ours) if line not in peer_lines)
    report = {
        "adopted": {rule: {**row, "share": round(row["matched"] / row["peer"], 3)
                           if row["peer"] else None,
                           "share_comparable": _share(row)}
                    for rule, row in sorted(totals.items())},
        "misses": misses,
        "not_adopted": NOT_ADOPTED,
        "differences": DIFFERENCES,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print("| peer rule | our rules | test cases | peer findings | matched | share | "
          "deliberately different | share of the rest | extra |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    total = {"peer": 0, "matched": 0, "deliberate": 0}
    for rule, row in sorted(totals.items()):
        share = f"{row['matched'] / row['peer']:.0%}" if row["peer"] else "-"
        rest = _share(row)
        print(f"| {rule} | {', '.join(ADOPTED[rule])} | {row['cases']} | {row['peer']} | "
              f"{row['matched']} | {share} | {row['deliberate']} | "
              f"{'-' if rest is None else f'{rest:.0%}'} | {row['extra']} |")
        for key in total:
            total[key] += row[key]
    rest_all = _share(total)
    print(f"| **all adopted** | | | {total['peer']} | {total['matched']} | "
          f"{total['matched'] / max(total['peer'], 1):.0%} | {total['deliberate']} | "
          f"{'-' if rest_all is None else f'{rest_all:.0%}'} | |")
    print()
    for rule, lines in sorted(misses.items()):
        print(f"Missed ({rule}): " + "; ".join(lines))
    print()
    for fixture, why in DIFFERENCES.items():
        print(f"Deliberately different: {fixture}: {why}")
    for rule, why in NOT_ADOPTED.items():
        print(f"Not adopted: {rule}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
