"""The ports of a sale and of the outbox, the receipts API, paper and the audit trail."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from pos_app.domain.paper import Paper, ReceiptLanguage
from pos_app.domain.receipt import Receipt
from pos_app.domain.remote import FieldError, RemoteError, SubmittedReceipt

# ---------------------------------------------------------------------------------------------
# Sales and the outbox (SQLite)


class SaleFacts(Protocol):
    """What every row about a sale says of it."""

    @property
    def receipt_id(self) -> str: ...
    @property
    def order_number(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def currency(self) -> str: ...
    @property
    def total(self) -> Decimal: ...


class SaleSummaryRow(SaleFacts, Protocol):
    @property
    def sync_state(self) -> str: ...
    @property
    def last_error(self) -> str | None: ...
    @property
    def server_id(self) -> str | None: ...
    @property
    def server_url(self) -> str | None: ...
    @property
    def printed_at(self) -> datetime | None: ...


class SaleRow(SaleSummaryRow, Protocol):
    @property
    def cart_json(self) -> str: ...
    @property
    def payload(self) -> bytes: ...


class SalesStore(Protocol):
    def record_sale(
        self,
        prefix: str,
        receipt_id: str,
        created_at: datetime,
        cart_json: str,
        payload_factory: Callable[[str], bytes],
        *,
        currency: str,
        total: Decimal,
        shift_register: str | None = None,
    ) -> Awaitable[str]: ...
    def get_by_receipt_id(self, receipt_id: str) -> Awaitable[SaleRow | None]: ...
    def get_by_order_number(self, order_number: str) -> Awaitable[SaleRow | None]: ...
    def list_recent(
        self, limit: int = 50, offset: int = 0
    ) -> Awaitable[Sequence[SaleSummaryRow]]: ...
    def search(self, *args: Any, **kwargs: Any) -> Awaitable[Sequence[SaleSummaryRow]]: ...
    def mark_printed(self, receipt_id: str) -> Awaitable[None]: ...


class ClaimedRow(Protocol):
    @property
    def receipt_id(self) -> str: ...
    @property
    def order_number(self) -> str: ...
    @property
    def payload(self) -> bytes: ...
    @property
    def attempts(self) -> int: ...
    @property
    def first_sent_at(self) -> datetime | None: ...  # first handed to a sender (None: never)
    @property
    def maybe_delivered(self) -> bool: ...  # an earlier attempt may have reached the server


class OutboxRow(SaleFacts, Protocol):
    @property
    def state(self) -> str: ...
    @property
    def attempts(self) -> int: ...
    @property
    def last_error(self) -> str | None: ...
    @property
    def field_errors(self) -> tuple[FieldError, ...]: ...


class Outbox(Protocol):
    def claim_due(self, now: datetime, limit: int = 10) -> Awaitable[Sequence[ClaimedRow]]: ...
    def mark_done_many(
        self, done: Sequence[tuple[str, str | None, str | None]]
    ) -> Awaitable[None]: ...
    def mark_retry(
        self, receipt_id: str, next_attempt_at: datetime, error: str
    ) -> Awaitable[None]: ...
    def mark_needs_attention(
        self, receipt_id: str, message: str, field_errors: Sequence[FieldError]
    ) -> Awaitable[None]: ...
    def mark_paused(self, receipt_id: str, message: str) -> Awaitable[None]: ...
    def resume_paused(self) -> Awaitable[int]: ...
    def recover_sending(self) -> Awaitable[int]: ...
    def retry(self, order_number: str) -> Awaitable[bool]: ...
    def replace_payload(self, receipt_id: str, payload: bytes) -> Awaitable[bool]: ...
    def counts(self) -> Awaitable[dict[Any, int]]: ...
    def list_by_state(self, state: Any, limit: int = ...) -> Awaitable[Sequence[OutboxRow]]: ...
    def next_due_at(self) -> Awaitable[datetime | None]: ...


# ---------------------------------------------------------------------------------------------
# The Smartbills API


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


# ---------------------------------------------------------------------------------------------
# Paper


class ReceiptRenderer(Protocol):
    def render(
        self, receipt: Receipt, *, paper: Paper, language: ReceiptLanguage, copy: bool
    ) -> bytes: ...


class Printer(Protocol):
    name: str

    def print_pdf(self, pdf: bytes, *, job_name: str) -> str: ...


class ThermalPrinter(Protocol):
    """A receipt printer spoken to directly (ESC/POS) with the cash drawer plugged into it.
    Blocking: called through asyncio.to_thread. Failures raise PrintError."""

    name: str

    def render(
        self,
        receipt: Receipt,
        *,
        language: ReceiptLanguage,
        copy: bool = False,
        paper: Paper | None = None,
        drawer: bool = False,
    ) -> bytes:
        """The printer's byte stream for the receipt (on the usual printer of `paper` when
        given), opening the drawer first when `drawer`."""
        ...

    def print_receipt(
        self, receipt: Receipt, *, language: ReceiptLanguage, copy: bool, drawer: bool
    ) -> str: ...

    def open_drawer(self) -> str: ...

    def print_test_page(self, language: ReceiptLanguage) -> str: ...


class AuditTrail(Protocol):
    def append(
        self,
        event: str,
        receipt_id: str | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> Awaitable[None]: ...


Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]
