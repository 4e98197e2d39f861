"""The totals engine: the only code that computes totals. The UI shows what it returns, the
PDF prints it, the API payload serialises it. A pure function of the cart and its policy.

Every line's figures add up exactly to the receipt's, in every mode: taxes rounded per line
are summed; taxes rounded globally are rounded once per tax and shared back to the lines by
largest remainder.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from pos_app.domain.cart import Cart, Fee, InclusiveTarget, Item, Tax, TaxRounding
from pos_app.domain.discounts import DiscountAmount, apply_discounts
from pos_app.domain.money import quantum
from pos_app.domain.payments import summarize
from pos_app.domain.taxes import TaxAmount, allocate, exact_taxes, per_line_taxes, tax_key

ZERO = Decimal(0)
# Inputs carry at most 12 integer and 6 decimal digits: products stay exact at this precision,
# and divisions (tax-included bases, apportioning) are rounded only at the minor unit.
_ENGINE_CONTEXT = decimal.Context(prec=60, traps=[decimal.InvalidOperation, decimal.DivisionByZero])


class LineTotals(NamedTuple):
    item: Item
    sub_total: Decimal
    discounts: tuple[DiscountAmount, ...]
    total_discounts: Decimal
    taxes: tuple[TaxAmount, ...]
    total_taxes: Decimal
    total: Decimal
    net: Decimal | None  # the untaxed part, for tax-included prices only


class FeeTotals(NamedTuple):
    fee: Fee
    amount: Decimal
    taxes: tuple[TaxAmount, ...]
    total_taxes: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    currency: str
    taxes_included: bool
    sub_total: Decimal
    total_discounts: Decimal
    total_taxes: Decimal
    taxes: tuple[TaxAmount, ...]
    total_fees: Decimal
    total_tip: Decimal
    total_shipping: Decimal
    total_duties: Decimal
    total: Decimal
    total_net: Decimal | None
    cash_given: Decimal
    cash_due: Decimal
    cash_rounding: Decimal
    change_due: Decimal
    total_payments: Decimal
    balance_due: Decimal
    lines: tuple[LineTotals, ...]
    fees: tuple[FeeTotals, ...]
    receipt_discounts: tuple[DiscountAmount, ...]

    @property
    def is_paid(self) -> bool:
        return self.balance_due == 0


def compute_totals(cart: Cart) -> Totals:
    """The totals of `cart` under its policy (formats/cart.md, rules 1-7)."""
    with decimal.localcontext(_ENGINE_CONTEXT):
        return _compute(cart)


def _compute(cart: Cart) -> Totals:
    policy = cart.policy
    q = quantum(cart.currency)
    rounding = policy.rounding_mode.value
    included = cart.taxes_included
    items = cart.items

    # Rule 1: line subtotals, then rule 2: discounts.
    subs = [(it.unit_price * it.quantity).quantize(q, rounding) for it in items]
    amounts = subs.copy()
    line_discounts, receipt_discounts = apply_discounts(items, amounts, cart.discounts, q, rounding)
    sub_total = sum(subs, ZERO)
    total_discounts = sub_total - sum(amounts, ZERO)

    # Fees: fixed, or a percentage of what the discounted lines come to.
    discounted = sub_total - total_discounts
    fee_amounts = [_fee_amount(fee, discounted, q, rounding) for fee in cart.fees]

    # Rules 3-4: taxes of every taxed amount, lines then fees.
    taxed_amounts = [*amounts, *fee_amounts]
    tax_lists: list[tuple[Tax, ...]] = [it.applied_taxes for it in items] + [
        f.taxes for f in cart.fees
    ]
    if policy.tax_rounding is TaxRounding.PER_LINE:
        round_net = included and policy.inclusive_target is InclusiveTarget.NET
        rounded = [
            per_line_taxes(a, t, included, round_net, q, rounding) if t else []
            for a, t in zip(taxed_amounts, tax_lists, strict=True)
        ]
    else:
        rounded = _global_taxes(
            taxed_amounts, tax_lists, included, policy.inclusive_target, q, rounding
        )

    lines = tuple(
        _line(items[i], subs[i], line_discounts[i], amounts[i], tax_lists[i], rounded[i], included)
        for i in range(len(items))
    )
    n = len(items)
    fees = tuple(
        FeeTotals(
            fee, fee_amounts[k], _tax_amounts(fee.taxes, rounded[n + k]), sum(rounded[n + k], ZERO)
        )
        for k, fee in enumerate(cart.fees)
    )

    taxes = _taxes_by_key(tax_lists, rounded)
    total_taxes = sum((t.amount for t in taxes), ZERO)
    total_fees = sum(fee_amounts, ZERO)
    # Rule 5.
    total = (
        sub_total
        - total_discounts
        + (ZERO if included else total_taxes)
        + total_fees
        + cart.tip
        + cart.shipping
        + cart.duties
    )
    pay = summarize(total, cart.payments, cart.currency, policy.cash_rounding)
    return Totals(
        currency=cart.currency,
        taxes_included=included,
        sub_total=sub_total,
        total_discounts=total_discounts,
        total_taxes=total_taxes,
        taxes=taxes,
        total_fees=total_fees,
        total_tip=cart.tip,
        total_shipping=cart.shipping,
        total_duties=cart.duties,
        total=total,
        total_net=total - total_taxes if included else None,
        cash_given=pay.cash_given,
        cash_due=pay.cash_due,
        cash_rounding=pay.cash_rounding,
        change_due=pay.change_due,
        total_payments=pay.total_payments,
        balance_due=pay.balance_due,
        lines=lines,
        fees=fees,
        receipt_discounts=tuple(receipt_discounts),
    )


def _fee_amount(fee: Fee, discounted: Decimal, q: Decimal, rounding: str) -> Decimal:
    if fee.amount is not None:
        return fee.amount
    assert fee.percentage is not None  # the cart format guarantees one of the two
    return (discounted * fee.percentage.scaleb(-2)).quantize(q, rounding)


def _tax_amounts(taxes: Sequence[Tax], amounts: Sequence[Decimal]) -> tuple[TaxAmount, ...]:
    return tuple(
        TaxAmount(t.name, t.percentage, a, t.registration_number, t.compound)
        for t, a in zip(taxes, amounts, strict=True)
    )


def _line(
    item: Item,
    sub_total: Decimal,
    discounts: list[DiscountAmount],
    amount: Decimal,
    taxes: tuple[Tax, ...],
    rounded: list[Decimal],
    included: bool,
) -> LineTotals:
    line_tax = sum(rounded, ZERO)
    return LineTotals(
        item=item,
        sub_total=sub_total,
        discounts=tuple(discounts),
        total_discounts=sub_total - amount,
        taxes=_tax_amounts(taxes, rounded) if taxes else (),
        total_taxes=line_tax,
        total=amount if included else amount + line_tax,
        net=amount - line_tax if included else None,
    )


def _global_taxes(
    amounts: Sequence[Decimal],
    tax_lists: Sequence[tuple[Tax, ...]],
    included: bool,
    target: InclusiveTarget,
    q: Decimal,
    rounding: str,
) -> list[list[Decimal]]:
    """`global` rounding: per tax, the unrounded amounts of all lines are summed and rounded
    once, then shared back to the lines so that lines and receipt agree to the cent."""
    exact: list[list[Decimal]] = []
    bases: list[Decimal] = []
    # Where each (line, tax position) goes: its tax key's list of entries.
    entries: dict[tuple[str, Decimal], list[tuple[int, int]]] = {}
    for i, (amount, taxes) in enumerate(zip(amounts, tax_lists, strict=True)):
        base, line_exact = exact_taxes(amount, taxes, included) if taxes else (amount, [])
        exact.append(line_exact)
        if taxes:
            bases.append(base)
        for j, tax in enumerate(taxes):
            entries.setdefault(tax_key(tax), []).append((i, j))

    sums = {key: sum((exact[i][j] for i, j in where), ZERO) for key, where in entries.items()}
    rounded_sums = {key: s.quantize(q, rounding) for key, s in sums.items()}
    if included and target is InclusiveTarget.NET and entries:
        # The receipt's net is rounded; the taxes share the remainder, the last tax taking
        # whatever rounding the others leave.
        gross = sum((a for a, t in zip(amounts, tax_lists, strict=True) if t), ZERO)
        tax_total = gross - sum(bases, ZERO).quantize(q, rounding)
        *first, last = rounded_sums
        rounded_sums[last] = tax_total - sum((rounded_sums[k] for k in first), ZERO)

    out: list[list[Decimal]] = [[ZERO] * len(t) for t in tax_lists]
    for key, where in entries.items():
        shares = allocate(rounded_sums[key], [exact[i][j] for i, j in where], q)
        for (i, j), share in zip(where, shares, strict=True):
            out[i][j] = share
    return out


def _taxes_by_key(
    tax_lists: Sequence[tuple[Tax, ...]], rounded: Sequence[list[Decimal]]
) -> tuple[TaxAmount, ...]:
    """Receipt-level taxes, one per name and rate, in order of first appearance."""
    sums: dict[tuple[str, Decimal], Decimal] = {}
    first: dict[tuple[str, Decimal], Tax] = {}
    for taxes, amounts in zip(tax_lists, rounded, strict=True):
        for tax, amount in zip(taxes, amounts, strict=True):
            key = tax_key(tax)
            sums[key] = sums.get(key, ZERO) + amount
            first.setdefault(key, tax)
    return _tax_amounts(list(first.values()), list(sums.values()))
