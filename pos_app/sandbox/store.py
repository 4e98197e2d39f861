"""The sandbox's SQLite storage: receipts, customers and locations as JSON documents.

One connection for the life of the server, serialized by a lock (the server's event loop and
a test's thread may both read), in WAL mode with synchronous=NORMAL: opening a connection per
request or syncing every commit would cap the sandbox far below the ~1000 POSTs/s it must take.
Documents are kept as the JSON text they are served as, so a GET is a read and nothing else.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

Kind = Literal["customers", "locations"]
Collection = Literal["customers", "locations", "receipts"]

# PRAGMA user_version of this layout. Ids are longs, as the reference has them, and receiptId
# is not unique: the documented API keeps a second copy (de-duplication is an option).
_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS receipts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    receipt_id TEXT,
    business TEXT NOT NULL,
    body TEXT NOT NULL,
    document TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS receipts_business ON receipts (business, id);
CREATE INDEX IF NOT EXISTS receipts_receipt_id ON receipts (business, receipt_id);
CREATE TABLE IF NOT EXISTS customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    business TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS customers_business ON customers (business, id);
CREATE TABLE IF NOT EXISTS locations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    business TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS locations_business ON locations (business, id);
"""
_TABLES = ("receipts", "customers", "locations")

# What GET answers for a row, from the id the row was given.
Render = Callable[[int], str]


@dataclass(frozen=True)
class NewReceipt:
    receipt_id: str | None
    business: str
    body: str  # exactly what the client sent
    render: Render


@dataclass(frozen=True)
class StoredReceipt:
    id: int
    receipt_id: str | None
    body: str
    document: str
    attempts: int


@dataclass(frozen=True)
class Added:
    """What became of one receipt: `created` False means de-duplication answered with the
    receipt already held; `copies_before` counts the receipts with its receiptId before."""

    receipt: StoredReceipt
    created: bool
    copies_before: int


@dataclass(frozen=True)
class Page:
    documents: list[str]
    count: int


