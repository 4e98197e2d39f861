"""The X/Z shift report as a PDF: on an 80 mm roll one page as long as the report, on Letter
sheets with page numbers; labels in the till's language (bilingual too) and every figure of
the report's document printed."""

from __future__ import annotations

from typing import Any

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import mm

from pos_app.adapters.receipt_pdf.shift_report import render_shift_report
from pos_app.domain.paper import Paper, ReceiptLanguage
from tests.adapters.receipt_pdf.receipt_helpers import page_sizes, pdf_text


def document(taxes: int = 2) -> dict[str, Any]:
    return {
        "kind": "Z",
        "shift": 7,
        "register": "A1",
        "currency": "CAD",
        "openedAt": "2025-01-21T13:00:00+00:00",
        "sales": {"count": 50, "total": "1234.56"},
        "refunds": {"count": 3, "total": "45.10"},
        "voids": {"count": 1, "total": "5.16"},
        "netSales": "1184.30",
        "taxes": [
            {"name": "GST", "percentage": "5", "sales": "50.00", "returned": "2.00", "net": "48.00"}
        ]
        * taxes,
        "payments": [
            {"type": "CASH", "sales": "600.00", "returned": "20.00", "net": "580.00"},
            {"type": "CARD", "sales": "634.56", "returned": "30.26", "net": "604.30"},
        ],
        "discounts": "12.00",
        "cash": {
            "float": "150.00",
            "cashSales": "600.02",
            "cashRefunds": "20.01",
            "cashRounding": "-0.01",
            "paidIn": "20.00",
            "paidOut": "12.50",
            "expected": "737.50",
            "counted": "737.45",
            "overShort": "-0.05",
        },
        "waiting": 2,
        "needsAttention": 0,
    }


def test_an_80mm_roll_is_one_page_with_every_figure():
    pdf = render_shift_report(
        document(), paper=Paper.ROLL_80MM, language=ReceiptLanguage.FR_EN, business="Dépanneur"
    )
    [(width, height)] = page_sizes(pdf)
    assert round(width / mm) == 80 and height > 100 * mm
    text = pdf_text(pdf)
    for figure in ("RAPPORT Z / Z REPORT", "Ventes / Sales (50)", "1234.56", "737.50", "737.45"):
        assert figure in text
    assert "Excédent / manque / Over / short" in text and "-0.05" in text
    assert "TPS/GST 5%" in text


def test_letter_sheets_are_numbered_and_a_long_report_goes_on():
    pdf = render_shift_report(
        document(taxes=80), paper=Paper.LETTER, language=ReceiptLanguage.EN, business="Shop"
    )
    sizes = page_sizes(pdf)
    pages = len(sizes)
    assert pages > 1 and set(sizes) == {(LETTER[0], LETTER[1])}
    text = pdf_text(pdf)
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "Expected cash" in text and text.count("48.00") == 80


def test_the_same_report_gives_the_same_bytes():
    make = lambda: render_shift_report(  # noqa: E731
        document(), paper=Paper.LETTER, language=ReceiptLanguage.FR, business="Shop"
    )
    assert make() == make()
