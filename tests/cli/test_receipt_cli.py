"""`pos-app receipt pdf` and `pos-app receipt print` as an operator runs them."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from tests.cli.run import pos_app
from tests.fixtures.carts import FORMAT_EXAMPLE

MM = 72 / 25.4


@pytest.mark.parametrize(("paper", "width"), [("80mm", 80 * MM), ("58mm", 58 * MM), ("a4", 595.28)])
def test_pdf_from_a_cart_on_each_paper(tmp_path, paper, width):
    out = tmp_path / f"{paper}.pdf"
    result = pos_app(
        tmp_path, "receipt", "pdf", "-", "-o", str(out), "--paper", paper, "--lang", "fr",
        stdin=json.dumps(FORMAT_EXAMPLE),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = PdfReader(out).pages[0]
    assert float(page.mediabox.width) == pytest.approx(width, abs=0.5)
    text = page.extract_text()
    assert "4,62 $" in text  # the total, in fr-CA format
    assert "Café filtre" in text


def test_pdf_of_a_recorded_sale_and_a_copy_reprint(tmp_path):
    sale = pos_app(tmp_path, "sale", "-", stdin=json.dumps(FORMAT_EXAMPLE))
    order = json.loads(sale.stdout)["orderNumber"]
    out = tmp_path / "copy.pdf"
    result = pos_app(tmp_path, "receipt", "pdf", order, "-o", str(out), "--copy", "--lang", "en")
    assert result.returncode == 0, result.stderr
    text = PdfReader(out).pages[0].extract_text()
    assert "COPY" in text and order in text and "$4.62" in text

    reprint = pos_app(tmp_path, "receipt", "print", order)
    assert reprint.returncode == 0, reprint.stderr
    assert json.loads(reprint.stdout)["error"] is None
    assert (tmp_path / "receipts" / f"{order}-copy.pdf").is_file()


def test_unknown_order_and_empty_cart_are_refused(tmp_path):
    out = tmp_path / "x.pdf"
    unknown = pos_app(tmp_path, "receipt", "pdf", "A1-999999", "-o", str(out))
    assert unknown.returncode == 2 and "no sale with order number A1-999999" in unknown.stderr
    empty = pos_app(
        tmp_path, "receipt", "pdf", "-", "-o", str(out), stdin='{"currency": "CAD", "items": []}'
    )
    assert empty.returncode == 2 and "the cart is empty" in empty.stderr
    assert not out.exists()