class SandboxStore:
    def __init__(self, path: str | os.PathLike[str] | None = None):
        self._temp_path: str | None = None
        if path is None:
            handle, self._temp_path = tempfile.mkstemp(prefix="pos-sandbox-", suffix=".sqlite")
            os.close(handle)
            path = self._temp_path
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        # isolation_level=None: we say BEGIN ourselves, so a batch is one transaction.
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        with self._transaction() as db:
            _set_aside_older_layout(db)
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._db.close()
        if self._temp_path:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(self._temp_path + suffix):
                    os.remove(self._temp_path + suffix)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # ----------------------------------------------------------------------------------------
    # Receipts

    def add_receipts(self, receipts: Sequence[NewReceipt], *, dedupe: bool) -> list[Added]:
        """Store the receipts in one transaction. With `dedupe`, one whose receiptId this
        business already holds is not stored again: its attempt count goes up instead."""
        with self._transaction() as db:
            return [self._add_receipt(db, receipt, dedupe) for receipt in receipts]

    @staticmethod
    def _add_receipt(db: sqlite3.Connection, receipt: NewReceipt, dedupe: bool) -> Added:
        known: list[tuple[int, str, str, int]] = []
        if receipt.receipt_id is not None:
            known = db.execute(
                "SELECT id, body, document, attempts FROM receipts"
                " WHERE business = ? AND receipt_id = ? ORDER BY id",
                (receipt.business, receipt.receipt_id),
            ).fetchall()
        if dedupe and known:
            doc_id, body, document, attempts = known[0]
            db.execute("UPDATE receipts SET attempts = attempts + 1 WHERE id = ?", (doc_id,))
            held = StoredReceipt(doc_id, receipt.receipt_id, body, document, attempts + 1)
            return Added(held, created=False, copies_before=len(known))
        doc_id = _insert(
            db,
            "INSERT INTO receipts (receipt_id, business, body, document) VALUES (?, ?, ?, '')",
            (receipt.receipt_id, receipt.business, receipt.body),
        )
        document = receipt.render(doc_id)
        db.execute("UPDATE receipts SET document = ? WHERE id = ?", (document, doc_id))
        stored = StoredReceipt(doc_id, receipt.receipt_id, receipt.body, document, 1)
        return Added(stored, created=True, copies_before=len(known))

    def find_receipt(self, doc_id: int) -> str | None:
        """A receipt's document by server id, whatever its business (for its public page)."""
        with self._lock:
            row = self._db.execute(
                "SELECT document FROM receipts WHERE id = ?", (doc_id,)
            ).fetchone()
        return row[0] if row else None

    def receipt_count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM receipts").fetchone()[0])

    def all_receipts(self) -> list[StoredReceipt]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, receipt_id, body, document, attempts FROM receipts ORDER BY id"
            ).fetchall()
        return [StoredReceipt(*row) for row in rows]

    # ----------------------------------------------------------------------------------------
    # Customers and locations

    def add_document(
        self,
        kind: Kind,
        business: str,
        render: Render,
        email: str | None = None,
        phone: str | None = None,
    ) -> str:
        """Store a new customer or location; its document is rendered from its new id."""
        with self._transaction() as db:
            if kind == "locations":
                doc_id = _insert(
                    db,
                    "INSERT INTO locations (business, email, phone, document) VALUES (?, ?, ?, '')",
                    (business, email, phone),
                )
            else:
                doc_id = _insert(
                    db, "INSERT INTO customers (business, document) VALUES (?, '')", (business,)
                )
            document = render(doc_id)
            db.execute(f"UPDATE {_table(kind)} SET document = ? WHERE id = ?", (document, doc_id))
        return document

    def replace_document(
        self,
        kind: Kind,
        business: str,
        doc_id: int,
        document: str,
        email: str | None = None,
        phone: str | None = None,
    ) -> bool:
        with self._transaction() as db:
            if kind == "locations":
                cursor = db.execute(
                    "UPDATE locations SET document = ?, email = ?, phone = ?"
                    " WHERE id = ? AND business = ?",
                    (document, email, phone, doc_id, business),
                )
            else:
                cursor = db.execute(
                    "UPDATE customers SET document = ? WHERE id = ? AND business = ?",
                    (document, doc_id, business),
                )
            return cursor.rowcount == 1

    def get_document(self, kind: Collection, business: str, doc_id: int) -> str | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT document FROM {_table(kind)} WHERE id = ? AND business = ?",
                (doc_id, business),
            ).fetchone()
        return row[0] if row else None

    def delete_document(self, kind: Kind, business: str, doc_id: int) -> bool:
        with self._transaction() as db:
            cursor = db.execute(
                f"DELETE FROM {_table(kind)} WHERE id = ? AND business = ?", (doc_id, business)
            )
            return cursor.rowcount == 1

    def page(
        self, kind: Collection, business: str, *, offset: int, limit: int, newest_first: bool
    ) -> Page:
        table = _table(kind)
        order = "DESC" if newest_first else "ASC"
        with self._lock:
            count = self._db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE business = ?", (business,)
            ).fetchone()[0]
            rows = self._db.execute(
                f"SELECT document FROM {table} WHERE business = ?"
                f" ORDER BY id {order} LIMIT ? OFFSET ?",
                (business, limit, offset),
            ).fetchall()
        return Page([row[0] for row in rows], int(count))

    def location_taken(
        self, business: str, email: str | None, phone: str | None, except_id: int | None
    ) -> bool:
        """Whether another location of this business already has this email or phone."""
        if not email and not phone:
            return False
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM locations"
                " WHERE business = ? AND id IS NOT ? AND (email = ? OR phone = ?)",
                (business, except_id, email, phone),
            ).fetchone()
        return row is not None


def _insert(db: sqlite3.Connection, sql: str, values: tuple[object, ...]) -> int:
    row_id = db.execute(sql, values).lastrowid
    assert row_id is not None  # an INSERT always gives one
    return row_id


def _set_aside_older_layout(db: sqlite3.Connection) -> None:
    """A database from an older sandbox (text ids, unique receiptId) keeps its rows under
    `<table>_v0`, out of the way; the sandbox starts afresh beside them."""
    (version,) = db.execute("PRAGMA user_version").fetchone()
    if version >= _VERSION:
        return
    for table in _TABLES:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        if "seq" in columns:
            db.execute(f"DROP INDEX IF EXISTS {table}_business")
            db.execute(f"ALTER TABLE {table} RENAME TO {table}_v0")


def _table(kind: str) -> str:
    # Table names cannot be bound parameters; only these three ever reach the SQL text.
    if kind not in ("customers", "locations", "receipts"):
        raise ValueError(f"unknown collection {kind!r}")
    return kind
