"""The one mapping from a domain Receipt to the Smartbills `ReceiptCreateRequest`, field for
field as reference/smartbills-receipts.txt has it.

Figures come from the totals engine only; this module renames and nests, it never computes a
total. Unit prices finer than the currency's minor unit (fuel at 1.659 $/L) are written rounded
half-up, because SBMoney holds whole minor units; each item's exact `subTotal` is sent beside it.
What the till knows and the reference has no place for (an item's SKU, barcode and unit, a
fee's or a fee tax's name, a card payment's brand when the last 4 are unknown) stays in the
store and on paper.

Each part of the request has its own small function, so a new kind of receipt (refunds, voids)
changes the parts it needs and nothing else.

A refund or a void is a receipt of its own (type OFFICIAL: the reference has no other type for
a till's receipt) whose figures are what goes back, written negative: quantities, amounts,
taxes and totals (unit prices stay positive, so price x quantity still gives the line). Its
payments give back money: negative amounts with the positive amount in `refunded`. A void
reverses its sale in full and carries `cancelledAt` (when it was voided) and `cancelReason`.
The original's order number travels in `receiptMetadata.tags`, the one free-text place the
reference has for it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from pos_app.adapters.api.schemas import (
    ReceiptCreateRequest,
    SBAddress,
    SBAdjustmentType,
    SBBarcode,
    SBBarcodeType,
    SBCard,
    SBCardPaymentMethod,
    SBCash,
    SBCustomerCreate,
    SBCustomerUpdate,
    SBExternalPayment,
    SBItem,
    SBItemDiscount,
    SBItemTax,
    SBLocationCreate,
    SBMoney,
    SBPayment,
    SBPaymentStatus,
    SBReceiptCustomer,
    SBReceiptDiscount,
    SBReceiptFee,
    SBReceiptMetadata,
    SBReceiptTax,
    SBReceiptType,
    dump_request_json,
)
from pos_app.domain.cart import Customer, Payment, PaymentType
from pos_app.domain.customers import CustomerDraft
from pos_app.domain.discounts import DiscountAmount
from pos_app.domain.locations import LocationDraft
from pos_app.domain.money import quantum
from pos_app.domain.receipt import Address, Correction, CorrectionKind, Receipt, StoreInfo
from pos_app.domain.taxes import TaxAmount
from pos_app.domain.totals import FeeTotals, LineTotals, Totals

SOURCE_POS = "pos-app"
DEFAULT_LOCALE = "fr-CA"
# An external tender's kind is not known to the till (its reference is free text).
EXTERNAL_TYPE = "OTHER"
INVOICED_SOURCE = "invoiced"
# Units an item can be weighed in, with their size in kilograms (exact, by definition).
WEIGHT_UNITS = {
    "kg": Decimal(1),
    "g": Decimal("0.001"),
    "lb": Decimal("0.45359237"),
    "oz": Decimal("0.028349523125"),
}


class _Money:
    """SBMoney in one currency; `sign` -1 writes what a refund or void gives back negative."""

    def __init__(self, currency: str, sign: int = 1):
        self.currency = currency
        self.q = quantum(currency)
        self.sign = sign

    def __call__(self, amount: Decimal) -> SBMoney:
        return SBMoney(amount=self.n(amount), currency=self.currency)

    def n(self, value: Decimal) -> Decimal:
        """A plain number (an amount or a quantity) with the receipt's sign."""
        return value * self.sign

    def price(self, amount: Decimal) -> SBMoney:
        return SBMoney(amount=amount.quantize(self.q, ROUND_HALF_UP), currency=self.currency)


def server_id(value: str | None) -> int | None:
    """A server id as the reference types it (long), or None for an id the server did not give
    (a customer created offline is `local-...`)."""
    if value and value.isascii() and value.isdigit() and int(value) > 0:
        return int(value)
    return None


# -- items ------------------------------------------------------------------------------------


def _item_tax(t: TaxAmount, m: _Money) -> SBItemTax:
    return SBItemTax(name=t.name, amount=m.n(t.amount), percentage=t.percentage)


