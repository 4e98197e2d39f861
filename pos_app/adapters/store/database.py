"""The one writer: a single SQLite connection living on a single dedicated thread.

Every read and write goes through `Database.run` (async) or `Database.run_sync` (CLI, tests),
which hand a function to that thread. SQLite then never sees two threads, writes are
serialised without locks of our own, and an asyncio loop (qasync in the UI) never waits on
the disk: it awaits a future while the thread does the fsync.
"""

from __future__ import annotations

import asyncio
import functools
import os
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from typing import Concatenate, ParamSpec, TypeVar

from .errors import folder_error
from .migrations import apply_migrations
from .timestamps import utc_now

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R", bound="Repository")

# STRICT tables need 3.37; RETURNING (used to allocate order numbers) needs 3.35.
MIN_SQLITE = (3, 37, 0)


class Database:
    """Owns the connection and its thread. Build it with `Database.open(path)`."""

    def __init__(self, path: str, clock: Callable[[], datetime], busy_timeout_ms: int) -> None:
        self.path = path
        self.clock = clock
        self._busy_timeout_ms = busy_timeout_ms
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pos-db")
        self._conn: sqlite3.Connection | None = None
        self._thread_id: int | None = None
        self._closed = False

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        clock: Callable[[], datetime] = utc_now,
        busy_timeout_ms: int = 5000,
    ) -> Database:
        """Opens (creating if needed) the database file and migrates it to the current schema.
        Blocks until done: call it at start-up, before the UI's loop has work to do."""
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise RuntimeError(
                f"SQLite {sqlite3.sqlite_version} is too old; pos-app needs "
                f"{'.'.join(map(str, MIN_SQLITE))} or newer"
            )
        db = cls(os.fspath(path), clock, busy_timeout_ms)
        try:
            db._executor.submit(db._checked, db._connect).result()
        except BaseException:
            db.close()
            raise
        return db

    def _connect(self) -> None:
        # Created on the worker thread, and check_same_thread stays on: any use from another
        # thread is a bug that SQLite's Python binding then reports instead of tolerating.
        # isolation_level=None: transactions are ours (write_transaction), not the binding's
        # implicit ones. `timeout` is SQLite's busy_timeout: a CLI process writing the same
        # file at the same moment makes us wait, not fail.
        _private(self.path)
        conn = sqlite3.connect(
            self.path, isolation_level=None, timeout=self._busy_timeout_ms / 1000
        )
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                raise RuntimeError(f"{self.path}: SQLite refused WAL mode (got {mode!r})")
            # FULL: a commit is on disk (WAL fsynced) before record_sale returns, so a sale
            # the cashier saw finished survives a power cut, not only a process crash.
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            apply_migrations(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        self._thread_id = threading.get_ident()

    def now(self) -> datetime:
        return self.clock()

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Runs `fn(connection)` on the database thread and returns its result.

        If the awaiting task is cancelled after `fn` has started, `fn` still runs to its end
        (a transaction is never cut in half) but its result is lost: a caller that must know
        whether a write landed looks it up again by its own key (e.g. the receipt id)."""
        self._check_open()
        return await asyncio.wrap_future(self._executor.submit(self._call, fn))

    def run_sync(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Same as `run`, blocking: for the command line, start-up and tests."""
        self._check_open()
        if threading.get_ident() == self._thread_id:
            # Waiting on our own thread's queue from inside a job would never return.
            raise RuntimeError("Database.run_sync called from the database thread itself")
        return self._executor.submit(self._call, fn).result()

    def _call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._conn is None:
            raise RuntimeError("database is closed")
        conn = self._conn
        return self._checked(lambda: fn(conn))

    def _checked(self, work: Callable[[], T]) -> T:
        """`work()`; a SQLite error the folder or disk caused (read-only, full) becomes one
        DataFolderError naming the file (its transaction was rolled back)."""
        try:
            return work()
        except sqlite3.Error as error:
            trouble = folder_error(self.path, error)
            if trouble is None:
                raise
            raise trouble from None

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("database is closed")

    def close(self) -> None:
        """Waits for queued work, then closes the connection and stops the thread."""
        if self._closed:
            return
        self._closed = True
        self._executor.submit(self._disconnect)
        self._executor.shutdown(wait=True)

    def _disconnect(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    async def aclose(self) -> None:
        await asyncio.to_thread(self.close)

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _private(path: str) -> None:
    """The database holds customers' names and e-mails: readable by its owner only (0600,
    like the secrets). SQLite gives its -wal and -shm files the same mode. A database made
    by an older version is tightened too, where we may."""
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        os.chmod(path, 0o600)
    except OSError:
        pass  # a read-only folder or file: opening it says so in its own words


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK if anything raises (a failed COMMIT included).

    IMMEDIATE takes the write lock at the start, so a transaction that reads then writes
    (allocating an order number, claiming rows) can never be refused half-way with BUSY."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def like_escape(text: str) -> str:
    """`text` as a literal inside a LIKE pattern written with `ESCAPE '\\'`."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Repository:
    """Base of the repositories: each holds the Database and runs its work on its thread."""

    def __init__(self, db: Database) -> None:
        self.db = db


def on_db_thread(
    method: Callable[Concatenate[R, sqlite3.Connection, P], T],
) -> Callable[Concatenate[R, P], Awaitable[T]]:
    """Turns `def m(self, conn, ...)` (plain SQLite code) into `async def m(self, ...)` that
    runs on the database thread: each repository method is written once, synchronously."""

    @functools.wraps(method)
    async def wrapper(self: R, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await self.db.run(lambda conn: method(self, conn, *args, **kwargs))

    return wrapper
