"""Amounts, quantities, rates and dates as people of one locale write them (babel, CLDR data):
fr-CA `1 234,56 $`, en-CA `$1,234.56`.

babel's `format_currency` costs ~12 µs a call, a noticeable share of a 300-line receipt, so the
money formatter reads the locale's pattern once and applies it with str.format; it checks itself
against babel on sample amounts when built and falls back to babel for any locale or currency
whose rules it does not reproduce (other digit groupings, for instance). Never float.
"""

from __future__ import annotations

import functools
import logging
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
)

from pos_app.domain.money import minor_unit, quantum

log = logging.getLogger(__name__)

# Amounts the fast path must print exactly as babel does before it is trusted.
_SAMPLES = tuple(
    Decimal(v)
    for v in ("0", "0.05", "1", "12.34", "-1.5", "999.99", "1000", "-1234.56", "1234567.89")
)


class LocaleFormat:
    """Formatting for one locale ("fr-CA") and one currency ("CAD")."""

    def __init__(self, locale: str, currency: str) -> None:
        self.locale = Locale.parse(locale.replace("-", "_"))
        self.currency = currency
        self._quantum = quantum(currency)
        self._digits = minor_unit(currency)
        pattern = self.locale.currency_formats["standard"]
        symbol = get_currency_symbol(currency, self.locale)
        self._prefix = tuple(p.replace("¤", symbol) for p in pattern.prefix)
        self._suffix = tuple(s.replace("¤", symbol) for s in pattern.suffix)
        self._separators = str.maketrans(
            {",": get_group_symbol(self.locale), ".": get_decimal_symbol(self.locale)}
        )
        self._fast = (
            pattern.grouping == (3, 3)
            and "¤¤" not in pattern.pattern
            and all(self._fast_money(v) == self._babel_money(v) for v in _SAMPLES)
        )

    def _babel_money(self, amount: Decimal) -> str:
        return format_currency(amount, self.currency, locale=self.locale)

    def _fast_money(self, amount: Decimal) -> str:
        negative = amount < 0
        body = format(-amount if negative else amount, f",.{self._digits}f")
        return self._prefix[negative] + body.translate(self._separators) + self._suffix[negative]

    def money(self, amount: Decimal) -> str:
        """An amount at the currency's minor unit: "12,34 $"."""
        value = amount.quantize(self._quantum)
        if value == 0:
            value = abs(value)  # never "-0,00 $"
        return self._fast_money(value) if self._fast else self._babel_money(value)

    def unit_price(self, amount: Decimal) -> str:
        """A price that may be finer than the currency (fuel at 1,659 $/L keeps its digits)."""
        if amount == amount.quantize(self._quantum):
            return self.money(amount)
        return format_currency(
            amount, self.currency, locale=self.locale, decimal_quantization=False
        )

    def quantity(self, value: Decimal) -> str:
        """A quantity with its significant decimals only: "2", "0,735"."""
        return _quantity(value, self.locale)

    def percent(self, value: Decimal) -> str:
        """A rate given in percent (9.975): "9,975 %" in French, "9.975%" in English."""
        return _percent(value, self.locale)

    def moment(self, when: datetime, timezone: str) -> str:
        """Date and time in the store's timezone: "21 janv. 2025 13 h 54" in fr-CA,
        "Jan 21, 2025 1:54 p.m." in en-CA."""
        try:
            zone, suffix = ZoneInfo(timezone), ""
        except (ZoneInfoNotFoundError, ValueError):
            # A store set up with an unknown zone still gets its receipts, in UTC and saying
            # so, rather than none at all.
            log.warning("unknown store timezone %r: receipt times printed in UTC", timezone)
            zone, suffix = ZoneInfo("UTC"), " UTC"
        local = when.astimezone(zone)
        day = format_date(local, "medium", locale=self.locale)
        return f"{day} {format_time(local, 'short', locale=self.locale)}{suffix}"


# Quantities and rates repeat from line to line (1, 2, 5 %, 9.975 %); babel takes ~10 µs each.
# Bounded: weights make many distinct quantities over a till's day.
@functools.lru_cache(maxsize=4096)
def _quantity(value: Decimal, locale: Locale) -> str:
    return format_decimal(value, locale=locale, decimal_quantization=False)


@functools.lru_cache(maxsize=1024)
def _percent(value: Decimal, locale: Locale) -> str:
    return format_percent(value.scaleb(-2), locale=locale, decimal_quantization=False)


@functools.cache
def locale_format(locale: str, currency: str) -> LocaleFormat:
    """The shared, cached formatter of one locale and currency."""
    return LocaleFormat(locale, currency)
