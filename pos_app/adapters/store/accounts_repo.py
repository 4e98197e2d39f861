"""The till's copy of its house accounts (Invoiced customers), searchable offline; accounts
created at the counter wait here, as their own outbox rows, until Invoiced has them.

On-account sales are not copied anywhere: what the till has put on an account since its
balance was read is summed from the sales themselves (their cart's ACCOUNT payments), so that
figure can never disagree with the sales recorded.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from pos_app.domain.accounts import Account, CachedAccount, CreateState

from .cache_repo import fold
from .database import Repository, like_escape, on_db_thread, write_transaction
from .timestamps import from_optional, to_text

_COLUMNS = (
    "number, invoiced_id, name, email, phone, credit_hold, credit_limit, currency,"
    " balance_outstanding, balance_read_at, remote_updated_at, create_state, create_attempts,"
    " last_error"
)


class AccountsRepo(Repository):
    # -- the copy of Invoiced -------------------------------------------------------------------

    @on_db_thread
    def upsert(self, conn: sqlite3.Connection, accounts: Iterable[Account]) -> int:
        """Stores accounts as Invoiced has them (by number), keeping the balance last read.
        An account Invoiced renumbered replaces its row under the old number."""
        now = to_text(self.db.now())
        count = 0
        with write_transaction(conn):
            for account in accounts:
                _upsert(conn, account, now)
                count += 1
        return count

    @on_db_thread
    def replace_all(self, conn: sqlite3.Connection, accounts: Iterable[Account]) -> int:
        """A full list from Invoiced: stored, and every synced account it lacks forgotten
        (deleted there). Accounts not yet sent stay."""
        now = to_text(self.db.now())
        numbers = []
        with write_transaction(conn):
            for account in accounts:
                _upsert(conn, account, now)
                numbers.append(account.number)
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS seen_numbers (number TEXT PRIMARY KEY)")
            conn.execute("DELETE FROM seen_numbers")
            conn.executemany(
                "INSERT OR IGNORE INTO seen_numbers VALUES (?)", ((n,) for n in numbers)
            )
            conn.execute(
                "DELETE FROM invoiced_accounts WHERE create_state = 'synced'"
                " AND number NOT IN (SELECT number FROM seen_numbers)"
            )
        return len(numbers)

    @on_db_thread
    def set_balance(
        self, conn: sqlite3.Connection, number: str, outstanding: Decimal, read_at: datetime
    ) -> None:
        with write_transaction(conn):
            conn.execute(
                "UPDATE invoiced_accounts SET balance_outstanding = ?, balance_read_at = ?"
                " WHERE number = ?",
                (str(outstanding), to_text(read_at), number),
            )

    @on_db_thread
    def updated_after(self, conn: sqlite3.Connection) -> int | None:
        row = conn.execute("SELECT updated_after FROM invoiced_refresh WHERE id = 1").fetchone()
        return None if row is None else int(row[0])

    @on_db_thread
    def set_updated_after(self, conn: sqlite3.Connection, moment: int) -> None:
        with write_transaction(conn):
            conn.execute(
                "INSERT INTO invoiced_refresh (id, updated_after, refreshed_at) VALUES (1, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET updated_after = excluded.updated_after,"
                " refreshed_at = excluded.refreshed_at",
                (moment, to_text(self.db.now())),
            )

    # -- reading ------------------------------------------------------------------------------

    @on_db_thread
    def get(self, conn: sqlite3.Connection, number: str) -> CachedAccount | None:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM invoiced_accounts WHERE number = ?", (number,)
        ).fetchone()
        return None if row is None else _cached(row)

    @on_db_thread
    def search(self, conn: sqlite3.Connection, text: str, limit: int = 50) -> list[CachedAccount]:
        """Accounts whose name, number, e-mail or phone contain every word of `text` (case and
        accents ignored; a phone matches with or without its punctuation). No text: all."""
        words = fold(text).split()
        where = " AND ".join(["search_text LIKE ? ESCAPE '\\'"] * len(words)) or "1"
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM invoiced_accounts WHERE {where}"
            " ORDER BY name COLLATE NOCASE, number LIMIT ?",
            (*(f"%{like_escape(w)}%" for w in words), limit),
        ).fetchall()
        return [_cached(row) for row in rows]

    @on_db_thread
    def on_account_since(
        self, conn: sqlite3.Connection, number: str, since: datetime | None
    ) -> Decimal:
        """What this till's sales put on the account after `since` (None: ever)."""
        rows = conn.execute(
            "SELECT json_extract(p.value, '$.amount') FROM sales, json_each(sales.cart_json,"
            " '$.cart.payments') AS p WHERE json_extract(p.value, '$.type') = 'ACCOUNT'"
            " AND json_extract(p.value, '$.account') = ? AND sales.created_at > ?",
            (number, to_text(since) if since is not None else ""),
        ).fetchall()
        return sum((Decimal(str(amount)) for (amount,) in rows), Decimal(0))

    # -- accounts created at the counter --------------------------------------------------------

    @on_db_thread
    def create_local(self, conn: sqlite3.Connection, prefix: str, account: Account) -> Account:
        """Stores a new account under the next number `<prefix>-NNNN` this till has not used,
        waiting to be sent. Returns it with its number."""
        now = self.db.now()
        with write_transaction(conn):
            last = conn.execute(
                "SELECT number FROM invoiced_accounts WHERE number LIKE ? ESCAPE '\\'",
                (f"{like_escape(prefix)}-%",),
            ).fetchall()
            used = [
                int(m.group(1)) for (n,) in last if (m := _SEQUENCE.fullmatch(n[len(prefix) :]))
            ]
            number = f"{prefix}-{max(used, default=0) + 1:04d}"
            created = replace(account, number=number, invoiced_id=None)
            _insert(conn, created, to_text(now), CreateState.PENDING, to_text(now))
        return created

    @on_db_thread
    def unsent(
        self, conn: sqlite3.Connection, due_by: datetime | None = None
    ) -> list[CachedAccount]:
        """Accounts waiting to be sent (due by `due_by`, when given), oldest first."""
        sql = f"SELECT {_COLUMNS} FROM invoiced_accounts WHERE create_state = 'pending'"
        params: tuple[str, ...] = ()
        if due_by is not None:
            sql += " AND next_attempt_at <= ?"
            params = (to_text(due_by),)
        rows = conn.execute(sql + " ORDER BY cached_at, number", params).fetchall()
        return [_cached(row) for row in rows]

    @on_db_thread
    def mark_created(self, conn: sqlite3.Connection, account: Account) -> None:
        """Invoiced has it: its copy replaces the local row, which becomes an ordinary one."""
        with write_transaction(conn):
            _upsert(conn, account, to_text(self.db.now()))

    @on_db_thread
    def mark_retry(
        self, conn: sqlite3.Connection, number: str, next_attempt_at: datetime, error: str
    ) -> None:
        with write_transaction(conn):
            conn.execute(
                "UPDATE invoiced_accounts SET create_attempts = create_attempts + 1,"
                " next_attempt_at = ?, last_error = ?"
                " WHERE number = ? AND create_state = 'pending'",
                (to_text(next_attempt_at), error, number),
            )

    @on_db_thread
    def mark_needs_attention(self, conn: sqlite3.Connection, number: str, error: str) -> None:
        with write_transaction(conn):
            conn.execute(
                "UPDATE invoiced_accounts SET create_state = 'needs_attention',"
                " create_attempts = create_attempts + 1, last_error = ? WHERE number = ?",
                (error, number),
            )


