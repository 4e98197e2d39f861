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
