"""A persistent cache of what the network said about each URL (stdlib ``sqlite3``).

It stores **observations**, never verdicts: HTTP status, each redirect, the final URL, the kind
of failure, when (:class:`~awesome_lint.links.observation.Observation`). The verdict depends on
settings that differ between repositories sharing the per-user cache (``accept``,
``max-redirects``), so the reader judges every observation under its own policy, and a result
reached under one repository's ``accept = {"*" = [404]}`` is still dead for another.

Schema (version 2)::

    meta(schema_version INTEGER NOT NULL)              -- one row: 2
    links(key TEXT PRIMARY KEY,                        -- one row per URL (and scope)
          url TEXT NOT NULL,                           -- the URL redacted: for people only
          first_seen REAL NOT NULL, last_checked REAL NOT NULL)
    observations(key TEXT NOT NULL, checked REAL NOT NULL,   -- the last HISTORY per URL
                 kind TEXT NOT NULL, status INTEGER, final_url TEXT, final_host TEXT,
                 hops TEXT NOT NULL,                   -- JSON [[url, status], ...], redacted
                 detail TEXT NOT NULL, attempts INTEGER NOT NULL, elapsed REAL NOT NULL,
                 evidence TEXT NOT NULL,               -- JSON object (issue 14: soft-404...)
                 PRIMARY KEY (key, checked))

``key`` is HMAC-SHA256 of the scope and the full URL under a random per-cache secret (the file
``<name>.key`` beside the database, mode 0600): no secret of a URL reaches the disk, and
``?signature=good`` and ``?signature=bad`` are two keys, not one redacted key. Every other URL
stored is redacted; a final URL that redaction would change is not stored (it could not be
written into a file anyway). An older schema is discarded (its rows were verdicts); a newer
one is left alone.

An observation is fresh for ``max_age`` seconds when its verdict is a success (``ok``,
``redirected``) and ``failure_age`` seconds otherwise (``0``: failures are always checked
again, though still recorded; with ``dead-after`` the check passes ``0``). ``read=False``
(``--no-cache``) reads no answer and records what the run saw, so a later run does not trust
an older observation.

History (issue 14): the last ``HISTORY`` observations of each URL are kept, one per run that
fetched it, and :meth:`LinkCache.histories` gives them back (judged by the reader, like any
observation) for :mod:`awesome_lint.links.history`: since when a link fails, in how many
runs, whether it works again. No schema change was needed for it (version 2 kept them).

Where: never inside the repository being linted (a pull request could commit a cache saying
its dead link is fine). A cache directory inside the current git repository (or
``GITHUB_WORKSPACE``, or a repository passed in ``repositories``) is not used: the user cache
directory is, or none, with one warning.

Concurrency and trouble: one SQLite file, shared safely by concurrent runs: WAL journal, a busy
timeout, and every write batch in one ``BEGIN IMMEDIATE`` transaction (retried with backoff
when the database stays locked). The cache never raises for its own troubles. A corrupt file is
moved aside to ``<name>.corrupt-<timestamp>`` and a fresh one started; an unwritable location
disables the cache; a database that stays locked skips the write. Each trouble adds one line
to ``warnings``.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import math
import os
import random
import secrets
import sqlite3
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from awesome_lint.links.observation import Hop, Kind, Observation, now, plainly_working
from awesome_lint.redact import redact_url
from awesome_lint.verdicts import LinkStatus, Verdict

__all__ = [
    "HISTORY",
    "SCHEMA_VERSION",
    "LinkCache",
    "LinkCacheProtocol",
    "NullCache",
    "default_cache_path",
    "has_userinfo",
    "open_link_cache",
    "repository_root",
    "user_cache_path",
]

SCHEMA_VERSION = 2
CACHE_FILENAME = "links.sqlite3"
BUSY_TIMEOUT = 10.0  # seconds SQLite itself waits for a lock
WRITE_ATTEMPTS = 4  # BEGIN IMMEDIATE attempts when SQLite still reports "locked"
RETRY_BACKOFF = 0.1  # seconds, doubled per attempt, jittered
#: Observations kept per URL at most (the newest); room for "failing since" across runs (issue
#: 14). Rows older than the last one that plainly worked are dropped: no history reads them.
HISTORY = 10
#: Keys per query of :meth:`LinkCache.get_many` (SQLite allows 999 parameters at least).
_BATCH = 500
#: A URL not checked for this long is forgotten by :meth:`LinkCache.prune`.
RETENTION = 90 * 86400.0

_SUCCESS = frozenset({Verdict.OK, Verdict.REDIRECTED})
_NEVER = frozenset({Verdict.EXCLUDED, Verdict.SKIPPED})
_TABLES = {
    "meta": [("schema_version", "INTEGER")],
    "links": [("key", "TEXT"), ("url", "TEXT"), ("first_seen", "REAL"),
              ("last_checked", "REAL")],
    "observations": [("key", "TEXT"), ("checked", "REAL"), ("kind", "TEXT"),
                     ("status", "INTEGER"), ("final_url", "TEXT"), ("final_host", "TEXT"),
                     ("hops", "TEXT"), ("detail", "TEXT"), ("attempts", "INTEGER"),
                     ("elapsed", "REAL"), ("evidence", "TEXT")],
}
_CREATE = (
    "CREATE TABLE meta(schema_version INTEGER NOT NULL)",
    "CREATE TABLE links(key TEXT PRIMARY KEY, url TEXT NOT NULL, first_seen REAL NOT NULL, "
    "last_checked REAL NOT NULL)",
    "CREATE TABLE observations(key TEXT NOT NULL, checked REAL NOT NULL, kind TEXT NOT NULL, "
    "status INTEGER, final_url TEXT, final_host TEXT, hops TEXT NOT NULL, detail TEXT NOT NULL, "
    "attempts INTEGER NOT NULL, elapsed REAL NOT NULL, evidence TEXT NOT NULL, "
    "PRIMARY KEY (key, checked))",
)
_OBSERVATION_NAMES = [name for name, _ in _TABLES["observations"][2:]]  # after key, checked
_OBSERVATION_COLUMNS = ", ".join(_OBSERVATION_NAMES)
#: A stored row that plainly worked (:func:`_ends_streak`, in SQL; a test holds them equal).
_PLAIN_ROW = ("kind = 'http' AND hops = '[]' AND typeof(status) = 'integer' AND status BETWEEN "
              "200 AND 299 AND typeof(evidence) = 'text' AND instr(evidence, '\"gone\"') = 0")
#: Every stored row of some keys, newest first.
_EVERY_ROW = (f"SELECT key, checked, {_OBSERVATION_COLUMNS} FROM observations "
              "WHERE key IN ({keys}) ORDER BY key, checked DESC")
#: The newest row of some keys and whether the one before it plainly worked (a last column:
#: 1, 0, or NULL when there is none), in a seek per key each: a link that kept working needs no
#: more (see :meth:`LinkCache.histories`); older rows are read when a history needs them.
_NEWEST_ROWS = (
    "WITH wanted(key) AS (VALUES {values}) "
    f"SELECT o.key, o.checked, {', '.join(f'o.{name}' for name in _OBSERVATION_NAMES)}, "
    f"(SELECT {_PLAIN_ROW} FROM observations WHERE key = wanted.key AND checked < o.checked "
    "ORDER BY checked DESC LIMIT 1) "
    "FROM wanted JOIN observations AS o ON o.key = wanted.key AND o.checked = "
    "(SELECT max(checked) FROM observations WHERE key = wanted.key)")


def user_cache_path() -> Path:
    """The user cache directory's ``awesome-lint/links.sqlite3`` (no override):
    ``$XDG_CACHE_HOME`` if absolute, else ``~/.cache`` (Linux and others),
    ``~/Library/Caches`` (macOS), ``%LOCALAPPDATA%`` (Windows)."""
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


def default_cache_path() -> Path:
    """Where the cache lives unless told otherwise.

    ``$AWESOME_LINT_CACHE_DIR/links.sqlite3`` if that variable is set, else
    :func:`user_cache_path`. (Either is refused when it lies inside the repository being linted:
    see :class:`LinkCache`.)
    """
    override = os.environ.get("AWESOME_LINT_CACHE_DIR")
    if override:
        return Path(override).expanduser() / CACHE_FILENAME
    return user_cache_path()


def open_link_cache(*, max_age: float, failure_age: float, use_cache: bool = True,
                    repositories: Iterable[Path] = ()) -> LinkCache:
    """The run's cache at :func:`default_cache_path`. ``use_cache`` False (``--no-cache``):
    nothing is read, and what the run saw is recorded, so that a later run does not trust an
    older observation. ``repositories``: the linted files' directories (see :class:`LinkCache`).
    """
    return LinkCache(default_cache_path(), max_age=max_age, failure_age=failure_age,
                     now=now, read=use_cache, repositories=repositories)


def repository_root(start: Path) -> Path | None:
    """The git work tree ``start`` is in (the nearest directory with a ``.git`` entry), or None.

    Read from the file system only: no git command runs (a repository's config could run one).
    """
    try:
        here = start.resolve()
    except (OSError, RuntimeError):
        return None
    for directory in (here, *here.parents):
        try:
            if (directory / ".git").exists():
                return directory
        except OSError:
            continue
    return None


def _inside(path: Path, roots: Iterable[Path]) -> Path | None:
    """The first of ``roots`` that ``path`` (resolved, symlinks followed) lies in, if any."""
    try:
        real = path.expanduser().resolve()
    except (OSError, RuntimeError):
        real = Path.cwd() / path.expanduser()
    for root in roots:
        try:
            real_root = root.resolve()
        except (OSError, RuntimeError):
            continue
        if real == real_root or real_root in real.parents:
            return root
    return None


def _forbidden_roots(repositories: Iterable[Path]) -> list[Path]:
    """The repositories a cache must not live in: the current directory's, the workspace of a
    GitHub Actions job, and the linted files' (``repositories``)."""
    roots: list[Path] = []
    try:
        current = repository_root(Path.cwd())
    except OSError:
        current = None
    if current is not None:
        roots.append(current)
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        roots.append(Path(workspace))
    for repository in repositories:
        root = repository_root(repository) or repository
        roots.append(root)
    return roots


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

    def get(self, url: str, judge: Callable[[Observation], LinkStatus | None], *,
            scope: str = "") -> LinkStatus | None: ...
    def get_many(self, urls: Iterable[str], judge: Callable[[Observation], LinkStatus | None],
                 *, scope: str = "") -> dict[str, LinkStatus]: ...
    def histories(self, urls: Iterable[str], *, scope: str = ""
                  ) -> dict[str, list[Observation]]: ...
    def put_many(self, observations: Iterable[Observation], *, scope: str = "") -> None: ...
    def prune(self) -> int: ...
    def close(self) -> None: ...


class _Older(Enum):
    """In place of the rows older than a URL's newest, not read yet: whether the first of them
    plainly worked."""

    PLAIN = "plain"
    OTHER = "other"


_Row = tuple[Any, ...] | Observation | _Older


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
    """Observations on disk, keyed by a keyed hash of the URL. Use as a context manager.

    ``read=False`` (``--no-cache``): :meth:`get` answers nothing, :meth:`put_many` still
    records. ``repositories``: the linted files' directories; a cache inside one of their
    repositories (or the current directory's, or ``$GITHUB_WORKSPACE``) is not used.
    """

    def __init__(
        self,
        path: Path,
        *,
        max_age: float,
        failure_age: float,
        now: Callable[[], float] = time.time,
        read: bool = True,
        repositories: Iterable[Path] = (),
    ) -> None:
        self.path = Path(path).expanduser()
        self.max_age = _seconds(max_age)
        self.failure_age = _seconds(failure_age)
        self.read = read
        self.warnings: list[str] = []
        self._now = now
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        self._secret = b""
        self._keyed: hmac.HMAC | None = None
        self._keyed_secret = b""
        self._wrote = False
        #: The rows :meth:`_rows` read (scope -> URL -> rows), until the next write.
        self._memo: dict[str, dict[str, list[_Row]]] = {}
        if self._place(list(repositories)):
            self._open()

    # -- public API ---------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        """False once the cache has disabled itself (or was closed)."""
        return self._conn is not None

    def ttl(self, verdict: Verdict) -> float:
        """How long an observation judged ``verdict`` stays fresh (0: never)."""
        if verdict in _NEVER:
            return 0.0
        return self.max_age if verdict in _SUCCESS else self.failure_age

    def key(self, url: str, scope: str = "") -> str:
        """The stored key of ``url``: HMAC-SHA256 under this cache's secret (hex)."""
        message = f"{scope}\n{url}".encode("utf-8", "surrogatepass")
        keyed = self._keyed
        if keyed is None or self._keyed_secret != self._secret:  # the secret set up once
            keyed = self._keyed = hmac.new(self._secret, digestmod=hashlib.sha256)
            self._keyed_secret = self._secret
        mac = keyed.copy()  # the same HMAC as hmac.new(secret, message), a third of the work
        mac.update(message)
        return mac.hexdigest()

    def get(self, url: str, judge: Callable[[Observation], LinkStatus | None], *,
            scope: str = "") -> LinkStatus | None:
        """The newest observation of ``url`` as ``judge`` sees it, if still fresh for that
        verdict; else None (also when reading is off, or ``judge`` cannot tell)."""
        if not self.read:
            return None
        latest = self.history(url, 1, scope=scope)
        return self._fresh(latest[0], judge, self._now()) if latest else None

    def get_many(self, urls: Iterable[str], judge: Callable[[Observation], LinkStatus | None],
                 *, scope: str = "") -> dict[str, LinkStatus]:
        """:meth:`get` for many URLs at once (a query per 500): the fresh ones only."""
        if not self.read:
            return {}
        stored = self._rows(urls, scope)
        try:
            observed = [_decoded(url, rows, 0) for url, rows in stored.items() if rows]
        except _CorruptError as exc:
            with self._lock:
                self._recover(str(exc))
            return {}
        now = self._now()
        found = {}
        for one in observed:
            status = self._fresh(one, judge, now)
            if status is not None:
                found[one.url] = status
        return found

    def histories(self, urls: Iterable[str], *, scope: str = "") -> dict[str, list[Observation]]:
        """Each URL's stored observations, newest first, as far as a history needs them: up to
        the first one after the newest that plainly worked (a 2xx answer without redirects,
        working under any policy), where every streak of failures ends; the newest alone when
        it and the one before both plainly worked (a link that kept working: nothing to tell).
        Read even with ``read=False``: what earlier runs saw is history, not an answer to
        trust. The newest rows :meth:`get_many` just read are not read again; the older ones
        only for the URLs whose history goes on past the newest."""
        found: dict[str, list[Observation]] = {}
        try:
            rows_of = self._rows(urls, scope, remembered=True)
            longer = [url for url, rows in rows_of.items() if len(rows) > 1 and not (
                rows[1] is _Older.PLAIN and _ends_streak(rows[0]))]
            if longer:
                rows_of.update(self._rows(longer, scope, every=True))
            for url, rows in rows_of.items():
                if not rows:
                    continue
                if len(rows) == 1 or rows[1] is _Older.PLAIN:  # nothing older, or kept working
                    found[url] = [_decoded(url, rows, 0)]
                    continue
                kept = []
                for index in range(len(rows)):
                    kept.append(_decoded(url, rows, index))
                    if index and plainly_working(kept[-1]):
                        break
                if kept:
                    found[url] = kept
        except _CorruptError as exc:
            with self._lock:
                self._recover(str(exc))
            return {}
        return found

    def _rows(self, urls: Iterable[str], scope: str, *, remembered: bool = False,
              every: bool = False) -> dict[str, list[_Row]]:
        """The stored rows of each URL, newest first: the newest and an :class:`_Older` for
        the rest, or ``every`` row (a query per 500 keys; each row decoded in place when first
        used: :func:`_decoded`). What was read is kept per scope until the next write, and with
        ``remembered`` taken from there when every URL is."""
        memo = self._memo.setdefault(scope, {})
        if remembered:
            urls = list(urls)
            if all(url in memo for url in urls):
                return {url: memo[url] for url in urls}
        wanted = {self.key(url, scope): url for url in urls}
        keys = list(wanted)
        stored: dict[str, list[_Row]] = {key: [] for key in keys}
        with self._lock:
            if self._conn is None:
                return {}
            try:
                for start in range(0, len(keys), _BATCH):
                    chunk = keys[start:start + _BATCH]
                    if every:
                        for row in self._conn.execute(_EVERY_ROW.format(
                                keys=",".join("?" * len(chunk))), chunk):
                            stored[row[0]].append(row)
                        continue
                    for row in self._conn.execute(_NEWEST_ROWS.format(
                            values=",".join(["(?)"] * len(chunk))), chunk):
                        older = row[-1]
                        stored[row[0]] = [row] if older is None else [
                            row, _Older.PLAIN if older else _Older.OTHER]
            except sqlite3.Error as exc:
                self._trouble(exc, "read")
                return {}
            found = {url: stored[key] for key, url in wanted.items()}
            memo.update(found)
        return found

    def _fresh(self, observed: Observation, judge: Callable[[Observation], LinkStatus | None],
               now: float) -> LinkStatus | None:
        status = judge(observed)
        if status is None:
            return None
        age = now - observed.checked
        if not 0.0 <= age < self.ttl(status.verdict):
            return None
        return status

    def history(self, url: str, limit: int = HISTORY, *, scope: str = "") -> list[Observation]:
        """The newest ``limit`` observations of ``url``, newest first (``url`` filled in)."""
        with self._lock:
            if self._conn is None:
                return []
            try:
                rows = self._conn.execute(
                    f"SELECT checked, {_OBSERVATION_COLUMNS} FROM observations "
                    "WHERE key = ? ORDER BY checked DESC LIMIT ?",
                    (self.key(url, scope), max(0, limit)),
                ).fetchall()
            except sqlite3.Error as exc:
                self._trouble(exc, "read")
                return []
            try:
                return [_decode(url, row) for row in rows]
            except _CorruptError as exc:
                self._recover(str(exc))
                return []

    def put_many(self, observations: Iterable[Observation], *, scope: str = "") -> None:
        """Record observations in one transaction, each URL's history kept to ``HISTORY`` rows
        and to what a history reads (up to the last row that plainly worked)."""
        links: list[tuple[str, str, float, float]] = []
        rows: list[tuple[Any, ...]] = []
        for observed in observations:
            row = self._encode(observed, scope)
            if row is not None:
                links.append((row[0], redact_url(observed.url), row[1], row[1]))
                rows.append(row)
        if not rows:
            return

        def body(conn: sqlite3.Connection) -> None:
            conn.executemany(
                "INSERT INTO links(key, url, first_seen, last_checked) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET url = excluded.url, "
                "last_checked = max(last_checked, excluded.last_checked)", links)
            conn.executemany(
                f"INSERT OR REPLACE INTO observations(key, checked, {_OBSERVATION_COLUMNS}) "
                f"VALUES ({', '.join('?' * (len(_TABLES['observations'])))})", rows)
            conn.executemany(
                "DELETE FROM observations WHERE key = ?1 AND checked < (SELECT checked FROM "
                "observations WHERE key = ?1 ORDER BY checked DESC LIMIT 1 OFFSET ?2)",
                [(key, HISTORY - 1) for key in {row[0] for row in rows}])
            # What no history reads: the rows before the newest one that plainly worked, short
            # of the row written (a link that keeps working keeps two rows, not ten).
            conn.executemany(
                "DELETE FROM observations WHERE key = ?1 AND checked < (SELECT max(checked) "
                f"FROM observations WHERE key = ?1 AND checked < ?2 AND {_PLAIN_ROW})",
                [(row[0], row[1]) for row in rows])

        with self._lock:
            self._memo = {}
            if self._transaction(body, "write"):
                self._wrote = True

    def prune(self) -> int:
        """Forget URLs not checked for ``RETENTION`` seconds (or with a clock ahead of ours);
        returns how many."""
        with self._lock:
            if self._conn is None:
                return 0
            now = self._now()
            deleted: list[int] = []
            self._memo = {}

            def body(conn: sqlite3.Connection) -> None:
                where = "last_checked < ? OR last_checked > ?"
                bounds = (now - RETENTION, now + 86400.0)
                conn.execute("DELETE FROM observations WHERE key IN "
                             f"(SELECT key FROM links WHERE {where})", bounds)
                deleted.append(conn.execute(f"DELETE FROM links WHERE {where}", bounds).rowcount)
                conn.execute("DELETE FROM observations WHERE key NOT IN (SELECT key FROM links)")

            if not self._transaction(body, "prune"):
                return 0
            return deleted[0] if deleted else 0

    def close(self) -> None:
        """Forget long-unchecked URLs if this run wrote, then close the database (idempotent);
        the cache is disabled afterwards."""
        if self._wrote:
            self._wrote = False
            self.prune()
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

    # -- where --------------------------------------------------------------------------------

    def _place(self, repositories: list[Path]) -> bool:
        """Keep the cache out of the repository being linted; False: no cache at all."""
        roots = _forbidden_roots(repositories)
        inside = _inside(self.path.parent, roots)
        if inside is None:
            return True
        fallback = user_cache_path()
        why = (f"link cache {self.path.parent} is inside the repository {inside}, where a pull "
               "request could plant results; not using it")
        if _inside(fallback.parent, roots) is None and fallback != self.path:
            self._warn(f"{why}: using {fallback.parent} instead")
            self.path = fallback
            return True
        self._warn(f"{why}; links are checked without a cache")
        return False

    # -- encoding -----------------------------------------------------------------------------

    def _encode(self, observed: Observation, scope: str) -> tuple[Any, ...] | None:
        """The observations row of ``observed`` (keyed, every URL redacted), or None when it
        cannot be stored."""
        checked = observed.checked or self._now()
        final = observed.final_url
        if final is not None and (redact_url(final) != final or has_userinfo(final)):
            final = None  # a secret in the target: not stored, and never offered as a fix
        hops = [[redact_url(hop.url), hop.status] for hop in observed.hops]
        try:
            evidence = json.dumps(dict(observed.evidence), separators=(",", ":"),
                                  allow_nan=False)
            hops_text = json.dumps(hops, separators=(",", ":"))
        except (TypeError, ValueError):
            return None
        if not math.isfinite(checked):
            return None
        return (self.key(observed.url, scope), float(checked), observed.kind.value,
                observed.status, final, observed.final_host, hops_text,
                observed.detail, observed.attempts, float(observed.elapsed), evidence)

    # -- opening and recovery -----------------------------------------------------------------

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            self._disable(f"cannot create {self.path.parent} ({exc.strerror or exc})")
            return
        try:
            self._secret = self._load_secret()
        except OSError as exc:
            self._disable(f"cannot keep its key beside {self.path} ({exc.strerror or exc})")
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

    def _load_secret(self) -> bytes:
        """The per-cache HMAC secret from ``<name>.key`` (0600), made when missing or unusable.

        Published with a hard link, so concurrent first runs agree on one secret; a key file
        that is not a regular file of 64 hex digits is replaced (its keys are then unreachable
        and pruned in time)."""
        path = self.path.with_name(self.path.name + ".key")
        for _ in range(3):
            existing = _read_secret(path)
            if existing is not None:
                return existing
            temp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_NOFOLLOW", 0), 0o600)
            try:
                with os.fdopen(fd, "w", encoding="ascii") as out:
                    out.write(secrets.token_hex(32))
                try:
                    os.link(temp, path)
                except FileExistsError:
                    if _read_secret(path) is None:  # unusable: replace it
                        temp.replace(path)
                        self._warn(f"link cache key {path} was unusable; made a new one")
                except OSError:  # no hard links on this file system: first come, first kept
                    if not path.exists():
                        with contextlib.suppress(OSError):
                            temp.rename(path)
            finally:
                with contextlib.suppress(OSError):
                    temp.unlink()
        found = _read_secret(path)
        if found is None:
            raise OSError(f"{path} is not a usable key file")
        return found

    def _connect(self) -> sqlite3.Connection:
        """Open, configure and check (or create) the database; raises on any trouble."""
        created = not self.path.exists()
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
        if created:
            with contextlib.suppress(OSError):
                self.path.chmod(0o600)
        return conn

    def _ensure_schema(self, conn: sqlite3.Connection) -> None:
        """Create the tables in an empty file, replace an older schema's (its rows were
        verdicts, which cannot be judged again), refuse a newer one, check the columns."""
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        version = _schema_version(conn) if "meta" in tables else None
        if not tables or (version is not None and version < SCHEMA_VERSION):
            conn.execute("BEGIN IMMEDIATE")
            try:  # again inside the lock: another process may have done it meanwhile
                tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
                version = _schema_version(conn) if "meta" in tables else None
                if not tables or (version is not None and version < SCHEMA_VERSION):
                    for name in tables & {"meta", "links", "observations"}:
                        conn.execute(f"DROP TABLE {name}")
                    for statement in _CREATE:
                        conn.execute(statement)
                    conn.execute("INSERT INTO meta(schema_version) VALUES (?)",
                                 (SCHEMA_VERSION,))
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            version = _schema_version(conn) if "meta" in tables else None
        if not set(_TABLES) <= tables or version is None:
            raise _CorruptError(f"unexpected tables {sorted(tables)}")
        if version > SCHEMA_VERSION:
            raise _UnusableError(
                f"{self.path} was written by a newer awesome-lint "
                f"(schema {version}); not using it"
            )
        for table, expected in _TABLES.items():
            columns = [(r[1], str(r[2]).upper())
                       for r in conn.execute(f"PRAGMA table_info({table})")]
            if columns != expected:
                raise _CorruptError(f"unexpected {table} columns {columns}")

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
        self._memo = {}
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()


class NullCache:
    """A cache that remembers nothing."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    @property
    def enabled(self) -> bool:
        """Always False."""
        return False

    def get(self, url: str, judge: Callable[[Observation], LinkStatus | None], *,
            scope: str = "") -> LinkStatus | None:
        """Always None."""
        return None

    def get_many(self, urls: Iterable[str], judge: Callable[[Observation], LinkStatus | None],
                 *, scope: str = "") -> dict[str, LinkStatus]:
        """Always empty."""
        return {}

    def history(self, url: str, limit: int = HISTORY, *, scope: str = "") -> list[Observation]:
        """Always empty."""
        return []

    def histories(self, urls: Iterable[str], *, scope: str = "") -> dict[str, list[Observation]]:
        """Always empty."""
        return {}

    def put_many(self, observations: Iterable[Observation], *, scope: str = "") -> None:
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


def _seconds(value: float) -> float:
    """A non-negative, finite number of seconds (NaN: 0)."""
    number = float(value)
    return 0.0 if math.isnan(number) or number < 0 else min(number, 1e12)


def _schema_version(conn: sqlite3.Connection) -> int:
    try:
        versions = [row[0] for row in conn.execute("SELECT schema_version FROM meta")]
    except sqlite3.OperationalError as exc:  # "no such column"
        raise _CorruptError(f"bad meta table ({exc})") from None
    if len(versions) != 1 or not isinstance(versions[0], int) or isinstance(versions[0], bool):
        raise _CorruptError(f"bad schema version {versions!r}")
    return versions[0]


def _read_secret(path: Path) -> bytes | None:
    """The secret in ``path`` if it is a regular file (not a link) of 64 hex digits."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size != 64:
            return None
        text = os.read(fd, 65).decode("ascii", "replace")
    finally:
        os.close(fd)
    try:
        return bytes.fromhex(text) if len(text) == 64 else None
    except ValueError:
        return None


_KINDS = {kind.value: kind for kind in Kind}


def _decode(url: str, row: tuple[Any, ...]) -> Observation:
    """A stored row as an Observation of ``url``; raises _CorruptError when unreadable."""
    (checked, kind, status, final_url, final_host, hops_text, detail, attempts, elapsed,
     evidence_text) = row
    try:
        if (hops_text == "[]" and evidence_text == "{}" and type(checked) is float
                and type(elapsed) is float and type(status) is int and type(attempts) is int
                and type(detail) is str):
            # most rows: a page that answered at once (what the general path below makes)
            return Observation(url, _KINDS[kind], status, (),
                               final_url if type(final_url) is str else None,
                               final_host if type(final_host) is str else None,
                               detail, attempts, elapsed, checked, {})
        # Most rows have no hops and no evidence: no JSON to parse then.
        hops = () if hops_text == "[]" else tuple(Hop(str(u), int(code))
                                                  for u, code in json.loads(hops_text))
        evidence = {} if evidence_text == "{}" else json.loads(evidence_text)
        if not isinstance(evidence, dict):
            raise ValueError("evidence is not an object")
        for number in (checked, elapsed):
            if isinstance(number, bool) or not isinstance(number, (int, float)):
                raise ValueError(f"not a number: {number!r}")
        if status is not None and (isinstance(status, bool) or not isinstance(status, int)):
            raise ValueError(f"bad status {status!r}")
        return Observation(
            url=url, kind=_KINDS[kind], status=status, hops=hops,
            final_url=final_url if isinstance(final_url, str) else None,
            final_host=final_host if isinstance(final_host, str) else None,
            detail=str(detail), attempts=int(attempts), elapsed=float(elapsed),
            checked=float(checked), evidence=evidence,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _CorruptError(f"unreadable row ({type(exc).__name__}: {exc})") from None


def _decoded(url: str, rows: list[_Row], index: int) -> Observation:
    """``rows[index]`` as an Observation of ``url``, decoded once (kept in ``rows``)."""
    row = rows[index]
    if isinstance(row, Observation):
        return row
    assert not isinstance(row, _Older), "older rows are read before they are decoded"
    rows[index] = observed = _decode(url, row[1:11])  # (key first; a last column may follow)
    return observed


def _ends_streak(row: _Row) -> bool:
    """Whether a stored row plainly worked (:func:`plainly_working`), read off the raw row
    without decoding it (a row that is not readable does not)."""
    if isinstance(row, Observation):
        return plainly_working(row)
    if isinstance(row, _Older):
        return row is _Older.PLAIN
    kind, status, hops, evidence = row[2], row[3], row[6], row[10]
    return (kind == Kind.HTTP.value and hops == "[]" and type(status) is int
            and 200 <= status < 300 and type(evidence) is str and '"gone"' not in evidence)


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
