"""Our link checker against the real linkbench server (../shared/linkbench): every verdict right.

    .venv/bin/python bench/linkbench_verdicts.py

Starts the benchmark's own server.py on two loopback ports (5 s slow pages, 5 ms latency),
checks four links of each of its categories (two with GET, two HEAD-first, both runs at once,
the default policy) and prints one line per link. Exits 1 when a verdict is wrong, 2 when the
server is absent or does not start. The test suite covers the same categories with its own
server (tests/test_hardening_network.py, test_every_linkbench_fault_in_one_run); this run
checks that the benchmark's server agrees.
"""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from awesome_lint.links.checker import check_links
from awesome_lint.links.policy import LinkPolicy

REPO = Path(__file__).resolve().parents[1]
LINKBENCH = REPO.parent / "shared" / "linkbench"


@contextmanager
def linkbench_server(hosts: int = 2) -> Iterator[int | None]:
    """The benchmark's server.py on 127.0.0.1 (``hosts`` ports from the yielded one; None when
    it would not start)."""
    for _ in range(5):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + hosts > 65535:
            continue
        process = subprocess.Popen(
            [sys.executable, str(LINKBENCH / "server.py"), "--base-port", str(base), "--hosts",
             str(hosts), "--latency-ms", "5", "--slow-s", "5", "--max-lifetime-s", "120"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            assert process.stdout is not None
            line = process.stdout.readline()  # printed once every port listens
            if "linkbench server" not in line:
                continue  # a port was taken: try others
            yield base
            return
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
    yield None


def main() -> int:
    if not (LINKBENCH / "server.py").is_file():
        print(f"no linkbench at {LINKBENCH}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(LINKBENCH))
    try:
        import common  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(LINKBENCH))
    picked: dict[str, list[int]] = {name: [] for name in common.CATEGORY_NAMES}
    ident = 0
    while any(len(ids) < 4 for ids in picked.values()):
        cat = common.category_of(1, ident)
        if len(picked[cat]) < 4:
            picked[cat].append(ident)
        ident += 1
    with linkbench_server() as base:
        if base is None:
            print("could not start the linkbench server", file=sys.stderr)
            return 2

        def url(n: int) -> str:
            return f"http://127.0.0.1:{base + n % 2}/p/{n}"

        get_run = {url(n): cat for cat, ids in picked.items() for n in ids[:2]}
        head_run = {url(n): cat for cat, ids in picked.items() for n in ids[2:] if cat != "slow"}
        policy = LinkPolicy(allow_private=True)  # the defaults: 20 s timeout, 3 retries
        with ThreadPoolExecutor(2) as pool:  # both runs at once: the slow pages take 5 s
            got_get = pool.submit(check_links, list(get_run), policy)
            got_head = pool.submit(check_links, list(head_run),
                                   dataclasses.replace(policy, head_first=True))
            got = {**got_get.result(timeout=120), **got_head.result(timeout=120)}
    wrong = 0
    for link, cat in {**get_run, **head_run}.items():
        expected = "dead" if common.DEAD[cat] else "redirected" if cat == "redirect" else "ok"
        verdict = got[link].verdict.value
        wrong += verdict != expected
        print(f"{'ok  ' if verdict == expected else 'WRONG'} {cat:14} {link}: {verdict}"
              f"{'' if verdict == expected else f' (expected {expected}): {got[link].reason}'}")
    print(f"{len(got) - wrong} of {len(got)} verdicts right")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
