"""The cash drawer opens once money in or out is recorded: a paid-in, a paid-out, a cash
refund (a card refund leaves it shut); a refused movement opens nothing. The drawer here is a
stand-in for the thermal printer's drawer service, which plugs into the same hook."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos_app.domain.shifts import ShiftError
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
        s.shifts._drawer = drawer  # the hook bootstrap fills once the drawer service exists
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
