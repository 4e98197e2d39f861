"""Refunds of finished sales: partial returns never give back more than the sale took, per
line, per tax and per tender, and a whole return gives back exactly what was paid."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pos_app.domain.cart import Cart, Payment
from pos_app.domain.cart_format import parse_cart
from pos_app.domain.money import quantum
from pos_app.domain.payments import round_cash
from pos_app.domain.refunds import (
    Refund,
    RefundError,
    Returned,
    plan_refund,
    sale_tenders,
    whole_return,
)
from pos_app.domain.totals import Totals, compute_totals

from .strategies import cart_dicts

EXAMPLES = settings(max_examples=int(os.environ.get("POS_DOMAIN_EXAMPLES", "150")), deadline=None)
D = Decimal


@st.composite
def paid_sales(draw: st.DrawFn) -> tuple[Cart, Totals]:
    """A random cart (every rule of the engine), paid in cash, by card, or split."""
    document = draw(cart_dicts(("CAD", "USD", "JPY", "KWD")))
    document["payments"] = []
    cart = parse_cart(document)
    assume(cart.items)  # an empty cart is never a sale
    total = compute_totals(cart).total
    q = quantum(cart.currency)
    kind = draw(st.sampled_from(["cash", "card", "split", "two cards and cash"]))
    payments: list[Payment] = []
    if kind == "card":
        payments = [Payment("CARD", total)]
    else:
        if kind != "cash":
            card = q * draw(st.integers(0, int(total / q)))
            payments.append(Payment("CARD", card))
            if kind == "two cards and cash":
                gift = q * draw(st.integers(0, int((total - card) / q)))
                payments.append(Payment("GIFT_CARD", gift))
        rest = total - sum((p.amount for p in payments), Decimal(0))
        due = round_cash(rest, cart.currency, cart.policy.cash_rounding)
        payments.append(Payment("CASH", due + q * draw(st.integers(0, 2000))))
    cart = cart.with_payments(tuple(payments))
    totals = compute_totals(cart)
    assert totals.is_paid
    return cart, totals


def _returns(data: st.DataObject, cart: Cart, returned: Returned) -> dict[int, Decimal]:
    """Some of what is left: a random part of a few lines, in the line's own steps."""
    choice: dict[int, Decimal] = {}
    for i, left in enumerate(returned.left(cart)):
        if left <= 0 or not data.draw(st.booleans()):
            continue
        step = Decimal(1) if cart.items[i].unit is None else Decimal("0.001")
        if left % step:
            step = left  # sold in parts finer than the step: return it whole
        steps = int(left / step)
        choice[i] = step * data.draw(st.integers(1, steps))
    return choice


def _sum_by_tax(refunds: list[Refund]) -> dict[tuple[str, Decimal], Decimal]:
    out: dict[tuple[str, Decimal], Decimal] = defaultdict(Decimal)
    for r in refunds:
        for t in r.totals.taxes:
            out[(t.name, t.percentage)] += t.amount
    return out


@EXAMPLES
@given(data=st.data(), sale=paid_sales())
def test_partial_returns_never_give_back_more_than_the_sale_took(
    data: st.DataObject, sale: tuple[Cart, Totals]
) -> None:
    cart, totals = sale
    returned = Returned.nothing(cart, totals)
    refunds: list[Refund] = []
    all_original = True
    for _ in range(data.draw(st.integers(0, 4))):
        choice = _returns(data, cart, returned)
        if not choice:
            continue
        to_cash = data.draw(st.booleans())
        all_original &= not to_cash
        refund = plan_refund(cart, totals, returned, choice, to_cash=to_cash)
        refunds.append(refund)
        returned = returned.plus(refund.record)

        # Nothing negative in any refund.
        back = refund.totals
        assert min((back.total, back.total_taxes, back.total_fees, refund.record.cash_handed)) >= 0
        assert all(a >= 0 for a in refund.record.taken)
        assert sum(refund.record.taken, Decimal(0)) == back.total
        # Per line: quantities and amounts.
        for i, line in enumerate(totals.lines):
            assert returned.quantities[i] <= line.item.quantity
        back_per_line: dict[str, Decimal] = defaultdict(Decimal)
        for r in refunds:
            for line in r.totals.lines:
                back_per_line[line.item.name] += line.total
        sold_per_line: dict[str, Decimal] = defaultdict(Decimal)
        for line in totals.lines:
            sold_per_line[line.item.name] += line.total
        assert all(back_per_line[k] <= sold_per_line[k] for k in back_per_line)
        # Per tax.
        sold_taxes = {(t.name, t.percentage): t.amount for t in totals.taxes}
        for key, amount in _sum_by_tax(refunds).items():
            assert amount <= sold_taxes[key], key
        # Per tender, and in total.
        for tender, taken in zip(sale_tenders(cart, totals), returned.taken, strict=True):
            assert taken <= tender.paid
        assert sum((r.totals.total for r in refunds), Decimal(0)) <= totals.total
        if all_original:
            assert returned.cash_handed <= totals.cash_due
            paid_back = sum((r.totals.total_payments for r in refunds), Decimal(0))
            assert paid_back <= totals.total_payments

    # The rest, to the original tenders: everything comes back exactly.
    rest = whole_return(cart, returned)
    if rest:
        final = plan_refund(cart, totals, returned, rest, to_cash=False)
        refunds.append(final)
        returned = returned.plus(final.record)
    assert sum((r.totals.total for r in refunds), Decimal(0)) == totals.total
    for tax in totals.taxes:
        assert _sum_by_tax(refunds)[(tax.name, tax.percentage)] == tax.amount
    for tender, taken in zip(sale_tenders(cart, totals), returned.taken, strict=True):
        assert taken == tender.paid
    if all_original:
        assert returned.cash_handed == totals.cash_due
        paid_back = sum((r.totals.total_payments for r in refunds), Decimal(0))
        assert paid_back == totals.total_payments


