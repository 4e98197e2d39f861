"""Finishing a sale: the sale is a fact before it is a print or a request.

`finish_sale` commits the sale and its outbox row in one SQLite transaction, then renders,
archives and prints the receipt and nudges the sync worker. A printer error never un-finishes
a sale: it is reported, and reprinting is one call.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from pos_app.domain.cart import Cart
from pos_app.domain.paper import Paper, PrintError, ReceiptLanguage
from pos_app.domain.receipt import Receipt, issue_receipt
from pos_app.services.drawer import CASH_SALE, DrawerService
from pos_app.services.ports.clock import Clock
from pos_app.services.ports.printing import Printer, ReceiptRenderer, ThermalPrinter
from pos_app.services.ports.receipts_api import ReceiptEncoder
from pos_app.services.ports.sales import SalesStore
from pos_app.services.sale_record import receipt_from_row, sale_json
from pos_app.services.settings import Settings

log = logging.getLogger("pos_app.checkout")


class UnknownOrderError(LookupError):
    def __init__(self, order_number: str):
        super().__init__(f"no sale with order number {order_number}")
        self.order_number = order_number


@dataclass(frozen=True)
class PrintOutcome:
    archived_at: str | None  # the PDF kept under <data dir>/receipts
    printed_to: str | None  # what the printer said (job id, file), None when it failed
    error: str | None  # why printing or archiving failed; the sale stands regardless


@dataclass(frozen=True)
class FinishedSale:
    receipt: Receipt
    printing: PrintOutcome

    @property
    def order_number(self) -> str:
        return self.receipt.order_number


class CheckoutService:
    def __init__(
        self,
        sales: SalesStore,
        encoder: ReceiptEncoder,
        renderer: ReceiptRenderer,
        printer: Printer,
        archive: Printer,
        settings: Callable[[], Settings],
        on_committed: Callable[[], None] = lambda: None,
        clock: Clock = lambda: datetime.now(UTC),
        *,
        require_shift: bool = False,
        escpos: Callable[[], ThermalPrinter] | None = None,
        drawer: DrawerService | None = None,
        vet: Callable[[Cart], Awaitable[Cart]] | None = None,
    ):
        self._sales = sales
        # The app's tills: a sale joins the register's open shift and is refused without one.
        self._require_shift = require_shift
        self._encoder = encoder
        self._renderer = renderer
        self._printer = printer
        # The folder every issued receipt's PDF is kept in (history and reprints read it).
        self._archive = archive
        self._settings = settings
        self._on_committed = on_committed
        self._clock = clock
        # The ESC/POS printer of the current settings: renders streams (files, previews) and
        # prints them when the till's printer is a thermal printer, the drawer behind it.
        self._escpos = escpos
        self._drawer = drawer
        # Checks what the totals cannot (an on-account payment against its account) and may
        # complete the cart (the account's name to print); raises SaleError to refuse it.
        self._vet = vet

    def draft(self, cart: Cart, cashier: str = "") -> Receipt:
        """The receipt this cart would make, without recording anything. Raises SaleError
        (with every reason) when the cart cannot be finished."""
        settings = self._settings()
        return issue_receipt(
            cart,
            receipt_id=str(uuid.uuid4()),
            order_number=f"{settings.register_prefix}-DRAFT",
            store=settings.store,
            issued_at=self._clock(),
            cashier=cashier,
        )

    def preview_request(self, cart: Cart) -> bytes:
        """The body `finish_sale` would send for this cart (with a draft order number)."""
        return self._encoder.encode(self.draft(cart))

    async def finish_sale(
        self, cart: Cart, cashier: str = "", *, print_receipt: bool = True
    ) -> FinishedSale:
        """Commit, then print. Raises SaleError, writing nothing, for a cart that cannot be
        finished (empty, balance due, card overpayment, an account that may not take it),
        and ShiftError when a shift is required and none is open."""
        draft = self.draft(cart, cashier)
        if self._vet is not None:
            draft = replace(draft, cart=await self._vet(cart))
        issued: list[Receipt] = []

        def payload(order_number: str) -> bytes:
            # Runs inside the sale's transaction: the number is final only if this commits.
            receipt = replace(draft, order_number=order_number)
            issued.append(receipt)
            return self._encoder.encode(receipt)

        register = self._settings().register_prefix
        await self._sales.record_sale(
            register,
            draft.receipt_id,
            draft.issued_at,
            sale_json(draft),
            payload,
            currency=draft.totals.currency,
            total=draft.totals.total,
            shift_register=register if self._require_shift else None,
        )
        receipt = issued[-1]
        log.info(
            "sale %s recorded (%s %s)",
            receipt.order_number,
            receipt.totals.total,
            receipt.totals.currency,
        )
        self._on_committed()
        if not print_receipt:
            return FinishedSale(receipt, PrintOutcome(None, None, None))
        try:
            printing = await self.print(receipt)
        except Exception as error:
            # The sale is recorded and queued: whatever went wrong on the way to paper, the
            # cashier must see a finished sale with a print problem, never a failed sale
            # (they would ring it up again).
            log.exception("receipt %s: printing failed", receipt.order_number)
            printing = PrintOutcome(None, None, f"the receipt could not be printed: {error}")
        return FinishedSale(receipt, printing)

    async def receipt(self, order_number: str) -> Receipt:
        row = await self._sales.get_by_order_number(order_number)
        if row is None:
            raise UnknownOrderError(order_number)
        return receipt_from_row(row)

    async def render(
        self,
        receipt: Receipt,
        *,
        copy: bool = False,
        paper: Paper | None = None,
        language: ReceiptLanguage | None = None,
    ) -> bytes:
        """The receipt's PDF (the store's paper and language unless told), rendered off the
        loop: a 300-line receipt takes tens of milliseconds."""
        settings = self._settings()
        return await asyncio.to_thread(
            self._renderer.render,
            receipt,
            paper=paper or settings.paper,
            language=language or settings.receipt_language,
            copy=copy,
        )

    async def render_escpos(
        self,
        receipt: Receipt,
        *,
        copy: bool = False,
        paper: Paper | None = None,
        language: ReceiptLanguage | None = None,
    ) -> bytes:
        """The receipt's ESC/POS byte stream (the configured printer's, or the usual one of an
        80mm or 58mm `paper`), off the loop."""
        if self._escpos is None:
            raise ValueError("this till has no ESC/POS renderer")
        return await asyncio.to_thread(
            self._escpos().render,
            receipt,
            language=language or self._settings().receipt_language,
            copy=copy,
            paper=paper,
        )

    async def _print_thermal(self, thermal: ThermalPrinter, receipt: Receipt, copy: bool) -> str:
        drawer = self._drawer
        opens = not copy and drawer is not None and drawer.opens_for(receipt)
        try:
            printed = await asyncio.to_thread(
                thermal.print_receipt,
                receipt,
                language=self._settings().receipt_language,
                copy=copy,
                drawer=opens,
            )
        except PrintError as error:
            if opens and drawer is not None:
                await drawer.record(CASH_SALE, receipt_id=receipt.receipt_id, error=str(error))
            raise
        if opens and drawer is not None:
            await drawer.record(CASH_SALE, receipt_id=receipt.receipt_id, error=None)
        return printed

    async def print(self, receipt: Receipt, *, copy: bool = False) -> PrintOutcome:
        """Render, keep the PDF in the archive, and send the receipt to the printer (a thermal
        printer gets its own stream, opening the drawer for cash). Never raises for a printer
        or disk problem: the outcome says what went wrong."""
        job = f"{receipt.order_number}-copy" if copy else receipt.order_number
        try:
            pdf = await self.render(receipt, copy=copy)
            archived = await asyncio.to_thread(self._archive.print_pdf, pdf, job_name=job)
        except (OSError, ValueError, PrintError) as error:
            log.error(
                "receipt %s could not be rendered or archived: %s", receipt.order_number, error
            )
            return PrintOutcome(None, None, f"the receipt PDF could not be saved: {error}")
        thermal = self._escpos() if self._escpos and self._settings().printer == "escpos" else None
        try:
            if thermal is not None:
                printed = await self._print_thermal(thermal, receipt, copy)
            else:
                printed = await asyncio.to_thread(self._printer.print_pdf, pdf, job_name=job)
        except (OSError, PrintError) as error:
            log.warning("receipt %s not printed: %s", receipt.order_number, error)
            return PrintOutcome(archived, None, str(error))
        if not copy:
            await self._sales.mark_printed(receipt.receipt_id)
        return PrintOutcome(archived, printed, None)

    async def reprint(self, order_number: str) -> PrintOutcome:
        """Print a recorded sale again, marked as a copy."""
        return await self.print(await self.receipt(order_number), copy=True)
