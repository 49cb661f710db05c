#!/usr/bin/env python3
"""CPU time of ``awesome-lint`` from two source trees, paired and interleaved.

Each pair runs the command once with ``PYTHONPATH=BEFORE/src`` and once with
``PYTHONPATH=AFTER/src`` (alternating which goes first), and reads the child's user + system
CPU time and peak memory from the rusage ``os.wait4`` returns for exactly that child. On a
shared, loaded machine wall time says little and absolute CPU drifts with the load; the
ratio of the two medians (and the median of the per-pair ratios) is what to compare.

    python bench/cpu_pairs.py --before /tmp/speed-before --after . FILE [FILE ...] \\
        [--pairs 10] [-- EXTRA ARGS]

``--peer CMD`` also times a third command per pair (e.g. the JS peer) on the same file.
Stdlib only. Peak memory (``ru_maxrss``) is at least this script's own resident size, printed
as the floor.
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import statistics
import sys
from pathlib import Path


def run(argv: list[str], env: dict[str, str], cwd: str) -> tuple[float, int, int]:
    """CPU seconds (user + system), peak RSS in KB and exit status of one run of ``argv``."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.chdir(cwd)
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def ours(tree: Path, python: str, target: str,
         extra: list[str]) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ, PYTHONPATH=str(tree.resolve() / "src"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # time what users run: compiled modules cached
    return [python, "-m", "awesome_lint", target, *extra], env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--before", type=Path, required=True, help="tree before the change")
    parser.add_argument("--after", type=Path, required=True, help="tree after the change")
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--peer", help="a third command, the file appended (e.g. the JS peer)")
    parser.add_argument("--extra", default="", help="more arguments for awesome-lint")
    args = parser.parse_args(argv)
    extra = shlex.split(args.extra)
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"# {args.pairs} pairs, interleaved; CPU = user + sys of the child; "
          f"peak RSS floor {floor / 1024:.1f} MB; load {os.getloadavg()[0]:.1f}")
    print("| file | before CPU s | after CPU s | after/before (medians) | median pair ratio "
          "| before peak MB | after peak MB | peer CPU s | peer/after |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for file in args.files:
        target = str(Path(file).resolve())
        cmds = {"before": ours(args.before, args.python, target, extra),
                "after": ours(args.after, args.python, target, extra)}
        if args.peer:
            cmds["peer"] = ([*shlex.split(args.peer), target], dict(os.environ))
        cpu: dict[str, list[float]] = {name: [] for name in cmds}
        rss: dict[str, list[int]] = {name: [] for name in cmds}
        names = list(cmds)
        for argv_, env in cmds.values():  # warm-up, not counted: bytecode written, files cached
            run(argv_, env, str(Path.cwd()))
        for i in range(args.pairs):
            order = names if i % 2 == 0 else names[::-1]
            for name in order:
                argv_, env = cmds[name]
                seconds, peak, code = run(argv_, env, str(Path.cwd()))
                if code not in (0, 1):
                    print(f"{name} exited {code} on {file}", file=sys.stderr)
                    return 1
                cpu[name].append(seconds)
                rss[name].append(peak)
        before, after = statistics.median(cpu["before"]), statistics.median(cpu["after"])
        pair = statistics.median(a / b for a, b in zip(cpu["after"], cpu["before"], strict=True))
        peer = ""
        if "peer" in cpu:
            p = statistics.median(cpu["peer"])
            peer = f"{p:.3f} | {p / after:.1f}x"
        else:
            peer = " | "
        print(f"| {Path(file).name} | {before:.3f} | {after:.3f} | {after / before:.2f} "
              f"| {pair:.2f} | {max(rss['before']) / 1024:.1f} | {max(rss['after']) / 1024:.1f} "
              f"| {peer} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
