"""Rules 6 and 7 of formats/cart.md: what the customer pays, in cash and otherwise.

Canadian cash rounding (Finance Canada, 2013) applies to the cash part only: a last cent digit
of 1 or 2 goes down to 0, 3 or 4 up to 5, 6 or 7 down to 5, 8 or 9 up to 10. Taxes and the
card part are never rounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from pos_app.domain.cart import CashRounding, Payment
from pos_app.domain.money import minor_unit, quantum

ZERO = Decimal(0)
NICKEL = Decimal("0.05")
ONE = Decimal(1)


def round_cash(amount: Decimal, currency: str, policy: CashRounding) -> Decimal:
    """The cash amount actually due for `amount`. Only cents currencies have a 0.05 step; with
    whole cents, the nearest 0.05 never ties, so HALF_UP is exact for the 1-2/3-4/6-7/8-9 table."""
    if policy is CashRounding.NONE or minor_unit(currency) != 2:
        return amount
    return (amount / NICKEL).quantize(ONE, ROUND_HALF_UP) * NICKEL


class PaymentSummary(NamedTuple):
    non_cash: Decimal
    cash_given: Decimal
    cash_due: Decimal
    cash_rounding: Decimal
    change_due: Decimal
    total_payments: Decimal
    balance_due: Decimal


def summarize(
    total: Decimal, payments: Sequence[Payment], currency: str, policy: CashRounding
) -> PaymentSummary:
    """Split tender: non-cash payments first, the cash part is what remains, rounded.
    Every figure carries the currency's exponent ('0.00', never '0')."""
    zero = quantum(currency) * 0
    non_cash = cash_given = zero
    has_cash = False
    for p in payments:
        if p.is_cash:
            cash_given += p.amount
            has_cash = True
        else:
            non_cash += p.amount
    cash_part = max(total - non_cash, zero)
    cash_due = round_cash(cash_part, currency, policy) if has_cash else zero
    rounding = cash_due - cash_part if has_cash else zero
    paid_in_cash = min(cash_given, cash_due)
    total_payments = non_cash + paid_in_cash
    return PaymentSummary(
        non_cash=non_cash,
        cash_given=cash_given,
        cash_due=cash_due,
        cash_rounding=rounding,
        change_due=max(cash_given - cash_due, zero),
        total_payments=total_payments,
        balance_due=max(total + rounding - total_payments, zero),
    )


def cash_due_for(
    total: Decimal, payments: Sequence[Payment], currency: str, policy: CashRounding
) -> Decimal:
    """What to ask in cash for the rest of `total` after `payments` (the payment dialog's
    pre-filled "exact" amount)."""
    paid = sum((p.amount for p in payments), ZERO)
    return round_cash(max(total - paid, ZERO), currency, policy)
