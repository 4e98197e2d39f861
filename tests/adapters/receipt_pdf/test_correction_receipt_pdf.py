"""A refund's receipt says REMBOURSEMENT / REFUND with the original sale's order number; a
void's says ANNULATION / VOID with its reason; on paper (PDF) and on the thermal printer."""

from __future__ import annotations

from decimal import Decimal

from pos_app.adapters.escpos import PROFILES, EscposPrinter, decode
from pos_app.adapters.receipt_pdf.renderer import render_receipt
from pos_app.domain.paper import Paper, ReceiptLanguage
from pos_app.domain.receipt import CorrectionKind
from tests.adapters.api.test_correction_request import correction
from tests.adapters.receipt_pdf.receipt_helpers import pdf_text


def test_a_refund_receipt_names_itself_and_its_original():
    refund = correction(CorrectionKind.REFUND, {0: Decimal(1)})
    text = pdf_text(render_receipt(refund, paper=Paper.ROLL_80MM, language=ReceiptLanguage.FR_EN))
    assert "REMBOURSEMENT / REFUND" in text
    assert "Vente d’origine / Original sale A1-000042" in text
    assert "ANNULATION" not in text


def test_a_void_receipt_names_itself_and_its_reason():
    void = correction(CorrectionKind.VOID, None, reason="wrong customer")
    text = pdf_text(render_receipt(void, paper=Paper.LETTER, language=ReceiptLanguage.EN))
    assert "VOID" in text and "Original sale A1-000042" in text
    assert "Reason wrong customer" in text


def test_the_thermal_receipt_of_a_refund_says_so_too():
    refund = correction(CorrectionKind.REFUND, {0: Decimal(1)})
    stream = EscposPrinter(PROFILES["80mm-48"]).render(refund, language=ReceiptLanguage.FR_EN)
    text = "\n".join(line.text for line in decode(stream).lines)
    assert "REMBOURSEMENT / REFUND" in text and "A1-000042" in text
