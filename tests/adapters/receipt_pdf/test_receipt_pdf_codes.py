"""The order number's Code 128 and the receipt URL's QR code, rasterised as a printer driver
would (pdftoppm at a thermal head's 203 dpi and an office printer's 300 dpi) and read back by
zbar."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from receipt_helpers import ORDER, URL, decode, full_cart, lines_cart, make_receipt, rasterise
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel, QRUtil

from pos_app.adapters.receipt_pdf import render_receipt
from pos_app.adapters.receipt_pdf.barcode import code128_block
from pos_app.adapters.receipt_pdf.page import page_spec
from pos_app.adapters.receipt_pdf.qr import best_mask, penalty, qr_rows
from pos_app.domain.paper import Paper, ReceiptLanguage

PAYLOADS = [
    URL,
    "https://r.example/1",
    "HTTPS://R.EXAMPLE/ABC-123",  # alphanumeric mode
    "0123456789",  # numeric mode
    "https://receipts.example.com/r/" + "x" * 200,  # a large symbol (version 10+)
]


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("paper", [Paper.ROLL_80MM, Paper.ROLL_58MM, Paper.LETTER, Paper.A4])
def test_barcode_and_qr_read_back(paper: Paper, dpi: int, tmp_path: Path) -> None:
    pdf = render_receipt(make_receipt(full_cart()), paper=paper, language=ReceiptLanguage.FR)
    (png,) = rasterise(pdf, dpi, tmp_path)
    found = decode(png)
    assert found.get("CODE128") == [ORDER]
    assert found.get("QRCODE") == [URL]


@pytest.mark.parametrize("order", ["A1-000042", "B7-123456789", "Z9-0000000000001"])
def test_other_order_numbers_read_back(order: str, tmp_path: Path) -> None:
    receipt = replace(make_receipt(lines_cart(2), url=None), order_number=order)
    pdf = render_receipt(receipt, paper=Paper.ROLL_58MM, language=ReceiptLanguage.EN)
    (png,) = rasterise(pdf, 203, tmp_path)
    assert decode(png) == {"CODE128": [order]}


def test_no_qr_code_without_a_url(tmp_path: Path) -> None:
    receipt = make_receipt(full_cart(), url=None)
    pdf = render_receipt(receipt, paper=Paper.ROLL_80MM, language=ReceiptLanguage.FR)
    (png,) = rasterise(pdf, 203, tmp_path)
    assert "QRCODE" not in decode(png)
    assert b"Votre re" not in pdf


def test_bars_are_whole_dots_of_a_203_dpi_head_and_fit_the_roll() -> None:
    dot = 72 / 203
    for paper in (Paper.ROLL_80MM, Paper.ROLL_58MM):
        spec = page_spec(paper)
        block = code128_block(ORDER, spec)
        for x, _, width, _ in block.rects:
            assert (width / dot) == pytest.approx(round(width / dot), abs=1e-6)
            assert spec.left <= x and x + width <= spec.right
        # Quiet zones of 10 modules on both sides stay on the paper.
        module = min(w for _, _, w, _ in block.rects)
        first = block.rects[0][0]
        last = block.rects[-1][0] + block.rects[-1][2]
        assert first - 10 * module >= 0 and last + 10 * module <= spec.width


def test_an_order_number_code_128_cannot_carry_is_refused() -> None:
    spec = page_spec(Paper.ROLL_80MM)
    with pytest.raises(ValueError, match="Code 128"):
        code128_block("Commande-é", spec)
    with pytest.raises(ValueError, match="empty"):
        code128_block("", spec)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_fast_mask_penalty_is_reportlabs(payload: str) -> None:
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(payload)
    code.version = code.calculate_version()
    for mask in range(8):
        code.makeImpl(True, mask)
        rows = ["".join("1" if dark else "0" for dark in row) for row in code.modules]
        assert penalty(rows) == QRUtil.getLostPoint(code), f"mask {mask}"
    assert best_mask(code) == code.getBestMaskPattern()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_qr_symbol_is_the_one_reportlab_makes(payload: str) -> None:
    reference = QRCode(None, QRErrorCorrectLevel.M)
    reference.addData(payload)
    reference.make()
    expected = ["".join("1" if dark else "0" for dark in row) for row in reference.modules]
    assert qr_rows(payload) == expected
