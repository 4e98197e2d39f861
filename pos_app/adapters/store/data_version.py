"""Whether another process has committed to the database since we last looked.

SQLite's `PRAGMA data_version` changes when another connection commits, never for our own
commits: a query of a few microseconds, so the sync worker may ask twice a second and hear
of a sale made by `pos-app sale` (or a `queue retry`) at once instead of at its next minute."""

from __future__ import annotations

import sqlite3

from .database import Database, Repository, on_db_thread


class DataVersionWatch(Repository):
    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self._seen: int | None = None

    @on_db_thread
    def _version(self, conn: sqlite3.Connection) -> int:
        return int(conn.execute("PRAGMA data_version").fetchone()[0])

    async def changed(self) -> bool:
        """True when another process committed since the previous call (False the first
        time: that call only takes the baseline)."""
        version = await self._version()
        changed = self._seen is not None and version != self._seen
        self._seen = version
        return changed
