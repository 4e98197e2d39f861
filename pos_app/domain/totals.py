"""The totals engine: the only code that computes totals. The UI shows what it returns, the
PDF prints it, the API payload serialises it. A pure function of the cart and its policy.

Every line's figures add up exactly to the receipt's, in every mode: taxes rounded per line
are summed; taxes rounded globally are rounded once per tax and shared back to the lines by
largest remainder.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import repeat
from operator import add, is_, sub
from typing import Any, NamedTuple

from pos_app.domain.cart import Cart, Fee, InclusiveTarget, Item, Tax, TaxRounding
from pos_app.domain.discounts import DiscountAmount, discount_lines
from pos_app.domain.money import quantum
from pos_app.domain.payments import PaymentSummary, summarize
from pos_app.domain.taxes import (
    Ratio,
    TaxAmount,
    allocate,
    effective_factors,
    exact_taxes,
    per_line_taxes,
    ratio_sum,
    round_ratio,
    split_net,
    tax_key,
)

ZERO = Decimal(0)
ONE = Decimal(1)
# Inputs carry at most 12 integer and 6 decimal digits: products stay exact at this precision.
# A division's quotient is rounded at it: the per-line taxes of a tax-included price (target
# `tax`) and apportioning round it at once to the minor unit; where unrounded amounts are summed
# or compared (`global` rounding, target `net`) they are exact ratios instead (taxes.Ratio).
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


def receipt_total(
    goods: Decimal,
    taxes: Decimal,
    taxes_included: bool,
    fees: Decimal,
    tip: Decimal,
    shipping: Decimal,
    duties: Decimal,
) -> Decimal:
    """Rule 5, for a sale and for what a refund gives back: the goods after discounts, plus
    taxes unless the prices include them, plus fees, tip, shipping and duties."""
    return goods + (goods * 0 if taxes_included else taxes) + fees + tip + shipping + duties


def compute_totals(cart: Cart) -> Totals:
    """The totals of `cart` under its policy (formats/cart.md, rules 1-7)."""
    with decimal.localcontext(_ENGINE_CONTEXT):
        return _compute(cart)


# Tax lists shared by at least this many amounts are worked a column at a time.
_COLUMN_MIN = 8

# NamedTuple(...) goes through a Python-level __new__; tuple.__new__ builds the same value
# several times faster, and the engine builds a few of them per line.
_new: Callable[..., Any] = tuple.__new__


def _compute(cart: Cart) -> Totals:
    policy = cart.policy
    q = quantum(cart.currency)
    zero = q - q  # 0 with the currency's exponent: every figure prints with its decimals
    rounding = policy.rounding_mode.value
    included = cart.taxes_included
    items = cart.items
    fees = cart.fees
    n = len(items)

    # Rule 1: line subtotals, then rule 2: discounts.
    subs = [(it.unit_price * it.quantity).quantize(q, rounding) for it in items]
    amounts = subs.copy()
    line_discounts, receipt_discounts = discount_lines(items, amounts, cart.discounts, q, rounding)
    sub_total = sum(subs, zero)
    discounted = sum(amounts, zero)
    total_discounts = sub_total - discounted

    # Fees: fixed, or a percentage of what the discounted lines come to.
    fee_amounts = [_fee_amount(fee, discounted, q, rounding) for fee in fees]

    # Rules 3-4: taxes of every taxed amount, lines then fees.
    tax_lists: list[tuple[Tax, ...]] = [it.taxes if it.taxable else () for it in items]
    tax_lists += [f.taxes for f in fees]
    taxed = amounts + fee_amounts
    taxes, tax_amounts, tax_totals = _taxes(taxed, tax_lists, cart, q, zero)

    # LineTotals(item, sub, discounts, sub - a, taxes, tax, total, net) for each line, built in C
    # (map over zip). tax_amounts and tax_totals go on with the fees: zip stops at the items.
    line_taxes = tax_totals[:n]
    line_totals: Iterable[Decimal]
    nets: Iterable[Decimal | None]
    if included:
        line_totals, nets = amounts, map(sub, amounts, line_taxes)
    else:
        line_totals, nets = map(add, amounts, line_taxes), repeat(None)
    fields = zip(
        items,
        subs,
        line_discounts,
        map(sub, subs, amounts),
        tax_amounts,
        line_taxes,
        line_totals,
        nets,
        strict=False,
    )
    lines = tuple(map(_new, repeat(LineTotals), fields))
    fee_totals = tuple(
        FeeTotals(fee, fee_amounts[k], tax_amounts[n + k], tax_totals[n + k])
        for k, fee in enumerate(fees)
    )

    return _receipt(
        currency=cart.currency,
        included=included,
        sub_total=sub_total,
        total_discounts=total_discounts,
        taxes=taxes,
        fee_total=sum(fee_amounts, zero),
        tip=cart.tip.quantize(q, rounding),
        shipping=cart.shipping.quantize(q, rounding),
        duties=cart.duties.quantize(q, rounding),
        lines=lines,
        fees=fee_totals,
        receipt_discounts=tuple(receipt_discounts),
        settle=lambda total: summarize(total, cart.payments, cart.currency, policy.cash_rounding),
    )


def _receipt(
    *,
    currency: str,
    included: bool,
    sub_total: Decimal,
    total_discounts: Decimal,
    taxes: tuple[TaxAmount, ...],
    fee_total: Decimal,
    tip: Decimal,
    shipping: Decimal,
    duties: Decimal,
    lines: tuple[LineTotals, ...],
    fees: tuple[FeeTotals, ...],
    receipt_discounts: tuple[DiscountAmount, ...],
    settle: Callable[[Decimal], PaymentSummary],
) -> Totals:
    """The receipt's figures from its parts, for a sale and for what a refund gives back: the
    tax total, rule 5's total, the net when prices include taxes, and the payments that
    `settle` says settle the total."""
    total_taxes = sum((t.amount for t in taxes), sub_total * 0)
    total = receipt_total(
        sub_total - total_discounts, total_taxes, included, fee_total, tip, shipping, duties
    )
    pay = settle(total)
    return Totals(
        currency=currency,
        taxes_included=included,
        sub_total=sub_total,
        total_discounts=total_discounts,
        total_taxes=total_taxes,
        taxes=taxes,
        total_fees=fee_total,
        total_tip=tip,
        total_shipping=shipping,
        total_duties=duties,
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
        receipt_discounts=receipt_discounts,
    )


def _fee_amount(fee: Fee, discounted: Decimal, q: Decimal, rounding: str) -> Decimal:
    if fee.amount is not None:
        return fee.amount.quantize(q, rounding)
    assert fee.percentage is not None  # the cart format guarantees one of the two
    return (discounted * fee.percentage.scaleb(-2)).quantize(q, rounding)


def _taxes(
    amounts: list[Decimal],
    tax_lists: list[tuple[Tax, ...]],
    cart: Cart,
    q: Decimal,
    zero: Decimal,
) -> tuple[tuple[TaxAmount, ...], list[tuple[TaxAmount, ...]], list[Decimal]]:
    """Rules 3-4 for every taxed amount (lines, then fees): the receipt's taxes per name and
    rate in order of first appearance, and per amount its TaxAmounts and their sum.

    Amounts that share a tax list (the same tuple object: a catalog's tax group, or what the
    cart parser builds for equal lists) are worked a column at a time, one list per tax."""
    policy = cart.policy
    rounding = policy.rounding_mode.value
    included = cart.taxes_included
    count = len(amounts)
    tax_amounts: list[tuple[TaxAmount, ...]] = [()] * count
    tax_totals = [zero] * count

    # Group the amounts by tax list, in order of first appearance: by tuple object first, then
    # by the Tax objects it holds (two tuples of the same Tax objects tax alike).
    groups: list[tuple[tuple[Tax, ...], list[int]]] = []
    by_id: dict[int, list[int]] = {}
    by_taxes: dict[tuple[int, ...], list[int]] = {}
    shared = tax_lists[0] if count else ()
    if shared and sum(map(is_, tax_lists, repeat(shared))) == count:
        groups.append((shared, list(range(count))))  # one list for all (counted in C)
    for i, taxes in enumerate(tax_lists if not groups else ()):
        if taxes:
            where = by_id.get(id(taxes))
            if where is None:
                same = tuple(map(id, taxes))
                where = by_taxes.get(same)
                if where is None:
                    where = by_taxes[same] = []
                    groups.append((taxes, where))
                by_id[id(taxes)] = where
            where.append(i)
    if not groups:
        return (), tax_amounts, tax_totals

    per_line = policy.tax_rounding is TaxRounding.PER_LINE
    round_net = included and policy.inclusive_target is InclusiveTarget.NET
    if not per_line:
        matrix = _global_taxes(amounts, tax_lists, included, policy.inclusive_target, q, rounding)

    index: dict[tuple[str, Decimal], int] = {}
    first: list[Tax] = []
    sums: list[Decimal] = []

    def key_index(tax: Tax) -> int:
        key = tax_key(tax)
        k = index.get(key)
        if k is None:
            k = index[key] = len(first)
            first.append(tax)
            sums.append(zero)
        return k

    for taxes, where in groups:
        if len(where) < _COLUMN_MIN:
            # A few amounts: one at a time.
            fs = effective_factors(taxes) if included else None
            keys = [key_index(tax) for tax in taxes]
            for i in where:
                if per_line:
                    row = per_line_taxes(amounts[i], taxes, included, round_net, q, rounding, fs)
                else:
                    row = matrix[i]
                total = zero
                line = []
                for tax, k, t in zip(taxes, keys, row, strict=True):
                    sums[k] += t
                    total += t
                    line.append(
                        _new(
                            TaxAmount,
                            (tax.name, tax.percentage, t, tax.registration_number, tax.compound),
                        )
                    )
                tax_amounts[i] = tuple(line)
                tax_totals[i] = total
            continue
        # Many amounts: a column (one list) per tax.
        whole = len(where) == count  # every amount has this list: no gathering
        column = amounts if whole else [amounts[i] for i in where]
        if not per_line:
            cols = [[matrix[i][j] for i in where] for j in range(len(taxes))]
        elif round_net:
            fs = effective_factors(taxes)
            rows = [per_line_taxes(a, taxes, True, True, q, rounding, fs) for a in column]
            cols = [list(c) for c in zip(*rows, strict=True)]
        else:
            cols = _per_line_columns(column, taxes, included, q, rounding)
        amount_cols = []
        for tax, col in zip(taxes, cols, strict=True):
            k = key_index(tax)
            sums[k] = sum(col, sums[k])
            # TaxAmount(name, pct, t, reg, compound) for each t, built in C (map over zip).
            fields = zip(
                repeat(tax.name),
                repeat(tax.percentage),
                col,
                repeat(tax.registration_number),
                repeat(tax.compound),
            )
            amount_cols.append(list(map(_new, repeat(TaxAmount), fields)))
        if len(cols) == 1:
            totals = list(map(add, repeat(zero), cols[0]))
        elif len(cols) == 2:
            totals = list(map(add, cols[0], cols[1]))
        else:
            totals = [sum(ts, zero) for ts in zip(*cols, strict=True)]
        grouped = list(zip(*amount_cols, strict=True))
        if whole:
            tax_amounts, tax_totals = grouped, totals
        else:
            for i, line_amounts, line_total in zip(where, grouped, totals, strict=True):
                tax_amounts[i] = line_amounts
                tax_totals[i] = line_total

    receipt = tuple(
        TaxAmount(t.name, t.percentage, amount, t.registration_number, t.compound)
        for t, amount in zip(first, sums, strict=True)
    )
    return receipt, tax_amounts, tax_totals


def _per_line_columns(
    amounts: list[Decimal],
    taxes: tuple[Tax, ...],
    included: bool,
    q: Decimal,
    rounding: str,
) -> list[list[Decimal]]:
    """`per_line` rounding of one tax list over many amounts, a column per tax: the same
    arithmetic as taxes.per_line_taxes (target `tax`), in list comprehensions."""
    if included:
        divisor = ONE
        for f in effective_factors(taxes):
            divisor += f
        bases = [a / divisor for a in amounts]
    else:
        bases = amounts
    cols: list[list[Decimal]] = []
    before: list[Decimal] | None = None  # the rounded taxes so far, summed, once needed
    for j, tax in enumerate(taxes):
        rate = tax.rate
        if tax.compound and j:
            if before is None:
                before = cols[0] if j == 1 else [sum(ts, ZERO) for ts in zip(*cols, strict=True)]
            col = [
                ((b + t) * rate).quantize(q, rounding) for b, t in zip(bases, before, strict=True)
            ]
        else:
            col = [(b * rate).quantize(q, rounding) for b in bases]
        if before is not None:
            before = [t + x for t, x in zip(before, col, strict=True)]
        cols.append(col)
    return cols


def _global_taxes(
    amounts: Sequence[Decimal],
    tax_lists: Sequence[tuple[Tax, ...]],
    included: bool,
    target: InclusiveTarget,
    q: Decimal,
    rounding: str,
) -> list[list[Decimal]]:
    """`global` rounding: per tax, the unrounded amounts of all lines are summed and rounded
    once, then shared back to the lines so that lines and receipt agree to the cent. The
    unrounded amounts are exact ratios (taxes.Ratio): summed, rounded and compared exactly."""
    exact: list[list[Ratio]] = []
    bases: list[Ratio] = []
    factors: dict[int, list[Decimal]] = {}
    # Where each (line, tax position) goes: its tax key's list of entries.
    entries: dict[tuple[str, Decimal], list[tuple[int, int]]] = {}
    for i, (amount, taxes) in enumerate(zip(amounts, tax_lists, strict=True)):
        if not taxes:
            exact.append([])
            continue
        fs = factors.get(id(taxes))
        if fs is None:
            fs = factors[id(taxes)] = effective_factors(taxes)
        base, line_exact = exact_taxes(amount, taxes, included, fs)
        exact.append(line_exact)
        bases.append(base)
        for j, tax in enumerate(taxes):
            entries.setdefault(tax_key(tax), []).append((i, j))

    sums = {key: ratio_sum(exact[i][j] for i, j in where) for key, where in entries.items()}
    if included and target is InclusiveTarget.NET and entries:
        # The receipt's net is rounded; the taxes share the remainder (taxes.split_net).
        gross = sum((a for a, t in zip(amounts, tax_lists, strict=True) if t), ZERO)
        tax_total = gross - round_ratio(ratio_sum(bases), q, rounding)
        shared = split_net(tax_total, list(sums.values()), q, rounding)
        rounded_sums = dict(zip(sums, shared, strict=True))
    else:
        rounded_sums = {key: round_ratio(s, q, rounding) for key, s in sums.items()}

    out: list[list[Decimal]] = [[ZERO] * len(t) for t in tax_lists]
    for key, where in entries.items():
        shares = allocate(rounded_sums[key], [exact[i][j] for i, j in where], q)
        for (i, j), share in zip(where, shares, strict=True):
            out[i][j] = share
    return out


# ---------------------------------------------------------------------------------------------
# Refunds: what is given back when lines of a finished sale are returned.
#
# Every figure of a returned line is the sale's figure times the part of its quantity returned
# so far, rounded; a refund gives back the growth of those cumulative figures. Each cumulative
# figure is at most the sale's and equals it once everything is returned, so partial refunds
# never add up to more than the sale, per line, per tax and per fee, and the last one brings
# the sum to exactly the sale's figures. Fees, tip, shipping and duties follow the part of the
# lines' (discounted) value returned so far.


class _Returned(NamedTuple):
    """The cumulative figures of a sale's returned part."""

    amounts: list[Decimal]  # per line, after discounts
    discounts: list[list[Decimal]]  # per line, per discount
    taxes: list[list[Decimal]]  # per line, per tax; then per fee, per tax
    fees: list[Decimal]
    tip: Decimal
    shipping: Decimal
    duties: Decimal


def _share(amount: Decimal, part: Decimal, whole: Decimal, q: Decimal, rounding: str) -> Decimal:
    """`amount` x part / whole rounded, exactly `amount` when the whole is returned."""
    if part == whole:
        return amount
    if not part or not whole:
        return amount * 0
    return (amount * part / whole).quantize(q, rounding)


def _returned(sale: Totals, quantities: Sequence[Decimal], q: Decimal, rounding: str) -> _Returned:
    amounts: list[Decimal] = []
    discounts: list[list[Decimal]] = []
    taxes: list[list[Decimal]] = []
    for line, back in zip(sale.lines, quantities, strict=True):
        sold = line.item.quantity
        amount = line.sub_total - line.total_discounts
        amounts.append(_share(amount, back, sold, q, rounding))
        discounts.append([_share(d.amount, back, sold, q, rounding) for d in line.discounts])
        taxes.append([_share(t.amount, back, sold, q, rounding) for t in line.taxes])
    value = sum(line.sub_total - line.total_discounts for line in sale.lines)
    value_back = sum(amounts, ZERO)
    everything = all(
        b == line.item.quantity for line, b in zip(sale.lines, quantities, strict=True)
    )
    if everything:
        part, whole = ONE, ONE
    elif value:
        part, whole = value_back, value
    else:
        part, whole = ZERO, ONE
    fees = [_share(f.amount, part, whole, q, rounding) for f in sale.fees]
    taxes += [[_share(t.amount, part, whole, q, rounding) for t in f.taxes] for f in sale.fees]
    return _Returned(
        amounts,
        discounts,
        taxes,
        fees,
        _share(sale.total_tip, part, whole, q, rounding),
        _share(sale.total_shipping, part, whole, q, rounding),
        _share(sale.total_duties, part, whole, q, rounding),
    )