QC_TAXES = (
    '[{"name": "GST", "percentage": "5", "taxIdentificationNumber": "123456789 RT0001"},'
    ' {"name": "QST", "percentage": "9.975"}]'
)


def _store_sale() -> tuple[Cart, Totals]:
    """A discounted, two-tax, fee-bearing sale paid in cash that the nickel rounds."""
    import json

    taxes = json.loads(QC_TAXES)
    cart = parse_cart(
        {
            "currency": "CAD",
            "items": [
                {"name": "Café", "unitPrice": "4.99", "quantity": "3", "taxes": taxes},
                {
                    "name": "Fromage",
                    "unitPrice": "18.49",
                    "quantity": "0.736",
                    "unit": "kg",
                    "taxes": taxes,
                    "discounts": [{"name": "Fin de journée", "percentage": "15"}],
                },
                {"name": "Pain", "unitPrice": "3.25", "quantity": "2"},
            ],
            "discounts": [{"name": "Fidélité", "amount": "1.00"}],
            "fees": [{"name": "Sac", "amount": "0.10", "taxes": taxes}],
            "payments": [{"type": "CASH", "amount": "50.00"}],
        }
    )
    return cart, compute_totals(cart)


def test_whole_return_of_a_discounted_two_tax_fee_bearing_cash_sale_gives_back_what_was_paid():
    cart, totals = _store_sale()
    assert totals.cash_rounding != 0 and totals.total_discounts and totals.total_fees
    nothing = Returned.nothing(cart, totals)
    refund = plan_refund(cart, totals, nothing, whole_return(cart, nothing), to_cash=False)
    assert refund.totals.total == totals.total
    assert refund.record.cash_handed == totals.cash_due
    assert refund.totals.total_payments == totals.total_payments
    assert refund.totals.taxes == totals.taxes
    assert refund.totals.total_discounts == totals.total_discounts
    assert refund.cart.payments == (Payment("CASH", totals.cash_due),)


def test_returns_in_parts_add_up_to_the_sale_and_each_is_rounded_to_the_nickel():
    cart, totals = _store_sale()
    returned = Returned.nothing(cart, totals)
    handed = []
    for choice in ({0: D(1)}, {1: D("0.300")}, {0: D(2), 2: D(1)}, {1: D("0.436"), 2: D(1)}):
        refund = plan_refund(cart, totals, returned, choice, to_cash=False)
        returned = returned.plus(refund.record)
        handed.append(refund.record.cash_handed)
        assert refund.record.cash_handed % D("0.05") == 0
    assert sum(handed) == totals.cash_due


def test_over_returns_and_bad_quantities_are_refused_with_every_reason():
    cart, totals = _store_sale()
    returned = Returned.nothing(cart, totals)
    first = plan_refund(cart, totals, returned, {0: D(2)}, to_cash=False)
    returned = returned.plus(first.record)
    with pytest.raises(RefundError) as refused:
        plan_refund(
            cart, totals, returned, {0: D(2), 1: D("0.0005"), 2: D("1.5"), 7: D(1)}, to_cash=False
        )
    assert refused.value.problems == [
        "line 1: Café: 2 asked, only 1 left to return (sold 3)",
        "line 2: Fromage is returned in at most 3 decimals",
        "line 3: Pain is returned in whole pieces",
        "line 8: the sale has 3 line(s)",
    ]
    with pytest.raises(RefundError):
        plan_refund(cart, totals, returned, {}, to_cash=False)


def test_a_card_sale_refunded_to_cash_is_handed_back_rounded_to_the_nickel():
    cart, totals = _store_sale()
    cart = cart.with_payments((Payment("CARD", totals.total),))
    totals = compute_totals(cart)
    returned = Returned.nothing(cart, totals)
    refund = plan_refund(cart, totals, returned, whole_return(cart, returned), to_cash=True)
    assert refund.record.taken == (totals.total,)
    assert refund.record.cash_handed == round_cash(totals.total, "CAD", cart.policy.cash_rounding)
    assert [p.type for p in refund.cart.payments] == ["CASH"]
    card_back = plan_refund(cart, totals, returned, {2: D(1)}, to_cash=False)
    assert card_back.cart.payments == (replace(cart.payments[0], amount=card_back.totals.total),)
