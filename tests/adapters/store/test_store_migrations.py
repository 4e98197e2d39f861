"""Schema migrations: from an empty file, again on re-open, one transaction per migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pos_app.adapters.store import Database, SchemaTooNewError
from pos_app.adapters.store.migrations import MIGRATIONS, apply_migrations, schema_version

TABLES = {
    "sales",
    "outbox",
    "counters",
    "customers_cache",
    "locations_cache",
    "settings",
    "held_carts",
    "audit_log",
    "catalog",
    "catalog_fts",
}


def _schema(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()


def test_empty_file_is_migrated_to_the_latest_version(db_path: Path) -> None:
    with Database.open(db_path) as db:
        version = db.run_sync(schema_version)
        names = db.run_sync(
            lambda c: {row[0] for row in c.execute("SELECT name FROM sqlite_master")}
        )
        pragmas = db.run_sync(
            lambda c: [
                c.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            ]
        )
    assert version == len(MIGRATIONS)
    assert names >= TABLES
    # synchronous 2 is FULL: a finished sale is on disk before the cashier sees it finished.
    assert pragmas == ["wal", 2, 1, 5000]


def test_reopening_changes_nothing(db_path: Path) -> None:
    with Database.open(db_path) as db:
        before = db.run_sync(_schema)
    with Database.open(db_path) as db:
        assert db.run_sync(_schema) == before
        assert db.run_sync(apply_migrations) == len(MIGRATIONS)
        assert db.run_sync(schema_version) == len(MIGRATIONS)


def test_each_migration_is_its_own_transaction(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.sqlite3", isolation_level=None)
    good = "CREATE TABLE first (x TEXT);"
    broken = "CREATE TABLE second (x TEXT);\nCREATE TABLE third (x TEXT, );"
    with pytest.raises(sqlite3.OperationalError):
        apply_migrations(conn, [good, broken])
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    # The first migration stays applied; nothing of the broken one, not even its first table.
    assert schema_version(conn) == 1
    assert tables == {"first"}
    assert not conn.in_transaction

    fixed = "CREATE TABLE second (x TEXT);\nCREATE TABLE third (x TEXT);"
    assert apply_migrations(conn, [good, fixed]) == 1
    assert schema_version(conn) == 2
    conn.close()


def test_a_file_from_a_newer_app_is_refused(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError):
        Database.open(db_path)


def test_trigger_bodies_are_kept_whole() -> None:
    from pos_app.adapters.store.migrations import _statements

    script = (
        "CREATE TABLE t (x);\n"
        "CREATE TRIGGER t_no_delete BEFORE DELETE ON t\n"
        "BEGIN\n    SELECT RAISE(ABORT, 'no');\nEND;\n"
    )
    assert [s.split()[1] for s in _statements(script)] == ["TABLE", "TRIGGER"]
