"""The ports of the receipts API (Smartbills): sending receipts, reading the server's list
of them, and the body a receipt is sent with."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from datetime import datetime
from typing import Protocol

from pos_app.domain.receipt import Receipt
from pos_app.domain.remote import RemoteError, SubmittedReceipt


class ServerReceiptRow(Protocol):
    """A receipt as the server's list shows it."""

    @property
    def receipt_id(self) -> str | None: ...
    @property
    def server_id(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def created_at(self) -> datetime | None: ...


class ServerReceiptsPage(Protocol):
    @property
    def receipts(self) -> Sequence[ServerReceiptRow]: ...
    @property
    def is_last(self) -> bool: ...


class ReceiptApi(Protocol):
    def create_receipt(self, receipt_id: str, body: bytes) -> Awaitable[SubmittedReceipt]: ...
    def create_receipts_batch(
        self, items: Sequence[tuple[str, bytes]]
    ) -> Awaitable[list[SubmittedReceipt | RemoteError]]: ...
    def recent_receipts(
        self, *, page: int, page_size: int = 100
    ) -> Awaitable[ServerReceiptsPage]: ...


class ReceiptEncoder(Protocol):
    def encode(self, receipt: Receipt) -> bytes: ...
