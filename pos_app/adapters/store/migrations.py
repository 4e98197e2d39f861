"""The schema as numbered migrations: migration N (1-based) brings `PRAGMA user_version` from
N-1 to N. A migration, once released, is never edited: a change is a new migration appended
to the list, because a till in a shop already ran the old one.

Conventions the scripts follow: STRICT tables (a Decimal or float slipping in as REAL is an
error, not a silent rounding), decimals as TEXT, timestamps as the text of `timestamps.py`,
JSON columns checked with `json_valid`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

_SALES_QUEUE_AUDIT = """
CREATE TABLE counters (
    prefix          TEXT PRIMARY KEY,
    last_sequence   INTEGER NOT NULL CHECK (last_sequence > 0)
) STRICT;

CREATE TABLE sales (
    id              INTEGER PRIMARY KEY,
    receipt_id      TEXT NOT NULL UNIQUE,
    order_number    TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL,
    currency        TEXT NOT NULL,
    total           TEXT NOT NULL,
    cart_json       TEXT NOT NULL CHECK (json_valid(cart_json)),
    -- The exact bytes that are sent, on every attempt: never rebuilt from the cart, so a
    -- resend after a crash or an upgrade carries the body the server may already hold.
    payload         BLOB NOT NULL,
    server_id       TEXT,
    server_url      TEXT,
    synced_at       TEXT,
    printed_at      TEXT
) STRICT;
CREATE INDEX sales_created_at ON sales (created_at);

-- A sale is a fact: nothing in the app deletes one, and the outbox and audit rows point at it.
CREATE TRIGGER sales_no_delete BEFORE DELETE ON sales
BEGIN
    SELECT RAISE(ABORT, 'sales are never deleted');
END;

