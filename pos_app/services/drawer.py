"""The cash drawer: it opens (a pulse through the thermal printer it is plugged into) on a sale
with a cash part, on cash refunds and paid-in/paid-out, and on the "Open drawer" key; every
opening is in the audit log with its time, its reason and what happened.

For other services (refunds, shifts): call `await drawer.for_cash(reason, receipt_id=...)`
after the money movement is committed; it does nothing when the store turned the drawer off or
has no thermal printer, and never raises for a printer problem (the outcome says it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from pos_app.domain.invalid_input import InvalidInput
from pos_app.domain.paper import PrintError
from pos_app.domain.receipt import Receipt
from pos_app.services.ports.audit import AuditTrail
from pos_app.services.ports.printing import ThermalPrinter
from pos_app.services.settings import Settings

log = logging.getLogger("pos_app.drawer")

DRAWER_OPENED = "drawer_opened"
DRAWER_FAILED = "drawer_not_opened"
# Reasons written by the till itself (the key asks the cashier for one).
CASH_SALE = "cash sale"


@dataclass(frozen=True)
class DrawerOutcome:
    opened: bool
    message: str  # where it went, or why the drawer did not open


class DrawerService:
    def __init__(
        self,
        thermal: Callable[[], ThermalPrinter | None],
        audit: AuditTrail,
        settings: Callable[[], Settings],
    ) -> None:
        self._thermal = thermal
        self._audit = audit
        self._settings = settings

    @property
    def enabled(self) -> bool:
        """A drawer can open: the store has not turned it off and a thermal printer drives it."""
        return self._thermal() is not None and self._settings().cash_drawer

    def opens_for(self, receipt: Receipt) -> bool:
        """Whether this sale's receipt opens the drawer (it has a cash part). A refund's or
        void's does not: the correction service opens it, with its own reason, once recorded."""
        return (
            self.enabled
            and receipt.correction is None
            and any(p.is_cash for p in receipt.cart.payments)
        )

    async def record(self, reason: str, *, receipt_id: str | None, error: str | None) -> None:
        """Writes an opening (or a failed one) to the audit log."""
        event = DRAWER_FAILED if error else DRAWER_OPENED
        detail: dict[str, object] = {"reason": reason}
        if error:
            detail["error"] = error
        await self._audit.append(event, receipt_id, detail)

    async def open(self, reason: str, *, receipt_id: str | None = None) -> DrawerOutcome:
        """Opens the drawer now (the key, a refund, a paid-out). Raises InvalidInput, opening
        nothing, without a reason; a printer problem is the outcome's message."""
        reason = reason.strip()
        if not reason:
            message = "say why the drawer is opened"
            raise InvalidInput([f"reason: {message}"], {"reason": message})
        thermal = self._thermal()
        if thermal is None:
            return DrawerOutcome(False, "no thermal printer drives a cash drawer on this till")
        if not self._settings().cash_drawer:
            return DrawerOutcome(False, "the cash drawer is turned off in Settings")
        try:
            message = await asyncio.to_thread(thermal.open_drawer)
        except PrintError as error:
            log.warning("drawer not opened (%s): %s", reason, error)
            await self.record(reason, receipt_id=receipt_id, error=str(error))
            return DrawerOutcome(False, str(error))
        await self.record(reason, receipt_id=receipt_id, error=None)
        return DrawerOutcome(True, message)

    async def for_cash(self, reason: str, *, receipt_id: str | None = None) -> DrawerOutcome | None:
        """Opens the drawer for a cash movement when the store uses one; None when it does
        not (turned off, or no thermal printer)."""
        if not self.enabled:
            return None
        return await self.open(reason, receipt_id=receipt_id)