def _item_discount(d: DiscountAmount, m: _Money) -> SBItemDiscount:
    if d.percentage is not None:
        return SBItemDiscount(
            name=d.name,
            type=SBAdjustmentType.PERCENTAGE,
            percentage=d.percentage,
            amount=m(d.amount),
        )
    return SBItemDiscount(name=d.name, type=SBAdjustmentType.AMOUNT, amount=m(d.amount))


def _item(line: LineTotals, m: _Money) -> SBItem:
    item = line.item
    return SBItem(
        description=dict(item.names) or {DEFAULT_LOCALE: item.name},
        quantity=m.n(item.quantity),
        price=m.price(item.unit_price),
        taxable=item.taxable,
        sub_total=m(line.sub_total),
        total_discounts=m(line.total_discounts),
        total_taxes=m(line.total_taxes),
        total=m(line.total),
        taxes=[_item_tax(t, m) for t in line.taxes],
        # The line's own discounts; its shares of receipt discounts are listed once, at the
        # receipt level, so that item + receipt discounts add up to totalDiscounts.
        discounts=[_item_discount(d, m) for d in line.discounts if not d.receipt_level],
    )


def _weight(totals: Totals) -> tuple[Decimal | None, str | None]:
    """totalWeight and weightUnit: the weighed items' quantities added up, in their unit when
    they share one, else in kilograms. (None, None) when nothing was weighed."""
    weighed = [
        (line.item.quantity, line.item.unit)
        for line in totals.lines
        if line.item.unit in WEIGHT_UNITS
    ]
    if not weighed:
        return None, None
    units = {unit for _, unit in weighed}
    if len(units) == 1:
        return sum((q for q, _ in weighed), Decimal(0)), units.pop()
    kilograms = sum((q * WEIGHT_UNITS[unit] for q, unit in weighed), Decimal(0))
    return kilograms.normalize(), "kg"


# -- receipt-level lists ----------------------------------------------------------------------


def _receipt_tax(t: TaxAmount, m: _Money, store: StoreInfo) -> SBReceiptTax:
    return SBReceiptTax(
        name=t.name,
        percentage=t.percentage,
        total=m(t.amount),
        tax_identification_number=t.registration_number or store.tax_numbers.get(t.name),
    )


def _receipt_discount(d: DiscountAmount, m: _Money) -> SBReceiptDiscount:
    return SBReceiptDiscount(name=d.name, amount=m.n(d.amount), percentage=d.percentage)


def _fee(fee: FeeTotals, m: _Money) -> SBReceiptFee:
    percentage = fee.fee.percentage
    return SBReceiptFee(
        type=SBAdjustmentType.AMOUNT if percentage is None else SBAdjustmentType.PERCENTAGE,
        rate=percentage,
        amount=m.n(fee.amount),
        total=m.n(fee.amount + fee.total_taxes),
    )


# -- payments ---------------------------------------------------------------------------------


def _approved(
    kind: str,
    amount: SBMoney,
    *,
    card: SBCard | None = None,
    cash: SBCash | None = None,
    external: SBExternalPayment | None = None,
) -> SBPayment:
    """A tender taken in full: approved for its whole amount."""
    return SBPayment(
        type=kind,
        amount=amount,
        total=amount,
        approuved=amount,
        status=SBPaymentStatus.APPROVED,
        card=card,
        cash=cash,
        external=external,
    )


def _given_back(
    kind: str,
    amount: Decimal,
    m: _Money,
    status: SBPaymentStatus,
    *,
    card: SBCard | None = None,
    external: SBExternalPayment | None = None,
) -> SBPayment:
    """A tender a refund or void pays back: it leaves the till (negative) and is `refunded`
    in full (a positive amount: how much went back on it)."""
    return SBPayment(
        type=kind,
        amount=m(amount),
        total=m(amount),
        refunded=SBMoney(amount=amount, currency=m.currency),
        status=status,
        card=card,
        external=external,
    )


