"""The ESC/POS receipt read back from its byte stream: the same figures as the PDF of the same
sale, within the printer's columns, accents from the selected code page, the order number in
a native Code 128."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from pos_app.adapters.escpos import PROFILES, EscposPrinter, Printout, decode
from pos_app.adapters.escpos.decode import CODE_PAGES
from pos_app.adapters.escpos.renderer import EscposRenderer
from pos_app.adapters.receipt_pdf import render_receipt
from pos_app.adapters.receipt_pdf.renderer import render_content
from pos_app.domain.cart_format import parse_cart
from pos_app.domain.paper import Paper, ReceiptLanguage
from pos_app.domain.receipt_content import Pair, Rule, Section, Text, receipt_content
from pos_app.domain.totals import compute_totals
from pos_app.wording import ReceiptWording
from tests.adapters.receipt_pdf.receipt_helpers import (
    ORDER,
    URL,
    full_cart,
    item,
    lines_cart,
    make_receipt,
    normalise_spaces,
    pdf_text,
)

# An amount as babel writes it in fr-CA ("1 234,56 $", "-0,50 $") or en-CA ("$1,234.56").
_AMOUNT = re.compile(r"-?\d{1,3}(?:[ ,]\d{3})*[,.]\d{2} \$|-?\$\d{1,3}(?:,\d{3})*\.\d{2}")


def printout(receipt, profile: str, language: ReceiptLanguage, **kw) -> Printout:
    return decode(EscposPrinter(PROFILES[profile]).render(receipt, language=language, **kw))


def amounts(text: str) -> list[str]:
    return sorted(_AMOUNT.findall(normalise_spaces(text)))


def incl_cart():
    cart = full_cart()
    cart["taxesIncluded"] = True
    return cart


@pytest.mark.parametrize("profile", list(PROFILES))
@pytest.mark.parametrize("language", list(ReceiptLanguage))
@pytest.mark.parametrize("cart", [full_cart, incl_cart, lambda: lines_cart(30)])
def test_every_amount_of_the_pdf_is_printed_within_the_columns(profile, language, cart) -> None:
    receipt = make_receipt(cart())
    paper = PROFILES[profile].paper
    pdf = pdf_text(render_receipt(receipt, paper=paper, language=language))
    out = printout(receipt, profile, language)
    assert amounts(out.text) == amounts(pdf)
    assert amounts(pdf)  # the comparison compared something
    columns = PROFILES[profile].columns
    assert max(line.columns for line in out.lines) <= columns
    assert any(line.columns == columns for line in out.lines)  # amounts reach the right edge


@pytest.mark.parametrize("profile", list(PROFILES))
def test_accents_come_back_from_the_selected_code_page(profile) -> None:
    receipt = make_receipt(full_cart())
    data = EscposPrinter(PROFILES[profile]).render(receipt, language=ReceiptLanguage.FR)
    out = decode(data)
    selected = PROFILES[profile].code_page.number
    assert out.code_pages == [selected]
    assert CODE_PAGES[selected] in ("cp858", "cp863")
    for word in ("Café Éloïse & Fils", "Crème brûlée façon Élise", "Montréal", "Fidélité"):
        assert word in out.text
    assert "Élodie" in out.text
    # Not UTF-8 on the wire: one byte per accented letter.
    assert "é".encode() not in data


def test_barcode_holds_the_order_number_and_qr_the_receipt_url() -> None:
    receipt = make_receipt(full_cart())
    wide = printout(receipt, "80mm-48", ReceiptLanguage.FR)
    assert wide.barcodes == [(73, b"{B" + ORDER.encode())]
    assert wide.qr_codes == [URL]
    assert wide.cuts == 1
    # A 58 mm printer without GS ( k gets the QR code as an image, within its head.
    narrow = printout(receipt, "58mm-32", ReceiptLanguage.FR)
    assert narrow.barcodes == [(73, b"{B" + ORDER.encode())]
    assert narrow.qr_codes == []
    assert [w for w, _h in narrow.images] and max(w for w, _h in narrow.images) <= 384


def test_copy_mark_and_drawer_pulse() -> None:
    receipt = make_receipt(full_cart())
    copy = printout(receipt, "80mm-48", ReceiptLanguage.FR_EN, copy=True, drawer=True)
    assert copy.lines[0].text == "DUPLICATA / COPY"
    assert copy.drawer_pulses == 1
    assert printout(receipt, "80mm-48", ReceiptLanguage.FR).drawer_pulses == 0


def test_a_single_unit_has_no_quantity_line() -> None:
    receipt = make_receipt(
        {
            "currency": "CAD",
            "items": [item("Baguette", "3.25", "1"), item("Croissant", "2.10", "2")],
            "payments": [{"type": "CASH", "amount": "20.00"}],
        }
    )
    for profile in PROFILES:
        text = normalise_spaces(printout(receipt, profile, ReceiptLanguage.FR).text)
        assert not re.search(r"1 [×x] 3,25", text)
        # PC863 has no "×": the letter x stands in for it.
        assert re.search(r"2 [×x] 2,10 \$", text)
    pdf = pdf_text(render_receipt(receipt, paper=Paper.ROLL_58MM, language=ReceiptLanguage.FR))
    assert "3,25 $" in pdf
    assert "1 × 3,25" not in pdf
    assert "2 × 2,10 $" in pdf


def test_a_registration_number_that_does_not_fit_wraps_whole() -> None:
    cart = full_cart()
    receipt = make_receipt(cart)
    store = receipt.store
    long_number = "1234567890 TQ0001 ABCDEFGHIJ"
    receipt = replace(
        receipt, store=replace(store, tax_numbers={**store.tax_numbers, "QST": long_number})
    )
    for profile in PROFILES:
        lines = [line.text for line in printout(receipt, profile, ReceiptLanguage.FR_EN).lines]
        whole = "- " + long_number
        assert any(normalise_spaces(line).strip() == whole for line in lines), profile
    pdf = pdf_text(render_receipt(receipt, paper=Paper.ROLL_58MM, language=ReceiptLanguage.FR_EN))
    assert f"— {long_number}" in pdf


def test_a_new_block_prints_on_both_papers_without_a_renderer_change() -> None:
    """How a refund or an on-account sale adds its block: a Section of the same elements,
    put where it belongs in the content; both renderers print it as they print the rest."""
    receipt = make_receipt(full_cart())
    wording = ReceiptWording(ReceiptLanguage.FR, "CAD")
    content = receipt_content(receipt, wording)
    account = Section(
        "on_account",
        (
            Rule(),
            Text("REMBOURSEMENT / REFUND", "center", "title", bold=True),
            Pair(wording.label("Order"), "A1-000001"),
            Pair("Compte", "C-0042"),
            Text("Signature: ____________________"),
        ),
    )
    extended = replace(content, sections=(*content.sections[:-1], account, content.sections[-1]))
    escpos = decode(EscposRenderer(PROFILES["58mm-32"]).render(extended)).text
    pdf = pdf_text(render_content(extended, paper=Paper.ROLL_58MM, page_label=wording.labels.page))
    for text in (escpos, normalise_spaces(pdf)):
        assert re.search(r"REMBOURSEMENT /\s+REFUND", text)  # a title may wrap on 58 mm
        assert re.search(r"Compte\s+C-0042", text)
        assert "Signature:" in text


def test_a_sale_on_account_prints_the_account_and_a_signature_line_on_paper_rolls_too() -> None:
    cart = lines_cart(1)
    total = compute_totals(parse_cart({**cart, "payments": []})).total
    cart["payments"] = [
        {"type": "ACCOUNT", "amount": f"{total}", "account": "CUST-0001", "reference": "Chez Louis"}
    ]
    for profile in PROFILES:
        text = printout(make_receipt(cart), profile, ReceiptLanguage.FR).text
        assert "Porté au compte" in text
        assert "CUST-0001 Chez Louis" in text
        assert "Signature" in text
