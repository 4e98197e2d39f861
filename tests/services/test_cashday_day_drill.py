"""The acceptance drill of the cashier's day: a shift with 50 mixed sales (cash, card, split),
3 refunds, 1 void, a paid-in and a paid-out, with the network going down twice and coming
back, closes on a Z report whose expected cash equals the drawer's cash counted here by hand
(float, what each cash customer left after change, what each cash refund handed back, the
paid-in/out), and whose per-tax totals equal the sums over the receipts the sandbox stored.
The sandbox keeps duplicates (the documented API does), and each receiptId is there once."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from pos_app.domain.cart_format import parse_cart
from pos_app.domain.totals import compute_totals
from pos_app.services.sync import Connectivity
from tests.services.till import FAST, runtime_for, until

NICKEL = Decimal("0.05")
TAXES = [{"name": "GST", "percentage": "5"}, {"name": "QST", "percentage": "9.975"}]


def nickel(amount: Decimal) -> Decimal:
    """Cash rounding as the Royal Canadian Mint's rule says it, written here on its own."""
    return ((amount / NICKEL).quantize(Decimal(1), ROUND_HALF_UP) * NICKEL).quantize(
        Decimal("0.01")
    )


def items(n: int) -> list[dict]:
    """One to three lines: taxed snacks, a zero-rated milk, sometimes two of them."""
    lines = [
        {
            "name": f"Snack {n}",
            "unitPrice": f"{1 + n % 7}.{(13 * n) % 100:02d}",
            "quantity": str(1 + n % 2),
            "taxes": TAXES,
        }
    ]
    if n % 3:
        lines.append({"name": "Lait 2 L", "unitPrice": "5.29", "quantity": "1"})
    if n % 5 == 0:
        lines.append(
            {
                "name": "Chips",
                "unitPrice": "4.49",
                "quantity": "1",
                "taxes": TAXES,
                "discounts": [{"name": "Promo", "percentage": "10"}],
            }
        )
    return lines


def sale(n: int, kind: str) -> tuple[dict, Decimal]:
    """The cart of sale `n` paid by `kind`, and the cash it leaves in the drawer."""
    cart = {"currency": "CAD", "items": items(n)}
    total = compute_totals(parse_cart(cart)).total
    card = {"type": "CARD", "brand": "VISA", "last4": "4242"}
    if kind == "card":
        cart["payments"] = [{**card, "amount": f"{total:f}"}]
        return cart, Decimal(0)
    part = Decimal("5.00") if kind == "split" else Decimal(0)
    cash_due = nickel(total - part)
    handed = cash_due.to_integral_value(rounding=ROUND_CEILING) + n % 3  # change to give
    payments = [{"type": "CASH", "amount": f"{handed:f}"}]
    cart["payments"] = ([{**card, "amount": f"{part:f}"}] if part else []) + payments
    return cart, cash_due


async def test_a_shift_of_fifty_sales_closes_on_the_cash_counted_by_hand(tmp_path, sandbox):
    runtime = runtime_for(tmp_path / "till", sandbox.url, sandbox.token, shift_open=False)
    async with runtime.open_services() as s:
        s.sync.configure(FAST)
        worker = asyncio.create_task(s.sync.run_forever())
        try:
            drawer = Decimal("150.00")
            await s.shifts.open(drawer)
            recorded: dict[str, str] = {}  # receiptId -> order number, everything made
            orders: dict[int, str] = {}
            for n in range(50):
                if n == 12:
                    sandbox.set_down(True)
                    await until(lambda: s.sync.status.value.connectivity is Connectivity.OFFLINE)
                if n == 30:
                    sandbox.set_down(False)
                kind = ("cash", "card", "split")[n % 3]
                cart, cash = sale(n, kind)
                done = await s.checkout.finish_sale(parse_cart(cart), print_receipt=False)
                recorded[done.receipt.receipt_id] = done.order_number
                orders[n] = done.order_number
                drawer += cash

            sandbox.set_down(True)  # the corrections are made offline, from the local store
            await s.shifts.move_cash(Decimal("20.00"), "coins from the bank", paid_in=True)
            await s.shifts.move_cash(Decimal("12.50"), "window cleaner", paid_in=False)
            drawer += Decimal("20.00") - Decimal("12.50")

            # Sale 0 (cash) back in full to its tender: the cash it took goes back.
            full = await s.corrections.refund(orders[0], None, print_receipt=False)
            drawer -= sale(0, "cash")[1]
            # Sale 1 (card), its milk back in cash: 5.29 handed back as 5.30.
            milk = await s.corrections.refund(
                orders[1], {1: Decimal(1)}, to_cash=True, print_receipt=False
            )
            drawer -= nickel(Decimal("5.29"))
            # Sale 4 (card), one snack back to the card: no cash moves.
            card = await s.corrections.refund(orders[4], {0: Decimal(1)}, print_receipt=False)
            # Sale 3 (cash) voided: the cash it took goes back.
            void = await s.corrections.void(orders[3], "wrong items rung", print_receipt=False)
            drawer -= sale(3, "cash")[1]
            for done in (full, milk, card, void):
                recorded[done.receipt.receipt_id] = done.order_number
            sandbox.set_down(False)

            report = await s.shifts.close(counted=drawer)
            assert report.expected_cash == drawer and report.over_short == 0
            assert (report.sales.count, report.refunds.count, report.voids.count) == (50, 3, 1)
            await until(lambda: s.sync.status.value.pending == 0, timeout=120)
        finally:
            worker.cancel()

    stored = sandbox.state.store.all_receipts()
    assert Counter(r.receipt_id for r in stored) == Counter(dict.fromkeys(recorded, 1))
    server_taxes: Counter[str] = Counter()
    for r in stored:
        for tax in json.loads(r.body)["taxes"]:
            server_taxes[tax["name"]] += Decimal(str(tax["total"]["amount"]))
    assert {t.name: t.net for t in report.taxes} == dict(server_taxes)
    assert all(t.net > 0 and t.returned > 0 for t in report.taxes)
