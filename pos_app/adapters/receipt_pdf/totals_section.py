"""The money summary printed under the items: totals, payments and, for tax-included prices, the
net/taxes breakdown. Every figure comes from the totals engine (`domain/totals.py`); nothing
here adds or rounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from pos_app.adapters.receipt_pdf.writer import Writer
from pos_app.domain.cart import Payment, PaymentType
from pos_app.domain.receipt import Receipt
from pos_app.domain.taxes import TaxAmount

_MASK = "••••"
_NBSP = "\u00a0"


def _column(w: Writer) -> float:
    # On a sheet the summary takes the right half, under the amounts; a roll is too narrow.
    return w.spec.left if w.spec.is_roll else w.spec.left + w.spec.content_width / 2


def _tax_label(w: Writer, receipt: Receipt, tax: TaxAmount) -> str:
    """ "TPS/GST 5 % — 123456789 RT0001": the tax, its rate and the store's registration."""
    text = f"{w.label.tax(tax.name)} {w.fmt.percent(tax.percentage)}"
    number = receipt.tax_number(tax.name) or tax.registration_number
    if not number:
        return text
    # No-break spaces keep a registration number whole when the label wraps.
    whole = number.replace(" ", _NBSP)
    return f"{text} —{_NBSP}{whole}"


def _taxes(w: Writer, receipt: Receipt, x0: float) -> None:
    taxes = receipt.totals.taxes
    for tax in taxes:
        w.out.pair(_tax_label(w, receipt, tax), w.money(tax.amount), x0=x0)
    if len(taxes) > 1:
        w.out.pair(w.label("Total taxes"), w.money(receipt.totals.total_taxes), x0=x0)


def _discounts(w: Writer, receipt: Receipt, x0: float) -> None:
    totals = receipt.totals
    if not totals.total_discounts:
        return
    w.out.pair(w.label("Discounts"), w.minus(totals.total_discounts), x0=x0)
    listed = [d for d in totals.receipt_discounts if d.amount]
    if not listed:
        return  # only item discounts, already shown under their items
    for discount in listed:
        name = discount.name
        if discount.percentage is not None:
            name = f"{name} ({w.fmt.percent(discount.percentage)})"
        w.out.pair(name, w.minus(discount.amount), indent=w.indent, x0=x0)
    on_items = totals.total_discounts - sum((d.amount for d in listed), Decimal(0))
    if on_items:
        w.out.pair(w.label("Item discounts"), w.minus(on_items), indent=w.indent, x0=x0)


def _fees(w: Writer, receipt: Receipt, x0: float) -> None:
    fees = [f for f in receipt.totals.fees if f.amount]
    indent = w.indent if len(fees) > 1 else 0.0
    if len(fees) > 1:
        w.out.pair(w.label("Fees"), w.money(receipt.totals.total_fees), x0=x0)
    for fee in fees:
        name = fee.fee.name
        if fee.fee.percentage is not None:
            name = f"{name} ({w.fmt.percent(fee.fee.percentage)})"
        w.out.pair(name, w.money(fee.amount), indent=indent, x0=x0)


def totals_section(w: Writer, receipt: Receipt) -> None:
    totals, out = receipt.totals, w.out
    x0 = _column(w)
    out.new_chunk()
    out.pair(w.label("Subtotal"), w.money(totals.sub_total), x0=x0)
    _discounts(w, receipt, x0)
    if not totals.taxes_included:
        _taxes(w, receipt, x0)
    _fees(w, receipt, x0)
    for msgid, amount in (
        ("Tip", totals.total_tip),
        ("Shipping", totals.total_shipping),
        ("Duties", totals.total_duties),
    ):
        if amount:
            out.pair(w.label(msgid), w.money(amount), x0=x0)
    out.rule(x0)
    size = w.spec.total_size
    out.pair(w.label("TOTAL"), w.money(totals.total), bold=True, size=size, x0=x0)
    out.space(0.3)


def payment_label(w: Writer, payment: Payment) -> str:
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


def payments_section(w: Writer, receipt: Receipt, payments: Sequence[Payment]) -> None:
    totals, out = receipt.totals, w.out
    x0 = _column(w)
    out.new_chunk()
    for payment in payments:
        out.pair(payment_label(w, payment), w.money(payment.amount), x0=x0)
    if any(p.is_cash for p in payments):
        if totals.cash_rounding:
            out.pair(w.label("Cash rounding"), w.money(totals.cash_rounding), x0=x0)
            out.pair(w.label("Cash due"), w.money(totals.cash_due), x0=x0)
        out.pair(w.label("Change"), w.money(totals.change_due), x0=x0)
    for payment in payments:
        if payment.type == PaymentType.ACCOUNT:
            _account_signature(w, payment, x0)


def _account_signature(w: Writer, payment: Payment, x0: float) -> None:
    """Under a sale on account: whose account it is, and a line for the buyer to sign."""
    out = w.out
    out.space(0.5)
    out.pair(f"{payment.account or ''} {payment.reference or ''}".strip(), "", x0=x0, bold=True)
    out.space(1.5)
    out.rule(x0)
    out.pair(w.label("Signature"), "", x0=x0)


def included_taxes_section(w: Writer, receipt: Receipt) -> None:
    """For tax-included prices: what part of the total is net and what part is each tax."""
    totals = receipt.totals
    if not totals.taxes_included or totals.total_net is None:
        return
    x0 = _column(w)
    w.out.new_chunk()
    w.out.space(0.5)
    w.out.pair(w.label("Taxes included"), "", x0=x0, bold=True)
    w.out.pair(w.label("Net amount"), w.money(totals.total_net), x0=x0)
    _taxes(w, receipt, x0)
