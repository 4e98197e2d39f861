"""The outbox: one row per sale, saying where its delivery to the API stands.

    pending --claim_due--> sending --mark_done------------> done
                                   --mark_retry-----------> pending, due later
                                   --mark_needs_attention-> needs_attention
                                   --mark_paused----------> paused
    needs_attention --retry, replace_payload--> pending
    paused --resume_paused--> pending
    sending (left by a crash) --recover_sending--> pending

Every transition checks the state it starts from and appends to the audit log in the same
transaction. The sync worker decides which outcome applies (api-contract.md section 4); this
module only records it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pos_app.domain.remote import FieldError

from . import audit_repo
from .audit_repo import AuditEvent
from .database import Repository, on_db_thread, write_transaction
from .errors import OutboxStateError, UnknownSaleError
from .timestamps import from_text, to_text

# Errors arrive scrubbed and short; the cut only bounds what a misbehaving server can make us
# store in every row.
MAX_ERROR_CHARS = 500


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DONE = "done"
    NEEDS_ATTENTION = "needs_attention"
    PAUSED = "paused"


@dataclass(frozen=True, slots=True)
class ClaimedReceipt:
    """A receipt handed to the sync worker: send `payload` as is, keyed by `receipt_id`."""

    receipt_id: str
    order_number: str
    payload: bytes
    attempts: int  # attempts made before this one
    # When it was first handed to a sender (None: never). The server cannot have created it
    # before then.
    first_sent_at: datetime | None

    @property
    def maybe_delivered(self) -> bool:
        """Whether an earlier attempt may have reached the server: it was handed to a sender
        before and not settled (an ambiguous failure, or a stop while it was in flight)."""
        return self.first_sent_at is not None


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """A queue row with what the sync screen shows about its sale."""

    receipt_id: str
    order_number: str
    created_at: datetime
    currency: str
    total: Decimal
    state: OutboxState
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    field_errors: tuple[FieldError, ...]
    updated_at: datetime


class OutboxRepo(Repository):
    @on_db_thread
    def claim_due(
        self, conn: sqlite3.Connection, now: datetime, limit: int = 10
    ) -> list[ClaimedReceipt]:
        """Moves up to `limit` pending rows due at `now` to `sending`, and returns them: those
        being sent again first, then the others, each oldest due first. A claimed row is the
        worker's until it reports an outcome; one left in `sending` by a crash is queued
        again by `recover_sending` at the next start."""
        at = self.db.now()
        with write_transaction(conn):
            # Receipts being sent again first (their look-up reads less the sooner it
            # runs), then the rest, each oldest due first.
            rows = [
                *conn.execute(_CLAIM.format(where="o.attempts > 0"), (to_text(now), limit)),
                *conn.execute(_CLAIM.format(where="o.attempts = 0"), (to_text(now), limit)),
            ][:limit]
            for receipt_id, _, _, attempts, _ in rows:
                conn.execute(
                    "UPDATE outbox SET state = 'sending', updated_at = ? WHERE receipt_id = ?",
                    (to_text(at), receipt_id),
                )
                audit_repo.append(
                    conn, at, AuditEvent.SENDING, receipt_id, {"attempt": attempts + 1}
                )
        return [
            ClaimedReceipt(
                receipt_id, order, payload, attempts, None if sent is None else from_text(sent)
            )
            for receipt_id, order, payload, attempts, sent in rows
        ]

    @on_db_thread
    def mark_done(
        self, conn: sqlite3.Connection, receipt_id: str, server_id: str | None, url: str | None
    ) -> None:
        """The server holds the receipt (2xx, or 409 DUPLICATE_RECEIPT)."""
        _mark_done(conn, self.db.now(), [(receipt_id, server_id, url)])

    @on_db_thread
    def mark_done_many(
        self, conn: sqlite3.Connection, done: Sequence[tuple[str, str | None, str | None]]
    ) -> None:
        """`mark_done` for many receipts (receipt_id, server_id, url) in one transaction: the
        sync worker settles a whole chunk with one durable commit instead of one per receipt.
        A crash before it commits only means resends, which the server answers as duplicates."""
        if done:
            _mark_done(conn, self.db.now(), done)

    @on_db_thread
    def mark_retry(
        self,
        conn: sqlite3.Connection,
        receipt_id: str,
        next_attempt_at: datetime,
        error: str,
        *,
        count_attempt: bool = True,
    ) -> None:
        """Back to `pending`, due at `next_attempt_at`. `count_attempt=False` for a 429, which
        the contract says is not a failed attempt (the backoff grows with `attempts`)."""
        now = self.db.now()
        error = error[:MAX_ERROR_CHARS]
        with write_transaction(conn):
            _move(
                conn,
                receipt_id,
                OutboxState.SENDING,
                "state = 'pending', attempts = attempts + ?, next_attempt_at = ?,"
                " last_error = ?, updated_at = ?",
                (int(count_attempt), to_text(next_attempt_at), error, to_text(now)),
            )
            audit_repo.append(
                conn,
                now,
                AuditEvent.FAILED,
                receipt_id,
                {
                    "error": error,
                    "next_attempt_at": to_text(next_attempt_at),
                    "counted": count_attempt,
                },
            )

    @on_db_thread
    def mark_needs_attention(
        self,
        conn: sqlite3.Connection,
        receipt_id: str,
        message: str,
        field_errors: Sequence[FieldError] = (),
    ) -> None:
        """The server refused the content (400/422): not retried until someone acts."""
        now = self.db.now()
        message = message[:MAX_ERROR_CHARS]
        errors_json = json.dumps([_field_error_doc(e) for e in field_errors], ensure_ascii=False)
        with write_transaction(conn):
            _move(
                conn,
                receipt_id,
                OutboxState.SENDING,
                "state = 'needs_attention', attempts = attempts + 1, last_error = ?,"
                " field_errors = ?, updated_at = ?",
                (message, errors_json, to_text(now)),
            )
            audit_repo.append(
                conn,
                now,
                AuditEvent.NEEDS_ATTENTION,
                receipt_id,
                {"message": message, "field_errors": json.loads(errors_json)},
            )

    @on_db_thread
    def mark_paused(self, conn: sqlite3.Connection, receipt_id: str, message: str) -> None:
        """The account or credentials need an owner (second 401, 402/403/404 on create): the
        receipt waits, untouched and uncounted, until `resume_paused`."""
        now = self.db.now()
        message = message[:MAX_ERROR_CHARS]
        with write_transaction(conn):
            _move(
                conn,
                receipt_id,
                OutboxState.SENDING,
                "state = 'paused', last_error = ?, updated_at = ?",
                (message, to_text(now)),
            )
            audit_repo.append(conn, now, AuditEvent.PAUSED, receipt_id, {"message": message})

    @on_db_thread
    def resume_paused(self, conn: sqlite3.Connection) -> int:
        """Every paused receipt becomes due now; returns how many."""
        return _requeue_all(conn, self.db.now(), OutboxState.PAUSED, AuditEvent.RESUMED)

    @on_db_thread
    def recover_sending(self, conn: sqlite3.Connection) -> int:
        """At start-up, before the sync worker runs: rows a crash left in `sending` are due
        again now. Each may or may not have reached the server; the resend carries the same
        receipt id and body, and a duplicate answer settles it. Returns how many."""
        return _requeue_all(conn, self.db.now(), OutboxState.SENDING, AuditEvent.RECOVERED)

    @on_db_thread
    def retry(self, conn: sqlite3.Connection, order_number: str) -> bool:
        """Someone asked to send a receipt that needs attention again, unchanged. Its attempts
        start again from zero, so the backoff does too. False if that sale does not need
        attention (already queued, sent, or unknown)."""
        now = self.db.now()
        with write_transaction(conn):
            row = conn.execute(
                "SELECT o.receipt_id FROM outbox AS o JOIN sales AS s"
                " ON s.receipt_id = o.receipt_id"
                " WHERE s.order_number = ? AND o.state = 'needs_attention'",
                (order_number,),
            ).fetchone()
            if row is None:
                return False
            _requeue(conn, row[0], now)
            audit_repo.append(conn, now, AuditEvent.RETRIED, row[0])
        return True

    @on_db_thread
    def replace_payload(self, conn: sqlite3.Connection, receipt_id: str, payload: bytes) -> bool:
        """Stores a corrected body for a receipt the server refused and queues it, with the
        same receipt id. Only a `needs_attention` receipt may change: any other may already
        be on the server, and a different body under its id would go unnoticed behind the
        duplicate answer. False (nothing changed) in any other state."""
        if not isinstance(payload, bytes):
            raise TypeError(f"payload must be bytes, not {type(payload).__name__}")
        now = self.db.now()
        with write_transaction(conn):
            row = conn.execute(
                "SELECT o.state, s.payload FROM outbox AS o JOIN sales AS s"
                " ON s.receipt_id = o.receipt_id WHERE o.receipt_id = ?",
                (receipt_id,),
            ).fetchone()
            if row is None:
                raise UnknownSaleError(receipt_id)
            state, old_payload = row
            if state != OutboxState.NEEDS_ATTENTION:
                return False
            conn.execute("UPDATE sales SET payload = ? WHERE receipt_id = ?", (payload, receipt_id))
            _requeue(conn, receipt_id, now)
            audit_repo.append(
                conn,
                now,
                AuditEvent.EDITED,
                receipt_id,
                {
                    "old_sha256": hashlib.sha256(old_payload).hexdigest(),
                    "new_sha256": hashlib.sha256(payload).hexdigest(),
                },
            )
        return True

    @on_db_thread
    def counts(self, conn: sqlite3.Connection) -> dict[OutboxState, int]:
        """How many rows are in each state (every state present, zeros included)."""
        found = dict(conn.execute("SELECT state, count(*) FROM outbox GROUP BY state"))
        return {state: found.get(state.value, 0) for state in OutboxState}

    @on_db_thread
    def list_by_state(
        self, conn: sqlite3.Connection, state: OutboxState, limit: int = 500
    ) -> list[OutboxEntry]:
        """Rows in `state`, oldest sale first."""
        rows = conn.execute(
            "SELECT o.receipt_id, s.order_number, s.created_at, s.currency, s.total, o.state,"
            " o.attempts, o.next_attempt_at, o.last_error, o.field_errors, o.updated_at"
            " FROM outbox AS o JOIN sales AS s ON s.receipt_id = o.receipt_id"
            " WHERE o.state = ? ORDER BY s.id LIMIT ?",
            (OutboxState(state).value, limit),
        ).fetchall()
        return [_entry(row) for row in rows]

    @on_db_thread
    def next_due_at(self, conn: sqlite3.Connection) -> datetime | None:
        """When the earliest pending row falls due (None if nothing is pending): the sync
        worker sleeps until then or until a new sale nudges it."""
        (at,) = conn.execute(
            "SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'"
        ).fetchone()
        return None if at is None else from_text(at)


# Due pending rows with, for each, when it was first handed to a sender (the earliest SENDING
# event before this claim; its attempts may be 0 after a stop in flight).
_CLAIM = (
    "SELECT o.receipt_id, s.order_number, s.payload, o.attempts,"
    " (SELECT min(a.at) FROM audit_log AS a"
    "  WHERE a.receipt_id = o.receipt_id AND a.event = 'sending')"
    " FROM outbox AS o JOIN sales AS s ON s.receipt_id = o.receipt_id"
    " WHERE o.state = 'pending' AND {where} AND o.next_attempt_at <= ?"
    " ORDER BY o.next_attempt_at, o.rowid LIMIT ?"
)


def _mark_done(
    conn: sqlite3.Connection, now: datetime, done: Sequence[tuple[str, str | None, str | None]]
) -> None:
    with write_transaction(conn):
        for receipt_id, server_id, url in done:
            _move(
                conn,
                receipt_id,
                OutboxState.SENDING,
                "state = 'done', attempts = attempts + 1, last_error = NULL,"
                " field_errors = NULL, updated_at = ?",
                (to_text(now),),
            )
            conn.execute(
                "UPDATE sales SET server_id = ?, server_url = ?, synced_at = ?"
                " WHERE receipt_id = ?",
                (server_id, url, to_text(now), receipt_id),
            )
            audit_repo.append(
                conn, now, AuditEvent.SENT, receipt_id, {"server_id": server_id, "url": url}
            )


def _move(
    conn: sqlite3.Connection,
    receipt_id: str,
    expected: OutboxState,
    assignments: str,
    params: tuple[object, ...],
) -> None:
    """`UPDATE outbox SET <assignments>` on one row, only if it is in `expected` state."""
    updated = conn.execute(
        f"UPDATE outbox SET {assignments} WHERE receipt_id = ? AND state = ?",
        (*params, receipt_id, expected.value),
    ).rowcount
    if updated:
        return
    row = conn.execute("SELECT state FROM outbox WHERE receipt_id = ?", (receipt_id,)).fetchone()
    if row is None:
        raise UnknownSaleError(receipt_id)
    raise OutboxStateError(receipt_id, expected.value, row[0])


def _requeue(conn: sqlite3.Connection, receipt_id: str, now: datetime) -> None:
    conn.execute(
        "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?,"
        " updated_at = ? WHERE receipt_id = ?",
        (to_text(now), to_text(now), receipt_id),
    )


def _requeue_all(
    conn: sqlite3.Connection, now: datetime, state: OutboxState, event: AuditEvent
) -> int:
    """Every row in `state` back to `pending`, due now, its attempts kept (a crash or a pause
    says nothing about the receipt itself). It keeps its place in the queue: its due time was
    already past when it was claimed."""
    with write_transaction(conn):
        ids = [
            r[0]
            for r in conn.execute("SELECT receipt_id FROM outbox WHERE state = ?", (state.value,))
        ]
        for receipt_id in ids:
            conn.execute(
                "UPDATE outbox SET state = 'pending', next_attempt_at = min(next_attempt_at, ?),"
                " updated_at = ? WHERE receipt_id = ?",
                (to_text(now), to_text(now), receipt_id),
            )
            audit_repo.append(conn, now, event, receipt_id)
    return len(ids)


def _field_error_doc(error: FieldError) -> dict[str, str | None]:
    return {"field": error.field, "message": error.message, "code": error.code}


def _entry(row: tuple[Any, ...]) -> OutboxEntry:
    (receipt_id, order_number, created_at, currency, total, state, attempts) = row[:7]
    (next_attempt_at, last_error, field_errors, updated_at) = row[7:]
    return OutboxEntry(
        receipt_id=receipt_id,
        order_number=order_number,
        created_at=from_text(created_at),
        currency=currency,
        total=Decimal(total),
        state=OutboxState(state),
        attempts=attempts,
        next_attempt_at=from_text(next_attempt_at),
        last_error=last_error,
        field_errors=tuple(FieldError(**doc) for doc in json.loads(field_errors or "[]")),
        updated_at=from_text(updated_at),
    )
