"""money.py: ISO 4217 minor units, exact parsing (no floats, no exponents), Money arithmetic."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain import money
from pos_app.domain.money import (
    MINOR_UNITS,
    AmountError,
    CurrencyError,
    Money,
    RoundingMode,
    format_amount,
    minor_unit,
    quantum,
    round_to,
    to_decimal,
)

# ISO 4217 list one (minor unit column), spot checks across the four groups.
ISO_4217_SPOT_CHECKS = {
    "CAD": 2,
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "CHF": 2,
    "MXN": 2,
    "HUF": 2,
    "IDR": 2,
    "JPY": 0,
    "ISK": 0,
    "KRW": 0,
    "VND": 0,
    "CLP": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    "UGX": 0,
    "PYG": 0,
    "KWD": 3,
    "BHD": 3,
    "JOD": 3,
    "OMR": 3,
    "TND": 3,
    "IQD": 3,
    "LYD": 3,
    "CLF": 4,
    "UYW": 4,
    # 2024-2025 additions and replacements
    "VED": 2,
    "SLE": 2,
    "ZWG": 2,
    "XCG": 2,
}


@pytest.mark.parametrize(("code", "places"), sorted(ISO_4217_SPOT_CHECKS.items()))
def test_minor_units_follow_iso_4217(code: str, places: int) -> None:
    assert minor_unit(code) == places
    assert quantum(code) == Decimal(1).scaleb(-places)
    assert quantum(code).as_tuple().exponent == -places


def test_the_list_is_complete_and_has_no_duplicates() -> None:
    groups = [money._MINOR_UNITS_0, money._MINOR_UNITS_2, money._MINOR_UNITS_3]
    groups.append(money._MINOR_UNITS_4)
    codes = [c for group in groups for c in group]
    assert len(codes) == len(set(codes)) == len(MINOR_UNITS)  # no code in two groups
    assert all(len(c) == 3 and c.isalpha() and c.isupper() for c in codes)
    assert len(MINOR_UNITS) > 160  # the active list (166 codes in 2025), not a handful
    # Withdrawn codes and no-minor-unit codes are not money a till takes.
    for code in ("HRK", "VEF", "CUC", "MRO", "STD", "BYR", "XDR", "XAU", "XXX", "XTS"):
        assert code not in MINOR_UNITS


@pytest.mark.parametrize("code", ["cad", "CA", "CADD", "XXX", "", "BTC"])
def test_unknown_currencies_are_refused(code: str) -> None:
    with pytest.raises(CurrencyError):
        minor_unit(code)
    with pytest.raises(CurrencyError):
        Money(Decimal(1), code)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12.99", Decimal("12.99")),
        ("0.735", Decimal("0.735")),
        ("9.975", Decimal("9.975")),
        (" 5 ", Decimal("5")),
        ("+1.5", Decimal("1.5")),
        ("-2.50", Decimal("-2.50")),
        (".5", Decimal("0.5")),
        ("5.", Decimal("5")),
        (7, Decimal(7)),
        (Decimal("1.659"), Decimal("1.659")),
        ("999999999999.99", Decimal("999999999999.99")),
    ],
)
def test_to_decimal_accepts_exact_decimals(value: object, expected: Decimal) -> None:
    result = to_decimal(value)
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.1, "binary float"),
        (1.0, "binary float"),
        (float("nan"), "binary float"),
        (True, "true or false"),
        (False, "true or false"),
        ("1e400", "not a decimal number"),
        ("1E5", "not a decimal number"),
        ("1e-2", "not a decimal number"),
        ("NaN", "not a decimal number"),
        ("nan", "not a decimal number"),
        ("sNaN", "not a decimal number"),
        ("Infinity", "not a decimal number"),
        ("-Infinity", "not a decimal number"),
        ("inf", "not a decimal number"),
        ("", "not a decimal number"),
        ("1,5", "not a decimal number"),
        ("1_000", "not a decimal number"),
        ("0x10", "not a decimal number"),
        ("12.99 $", "not a decimal number"),
        ("--1", "not a decimal number"),
        (Decimal("NaN"), "out of range"),
        (Decimal("Infinity"), "out of range"),
        (Decimal("1e400"), "out of range"),
        ("1000000000000", "out of range"),
        ("9" * 5000, "out of range"),
        (10**12, "out of range"),
        pytest.param(10**5000, "out of range", id="int-of-5000-digits"),
        (None, "got NoneType"),
        ([1], "got list"),
        ({"amount": "1"}, "got dict"),
    ],
)
def test_to_decimal_refuses_what_is_not_an_exact_amount(value: object, message: str) -> None:
    with pytest.raises(AmountError, match=message):
        to_decimal(value)


def test_negative_zero_is_plain_zero() -> None:
    for text in ("-0", "-0.00", "+0.0"):
        value = to_decimal(text)
        assert value == 0 and not value.is_signed()
    assert format_amount(Decimal("-0.00"), "CAD") == "0.00"
    assert format_amount(Decimal("-0.004"), "CAD") == "0.00"
    assert format_amount(Decimal("-1.50"), "CAD") == "-1.50"


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("4.9", "CAD", "4.90"),
        ("500", "JPY", "500"),
        ("1.25", "KWD", "1.250"),
        ("0", "CLF", "0.0000"),
        ("12345678.5", "EUR", "12345678.50"),
    ],
)
def test_format_amount_has_exactly_the_currency_decimals(
    amount: str, currency: str, text: str
) -> None:
    assert format_amount(Decimal(amount), currency) == text
    assert str(Money.of(amount, currency)) == text


@pytest.mark.parametrize(
    ("amount", "currency", "half_up", "half_even"),
    [
        ("0.125", "CAD", "0.13", "0.12"),
        ("0.135", "CAD", "0.14", "0.14"),
        ("2.5", "JPY", "3", "2"),
        ("3.5", "JPY", "4", "4"),
        ("1.0005", "KWD", "1.001", "1.000"),
        ("-0.125", "CAD", "-0.13", "-0.12"),  # half away from zero, as decimal.ROUND_HALF_UP
    ],
)
def test_round_to_uses_the_named_mode(
    amount: str, currency: str, half_up: str, half_even: str
) -> None:
    assert str(round_to(Decimal(amount), currency, RoundingMode.HALF_UP)) == half_up
    assert str(round_to(Decimal(amount), currency, RoundingMode.HALF_EVEN)) == half_even


def test_money_is_exact_and_refuses_extra_decimals_and_non_finite_amounts() -> None:
    assert Money(Decimal("5"), "CAD").amount.as_tuple().exponent == -2
    assert str(Money(Decimal("5"), "CAD")) == "5.00"
    with pytest.raises(AmountError):
        Money(Decimal("1.005"), "CAD")
    with pytest.raises(AmountError):
        Money(Decimal("0.5"), "JPY")
    with pytest.raises(AmountError):
        Money(1.5, "CAD")  # type: ignore[arg-type]
    with pytest.raises(AmountError):
        Money("1.50", "CAD")  # type: ignore[arg-type]
    for bad in ("NaN", "Infinity", "-Infinity", "sNaN"):
        with pytest.raises(AmountError):
            Money(Decimal(bad), "CAD")
    with pytest.raises(AmountError):
        Money.of(0.1, "CAD")
    with pytest.raises(AmountError):
        Money.of("1e400", "CAD")
    assert Money.of("1.005", "CAD") == Money(Decimal("1.01"), "CAD")
    assert Money.of("1.005", "CAD", RoundingMode.HALF_EVEN) == Money(Decimal("1.00"), "CAD")


def test_money_arithmetic_and_order() -> None:
    a, b = Money.of("4.92", "CAD"), Money.of("0.08", "CAD")
    assert a + b == Money.of("5", "CAD")
    assert a - b == Money.of("4.84", "CAD")
    assert -b == Money.of("-0.08", "CAD")
    assert b < a and b <= a and a > b and a >= b and a <= a
    assert Money.zero("JPY") == Money(Decimal(0), "JPY")
    assert Money.of("5", "CAD") != Money.of("5", "USD")
    assert len({Money.of("5", "CAD"), Money.of("5.00", "CAD")}) == 1


def test_money_never_mixes_currencies() -> None:
    cad, usd = Money.of("1", "CAD"), Money.of("1", "USD")
    for operation in (
        lambda: cad + usd,
        lambda: cad - usd,
        lambda: cad < usd,
        lambda: cad <= usd,
    ):
        with pytest.raises(CurrencyError):
            operation()
    with pytest.raises(TypeError):
        cad + Decimal(1)  # type: ignore[operator]


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=6, min_value=-(10**9), max_value=10**9
    )
)
def test_to_decimal_round_trips_its_own_text(value: Decimal) -> None:
    text = f"{value:f}"
    assert to_decimal(text) == value
    assert to_decimal(value) == value
