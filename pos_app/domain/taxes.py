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
    before = ZERO  # the factors so far, summed
    for tax in taxes:
        factor = (ONE + before) * tax.rate if tax.compound else tax.rate
        factors.append(factor)
        before += factor
    return factors


def exact_taxes(
    amount: Decimal,
    taxes: Sequence[Tax],
    included: bool,
    factors: Sequence[Decimal] | None = None,
) -> tuple[Decimal, list[Decimal]]:
    """The untaxed base and each tax, unrounded (for `global` rounding). `factors`, when
    given, are `effective_factors(taxes)` computed once by the caller."""
    if factors is None:
        factors = effective_factors(taxes)
    if included:
        divisor = ONE
        for f in factors:
            divisor += f
        base = amount / divisor
    else:
        base = amount
    return base, [base * f for f in factors]


def split_net(
    total_tax: Decimal, exact: Sequence[Decimal], q: Decimal, rounding: str
) -> list[Decimal]:
    """inclusiveTarget `net`: the taxes share `total_tax`, what the rounded net leaves of the
    gross. Each tax but the last is rounded and the last takes the rest, unless that would put
    the last one a quantum or more away from its exact amount (with three or more taxes the
    rest can even be negative: 0.62 $ under 10 %, 1 % and 0.1 % gave -0.01); then `total_tax`
    is shared by largest remainder, so that every tax is its exact amount rounded down or up."""
    out = [e.quantize(q, rounding) for e in exact[:-1]]
    last = total_tax
    for t in out:
        last -= t
    if abs(last - exact[-1]) < q:
        out.append(last)
        return out
    return allocate(total_tax, exact, q)


def per_line_taxes(
    amount: Decimal,
    taxes: Sequence[Tax],
    included: bool,
    round_net: bool,
    q: Decimal,
    rounding: str,
    factors: Sequence[Decimal] | None = None,
) -> list[Decimal]:
    """Each tax of one line rounded on its own (`per_line`). A compound tax's base includes the
    rounded taxes before it. `round_net` (tax-included, target `net`): the net is rounded and
    the taxes share the rest (`split_net`)."""
    out: list[Decimal] = []
    if not taxes:
        return out
    if included:
        base, exact = exact_taxes(amount, taxes, True, factors)
        if round_net:
            return split_net(amount - base.quantize(q, rounding), exact, q, rounding)
    else:
        base = amount
    before = ZERO  # the rounded taxes so far, summed
    for tax in taxes:
        t = ((base + before) if tax.compound else base) * tax.rate
        t = t.quantize(q, rounding)
        out.append(t)
        before += t
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
