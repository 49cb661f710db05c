"""The link-result cache: round trips, ages, concurrency, corruption and unwritable places."""

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

from awesome_lint.links import cache as cache_module
from awesome_lint.links.cache import (
    LinkCache,
    NullCache,
    default_cache_path,
    has_userinfo,
)
from awesome_lint.verdicts import LinkStatus, Verdict

HOUR = 3600.0
DAY = 86400.0


class Clock:
    """An injectable ``now``."""

    def __init__(self, t: float = 1_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def rows(path: Path) -> list[tuple[Any, ...]]:
    """The raw ``links`` rows, read without the cache."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT key, status, checked FROM links ORDER BY key").fetchall()
    finally:
        conn.close()


def open_cache(path: Path, clock: Clock | None = None, **ages: float) -> LinkCache:
    ages.setdefault("max_age", DAY)
    ages.setdefault("failure_age", HOUR)
    return LinkCache(path, now=clock or Clock(), **ages)


STATUSES = [
    LinkStatus("https://a.example/", Verdict.OK, 200, elapsed=0.25),
    LinkStatus(
        "https://b.example/old",
        Verdict.REDIRECTED,
        301,
        reason="moved permanently",
        final_url="https://b.example/new",
        permanent=True,
        chain=("https://b.example/old", "https://b.example/mid", "https://b.example/new"),
    ),
    LinkStatus("https://github.com/o/r", Verdict.OK, 200, archived=True, attempts=2),
    LinkStatus("https://c.example/gone", Verdict.DEAD, 404, reason="not found"),
    LinkStatus("https://d.example/", Verdict.BLOCKED, 403, reason="bot wall"),
    LinkStatus("https://e.example/", Verdict.ERROR, None, reason="timeout", attempts=3),
]


@pytest.mark.parametrize("status", STATUSES, ids=lambda s: s.verdict.value + s.url[8:20])
def test_round_trip_every_verdict(tmp_path: Path, status: LinkStatus) -> None:
    path = tmp_path / "c.sqlite3"
    with open_cache(path) as cache:
        cache.put(status.url, status)
        assert cache.get(status.url) == status
    with open_cache(path) as cache:  # and from disk, in a new connection
        got = cache.get(status.url)
        assert got == status
        assert got is not None and got.chain == status.chain
        assert got.final_url == status.final_url and got.archived == status.archived
        assert cache.warnings == []


def test_database_uses_wal_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "c.sqlite3"  # parent directories are created
    with open_cache(path) as cache:
        cache.put("https://a.example/", STATUSES[0])
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("SELECT schema_version FROM meta").fetchall() == [(1,)]
            cols = [r[1] for r in conn.execute("PRAGMA table_info(links)")]
            assert cols == ["key", "status", "checked"]
        finally:
            conn.close()


@pytest.mark.parametrize("verdict", [Verdict.OK, Verdict.REDIRECTED])
def test_successes_expire_after_max_age(tmp_path: Path, verdict: Verdict) -> None:
    clock = Clock()
    status = LinkStatus("https://a.example/", verdict, 200)
    with open_cache(tmp_path / "c.sqlite3", clock, max_age=100, failure_age=10) as cache:
        cache.put(status.url, status)
        clock.t += 99.5
        assert cache.get(status.url) == status  # past failure_age, within max_age
        clock.t += 0.5
        assert cache.get(status.url) is None


@pytest.mark.parametrize("verdict", [Verdict.DEAD, Verdict.BLOCKED, Verdict.ERROR])
def test_failures_expire_after_failure_age(tmp_path: Path, verdict: Verdict) -> None:
    clock = Clock()
    status = LinkStatus("https://a.example/", verdict, 500)
    with open_cache(tmp_path / "c.sqlite3", clock, max_age=100, failure_age=10) as cache:
        cache.put(status.url, status)
        clock.t += 9.5
        assert cache.get(status.url) == status
        clock.t += 0.5
        assert cache.get(status.url) is None


def test_entry_from_the_future_is_not_trusted(tmp_path: Path) -> None:
    clock = Clock()
    with open_cache(tmp_path / "c.sqlite3", clock) as cache:
        cache.put("https://a.example/", STATUSES[0])
        clock.t -= 10  # the clock went backwards (or another machine's clock is ahead)
        assert cache.get("https://a.example/") is None


@pytest.mark.parametrize("verdict", [Verdict.DEAD, Verdict.BLOCKED, Verdict.ERROR])
def test_failure_age_zero_never_stores_failures(tmp_path: Path, verdict: Verdict) -> None:
    path = tmp_path / "c.sqlite3"
    with open_cache(path, max_age=DAY, failure_age=0) as cache:
        cache.put("https://a.example/", LinkStatus("https://a.example/", verdict, 404))
        cache.put("https://b.example/", LinkStatus("https://b.example/", Verdict.OK, 200))
        assert cache.get("https://a.example/") is None
    assert [r[0] for r in rows(path)] == ["https://b.example/"]


@pytest.mark.parametrize("verdict", [Verdict.EXCLUDED, Verdict.SKIPPED])
def test_excluded_and_skipped_never_stored(tmp_path: Path, verdict: Verdict) -> None:
    path = tmp_path / "c.sqlite3"
    with open_cache(path, max_age=DAY, failure_age=DAY) as cache:
        cache.put("mailto:x@y.example", LinkStatus("mailto:x@y.example", verdict))
        assert cache.get("mailto:x@y.example") is None
    assert rows(path) == []


def test_upsert_replaces(tmp_path: Path) -> None:
    path, clock = tmp_path / "c.sqlite3", Clock()
    dead = LinkStatus("https://a.example/", Verdict.DEAD, 404)
    with open_cache(path, clock, max_age=100, failure_age=10) as cache:
        cache.put(dead.url, STATUSES[0])
        clock.t += 50
        cache.put(dead.url, dead)
        assert cache.get(dead.url) == dead
        clock.t += 20  # the new entry is a failure, judged by failure_age from its own time
        assert cache.get(dead.url) is None
    assert [(r[0], r[2]) for r in rows(path)] == [(dead.url, 1_000_050.0)]


def test_put_many_is_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    statements: list[str] = []
    with open_cache(path) as cache:
        assert cache._conn is not None
        cache._conn.set_trace_callback(statements.append)
        items = [(f"https://a.example/{i}", STATUSES[0]) for i in range(200)]
        cache.put_many(items)
        assert all(cache.get(k) == s for k, s in items)
    assert [s for s in statements if s.startswith(("BEGIN", "COMMIT"))] == [
        "BEGIN IMMEDIATE",
        "COMMIT",
    ]
    assert len(rows(path)) == 200


def test_prune_deletes_only_expired_rows(tmp_path: Path) -> None:
    path, clock = tmp_path / "c.sqlite3", Clock()
    with open_cache(path, clock, max_age=100, failure_age=10) as cache:
        cache.put("https://ok.example/", LinkStatus("https://ok.example/", Verdict.OK, 200))
        cache.put("https://dead.example/", LinkStatus("https://dead.example/", Verdict.DEAD))
        clock.t += 50
        assert cache.prune() == 1
        assert [r[0] for r in rows(path)] == ["https://ok.example/"]
        clock.t += 50
        assert cache.prune() == 1
        assert cache.prune() == 0
    assert rows(path) == []


CREDENTIALED = [
    ("https://user:secret@a.example/", LinkStatus("https://a.example/", Verdict.OK, 200)),
    ("https://a.example/", LinkStatus("https://user:secret@a.example/", Verdict.OK, 200)),
    (
        "https://a.example/",
        LinkStatus(
            "https://a.example/",
            Verdict.REDIRECTED,
            302,
            final_url="https://user:secret@b.example/",
            chain=("https://a.example/", "https://user:secret@b.example/"),
        ),
    ),
]


@pytest.mark.parametrize("key,status", CREDENTIALED, ids=["key", "url", "final_url"])
def test_credentials_never_reach_the_disk(tmp_path: Path, key: str, status: LinkStatus) -> None:
    path = tmp_path / "c.sqlite3"
    with open_cache(path) as cache:
        cache.put(key, status)
        cache.put("https://clean.example/", STATUSES[0])
        assert cache.get(key) is None
    assert [r[0] for r in rows(path)] == ["https://clean.example/"]
    for file in tmp_path.iterdir():
        assert b"secret" not in file.read_bytes()


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
    Reports its errors, how many times the cache backed off from a locked database (its own
    retry sleeps; SQLite's busy handler waits inside the call) and its time."""
    errors: list[str] = []
    backoffs: list[float] = []
    real_sleep = time.sleep

    def counted_sleep(seconds: float) -> None:
        backoffs.append(seconds)
        real_sleep(seconds)

    cache_module.time.sleep = counted_sleep  # type: ignore[assignment]  # this process only
    start = 0.0
    try:
        barrier.wait()
        start = time.perf_counter()
        with LinkCache(Path(path), max_age=DAY, failure_age=DAY) as cache:
            rng = random.Random(wid)
            for i in range(KEYS):
                key = f"https://w{wid}.example/{i}"
                cache.put(key, LinkStatus(key, Verdict.OK, 200))
                if cache.get(key) is None:
                    errors.append(f"lost own write {key}")
                cache.get(f"https://w{rng.randrange(WORKERS)}.example/{rng.randrange(KEYS)}")
            errors.extend(cache.warnings)
    except BaseException as exc:
        errors.append(repr(exc))
    results.put((wid, errors, len(backoffs), time.perf_counter() - start))


def test_concurrent_processes_share_one_file(tmp_path: Path) -> None:
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
    keys = {r[0] for r in rows(path)}
    assert keys == {f"https://w{w}.example/{i}" for w in range(WORKERS) for i in range(KEYS)}
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
    with open_cache(path) as cache:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            cache.put("https://a.example/", STATUSES[0])
            cache.put("https://b.example/", STATUSES[0])
            assert cache.get("https://c.example/") is None  # reads still work under WAL
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert len(cache.warnings) == 1
        assert "locked" in cache.warnings[0] and str(path) in cache.warnings[0]
        cache.put("https://c.example/", STATUSES[0])  # once released, writes go through
        assert cache.get("https://c.example/") == STATUSES[0]
    assert [r[0] for r in rows(path)] == ["https://c.example/"]


# -- corruption ---------------------------------------------------------------------------------


def _valid_db_bytes(tmp_path: Path) -> bytes:
    source = tmp_path / "source" / "valid.sqlite3"
    with open_cache(source) as cache:
        cache.put_many([(f"https://x.example/{i}", STATUSES[1]) for i in range(50)])
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
    conn.execute("CREATE TABLE meta(schema_version INTEGER NOT NULL)")
    conn.execute("INSERT INTO meta VALUES (1)")
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
        cache.put("https://a.example/", STATUSES[0])
        assert cache.get("https://a.example/") == STATUSES[0]
    with open_cache(path) as again:  # the fresh cache is healthy and kept
        assert again.warnings == []
        assert again.get("https://a.example/") == STATUSES[0]


@pytest.mark.parametrize(
    "text",
    [
        '{"url": "https://a.example/", "verdict": "bogus"}',
        "{not json",
        "[1, 2]",
        '{"verdict":"ok"}',
    ],
)
def test_unreadable_row_moves_file_aside(tmp_path: Path, text: str) -> None:
    path = tmp_path / "links.sqlite3"
    with open_cache(path) as cache:
        cache.put("https://b.example/", STATUSES[0])
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO links VALUES ('https://a.example/', ?, ?)", (text, 1_000_000.0))
    conn.commit()
    conn.close()
    with open_cache(path) as cache:
        assert cache.get("https://a.example/") is None
        assert len(cache.warnings) == 1 and str(path) in cache.warnings[0]
        assert len([p for p in tmp_path.iterdir() if ".corrupt-" in p.name]) >= 1
        assert cache.get("https://b.example/") is None  # a fresh, empty cache
        cache.put("https://c.example/", STATUSES[0])
        assert cache.get("https://c.example/") == STATUSES[0]
        assert len(cache.warnings) == 1


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
        cache.put("https://a.example/", STATUSES[0])
        assert cache.get("https://a.example/") is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["links.sqlite3"]


# -- unwritable places --------------------------------------------------------------------------


def _assert_disabled_quietly(cache: LinkCache) -> None:
    assert not cache.enabled
    assert len(cache.warnings) == 1 and "\n" not in cache.warnings[0]
    cache.put("https://a.example/", STATUSES[0])
    cache.put_many([("https://b.example/", STATUSES[0])])
    assert cache.get("https://a.example/") is None
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
    cache.put("https://a.example/", STATUSES[0])
    cache.close()
    cache.close()
    assert not cache.enabled
    assert cache.get("https://a.example/") is None
    cache.put("https://b.example/", STATUSES[0])
    assert cache.warnings == []


def test_null_cache() -> None:
    with NullCache() as cache:
        cache.put("https://a.example/", STATUSES[0])
        cache.put_many([("https://a.example/", STATUSES[0])])
        assert cache.get("https://a.example/") is None
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
