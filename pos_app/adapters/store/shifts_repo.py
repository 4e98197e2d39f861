"""Shifts: at most one open per register, its cash movements, the receipts committed during
it, and its close (the count and the Z report's figures), each in one durable transaction
with its audit entry."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pos_app.domain.shifts import ShiftError

from . import audit_repo
from .audit_repo import AuditEvent
from .database import Repository, on_db_thread, write_transaction
from .timestamps import from_optional, from_text, to_text


@dataclass(frozen=True, slots=True)
class Shift:
    id: int
    register: str
    currency: str
    opened_at: datetime
    opening_float: Decimal
    closed_at: datetime | None
    counted: Decimal | None
    expected: Decimal | None
    report_json: str | None


@dataclass(frozen=True, slots=True)
class CashMovement:
    id: int
    at: datetime
    paid_in: bool
    amount: Decimal
    reason: str


@dataclass(frozen=True, slots=True)
class ShiftReceipt:
    """A receipt of the shift as recorded, for its report."""

    receipt_id: str
    order_number: str
    created_at: datetime
    server_url: str | None
    cart_json: str
    sync_state: str


_SHIFT_COLUMNS = (
    "id, register, currency, opened_at, opening_float, closed_at, counted, expected, report_json"
)


def open_shift_id(conn: sqlite3.Connection, register: str) -> int | None:
    row = conn.execute(
        "SELECT id FROM shifts WHERE register = ? AND closed_at IS NULL", (register,)
    ).fetchone()
    return None if row is None else int(row[0])


def link_to_open_shift(conn: sqlite3.Connection, receipt_id: str, register: str) -> int:
    """Inside the caller's transaction: `receipt_id` joins the open shift of `register`.
    Raises ShiftError (the caller's transaction then rolls back) when none is open."""
    shift_id = open_shift_id(conn, register)
    if shift_id is None:
        raise ShiftError(f"no shift is open on register {register}: open one first")
    conn.execute(
        "INSERT INTO shift_receipts (receipt_id, shift_id) VALUES (?, ?)", (receipt_id, shift_id)
    )
    return shift_id


def shift_of(conn: sqlite3.Connection, receipt_id: str) -> int | None:
    row = conn.execute(
        "SELECT shift_id FROM shift_receipts WHERE receipt_id = ?", (receipt_id,)
    ).fetchone()
    return None if row is None else int(row[0])


class ShiftsRepo(Repository):
    @on_db_thread
    def open(
        self, conn: sqlite3.Connection, register: str, currency: str, opening_float: Decimal
    ) -> Shift:
        if opening_float < 0:
            raise ShiftError(f"float: {opening_float:f} is negative")
        now = self.db.now()
        with write_transaction(conn):
            if open_shift_id(conn, register) is not None:
                raise ShiftError(f"a shift is already open on register {register}: close it first")
            cursor = conn.execute(
                "INSERT INTO shifts (register, currency, opened_at, opening_float)"
                " VALUES (?, ?, ?, ?)",
                (register, currency, to_text(now), format(opening_float, "f")),
            )
            shift_id = cursor.lastrowid
            audit_repo.append(
                conn,
                now,
                AuditEvent.SHIFT_OPENED,
                None,
                {"shift": shift_id, "register": register, "float": format(opening_float, "f")},
            )
            return _shift(conn, "id = ?", shift_id)  # type: ignore[return-value]

    @on_db_thread
    def current(self, conn: sqlite3.Connection, register: str) -> Shift | None:
        return _shift(conn, "register = ? AND closed_at IS NULL", register)

    @on_db_thread
    def get(self, conn: sqlite3.Connection, shift_id: int) -> Shift | None:
        return _shift(conn, "id = ?", shift_id)

    @on_db_thread
    def last_closed(self, conn: sqlite3.Connection, register: str) -> Shift | None:
        return _shift(
            conn, "register = ? AND closed_at IS NOT NULL ORDER BY id DESC LIMIT 1", register
        )

    @on_db_thread
    def move_cash(
        self,
        conn: sqlite3.Connection,
        register: str,
        amount: Decimal,
        reason: str,
        *,
        paid_in: bool,
    ) -> CashMovement:
        """Paid-in (`paid_in`) or paid-out on the open shift of `register`."""
        problems = []
        if amount <= 0:
            problems.append(f"amount: {amount:f} must be more than 0")
        if not reason.strip():
            problems.append("reason: say why the cash goes in or out")
        if problems:
            raise ShiftError("; ".join(problems))
        now = self.db.now()
        with write_transaction(conn):
            shift_id = open_shift_id(conn, register)
            if shift_id is None:
                raise ShiftError(f"no shift is open on register {register}: open one first")
            cursor = conn.execute(
                "INSERT INTO cash_movements (shift_id, at, paid_in, amount, reason)"
                " VALUES (?, ?, ?, ?, ?)",
                (shift_id, to_text(now), int(paid_in), format(amount, "f"), reason.strip()),
            )
            audit_repo.append(
                conn,
                now,
                AuditEvent.CASH_IN if paid_in else AuditEvent.CASH_OUT,
                None,
                {
                    "shift": shift_id,
                    "register": register,
                    "amount": format(amount, "f"),
                    "reason": reason.strip(),
                },
            )
        return CashMovement(cursor.lastrowid or 0, now, paid_in, amount, reason.strip())

    @on_db_thread
    def movements(self, conn: sqlite3.Connection, shift_id: int) -> list[CashMovement]:
        rows = conn.execute(
            "SELECT id, at, paid_in, amount, reason FROM cash_movements WHERE shift_id = ?"
            " ORDER BY id",
            (shift_id,),
        ).fetchall()
        return [CashMovement(i, from_text(at), bool(p), Decimal(a), r) for i, at, p, a, r in rows]

    @on_db_thread
    def receipts(self, conn: sqlite3.Connection, shift_id: int) -> list[ShiftReceipt]:
        """The shift's receipts (sales, refunds, voids) in the order they were committed."""
        rows = conn.execute(
            "SELECT s.receipt_id, s.order_number, s.created_at, s.server_url, s.cart_json,"
            " o.state FROM shift_receipts AS r JOIN sales AS s ON s.receipt_id = r.receipt_id"
            " JOIN outbox AS o ON o.receipt_id = s.receipt_id"
            " WHERE r.shift_id = ? ORDER BY s.id",
            (shift_id,),
        ).fetchall()
        return [ShiftReceipt(a, b, from_text(c), d, e, f) for a, b, c, d, e, f in rows]

    @on_db_thread
    def close(
        self,
        conn: sqlite3.Connection,
        shift_id: int,
        *,
        receipts_seen: int,
        movements_seen: int,
        counted: Decimal,
        count: dict[str, int] | None,
        expected: Decimal,
        report: dict[str, Any],
    ) -> Shift:
        """Closes the shift with its count and Z report, unless a receipt or a movement came
        in since the report was built (ShiftError: build it again)."""
        now = self.db.now()
        with write_transaction(conn):
            row = conn.execute(
                "SELECT register, closed_at FROM shifts WHERE id = ?", (shift_id,)
            ).fetchone()
            if row is None or row[1] is not None:
                raise ShiftError("this shift is already closed")
            (receipts,) = conn.execute(
                "SELECT count(*) FROM shift_receipts WHERE shift_id = ?", (shift_id,)
            ).fetchone()
            (moves,) = conn.execute(
                "SELECT count(*) FROM cash_movements WHERE shift_id = ?", (shift_id,)
            ).fetchone()
            if (receipts, moves) != (receipts_seen, movements_seen):
                raise ShiftError("the shift changed while its report was built: try again")
            conn.execute(
                "UPDATE shifts SET closed_at = ?, counted = ?, count_json = ?, expected = ?,"
                " report_json = ? WHERE id = ?",
                (
                    to_text(now),
                    format(counted, "f"),
                    None if count is None else json.dumps(count),
                    format(expected, "f"),
                    json.dumps(report, ensure_ascii=False),
                    shift_id,
                ),
            )
            audit_repo.append(
                conn,
                now,
                AuditEvent.SHIFT_CLOSED,
                None,
                {
                    "shift": shift_id,
                    "register": row[0],
                    "counted": format(counted, "f"),
                    "expected": format(expected, "f"),
                    "over_short": format(counted - expected, "f"),
                },
            )
            return _shift(conn, "id = ?", shift_id)  # type: ignore[return-value]


def _shift(conn: sqlite3.Connection, condition: str, value: object) -> Shift | None:
    row = conn.execute(
        f"SELECT {_SHIFT_COLUMNS} FROM shifts WHERE {condition}", (value,)
    ).fetchone()
    if row is None:
        return None
    sid, register, currency, opened, opening, closed, counted, expected, report = row
    return Shift(
        sid,
        register,
        currency,
        from_text(opened),
        Decimal(opening),
        from_optional(closed),
        None if counted is None else Decimal(counted),
        None if expected is None else Decimal(expected),
        report,
    )
