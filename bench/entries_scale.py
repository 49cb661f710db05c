#!/usr/bin/env python3
"""CPU time per entry of ``awesome-lint FILE`` on synthetic lists of 1k to 100k entries.

Each list has sections of 100 one-line entries (``- [Name N](https://github.com/owner/nameN)
- Does N.``), a table of contents and distinct names and URLs, so the default rules find
nothing to report and every entry is parsed and checked. Each size runs ``--runs`` times as a
child process (CPU = user + system from ``os.wait4``); the median CPU per entry should stay
flat as the list grows (linear time). A file over the 10 MB input limit, or one the command
refuses (exit 2: over its memory budget), is linted through the library
(:func:`awesome_lint.session.lint_text`) in the child instead, with the memory allowance lifted.

``--rules AL303,AL301,AL301+AL304``: instead, each rule's own CPU per entry (its ``check`` on
the parsed list, in this process, the cycle collector paused as a run pauses it, best of
``--runs``); ``A+B`` runs the rules one after the other, as a run does. The memo of normalised
URLs that AL301 and AL304 share is emptied before each measure.

    python bench/entries_scale.py [--sizes 1000,10000,50000,100000] [--runs 3] [--src DIR]
                                  [--rules CODE,...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cpu_pairs import run

LIMIT = 10 * 1024 * 1024
_LIBRARY = ("import sys\nfrom pathlib import Path\nimport awesome_lint.budget\n"
            "from awesome_lint.session import lint_text\n"
            "awesome_lint.budget.MEMORY_PER_INPUT_BYTE = 1000\n"
            "path = Path(sys.argv[1])\nlint_text(path.read_text(encoding='utf-8'), str(path))\n")


def synthetic(entries: int) -> str:
    """A list of ``entries`` entries in sections of 100, with its table of contents."""
    sections = (entries + 99) // 100
    lines = ["# Awesome Scale", "", "> Synthetic.", "", "## Contents", ""]
    lines += [f"- [Part {s:04d}](#part-{s:04d})" for s in range(sections)]
    for s in range(sections):
        lines += ["", f"## Part {s:04d}", ""]
        lines += [f"- [Name {i:06d}](https://github.com/owner/name{i}) - Does {i}."
                  for i in range(s * 100, min(entries, (s + 1) * 100))]
    return "\n".join(lines) + "\n"


def rule_costs(sizes: list[int], codes: list[str], runs: int) -> None:
    """Print each rule's CPU per entry at each size (the rules from the tree imported)."""
    import gc
    import time

    from awesome_lint.parse import parse
    from awesome_lint.registry import load_rules
    from awesome_lint.rules import _repeats

    rules = {r.code: r for r in load_rules()}
    print("| entries | " + " | ".join(f"{c} µs per entry" for c in codes) + " |")
    print("|---:|" + "---:|" * len(codes))
    for size in sizes:
        gc.disable()
        doc = parse(synthetic(size), "list.md")
        cells = []
        for code in codes:
            best = float("inf")
            for _ in range(runs):
                getattr(_repeats, "_NORMALISED", {}).clear()  # (a tree without the memo: {})
                started = time.process_time()
                for one in code.split("+"):
                    for _finding in rules[one]().check(doc):
                        pass
                best = min(best, time.process_time() - started)
            cells.append(f"{best / size * 1e6:.2f}")
        del doc
        gc.enable()
        print(f"| {size:,} | " + " | ".join(cells) + " |", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--src", type=Path, default=Path(__file__).resolve().parent.parent / "src")
    parser.add_argument("--rules", default="")
    args = parser.parse_args(argv)
    if args.rules:
        sys.path.insert(0, str(args.src.resolve()))
        rule_costs([int(s) for s in args.sizes.split(",")], args.rules.split(","), args.runs)
        return 0
    env = dict(os.environ, PYTHONPATH=str(args.src.resolve()))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"# CPU = user + sys of the child, median of {args.runs}; load "
          f"{os.getloadavg()[0]:.1f}")
    print("| entries | size MB | through | CPU s | CPU µs per entry | peak MB |")
    print("|---:|---:|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"list-{size}.md"
            path.write_text(synthetic(size), encoding="utf-8")
            bytes_ = path.stat().st_size
            library = bytes_ > LIMIT or run([sys.executable, "-m", "awesome_lint", str(path)],
                                            env, folder)[2] == 2
            argv_ = ([sys.executable, "-c", _LIBRARY, str(path)] if library
                     else [sys.executable, "-m", "awesome_lint", str(path)])
            runs = []
            for _ in range(args.runs):
                seconds, peak, code = run(argv_, env, folder)
                if code not in (0, 1):
                    print(f"exit {code} at {size} entries", file=sys.stderr)
                    return 1
                runs.append((seconds, peak))
            cpu = statistics.median(s for s, _ in runs)
            peak_mb = max(p for _, p in runs) / 1024
            print(f"| {size:,} | {bytes_ / 1e6:.1f} | {'library' if library else 'command'} "
                  f"| {cpu:.2f} | {cpu / size * 1e6:.0f} | {peak_mb:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
