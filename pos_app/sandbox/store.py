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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

Kind = Literal["customers", "locations"]
Collection = Literal["customers", "locations", "receipts"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS receipts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    receipt_id TEXT NOT NULL UNIQUE,
    business TEXT NOT NULL,
    body TEXT NOT NULL,
    document TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS customers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    business TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS customers_business ON customers (business, seq);
CREATE TABLE IF NOT EXISTS locations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    business TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS locations_business ON locations (business, seq);
CREATE INDEX IF NOT EXISTS receipts_business ON receipts (business, seq);
"""


@dataclass(frozen=True)
class NewReceipt:
    id: str
    receipt_id: str
    business: str
    body: str  # exactly what the client sent
    document: str  # what GET answers


@dataclass(frozen=True)
class StoredReceipt:
    id: str
    receipt_id: str
    body: str
    document: str
    attempts: int


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
        self._db.executescript(_SCHEMA)

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

    def add_receipts(self, receipts: Sequence[NewReceipt]) -> list[StoredReceipt | str]:
        """Insert each receipt in one transaction. For a receiptId the server already holds,
        the answer is that receipt's server id (and its attempt count goes up) instead."""
        with self._transaction() as db:
            return [self._add_receipt(db, receipt) for receipt in receipts]

    @staticmethod
    def _add_receipt(db: sqlite3.Connection, receipt: NewReceipt) -> StoredReceipt | str:
        # One statement either way: a new row keeps our id, a known receiptId returns its own.
        (stored_id,) = db.execute(
            "INSERT INTO receipts (id, receipt_id, business, body, document) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (receipt_id) DO UPDATE SET attempts = attempts + 1 RETURNING id",
            (receipt.id, receipt.receipt_id, receipt.business, receipt.body, receipt.document),
        ).fetchone()
        if stored_id != receipt.id:
            return str(stored_id)
        return StoredReceipt(receipt.id, receipt.receipt_id, receipt.body, receipt.document, 1)

    def find_receipt(self, doc_id: str) -> str | None:
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
                "SELECT id, receipt_id, body, document, attempts FROM receipts ORDER BY seq"
            ).fetchall()
        return [StoredReceipt(*row) for row in rows]

    # ----------------------------------------------------------------------------------------
    # Customers and locations

    def add_document(
        self,
        kind: Kind,
        business: str,
        doc_id: str,
        document: str,
        email: str | None = None,
        phone: str | None = None,
    ) -> None:
        with self._transaction() as db:
            if kind == "locations":
                db.execute(
                    "INSERT INTO locations (id, business, email, phone, document)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (doc_id, business, email, phone, document),
                )
            else:
                db.execute(
                    "INSERT INTO customers (id, business, document) VALUES (?, ?, ?)",
                    (doc_id, business, document),
                )

    def replace_document(
        self,
        kind: Kind,
        business: str,
        doc_id: str,
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

    def get_document(self, kind: Collection, business: str, doc_id: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT document FROM {_table(kind)} WHERE id = ? AND business = ?",
                (doc_id, business),
            ).fetchone()
        return row[0] if row else None

    def delete_document(self, kind: Kind, business: str, doc_id: str) -> bool:
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
                f" ORDER BY seq {order} LIMIT ? OFFSET ?",
                (business, limit, offset),
            ).fetchall()
        return Page([row[0] for row in rows], int(count))

    def location_taken(
        self, business: str, email: str | None, phone: str | None, except_id: str | None
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


def _table(kind: str) -> str:
    # Table names cannot be bound parameters; only these three ever reach the SQL text.
    if kind not in ("customers", "locations", "receipts"):
        raise ValueError(f"unknown collection {kind!r}")
    return kind
