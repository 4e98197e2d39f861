"""The Invoiced side of the sandbox: customers, their balance outstanding and the statement
e-mails sent, in SQLite (a file beside the Smartbills one, or memory).

Documents are the reference's customer object, whole; the store knows nothing of pos-app.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from os import PathLike
from typing import Any

from pos_app.sandbox import jsontext

# Every attribute of the reference's customer object, at its value for a new customer.
CUSTOMER_DEFAULTS: dict[str, Any] = {
    "ach_gateway": None,
    "address1": None,
    "address2": None,
    "attention_to": None,
    "autopay": False,
    "autopay_delay_days": None,
    "avalara_entity_use_code": None,
    "avalara_exemption_number": None,
    "cc_gateway": None,
    "chase": True,
    "chasing_cadence": None,
    "city": None,
    "country": None,
    "credit_hold": False,
    "credit_limit": None,
    "currency": None,
    "email": None,
    "language": None,
    "metadata": {},
    "name": None,
    "next_chase_step": None,
    "notes": None,
    "number": None,
    "object": "customer",
    "owner": None,
    "parent_customer": None,
    "payment_source": None,
    "payment_terms": None,
    "phone": None,
    "postal_code": None,
    "sign_up_page": None,
    "sign_up_url": None,
    "state": None,
    "statement_pdf_url": None,
    "tax_id": None,
    "taxable": True,
    "taxes": [],
    "type": "company",
}
# Accepted on create/update but not part of the object the API answers with.
WRITE_ONLY = ("disabled_payment_methods",)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS customers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    number      TEXT NOT NULL UNIQUE,
    doc         TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    outstanding TEXT NOT NULL DEFAULT '0'
);
CREATE TABLE IF NOT EXISTS emails (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL,
    email       TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
"""


@dataclass(frozen=True)
class StoredCustomer:
    id: int
    doc: dict[str, Any]
    outstanding: Decimal


class InvoicedStore:
    def __init__(self, path: str | PathLike[str] | None = None):
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(
            ":memory:" if path is None else str(path), check_same_thread=False
        )
        self._conn.executescript(_SCHEMA)
        self._next_number = self._count() + 1

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _count(self) -> int:
        count: int = self._conn.execute("SELECT COUNT(*) FROM customers").fetchone()[0]
        return count

    # -- customers --------------------------------------------------------------------------

    def create(
        self, fields: Mapping[str, Any], outstanding: Decimal = Decimal(0)
    ) -> StoredCustomer:
        """Stores a new customer. Raises KeyError('number') when the number is taken."""
        now = int(time.time())
        with self._lock:
            number = fields.get("number") or self._generated_number()
            doc = {**CUSTOMER_DEFAULTS, **_visible(fields), "number": number}
            try:
                with self._conn:
                    cursor = self._conn.execute(
                        "INSERT INTO customers (number, doc, created_at, updated_at, outstanding)"
                        " VALUES (?, '{}', ?, ?, ?)",
                        (number, now, now, str(outstanding)),
                    )
                    customer_id = int(cursor.lastrowid or 0)
                    doc |= {"id": customer_id, "created_at": now, "updated_at": now}
                    self._conn.execute(
                        "UPDATE customers SET doc = ? WHERE id = ?", (_dump(doc), customer_id)
                    )
            except sqlite3.IntegrityError:
                raise KeyError("number") from None
        return StoredCustomer(customer_id, doc, outstanding)

    def create_many(self, customers: Iterable[tuple[Mapping[str, Any], Decimal]]) -> int:
        count = 0
        for fields, outstanding in customers:
            self.create(fields, outstanding)
            count += 1
        return count

    def _generated_number(self) -> str:
        while True:
            number = f"CUST-{self._next_number:04d}"
            self._next_number += 1
            taken = self._conn.execute("SELECT 1 FROM customers WHERE number = ?", (number,))
            if taken.fetchone() is None:
                return number

    def get(self, customer_id: int) -> StoredCustomer | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT id, doc, outstanding FROM customers WHERE id = ?", (customer_id,)
            ).fetchone()
        return None if row is None else _stored(row)

    def update(self, customer_id: int, fields: Mapping[str, Any]) -> StoredCustomer | None:
        """Changes the given fields. Raises KeyError('number') when the new number is taken."""
        now = int(time.time())
        with self._lock:
            row = self._conn.execute(
                "SELECT id, doc, outstanding FROM customers WHERE id = ?", (customer_id,)
            ).fetchone()
            if row is None:
                return None
            current = _stored(row)
            doc = {**current.doc, **_visible(fields), "updated_at": now}
            try:
                with self._conn:
                    self._conn.execute(
                        "UPDATE customers SET doc = ?, number = ?, updated_at = ? WHERE id = ?",
                        (_dump(doc), doc["number"], now, customer_id),
                    )
            except sqlite3.IntegrityError:
                raise KeyError("number") from None
        return StoredCustomer(customer_id, doc, current.outstanding)

    def delete(self, customer_id: int) -> bool:
        with self._lock, self._conn:
            cursor = self._conn.execute("DELETE FROM customers WHERE id = ?", (customer_id,))
        return cursor.rowcount > 0

    def all(self) -> list[StoredCustomer]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, doc, outstanding FROM customers ORDER BY id"
            ).fetchall()
        return [_stored(row) for row in rows]

    # -- statement e-mails ------------------------------------------------------------------

    def record_emails(self, customer_id: int, addresses: Iterable[str]) -> list[tuple[int, str]]:
        now = int(time.time())
        sent = []
        with self._lock, self._conn:
            for address in addresses:
                cursor = self._conn.execute(
                    "INSERT INTO emails (customer_id, email, created_at) VALUES (?, ?, ?)",
                    (customer_id, address, now),
                )
                sent.append((int(cursor.lastrowid or 0), address))
        return sent

    def email_count(self, customer_id: int | None = None) -> int:
        with self._lock:
            if customer_id is None:
                row = self._conn.execute("SELECT COUNT(*) FROM emails").fetchone()
            else:
                row = self._conn.execute(
                    "SELECT COUNT(*) FROM emails WHERE customer_id = ?", (customer_id,)
                ).fetchone()
        count: int = row[0]
        return count


def _visible(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k not in WRITE_ONLY}


def _dump(doc: Mapping[str, Any]) -> str:
    return jsontext.dumps(doc).decode()


def _stored(row: tuple[int, str, str]) -> StoredCustomer:
    return StoredCustomer(row[0], jsontext.parse(row[1]), Decimal(row[2]))