def _card(p: Payment) -> SBCard | None:
    if not (p.card_brand or p.card_last4):
        return None
    brand = p.card_brand.upper().replace(" ", "_") if p.card_brand else None
    return SBCard(payment_method=SBCardPaymentMethod(brand=brand, last4=p.card_last4))


def _external(p: Payment) -> SBExternalPayment | None:
    """The `external` block of a tender the till does not process itself. A house account
    is an external tender whose source is Invoiced and whose id there is the account's number
    (the account's name stays on the paper receipt)."""
    if p.type == PaymentType.ACCOUNT:
        return SBExternalPayment(source=INVOICED_SOURCE, source_id=p.account, type=EXTERNAL_TYPE)
    if p.type == PaymentType.EXTERNAL:
        return SBExternalPayment(source_id=p.reference or None, type=EXTERNAL_TYPE)
    return None


def _wire_type(p: Payment) -> str:
    """The reference's payment type: an on-account tender goes out as EXTERNAL."""
    return PaymentType.EXTERNAL if p.type == PaymentType.ACCOUNT else p.type


def _non_cash_payment(p: Payment, m: _Money) -> SBPayment:
    if p.type == PaymentType.CARD:
        return _approved(p.type, m(p.amount), card=_card(p))
    external = _external(p)
    if external is not None:
        return _approved(_wire_type(p), m(p.amount), external=external)
    return _approved(p.type, m(p.amount))


def _payments(receipt: Receipt, m: _Money) -> list[SBPayment]:
    """Non-cash tenders as entered; all cash as one payment of the (rounded) cash due, with
    what was handed over and the change, so totalPayments = non-cash + cashDue."""
    if receipt.correction:
        return _payments_back(receipt, receipt.correction, m)
    out = [_non_cash_payment(p, m) for p in receipt.cart.payments if not p.is_cash]
    t = receipt.totals
    if any(p.is_cash for p in receipt.cart.payments):
        cash = SBCash(supplied=m(t.cash_given), change=m(t.change_due))
        out.append(_approved(PaymentType.CASH, m(t.cash_due), cash=cash))
    return out


def _payments_back(receipt: Receipt, correction: Correction, m: _Money) -> list[SBPayment]:
    """What a refund or void pays back, tender by tender (cash: what is handed back, after
    cash rounding), so totalPayments is their sum. A void's tenders are CANCELLED."""
    status = (
        SBPaymentStatus.CANCELLED
        if correction.kind is CorrectionKind.VOID
        else SBPaymentStatus.COMPLETED
    )
    out = []
    for p in receipt.cart.payments:
        if p.is_cash:
            continue
        card = _card(p) if p.type == PaymentType.CARD else None
        out.append(
            _given_back(_wire_type(p), p.amount, m, status, card=card, external=_external(p))
        )
    if any(p.is_cash for p in receipt.cart.payments):
        out.append(_given_back(PaymentType.CASH, receipt.totals.cash_due, m, status))
    return out


# -- who and where ----------------------------------------------------------------------------


def _customer(c: Customer) -> SBReceiptCustomer:
    return SBReceiptCustomer(
        first_name=c.first_name or None,
        last_name=c.last_name or None,
        email=c.email,
        phone_number=c.phone,
        locale=c.locale,
    )


def address_request(a: Address) -> SBAddress | None:
    """The wire address of a domain address; None when every part is blank."""
    address = SBAddress(
        line1=a.line1 or None,
        line2=a.line2 or None,
        city=a.city or None,
        state=a.state or None,
        state_code=a.state_code or None,
        country=a.country or None,
        country_code=a.country_code or None,
        postal_code=a.postal_code or None,
    )
    return address if address.model_dump(exclude_none=True) else None


def _location(store: StoreInfo, currency: str) -> SBLocationCreate:
    return SBLocationCreate(
        name=store.location_name or store.business_name,
        currency=currency,
        timezone=store.timezone,
        phone_number=store.phone or None,
        website=store.website or None,
        email=store.email or None,
        address=address_request(store.address),
    )


# -- the request ------------------------------------------------------------------------------


