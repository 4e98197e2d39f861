"""The receipt's formatters agree with babel: the fast money path prints exactly what
`babel.numbers.format_currency` prints, and labels come from the gettext catalogs."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from babel.numbers import format_currency

from pos_app.domain.money import quantum
from pos_app.domain.paper import ReceiptLanguage
from pos_app.wording.formatting import LocaleFormat, locale_format
from pos_app.wording.labels import Labels

CASES = [
    ("fr-CA", "CAD"),
    ("en-CA", "CAD"),
    ("fr-CA", "USD"),
    ("en-US", "USD"),
    ("fr-FR", "EUR"),
    ("de-CH", "CHF"),
    ("ja-JP", "JPY"),
    ("ar-KW", "KWD"),
    ("en-IN", "INR"),  # 12,34,567.89: another grouping, served by babel itself
]


def amounts(currency: str) -> list[Decimal]:
    rng = random.Random(20250121)
    q = quantum(currency)
    values = [Decimal(0), Decimal("0.05"), Decimal("-0.02"), Decimal("999999999.99")]
    values += [Decimal(rng.randrange(-(10**9), 10**9)).scaleb(-2) for _ in range(300)]
    # A negative zero (-0.02 in yen) is printed "0" on purpose: see test_never_a_negative_zero.
    return [v.quantize(q) for v in values if not (v.quantize(q) == 0 and v < 0)]


@pytest.mark.parametrize(("locale", "currency"), CASES)
def test_money_matches_babel(locale: str, currency: str) -> None:
    fmt = LocaleFormat(locale, currency)
    babel_locale = locale.replace("-", "_")
    for amount in amounts(currency):
        expected = format_currency(amount, currency, locale=babel_locale)
        assert fmt.money(amount) == expected, amount


def test_fast_path_is_used_where_it_is_exact() -> None:
    assert LocaleFormat("fr-CA", "CAD")._fast
    assert LocaleFormat("en-CA", "CAD")._fast
    assert not LocaleFormat("en-IN", "INR")._fast


def test_never_a_negative_zero() -> None:
    assert locale_format("fr-CA", "CAD").money(Decimal("-0.00")) == "0,00\u00a0$"


def test_quantities_percents_and_fine_prices() -> None:
    fr, en = locale_format("fr-CA", "CAD"), locale_format("en-CA", "CAD")
    assert fr.quantity(Decimal("0.735")) == "0,735"
    assert fr.quantity(Decimal("2")) == "2"
    assert en.quantity(Decimal("1234.5")) == "1,234.5"
    assert fr.percent(Decimal("9.975")) == "9,975\u00a0%"
    assert en.percent(Decimal("5")) == "5%"
    assert fr.unit_price(Decimal("1.659")) == "1,659\u00a0$"
    assert en.unit_price(Decimal("8.99")) == "$8.99"


def test_moments_in_the_store_timezone() -> None:
    when = datetime(2025, 7, 1, 3, 5, tzinfo=UTC)  # summer: Montréal is UTC-4
    assert locale_format("fr-CA", "CAD").moment(when, "America/Toronto") == "30 juin 2025 23 h 05"
    assert (
        locale_format("en-CA", "CAD").moment(when, "America/Vancouver")
        == "Jun 30, 2025 8:05\u202fp.m."
    )


def test_an_unknown_store_timezone_prints_utc_and_says_so() -> None:
    when = datetime(2025, 1, 21, 18, 54, tzinfo=UTC)
    assert locale_format("fr-CA", "CAD").moment(when, "Mars/Olympus") == "21 janv. 2025 18 h 54 UTC"


def test_labels_in_one_or_both_languages() -> None:
    fr, en, both = (Labels(lang) for lang in ReceiptLanguage)
    assert fr("Subtotal") == "Sous-total"
    assert en("Subtotal") == "Subtotal"
    assert both("Subtotal") == "Sous-total / Subtotal"
    assert both("TOTAL") == "TOTAL"
    assert both.tax("GST") == "TPS/GST"
    assert both.tax("Éco-frais") == "Éco-frais"  # the store's own tax names pass through
    assert fr.page(2, 3) == "Page 2 de 3"
    assert both.page(1, 2) == "Page 1 de 2 / Page 1 of 2"
