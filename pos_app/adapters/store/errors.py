"""Errors the store raises past its own walls. They derive from built-in exceptions so the
services, which never import an adapter, can still catch them (LookupError, RuntimeError)."""

from __future__ import annotations


class UnknownSaleError(LookupError):
    """No sale has that receipt id or order number."""


class OutboxStateError(RuntimeError):
    """A queue transition asked of a row that is not in the state it needs: the sync worker's
    bookkeeping is wrong (e.g. a result reported twice), so nothing is changed."""

    def __init__(self, receipt_id: str, expected: str, actual: str) -> None:
        super().__init__(f"outbox row {receipt_id} is {actual!r}, expected {expected!r}")
        self.receipt_id = receipt_id
        self.expected = expected
        self.actual = actual


class DataFolderError(OSError):
    """The data folder cannot hold the database as needed (read-only, full, unreadable,
    locked by another program): one line for a person, with the folder named. An OSError,
    like the other troubles of a disk, so every command reports it the same way."""


# SQLite's result codes (by name, extended codes included) that say the folder or the disk is
# at fault rather than our SQL, and what to tell a person.
_FOLDER_TROUBLES = (
    ("SQLITE_READONLY", "the database cannot be written (read-only folder or file)"),
    ("SQLITE_FULL", "the disk is full"),
    ("SQLITE_CANTOPEN", "the database cannot be opened (missing or unreadable folder)"),
    ("SQLITE_PERM", "permission denied"),
    ("SQLITE_IOERR", "a disk read or write failed (full or failing disk?)"),
    ("SQLITE_BUSY", "another program keeps the database locked"),
    ("SQLITE_NOTADB", "pos.db is not a pos-app database"),
    ("SQLITE_CORRUPT", "the database file is damaged"),
)


def folder_error(path: str, error: BaseException) -> DataFolderError | None:
    """The DataFolderError for a SQLite error the folder or disk caused; None for others."""
    name = getattr(error, "sqlite_errorname", "") or ""
    for prefix, reason in _FOLDER_TROUBLES:
        if name.startswith(prefix):
            return DataFolderError(f"{path}: {reason} ({error})")
    return None
