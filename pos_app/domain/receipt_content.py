"""What a receipt says, top to bottom, whatever it is printed on: the one source of truth the
PDF and the ESC/POS renderers both read, so a figure can never be on one and not the other.

The content is a sequence of sections (header, items, totals, payments, ...) made of a few
kinds of element: centred or left text, label/value pairs (a value is an amount, flush right),
rules, spaces, the items, the logo, the order number's barcode and the receipt's QR code. Every
text is final (translated, formatted); renderers only lay it out in their own units (points or
printer columns) and never add, drop or reword anything.

Formatting and translation come from a `Wording` (babel and gettext live outside the domain).

To add a block (a refund's original number, an on-account signature line, a report's counts):
write a function returning a `Section` built from these elements and put it in the list in
`receipt_content` (or build a whole `Content` for another document); every renderer already
lays out every element, so it needs no change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal, Protocol

from pos_app.domain.cart import Payment, PaymentType
from pos_app.domain.discounts import DiscountAmount
from pos_app.domain.receipt import CorrectionKind, Receipt
from pos_app.domain.taxes import TaxAmount
from pos_app.domain.totals import LineTotals

Align = Literal["left", "center"]
# body: the running text; title: the business name and the copy mark; small: captions.
Style = Literal["body", "title", "small"]

_MASK = "••••"
_NBSP = "\u00a0"


class Wording(Protocol):
    """Labels and figures in the receipt's language(s); a bilingual receipt's labels read
    "Sous-total / Subtotal" and its figures follow the first language."""

    @property
    def locales(self) -> tuple[str, ...]: ...
    def label(self, msgid: str) -> str: ...
    def tax(self, name: str) -> str: ...
    def money(self, amount: Decimal) -> str: ...
    def unit_price(self, amount: Decimal) -> str: ...
    def quantity(self, value: Decimal) -> str: ...
    def percent(self, value: Decimal) -> str: ...
    def moment(self, when: datetime, timezone: str) -> str: ...


# ---------------------------------------------------------------------------------------------
# Elements


@dataclass(frozen=True, slots=True)
class Text:
    """A paragraph; each line of `text` stays a line, long lines wrap."""

    text: str
    align: Align = "left"
    style: Style = "body"
    bold: bool = False
    indent: int = 0  # levels of indentation (details under their line)


@dataclass(frozen=True, slots=True)
class Pair:
    """A label on the left and its value flush right. `keep` ends the label and is never cut
    (a tax registration number): it wraps whole onto a line of its own when it does not fit."""

    label: str
    value: str
    indent: int = 0
    bold: bool = False
    total: bool = False  # the TOTAL line, larger
    keep: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    pass


@dataclass(frozen=True, slots=True)
class Space:
    lines: float  # in body lines; a printer with whole lines only rounds half a line down


@dataclass(frozen=True, slots=True)
class Logo:
    """The store's logo goes here when the till has one."""


@dataclass(frozen=True, slots=True)
class Barcode:
    """The order number as a Code 128, with its digits printed under it."""

    data: str


@dataclass(frozen=True, slots=True)
class QrCode:
    """The receipt's page as a QR code, with a caption above it."""

    data: str
    caption: str


@dataclass(frozen=True, slots=True)
class ItemLine:
    names: tuple[str, ...]  # in each language of the receipt, each different name once
    quantity: str  # "2", "0,735 kg"
    unit_price: str  # "2,49 $", "8,99 $/kg"
    amount: str  # before discounts: the amounts add up to the subtotal
    quantity_line: str  # "2 × 2,49 $", "0,735 kg @ 8,99 $/kg"; "" for a single unit
    discounts: tuple[tuple[str, str], ...]  # the item's own discounts: (name, "-0,50 $")


@dataclass(frozen=True, slots=True)
class Items:
    header: tuple[str, str, str, str]  # Description, Qty, Unit price, Amount (for tables)
    lines: tuple[ItemLine, ...]


Element = Text | Pair | Rule | Space | Logo | Barcode | QrCode | Items

SectionKind = Literal["header", "items", "totals", "payments", "taxes_included", "notices", "codes"]
# Money summaries: a sheet prints them in the right half, under the amounts.
SUMMARIES: frozenset[str] = frozenset({"totals", "payments", "taxes_included"})


@dataclass(frozen=True, slots=True)
class Section:
    kind: str  # a SectionKind, or a new block's own name
    elements: tuple[Element, ...]


@dataclass(frozen=True, slots=True)
class Content:
    title: str  # the document's name (PDF title): business and order number
    order_number: str
    sections: tuple[Section, ...]


# ---------------------------------------------------------------------------------------------
# The receipt's sections


def _minus(w: Wording, amount: Decimal) -> str:
    """A reduction (a discount) with its minus sign."""
    return w.money(-amount)


