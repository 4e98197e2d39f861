"""Exact money: Decimal amounts quantized to each ISO 4217 currency's minor unit.

Floats are refused everywhere: an amount that went through binary floating point is already
wrong in its last digit, and on a receipt a wrong cent is a wrong receipt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum

# ISO 4217 active codes and their minor units (list one, 2025 amendments: XCG, ZWG, VED,
# SLE included). Precious metals, SDR and test codes have no minor unit and are not money a
# till takes, so they are left out on purpose.
_MINOR_UNITS_0 = ("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF").split()
_MINOR_UNITS_3 = "BHD IQD JOD KWD LYD OMR TND".split()
_MINOR_UNITS_4 = "CLF UYW".split()
_MINOR_UNITS_2 = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD "
    "FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD "
    "KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD "
    "NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP "
    "SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED "
    "VES WST XCD XCG YER ZAR ZMW ZWG"
).split()

MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(_MINOR_UNITS_2, 2),
    **dict.fromkeys(_MINOR_UNITS_0, 0),
    **dict.fromkeys(_MINOR_UNITS_3, 3),
    **dict.fromkeys(_MINOR_UNITS_4, 4),
}

# Amounts at or beyond this magnitude are input mistakes, not sales (and would let "1e400"
# through as a finite Decimal).
MAX_MAGNITUDE = Decimal("1e12")

# ASCII digits only: "١٢" is a number to Python's Decimal, not to a receipt.
_PLAIN_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", re.ASCII)


class RoundingMode(Enum):
    """The rounding modes a store may choose; values are the `decimal` module's constants."""

    HALF_UP = ROUND_HALF_UP
    HALF_EVEN = ROUND_HALF_EVEN


class CurrencyError(ValueError):
    """An unknown currency code, or two currencies mixed in one operation."""


class AmountError(ValueError):
    """A value that is not an exact decimal amount we accept."""


def minor_unit(currency: str) -> int:
    """Number of decimals of `currency` (CAD 2, JPY 0, KWD 3)."""
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise CurrencyError(f"unknown currency {currency!r}") from None


def quantum(currency: str) -> Decimal:
    """The smallest amount of `currency`: Decimal('0.01') for CAD, Decimal('1') for JPY."""
    return Decimal(1).scaleb(-minor_unit(currency))


def round_to(amount: Decimal, currency: str, mode: RoundingMode) -> Decimal:
    """`amount` rounded to the minor unit of `currency` with an explicit rounding mode."""
    return amount.quantize(quantum(currency), rounding=mode.value)


def to_decimal(value: object) -> Decimal:
    """An exact Decimal from a decimal string, an int or a Decimal. Floats, exponents,
    NaN, infinities and absurd magnitudes are refused with a message fit for a person."""
    if isinstance(value, bool):
        raise AmountError("must be a decimal string, not true or false")
    if isinstance(value, float):
        raise AmountError("must be a decimal string, not a binary float")
    if isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, Decimal):
        result = value
    elif isinstance(value, str):
        text = value.strip()
        if not _PLAIN_DECIMAL.match(text):
            raise AmountError(f"{value!r} is not a decimal number")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise AmountError(f"{value!r} is not a decimal number") from None
    else:
        raise AmountError(f"must be a decimal string, got {type(value).__name__}")
    if not result.is_finite() or abs(result) >= MAX_MAGNITUDE:
        raise AmountError(f"{_shown(value, result)} is out of range")
    # "-0" and "-0.00" are zero: a signed zero would print as "-0.00" on a receipt.
    return result.copy_abs() if result.is_zero() else result


def _shown(value: object, result: Decimal) -> str:
    """A short rendering of a refused value (str() of a 5,000-digit int raises ValueError)."""
    if isinstance(value, str):
        text = value
    elif result.is_finite() and result.adjusted() >= 40:
        text = f"{result:.3E}"
    else:
        text = str(result)
    return text if len(text) <= 40 else f"{text[:37]}..."


def format_amount(amount: Decimal, currency: str) -> str:
    """Plain text with exactly the currency's decimals ('4.90', '500', '1.250'); never '-0.00'."""
    value = amount.quantize(quantum(currency))
    return f"{value.copy_abs() if value.is_zero() else value:f}"


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one currency, always at the currency's minor unit."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise AmountError("Money needs a Decimal amount")
        if not self.amount.is_finite():
            raise AmountError(f"Money needs a finite amount, got {self.amount}")
        q = quantum(self.currency)
        if self.amount != self.amount.quantize(q):
            places = minor_unit(self.currency)
            raise AmountError(
                f"{self.amount} has more decimals than {self.currency} allows ({places})"
            )
        # Normalise the exponent so equal amounts print the same ('5' -> '5.00').
        object.__setattr__(self, "amount", self.amount.quantize(q))

    @classmethod
    def of(cls, value: object, currency: str, mode: RoundingMode = RoundingMode.HALF_UP) -> Money:
        """Money from any exact value, rounded to the minor unit with `mode`."""
        return cls(round_to(to_decimal(value), currency, mode), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __str__(self) -> str:
        return format_amount(self.amount, self.currency)
