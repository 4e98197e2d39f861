"""Carts put on hold mid-sale (a customer forgot an item) and resumed later, on the same till.
They are not sales: no number, no queue entry, nothing sent."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .database import Repository, on_db_thread, write_transaction
from .timestamps import from_text, to_text


@dataclass(frozen=True, slots=True)
class HeldCart:
    id: int
    label: str
    created_at: datetime
    cart_json: str


class HeldCartsRepo(Repository):
    @on_db_thread
    def hold(self, conn: sqlite3.Connection, label: str, cart_json: str) -> HeldCart:
        now = self.db.now()
        with write_transaction(conn):
            cursor = conn.execute(
                "INSERT INTO held_carts (label, created_at, cart_json) VALUES (?, ?, ?)",
                (label, to_text(now), cart_json),
            )
        assert cursor.lastrowid is not None  # an INSERT into a rowid table always has one
        return HeldCart(cursor.lastrowid, label, now, cart_json)

    @on_db_thread
    def get(self, conn: sqlite3.Connection, cart_id: int) -> HeldCart | None:
        row = conn.execute(
            "SELECT id, label, created_at, cart_json FROM held_carts WHERE id = ?", (cart_id,)
        ).fetchone()
        return None if row is None else _held(row)

    @on_db_thread
    def take(self, conn: sqlite3.Connection, cart_id: int) -> HeldCart | None:
        """Resumes a held cart: returns it and removes it in one transaction, so two screens
        can never both resume the same cart. None if it is gone."""
        with write_transaction(conn):
            rows = conn.execute(
                "DELETE FROM held_carts WHERE id = ? RETURNING id, label, created_at, cart_json",
                (cart_id,),
            ).fetchall()
        return _held(rows[0]) if rows else None

    @on_db_thread
    def delete(self, conn: sqlite3.Connection, cart_id: int) -> bool:
        with write_transaction(conn):
            return conn.execute("DELETE FROM held_carts WHERE id = ?", (cart_id,)).rowcount > 0

    @on_db_thread
    def list_all(self, conn: sqlite3.Connection) -> list[HeldCart]:
        """Oldest first: the customer who has waited longest."""
        rows = conn.execute(
            "SELECT id, label, created_at, cart_json FROM held_carts ORDER BY id"
        ).fetchall()
        return [_held(row) for row in rows]


def _held(row: tuple[Any, ...]) -> HeldCart:
    cart_id, label, created_at, cart_json = row
    return HeldCart(cart_id, label, from_text(created_at), cart_json)
