"""Rule 2 of formats/cart.md: which discount takes how much from which line.

Order: line percentages, receipt percentages, line fixed amounts, receipt fixed amounts; each
step works on what the previous steps left. No discount takes a line below zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from pos_app.domain.cart import Discount, Item

ZERO = Decimal(0)


class DiscountAmount(NamedTuple):
    """What one discount took from one line, or (summed) from the whole receipt."""

    name: str
    amount: Decimal
    percentage: Decimal | None
    receipt_level: bool


def apportion(
    total: Decimal, weights: Sequence[Decimal], q: Decimal, rounding: str
) -> list[Decimal]:
    """Share `total` over lines in proportion to `weights`: each share is rounded, and the last
    line with a non-zero weight takes what is left, so the shares add up exactly to `total`.
    `total` must not exceed the sum of the weights; no share exceeds its weight."""
    whole = sum(weights, ZERO)
    shares = [ZERO] * len(weights)
    if total == 0 or whole == 0:
        return shares
    last = max(i for i, w in enumerate(weights) if w)
    left = total
    for i, weight in enumerate(weights):
        if i == last:
            break
        if weight:
            share = min((total * weight / whole).quantize(q, rounding), weight, left)
            shares[i] = share
            left -= share
    # Rounding up the earlier shares can leave the last line less room than `left`: hand the
    # excess back to earlier lines that still have room, so the sum stays exact.
    shares[last] = min(left, weights[last])
    excess = left - shares[last]
    for i in range(last - 1, -1, -1):
        if not excess:
            break
        room = min(weights[i] - shares[i], excess)
        shares[i] += room
        excess -= room
    return shares


def apply_discounts(
    items: Sequence[Item],
    amounts: list[Decimal],
    receipt_discounts: Sequence[Discount],
    q: Decimal,
    rounding: str,
) -> tuple[list[list[DiscountAmount]], list[DiscountAmount]]:
    """Reduce `amounts` (the line subtotals, changed in place) by every discount.

    Returns, per line, the discounts taken from it (receipt shares included), and per receipt
    discount the sum of its shares."""
    per_line: list[list[DiscountAmount]] = [[] for _ in amounts]
    receipt_taken: list[Decimal] = [ZERO] * len(receipt_discounts)

    def take(i: int, d: Discount, wanted: Decimal, receipt_level: bool) -> Decimal:
        taken = min(wanted, amounts[i])
        if taken:
            amounts[i] -= taken
            per_line[i].append(DiscountAmount(d.name, taken, d.percentage, receipt_level))
        return taken

    # 1. line percentages
    for i, item in enumerate(items):
        for d in item.discounts:
            if d.rate is not None:
                take(i, d, (amounts[i] * d.rate).quantize(q, rounding), False)
    # 2. receipt percentages
    for k, d in enumerate(receipt_discounts):
        if d.rate is not None:
            rate = d.rate
            for i in range(len(amounts)):
                receipt_taken[k] += take(i, d, (amounts[i] * rate).quantize(q, rounding), True)
    # 3. line fixed amounts
    for i, item in enumerate(items):
        for d in item.discounts:
            if d.amount is not None:
                take(i, d, d.amount, False)
    # 4. receipt fixed amounts, shared in proportion to what is left
    for k, d in enumerate(receipt_discounts):
        if d.amount is not None:
            wanted = min(d.amount, sum(amounts, ZERO))
            for i, share in enumerate(apportion(wanted, amounts, q, rounding)):
                receipt_taken[k] += take(i, d, share, True)

    summary = [
        DiscountAmount(d.name, receipt_taken[k], d.percentage, True)
        for k, d in enumerate(receipt_discounts)
    ]
    return per_line, summary
