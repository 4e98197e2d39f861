"""Rule 2 of formats/cart.md: which discount takes how much from which line.

Order: line percentages, receipt percentages, line fixed amounts, receipt fixed amounts; each
step works on what the previous steps left. No discount takes a line below zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import compress, repeat
from operator import le, mul, not_, sub, truediv
from typing import Any, NamedTuple

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
    n = len(weights)
    whole = sum(weights, ZERO)
    if total == 0 or whole == 0:
        return [ZERO] * n
    last = n - 1
    while not weights[last]:
        last -= 1
    # Each earlier share: round(total x weight / whole) (computed in C: map over the weights),
    # at most its weight...
    earlier = weights[:last]
    exact = map(truediv, map(mul, repeat(total), earlier), repeat(whole))
    shares = list(map(Decimal.quantize, exact, repeat(q), repeat(rounding)))
    if not all(map(le, shares, earlier)):
        shares = [s if s <= w else w for s, w in zip(shares, earlier, strict=True)]
    given = sum(shares, ZERO)
    if total < 0 or given > total or (shares and min(shares) < 0):
        # ...and at most what is left, in order. With non-negative weights and shares adding
        # up to no more than `total` that bound never bites; otherwise apply it line by line.
        left = total
        for i, share in enumerate(shares):
            if weights[i] and share > left:
                shares[i] = share = left
            left -= share
        given = total - left
    left = total - given
    shares.append(min(left, weights[last]))
    shares.extend([ZERO] * (n - last - 1))
    # Rounding up the earlier shares can leave the last line less room than `left`: hand the
    # excess back to earlier lines that still have room, so the sum stays exact.
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
    per_line, summary = discount_lines(items, amounts, receipt_discounts, q, rounding)
    return [list(taken) for taken in per_line], summary


def discount_lines(
    items: Sequence[Item],
    amounts: list[Decimal],
    receipt_discounts: Sequence[Discount],
    q: Decimal,
    rounding: str,
) -> tuple[list[tuple[DiscountAmount, ...]], list[DiscountAmount]]:
    """`apply_discounts` with each line's discounts as a tuple, as LineTotals holds them.

    Receipt discounts touch every line, so they are worked a column at a time (one list per
    discount); the line discounts are sparse and kept per line. Fixed amounts are taken at the
    currency's minor unit; every sum carries the currency's exponent ('0.00', not '0')."""
    n = len(amounts)
    zero = q - q
    new: Callable[..., Any] = tuple.__new__  # DiscountAmount(...) minus its Python __new__
    firsts: dict[int, list[DiscountAmount]] = {}  # step 1, per line
    thirds: dict[int, list[DiscountAmount]] = {}  # step 3, per line
    seconds: list[list[DiscountAmount | None]] = []  # step 2, one column per discount
    fourths: list[list[DiscountAmount | None]] = []  # step 4, one column per discount
    holes: set[int] = set()  # lines where a column has nothing (None)
    receipt_taken = [zero] * len(receipt_discounts)

    # 1. line percentages (and which lines have fixed amounts, for step 3)
    with_fixed: list[int] = []
    for i, item in enumerate(items):
        if not item.discounts:
            continue
        a = amounts[i]
        fixed = False
        for d in item.discounts:
            if d.rate is None:
                fixed = True
                continue
            taken = (a * d.rate).quantize(q, rounding)
            if taken > a:
                taken = a
            if taken:
                a -= taken
                entry = new(DiscountAmount, (d.name, taken, d.percentage, False))
                firsts.setdefault(i, []).append(entry)
        amounts[i] = a
        if fixed:
            with_fixed.append(i)

    def column(name: str, pct: Decimal | None, taken: list[Decimal]) -> None:
        """Take `taken` (one amount per line) from the lines, as one column of entries."""
        amounts[:] = map(sub, amounts, taken)
        # DiscountAmount(name, t, pct, True) for each t, built in C (map over zip).
        fields = zip(repeat(name), taken, repeat(pct), repeat(True))
        col: list[DiscountAmount | None] = list(map(new, repeat(DiscountAmount), fields))
        if not all(taken):
            for i in compress(range(n), map(not_, taken)):
                col[i] = None  # nothing taken from this line
                holes.add(i)
        (seconds if pct is not None else fourths).append(col)

    # 2. receipt percentages, on every line
    for k, d in enumerate(receipt_discounts):
        rate = d.rate
        if rate is not None and n:
            products = map(mul, amounts, repeat(rate))
            takes = list(map(Decimal.quantize, products, repeat(q), repeat(rounding)))
            if not all(map(le, takes, amounts)):  # only with a rate over 100 %
                takes = [t if t <= a else a for t, a in zip(takes, amounts, strict=True)]
            column(d.name, d.percentage, takes)
            receipt_taken[k] = sum(takes, zero)
    # 3. line fixed amounts
    for i in with_fixed:
        for d in items[i].discounts:
            if d.amount is not None:
                a = amounts[i]
                taken = d.amount.quantize(q, rounding)
                if taken > a:
                    taken = a
                if taken:
                    amounts[i] = a - taken
                    thirds.setdefault(i, []).append(
                        new(DiscountAmount, (d.name, taken, None, False))
                    )
    # 4. receipt fixed amounts, shared in proportion to what is left
    for k, d in enumerate(receipt_discounts):
        if d.amount is not None and n:
            wanted = min(d.amount.quantize(q, rounding), sum(amounts, zero))
            shares = apportion(wanted, amounts, q, rounding)  # each share <= its line
            column(d.name, None, shares)
            receipt_taken[k] = sum(shares, zero)

    # Each line's discounts, in the order they were taken: steps 1, 2, 3, 4.
    dense = seconds + fourths
    per_line: list[tuple[DiscountAmount, ...]] = (
        list(zip(*dense, strict=True)) if dense else [()] * n
    )
    split = len(seconds)
    for i in holes | thirds.keys():
        row = per_line[i]
        per_line[i] = (
            *firsts.get(i, ()),
            *filter(None, row[:split]),  # None: nothing taken from this line
            *thirds.get(i, ()),
            *filter(None, row[split:]),
        )
    for i, entries in firsts.items():
        if i not in holes and i not in thirds:
            per_line[i] = (*entries, *per_line[i])

    summary = [
        DiscountAmount(d.name, receipt_taken[k], d.percentage, True)
        for k, d in enumerate(receipt_discounts)
    ]
    return per_line, summary
