"""The link cache: observations (never verdicts), keyed hashes, history, concurrency, corruption,
unwritable places, and never a cache inside the repository being linted."""

from __future__ import annotations

import multiprocessing
import os
import random
import sqlite3
import stat
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awesome_lint.links import cache as cache_module
from awesome_lint.links.cache import (
    HISTORY,
    LinkCache,
    NullCache,
    default_cache_path,
    has_userinfo,
    repository_root,
    user_cache_path,
)
from awesome_lint.links.observation import Hop, Kind, Observation, judge
from awesome_lint.links.policy import LinkPolicy
from awesome_lint.verdicts import LinkStatus, Verdict

HOUR = 3600.0
DAY = 86400.0
POLICY = LinkPolicy()


class Clock:
    """An injectable ``now``."""

    def __init__(self, t: float = 1_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def judged(observed: Observation) -> LinkStatus | None:
    return judge(observed, POLICY)


def table(path: Path, name: str) -> list[tuple[Any, ...]]:
    """The raw rows of a table, read without the cache."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()
    finally:
        conn.close()


def disk_bytes(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file())


def open_cache(path: Path, clock: Clock | None = None, **kwargs: Any) -> LinkCache:
    kwargs.setdefault("max_age", DAY)
    kwargs.setdefault("failure_age", HOUR)
    return LinkCache(path, now=clock or Clock(), **kwargs)


def obs(url: str, kind: Kind = Kind.HTTP, status: int | None = 200, checked: float = 1_000_000.0,
        **more: Any) -> Observation:
    return Observation(url, kind, status, checked=checked, **more)


OBSERVATIONS = [
    obs("https://a.example/", elapsed=0.25),
    obs("https://b.example/old", status=200,
        hops=(Hop("https://b.example/old", 301), Hop("https://b.example/mid", 308)),
        final_url="https://b.example/new", final_host="b.example"),
    obs("https://c.example/gone", status=404, attempts=1),
    obs("https://d.example/", status=403),
    obs("https://e.example/", Kind.TRANSIENT, 503, attempts=3),
    obs("https://f.example/", Kind.TIMEOUT, None, detail="timed out", attempts=3),
    obs("https://g.example/", Kind.NO_SUCH_HOST, None),
    obs("https://h.example/", Kind.DNS_TEMPORARY, None, detail="Temporary failure"),
    obs("https://i.example/", Kind.REDIRECT_LOOP, 302, hops=(Hop("https://i.example/", 302),),
        final_url="https://i.example/"),
    obs("https://j.example/", Kind.TOO_MANY_REDIRECTS, None,
        hops=tuple(Hop(f"https://j.example/{n}", 302) for n in range(6))),
    obs("https://k.example/", evidence={"body": {"sha256": "ab", "bytes": 12}}),
]


@pytest.mark.parametrize("observed", OBSERVATIONS, ids=lambda o: o.kind.value + o.url[8:18])
def test_round_trip_every_kind(tmp_path: Path, observed: Observation) -> None:
    path = tmp_path / "c.sqlite3"
    with open_cache(path) as cache:
        cache.put_many([observed])
        assert cache.history(observed.url) == [observed]
    with open_cache(path) as cache:  # and from disk, in a new connection
        got = cache.history(observed.url)
        assert got == [observed] and got[0].evidence == observed.evidence
        assert cache.get(observed.url, judged) == (
            None if judged(observed) is None or judged(observed).verdict not in  # type: ignore[union-attr]
            (Verdict.OK, Verdict.REDIRECTED, Verdict.DEAD, Verdict.BLOCKED, Verdict.ERROR)
            else judged(observed))
        assert cache.warnings == []


def test_schema_version_2_exactly(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "c.sqlite3"  # parent directories are created
    with open_cache(path) as cache:
        cache.put_many([OBSERVATIONS[1]])
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("SELECT schema_version FROM meta").fetchall() == [(2,)]
            columns = {name: [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
                       for name in ("meta", "links", "observations")}
        finally:
            conn.close()
    assert columns == {
        "meta": ["schema_version"],
        "links": ["key", "url", "first_seen", "last_checked"],
        "observations": ["key", "checked", "kind", "status", "final_url", "final_host", "hops",
                         "detail", "attempts", "elapsed", "evidence"],
    }
    (key, url, first, last), = table(path, "links")
    assert len(key) == 64 and url == "https://b.example/old" and first == last == 1_000_000.0
    row, = table(path, "observations")
    assert row[2:] == ("http", 200, "https://b.example/new", "b.example",
                       '[["https://b.example/old",301],["https://b.example/mid",308]]', "", 1,
                       0.0, "{}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_verdicts_are_judged_when_read_under_the_readers_policy(tmp_path: Path) -> None:
    # Issue 10, item 4: what one repository's accept = {"*" = [404]} made of a 404 is not
    # what the cache keeps; each reader judges the observation under its own settings.
    gone = obs("https://a.example/gone", status=404)
    lenient = LinkPolicy(accept={"*": (404,)})
    with open_cache(tmp_path / "c.sqlite3", failure_age=HOUR) as cache:
        cache.put_many([gone])
        ok = cache.get(gone.url, lambda o: judge(o, lenient))
        dead = cache.get(gone.url, judged)
    assert ok is not None and ok.verdict is Verdict.OK
    assert dead is not None and dead.verdict is Verdict.DEAD and dead.reason == "HTTP 404"


def test_an_observation_cut_short_by_a_lower_redirect_limit_is_checked_again(
    tmp_path: Path,
) -> None:
    cut = OBSERVATIONS[9]  # stopped after 6 redirects (max-redirects = 5)
    with open_cache(tmp_path / "c.sqlite3") as cache:
        cache.put_many([cut])
        strict = cache.get(cut.url, judged)
        assert strict is not None and strict.reason == "more than 5 redirects"
        assert cache.get(cut.url, lambda o: judge(o, LinkPolicy(max_redirects=10))) is None
        long_ok = obs("https://l.example/", hops=tuple(
            Hop(f"https://l.example/{n}", 301) for n in range(8)), final_url="https://l.example/z")
        cache.put_many([long_ok])  # fine under max-redirects = 10, too long for 5
        assert cache.get(long_ok.url, judged).verdict is Verdict.ERROR  # type: ignore[union-attr]


@pytest.mark.parametrize("status", [200, 301])
def test_successes_are_fresh_for_max_age(tmp_path: Path, status: int) -> None:
    clock = Clock()
    hops = (Hop("https://a.example/", 301),) if status == 301 else ()
    observed = obs("https://a.example/", status=200, hops=hops, final_url="https://a.example/x")
    with open_cache(tmp_path / "c.sqlite3", clock, max_age=100, failure_age=10) as cache:
        cache.put_many([observed])
        clock.t += 99.5
        assert cache.get(observed.url, judged) == judged(observed)
        clock.t += 0.5
        assert cache.get(observed.url, judged) is None
        assert cache.history(observed.url) == [observed]  # expired, not forgotten


@pytest.mark.parametrize("observed", [obs("https://a.example/", status=404),
                                      obs("https://a.example/", status=403),
                                      obs("https://a.example/", Kind.TIMEOUT, None)])
def test_failures_are_fresh_for_failure_age(tmp_path: Path, observed: Observation) -> None:
    clock = Clock()
    with open_cache(tmp_path / "c.sqlite3", clock, max_age=100, failure_age=10) as cache:
        cache.put_many([observed])
        clock.t += 9.5
        assert cache.get(observed.url, judged) == judged(observed)
        clock.t += 0.5
        assert cache.get(observed.url, judged) is None


def test_failure_age_zero_still_records_failures(tmp_path: Path) -> None:
    # Failures are never served from the cache by default, but they are history (issue 14).
    gone = obs("https://a.example/", status=404)
    with open_cache(tmp_path / "c.sqlite3", max_age=DAY, failure_age=0) as cache:
        cache.put_many([gone])
        assert cache.get(gone.url, judged) is None
        assert cache.history(gone.url) == [gone]


def test_an_observation_from_the_future_is_not_trusted(tmp_path: Path) -> None:
    clock = Clock()
    with open_cache(tmp_path / "c.sqlite3", clock) as cache:
        cache.put_many([OBSERVATIONS[0]])
        clock.t -= 10  # the clock went backwards (or another machine's clock is ahead)
        assert cache.get(OBSERVATIONS[0].url, judged) is None


def test_history_is_bounded_per_url_newest_first(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with open_cache(path, Clock(1_000_000.0 + 20)) as cache:
        for n in range(HISTORY + 5):
            cache.put_many([obs("https://a.example/", status=503 if n < HISTORY + 4 else 200,
                                checked=1_000_000.0 + n),
                            obs(f"https://other.example/{n}", checked=1_000_000.0 + n)])
        got = cache.history("https://a.example/", 100)
        assert [o.checked for o in got] == [1_000_000.0 + n for n in range(HISTORY + 4, 4, -1)]
        assert cache.get("https://a.example/", judged) is not None  # the newest: a 200
    assert len(table(path, "observations")) == HISTORY + HISTORY + 5
    (first, last), = [(r[2], r[3]) for r in table(path, "links") if r[1] == "https://a.example/"]
    assert (first, last) == (1_000_000.0, 1_000_000.0 + HISTORY + 4)


def test_rows_no_history_reads_are_dropped(tmp_path: Path) -> None:
    url = "https://a.example/"
    codes = [200, 200, 200, 503, 404, 200, 200, 503, 200, 200]  # oldest first, a day apart
    kept = []
    with open_cache(tmp_path / "c.sqlite3", Clock(1_000_000.0 + 20 * 86400)) as cache:
        for day, code in enumerate(codes):
            cache.put_many([obs(url, status=code, checked=1_000_000.0 + day * 86400)])
            kept.append([o.status for o in cache.history(url, 100)])
    assert kept == [[200], [200, 200], [200, 200], [503, 200], [404, 503, 200],
                    [200, 404, 503, 200],  # working again: the failures are still read
                    [200, 200], [503, 200], [200, 503, 200], [200, 200]]


@settings(max_examples=300)
@given(st.sampled_from(["http", "timeout", "HTTP", "", 3]),
       st.one_of(st.none(), st.integers(-5, 700), st.sampled_from(["200", 200.0, b"200"])),
       st.sampled_from(["[]", '[["https://b.example/", 301]]', "", 5, b"[]"]),
       st.sampled_from(["{}", '{"gone":"soft-404"}', '{"why":"gone"}', '{"fragments":{}}',
                        "", 7, None, b"{}"]))
def test_the_sql_and_python_readings_of_a_plain_row_agree(kind: Any, status: Any, hops: Any,
                                                           evidence: Any) -> None:
    row = ("k", 1.0, kind, status, None, None, hops, "", 1, 0.0, evidence)
    conn = sqlite3.connect(":memory:")
    columns = ", ".join(f"{name} {kind}" for name, kind in
                        cache_module._TABLES["observations"])  # the types, not the constraints
    conn.execute(f"CREATE TABLE observations({columns})")
    conn.execute("INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    stored = conn.execute("SELECT * FROM observations").fetchone()
    (plain,) = conn.execute(f"SELECT {cache_module._PLAIN_ROW} FROM observations").fetchone()
    assert bool(plain) == cache_module._ends_streak(stored)


def test_put_many_is_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    statements: list[str] = []
    with open_cache(path) as cache:
        assert cache._conn is not None
        cache._conn.set_trace_callback(statements.append)
        items = [obs(f"https://a.example/{i}") for i in range(200)]
        cache.put_many(items)
        assert all(cache.history(o.url) == [o] for o in items)
        cache._conn.set_trace_callback(None)  # closing prunes, in a transaction of its own
    assert [s for s in statements if s.startswith(("BEGIN", "COMMIT"))] == [
        "BEGIN IMMEDIATE",
        "COMMIT",
    ]
    assert len(table(path, "links")) == 200


def test_closing_after_a_write_prunes(tmp_path: Path) -> None:
    path, clock = tmp_path / "c.sqlite3", Clock()
    with open_cache(path, clock) as cache:
        cache.put_many([obs("https://old.example/", checked=clock.t - 1)])
    clock.t += cache_module.RETENTION + 10
    with open_cache(path, clock):
        pass  # nothing written: nothing pruned
    assert len(table(path, "links")) == 1
    with open_cache(path, clock) as cache:
        cache.put_many([obs("https://new.example/", checked=clock.t)])
    assert [r[1] for r in table(path, "links")] == ["https://new.example/"]
    assert len(table(path, "observations")) == 1


def test_prune_forgets_urls_not_checked_for_the_retention(tmp_path: Path) -> None:
    path, clock = tmp_path / "c.sqlite3", Clock()
    with open_cache(path, clock) as cache:
        cache.put_many([obs("https://old.example/", checked=clock.t - cache_module.RETENTION - 1),
                        obs("https://new.example/", checked=clock.t - 5)])
        assert cache.prune() == 1
        assert cache.prune() == 0
        assert cache.history("https://old.example/") == []
        assert len(cache.history("https://new.example/")) == 1
    assert [r[1] for r in table(path, "links")] == ["https://new.example/"]


# -- keys: secrets stay out, no collisions ------------------------------------------------------


def test_secret_query_values_are_two_keys_and_never_on_disk(tmp_path: Path) -> None:
    # Issue 10, item 4: ?signature=good and ?signature=bad used to share the redacted key
    # "?signature=***", so a dead signed link read the live one's result.
    good = obs("https://a.example/f?signature=good-7f3a9", status=200)
    bad = obs("https://a.example/f?signature=bad-7f3a9", status=404)
    with open_cache(tmp_path / "c.sqlite3", failure_age=HOUR) as cache:
        cache.put_many([good, bad])
        assert cache.get(good.url, judged).verdict is Verdict.OK  # type: ignore[union-attr]
        assert cache.get(bad.url, judged).verdict is Verdict.DEAD  # type: ignore[union-attr]
        assert cache.key(good.url) != cache.key(bad.url)
    assert [r[1] for r in table(tmp_path / "c.sqlite3", "links")] == [
        "https://a.example/f?signature=***"] * 2
    data = disk_bytes(tmp_path)
    assert b"7f3a9" not in data and b"good" not in data


CREDENTIALED = [
    obs("https://user:secret@a.example/"),
    obs("https://a.example/?token=secret"),
    obs("https://a.example/", hops=(Hop("https://a.example/", 302),),
        final_url="https://b.example/?token=secret", final_host="b.example"),
    obs("https://a.example/", hops=(Hop("https://x:secret@a.example/", 302),),
        final_url="https://b.example/", final_host="b.example"),
]


@pytest.mark.parametrize("observed", CREDENTIALED, ids=["userinfo", "query", "final", "hop"])
def test_credentials_never_reach_the_disk(tmp_path: Path, observed: Observation) -> None:
    path = tmp_path / "c.sqlite3"
    with open_cache(path) as cache:
        cache.put_many([observed])
        got = cache.history(observed.url)
        assert len(got) == 1
        if observed.final_url and "secret" in observed.final_url:
            assert got[0].final_url is None  # never offered as a fix from the cache either
    assert b"secret" not in disk_bytes(tmp_path)


def test_the_key_file_is_private_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with open_cache(path) as cache:
        first = cache.key("https://a.example/")
        cache.put_many([OBSERVATIONS[0]])
    key_file = tmp_path / "c.sqlite3.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(key_file.read_text()) == 64
    with open_cache(path) as cache:
        assert cache.key("https://a.example/") == first
        assert cache.history(OBSERVATIONS[0].url) == [OBSERVATIONS[0]]
    other = tmp_path / "other" / "c.sqlite3"
    with open_cache(other) as cache:  # another cache, another secret: unrelated keys
        assert cache.key("https://a.example/") != first


@pytest.mark.parametrize("content", ["", "zz" * 32, "ab" * 31, "ab" * 40])
def test_an_unusable_key_file_is_replaced(tmp_path: Path, content: str) -> None:
    (tmp_path / "c.sqlite3.key").write_text(content)
    with open_cache(tmp_path / "c.sqlite3") as cache:
        assert cache.enabled
        cache.put_many([OBSERVATIONS[0]])
        assert cache.history(OBSERVATIONS[0].url) == [OBSERVATIONS[0]]
    assert len((tmp_path / "c.sqlite3.key").read_text()) == 64


def test_a_key_file_that_is_a_symlink_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("ab" * 32)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "c.sqlite3.key").symlink_to(outside)
    with open_cache(tmp_path / "cache" / "c.sqlite3") as cache:
        assert cache.enabled
        cache.put_many([OBSERVATIONS[0]])
    assert outside.read_text() == "ab" * 32
    assert not (tmp_path / "cache" / "c.sqlite3.key").is_symlink()


def test_scopes_do_not_share_observations(tmp_path: Path) -> None:
    # What --allow-private reached is not what a guarded run may read.
    with open_cache(tmp_path / "c.sqlite3") as cache:
        cache.put_many([OBSERVATIONS[0]], scope="private")
        assert cache.get(OBSERVATIONS[0].url, judged) is None
        assert cache.get(OBSERVATIONS[0].url, judged, scope="private") is not None


def test_no_cache_reads_nothing_and_records_what_it_saw(tmp_path: Path) -> None:
    path, clock = tmp_path / "c.sqlite3", Clock()
    with open_cache(path, clock) as cache:
        cache.put_many([obs("https://a.example/", status=200)])
    clock.t += 10
    with open_cache(path, clock, read=False) as refresh:
        assert refresh.get("https://a.example/", judged) is None
        refresh.put_many([obs("https://a.example/", status=404, checked=clock.t)])
    with open_cache(path, clock) as cache:
        status = cache.get("https://a.example/", judged)
        assert status is not None and status.verdict is Verdict.DEAD


def test_has_userinfo() -> None:
    assert has_userinfo("https://u:p@host/")
    assert has_userinfo("https://token@host")
    assert not has_userinfo("https://medium.com/@someone/post")
    assert not has_userinfo("https://host/?mail=a@b.example#x@y")
    assert not has_userinfo("mailto:a@b.example")


# -- concurrency --------------------------------------------------------------------------------

WORKERS, KEYS = 4, 500


def _worker(path: str, wid: int, barrier: Any, results: Any) -> None:
    """One process: open the shared cache, write its own keys one by one, read everyone's.
    Reports its errors, how many times a write backed off from a locked database (its own
    retry sleeps; SQLite's busy handler waits inside the call) and its time."""
    errors: list[str] = []
    backoffs: list[float] = []
    real_sleep = time.sleep

    def counted_sleep(seconds: float) -> None:
        backoffs.append(seconds)
        real_sleep(seconds)

    start = 0.0
    try:
        barrier.wait()
        start = time.perf_counter()
        with LinkCache(Path(path), max_age=DAY, failure_age=DAY) as cache:
            # Counted from here: four processes creating one file at once may back off while
            # it is first switched to WAL (SQLite answers "locked" there without waiting).
            cache_module.time.sleep = counted_sleep  # type: ignore[assignment]  # this process
            rng = random.Random(wid)
            for i in range(KEYS):
                url = f"https://w{wid}.example/{i}"
                cache.put_many([Observation(url, Kind.HTTP, 200, checked=time.time())])
                if cache.get(url, judged) is None:
                    errors.append(f"lost own write {url}")
                cache.get(f"https://w{rng.randrange(WORKERS)}.example/{rng.randrange(KEYS)}",
                          judged)
            errors.extend(cache.warnings)
    except BaseException as exc:
        errors.append(repr(exc))
    results.put((wid, errors, len(backoffs), time.perf_counter() - start))


def test_concurrent_processes_share_one_file_and_one_secret(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(WORKERS), ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(str(path), w, barrier, results)) for w in range(WORKERS)
    ]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=10)
    assert [p.exitcode for p in procs] == [0] * WORKERS
    assert {w: errors for w, errors, _, _ in outcomes} == {w: [] for w in range(WORKERS)}
    urls = {r[1] for r in table(path, "links")}
    assert urls == {f"https://w{w}.example/{i}" for w in range(WORKERS) for i in range(KEYS)}
    assert sorted(p.name for p in tmp_path.iterdir() if ".key" in p.name) == [
        "shared.sqlite3.key"]  # all four agreed on one secret (each read the others' writes)
    print(  # shown with -s / -rP: the timings reported for this test
        f"{WORKERS}x{KEYS} writes; per worker: "
        + ", ".join(f"{t:.2f} s, {n} back-offs" for _, _, n, t in sorted(outcomes))
    )
    # The writers queue on SQLite's lock (busy_timeout): none had to give up and back off,
    # which is what a missing busy timeout or a lock held across writes would cause.
    assert sum(n for _, _, n, _ in outcomes) == 0


