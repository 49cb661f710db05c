"""A persistent cache of link results between runs (stdlib ``sqlite3``).

One SQLite file, shared safely by concurrent runs: WAL journal, a busy timeout, and every write
batch in one ``BEGIN IMMEDIATE`` transaction (retried with backoff when the database stays locked).

Successes (``ok``, ``redirected``) are kept ``max_age`` seconds; other results (``dead``,
``blocked``, ``error``) ``failure_age`` seconds, where ``0`` means never cached; ``excluded`` and
``skipped`` are never cached. Ages are judged when reading, so a changed setting applies at once.

The cache never raises for its own troubles. A corrupt file is moved aside to
``<name>.corrupt-<timestamp>`` and a fresh one started; an unwritable location disables the
cache; a database that stays locked skips the write. Each trouble adds one line to ``warnings``.

Credentials: callers pass normalised, *redacted* URLs as keys. As a defence in depth, a key or
result whose URL still carries ``user:pass@`` is never written to disk (and never looked up).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from awesome_lint.verdicts import LinkStatus, Verdict

__all__ = [
    "SCHEMA_VERSION",
    "LinkCache",
    "LinkCacheProtocol",
    "NullCache",
    "default_cache_path",
    "has_userinfo",
]

SCHEMA_VERSION = 1
CACHE_FILENAME = "links.sqlite3"
BUSY_TIMEOUT = 10.0  # seconds SQLite itself waits for a lock
WRITE_ATTEMPTS = 4  # BEGIN IMMEDIATE attempts when SQLite still reports "locked"
RETRY_BACKOFF = 0.1  # seconds, doubled per attempt, jittered

_SUCCESS = frozenset({Verdict.OK, Verdict.REDIRECTED})
_NEVER = frozenset({Verdict.EXCLUDED, Verdict.SKIPPED})
_COLUMNS = [("key", "TEXT"), ("status", "TEXT"), ("checked", "REAL")]


def default_cache_path() -> Path:
    """Where the cache lives unless told otherwise.

    ``$AWESOME_LINT_CACHE_DIR/links.sqlite3`` if that variable is set, else
    ``$XDG_CACHE_HOME/awesome-lint/links.sqlite3``, else the platform's user cache directory:
    ``~/.cache`` (Linux and others), ``~/Library/Caches`` (macOS), ``%LOCALAPPDATA%`` (Windows).
    """
    override = os.environ.get("AWESOME_LINT_CACHE_DIR")
    if override:
        return Path(override).expanduser() / CACHE_FILENAME
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():  # the XDG spec says relative values are to be ignored
        base = Path(xdg)
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        base = Path(local) if local else Path.home() / "AppData" / "Local"
    else:
        base = Path.home() / ".cache"
    return base / "awesome-lint" / CACHE_FILENAME


def has_userinfo(url: str) -> bool:
    """Whether ``url``'s authority carries ``user[:pass]@`` (conservatively: any ``@`` there)."""
    start = url.find("//")
    if start < 0:
        return False
    authority = url[start + 2 :]
    for stop in "/?#":
        authority = authority.split(stop, 1)[0]
    return "@" in authority


class LinkCacheProtocol(Protocol):
    """What the link checker needs from a cache (``LinkCache`` and ``NullCache`` provide it)."""

    warnings: list[str]

    def get(self, key: str) -> LinkStatus | None: ...
    def put(self, key: str, status: LinkStatus) -> None: ...
    def put_many(self, items: Iterable[tuple[str, LinkStatus]]) -> None: ...
    def prune(self) -> int: ...
    def close(self) -> None: ...


class _CorruptError(Exception):
    """The file is not a usable cache of ours: move it aside."""


class _UnusableError(Exception):
    """The cache cannot be used (a newer schema, say), but the file must be left alone."""


def _is_locked(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc).lower() or "busy" in str(exc).lower()


def _is_corruption(exc: sqlite3.Error) -> bool:
    """SQLITE_CORRUPT and SQLITE_NOTADB surface as a plain DatabaseError; environment trouble
    (locked, read-only, cannot open, I/O) as OperationalError."""
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)


