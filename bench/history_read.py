"""CPU of a warm link check with the link history (issue 14): every URL fresh in the cache.

    .venv/bin/python bench/history_read.py [RUNS]      # RUNS observations per URL, default 10
    PYTHONPATH=../other/src .venv/bin/python bench/history_read.py   # another tree, to compare

Fills a cache (in a temporary directory) with RUNS observations of 3,200 github.com URLs, ten
minutes apart, 2% of them answering 404 in every run, then times 15 calls of
``check_urls(urls, LinkPolicy(cache_failures=86400))`` (every answer from the cache, no
request): CPU time (``time.process_time``), median and min. The difference between two trees
is what reading and applying the history costs.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

URLS = [f"https://github.com/owner{i}/repo{i}" for i in range(3200)]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    folder = Path(tempfile.mkdtemp())
    os.environ["AWESOME_LINT_CACHE_DIR"] = str(folder)
    from awesome_lint.links.api import check_urls
    from awesome_lint.links.cache import LinkCache
    from awesome_lint.links.observation import Kind, Observation
    from awesome_lint.links.policy import LinkPolicy

    now = time.time()
    with LinkCache(folder / "links.sqlite3", max_age=86400, failure_age=0) as cache:
        for run in range(runs):
            at = now - (runs - run) * 600
            cache.put_many([Observation(url, Kind.HTTP, 404 if i % 50 == 0 else 200, checked=at)
                            for i, url in enumerate(URLS)])
    policy = LinkPolicy(cache_failures=86400)  # the failures answered from the cache too
    times = []
    for _ in range(15):
        started = time.process_time()
        report = check_urls(URLS, policy)
        times.append(time.process_time() - started)
    print(f"{runs} observations per URL: median {statistics.median(times) * 1000:.0f} ms, "
          f"min {min(times) * 1000:.0f} ms CPU; {report.stats.requests} requests, "
          f"{report.stats.cached} from the cache")


if __name__ == "__main__":
    main()
