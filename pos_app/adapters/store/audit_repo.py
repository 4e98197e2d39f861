"""The audit log: what happened to each sale, in order, never rewritten (the table's triggers
refuse UPDATE and DELETE). Other repositories append inside their own transactions, so an
entry exists exactly when the change it describes was committed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from .database import Repository, on_db_thread
from .timestamps import from_text, to_text


class AuditEvent(StrEnum):
    SALE_FINISHED = "sale_finished"
    SENDING = "sending"  # a send started; with no outcome after it, the app stopped mid-send
    SENT = "sent"
    FAILED = "failed"
    NEEDS_ATTENTION = "needs_attention"
    PAUSED = "paused"
    RESUMED = "resumed"
    RETRIED = "retried"
    EDITED = "edited"
    RECOVERED = "recovered"  # found in `sending` at start-up, queued again
    PRINTED = "printed"
    REFUNDED = "refunded"  # on the refund's receipt id, naming the original
    VOIDED = "voided"  # on the void's receipt id, naming the original
    SHIFT_OPENED = "shift_opened"
    CASH_IN = "cash_in"
    CASH_OUT = "cash_out"
    SHIFT_CLOSED = "shift_closed"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    event: str
    receipt_id: str | None
    detail: dict[str, Any]


def append(
    conn: sqlite3.Connection,
    at: datetime,
    event: str,
    receipt_id: str | None = None,
    detail: Mapping[str, object] | None = None,
) -> None:
    """Adds one entry on `conn`, inside whatever transaction the caller has open."""
    conn.execute(
        "INSERT INTO audit_log (at, event, receipt_id, detail) VALUES (?, ?, ?, ?)",
        (to_text(at), str(event), receipt_id, json.dumps(detail or {}, ensure_ascii=False)),
    )


class AuditLog(Repository):
    @on_db_thread
    def append(
        self,
        conn: sqlite3.Connection,
        event: str,
        receipt_id: str | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> None:
        """An entry of its own, for events no other repository records (a shift closed, a
        reprint asked for...). `event` is an AuditEvent or any other short name."""
        append(conn, self.db.now(), event, receipt_id, detail)

    @on_db_thread
    def for_receipt(self, conn: sqlite3.Connection, receipt_id: str) -> list[AuditEntry]:
        """The history of one sale, oldest first."""
        rows = conn.execute(
            "SELECT id, at, event, receipt_id, detail FROM audit_log"
            " WHERE receipt_id = ? ORDER BY id",
            (receipt_id,),
        ).fetchall()
        return [_entry(row) for row in rows]

    @on_db_thread
    def recent(self, conn: sqlite3.Connection, limit: int = 100) -> list[AuditEntry]:
        """The latest entries, newest first."""
        rows = conn.execute(
            "SELECT id, at, event, receipt_id, detail FROM audit_log ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [_entry(row) for row in rows]


def _entry(row: tuple[Any, ...]) -> AuditEntry:
    entry_id, at, event, receipt_id, detail = row
    return AuditEntry(entry_id, from_text(at), event, receipt_id, json.loads(detail))
