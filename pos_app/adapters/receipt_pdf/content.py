"""What a receipt says, top to bottom: copy mark, logo, store, sale details, items, totals,
payments, tax breakdown, store notices, the order number's barcode and the receipt's QR code."""

from __future__ import annotations

import logging
from pathlib import Path

from reportlab.lib.utils import ImageReader

from pos_app.adapters.receipt_pdf.barcode import code128_block
from pos_app.adapters.receipt_pdf.blocks import Beside, Block, Picture
from pos_app.adapters.receipt_pdf.composer import Cell
from pos_app.adapters.receipt_pdf.item_lines import roll_items, sheet_items
from pos_app.adapters.receipt_pdf.page import PageSpec
from pos_app.adapters.receipt_pdf.qr import qr_block
from pos_app.adapters.receipt_pdf.totals_section import (
    included_taxes_section,
    payments_section,
    totals_section,
)
from pos_app.adapters.receipt_pdf.writer import Writer
from pos_app.domain.paper import ReceiptLanguage
from pos_app.domain.receipt import CorrectionKind, Receipt

log = logging.getLogger(__name__)


def _logo(path: Path, spec: PageSpec) -> Picture | None:
    """The store's logo scaled into the logo box, or None (logged) when it cannot be read: a
    missing logo must not stop a sale's receipt from printing."""
    try:
        image = ImageReader(str(path))
        width, height = image.getSize()
    except Exception as error:  # reportlab/PIL raise many types for unreadable images
        log.warning("receipt logo %s not printed: %s", path, error)
        return None
    scale = min(spec.logo_height / height, spec.content_width / width)
    shown_width, shown_height = width * scale, height * scale
    x = (spec.width - shown_width) / 2
    return Picture(shown_height, image, x, shown_width, shown_height)


def _header(w: Writer, receipt: Receipt, copy: bool, logo_path: Path | None) -> None:
    out, spec, store = w.out, w.spec, receipt.store
    if copy:
        out.text(w.label("COPY"), align="center", bold=True, size=spec.title_size)
        out.rule()
        out.space(0.3)
    if logo_path is not None and (logo := _logo(logo_path, spec)) is not None:
        out.add(logo)
        out.space(0.5)
    out.text(store.business_name, align="center", bold=True, size=spec.title_size)
    if store.location_name:
        out.text(store.location_name, align="center")
    for line in store.address.lines():
        out.text(line, align="center")
    if store.phone:
        out.text(f"{w.label('Tel.')} {store.phone}", align="center")
    out.rule()
    out.pair(w.label("Date"), w.fmt.moment(receipt.issued_at, store.timezone))
    out.pair(w.label("Order"), receipt.order_number)
    _correction(w, receipt)
    if receipt.cashier:
        out.pair(w.label("Cashier"), receipt.cashier)
    customer = receipt.customer
    if customer is not None and customer.display_name:
        out.pair(w.label("Customer"), customer.display_name)
    out.rule()


def _correction(w: Writer, receipt: Receipt) -> None:
    """A refund or void says so, with the sale it corrects (and a void's reason)."""
    correction = receipt.correction
    if correction is None:
        return
    title = "REFUND" if correction.kind is CorrectionKind.REFUND else "VOID"
    w.out.text(w.label(title), align="center", bold=True, size=w.spec.total_size)
    w.out.pair(w.label("Original sale"), correction.original_order_number)
    if correction.reason:
        w.out.pair(w.label("Reason"), correction.reason)


def _codes_stacked(w: Writer, receipt: Receipt) -> None:
    out, spec = w.out, w.spec
    out.add(code128_block(receipt.order_number, spec))
    out.text(receipt.order_number, align="center", size=spec.small_size)
    if receipt.url:
        out.new_chunk()
        out.space(0.5)
        out.text(w.label("Your receipt online"), align="center", size=spec.small_size)
        out.add(qr_block(receipt.url, spec))


def _codes_beside(w: Writer, receipt: Receipt, url: str) -> None:
    """On a sheet, barcode and QR code share one band instead of pushing a page break."""
    out, spec = w.out, w.spec
    middle = spec.left + spec.content_width / 2
    small = spec.small_size
    with out.capture() as barcode:
        half = (spec.left, middle)
        out.add(code128_block(receipt.order_number, spec, bars=half, symbol=half))
        out.cells([Cell(receipt.order_number, *half, "center")], size=small)
    with out.capture() as qr:
        out.cells([Cell(w.label("Your receipt online"), middle, spec.right, "center")], size=small)
        out.add(qr_block(url, spec, area=(middle, spec.right)))
    out.add(Beside((tuple(barcode), tuple(qr))))


def _footer(w: Writer, receipt: Receipt) -> None:
    out, store = w.out, receipt.store
    out.new_chunk()
    for notice in (store.return_policy, store.thank_you):
        if notice:
            out.space(0.5)
            out.text(notice, align="center")
    out.space(1)
    if receipt.url and not w.spec.is_roll:
        _codes_beside(w, receipt, receipt.url)
    else:
        _codes_stacked(w, receipt)


def compose_receipt(
    receipt: Receipt,
    spec: PageSpec,
    language: ReceiptLanguage,
    *,
    copy: bool,
    logo_path: Path | None,
) -> list[list[Block]]:
    """The receipt's display list, in chunks that a sheet keeps on one page."""
    w = Writer.create(spec, language, receipt.cart.currency)
    _header(w, receipt, copy, logo_path)
    if spec.is_roll:
        roll_items(w, receipt.totals.lines)
    else:
        sheet_items(w, receipt.totals.lines)
    w.out.rule()
    totals_section(w, receipt)
    payments_section(w, receipt, receipt.cart.payments)
    included_taxes_section(w, receipt)
    _footer(w, receipt)
    return w.out.chunks
