"""The cart: what is being sold, with which discounts, taxes, fees and payments.

Plain immutable values. Amounts here are as entered (unit prices may carry more decimals than
the currency, e.g. fuel at 1.659 $/L); the totals engine does every rounding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum

from pos_app.domain.money import RoundingMode


class TaxRounding(Enum):
    PER_LINE = "per_line"
    GLOBAL = "global"


class InclusiveTarget(Enum):
    TAX = "tax"
    NET = "net"


class CashRounding(Enum):
    CA_005 = "CA_0.05"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Policy:
    """How totals are rounded. The defaults are the store defaults of formats/cart.md."""

    tax_rounding: TaxRounding = TaxRounding.PER_LINE
    rounding_mode: RoundingMode = RoundingMode.HALF_UP
    inclusive_target: InclusiveTarget = InclusiveTarget.TAX
    cash_rounding: CashRounding = CashRounding.CA_005


@dataclass(frozen=True, slots=True)
class Tax:
    name: str
    percentage: Decimal
    compound: bool = False
    registration_number: str | None = None
    # percentage / 100, computed once here so the totals loop never divides.
    rate: Decimal = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate", self.percentage.scaleb(-2))


@dataclass(frozen=True, slots=True)
class Discount:
    """Exactly one of `percentage` (0-100) or `amount` (fixed, in the currency) is set."""

    name: str
    percentage: Decimal | None = None
    amount: Decimal | None = None
    rate: Decimal | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if (self.percentage is None) == (self.amount is None):
            raise ValueError(f"discount {self.name!r} needs exactly one of percentage or amount")
        rate = None if self.percentage is None else self.percentage.scaleb(-2)
        object.__setattr__(self, "rate", rate)


@dataclass(frozen=True, slots=True)
class Fee:
    """Exactly one of `amount` or `percentage` (of subTotal - totalDiscounts) is set."""

    name: str
    amount: Decimal | None = None
    percentage: Decimal | None = None
    taxes: tuple[Tax, ...] = ()


@dataclass(frozen=True, slots=True)
class Item:
    name: str
    unit_price: Decimal
    quantity: Decimal
    sku: str | None = None
    barcode: str | None = None
    unit: str | None = None  # e.g. "kg" for goods sold by weight; None for pieces
    discounts: tuple[Discount, ...] = ()
    taxes: tuple[Tax, ...] = ()
    taxable: bool = True
    # Localised names (locale -> text), e.g. {"fr-CA": "Café", "en-CA": "Coffee"}.
    names: Mapping[str, str] = field(default_factory=dict)

    @property
    def applied_taxes(self) -> tuple[Tax, ...]:
        return self.taxes if self.taxable else ()

    def name_for(self, locale: str) -> str:
        return self.names.get(locale) or self.name


class PaymentType:
    """Common tender types; any SCREAMING_SNAKE string is accepted (the API's enum is open)."""

    CASH = "CASH"
    CARD = "CARD"
    GIFT_CARD = "GIFT_CARD"
    EXTERNAL = "EXTERNAL"
    ACCOUNT = "ACCOUNT"  # on a house account (Invoiced); `account` holds its number


@dataclass(frozen=True, slots=True)
class Payment:
    """For CASH, `amount` is what the customer handed over."""

    type: str
    amount: Decimal
    card_brand: str | None = None
    card_last4: str | None = None
    reference: str | None = None
    account: str | None = None  # the house account's number, for ACCOUNT

    @property
    def is_cash(self) -> bool:
        return self.type == PaymentType.CASH


@dataclass(frozen=True, slots=True)
class Customer:
    """The customer attached to a sale (a copy of what the till knows, not a live record)."""

    id: str | None = None
    first_name: str = ""
    last_name: str = ""
    email: str | None = None
    phone: str | None = None
    locale: str | None = None

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class Cart:
    currency: str
    items: tuple[Item, ...] = ()
    taxes_included: bool = False
    policy: Policy = Policy()
    discounts: tuple[Discount, ...] = ()
    fees: tuple[Fee, ...] = ()
    tip: Decimal = Decimal(0)
    shipping: Decimal = Decimal(0)
    duties: Decimal = Decimal(0)
    payments: tuple[Payment, ...] = ()
    customer: Customer | None = None

    def with_items(self, items: tuple[Item, ...]) -> Cart:
        return replace(self, items=items)

    def with_payments(self, payments: tuple[Payment, ...]) -> Cart:
        return replace(self, payments=payments)