def test_locked_database_skips_write_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.sqlite3"
    monkeypatch.setattr(cache_module, "BUSY_TIMEOUT", 0.05)
    monkeypatch.setattr(cache_module, "RETRY_BACKOFF", 0.01)
    a, b, c = (obs(f"https://{n}.example/") for n in "abc")
    with open_cache(path) as cache:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            cache.put_many([a])
            cache.put_many([b])
            assert cache.get(c.url, judged) is None  # reads still work under WAL
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert len(cache.warnings) == 1
        assert "locked" in cache.warnings[0] and str(path) in cache.warnings[0]
        cache.put_many([c])  # once released, writes go through
        assert cache.history(c.url) == [c]
    assert [r[1] for r in table(path, "links")] == ["https://c.example/"]


# -- old, newer and corrupt files ---------------------------------------------------------------


def _valid_db_bytes(tmp_path: Path) -> bytes:
    source = tmp_path / "source" / "valid.sqlite3"
    with open_cache(source) as cache:
        cache.put_many([obs(f"https://x.example/{i}") for i in range(50)])
    return source.read_bytes()


def _make_truncated(tmp_path: Path, path: Path) -> None:
    path.write_bytes(_valid_db_bytes(tmp_path)[:100])


def _make_random(tmp_path: Path, path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(8192))


