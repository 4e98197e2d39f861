"""Refunds and voids: receipts of their own, linked to the sale they correct.

A correction is committed like a sale (its row, its `pending` outbox row, its audit entry, its
place in the open shift) plus its link, in one transaction. The rules that depend on what is
already recorded are checked under the write lock, against the corrections read in that same
transaction: a voided sale is never refunded, a refunded one never voided, a sale is voided at
most once and only while its shift is open, and a refund is planned from the refunds before it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pos_app.domain.refunds import RefundError

from . import audit_repo
from .audit_repo import AuditEvent
from .database import Repository, on_db_thread, write_transaction
from .sales_repo import insert_sale
from .shifts_repo import link_to_open_shift, open_shift_id, shift_of


@dataclass(frozen=True, slots=True)
class CorrectionRow:
    receipt_id: str
    order_number: str
    kind: str
    reason: str
    record_json: str


# What the service builds once it knows the earlier corrections and the order number:
# (cart_json, record_json, payload, total).
CorrectionDraft = tuple[str, str, bytes, Decimal]
CorrectionBuilder = Callable[[list[CorrectionRow], str], CorrectionDraft]


class CorrectionsRepo(Repository):
    @on_db_thread
    def record_correction(
        self,
        conn: sqlite3.Connection,
        prefix: str,
        receipt_id: str,
        created_at: datetime,
        original_id: str,
        kind: str,
        build: CorrectionBuilder,
        *,
        currency: str,
        reason: str = "",
    ) -> str:
        """Commits a refund or void of `original_id`; returns its order number. `build(earlier
        corrections, order number)` runs inside the transaction (quick, no I/O) and may raise
        RefundError to refuse; then nothing is stored."""
        now = self.db.now()
        with write_transaction(conn):
            earlier = _corrections(conn, original_id)
            original = conn.execute(
                "SELECT order_number FROM sales WHERE receipt_id = ?", (original_id,)
            ).fetchone()
            if original is None:
                raise RefundError([f"no sale {original_id}"])
            (number,) = original
            if conn.execute(
                "SELECT 1 FROM corrections WHERE receipt_id = ?", (original_id,)
            ).fetchone():
                raise RefundError([f"{number} is itself a refund or a void"])
            if any(c.kind == "void" for c in earlier):
                raise RefundError([f"{number} was voided: it cannot be refunded or voided"])
            if kind == "void":
                if earlier:
                    raise RefundError([f"{number} was refunded: it cannot be voided"])
                if shift_of(conn, original_id) != open_shift_id(conn, prefix):
                    raise RefundError(
                        [f"{number} belongs to a closed shift: refund it instead of voiding"]
                    )
            drafts: list[CorrectionDraft] = []

            def payload(order_number: str) -> bytes:
                drafts.append(build(earlier, order_number))
                return drafts[-1][2]

            # The total is only known once built: the row is written with it below.
            order_number = insert_sale(
                conn,
                now,
                prefix,
                receipt_id,
                created_at,
                "{}",
                payload,
                currency=currency,
                total=Decimal(0),
            )
            cart_json, record_json, _, total = drafts[-1]
            conn.execute(
                "UPDATE sales SET cart_json = ?, total = ? WHERE receipt_id = ?",
                (cart_json, format(total, "f"), receipt_id),
            )
            conn.execute(
                "INSERT INTO corrections (receipt_id, original_id, kind, reason, record_json)"
                " VALUES (?, ?, ?, ?, ?)",
                (receipt_id, original_id, kind, reason, record_json),
            )
            link_to_open_shift(conn, receipt_id, prefix)
            audit_repo.append(
                conn,
                now,
                AuditEvent.VOIDED if kind == "void" else AuditEvent.REFUNDED,
                receipt_id,
                {
                    "order_number": order_number,
                    "original": number,
                    "original_receipt_id": original_id,
                    "total": format(total, "f"),
                    "currency": currency,
                    "register": prefix,
                    "reason": reason,
                },
            )
        return order_number

    @on_db_thread
    def for_original(self, conn: sqlite3.Connection, original_id: str) -> list[CorrectionRow]:
        """The corrections of a sale, oldest first."""
        return _corrections(conn, original_id)

    @on_db_thread
    def original_of(self, conn: sqlite3.Connection, receipt_id: str) -> str | None:
        row = conn.execute(
            "SELECT original_id FROM corrections WHERE receipt_id = ?", (receipt_id,)
        ).fetchone()
        return None if row is None else str(row[0])


def _corrections(conn: sqlite3.Connection, original_id: str) -> list[CorrectionRow]:
    rows = conn.execute(
        "SELECT c.receipt_id, s.order_number, c.kind, c.reason, c.record_json"
        " FROM corrections AS c JOIN sales AS s ON s.receipt_id = c.receipt_id"
        " WHERE c.original_id = ? ORDER BY s.id",
        (original_id,),
    ).fetchall()
    return [CorrectionRow(*row) for row in rows]