def _named(w: Wording, name: str, percentage: Decimal | None) -> str:
    return name if percentage is None else f"{name} ({w.percent(percentage)})"


def _header(w: Wording, receipt: Receipt, copy: bool) -> Section:
    store = receipt.store
    out: list[Element] = []
    if copy:
        out += [Text(w.label("COPY"), "center", "title", bold=True), Rule(), Space(0.3)]
    out.append(Logo())
    out.append(Text(store.business_name, "center", "title", bold=True))
    if store.location_name:
        out.append(Text(store.location_name, "center"))
    out += [Text(line, "center") for line in store.address.lines()]
    if store.phone:
        out.append(Text(f"{w.label('Tel.')} {store.phone}", "center"))
    out.append(Rule())
    out.append(Pair(w.label("Date"), w.moment(receipt.issued_at, store.timezone)))
    out.append(Pair(w.label("Order"), receipt.order_number))
    out += _correction(w, receipt)
    if receipt.cashier:
        out.append(Pair(w.label("Cashier"), receipt.cashier))
    customer = receipt.customer
    if customer is not None and customer.display_name:
        out.append(Pair(w.label("Customer"), customer.display_name))
    out.append(Rule())
    return Section("header", tuple(out))


def _correction(w: Wording, receipt: Receipt) -> list[Element]:
    """A refund or void says so, with the sale it corrects (and a void's reason)."""
    correction = receipt.correction
    if correction is None:
        return []
    title = "REFUND" if correction.kind is CorrectionKind.REFUND else "VOID"
    out: list[Element] = [
        Text(w.label(title), "center", "title", bold=True),
        Pair(w.label("Original sale"), correction.original_order_number),
    ]
    if correction.reason:
        out.append(Pair(w.label("Reason"), correction.reason))
    return out


def _item_line(w: Wording, line: LineTotals) -> ItemLine:
    item = line.item
    quantity = w.quantity(item.quantity)
    price = w.unit_price(item.unit_price)
    if item.unit:
        quantity, price = f"{quantity} {item.unit}", f"{price}/{item.unit}"
    joiner = "@" if item.unit else "×"
    single = not item.unit and item.quantity == 1
    return ItemLine(
        names=tuple(dict.fromkeys(item.name_for(locale) for locale in w.locales)),
        quantity=quantity,
        unit_price=price,
        amount=w.money(line.sub_total),
        # "1 × 2,49 $" under a single piece would only repeat its price.
        quantity_line="" if single else f"{quantity} {joiner} {price}",
        discounts=tuple(
            (_named(w, d.name, d.percentage), _minus(w, d.amount)) for d in _own_discounts(line)
        ),
    )


def _own_discounts(line: LineTotals) -> list[DiscountAmount]:
    # Shares of receipt-level discounts are printed once, with the totals.
    return [d for d in line.discounts if not d.receipt_level and d.amount]


def _items(w: Wording, lines: Sequence[LineTotals]) -> Section:
    header = (w.label("Description"), w.label("Qty"), w.label("Unit price"), w.label("Amount"))
    items = Items(header, tuple(_item_line(w, line) for line in lines))
    return Section("items", (items, Rule()))


def _tax_pair(w: Wording, receipt: Receipt, tax: TaxAmount) -> Pair:
    """ "TPS/GST 5 %" with "— 123456789 RT0001", the store's registration, kept whole."""
    label = f"{w.tax(tax.name)} {w.percent(tax.percentage)}"
    number = receipt.tax_number(tax.name) or tax.registration_number
    keep = f"—{_NBSP}{number.replace(' ', _NBSP)}" if number else ""
    return Pair(label, w.money(tax.amount), keep=keep)


def _taxes(w: Wording, receipt: Receipt) -> list[Element]:
    taxes = receipt.totals.taxes
    out: list[Element] = [_tax_pair(w, receipt, tax) for tax in taxes]
    if len(taxes) > 1:
        out.append(Pair(w.label("Total taxes"), w.money(receipt.totals.total_taxes)))
    return out


def _discounts(w: Wording, receipt: Receipt) -> list[Element]:
    totals = receipt.totals
    if not totals.total_discounts:
        return []
    out: list[Element] = [Pair(w.label("Discounts"), _minus(w, totals.total_discounts))]
    listed = [d for d in totals.receipt_discounts if d.amount]
    if not listed:
        return out  # only item discounts, already shown under their items
    for d in listed:
        out.append(Pair(_named(w, d.name, d.percentage), _minus(w, d.amount), indent=1))
    on_items = totals.total_discounts - sum((d.amount for d in listed), Decimal(0))
    if on_items:
        out.append(Pair(w.label("Item discounts"), _minus(w, on_items), indent=1))
    return out


