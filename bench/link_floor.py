"""How fast the link bench's list can be checked under a per-host cap, by arithmetic.

    .venv/bin/python bench/link_floor.py $OUT/n10000/truth.json [--caps 8 10]

The bench's ``limit@80`` (score.py --limits) is the total server time divided by 80 requests in
flight, pooled over the 8 hosts. A checker that keeps a per-host cap cannot pool: for each cap
this prints

- **per-host floor**: the busiest host's server time / cap (no scheduler can beat it);
- **FIFO makespan**: each host's links in check order (sorted, as ``check_urls`` does) on
  ``cap`` slots, a link starting when a slot frees (what any scheduler that cannot know which
  pages are slow can expect: a 5 s page that comes late in its host's queue ends late).

Server time per link: min requests x latency, plus 5 s for the "slow" category. The 1 s
Retry-After of the rate-limited ones is left out: a retry waiting for it holds no slot here.
Redirect hops are counted on the link's own host.
"""

from __future__ import annotations

import argparse
import heapq
import json
from collections import defaultdict
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("truth", type=Path)
    parser.add_argument("--caps", type=int, nargs="+", default=[8, 10])
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--slow-s", type=float, default=5.0)
    args = parser.parse_args()
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    jobs: dict[str, list[float]] = defaultdict(list)
    for url in sorted(truth["urls"]):
        entry = truth["urls"][url]
        seconds = entry["min_requests"] * args.latency_ms / 1000
        if entry["category"] == "slow":
            seconds += args.slow_s
        jobs[url.split("/")[2]].append(seconds)
    for cap in args.caps:
        busiest = max(sum(times) for times in jobs.values()) / cap
        spans = []
        for times in jobs.values():
            slots = [0.0] * cap
            for seconds in times:
                heapq.heappush(slots, heapq.heappop(slots) + seconds)
            spans.append(max(slots))
        print(f"cap {cap}: per-host floor {busiest:.2f} s, FIFO makespan {max(spans):.2f} s "
              f"(hosts {min(spans):.2f}-{max(spans):.2f} s)")


if __name__ == "__main__":
    main()
