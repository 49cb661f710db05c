#!/usr/bin/env python3
"""Time the whole ``awesome-lint FILE`` command over a corpus of awesome lists.

For every Markdown file in the corpus (``README.md`` there is skipped) this runs
the command as a subprocess N times and reports the wall time (median and best)
and the peak resident memory of the child, read from the rusage that
``os.wait4`` returns for exactly that child (and any children it reaped).

When the JavaScript peer, sindresorhus/awesome-lint from npm, is installed it is
timed on the same file in the same run. The peer lints a file and also looks at
the git repository and the files around it, so it is run in a fresh temporary
directory holding only a copy of the file named ``readme.md``.

Stdlib only. See bench/README.md for how to install the peer.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
DEFAULT_PEER_DIR = Path(os.environ.get("AWESOME_LINT_PEER_DIR", "/work/peers"))
# Our CLI: 0 = clean, 1 = findings. Anything else (2 = usage/internal error,
# a signal, a timeout) is a failure.
OK_EXIT_CODES = frozenset({0, 1})


@dataclass
class Run:
    """One timed execution of a command."""

    seconds: float
    max_rss_kb: int
    exit_code: int  # negative: killed by that signal
    timed_out: bool = False
    crashed: bool = False  # a Python traceback on stderr (which also exits 1)

    @property
    def failed(self) -> bool:
        return self.exit_code not in OK_EXIT_CODES or self.timed_out or self.crashed


@dataclass
class Measurement:
    """All runs of one command on one file."""

    command: list[str]
    runs: list[Run] = field(default_factory=list)
    stderr_tail: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.runs) and not any(r.failed for r in self.runs)

    @property
    def median_s(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def best_s(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.max_rss_kb for r in self.runs) / 1024

    @property
    def decisive_run(self) -> Run:
        """The first run that failed, else the last one."""
        return next((r for r in self.runs if r.failed), self.runs[-1])

    @property
    def exit_code(self) -> int:
        return self.decisive_run.exit_code

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "command": self.command,
            "ok": self.ok,
            "runs": [asdict(r) for r in self.runs],
        }
        if self.runs:
            data.update(
                median_s=round(self.median_s, 4),
                best_s=round(self.best_s, 4),
                peak_mb=round(self.peak_mb, 1),
                exit_code=self.exit_code,
            )
        if not self.ok and self.stderr_tail:
            data["stderr_tail"] = self.stderr_tail
        return data


@dataclass
class FileResult:
    """Measurements of both linters on one corpus file."""

    name: str
    size_kb: float
    lines: int
    ours: Measurement | None
    peer: Measurement | None

    @property
    def speed_up(self) -> float | None:
        if self.ours is None or self.peer is None:
            return None
        if not (self.ours.ok and self.peer.ok):
            return None
        return self.peer.median_s / self.ours.median_s if self.ours.median_s else None

    def to_json(self) -> dict[str, Any]:
        speed_up = self.speed_up
        return {
            "file": self.name,
            "size_kb": round(self.size_kb, 1),
            "lines": self.lines,
            "awesome_lint": self.ours.to_json() if self.ours else None,
            "peer": self.peer.to_json() if self.peer else None,
            "speed_up": round(speed_up, 2) if speed_up is not None else None,
        }


GNU_TIME = Path("/usr/bin/time")
TRACEBACK = b"Traceback (most recent call last):"
SIGNAL_RE = re.compile(rb"terminated by signal (\d+)")


@dataclass
class Runner:
    """How commands are run and their peak memory is read.

    ``os.wait4`` hands back the rusage of exactly the child it reaps, but on
    Linux a child's ru_maxrss also keeps the high-water mark of the memory it
    started with before ``exec``, which is this (Python) process's: roughly
    14 MB here, more as this process grows. So when GNU time is available it
    is put between us and the command (``/usr/bin/time -f %M -o FILE CMD``): a
    ~1 MB process whose own wait4 reads the command's true peak. Without it,
    the wait4 figure is used and any peak at or below ``floor_kb`` (the figure
    for ``true``) is reported as "<= floor".
    """

    timeout: float
    time_bin: Path | None
    floor_kb: int = 0

    @property
    def method(self) -> str:
        return f"{self.time_bin} -f %M" if self.time_bin else "os.wait4 ru_maxrss"

    def run_once(self, argv: list[str], cwd: Path) -> tuple[Run, str]:
        """Run ``argv`` once in ``cwd``; return its timing, peak RSS and stderr tail.

        Stdout is discarded; stderr goes to a temporary file so that a failure
        can be explained. Wall time runs from just before the spawn to the
        moment ``os.wait4`` reaps the child.
        """
        with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile() as mem:
            full = argv
            if self.time_bin is not None:
                full = [str(self.time_bin), "-f", "%M", "-o", mem.name, *argv]
            killed = threading.Event()
            start = time.perf_counter()
            proc = subprocess.Popen(
                full,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                start_new_session=True,
            )

            def kill() -> None:
                killed.set()
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)

            timer = threading.Timer(self.timeout, kill)
            timer.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                timer.cancel()
            elapsed = time.perf_counter() - start
            code = os.waitstatus_to_exitcode(status)
            proc.returncode = code  # reaped here, not by Popen
            rss_kb = int(usage.ru_maxrss)  # KiB on Linux
            if self.time_bin is not None:
                report = Path(mem.name).read_bytes()
                lines = report.split()
                rss_kb = int(lines[-1]) if lines and lines[-1].isdigit() else 0
                if found := SIGNAL_RE.search(report):
                    code = -int(found.group(1))  # GNU time exits 128+N instead
            err.seek(0)
            stderr = err.read()
        crashed = TRACEBACK in stderr
        tail = stderr[-2000:].decode("utf-8", "replace")
        return Run(elapsed, rss_kb, code, killed.is_set(), crashed), tail


def make_runner(rss: str, timeout: float) -> Runner:
    time_bin: Path | None = None
    if rss in ("auto", "time") and GNU_TIME.exists():
        probe = Runner(timeout=60, time_bin=GNU_TIME)
        run, _ = probe.run_once([shutil.which("true") or "/bin/true"], Path.cwd())
        if run.exit_code == 0 and run.max_rss_kb > 0:
            time_bin = GNU_TIME
    if rss == "time" and time_bin is None:
        raise SystemExit(f"--rss time: {GNU_TIME} (GNU time) is not usable here")
    runner = Runner(timeout=timeout, time_bin=time_bin)
    if time_bin is None:
        run, _ = runner.run_once([shutil.which("true") or "/bin/true"], Path.cwd())
        runner.floor_kb = run.max_rss_kb
    return runner


def measure(argv: list[str], cwd: Path, runs: int, warmup: int, runner: Runner) -> Measurement:
    m = Measurement(command=argv)
    for _ in range(warmup):
        runner.run_once(argv, cwd)
    for _ in range(runs):
        run, tail = runner.run_once(argv, cwd)
        m.runs.append(run)
        if run.failed:
            m.stderr_tail = tail
            break  # a failing command is not worth timing again
    return m


def default_ours() -> list[str]:
    return [str(Path(sys.executable).parent / "awesome-lint")]


def default_peer() -> list[str] | None:
    peer_bin = DEFAULT_PEER_DIR / "node_modules" / ".bin" / "awesome-lint"
    if peer_bin.exists() and shutil.which("node"):
        return [str(peer_bin)]
    return None


def command_version(argv: list[str]) -> str:
    try:
        proc = subprocess.run(
            [*argv, "--version"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc.__class__.__name__})"
    out = (proc.stdout or proc.stderr).strip().splitlines()
    if proc.returncode != 0 or not out:
        return f"unavailable (exit {proc.returncode})"
    return out[0]


def tool_version(name: str) -> str | None:
    exe = shutil.which(name)
    if exe is None:
        return None
    proc = subprocess.run(
        [exe, "--version"], capture_output=True, text=True, check=False, timeout=60
    )
    return proc.stdout.strip() or None


def corpus_files(corpus: Path, only: list[str]) -> list[Path]:
    files = sorted(p for p in corpus.glob("*.md") if p.is_file() and p.name.lower() != "readme.md")
    if only:
        files = [p for p in files if any(s in p.name for s in only)]
    return files


def fmt_s(m: Measurement | None, attr: str) -> str:
    if m is None:
        return "n/a"
    if not m.ok:
        return "FAIL"
    return f"{getattr(m, attr):.3f}"


def fmt_mb(m: Measurement | None, floor_kb: int = 0) -> str:
    if m is None or not m.runs:
        return "n/a"
    if floor_kb and m.peak_mb * 1024 <= floor_kb * 1.05:
        return f"<= {floor_kb / 1024:.1f}"
    return f"{m.peak_mb:.1f}"


def fmt_exit(m: Measurement | None) -> str:
    if m is None or not m.runs:
        return "n/a"
    r = m.decisive_run
    if r.timed_out:
        return "FAIL (timeout)"
    if r.crashed:
        return f"FAIL (traceback, {r.exit_code})"
    if r.exit_code < 0:
        try:
            sig = signal.Signals(-r.exit_code).name
        except ValueError:
            sig = f"signal {-r.exit_code}"
        return f"FAIL ({sig})"
    if r.exit_code not in OK_EXIT_CODES:
        return f"FAIL ({r.exit_code})"
    return str(r.exit_code)


def markdown(results: list[FileResult], meta: dict[str, Any]) -> str:
    lines = [
        f"<!-- {meta['date']} · nproc {meta['nproc']} · Python {meta['python']} · "
        f"node {meta['node'] or 'n/a'} · awesome-lint {meta['awesome_lint_version']} "
        f"({meta['runs']} runs) · peer {meta['peer_version']} ({meta['peer_runs']} runs) · "
        f"peak memory: {meta['rss_method']} -->",
        "",
        "| file | size KB | lines | awesome-lint median s | best s | peak MB | exit code "
        "| peer median s | peer peak MB | speed-up |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    floor = int(meta["rss_floor_kb"])
    for r in results:
        speed_up = r.speed_up
        peer_median = fmt_s(r.peer, "median_s")
        if r.peer is not None and not r.peer.ok:
            peer_median = fmt_exit(r.peer)
        lines.append(
            f"| {r.name} | {r.size_kb:.1f} | {r.lines} | {fmt_s(r.ours, 'median_s')} "
            f"| {fmt_s(r.ours, 'best_s')} | {fmt_mb(r.ours, floor)} | {fmt_exit(r.ours)} "
            f"| {peer_median} | {fmt_mb(r.peer, floor)} "
            f"| {f'{speed_up:.1f}x' if speed_up is not None else 'n/a'} |"
        )
    ours_ok = [r.ours for r in results if r.ours is not None and r.ours.ok]
    peer_ok = [r.peer for r in results if r.peer is not None and r.peer.ok]
    if len(results) > 1 and (ours_ok or peer_ok):
        ours_total = sum(m.median_s for m in ours_ok)
        peer_total = sum(m.median_s for m in peer_ok)
        both = len(ours_ok) == len(peer_ok) == len(results)
        lines.append(
            f"| **total** | {sum(r.size_kb for r in results):.1f} "
            f"| {sum(r.lines for r in results)} "
            f"| {f'{ours_total:.3f}' if ours_ok else 'n/a'} | | "
            f"| {sum(1 for r in results if r.ours is not None and not r.ours.ok)} failed "
            f"| {f'{peer_total:.3f}' if peer_ok else 'n/a'} | "
            f"| {f'{peer_total / ours_total:.1f}x' if both and ours_total else 'n/a'} |"
        )
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help=f"directory of *.md files (default: {DEFAULT_CORPUS})",
    )
    p.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="SUBSTR",
        help="only files whose name contains SUBSTR (repeatable)",
    )
    p.add_argument("--runs", type=int, default=5, help="timed runs of awesome-lint per file")
    p.add_argument(
        "--cmd",
        help="our command, shell-quoted; FILE is appended "
        "(default: the awesome-lint next to this Python)",
    )
    p.add_argument("--skip-ours", action="store_true", help="time only the peer")
    p.add_argument(
        "--peer",
        help="the JS peer's command, shell-quoted; 'readme.md' is "
        "appended (default: auto-detect "
        f"{DEFAULT_PEER_DIR}/node_modules/.bin/awesome-lint)",
    )
    p.add_argument("--no-peer", action="store_true", help="do not time the JS peer")
    p.add_argument("--peer-runs", type=int, default=3, help="timed runs of the peer per file")
    p.add_argument("--warmup", type=int, default=0, help="untimed runs before timing")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds before a run is killed")
    p.add_argument(
        "--rss",
        choices=("auto", "time", "wait4"),
        default="auto",
        help="how peak memory is read: GNU /usr/bin/time -f %%M around the "
        "command (auto: when usable) or os.wait4's ru_maxrss of the child",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    p.add_argument(
        "--save-json", type=Path, metavar="FILE", help="also write the JSON (every run) to FILE"
    )
    args = p.parse_args(argv)
    if args.runs < 1 or args.peer_runs < 1:
        p.error("--runs and --peer-runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    corpus: Path = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    files = corpus_files(corpus, args.only)
    if not files:
        print(f"no Markdown files in {corpus}", file=sys.stderr)
        return 2

    ours: list[str] | None = None
    if not args.skip_ours:
        ours = shlex.split(args.cmd) if args.cmd else default_ours()
        exe = shutil.which(ours[0])
        if exe is None:
            print(f"awesome-lint not found: {ours[0]} (use --cmd or --skip-ours)", file=sys.stderr)
            return 2
        ours[0] = str(Path(exe).absolute())  # commands run in another directory
    peer: list[str] | None = None
    if not args.no_peer:
        peer = shlex.split(args.peer) if args.peer else default_peer()
        if peer is None:
            print("JS peer not found; timing awesome-lint alone", file=sys.stderr)
        elif (exe := shutil.which(peer[0])) is None:
            print(f"peer not found: {peer[0]}", file=sys.stderr)
            return 2
        else:
            peer[0] = str(Path(exe).absolute())
    if ours is None and peer is None:
        print("nothing to time", file=sys.stderr)
        return 2

    runner = make_runner(args.rss, args.timeout)
    meta: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "nproc": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "node": tool_version("node"),
        "corpus": str(corpus),
        "rss_method": runner.method,
        "rss_floor_kb": runner.floor_kb,
        "awesome_lint_command": ours,
        "awesome_lint_version": command_version(ours) if ours else "n/a",
        "runs": args.runs,
        "peer_command": peer,
        "peer_version": command_version(peer) if peer else "n/a",
        "peer_runs": args.peer_runs,
    }

    results: list[FileResult] = []
    with tempfile.TemporaryDirectory(prefix="lint-speed-") as tmp:
        neutral = Path(tmp) / "cwd"
        neutral.mkdir()
        for i, path in enumerate(files, 1):
            data = path.read_bytes()
            print(f"[{i}/{len(files)}] {path.name}", file=sys.stderr, flush=True)
            ours_m = None
            if ours is not None:
                ours_m = measure([*ours, str(path)], neutral, args.runs, args.warmup, runner)
            peer_m = None
            if peer is not None:
                peer_dir = Path(tmp) / f"peer-{i}"
                peer_dir.mkdir()
                (peer_dir / "readme.md").write_bytes(data)
                peer_m = measure(
                    [*peer, "readme.md"], peer_dir, args.peer_runs, args.warmup, runner
                )
                shutil.rmtree(peer_dir)
            results.append(
                FileResult(
                    name=path.name,
                    size_kb=len(data) / 1024,
                    lines=data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1),
                    ours=ours_m,
                    peer=peer_m,
                )
            )

    report = json.dumps({"meta": meta, "files": [r.to_json() for r in results]}, indent=2)
    if args.save_json:
        args.save_json.write_text(report + "\n", encoding="utf-8")
    if args.json:
        print(report)
    else:
        print(markdown(results, meta))
    failed = any(r.ours is not None and not r.ours.ok for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
