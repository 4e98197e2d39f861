"""Ordinary settings as key -> JSON value. Secrets (API tokens, client secrets) are never
stored here: the database file is copied around for support and backups."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from .database import Repository, on_db_thread, write_transaction
from .timestamps import to_text


class SettingsRepo(Repository):
    @on_db_thread
    def get(self, conn: sqlite3.Connection, key: str, default: Any = None) -> Any:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    @on_db_thread
    def set(self, conn: sqlite3.Connection, key: str, value: Any) -> None:
        """Stores any JSON-serialisable value (raises TypeError before writing otherwise)."""
        text = json.dumps(value, ensure_ascii=False)
        with write_transaction(conn):
            conn.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                " updated_at = excluded.updated_at",
                (key, text, to_text(self.db.now())),
            )

    @on_db_thread
    def delete(self, conn: sqlite3.Connection, key: str) -> bool:
        with write_transaction(conn):
            return conn.execute("DELETE FROM settings WHERE key = ?", (key,)).rowcount > 0

    @on_db_thread
    def list_all(self, conn: sqlite3.Connection) -> dict[str, Any]:
        """Every setting, by key."""
        return {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM settings")}