class LinkCache:
    """Link results on disk, keyed by normalised redacted URL. Use as a context manager."""

    def __init__(
        self,
        path: Path,
        *,
        max_age: float,
        failure_age: float,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.max_age = max(0.0, float(max_age))
        self.failure_age = max(0.0, float(failure_age))
        self.warnings: list[str] = []
        self._now = now
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        self._open()

    # -- public API ---------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        """False once the cache has disabled itself (or was closed)."""
        return self._conn is not None

    def ttl(self, verdict: Verdict) -> float:
        """How long a result with ``verdict`` stays fresh (0: never cached)."""
        if verdict in _NEVER:
            return 0.0
        return self.max_age if verdict in _SUCCESS else self.failure_age

    def get(self, key: str) -> LinkStatus | None:
        """The cached result for ``key`` if present and still fresh, else None."""
        if has_userinfo(key):
            return None
        with self._lock:
            if self._conn is None:
                return None
            try:
                row = self._conn.execute(
                    "SELECT status, checked FROM links WHERE key = ?", (key,)
                ).fetchone()
            except sqlite3.Error as exc:
                self._trouble(exc, "read")
                return None
            if row is None:
                return None
            try:
                status, checked = _decode(row)
            except _CorruptError as exc:
                self._recover(str(exc))
                return None
            age = self._now() - checked
            if not 0.0 <= age < self.ttl(status.verdict):
                return None
            return status

    def put(self, key: str, status: LinkStatus) -> None:
        """Store one result (see :meth:`put_many`)."""
        self.put_many([(key, status)])

    def put_many(self, items: Iterable[tuple[str, LinkStatus]]) -> None:
        """Store results in one transaction; results that are never cached are left out."""
        checked = self._now()
        rows = []
        for key, status in items:
            if self.ttl(status.verdict) <= 0.0 or _carries_credentials(key, status):
                continue
            try:
                text = json.dumps(status.to_json(), separators=(",", ":"), allow_nan=False)
            except (TypeError, ValueError):
                continue
            rows.append((key, text, checked))
        if not rows:
            return
        with self._lock:
            self._write(rows)

    def prune(self) -> int:
        """Delete expired and unreadable rows; returns how many were deleted."""
        with self._lock:
            if self._conn is None:
                return 0
            now = self._now()
            stale: list[tuple[str]] = []
            try:
                for key, text, checked in self._conn.execute(
                    "SELECT key, status, checked FROM links"
                ):
                    try:
                        status, when = _decode((text, checked))
                    except _CorruptError:
                        stale.append((key,))
                        continue
                    if not 0.0 <= now - when < self.ttl(status.verdict):
                        stale.append((key,))
            except sqlite3.Error as exc:
                self._trouble(exc, "prune")
                return 0
            if stale and not self._transaction(
                lambda conn: conn.executemany("DELETE FROM links WHERE key = ?", stale), "prune"
            ):
                return 0
            return len(stale)

    def close(self) -> None:
        """Close the database (idempotent); the cache is disabled afterwards."""
        with self._lock:
            self._disconnect()

    def __enter__(self) -> LinkCache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- opening and recovery -----------------------------------------------------------------

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._disable(f"cannot create {self.path.parent} ({exc.strerror or exc})")
            return
        moved = False
        attempt = 0
        while True:
            try:
                self._conn = self._connect()
                return
            except _UnusableError as exc:
                self._disable(str(exc))
                return
            except OSError as exc:
                self._disable(f"cannot open {self.path} ({exc.strerror or exc})")
                return
            except sqlite3.OperationalError as exc:
                attempt += 1
                if _is_locked(exc) and attempt < WRITE_ATTEMPTS:
                    time.sleep(RETRY_BACKOFF * 2**attempt * (1 + random.random()))
                    continue
                self._disable(f"cannot open {self.path} ({exc})")
                return
            except (_CorruptError, sqlite3.Error) as exc:
                if not moved and self._move_aside(str(exc)):
                    moved = True
                    continue
                if moved:
                    self._disable(f"{self.path} is unusable ({exc})")
                return

    def _connect(self) -> sqlite3.Connection:
        """Open, configure and check (or create) the database; raises on any trouble."""
        conn = sqlite3.connect(
            str(self.path), timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        try:
            self._identity = _identity(self.path)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            if mode is None or str(mode[0]).lower() != "wal":
                raise sqlite3.OperationalError(f"cannot use WAL journal (got {mode and mode[0]})")
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL stays consistent; it is a cache
            check = conn.execute("PRAGMA quick_check(1)").fetchone()
            if check is None or check[0] != "ok":
                raise _CorruptError(f"integrity check: {check and check[0]}")
            self._ensure_schema(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _ensure_schema(self, conn: sqlite3.Connection) -> None:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if not tables:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS links("
                    "key TEXT PRIMARY KEY, status TEXT NOT NULL, checked REAL NOT NULL)"
                )
                conn.execute("CREATE TABLE IF NOT EXISTS meta(schema_version INTEGER NOT NULL)")
                if conn.execute("SELECT count(*) FROM meta").fetchone()[0] == 0:
                    conn.execute("INSERT INTO meta(schema_version) VALUES (?)", (SCHEMA_VERSION,))
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if not {"links", "meta"} <= tables:
            raise _CorruptError(f"unexpected tables {sorted(tables)}")
        try:
            versions = [row[0] for row in conn.execute("SELECT schema_version FROM meta")]
        except sqlite3.OperationalError as exc:  # "no such column"
            raise _CorruptError(f"bad meta table ({exc})") from None
        if len(versions) != 1 or not isinstance(versions[0], int):
            raise _CorruptError(f"bad schema version {versions!r}")
        if versions[0] > SCHEMA_VERSION:
            raise _UnusableError(
                f"{self.path} was written by a newer awesome-lint "
                f"(schema {versions[0]}); not using it"
            )
        if versions[0] != SCHEMA_VERSION:
            raise _CorruptError(f"old schema version {versions[0]}")
        columns = [(r[1], str(r[2]).upper()) for r in conn.execute("PRAGMA table_info(links)")]
        if columns != _COLUMNS:
            raise _CorruptError(f"unexpected links columns {columns}")

    def _move_aside(self, reason: str) -> bool:
        """Rename the corrupt file (and its WAL files) out of the way; one warning."""
        self._disconnect()
        current = _identity(self.path)
        if current is None or (self._identity is not None and current != self._identity):
            return True  # already gone or replaced (another process recovered first)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while target.exists() or target.with_name(target.name + "-wal").exists():
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
            n += 1
        try:
            self.path.rename(target)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    try:
                        side.rename(target.with_name(target.name + suffix))
                    except OSError:
                        side.unlink()
        except OSError as exc:
            self._disable(
                f"{self.path} is corrupt ({reason}) and cannot be moved aside "
                f"({exc.strerror or exc})"
            )
            return False
        self._warn(
            f"link cache {self.path} was corrupt ({reason}); moved it to {target.name} "
            "and started a fresh cache"
        )
        return True

    def _recover(self, reason: str) -> None:
        """After finding corruption in an open cache: move the file aside and start afresh."""
        if any(w.startswith(f"link cache {self.path} was corrupt") for w in self.warnings):
            self._disable(f"{self.path} is corrupt again ({reason})")
            return
        if not self._move_aside(reason):
            return
        try:
            self._conn = self._connect()
        except (sqlite3.Error, _CorruptError, _UnusableError, OSError) as exc:
            self._disable(f"cannot start a fresh cache at {self.path} ({exc})")

    # -- writing ------------------------------------------------------------------------------

    def _write(self, rows: list[tuple[str, str, float]]) -> None:
        self._transaction(
            lambda conn: conn.executemany(
                "INSERT OR REPLACE INTO links(key, status, checked) VALUES (?, ?, ?)", rows
            ),
            "write",
        )

    def _transaction(self, body: Callable[[sqlite3.Connection], object], what: str,
                     again: bool = True) -> bool:
        """Run ``body`` in one BEGIN IMMEDIATE transaction, retrying while locked (and once
        more on the fresh file when corruption made us start one)."""
        for attempt in range(WRITE_ATTEMPTS):
            conn = self._conn
            if conn is None:
                return False
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    body(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    _rollback(conn)
                    raise
                return True
            except sqlite3.Error as exc:
                if _is_locked(exc) and attempt + 1 < WRITE_ATTEMPTS:
                    time.sleep(RETRY_BACKOFF * 2**attempt * (1 + random.random()))
                    continue
                self._trouble(exc, what)
                if again and _is_corruption(exc) and self._conn not in (None, conn):
                    # Moved aside and started afresh (the file was truncated under us, say):
                    # the fresh cache takes this batch, so the run's results are not lost.
                    return self._transaction(body, what, again=False)
                return False
        return False  # pragma: no cover - the loop always returns

    def _trouble(self, exc: sqlite3.Error, what: str) -> None:
        """An error from an open database: recover from corruption, else warn once and go on."""
        if _is_corruption(exc):
            self._recover(str(exc))
        elif _is_locked(exc):
            self._warn(
                f"link cache {self.path} stayed locked by another process; "
                f"skipped a {what} (results are re-checked next time)"
            )
        else:
            self._warn(f"link cache {self.path}: {what} failed ({exc}); skipped")

    # -- small helpers ------------------------------------------------------------------------

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def _disable(self, reason: str) -> None:
        self._disconnect()
        self._warn(f"link cache disabled: {reason}")

    def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()


class NullCache:
    """A cache that remembers nothing (``--no-cache``)."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    @property
    def enabled(self) -> bool:
        """Always False."""
        return False

    def get(self, key: str) -> LinkStatus | None:
        """Always None."""
        return None

    def put(self, key: str, status: LinkStatus) -> None:
        """Does nothing."""

    def put_many(self, items: Iterable[tuple[str, LinkStatus]]) -> None:
        """Does nothing."""

    def prune(self) -> int:
        """Deletes nothing."""
        return 0

    def close(self) -> None:
        """Does nothing."""

    def __enter__(self) -> NullCache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


if TYPE_CHECKING:  # both caches satisfy the protocol

    def _conforms(a: LinkCache, b: NullCache) -> tuple[LinkCacheProtocol, LinkCacheProtocol]:
        return a, b


def _decode(row: tuple[Any, Any]) -> tuple[LinkStatus, float]:
    """A stored row as (status, checked); raises _CorruptError when it cannot be read."""
    text, checked = row
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        status = LinkStatus.from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise _CorruptError(f"unreadable row ({type(exc).__name__}: {exc})") from None
    if isinstance(checked, bool) or not isinstance(checked, (int, float)):
        raise _CorruptError(f"unreadable row (checked = {checked!r})")
    return status, float(checked)


def _carries_credentials(key: str, status: LinkStatus) -> bool:
    urls = (key, status.url, status.final_url or "", *status.chain)
    return any(has_userinfo(url) for url in urls)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass
