"""The cash drawer opens once money in or out is recorded: a paid-in, a paid-out, a cash
refund (a card refund leaves it shut); a refused movement opens nothing. The till's
DrawerService (a pulse through the thermal printer) is swapped for a stand-in that notes the
calls; a correction's printed receipt never opens it a second time (DrawerService.opens_for)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import pytest

from pos_app.domain.receipt import CorrectionKind
from pos_app.domain.shifts import ShiftError
from pos_app.services.drawer import DrawerService
from pos_app.services.settings import Settings
from tests.adapters.api.test_correction_request import correction
from tests.adapters.api.test_mapping import build
from tests.services.till import paid_cart, runtime_for


class Drawer:
    def __init__(self) -> None:
        self.opened: list[tuple[str, str | None]] = []

    async def for_cash(self, reason: str, *, receipt_id: str | None = None) -> None:
        self.opened.append((reason, receipt_id))


async def test_the_drawer_opens_for_cash_moved_and_only_then(tmp_path, sandbox):
    drawer = Drawer()
    runtime = runtime_for(tmp_path, sandbox.url, sandbox.token)
    async with runtime.open_services() as s:
        s.shifts._drawer = drawer  # bootstrap passed the DrawerService; watch the calls
        s.corrections._drawer = drawer
        await s.shifts.move_cash(Decimal("20.00"), "coins", paid_in=True)
        with pytest.raises(ShiftError):
            await s.shifts.move_cash(Decimal("5.00"), " ", paid_in=False)
        await s.shifts.move_cash(Decimal("2.50"), "stamps", paid_in=False)
        sale = await s.checkout.finish_sale(paid_cart(3), print_receipt=False)  # by card
        await s.corrections.refund(sale.order_number, {0: Decimal(1)}, print_receipt=False)
        assert drawer.opened == [("paid in", None), ("paid out", None)]
        other = await s.checkout.finish_sale(paid_cart(4), print_receipt=False)
        cash = await s.corrections.refund(
            other.order_number, None, to_cash=True, print_receipt=False
        )
    assert drawer.opened[2:] == [("cash refund", cash.receipt.receipt_id)]


def test_a_printed_correction_leaves_the_drawer_to_the_correction_service():
    thermal = cast(Any, object())  # any printer: the drawer is enabled
    drawer = DrawerService(lambda: thermal, cast(Any, None), lambda: Settings(cash_drawer=True))
    sale, _ = build()  # paid partly in cash
    refund = correction(CorrectionKind.REFUND, None)
    assert drawer.opens_for(sale)
    assert not drawer.opens_for(refund)
