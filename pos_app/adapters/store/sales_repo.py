"""Sales: the committed facts, with the frozen request body each one is sent with, and what
the history screen shows about them."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from pos_app.domain.order_number import format_order_number, prefix_problem

from . import audit_repo
from .audit_repo import AuditEvent
from .database import Repository, like_escape, on_db_thread, write_transaction
from .errors import UnknownSaleError
from .shifts_repo import link_to_open_shift
from .timestamps import from_optional, from_text, to_text


@dataclass(frozen=True, slots=True)
class SaleSummary:
    """One line of the history screen."""

    receipt_id: str
    order_number: str
    created_at: datetime
    currency: str
    total: Decimal
    sync_state: str  # the outbox state: pending, sending, done, needs_attention, paused
    last_error: str | None
    server_id: str | None
    server_url: str | None
    synced_at: datetime | None
    printed_at: datetime | None


@dataclass(frozen=True, slots=True)
class Sale(SaleSummary):
    """A whole sale: the summary plus the cart it was rung from and the exact body sent."""

    cart_json: str
    payload: bytes


# In the order of SaleSummary's fields.
_SUMMARY_COLUMNS = """
    s.receipt_id, s.order_number, s.created_at, s.currency, s.total, o.state, o.last_error,
    s.server_id, s.server_url, s.synced_at, s.printed_at