def refund_totals(
    sale: Totals,
    policy_rounding: str,
    before: Sequence[Decimal],
    after: Sequence[Decimal],
) -> Totals:
    """What a refund gives back when each line's returned quantity goes from `before` to
    `after` (cumulative, one entry per line of `sale`), as positive figures. Only the lines
    returned this time are listed. The payment figures say the refund is settled exactly
    (no cash rounding); `with_refund_cash` adds the cash handed back."""
    with decimal.localcontext(_ENGINE_CONTEXT):
        q = quantum(sale.currency)
        zero = q - q
        old = _returned(sale, before, q, policy_rounding)
        new = _returned(sale, after, q, policy_rounding)
        n = len(sale.lines)
        lines: list[LineTotals] = []
        tax_sums: dict[tuple[str, Decimal], Decimal] = {}
        receipt_discounts: dict[str, Decimal] = {}

        def taxes_back(index: int, taxes: Sequence[TaxAmount]) -> tuple[TaxAmount, ...]:
            out = []
            for k, t in enumerate(taxes):
                amount = new.taxes[index][k] - old.taxes[index][k]
                key = (t.name, t.percentage)
                tax_sums[key] = tax_sums.get(key, zero) + amount
                out.append(t._replace(amount=amount))
            return tuple(out)

        for t in sale.taxes:
            tax_sums[(t.name, t.percentage)] = zero
        for i, line in enumerate(sale.lines):
            quantity = after[i] - before[i]
            if quantity < 0:
                raise ValueError(f"line {i + 1}: a refund cannot take back what was returned")
            amount = new.amounts[i] - old.amounts[i]
            discounts = tuple(
                d._replace(amount=new.discounts[i][k] - old.discounts[i][k])
                for k, d in enumerate(line.discounts)
            )
            for d in discounts:
                if d.receipt_level:
                    receipt_discounts[d.name] = receipt_discounts.get(d.name, zero) + d.amount
            taxes = taxes_back(i, line.taxes)
            if not quantity:
                continue
            total_discounts = sum((d.amount for d in discounts), zero)
            total_taxes = sum((t.amount for t in taxes), zero)
            lines.append(
                LineTotals(
                    item=replace(line.item, quantity=quantity),
                    sub_total=amount + total_discounts,
                    discounts=discounts,
                    total_discounts=total_discounts,
                    taxes=taxes,
                    total_taxes=total_taxes,
                    total=amount if sale.taxes_included else amount + total_taxes,
                    net=amount - total_taxes if sale.taxes_included else None,
                )
            )
        fees = tuple(
            FeeTotals(
                fee.fee,
                new.fees[k] - old.fees[k],
                taxes_back(n + k, fee.taxes),
                zero,
            )
            for k, fee in enumerate(sale.fees)
        )
        fees = tuple(f._replace(total_taxes=sum((t.amount for t in f.taxes), zero)) for f in fees)
        taxes = tuple(t._replace(amount=tax_sums[(t.name, t.percentage)]) for t in sale.taxes)
        sub_total = sum((line.sub_total for line in lines), zero)
        total_discounts = sum((line.total_discounts for line in lines), zero)
        return _receipt(
            currency=sale.currency,
            included=sale.taxes_included,
            sub_total=sub_total,
            total_discounts=total_discounts,
            taxes=taxes,
            fee_total=sum((f.amount for f in fees), zero),
            tip=new.tip - old.tip,
            shipping=new.shipping - old.shipping,
            duties=new.duties - old.duties,
            lines=tuple(lines),
            fees=fees,
            receipt_discounts=tuple(
                DiscountAmount(d.name, receipt_discounts.pop(d.name, zero), d.percentage, True)
                for d in sale.receipt_discounts
            ),
            # Settled exactly: no cash rounding on what is given back.
            settle=lambda total: PaymentSummary(zero, zero, zero, zero, zero, total, zero),
        )


def with_refund_cash(totals: Totals, cash_exact: Decimal, cash_handed: Decimal) -> Totals:
    """A refund's totals once its tenders are settled: `cash_exact` of its total goes back in
    cash, as `cash_handed` (rounded to the nickel when the store rounds cash)."""
    rounding = cash_handed - cash_exact
    return replace(
        totals,
        cash_given=cash_handed,
        cash_due=cash_handed,
        cash_rounding=rounding,
        total_payments=totals.total + rounding,
    )