CREATE TABLE outbox (
    receipt_id      TEXT PRIMARY KEY REFERENCES sales (receipt_id),
    state           TEXT NOT NULL
                    CHECK (state IN ('pending', 'sending', 'done', 'needs_attention', 'paused')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    field_errors    TEXT CHECK (field_errors IS NULL OR json_valid(field_errors)),
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    event           TEXT NOT NULL,
    receipt_id      TEXT REFERENCES sales (receipt_id),
    detail          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
) STRICT;
CREATE INDEX audit_log_receipt ON audit_log (receipt_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
"""

# FTS5 with `remove_diacritics 2` folds case and accents ("cafe" finds "Café") and answers
# word-prefix queries from its own index; the external-content table keeps one copy of the
# text, kept in step by the triggers below.
_CATALOG = """
CREATE TABLE catalog (
    id              INTEGER PRIMARY KEY,
    sku             TEXT NOT NULL UNIQUE,
    barcode         TEXT NOT NULL DEFAULT '',
    name_fr         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    unit_price      TEXT NOT NULL,
    unit            TEXT NOT NULL DEFAULT '',
    taxes           TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX catalog_barcode ON catalog (barcode) WHERE barcode <> '';

CREATE VIRTUAL TABLE catalog_fts USING fts5 (
    name_fr, name_en, sku, barcode,
    content = 'catalog', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TRIGGER catalog_fts_insert AFTER INSERT ON catalog
BEGIN
    INSERT INTO catalog_fts (rowid, name_fr, name_en, sku, barcode)
    VALUES (new.id, new.name_fr, new.name_en, new.sku, new.barcode);
END;
CREATE TRIGGER catalog_fts_delete AFTER DELETE ON catalog
BEGIN
    INSERT INTO catalog_fts (catalog_fts, rowid, name_fr, name_en, sku, barcode)
    VALUES ('delete', old.id, old.name_fr, old.name_en, old.sku, old.barcode);
END;
CREATE TRIGGER catalog_fts_update AFTER UPDATE ON catalog
BEGIN
    INSERT INTO catalog_fts (catalog_fts, rowid, name_fr, name_en, sku, barcode)
    VALUES ('delete', old.id, old.name_fr, old.name_en, old.sku, old.barcode);
    INSERT INTO catalog_fts (rowid, name_fr, name_en, sku, barcode)
    VALUES (new.id, new.name_fr, new.name_en, new.sku, new.barcode);
END;
"""

# `search_text` is name, email and phone folded by cache_repo (lower case, no accents, phone
# also as bare digits) so one LIKE finds "Éloïse", "eloise@" or "5145551234" alike.
_CACHES_SETTINGS_HELD = """
CREATE TABLE customers_cache (
    id              TEXT PRIMARY KEY,
    doc             TEXT NOT NULL CHECK (json_valid(doc)),
    name            TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    search_text     TEXT NOT NULL DEFAULT '',
    pending_create  INTEGER NOT NULL DEFAULT 0 CHECK (pending_create IN (0, 1)),
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX customers_cache_pending ON customers_cache (pending_create) WHERE pending_create = 1;

CREATE TABLE locations_cache (
    id              TEXT PRIMARY KEY,
    doc             TEXT NOT NULL CHECK (json_valid(doc)),
    name            TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    search_text     TEXT NOT NULL DEFAULT '',
    pending_create  INTEGER NOT NULL DEFAULT 0 CHECK (pending_create IN (0, 1)),
    updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    key             TEXT PRIMARY KEY,
    value           TEXT NOT NULL CHECK (json_valid(value)),
    updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE held_carts (
    id              INTEGER PRIMARY KEY,
    label           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    cart_json       TEXT NOT NULL CHECK (json_valid(cart_json))
) STRICT;
"""

# Receipts being sent again (an earlier attempt may have reached the server) are claimed before
# the rest of a backlog once due, so the look-up before their resend has few newer receipts to
# read through.
_RETRIES_FIRST = """
CREATE INDEX outbox_retries_due ON outbox (next_attempt_at)
    WHERE state = 'pending' AND attempts > 0;
"""

# The cashier's day. A refund or a void is a receipt of its own (a `sales` row with its own
# order number, outbox row and audit entries); `corrections` links it to its original. Every
# receipt belongs to the shift that was open on its register when it was committed.
_SHIFTS_CORRECTIONS = """
CREATE TABLE shifts (
    id              INTEGER PRIMARY KEY,
    register        TEXT NOT NULL,
    currency        TEXT NOT NULL,
    opened_at       TEXT NOT NULL,
    opening_float   TEXT NOT NULL,
    closed_at       TEXT,
    counted         TEXT,
    count_json      TEXT CHECK (count_json IS NULL OR json_valid(count_json)),
    expected        TEXT,
    report_json     TEXT CHECK (report_json IS NULL OR json_valid(report_json)),
    CHECK ((closed_at IS NULL) = (report_json IS NULL))
) STRICT;
CREATE UNIQUE INDEX shifts_one_open ON shifts (register) WHERE closed_at IS NULL;
CREATE TRIGGER shifts_no_delete BEFORE DELETE ON shifts
BEGIN
    SELECT RAISE(ABORT, 'shifts are never deleted');
END;
CREATE TRIGGER shifts_closed_once BEFORE UPDATE ON shifts WHEN old.closed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed shift is never changed');
END;

CREATE TABLE shift_receipts (
    receipt_id      TEXT PRIMARY KEY REFERENCES sales (receipt_id),
    shift_id        INTEGER NOT NULL REFERENCES shifts (id)
) STRICT;
CREATE INDEX shift_receipts_shift ON shift_receipts (shift_id);

CREATE TABLE cash_movements (
    id              INTEGER PRIMARY KEY,
    shift_id        INTEGER NOT NULL REFERENCES shifts (id),
    at              TEXT NOT NULL,
    paid_in         INTEGER NOT NULL CHECK (paid_in IN (0, 1)),
    amount          TEXT NOT NULL,
    reason          TEXT NOT NULL CHECK (length(trim(reason)) > 0)
) STRICT;
CREATE INDEX cash_movements_shift ON cash_movements (shift_id);

CREATE TABLE corrections (
    receipt_id      TEXT PRIMARY KEY REFERENCES sales (receipt_id),
    original_id     TEXT NOT NULL REFERENCES sales (receipt_id),
    kind            TEXT NOT NULL CHECK (kind IN ('refund', 'void')),
    reason          TEXT NOT NULL DEFAULT '',
    record_json     TEXT NOT NULL CHECK (json_valid(record_json))
) STRICT;
CREATE INDEX corrections_original ON corrections (original_id);
CREATE UNIQUE INDEX corrections_one_void ON corrections (original_id) WHERE kind = 'void';
"""

# House accounts (Invoiced customers): the till's copy, searchable offline, with the balance
# outstanding as last read; an account created at the counter is its own outbox row
# (create_state) until Invoiced has it. Self-contained: no other table refers to these.
_INVOICED_ACCOUNTS = """
CREATE TABLE invoiced_accounts (
    number              TEXT PRIMARY KEY,
    invoiced_id         INTEGER UNIQUE,
    name                TEXT NOT NULL,
    email               TEXT,
    phone               TEXT,
    credit_hold         INTEGER NOT NULL DEFAULT 0 CHECK (credit_hold IN (0, 1)),
    credit_limit        TEXT,
    currency            TEXT,
    balance_outstanding TEXT,
    balance_read_at     TEXT,
    remote_updated_at   INTEGER,
    search_text         TEXT NOT NULL DEFAULT '',
    create_state        TEXT NOT NULL DEFAULT 'synced'
                        CHECK (create_state IN ('synced', 'pending', 'needs_attention')),
    create_attempts     INTEGER NOT NULL DEFAULT 0 CHECK (create_attempts >= 0),
    next_attempt_at     TEXT,
    last_error          TEXT,
    cached_at           TEXT NOT NULL
) STRICT;
CREATE INDEX invoiced_accounts_unsent ON invoiced_accounts (create_state, next_attempt_at)
    WHERE create_state <> 'synced';

CREATE TABLE invoiced_refresh (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    updated_after       INTEGER NOT NULL,
    refreshed_at        TEXT NOT NULL
) STRICT;
"""

MIGRATIONS: tuple[str, ...] = (
    _SALES_QUEUE_AUDIT,
    _CATALOG,
    _CACHES_SETTINGS_HELD,
    _RETRIES_FIRST,
    _SHIFTS_CORRECTIONS,
    _INVOICED_ACCOUNTS,
)


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer pos-app. Opening it with this one could corrupt it."""


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def apply_migrations(conn: sqlite3.Connection, migrations: Sequence[str] = MIGRATIONS) -> int:
    """Brings the schema up to `len(migrations)` and returns the version it was at before.

    Each migration runs in its own BEGIN IMMEDIATE transaction together with its
    `user_version` bump, so a crash or an error leaves the schema at a whole version. The
    version is read again under the write lock: another process that opened the same file at
    the same moment may have applied it already. `conn` must be in autocommit mode
    (isolation_level=None).
    """
    before = schema_version(conn)
    if before > len(migrations):
        raise SchemaTooNewError(
            f"database schema version {before} is newer than this app knows ({len(migrations)})"
        )
    for number, script in enumerate(migrations, start=1):
        if number <= before:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) < number:
                for statement in _statements(script):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number:d}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return before


def _statements(script: str) -> Iterator[str]:
    """The statements of `script` one by one. `executescript` cannot be used: it commits any
    open transaction first, which would split a migration from its version bump.
    `sqlite3.complete_statement` knows that a trigger body's semicolons do not end it."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        raise ValueError(f"migration ends with an incomplete statement: {pending.strip()[:80]!r}")
