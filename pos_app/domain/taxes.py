"""Rules 3 and 4 of formats/cart.md: the taxes of one taxed amount (a line or a fee).

A compound tax's base includes the taxes listed before it. With tax-included prices the base
is gross / (1 + effective rate), and `inclusiveTarget` says whether the taxes or the net are
rounded, the other being the remainder, so net + taxes is always the gross.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from pos_app.domain.cart import Tax

ZERO = Decimal(0)
ONE = Decimal(1)
HALF = Decimal("0.5")

# Unrounded amounts are exact ratios worked with additions, products and integer divisions
# only. Anything that would have to round instead raises (Inexact is trapped): a rounded
# unrounded amount is how a cent went to the wrong line.
_EXACT = decimal.Context(
    prec=1000, traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Inexact]
)


class TaxAmount(NamedTuple):
    name: str
    percentage: Decimal
    amount: Decimal
    registration_number: str | None
    compound: bool


class Ratio(NamedTuple):
    """An unrounded amount, exactly: numerator / divisor (divisor > 0).

    Rule 4's base, gross / (1 + sum of rates), has no finite decimal expansion in general
    (1 / 1.14975 has none). A Decimal quotient is off in its last digit, and that digit then
    decides which way an exact half rounds, or which of two lines with equal remainders takes
    a cent in `global` rounding. Kept as a ratio, every rounding and comparison is exact."""

    numerator: Decimal
    divisor: Decimal


def ratio_sum(parts: Iterable[Ratio]) -> Ratio:
    """The exact sum of `parts`: numerators over the same divisor are added, then the
    (few) divisors are brought to their product."""
    add, mul = _EXACT.add, _EXACT.multiply
    by_divisor: dict[Decimal, Decimal] = {}
    last, acc = ONE, ZERO  # runs of one divisor (a shared tax list) skip the dict
    for n, d in parts:
        if d is not last and d != last:
            by_divisor[last] = add(by_divisor.get(last, ZERO), acc)
            last, acc = d, by_divisor.pop(d, ZERO)
        acc = add(acc, n)
    by_divisor[last] = add(by_divisor.get(last, ZERO), acc)
    numerator, divisor = ZERO, ONE
    for d, n in by_divisor.items():
        numerator, divisor = add(mul(numerator, d), mul(n, divisor)), mul(divisor, d)
    return Ratio(numerator, divisor)


def _floor_units(x: Ratio, q: Decimal) -> tuple[Decimal, Decimal]:
    """floor(x / q) and what is left of x's numerator over x.divisor x q (0 <= rest < it)."""
    step = _EXACT.multiply(x.divisor, q)
    units, rest = _EXACT.divmod(x.numerator, step)  # the quotient is truncated towards zero
    if rest < 0:
        units, rest = _EXACT.subtract(units, ONE), _EXACT.add(rest, step)
    return units, rest


def round_ratio(x: Ratio, q: Decimal, rounding: str) -> Decimal:
    """`x` rounded to a multiple of `q` with `rounding`, exactly. The fraction left over the
    whole quanta only matters by how it compares with a half, so a stand-in with the same
    comparison (0, 0.25, 0.5 or 0.75) is rounded by Decimal itself in the store's mode."""
    with decimal.localcontext(_EXACT):
        units, rest = _floor_units(x, q)
        twice, step = rest + rest, x.divisor * q
        if not rest:
            part = ZERO
        elif twice < step:
            part = HALF / 2
        elif twice == step:
            part = HALF
        else:
            part = HALF + HALF / 2
        stand_in = units + part
    amount = (stand_in.quantize(ONE, rounding) * q).quantize(q)
    return amount.copy_abs() if amount.is_zero() else amount  # never a negative zero


def ratio_below(x: Ratio, y: Decimal, margin: Decimal) -> bool:
    """|x - y| < margin, exactly."""
    with decimal.localcontext(_EXACT):
        return abs(y * x.divisor - x.numerator) < margin * x.divisor


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
) -> tuple[Ratio, list[Ratio]]:
    """The untaxed base and each tax, unrounded and exact (rule 4: base = gross / (1 + sum
    of rates), each tax = base x its rate). `factors`, when given, are
    `effective_factors(taxes)` computed once by the caller."""
    if factors is None:
        factors = effective_factors(taxes)
    add, mul = _EXACT.add, _EXACT.multiply
    divisor = ONE
    if included:
        for f in factors:
            divisor = add(divisor, f)
    return Ratio(amount, divisor), [Ratio(mul(amount, f), divisor) for f in factors]


def split_net(
    total_tax: Decimal, exact: Sequence[Ratio], q: Decimal, rounding: str
) -> list[Decimal]:
    """inclusiveTarget `net`: the taxes share `total_tax`, what the rounded net leaves of the
    gross. Each tax but the last is rounded and the last takes the rest, unless that would put
    the last one a quantum or more away from its exact amount (with three or more taxes the
    rest can even be negative: 0.62 $ under 10 %, 1 % and 0.1 % gave -0.01); then `total_tax`
    is shared by largest remainder, so that every tax is its exact amount rounded down or up."""
    out = [round_ratio(e, q, rounding) for e in exact[:-1]]
    last = total_tax
    for t in out:
        last -= t
    if ratio_below(exact[-1], last, q):
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
        if round_net:
            net, exact = exact_taxes(amount, taxes, True, factors)
            return split_net(amount - round_ratio(net, q, rounding), exact, q, rounding)
        # Target `tax`: the same arithmetic as totals._per_line_columns.
        divisor = ONE
        for f in effective_factors(taxes) if factors is None else factors:
            divisor += f
        base = amount / divisor
    else:
        base = amount
    before = ZERO  # the rounded taxes so far, summed
    for tax in taxes:
        t = ((base + before) if tax.compound else base) * tax.rate
        t = t.quantize(q, rounding)
        out.append(t)
        before += t
    return out


def allocate(total: Decimal, exact: Sequence[Ratio], q: Decimal) -> list[Decimal]:
    """Split a rounded `total` over unrounded parts by largest remainder: every share is its
    part rounded down or up by one quantum (or more only when `total` is further from the sum
    than the number of parts), and the shares add up exactly to `total`. Remainders are
    compared exactly; on equal remainders the earlier part comes first."""
    zero = q - q
    with decimal.localcontext(_EXACT):
        floors = [_floor_units(e, q) for e in exact]
        shares = [units * q + zero for units, _ in floors]
        units = int((total - sum(shares, zero)) / q)
        if not units or not shares:
            return shares
        # Each remainder is rest / (divisor x q): over the product of the distinct divisors,
        # the numerators compare as the remainders do.
        common = ONE
        for d in dict.fromkeys(e.divisor for e in exact):
            common *= d
        rests = [rest * (common / e.divisor) for (_, rest), e in zip(floors, exact, strict=True)]
    # sorted() is stable, also with reverse=True: equal remainders keep their order.
    order = sorted(range(len(shares)), key=rests.__getitem__, reverse=units > 0)
    step = q if units > 0 else -q
    for n in range(abs(units)):
        shares[order[n % len(order)]] += step
    return shares
