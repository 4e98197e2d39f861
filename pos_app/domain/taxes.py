"""Rules 3 and 4 of formats/cart.md: the taxes of one taxed amount (a line or a fee).

A compound tax's base includes the taxes listed before it. With tax-included prices the base
is gross / (1 + effective rate), and `inclusiveTarget` says whether the taxes or the net are
rounded, the other being the remainder, so net + taxes is always the gross.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import NamedTuple

from pos_app.domain.cart import Tax

ZERO = Decimal(0)
ONE = Decimal(1)


class TaxAmount(NamedTuple):
    name: str
    percentage: Decimal
    amount: Decimal
    registration_number: str | None
    compound: bool


def tax_key(tax: Tax) -> tuple[str, Decimal]:
    """Taxes are reported (and rounded, in `global` mode) per name and rate."""
    return (tax.name, tax.percentage)


def effective_factors(taxes: Sequence[Tax]) -> list[Decimal]:
    """Each tax as a multiple of the untaxed base, compound taxes included: for GST 5 % then
    a compound 9.975 % QST, [0.05, 1.05 x 0.09975]."""
    factors: list[Decimal] = []
    for tax in taxes:
        factors.append((ONE + sum(factors, ZERO)) * tax.rate if tax.compound else tax.rate)
    return factors


def exact_taxes(
    amount: Decimal, taxes: Sequence[Tax], included: bool
) -> tuple[Decimal, list[Decimal]]:
    """The untaxed base and each tax, unrounded (for `global` rounding)."""
    factors = effective_factors(taxes)
    base = amount / (ONE + sum(factors, ZERO)) if included else amount
    return base, [base * f for f in factors]


def per_line_taxes(
    amount: Decimal,
    taxes: Sequence[Tax],
    included: bool,
    round_net: bool,
    q: Decimal,
    rounding: str,
) -> list[Decimal]:
    """Each tax of one line rounded on its own (`per_line`). A compound tax's base includes the
    rounded taxes before it. `round_net` (tax-included, target `net`): the net is rounded and
    the last tax takes the remainder."""
    if not taxes:
        return []
    if not included:
        out: list[Decimal] = []
        for tax in taxes:
            base = amount + sum(out, ZERO) if tax.compound else amount
            out.append((base * tax.rate).quantize(q, rounding))
        return out
    base, exact = exact_taxes(amount, taxes, True)
    if round_net:
        total_tax = amount - base.quantize(q, rounding)
        out = [t.quantize(q, rounding) for t in exact[:-1]]
        return [*out, total_tax - sum(out, ZERO)]
    out = []
    for tax in taxes:
        tax_base = base + sum(out, ZERO) if tax.compound else base
        out.append((tax_base * tax.rate).quantize(q, rounding))
    return out


def allocate(total: Decimal, exact: Sequence[Decimal], q: Decimal) -> list[Decimal]:
    """Split a rounded `total` over unrounded parts by largest remainder: every share is its
    part rounded down or up by one quantum (or more only when `total` is further from the sum
    than the number of parts), and the shares add up exactly to `total`."""
    shares = [e.quantize(q, ROUND_FLOOR) for e in exact]
    units = int((total - sum(shares, ZERO)) / q)
    if not units or not shares:
        return shares
    order = sorted(range(len(shares)), key=lambda i: exact[i] - shares[i], reverse=units > 0)
    step = q if units > 0 else -q
    for n in range(abs(units)):
        shares[order[n % len(order)]] += step
    return shares
