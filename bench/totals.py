"""Benchmark: one full recompute of `compute_totals` on a 500-line cart, next to a bare Decimal
loop doing the same multiplications and roundings, measured in the same run.

A plain script (no pytest); it reports figures and never fails on time. Prints exactly:

    totals_500_lines_ms=<median>
    bare_decimal_500_lines_ms=<median>

Aim (../shared/qt-facts.md baseline: bare loop ~0.34 ms): the engine under 1 ms and within 3x of
the bare loop. Run: .venv/bin/python bench/totals.py [repeats]

Measured on the 2-core Debian box (medians, shared and noisy): before tuning 2.6 ms against a
0.50 ms bare loop (5.2x); after, ~1.13 ms against ~0.49 ms (2.3x). The lines share one tax
tuple, as a catalog (or the cart parser) hands it out; with a separate tuple per line the
engine takes ~1.3 ms. About 0.1-0.15 ms of the median is the garbage collector reacting to the
~3,000 result tuples (LineTotals, TaxAmount, DiscountAmount) a 500-line receipt is made of.
"""

from __future__ import annotations

import decimal
import statistics
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pos_app.domain.cart import Cart, Discount, Item, Payment, Tax
from pos_app.domain.totals import compute_totals

LINES = 500
GST = Tax("GST", Decimal("5"))
QST = Tax("QST", Decimal("9.975"))
# Lines share their tax list the way a till's catalog (or the cart parser) hands it out.
QC_TAXES = (GST, QST)
LINE_DISCOUNT = Discount("Happy hour", percentage=Decimal("10"))
RECEIPT_PERCENT = Discount("Member", percentage=Decimal("5"))
RECEIPT_FIXED = Discount("Coupon", amount=Decimal("10.00"))


def build_cart() -> Cart:
    items = tuple(
        Item(
            name=f"Item {i}",
            unit_price=Decimal(100 + (i * 37) % 5000).scaleb(-2),  # 1.00 .. 50.99
            quantity=Decimal("0.735") if i % 7 == 0 else Decimal(1 + i % 3),
            discounts=(LINE_DISCOUNT,) if i % 4 == 0 else (),
            taxes=QC_TAXES,
        )
        for i in range(LINES)
    )
    return Cart(
        currency="CAD",
        items=items,
        discounts=(RECEIPT_PERCENT, RECEIPT_FIXED),
        payments=(Payment("CARD", Decimal("100.00")), Payment("CASH", Decimal("100000.00"))),
    )


def bare_loop(cart: Cart) -> Decimal:
    """The same arithmetic with no structure: multiply, round, share, tax, add."""
    q = Decimal("0.01")
    up = ROUND_HALF_UP
    line_rate = Decimal("0.10")
    receipt_rate = Decimal("0.05")
    fixed = Decimal("10.00")
    gst, qst = Decimal("0.05"), Decimal("0.09975")
    amounts = []
    sub_total = Decimal(0)
    for item in cart.items:
        a = (item.unit_price * item.quantity).quantize(q, up)
        sub_total += a
        if item.discounts:
            a -= (a * line_rate).quantize(q, up)
        a -= (a * receipt_rate).quantize(q, up)
        amounts.append(a)
    whole = sum(amounts)
    left = fixed
    taxes = Decimal(0)
    last = len(amounts) - 1
    for i, a in enumerate(amounts):
        share = left if i == last else (fixed * a / whole).quantize(q, up)
        left -= share
        a -= share
        taxes += (a * gst).quantize(q, up) + (a * qst).quantize(q, up)
        amounts[i] = a
    return sum(amounts) + taxes


def main(repeats: int = 400) -> None:
    cart = build_cart()
    ctx = decimal.Context(prec=60)
    for _ in range(20):  # warm-up
        compute_totals(cart)
        with decimal.localcontext(ctx):
            bare_loop(cart)
    engine: list[float] = []
    bare: list[float] = []
    clock = time.perf_counter
    for _ in range(repeats):  # interleaved, so machine noise hits both alike
        t0 = clock()
        compute_totals(cart)
        t1 = clock()
        with decimal.localcontext(ctx):
            bare_loop(cart)
        t2 = clock()
        engine.append(t1 - t0)
        bare.append(t2 - t1)
    print(f"totals_500_lines_ms={statistics.median(engine) * 1000:.3f}")
    print(f"bare_decimal_500_lines_ms={statistics.median(bare) * 1000:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
