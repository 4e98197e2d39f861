"""Refunds and voids: corrections of a finished sale, which itself never changes.

Each correction is a receipt of its own (its order number, its receiptId), committed with its
outbox row, its link to the original and its audit entry in one transaction, like a sale, then
printed. The refund is planned inside that transaction from the refunds recorded before it,
so two tills refunding the same sale at once can never give back more than it took.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pos_app.domain.receipt import CorrectionKind, Receipt
from pos_app.domain.refunds import (
    Refund,
    RefundError,
    Returned,
    correction_receipt,
    plan_refund,
    whole_return,
)
from pos_app.services.checkout import CheckoutService, PrintOutcome, UnknownOrderError
from pos_app.services.ports.clock import Clock
from pos_app.services.ports.receipts_api import ReceiptEncoder
from pos_app.services.ports.sales import SalesStore
from pos_app.services.ports.shifts import CashDrawer, CorrectionsStore
from pos_app.services.sale_record import (
    correction_json,
    receipt_from_row,
    record_from_json,
    record_json,
)
from pos_app.services.settings import Settings

log = logging.getLogger("pos_app.corrections")


@dataclass(frozen=True)
class Refundable:
    """A sale as the return screen shows it: its receipt and what is left to return."""

    receipt: Receipt
    returned: Returned
    voided: bool
    corrections: tuple[str, ...]  # order numbers of its refunds and void

    @property
    def left(self) -> tuple[Decimal, ...]:
        return self.returned.left(self.receipt.cart)

    def preview(self, lines: Mapping[int, Decimal], *, to_cash: bool) -> Refund:
        """What refunding `lines` would give back, before it is recorded (the recording plans
        it again under the write lock). Raises RefundError as the refund would."""
        cart, totals = self.receipt.cart, self.receipt.totals
        return plan_refund(cart, totals, self.returned, lines, to_cash=to_cash)


@dataclass(frozen=True)
class RecordedCorrection:
    receipt: Receipt
    printing: PrintOutcome

    @property
    def order_number(self) -> str:
        return self.receipt.order_number


class CorrectionService:
    def __init__(
        self,
        sales: SalesStore,
        corrections: CorrectionsStore,
        encoder: ReceiptEncoder,
        checkout: CheckoutService,
        settings: Callable[[], Settings],
        on_committed: Callable[[], None] = lambda: None,
        clock: Clock = lambda: datetime.now(UTC),
        drawer: CashDrawer | None = None,
    ):
        self._sales = sales
        self._drawer = drawer
        self._corrections = corrections
        self._encoder = encoder
        self._checkout = checkout  # prints the correction's receipt as it prints sales
        self._settings = settings
        self._on_committed = on_committed
        self._clock = clock

    async def refundable(self, order_number: str) -> Refundable:
        """The sale `order_number` (typed, scanned from its receipt, or picked from history)
        with what is left to return. Works offline: the local store is the source."""
        row = await self._sales.get_by_order_number(order_number.strip())
        if row is None:
            raise UnknownOrderError(order_number)
        if await self._corrections.original_of(row.receipt_id) is not None:
            raise RefundError([f"{row.order_number} is itself a refund or a void"])
        receipt = receipt_from_row(row)
        earlier = await self._corrections.for_original(row.receipt_id)
        returned = Returned.of(
            receipt.cart,
            receipt.totals,
            [record_from_json(c.record_json) for c in earlier if c.kind == "refund"],
        )
        return Refundable(
            receipt,
            returned,
            any(c.kind == "void" for c in earlier),
            tuple(c.order_number for c in earlier),
        )

    async def refund(
        self,
        order_number: str,
        lines: Mapping[int, Decimal] | None,
        *,
        to_cash: bool = False,
        cashier: str = "",
        print_receipt: bool = True,
    ) -> RecordedCorrection:
        """Refund `lines` (0-based line -> quantity; None: everything left) of the sale.
        Raises RefundError (nothing recorded) for an over-return or a voided sale, ShiftError
        when no shift is open."""
        sale = await self.refundable(order_number)
        return await self._record(
            sale.receipt, CorrectionKind.REFUND, lines, to_cash, cashier, "", print_receipt
        )

    async def void(
        self, order_number: str, reason: str, *, cashier: str = "", print_receipt: bool = True
    ) -> RecordedCorrection:
        """Cancel a whole sale of the open shift, with a reason. Raises RefundError (nothing
        recorded) when the reason is missing or the sale was refunded or voided."""
        if not reason.strip():
            raise RefundError(["reason: say why the sale is voided"])
        sale = await self.refundable(order_number)
        return await self._record(
            sale.receipt, CorrectionKind.VOID, None, False, cashier, reason.strip(), print_receipt
        )

    async def _record(
        self,
        original: Receipt,
        kind: CorrectionKind,
        lines: Mapping[int, Decimal] | None,
        to_cash: bool,
        cashier: str,
        reason: str,
        print_receipt: bool,
    ) -> RecordedCorrection:
        settings = self._settings()
        receipt_id = str(uuid.uuid4())
        issued_at = self._clock()
        made: list[Receipt] = []

        def build(earlier: list[Any], order_number: str) -> tuple[str, str, bytes, Decimal]:
            # Runs inside the correction's transaction, against the refunds committed so far.
            returned = Returned.of(
                original.cart,
                original.totals,
                [record_from_json(c.record_json) for c in earlier if c.kind == "refund"],
            )
            wanted = whole_return(original.cart, returned) if lines is None else lines
            if kind is CorrectionKind.REFUND and not wanted:
                raise RefundError([f"{original.order_number}: everything was already returned"])
            refund = plan_refund(original.cart, original.totals, returned, wanted, to_cash=to_cash)
            receipt = correction_receipt(
                original,
                refund,
                kind=kind,
                receipt_id=receipt_id,
                order_number=order_number,
                issued_at=issued_at,
                store=settings.store,
                cashier=cashier,
                reason=reason,
            )
            made.append(receipt)
            return (
                correction_json(original, receipt, refund.record),
                record_json(refund.record),
                self._encoder.encode(receipt),
                refund.totals.total,
            )

        await self._corrections.record_correction(
            settings.register_prefix,
            receipt_id,
            issued_at,
            original.receipt_id,
            kind.value,
            build,
            currency=original.totals.currency,
            reason=reason,
        )
        receipt = made[-1]
        log.info(
            "%s %s of %s recorded (%s %s)",
            kind.value,
            receipt.order_number,
            original.order_number,
            receipt.totals.total,
            receipt.totals.currency,
        )
        self._on_committed()
        if self._drawer is not None and receipt.totals.cash_due:
            await self._drawer.for_cash(f"cash {kind.value}", receipt_id=receipt.receipt_id)
        if not print_receipt:
            return RecordedCorrection(receipt, PrintOutcome(None, None, None))
        return RecordedCorrection(receipt, await self._checkout.print(receipt))