def _fees(w: Wording, receipt: Receipt) -> list[Element]:
    fees = [f for f in receipt.totals.fees if f.amount]
    out: list[Element] = []
    if len(fees) > 1:
        out.append(Pair(w.label("Fees"), w.money(receipt.totals.total_fees)))
    indent = 1 if len(fees) > 1 else 0
    for fee in fees:
        name = _named(w, fee.fee.name, fee.fee.percentage)
        out.append(Pair(name, w.money(fee.amount), indent=indent))
    return out


def _totals(w: Wording, receipt: Receipt) -> Section:
    totals = receipt.totals
    out: list[Element] = [Pair(w.label("Subtotal"), w.money(totals.sub_total))]
    out += _discounts(w, receipt)
    if not totals.taxes_included:
        out += _taxes(w, receipt)
    out += _fees(w, receipt)
    for msgid, amount in (
        ("Tip", totals.total_tip),
        ("Shipping", totals.total_shipping),
        ("Duties", totals.total_duties),
    ):
        if amount:
            out.append(Pair(w.label(msgid), w.money(amount)))
    out += [Rule(), Pair(w.label("TOTAL"), w.money(totals.total), bold=True, total=True)]
    out.append(Space(0.3))
    return Section("totals", tuple(out))


def payment_label(w: Wording, payment: Payment) -> str:
    """ "VISA •••• 4242", "Comptant / Cash", "Autre paiement / Other payment (CHEQUE)"."""
    if payment.type == PaymentType.CASH:
        return w.label("Cash")
    if payment.type == PaymentType.CARD:
        name = payment.card_brand.upper() if payment.card_brand else w.label("Card")
    elif payment.type == PaymentType.GIFT_CARD:
        name = w.label("Gift card")
    elif payment.type == PaymentType.ACCOUNT:
        name = w.label("On account")  # the account follows, above the signature line
    else:
        name = f"{w.label('Other payment')} ({payment.type})"
    return f"{name} {_MASK} {payment.card_last4}" if payment.card_last4 else name


def _payments(w: Wording, receipt: Receipt) -> Section:
    totals, payments = receipt.totals, receipt.cart.payments
    out: list[Element] = [Pair(payment_label(w, p), w.money(p.amount)) for p in payments]
    if any(p.is_cash for p in payments):
        if totals.cash_rounding:
            out.append(Pair(w.label("Cash rounding"), w.money(totals.cash_rounding)))
            out.append(Pair(w.label("Cash due"), w.money(totals.cash_due)))
        out.append(Pair(w.label("Change"), w.money(totals.change_due)))
    return Section("payments", tuple(out))


def _account_signature(w: Wording, receipt: Receipt) -> Section | None:
    """Under a sale on a house account: whose account it is, and a line for the buyer to
    sign."""
    out: list[Element] = []
    for payment in receipt.cart.payments:
        if payment.type == PaymentType.ACCOUNT:
            who = f"{payment.account or ''} {payment.reference or ''}".strip()
            out += [
                Space(0.5),
                Text(who, bold=True),
                Space(1.5),
                Rule(),
                Text(w.label("Signature")),
            ]
    return Section("account_signature", tuple(out)) if out else None


def _taxes_included(w: Wording, receipt: Receipt) -> Section | None:
    """For tax-included prices: what part of the total is net and what part is each tax."""
    totals = receipt.totals
    if not totals.taxes_included or totals.total_net is None:
        return None
    out: list[Element] = [
        Space(0.5),
        Pair(w.label("Taxes included"), "", bold=True),
        Pair(w.label("Net amount"), w.money(totals.total_net)),
        *_taxes(w, receipt),
    ]
    return Section("taxes_included", tuple(out))


def _notices(receipt: Receipt) -> Section:
    out: list[Element] = []
    for notice in (receipt.store.return_policy, receipt.store.thank_you):
        if notice:
            out += [Space(0.5), Text(notice, "center")]
    out.append(Space(1))
    return Section("notices", tuple(out))


def _codes(w: Wording, receipt: Receipt) -> Section:
    out: list[Element] = [Barcode(receipt.order_number)]
    if receipt.url:
        out.append(QrCode(receipt.url, w.label("Your receipt online")))
    return Section("codes", tuple(out))


def receipt_content(receipt: Receipt, wording: Wording, *, copy: bool = False) -> Content:
    """What `receipt` says, in `wording`'s language, marked as a copy when `copy`. Raises
    ValueError for a receipt with no lines."""
    if not receipt.cart.items:
        raise ValueError(f"receipt {receipt.order_number} has no lines: there is nothing to print")
    sections = [
        _header(wording, receipt, copy),
        _items(wording, receipt.totals.lines),
        _totals(wording, receipt),
        _payments(wording, receipt),
        _account_signature(wording, receipt),
        _taxes_included(wording, receipt),
        _notices(receipt),
        _codes(wording, receipt),
    ]
    return Content(
        title=f"{receipt.store.business_name} {receipt.order_number}",
        order_number=receipt.order_number,
        sections=tuple(s for s in sections if s is not None),
    )