def receipt_request(receipt: Receipt) -> ReceiptCreateRequest:
    """The request that creates `receipt` on Smartbills. A customer or location the server
    knows is named by its id; otherwise it travels inline."""
    t = receipt.totals
    correction = receipt.correction
    m = _Money(t.currency, -1 if correction else 1)
    store = receipt.store
    customer = receipt.cart.customer
    customer_id = server_id(customer.id) if customer else None
    location_id = server_id(store.location_id)
    total_weight, weight_unit = _weight(t)
    void = correction is not None and correction.kind is CorrectionKind.VOID
    return ReceiptCreateRequest(
        receipt_id=receipt.receipt_id,
        order_number=receipt.order_number,
        type=SBReceiptType.OFFICIAL,
        currency=t.currency,
        date=receipt.issued_at,
        cancelled_at=receipt.issued_at if void else None,
        cancel_reason=correction.reason if correction and void else None,
        taxes_included=t.taxes_included,
        customer_id=customer_id,
        customer=_customer(customer) if customer and customer_id is None else None,
        location_id=location_id,
        location=_location(store, t.currency) if location_id is None else None,
        items=[_item(line, m) for line in t.lines],
        fees=[_fee(f, m) for f in t.fees],
        discounts=[_receipt_discount(d, m) for d in t.receipt_discounts if d.amount],
        taxes=[_receipt_tax(tax, m, store) for tax in t.taxes],
        payments=_payments(receipt, m),
        barcode=SBBarcode(type=SBBarcodeType.CODE_128, value=receipt.order_number),
        receipt_metadata=SBReceiptMetadata(
            source_pos=SOURCE_POS,
            source_name=store.business_name,
            customer_locale=customer.locale if customer else None,
            tags=_tags(correction),
        ),
        total_weight=None if total_weight is None else m.n(total_weight),
        weight_unit=weight_unit,
        total_discounts=m(t.total_discounts),
        total_fees=m(t.total_fees),
        sub_total=m(t.sub_total),
        total_tip=m(t.total_tip),
        total_duties=m(t.total_duties),
        total_shipping=m(t.total_shipping),
        total_taxes=m(t.total_taxes),
        total=m(t.total),
        total_payments=m(t.total_payments),
    )


def _tags(correction: Correction | None) -> str | None:
    """What a correction corrects, in the one free-text place the reference has for it."""
    if correction is None:
        return None
    return f"{correction.kind.value}-of:{correction.original_order_number}"


class ApiReceiptEncoder:
    """The `ReceiptEncoder` port: the frozen, byte-exact body a receipt is sent with."""

    def encode(self, receipt: Receipt) -> bytes:
        return dump_request_json(receipt_request(receipt))


# -- customers and locations ------------------------------------------------------------------
# The services hand the domain's drafts (plain field names); the wire names live here and
# nowhere else.


def customer_create_request(c: CustomerDraft) -> SBCustomerCreate:
    """POST /v1/customers as the customers page has it (a company has no place there: it
    stays on the till)."""
    return SBCustomerCreate(
        first_name=c.first_name,
        last_name=c.last_name,
        locale=c.locale,
        email=c.email or None,
        phone=c.phone or None,
    )


def customer_update_request(c: CustomerDraft) -> SBCustomerUpdate:
    """PUT /v1/customers/{id}: the five fields the customers page requires, all sent (a
    missing email or phone as an empty one)."""
    return SBCustomerUpdate(
        first_name=c.first_name,
        last_name=c.last_name,
        email=c.email or "",
        phone=c.phone or "",
        locale=c.locale,
    )


def location_request(loc: LocationDraft) -> SBLocationCreate:
    """POST/PUT /v1/locations, in the receipts page's LocationCreateRequest shape; blank
    fields are left out rather than sent empty."""
    return SBLocationCreate(
        name=loc.name,
        description=loc.description or None,
        merchant_category_code=loc.merchant_category_code or None,
        currency=loc.currency or None,
        timezone=loc.timezone or None,
        phone_number=loc.phone or None,
        website=loc.website or None,
        email=loc.email or None,
        locale=loc.locale or None,
        is_active=loc.is_active,
        address=address_request(loc.address),
    )
