"""Cash counts and the drawer's expected cash."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos_app.domain.shifts import CashFigures, CountError, counted_total, parse_count

D = Decimal


def test_a_count_by_denomination_adds_up():
    count = parse_count("20x3, 5x2,2x4,0.25x8,0.05x3")
    assert count == {D(20): 3, D(5): 2, D(2): 4, D("0.25"): 8, D("0.05"): 3}
    assert counted_total(count) == D("80.15")


def test_pennies_unknown_notes_and_repeats_are_refused_with_every_reason():
    with pytest.raises(CountError) as refused:
        parse_count("0.01x5,3x1,20x2,20x1,abc")
    assert [p.split(":")[0] for p in refused.value.problems] == [
        "'0.01x5'",
        "'3x1'",
        "'20x1'",
        "'abc'",
    ]
    with pytest.raises(CountError):
        parse_count(" , ")


def test_expected_cash_is_float_plus_sales_less_refunds_with_rounding_and_movements():
    cash = CashFigures(D("200.00"), D("100.02"), D("10.01"), D("-0.01"), D("20.00"), D("5.00"))
    assert cash.expected == D("305.00")
