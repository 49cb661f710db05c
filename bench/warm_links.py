"""A warm link check against the offline lint: CPU time, paired and interleaved.

    .venv/bin/python bench/warm_links.py                       # awesome-go, 15 pairs
    .venv/bin/python bench/warm_links.py --file LIST.md --pairs 25

1. Fill a fresh cache (``AWESOME_LINT_CACHE_DIR`` in a temporary directory) with one
   ``awesome-lint --links FILE`` run whose network is faked in-process: every request answers
   200 at once, every GitLab/Codeberg project is live to their APIs, no socket is opened, so
   every link's observation (and project answer) is "ok", fresh for a day.
   With ``--history N``, N such runs a day apart (``AWESOME_LINT_CLOCK``), each fetching every
   link (``--no-cache``): the cache of a list checked daily, what a warm run reads then.
2. Check the warm run: ``Links: ... 0 requests, N from the cache`` and no ``aiohttp`` in
   ``python -X importtime``'s list of imports.
3. Time pairs, order alternating: ``awesome-lint FILE`` (offline) and
   ``awesome-lint --links FILE`` (warm), CPU time (user + system) of each child from
   ``os.wait4``; prints each pair, the medians and min, and the median of the per-pair ratios.

Everything runs in a temporary directory holding a copy of the file (no project config, not
inside a git repository), the cache in a directory beside it (one inside would be refused).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DEFAULT = CORPUS / "avelino__awesome-go.md"

#: The CLI with the checker's requests answered 200 at once, and the forges' APIs (GitLab,
#: Gitea) answering every project as a live one, no host spacing (used to fill the cache only).
FAKE_NETWORK = r"""
import sys
from awesome_lint.links import checker, forges, policy, project_facts
async def project(session, forge, path, timeout):
    return project_facts.ProjectInfo(path, False, False, "main", "2026-01-01T00:00:00Z")
forges._get = project
# No politeness needed towards nobody: github.com's 50 ms spacing would take minutes here.
policy.LinkPolicy.host_limit = lambda self, host: policy.HostLimit(64)
async def request(self, url, *rest):
    self.stats.requests += 1
    return checker._Answer(200, None)
checker._Engine.request = request
from awesome_lint.cli import main
sys.argv[0] = "awesome-lint"
sys.exit(main())
"""


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """(CPU seconds, wall seconds, stderr) of one child."""
    started = time.monotonic()
    child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(f"{argv} exited {child.returncode}:\n{err}")
    return usage.ru_utime + usage.ru_stime, time.monotonic() - started, err


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=DEFAULT)
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--history", type=int, default=1, metavar="N",
                        help="fill the cache with N daily runs (its steady state)")
    args = parser.parse_args()
    python = sys.executable
    command = str(Path(python).parent / "awesome-lint")
    with tempfile.TemporaryDirectory(prefix="warm-links-") as tmp:
        work = Path(tmp) / "list"  # the cache beside it: one inside would be refused
        work.mkdir()
        shutil.copyfile(args.file, work / "README.md")
        env = dict(os.environ, AWESOME_LINT_CACHE_DIR=str(Path(tmp) / "cache"), CI="true")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # time what users run: compiled modules cached
        env.pop("GITHUB_TOKEN", None)
        for days_ago in range(args.history - 1, -1, -1):  # daily runs, the last one now
            clock = {"AWESOME_LINT_CLOCK": repr(time.time() - days_ago * 86400)} if days_ago else {}
            _, wall, err = run([python, "-c", FAKE_NETWORK, "--links", "--no-cache",
                                "README.md"], work, {**env, **clock})
        print(f"fill: {err.strip().splitlines()[-1]} ({wall:.1f} s)")
        with sqlite3.connect(Path(tmp) / "cache" / "links.sqlite3") as conn:
            stored = conn.execute("SELECT count(*) FROM observations").fetchone()[0]
        print(f"cache: {stored} observations after {args.history} daily runs")
        _, _, err = run([python, "-X", "importtime", command, "--links", "README.md"], work, env)
        summary = next(line for line in err.splitlines() if line.startswith("Links:"))
        imported = {line.rsplit("|", 1)[-1].strip() for line in err.splitlines()
                    if line.startswith("import time:")}
        requests = int(re.search(r"(\d+) requests", summary).group(1))  # type: ignore[union-attr]
        print(f"warm: {summary}")
        print(f"warm: imported: aiohttp {'aiohttp' in imported}, tenacity "
              f"{'tenacity' in imported}, the checker {'awesome_lint.links.checker' in imported}"
              f"; requests: {requests}")
        offline_cpu: list[float] = []
        warm_cpu: list[float] = []
        ratios: list[float] = []
        for pair in range(args.pairs):
            order = [False, True] if pair % 2 == 0 else [True, False]
            got: dict[bool, float] = {}
            for links in order:
                argv = [command, *(["--links"] if links else []), "README.md"]
                got[links] = run(argv, work, env)[0]
            offline_cpu.append(got[False])
            warm_cpu.append(got[True])
            ratios.append(got[True] / got[False])
            print(f"pair {pair + 1:2}: offline {got[False]:.3f} s  warm --links "
                  f"{got[True]:.3f} s  ratio {ratios[-1]:.3f}")
        print(f"offline CPU s: median {statistics.median(offline_cpu):.3f}, "
              f"min {min(offline_cpu):.3f}")
        print(f"warm --links CPU s: median {statistics.median(warm_cpu):.3f}, "
              f"min {min(warm_cpu):.3f}")
        print(f"ratio warm/offline: median of pairs {statistics.median(ratios):.3f}, "
              f"of mins {min(warm_cpu) / min(offline_cpu):.3f}")
        return 1 if requests or "aiohttp" in imported else 0


if __name__ == "__main__":
    sys.exit(main())
