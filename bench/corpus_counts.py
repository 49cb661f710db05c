"""Findings per rule on every corpus list, per rule set (the noise budget of issue 13).

    .venv/bin/python bench/corpus_counts.py                      # Markdown tables
    .venv/bin/python bench/corpus_counts.py --json
    .venv/bin/python bench/corpus_counts.py --sample 120 --seed 13   # findings to judge

The budget: over the corpus lists, the median of the default set's error- and warning-severity
findings per 100 lines is at most 3, and a seeded sample of the default set's findings,
stratified by rule and judged by hand in bench/precision.md, is at least 80% real defects.
``--preset awesome`` counts the default set plus sindresorhus/awesome's guidelines.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from collections import Counter
from pathlib import Path

from awesome_lint.config import PRESETS, Config, resolve_rules
from awesome_lint.engine import lint_document
from awesome_lint.findings import Finding, Severity
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules
from awesome_lint.source import read_source

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
LOUD = (Severity.ERROR, Severity.WARNING)


def findings(path: Path, preset: str) -> tuple[list[str], list[Finding]]:
    """The file's lines and its offline findings with the preset's rules and default settings."""
    rules = load_rules()
    config = Config(preset=preset)
    source = read_source(path)
    found = lint_document(parse(source.text, path.name), resolve_rules(config, rules), config,
                          rules)
    return source.text.splitlines(), found


def loud_per_100(lines: int, found: list[Finding]) -> float:
    return 100 * sum(f.severity in LOUD for f in found) / max(lines, 1)


def table(rows: dict[str, tuple[list[str], list[Finding]]]) -> str:
    codes = sorted({f.code for _, found in rows.values() for f in found})
    out = ["| file | lines | errors | warnings | infos | err+warn per 100 lines | "
           + " | ".join(codes) + " |",
           "|---|---:|---:|---:|---:|---:|" + "---:|" * len(codes)]
    rates = []
    for name, (lines, found) in rows.items():
        severity = Counter(f.severity for f in found)
        by_rule = Counter(f.code for f in found)
        rate = loud_per_100(len(lines), found)
        rates.append(rate)
        cells = " | ".join(str(by_rule.get(code, "")) for code in codes)
        out.append(f"| {name.removesuffix('.md')} | {len(lines)} | {severity[Severity.ERROR]} | "
                   f"{severity[Severity.WARNING]} | {severity[Severity.INFO]} | {rate:.2f} | "
                   f"{cells} |")
    out.append(f"\nMedian err+warn per 100 lines over {len(rates)} lists: "
               f"{statistics.median(rates):.2f} (mean {statistics.fmean(rates):.2f}, "
               f"max {max(rates):.2f}).")
    return "\n".join(out)


def sample(rows: dict[str, tuple[list[str], list[Finding]]], size: int,
           seed: int) -> list[tuple[str, Finding, str]]:
    """``size`` findings drawn with ``seed``, stratified by rule: every rule gets its share of
    the sample in proportion to its findings, and at least 3 (or all it has)."""
    by_rule: dict[str, list[tuple[str, Finding, str]]] = {}
    for name, (lines, found) in rows.items():
        for f in found:
            by_rule.setdefault(f.code, []).append((name, f, lines[f.span.line - 1]))
    total = sum(len(v) for v in by_rule.values())
    rng = random.Random(seed)
    picked: list[tuple[str, Finding, str]] = []
    for _, items in sorted(by_rule.items()):
        share = max(min(3, len(items)), round(size * len(items) / max(total, 1)))
        picked.extend(rng.sample(items, min(share, len(items))))
    return picked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--preset", choices=PRESETS, default="default")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="print N findings (stratified by rule) to judge, instead")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.glob("*.md") if p.name != "README.md")
    if not files:
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    rows = {path.name: findings(path, args.preset) for path in files}
    if args.sample:
        for name, f, line in sample(rows, args.sample, args.seed):
            print(f"{name}:{f.span.line}:{f.span.column} {f.code} {f.name} "
                  f"({f.severity.value}) {f.message}\n    | {line.strip()[:160]}")
        return 0
    if args.json:
        print(json.dumps({name: {
            "lines": len(lines),
            "rules": dict(sorted(Counter(f.code for f in found).items())),
            "severity": {s.value: n for s, n in Counter(f.severity for f in found).items()},
            "err_warn_per_100_lines": round(loud_per_100(len(lines), found), 2),
        } for name, (lines, found) in rows.items()}, indent=2))
        return 0
    print(f"Preset: {args.preset}\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
