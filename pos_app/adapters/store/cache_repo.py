"""Local copies of the server's customers and locations, searchable offline, and customers
created while offline until the server has them.

The documents are stored as given (opaque JSON): reading wire fields is the API adapter's
business, so the caller passes the name, e-mail and phone to search on alongside.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pos_app.domain.remote import LOCAL_ID_PREFIX

from .database import Database, Repository, like_escape, on_db_thread, write_transaction
from .timestamps import from_text, to_text


@dataclass(frozen=True, slots=True)
class CachedDocument:
    """A cached server document. `pending_create` and `updated_at` are filled in by the
    store on reading; they are ignored when a document is written."""

    id: str
    doc: Mapping[str, Any]
    name: str = ""
    email: str = ""
    phone: str = ""
    pending_create: bool = False
    updated_at: datetime | None = field(default=None, compare=False)


class DocumentCache(Repository):
    """One cache table (customers_cache or locations_cache)."""

    def __init__(self, db: Database, table: str) -> None:
        super().__init__(db)
        if table not in ("customers_cache", "locations_cache"):
            raise ValueError(f"not a cache table: {table!r}")
        self.table = table

    @on_db_thread
    def upsert_many(self, conn: sqlite3.Connection, docs: Iterable[CachedDocument]) -> int:
        """Stores server documents (adding or replacing by id) in one transaction."""
        now = to_text(self.db.now())
        values = [_values(d, now, pending=False) for d in docs]
        with write_transaction(conn):
            conn.executemany(
                f"INSERT INTO {self.table} (id, doc, name, email, phone, search_text,"
                " pending_create, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, name = excluded.name,"
                " email = excluded.email, phone = excluded.phone,"
                " search_text = excluded.search_text, pending_create = 0,"
                " updated_at = excluded.updated_at",
                values,
            )
        return len(values)

    @on_db_thread
    def get(self, conn: sqlite3.Connection, doc_id: str) -> CachedDocument | None:
        row = conn.execute(f"SELECT {_COLUMNS} FROM {self.table} WHERE id = ?", (doc_id,))
        found = row.fetchone()
        return None if found is None else _document(found)

    @on_db_thread
    def search(self, conn: sqlite3.Connection, text: str, limit: int = 20) -> list[CachedDocument]:
        """Documents whose name, e-mail or phone contain every word of `text` (case and
        accents ignored; a phone matches with or without its punctuation)."""
        words = fold(text).split()
        if not words:
            return []
        where = " AND ".join(["search_text LIKE ? ESCAPE '\\'"] * len(words))
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM {self.table} WHERE {where} ORDER BY name, id LIMIT ?",
            (*(f"%{like_escape(w)}%" for w in words), limit),
        ).fetchall()
        return [_document(row) for row in rows]

    @on_db_thread
    def remove(self, conn: sqlite3.Connection, doc_id: str) -> bool:
        """Forgets a document (deleted on the server); False if it was not cached."""
        with write_transaction(conn):
            return conn.execute(f"DELETE FROM {self.table} WHERE id = ?", (doc_id,)).rowcount > 0


class CustomersCache(DocumentCache):
    def __init__(self, db: Database) -> None:
        super().__init__(db, "customers_cache")

    @on_db_thread
    def create_local(
        self,
        conn: sqlite3.Connection,
        doc: Mapping[str, Any],
        name: str = "",
        email: str = "",
        phone: str = "",
    ) -> CachedDocument:
        """A customer created while offline: stored under a `local-<uuid>` id and flagged
        for creation on the server (see `list_pending`, `replace_local_id`)."""
        now = self.db.now()
        created = CachedDocument(
            f"{LOCAL_ID_PREFIX}{uuid.uuid4()}", doc, name, email, phone, True, now
        )
        with write_transaction(conn):
            conn.execute(
                f"INSERT INTO {self.table} (id, doc, name, email, phone, search_text,"
                " pending_create, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                _values(created, to_text(now), pending=True),
            )
        return created

    @on_db_thread
    def list_pending(self, conn: sqlite3.Connection) -> list[CachedDocument]:
        """Customers created offline and not yet on the server, oldest first."""
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM {self.table} WHERE pending_create = 1 ORDER BY updated_at, id"
        ).fetchall()
        return [_document(row) for row in rows]

    @on_db_thread
    def replace_local_id(
        self, conn: sqlite3.Connection, local_id: str, created: CachedDocument
    ) -> None:
        """The server created the customer: its document, under the server's id, takes the
        place of the local one, in one transaction (never both, never neither)."""
        now = to_text(self.db.now())
        with write_transaction(conn):
            removed = conn.execute(
                f"DELETE FROM {self.table} WHERE id = ? AND pending_create = 1", (local_id,)
            ).rowcount
            if not removed:
                raise LookupError(f"no customer pending creation with id {local_id!r}")
            conn.execute(
                f"INSERT OR REPLACE INTO {self.table} (id, doc, name, email, phone,"
                " search_text, pending_create, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                _values(created, now, pending=False),
            )


class LocationsCache(DocumentCache):
    def __init__(self, db: Database) -> None:
        super().__init__(db, "locations_cache")


_COLUMNS = "id, doc, name, email, phone, pending_create, updated_at"


def fold(text: str) -> str:
    """Lower case without accents ("Éloïse" -> "eloise"): what search compares."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _values(d: CachedDocument, now: str, *, pending: bool) -> tuple[object, ...]:
    digits = re.sub(r"\D", "", d.phone)
    search_text = fold(f"{d.name} {d.email} {d.phone}") + f" {digits}"
    doc = json.dumps(dict(d.doc), ensure_ascii=False)
    return (d.id, doc, d.name, d.email, d.phone, search_text, int(pending), now)


def _document(row: tuple[Any, ...]) -> CachedDocument:
    doc_id, doc, name, email, phone, pending, updated_at = row
    return CachedDocument(
        doc_id, json.loads(doc), name, email, phone, bool(pending), from_text(updated_at)
    )
