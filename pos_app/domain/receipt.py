"""A receipt: a finished sale as a fact, with everything the paper and the API need.

Built once when the sale is committed; never changed afterwards (a correction is a new sale).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from pos_app.domain.cart import Cart, Customer
from pos_app.domain.money import format_amount
from pos_app.domain.totals import Totals, compute_totals


@dataclass(frozen=True, slots=True)
class Address:
    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    state_code: str = ""
    country: str = ""
    country_code: str = ""
    postal_code: str = ""

    def lines(self) -> list[str]:
        """The address as printed: street, then "City, QC  H2X 1Y4", then the country."""
        city_line = ", ".join(p for p in (self.city, self.state_code or self.state) if p)
        if self.postal_code:
            city_line = f"{city_line}  {self.postal_code}".strip()
        return [p for p in (self.line1, self.line2, city_line) if p]


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """Who issues the receipt: the business and this till's location."""

    business_name: str
    location_name: str = ""
    location_id: str | None = None
    address: Address = Address()
    phone: str = ""
    email: str = ""
    website: str = ""
    timezone: str = "America/Toronto"
    # Tax name -> registration number, e.g. {"GST": "123456789 RT0001", "QST": "1234567890 TQ0001"}.
    tax_numbers: Mapping[str, str] = field(default_factory=dict)
    return_policy: str = ""
    thank_you: str = ""
    register_prefix: str = "A1"


class CorrectionKind(StrEnum):
    REFUND = "refund"  # some or all lines given back
    VOID = "void"  # the whole sale cancelled, with a reason


@dataclass(frozen=True, slots=True)
class Correction:
    """What makes a receipt a correction of an earlier sale (which itself never changes)."""

    kind: CorrectionKind
    original_receipt_id: str
    original_order_number: str
    reason: str = ""  # a void's reason


@dataclass(frozen=True, slots=True)
class Receipt:
    receipt_id: str  # UUID given when the sale is committed; the Idempotency-Key too
    order_number: str  # human-readable ticket number, on the barcode
    issued_at: datetime  # UTC
    cart: Cart
    totals: Totals
    store: StoreInfo
    cashier: str = ""
    url: str | None = None  # the receipt's page, once the API has returned one
    # Set on a refund or a void: its figures are what goes back, as positive amounts.
    correction: Correction | None = None

    @property
    def customer(self) -> Customer | None:
        return self.cart.customer

    def tax_number(self, tax_name: str) -> str | None:
        return self.store.tax_numbers.get(tax_name)


class SaleError(ValueError):
    """A cart that cannot be finished as a sale; `problems` says why, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def sale_problems(cart: Cart, totals: Totals) -> list[str]:
    """Why this cart cannot be finished as a sale (empty when it can)."""
    problems: list[str] = []
    if not cart.items:
        problems.append("the cart is empty")
    if totals.balance_due > 0:
        problems.append(
            f"balance due: {format_amount(totals.balance_due, cart.currency)} {cart.currency}"
        )
    non_cash = sum((p.amount for p in cart.payments if not p.is_cash), Decimal(0))
    if non_cash > totals.total:
        problems.append("non-cash payments exceed the total (no change is given on a card)")
    return problems


def issue_receipt(
    cart: Cart,
    *,
    receipt_id: str,
    order_number: str,
    store: StoreInfo,
    issued_at: datetime | None = None,
    cashier: str = "",
) -> Receipt:
    """The receipt of a finished sale. Raises SaleError when the cart cannot be finished."""
    totals = compute_totals(cart)
    problems = sale_problems(cart, totals)
    if problems:
        raise SaleError(problems)
    when = issued_at or datetime.now(UTC)
    if when.tzinfo is None:
        raise ValueError("issued_at must be timezone-aware")
    return Receipt(
        receipt_id=receipt_id,
        order_number=order_number,
        issued_at=when.astimezone(UTC),
        cart=cart,
        totals=totals,
        store=store,
        cashier=cashier,
    )


def iso_utc(moment: datetime) -> str:
    """ISO-8601 UTC with milliseconds, as the API writes dates: 2025-01-21T18:54:48.245Z."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )
