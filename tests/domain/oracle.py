"""A second, deliberately plain reading of formats/cart.md rules 1-7, in exact Fractions.

No Decimal context, no caching, no cleverness: if the engine and this oracle agree on random
carts, an optimisation of the engine did not change a result. Where the spec leaves a choice
open, the oracle follows the engine's documented choice (named at each place below).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction as F

from pos_app.domain.cart import Cart, InclusiveTarget, Tax, TaxRounding
from pos_app.domain.money import RoundingMode, minor_unit


def round_fraction(x: F, q: F, mode: RoundingMode) -> F:
    """`x` rounded to a multiple of `q`; ties away from zero (HALF_UP) or to even."""
    n = x / q
    low = math.floor(n)
    rest = n - low
    if rest > F(1, 2):
        k = low + 1
    elif rest < F(1, 2):
        k = low
    elif mode is RoundingMode.HALF_UP:
        k = low + 1 if x > 0 else low
    else:
        k = low if low % 2 == 0 else low + 1
    return k * q


@dataclass
class Line:
    sub_total: F
    discounts: list[tuple[str, F, bool]] = field(default_factory=list)
    amount: F = F(0)  # after discounts
    taxes: list[F] = field(default_factory=list)


@dataclass
class Expected:
    lines: list[Line]
    receipt_discounts: list[F]
    fee_amounts: list[F]
    fee_taxes: list[list[F]]
    exact_taxes: list[list[F]]  # unrounded, per line then per fee
    taxes: dict[tuple[str, F], F]
    sub_total: F
    total_discounts: F
    total_taxes: F
    total_fees: F
    total: F
    total_net: F | None
    cash_due: F
    cash_rounding: F
    change_due: F
    total_payments: F
    balance_due: F


def apportion(total: F, weights: list[F], rnd) -> list[F]:
    """Rule 2: shares in proportion, each rounded, the last non-zero line takes the rest.
    Engine's choice where the spec is silent: when rounding up earlier shares leaves the last
    line less room than the rest, the excess goes back to earlier lines, latest first."""
    shares = [F(0)] * len(weights)
    whole = sum(weights, F(0))
    if total == 0 or whole == 0:
        return shares
    last = max(i for i, w in enumerate(weights) if w)
    left = total
    for i in range(last):
        if weights[i]:
            shares[i] = min(rnd(total * weights[i] / whole), weights[i], left)
            left -= shares[i]
    shares[last] = min(left, weights[last])
    excess = left - shares[last]
    for i in range(last - 1, -1, -1):
        room = min(weights[i] - shares[i], excess)
        shares[i] += room
        excess -= room
    assert excess == 0
    return shares


def largest_remainder(total: F, exact: list[F], q: F) -> list[F]:
    """Split a rounded total over exact parts: floors, then one quantum each to the largest
    remainders (earlier part first on ties)."""
    floors = [math.floor(e / q) * q for e in exact]
    units = int((total - sum(floors, F(0))) / q)
    if units >= 0:
        order = sorted(range(len(exact)), key=lambda j: -(exact[j] - floors[j]))
    else:
        order = sorted(range(len(exact)), key=lambda j: exact[j] - floors[j])
    step = q if units > 0 else -q
    for n in range(abs(units)):
        floors[order[n % len(order)]] += step
    return floors


def split_net(total_tax: F, exact: list[F], q: F, rnd) -> list[F]:
    """inclusiveTarget `net`: the taxes share what the rounded net leaves. Each tax but the last
    is rounded and the last takes the rest, unless that puts the last one a quantum or more from
    its exact amount (possible with three or more taxes, even below zero): then the whole is
    split by largest remainder, so every tax is its exact amount rounded down or up."""
    out = [rnd(e) for e in exact[:-1]]
    last = total_tax - sum(out, F(0))
    if abs(last - exact[-1]) < q:
        return [*out, last]
    return largest_remainder(total_tax, exact, q)


def factors(taxes: tuple[Tax, ...]) -> list[F]:
    """Each tax as a multiple of the untaxed base (compound ones include the earlier taxes)."""
    out: list[F] = []
    for tax in taxes:
        rate = F(tax.percentage) / 100
        out.append((1 + sum(out, F(0))) * rate if tax.compound else rate)
    return out


def expected(cart: Cart) -> Expected:
    q = F(1, 10 ** minor_unit(cart.currency))
    mode = cart.policy.rounding_mode

    def rnd(x: F) -> F:
        return round_fraction(x, q, mode)

    # Rule 1.
    lines = [Line(sub_total=rnd(F(it.unit_price) * F(it.quantity))) for it in cart.items]
    amounts = [line.sub_total for line in lines]

    def take(i: int, name: str, wanted: F, receipt: bool) -> F:
        taken = min(wanted, amounts[i])
        if taken:
            amounts[i] -= taken
            lines[i].discounts.append((name, taken, receipt))
        return taken

    # Rule 2, in its four steps.
    receipt_taken = [F(0)] * len(cart.discounts)
    for i, it in enumerate(cart.items):
        for d in it.discounts:
            if d.percentage is not None:
                take(i, d.name, rnd(amounts[i] * F(d.percentage) / 100), False)
    for k, d in enumerate(cart.discounts):
        if d.percentage is not None:
            for i in range(len(lines)):
                wanted = rnd(amounts[i] * F(d.percentage) / 100)
                receipt_taken[k] += take(i, d.name, wanted, True)
    for i, it in enumerate(cart.items):
        for d in it.discounts:
            if d.amount is not None:
                take(i, d.name, F(d.amount), False)
    for k, d in enumerate(cart.discounts):
        if d.amount is not None:
            wanted = min(F(d.amount), sum(amounts, F(0)))
            for i, share in enumerate(apportion(wanted, list(amounts), rnd)):
                receipt_taken[k] += take(i, d.name, share, True)
    for line, amount in zip(lines, amounts, strict=True):
        line.amount = amount

    sub_total = sum((line.sub_total for line in lines), F(0))
    discounted = sum(amounts, F(0))
    fee_amounts = [
        F(f.amount) if f.amount is not None else rnd(discounted * F(f.percentage) / 100)
        for f in cart.fees
    ]

    # Rules 3-4: lines, then fees.
    included = cart.taxes_included
    net_target = cart.policy.inclusive_target is InclusiveTarget.NET
    taxed = [*amounts, *fee_amounts]
    tax_lists = [it.taxes if it.taxable else () for it in cart.items] + [f.taxes for f in cart.fees]
    bases = []
    exact: list[list[F]] = []
    for a, taxes in zip(taxed, tax_lists, strict=True):
        fs = factors(taxes)
        base = a / (1 + sum(fs, F(0))) if included else a
        bases.append(base)
        exact.append([base * f for f in fs])

    rounded: list[list[F]] = []
    if cart.policy.tax_rounding is TaxRounding.PER_LINE:
        for a, taxes, base, ex in zip(taxed, tax_lists, bases, exact, strict=True):
            if not taxes:
                rounded.append([])
            elif included and net_target:
                rounded.append(split_net(a - rnd(base), ex, q, rnd))
            else:
                out: list[F] = []
                for tax in taxes:
                    tax_base = base + sum(out, F(0)) if tax.compound else base
                    out.append(rnd(tax_base * F(tax.percentage) / 100))
                rounded.append(out)
    else:
        where: dict[tuple[str, F], list[tuple[int, int]]] = {}
        for i, taxes in enumerate(tax_lists):
            for j, tax in enumerate(taxes):
                where.setdefault((tax.name, F(tax.percentage)), []).append((i, j))
        sums = {key: sum((exact[i][j] for i, j in w), F(0)) for key, w in where.items()}
        key_totals = {key: rnd(s) for key, s in sums.items()}
        if included and net_target and where:
            taxed_gross = sum((a for a, t in zip(taxed, tax_lists, strict=True) if t), F(0))
            taxed_bases = sum((b for b, t in zip(bases, tax_lists, strict=True) if t), F(0))
            split = split_net(taxed_gross - rnd(taxed_bases), list(sums.values()), q, rnd)
            key_totals = dict(zip(sums, split, strict=True))
        rounded = [[F(0)] * len(t) for t in tax_lists]
        for key, w in where.items():
            shares = largest_remainder(key_totals[key], [exact[i][j] for i, j in w], q)
            for (i, j), share in zip(w, shares, strict=True):
                rounded[i][j] = share

    for line, r in zip(lines, rounded[: len(lines)], strict=True):
        line.taxes = r
    fee_taxes = rounded[len(lines) :]

    taxes_by_key: dict[tuple[str, F], F] = {}
    for taxes, r in zip(tax_lists, rounded, strict=True):
        for tax, amount in zip(taxes, r, strict=True):
            key = (tax.name, F(tax.percentage))
            taxes_by_key[key] = taxes_by_key.get(key, F(0)) + amount
    total_taxes = sum(taxes_by_key.values(), F(0))
    total_fees = sum(fee_amounts, F(0))
    # Rule 5.
    total = (
        sub_total
        - (sub_total - discounted)
        + (0 if included else total_taxes)
        + total_fees
        + F(cart.tip)
        + F(cart.shipping)
        + F(cart.duties)
    )

    # Rules 6-7, the cash table read literally from the last cent digit.
    non_cash = sum((F(p.amount) for p in cart.payments if not p.is_cash), F(0))
    cash_given = sum((F(p.amount) for p in cart.payments if p.is_cash), F(0))
    has_cash = any(p.is_cash for p in cart.payments)
    cash_part = max(total - non_cash, F(0))
    cash_due = F(0)
    if has_cash:
        cash_due = cash_part
        if cart.policy.cash_rounding.value == "CA_0.05" and q == F(1, 100):
            cents = int(cash_part * 100)
            step = {0: 0, 1: -1, 2: -2, 3: 2, 4: 1, 5: 0, 6: -1, 7: -2, 8: 2, 9: 1}[cents % 10]
            cash_due = F(cents + step, 100)
    cash_rounding = cash_due - cash_part if has_cash else F(0)
    # Engine's reading of rule 7: cash counts up to what is due; the rest is change.
    total_payments = non_cash + min(cash_given, cash_due)
    return Expected(
        lines=lines,
        receipt_discounts=receipt_taken,
        fee_amounts=fee_amounts,
        fee_taxes=fee_taxes,
        exact_taxes=exact,
        taxes=taxes_by_key,
        sub_total=sub_total,
        total_discounts=sub_total - discounted,
        total_taxes=total_taxes,
        total_fees=total_fees,
        total=total,
        total_net=total - total_taxes if included else None,
        cash_due=cash_due,
        cash_rounding=cash_rounding,
        change_due=max(cash_given - cash_due, F(0)),
        total_payments=total_payments,
        balance_due=max(total + cash_rounding - total_payments, F(0)),
    )
