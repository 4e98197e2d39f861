"""The ports of the cashier's day: shifts, cash movements, and refunds and voids recorded as
receipts linked to their original (the SQLite store implements them), and the cash drawer
opened when money goes in or out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol


class CashDrawer(Protocol):
    """The cash drawer, opened once money went in or out (a cash refund, a paid-in or out).
    The drawer service of the thermal-printer work (`DrawerService.for_cash`) fits it."""

    def for_cash(self, reason: str, *, receipt_id: str | None = None) -> Awaitable[object]: ...


class ShiftRow(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def register(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def opened_at(self) -> datetime: ...
    @property
    def opening_float(self) -> Decimal: ...
    @property
    def closed_at(self) -> datetime | None: ...
    @property
    def report_json(self) -> str | None: ...


class CashMovementRow(Protocol):
    @property
    def at(self) -> datetime: ...
    @property
    def paid_in(self) -> bool: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def reason(self) -> str: ...


class RecordedRow(Protocol):
    """What rebuilding a receipt needs of its row (a sale's, or a shift's receipt)."""

    @property
    def receipt_id(self) -> str: ...
    @property
    def order_number(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def server_url(self) -> str | None: ...
    @property
    def cart_json(self) -> str: ...


class ShiftReceiptRow(RecordedRow, Protocol):
    @property
    def sync_state(self) -> str: ...


class ShiftStore(Protocol):
    def open(self, register: str, currency: str, opening_float: Decimal) -> Awaitable[ShiftRow]: ...
    def current(self, register: str) -> Awaitable[ShiftRow | None]: ...
    def last_closed(self, register: str) -> Awaitable[ShiftRow | None]: ...
    def move_cash(
        self, register: str, amount: Decimal, reason: str, *, paid_in: bool
    ) -> Awaitable[CashMovementRow]: ...
    def movements(self, shift_id: int) -> Awaitable[Sequence[CashMovementRow]]: ...
    def receipts(self, shift_id: int) -> Awaitable[Sequence[ShiftReceiptRow]]: ...
    def close(
        self,
        shift_id: int,
        *,
        receipts_seen: int,
        movements_seen: int,
        counted: Decimal,
        count: dict[str, int] | None,
        expected: Decimal,
        report: dict[str, Any],
    ) -> Awaitable[ShiftRow]: ...


class CorrectionRow(Protocol):
    @property
    def receipt_id(self) -> str: ...
    @property
    def order_number(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def record_json(self) -> str: ...


class CorrectionsStore(Protocol):
    def record_correction(
        self,
        prefix: str,
        receipt_id: str,
        created_at: datetime,
        original_id: str,
        kind: str,
        # (earlier corrections, order number) -> (cart_json, record_json, payload, total)
        build: Callable[[list[Any], str], tuple[str, str, bytes, Decimal]],
        *,
        currency: str,
        reason: str = "",
    ) -> Awaitable[str]: ...
    def for_original(self, original_id: str) -> Awaitable[Sequence[CorrectionRow]]: ...
    def original_of(self, receipt_id: str) -> Awaitable[str | None]: ...
