"""Findings per rule on every corpus list, with default settings (the noise budget).

    .venv/bin/python bench/corpus_counts.py            # Markdown table
    .venv/bin/python bench/corpus_counts.py --json

The budget (issue 3): with default settings no corpus list gets more than 3 error- or
warning-severity findings per 100 lines unless each is a real defect that was checked, and
sindresorhus__awesome.md gets no error at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from awesome_lint.config import Config, resolve_rules
from awesome_lint.engine import lint_document
from awesome_lint.parse import parse
from awesome_lint.registry import load_rules
from awesome_lint.source import read_source

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def counts(path: Path) -> tuple[int, Counter[str], Counter[str]]:
    """Lines, findings per rule code, findings per severity."""
    rules = load_rules()
    enabled = resolve_rules(Config(), rules)
    source = read_source(path)
    findings = lint_document(parse(source.text, path.name), enabled, Config(), rules)
    return (len(source.text.splitlines()), Counter(f.code for f in findings),
            Counter(f.severity.value for f in findings))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.glob("*.md") if p.name != "README.md")
    if not files:
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    rows = {}
    for path in files:
        lines, by_rule, by_severity = counts(path)
        rows[path.name] = {"lines": lines, "rules": dict(sorted(by_rule.items())),
                           "severity": dict(by_severity)}
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    codes = sorted({code for row in rows.values() for code in row["rules"]})
    print("| file | lines | errors | warnings | infos | err+warn per 100 lines | "
          + " | ".join(codes) + " |")
    print("|---|---:|---:|---:|---:|---:|" + "---:|" * len(codes))
    for name, row in rows.items():
        sev = row["severity"]
        loud = sev.get("error", 0) + sev.get("warning", 0)
        cells = " | ".join(str(row["rules"].get(code, "")) for code in codes)
        print(f"| {name.removesuffix('.md')} | {row['lines']} | {sev.get('error', 0)} | "
              f"{sev.get('warning', 0)} | {sev.get('info', 0)} | "
              f"{100 * loud / max(row['lines'], 1):.2f} | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