"""
_SUMMARY_FIELDS = [f.name for f in fields(SaleSummary)]
_FROM = " FROM sales AS s JOIN outbox AS o ON o.receipt_id = s.receipt_id "


class SalesRepo(Repository):
    @on_db_thread
    def record_sale(
        self,
        conn: sqlite3.Connection,
        prefix: str,
        receipt_id: str,
        created_at: datetime,
        cart_json: str,
        payload_factory: Callable[[str], bytes],
        *,
        currency: str,
        total: Decimal,
        shift_register: str | None = None,
    ) -> str:
        """Commits a finished sale and its queue entry; returns its order number.

        One transaction allocates the next number for `prefix`, builds the body with
        `payload_factory(order_number)` (it runs on the database thread under the write lock,
        so it must be quick and do no I/O), stores sale, `pending` outbox row and audit entry,
        and commits durably. If anything raises, nothing is stored and the number is not used:
        numbers never skip or repeat, whatever instant the process dies at. With
        `shift_register`, the sale joins that register's open shift, and is refused
        (ShiftError, nothing stored) when none is open."""
        now = self.db.now()
        with write_transaction(conn):
            order_number = insert_sale(
                conn,
                now,
                prefix,
                receipt_id,
                created_at,
                cart_json,
                payload_factory,
                currency=currency,
                total=total,
            )
            if shift_register is not None:
                link_to_open_shift(conn, receipt_id, shift_register)
            audit_repo.append(
                conn,
                now,
                AuditEvent.SALE_FINISHED,
                receipt_id,
                {
                    "order_number": order_number,
                    "total": format(total, "f"),
                    "currency": currency,
                    "register": prefix,
                },
            )
        return order_number

    @on_db_thread
    def get_by_receipt_id(self, conn: sqlite3.Connection, receipt_id: str) -> Sale | None:
        return _get(conn, "s.receipt_id = ?", receipt_id)

    @on_db_thread
    def get_by_order_number(self, conn: sqlite3.Connection, order_number: str) -> Sale | None:
        return _get(conn, "s.order_number = ?", order_number)

    @on_db_thread
    def list_recent(
        self, conn: sqlite3.Connection, limit: int = 50, offset: int = 0
    ) -> list[SaleSummary]:
        """Newest first, a page at a time."""
        rows = conn.execute(
            f"SELECT {_SUMMARY_COLUMNS} {_FROM} ORDER BY s.id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [_summary(row) for row in rows]

    @on_db_thread
    def search(
        self,
        conn: sqlite3.Connection,
        text: str | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        amount: Decimal | None = None,
        limit: int = 100,
    ) -> list[SaleSummary]:
        """Sales matching every criterion given, newest first.

        `text` matches anywhere in the order number ("42" finds A1-000042) or the start of the
        receipt id; `since` is inclusive and `until` exclusive; `amount` is the exact total,
        whatever its number of decimals ("12.3" finds "12.30")."""
        where: list[str] = []
        params: list[object] = []
        if text and text.strip():
            pattern = like_escape(text.strip())
            where.append("(s.order_number LIKE ? ESCAPE '\\' OR s.receipt_id LIKE ? ESCAPE '\\')")
            params += [f"%{pattern}%", f"{pattern}%"]
        if since is not None:
            where.append("s.created_at >= ?")
            params.append(to_text(since))
        if until is not None:
            where.append("s.created_at < ?")
            params.append(to_text(until))
        if amount is not None:
            # Totals are stored with their currency's decimals ("12.30", "500"); both sides are
            # compared without trailing fractional zeros, which keeps the match exact (no
            # float) and independent of the currency.
            where.append(
                "(CASE WHEN instr(s.total, '.') > 0 THEN rtrim(rtrim(s.total, '0'), '.')"
                " ELSE s.total END) = ?"
            )
            params.append(format(amount.normalize(), "f"))
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = conn.execute(
            f"SELECT {_SUMMARY_COLUMNS} {_FROM} {clause} ORDER BY s.id DESC LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [_summary(row) for row in rows]

    @on_db_thread
    def mark_printed(self, conn: sqlite3.Connection, receipt_id: str) -> None:
        """Notes a print. `printed_at` keeps the first one (the customer's copy); every print,
        reprints included, is in the audit log."""
        now = self.db.now()
        with write_transaction(conn):
            updated = conn.execute(
                "UPDATE sales SET printed_at = coalesce(printed_at, ?) WHERE receipt_id = ?",
                (to_text(now), receipt_id),
            ).rowcount
            if not updated:
                raise UnknownSaleError(receipt_id)
            audit_repo.append(conn, now, AuditEvent.PRINTED, receipt_id)


def insert_sale(
    conn: sqlite3.Connection,
    now: datetime,
    prefix: str,
    receipt_id: str,
    created_at: datetime,
    cart_json: str,
    payload_factory: Callable[[str], bytes],
    *,
    currency: str,
    total: Decimal,
) -> str:
    """Inside the caller's transaction: the next order number of `prefix`, the receipt's row
    and its `pending` outbox row. Returns the order number."""
    if problem := prefix_problem(prefix):
        raise ValueError(f"register prefix {prefix!r}: {problem}")
    uuid.UUID(receipt_id)  # a malformed id would be refused by the server forever
    if not isinstance(total, Decimal):
        raise TypeError(f"total must be a Decimal, not {type(total).__name__}")
    ((sequence,),) = conn.execute(
        "INSERT INTO counters (prefix, last_sequence) VALUES (?, 1)"
        " ON CONFLICT (prefix) DO UPDATE SET last_sequence = last_sequence + 1"
        " RETURNING last_sequence",
        (prefix,),
    ).fetchall()
    order_number = format_order_number(prefix, sequence)
    payload = payload_factory(order_number)
    if not isinstance(payload, bytes):
        raise TypeError(f"payload_factory returned {type(payload).__name__}, not bytes")
    conn.execute(
        "INSERT INTO sales (receipt_id, order_number, created_at, currency, total,"
        " cart_json, payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            receipt_id,
            order_number,
            to_text(created_at),
            currency,
            format(total, "f"),
            cart_json,
            payload,
        ),
    )
    conn.execute(
        "INSERT INTO outbox (receipt_id, state, next_attempt_at, updated_at)"
        " VALUES (?, 'pending', ?, ?)",
        (receipt_id, to_text(now), to_text(now)),
    )
    return order_number


def _get(conn: sqlite3.Connection, condition: str, value: str) -> Sale | None:
    row = conn.execute(
        f"SELECT {_SUMMARY_COLUMNS}, s.cart_json, s.payload {_FROM} WHERE {condition}", (value,)
    ).fetchone()
    if row is None:
        return None
    return Sale(**_summary_fields(row[:-2]), cart_json=row[-2], payload=row[-1])


def _summary(row: tuple[Any, ...]) -> SaleSummary:
    return SaleSummary(**_summary_fields(row))


def _summary_fields(row: tuple[Any, ...]) -> dict[str, Any]:
    """The fields of a SaleSummary from a row of _SUMMARY_COLUMNS, decoded."""
    values = dict(zip(_SUMMARY_FIELDS, row, strict=True))
    values["created_at"] = from_text(values["created_at"])
    values["total"] = Decimal(values["total"])
    values["synced_at"] = from_optional(values["synced_at"])
    values["printed_at"] = from_optional(values["printed_at"])
    return values