def _make_other_schema(tmp_path: Path, path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bookmarks(url TEXT, title TEXT)")
    conn.execute("INSERT INTO bookmarks VALUES ('https://a.example/', 'a')")
    conn.commit()
    conn.close()


def _make_wrong_columns(tmp_path: Path, path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE links(url TEXT PRIMARY KEY, ok INTEGER)")
    conn.execute("CREATE TABLE observations(url TEXT)")
    conn.execute("CREATE TABLE meta(schema_version INTEGER NOT NULL)")
    conn.execute("INSERT INTO meta VALUES (2)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "make", [_make_truncated, _make_random, _make_other_schema, _make_wrong_columns]
)
def test_corrupt_file_is_moved_aside(tmp_path: Path, make: Any) -> None:
    path = tmp_path / "cache" / "links.sqlite3"
    path.parent.mkdir()
    make(tmp_path, path)
    original = path.read_bytes()
    with open_cache(path) as cache:
        assert cache.enabled
        assert len(cache.warnings) == 1, cache.warnings
        assert str(path) in cache.warnings[0] and "\n" not in cache.warnings[0]
        aside = [
            p
            for p in path.parent.iterdir()
            if p.name.startswith("links.sqlite3.corrupt-") and not p.name.endswith(("-wal", "-shm"))
        ]
        assert len(aside) == 1 and aside[0].name in cache.warnings[0]
        if make in (_make_truncated, _make_random):
            assert aside[0].read_bytes() == original  # kept as it was, for a post-mortem
        cache.put_many([OBSERVATIONS[0]])
        assert cache.history(OBSERVATIONS[0].url) == [OBSERVATIONS[0]]
    with open_cache(path) as again:  # the fresh cache is healthy and kept
        assert again.warnings == []
        assert again.history(OBSERVATIONS[0].url) == [OBSERVATIONS[0]]


@pytest.mark.parametrize(
    ("column", "value"),
    [("kind", "bogus"), ("hops", "{not json"), ("hops", '[["u"]]'), ("evidence", "[1, 2]"),
     ("status", "'x'"), ("checked", "'yesterday'")],
)
def test_unreadable_row_moves_file_aside(tmp_path: Path, column: str, value: str) -> None:
    path = tmp_path / "links.sqlite3"
    with open_cache(path) as cache:
        cache.put_many([OBSERVATIONS[0], OBSERVATIONS[2]])
        key = cache.key(OBSERVATIONS[0].url)
    conn = sqlite3.connect(path)
    literal = value if value.startswith("'") else "'" + value.replace("'", "''") + "'"
    conn.execute(f"UPDATE observations SET {column} = {literal} WHERE key = ?", (key,))
    conn.commit()
    conn.close()
    with open_cache(path) as cache:
        assert cache.get(OBSERVATIONS[0].url, judged) is None
        assert len(cache.warnings) == 1 and str(path) in cache.warnings[0]
        assert len([p for p in tmp_path.iterdir() if ".corrupt-" in p.name]) >= 1
        assert cache.history(OBSERVATIONS[2].url) == []  # a fresh, empty cache
        cache.put_many([OBSERVATIONS[1]])
        assert cache.history(OBSERVATIONS[1].url) == [OBSERVATIONS[1]]
        assert len(cache.warnings) == 1


def _make_schema_1(path: Path) -> None:
    """A cache as awesome-lint wrote it before schema 2: verdicts keyed by redacted URL."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE links(key TEXT PRIMARY KEY, status TEXT NOT NULL, "
                 "checked REAL NOT NULL)")
    conn.execute("CREATE TABLE meta(schema_version INTEGER NOT NULL)")
    conn.execute("INSERT INTO meta VALUES (1)")
    conn.execute("INSERT INTO links VALUES ('https://c.example/gone', "
                 "'{\"url\":\"https://c.example/gone\",\"verdict\":\"ok\"}', 999999.0)")
    conn.commit()
    conn.close()


def test_an_old_schema_is_discarded_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "links.sqlite3"
    _make_schema_1(path)
    with open_cache(path) as cache:
        assert cache.enabled and cache.warnings == []
        assert cache.get("https://c.example/gone", judged) is None  # its verdicts are gone
        cache.put_many([OBSERVATIONS[0]])
        assert cache.history(OBSERVATIONS[0].url) == [OBSERVATIONS[0]]
    assert table(path, "meta") == [(2,)]
    assert sorted(p.name for p in tmp_path.iterdir() if "corrupt" in p.name) == []


def test_newer_schema_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "links.sqlite3"
    with open_cache(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET schema_version = 99")
    conn.commit()
    conn.close()
    with open_cache(path) as cache:
        assert not cache.enabled
        assert len(cache.warnings) == 1 and "newer" in cache.warnings[0]
        cache.put_many([OBSERVATIONS[0]])
        assert cache.get(OBSERVATIONS[0].url, judged) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["links.sqlite3", "links.sqlite3.key"]


# -- unwritable places --------------------------------------------------------------------------


def _assert_disabled_quietly(cache: LinkCache) -> None:
    assert not cache.enabled
    assert len(cache.warnings) == 1 and "\n" not in cache.warnings[0]
    cache.put_many([OBSERVATIONS[0]])
    assert cache.get(OBSERVATIONS[0].url, judged) is None
    assert cache.history(OBSERVATIONS[0].url) == []
    assert cache.prune() == 0
    assert len(cache.warnings) == 1


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores directory permissions"
)
def test_read_only_directory_disables_cache(tmp_path: Path) -> None:
    directory = tmp_path / "ro"
    directory.mkdir()
    directory.chmod(stat.S_IRUSR | stat.S_IXUSR)  # 0o500
    try:
        with open_cache(directory / "links.sqlite3") as cache:
            _assert_disabled_quietly(cache)
            assert str(directory) in cache.warnings[0]
    finally:
        directory.chmod(stat.S_IRWXU)


def test_parent_is_a_file_disables_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a regular file where the cache directory should be")
    with open_cache(blocker / "awesome-lint" / "links.sqlite3") as cache:
        _assert_disabled_quietly(cache)
        assert str(blocker) in cache.warnings[0]
    assert blocker.read_text().startswith("a regular file")


def test_path_is_a_directory_disables_cache(tmp_path: Path) -> None:
    (tmp_path / "links.sqlite3").mkdir()
    with open_cache(tmp_path / "links.sqlite3") as cache:
        _assert_disabled_quietly(cache)
    assert (tmp_path / "links.sqlite3").is_dir()


def test_closed_cache_is_inert(tmp_path: Path) -> None:
    cache = open_cache(tmp_path / "c.sqlite3")
    cache.put_many([OBSERVATIONS[0]])
    cache.close()
    cache.close()
    assert not cache.enabled
    assert cache.get(OBSERVATIONS[0].url, judged) is None
    cache.put_many([OBSERVATIONS[1]])
    assert cache.warnings == []


def test_null_cache() -> None:
    with NullCache() as cache:
        cache.put_many([OBSERVATIONS[0]])
        assert cache.get(OBSERVATIONS[0].url, judged) is None
        assert cache.history(OBSERVATIONS[0].url) == []
        assert cache.prune() == 0
        assert not cache.enabled and cache.warnings == []


# -- where the cache lives ----------------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("AWESOME_LINT_CACHE_DIR", "XDG_CACHE_HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setattr(sys, "platform", "linux")
    return home


def test_default_path_override(monkeypatch: pytest.MonkeyPatch, clean_env: Path) -> None:
    monkeypatch.setenv("AWESOME_LINT_CACHE_DIR", "/tmp/al-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    assert default_cache_path() == Path("/tmp/al-cache/links.sqlite3")


def test_default_path_xdg(monkeypatch: pytest.MonkeyPatch, clean_env: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    assert default_cache_path() == Path("/xdg/awesome-lint/links.sqlite3")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # ignored, as the XDG spec says
    assert default_cache_path() == clean_env / ".cache" / "awesome-lint" / "links.sqlite3"


def test_default_path_home(clean_env: Path) -> None:
    assert default_cache_path() == clean_env / ".cache" / "awesome-lint" / "links.sqlite3"


def test_default_path_macos(monkeypatch: pytest.MonkeyPatch, clean_env: Path) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    expected = clean_env / "Library" / "Caches" / "awesome-lint" / "links.sqlite3"
    assert default_cache_path() == expected


def test_default_path_windows(monkeypatch: pytest.MonkeyPatch, clean_env: Path) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", "/appdata/local")
    assert default_cache_path() == Path("/appdata/local/awesome-lint/links.sqlite3")


# -- never inside the repository being linted ---------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git work tree as the current directory; the user cache dir outside it."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "docs").mkdir()
    monkeypatch.chdir(root / "docs")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    return root


def files_in(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if ".git" not in p.parts)


@pytest.mark.parametrize("where", ["absolute", "relative", "symlink", "repository root"])
def test_a_cache_inside_the_repository_is_not_used(repo: Path, tmp_path: Path,
                                                   where: str) -> None:
    # Issue 10, item 3: the action kept the cache in the checkout, where a pull request can
    # commit one that says its dead link is fine.
    if where == "absolute":
        path = repo / ".awesome-lint-cache" / "links.sqlite3"
    elif where == "relative":
        path = Path("../.awesome-lint-cache/links.sqlite3")
    elif where == "symlink":
        (repo / "planted").mkdir()
        (tmp_path / "innocent").symlink_to(repo / "planted")
        path = tmp_path / "innocent" / "links.sqlite3"
    else:
        path = repo / "links.sqlite3"
    before = files_in(repo)
    with open_cache(path) as cache:
        assert cache.enabled
        assert cache.path == user_cache_path() == tmp_path / "xdg" / "awesome-lint" / (
            "links.sqlite3")
        assert len(cache.warnings) == 1, cache.warnings
        assert "inside the repository" in cache.warnings[0]
        assert str(tmp_path / "xdg" / "awesome-lint") in cache.warnings[0]
        cache.put_many([OBSERVATIONS[0]])
    assert files_in(repo) == before  # nothing written into the user's tree
    assert (tmp_path / "xdg" / "awesome-lint" / "links.sqlite3").exists()


def test_when_the_user_cache_is_inside_too_there_is_no_cache(repo: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(repo / "xdg"))  # a home directory under git
    before = files_in(repo)
    with open_cache(repo / "cache" / "links.sqlite3") as cache:
        assert not cache.enabled
        assert len(cache.warnings) == 1 and "without a cache" in cache.warnings[0]
        cache.put_many([OBSERVATIONS[0]])
    assert files_in(repo) == before


def test_the_workspace_and_the_linted_files_repositories_count_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # not a repository
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    workspace = tmp_path / "workspace"
    monkeypatch.setenv("GITHUB_WORKSPACE", str(workspace))
    with open_cache(workspace / ".awesome-lint-cache" / "links.sqlite3") as cache:
        assert cache.path == user_cache_path() and len(cache.warnings) == 1
    monkeypatch.delenv("GITHUB_WORKSPACE")
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    (other / "lists").mkdir()
    with open_cache(other / "c" / "links.sqlite3", repositories=[other / "lists"]) as cache:
        assert cache.path == user_cache_path() and len(cache.warnings) == 1
    with open_cache(tmp_path / "c" / "links.sqlite3", repositories=[other / "lists"]) as cache:
        assert cache.path == tmp_path / "c" / "links.sqlite3" and cache.warnings == []
    assert not (other / "c").exists() and not (workspace / ".awesome-lint-cache").exists()


def test_repository_root(tmp_path: Path) -> None:
    (tmp_path / "a" / ".git").mkdir(parents=True)
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "a" / "w").mkdir()
    (tmp_path / "a" / "w" / ".git").write_text("gitdir: ../.git/worktrees/w\n")  # a worktree
    assert repository_root(tmp_path / "a" / "b" / "c") == tmp_path / "a"
    assert repository_root(tmp_path / "a" / "w") == tmp_path / "a" / "w"
    assert repository_root(tmp_path / "a" / "missing" / "x") == tmp_path / "a"


def test_get_many_answers_as_get_does_one_url_at_a_time(tmp_path: Path) -> None:
    """The batched read the checker uses: the same fresh statuses as ``get``, newest first,
    per scope, for more URLs than one query takes."""
    clock = Clock()
    cache = open_cache(tmp_path / "c.sqlite3", clock)
    now = clock.t
    urls = [f"https://example.com/{n}" for n in range(1200)]
    observed = []
    for n, url in enumerate(urls):
        if n % 4 == 0:
            observed.append(obs(url, checked=now - 2 * DAY))  # stale
        elif n % 4 == 1:
            observed.append(obs(url, status=404, checked=now - 60))  # a fresh failure
        elif n % 4 == 2:
            observed.append(obs(url, checked=now - 100, hops=(Hop(url + "/old", 301),)))
        # n % 4 == 3: never seen
    cache.put_many(observed)
    cache.put_many([obs(urls[0], checked=now - 10)])  # a newer observation of a stale URL
    cache.put_many([obs(urls[4], checked=now - 10)], scope="private")  # another scope's
    expected = {url: cache.get(url, judged) for url in urls}
    got = cache.get_many(urls, judged)
    assert got == {url: status for url, status in expected.items() if status is not None}
    assert urls[0] in got and urls[4] not in got and urls[3] not in got
    assert set(cache.get_many(urls, judged, scope="private")) == {urls[4]}
    assert NullCache().get_many(urls, judged) == {}
    cache.close()
    assert open_cache(tmp_path / "c.sqlite3", clock, read=False).get_many(urls, judged) == {}


@pytest.mark.parametrize("code", [200, 203, 204, 299])
@pytest.mark.parametrize("policy", [LinkPolicy(), LinkPolicy(max_redirects=0)])
def test_a_plain_2xx_is_judged_as_the_general_path_judges_it(code: int,
                                                              policy: LinkPolicy) -> None:
    plain = Observation("https://example.com/a", Kind.HTTP, code, attempts=2, elapsed=0.25,
                        checked=5.0)
    general = Observation("https://example.com/a", Kind.HTTP, code, attempts=2, elapsed=0.25,
                          checked=5.0, evidence={"why": ""})  # (evidence: not the fast path)
    fast, slow = judge(plain, policy), judge(general, policy)
    assert fast is not None and slow is not None
    assert (fast.to_json(), fast.extra) == (slow.to_json(), slow.extra)


@pytest.mark.parametrize("status", [200, 404, 503])
@pytest.mark.parametrize(("final_url", "final_host"), [(None, None), (None, "example.com"),
                                                       ("https://b.example/", "b.example"),
                                                       (7, 8)])
def test_a_plain_row_is_decoded_as_the_general_path_decodes_it(status: int, final_url: Any,
                                                               final_host: Any) -> None:
    plain = (1_790_000_000.5, "http", status, final_url, final_host, "[]", "", 2, 3.0, "{}")
    general = (*plain[:8], 3, "{}")  # an int elapsed: the general path
    fast = cache_module._decode("https://example.com/a", plain)
    slow = cache_module._decode("https://example.com/a", general)
    assert fast == slow and fast.evidence == slow.evidence == {}
    assert [type(getattr(fast, name)) for name in fast.__slots__] == [
        type(getattr(slow, name)) for name in slow.__slots__]
    with pytest.raises(cache_module._CorruptError):
        cache_module._decode("https://example.com/a", (1.0, "nonsense", *plain[2:]))
