"""The one mapping from a domain Receipt to the Smartbills `ReceiptCreateRequest`.

Figures come from the totals engine only; this module renames and nests, it never computes a
total. Unit prices finer than the currency's minor unit (fuel at 1.659 $/L) are written rounded
half-up, because SBMoney holds whole minor units; each item's exact `subTotal` is sent beside it.
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
    SBCash,
    SBDiscount,
    SBExternalPayment,
    SBFee,
    SBItem,
    SBLocationCreate,
    SBMoney,
    SBPayment,
    SBPaymentStatus,
    SBReceiptCustomer,
    SBReceiptMetadata,
    SBReceiptStatus,
    SBReceiptType,
    SBTax,
    dump_request_json,
)
from pos_app.domain.cart import Customer, Payment, PaymentType
from pos_app.domain.discounts import DiscountAmount
from pos_app.domain.money import quantum
from pos_app.domain.receipt import CorrectionKind, Receipt, StoreInfo
from pos_app.domain.taxes import TaxAmount
from pos_app.domain.totals import FeeTotals, LineTotals

SOURCE_POS = "pos-app"
DEFAULT_LOCALE = "fr-CA"


class _Money:
    """SBMoney in one currency."""

    def __init__(self, currency: str, sign: int = 1):
        self.currency = currency
        self.q = quantum(currency)
        self.sign = sign  # -1 for a refund or void: what goes back is written negative

    def __call__(self, amount: Decimal) -> SBMoney:
        return SBMoney(amount=amount * self.sign, currency=self.currency)

    def price(self, amount: Decimal) -> SBMoney:
        return SBMoney(amount=amount.quantize(self.q, ROUND_HALF_UP), currency=self.currency)


def _tax(t: TaxAmount, m: _Money, store: StoreInfo) -> SBTax:
    return SBTax(
        name=t.name,
        percentage=t.percentage,
        amount=m(t.amount),
        compound=t.compound or None,
        tax_identification_number=t.registration_number or store.tax_numbers.get(t.name),
    )


def _discount(d: DiscountAmount, m: _Money) -> SBDiscount:
    if d.percentage is not None:
        return SBDiscount(
            name=d.name,
            type=SBAdjustmentType.PERCENTAGE,
            percentage=d.percentage,
            amount=m(d.amount),
        )
    return SBDiscount(name=d.name, type=SBAdjustmentType.FIXED_AMOUNT, amount=m(d.amount))


def _item(line: LineTotals, m: _Money, store: StoreInfo) -> SBItem:
    item = line.item
    return SBItem(
        description=dict(item.names) or {DEFAULT_LOCALE: item.name},
        quantity=item.quantity,
        unit_price=m.price(item.unit_price),
        unit=item.unit,
        sku=item.sku,
        barcode=item.barcode,
        taxable=item.taxable,
        sub_total=m(line.sub_total),
        total_discounts=m(line.total_discounts),
        total_taxes=m(line.total_taxes),
        total=m(line.total),
        taxes=[_tax(t, m, store) for t in line.taxes],
        # The line's own discounts; its shares of receipt discounts are listed once, at the
        # receipt level, so that item + receipt discounts add up to totalDiscounts.
        discounts=[_discount(d, m) for d in line.discounts if not d.receipt_level],
    )


def _fee(fee: FeeTotals, m: _Money, store: StoreInfo) -> SBFee:
    kind = (
        SBAdjustmentType.PERCENTAGE
        if fee.fee.percentage is not None
        else SBAdjustmentType.FIXED_AMOUNT
    )
    return SBFee(
        name=fee.fee.name,
        type=kind,
        percentage=fee.fee.percentage,
        amount=m(fee.amount),
        taxes=[_tax(t, m, store) for t in fee.taxes],
    )


def _non_cash_payment(p: Payment, m: _Money) -> SBPayment:
    card = None
    if p.type == PaymentType.CARD and p.card_brand and p.card_last4:
        card = SBCard(brand=p.card_brand.upper().replace(" ", "_"), last4=p.card_last4)
    external = None
    if p.type == PaymentType.EXTERNAL and p.reference:
        external = SBExternalPayment(provider=p.reference, reference=p.reference)
    return SBPayment(
        type=p.type,
        amount=m(p.amount),
        status=SBPaymentStatus.APPROVED,
        card=card,
        external=external,
    )


def _payments(receipt: Receipt, m: _Money) -> list[SBPayment]:
    """Non-cash tenders as entered; all cash as one payment of the (rounded) cash due, with
    what was handed over and the change, so totalPayments = non-cash + cashDue."""
    out = [_non_cash_payment(p, m) for p in receipt.cart.payments if not p.is_cash]
    t = receipt.totals
    if any(p.is_cash for p in receipt.cart.payments):
        out.append(
            SBPayment(
                type=PaymentType.CASH,
                amount=m(t.cash_due),
                status=SBPaymentStatus.APPROVED,
                cash=SBCash(supplied=m(t.cash_given), change=m(t.change_due)),
            )
        )
    return out


def _customer(c: Customer | None) -> SBReceiptCustomer | None:
    if c is None:
        return None
    # A customer created offline has only a local id until the API gives it one.
    server_id = c.id if c.id and not c.id.startswith("local-") else None
    return SBReceiptCustomer(
        customer_id=server_id,
        first_name=c.first_name or None,
        last_name=c.last_name or None,
        email=c.email,
        phone=c.phone,
        locale=c.locale,
    )


def _location(store: StoreInfo, currency: str) -> SBLocationCreate:
    a = store.address
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
    return SBLocationCreate(
        name=store.location_name or store.business_name,
        currency=currency,
        timezone=store.timezone,
        phone_number=store.phone or None,
        website=store.website or None,
        email=store.email or None,
        address=address if any(address.model_dump().values()) else None,
    )


_CORRECTION_TYPES = {
    CorrectionKind.REFUND: SBReceiptType.REFUND,
    CorrectionKind.VOID: SBReceiptType.VOID,
}


def receipt_request(receipt: Receipt) -> ReceiptCreateRequest:
    """The request that creates `receipt` on Smartbills."""
    t = receipt.totals
    correction = receipt.correction
    m = _Money(t.currency, -1 if correction else 1)
    store = receipt.store
    customer = receipt.cart.customer
    return ReceiptCreateRequest(
        receipt_id=receipt.receipt_id,
        order_number=receipt.order_number,
        type=_CORRECTION_TYPES[correction.kind] if correction else SBReceiptType.OFFICIAL,
        status=SBReceiptStatus.APPROVED,
        created_at=receipt.issued_at,
        taxes_included=t.taxes_included,
        customer=_customer(customer),
        location=_location(store, t.currency),
        items=[_item(line, m, store) for line in t.lines],
        fees=[_fee(f, m, store) for f in t.fees],
        discounts=[_discount(d, m) for d in t.receipt_discounts if d.amount],
        taxes=[_tax(tax, m, store) for tax in t.taxes],
        payments=_payments(receipt, m),
        barcode=SBBarcode(type=SBBarcodeType.CODE_128, value=receipt.order_number),
        receipt_metadata=SBReceiptMetadata(
            source_pos=SOURCE_POS,
            source_name=store.business_name,
            customer_locale=customer.locale if customer else None,
        ),
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


class ApiReceiptEncoder:
    """The `ReceiptEncoder` port: the frozen, byte-exact body a receipt is sent with."""

    def encode(self, receipt: Receipt) -> bytes:
        return dump_request_json(receipt_request(receipt))