_SEQUENCE = re.compile(r"-(\d+)")
_NOT_DIGIT = re.compile(r"\D")


def _search_text(account: Account) -> str:
    phone = account.phone or ""
    words = f"{account.number} {account.name} {account.email or ''} {phone}"
    return f"{fold(words)} {_NOT_DIGIT.sub('', phone)}"


def _insert(
    conn: sqlite3.Connection, account: Account, now: str, state: str, next_at: str | None
) -> None:
    conn.execute(
        "INSERT INTO invoiced_accounts (number, invoiced_id, name, email, phone, credit_hold,"
        " credit_limit, currency, remote_updated_at, search_text, create_state,"
        " next_attempt_at, cached_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*_account_values(account), _search_text(account), state, next_at, now),
    )


def _account_values(account: Account) -> tuple[object, ...]:
    return (
        account.number,
        account.invoiced_id,
        account.name,
        account.email,
        account.phone,
        int(account.credit_hold),
        None if account.credit_limit is None else str(account.credit_limit),
        account.currency,
        account.updated_at,
    )


def _upsert(conn: sqlite3.Connection, account: Account, now: str) -> None:
    if account.invoiced_id is not None:
        # Renumbered in Invoiced: the row under the old number goes (its balance with it).
        conn.execute(
            "DELETE FROM invoiced_accounts WHERE invoiced_id = ? AND number <> ?",
            (account.invoiced_id, account.number),
        )
    conn.execute(
        "INSERT INTO invoiced_accounts (number, invoiced_id, name, email, phone, credit_hold,"
        " credit_limit, currency, remote_updated_at, search_text, create_state, cached_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'synced', ?)"
        " ON CONFLICT (number) DO UPDATE SET invoiced_id = excluded.invoiced_id,"
        " name = excluded.name, email = excluded.email, phone = excluded.phone,"
        " credit_hold = excluded.credit_hold, credit_limit = excluded.credit_limit,"
        " currency = excluded.currency, remote_updated_at = excluded.remote_updated_at,"
        " search_text = excluded.search_text, create_state = 'synced',"
        " next_attempt_at = NULL, last_error = NULL, cached_at = excluded.cached_at",
        (*_account_values(account), _search_text(account), now),
    )


def _cached(row: tuple[object, ...]) -> CachedAccount:
    (
        number,
        invoiced_id,
        name,
        email,
        phone,
        hold,
        limit,
        currency,
        outstanding,
        read_at,
        updated_at,
        state,
        attempts,
        error,
    ) = row
    account = Account(
        number=str(number),
        name=str(name),
        email=email if isinstance(email, str) else None,
        phone=phone if isinstance(phone, str) else None,
        credit_hold=bool(hold),
        credit_limit=Decimal(str(limit)) if limit is not None else None,
        currency=currency if isinstance(currency, str) else None,
        invoiced_id=invoiced_id if isinstance(invoiced_id, int) else None,
        updated_at=updated_at if isinstance(updated_at, int) else None,
    )
    return CachedAccount(
        account=account,
        outstanding=Decimal(str(outstanding)) if outstanding is not None else None,
        balance_read_at=from_optional(read_at if isinstance(read_at, str) else None),
        create_state=str(state),
        attempts=int(attempts) if isinstance(attempts, int) else 0,
        last_error=error if isinstance(error, str) else None,
    )
