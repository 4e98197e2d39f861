"""Paper: widths, a roll's length following its content, sheets cut into "page x of y"."""

from __future__ import annotations

import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from receipt_helpers import (
    ORDER,
    full_cart,
    lines_cart,
    make_receipt,
    page_sizes,
    pages_text,
    pdf_text,
    rasterise,
)

from pos_app.adapters.receipt_pdf import ReportlabReceiptRenderer, render_receipt
from pos_app.domain.paper import Paper, ReceiptLanguage

MM = 72 / 25.4
FR = ReceiptLanguage.FR


@pytest.mark.parametrize(
    ("paper", "width"),
    [
        (Paper.ROLL_80MM, 226.77),
        (Paper.ROLL_58MM, 164.41),
        (Paper.LETTER, 612.0),
        (Paper.A4, 595.28),
    ],
)
def test_page_width(paper: Paper, width: float) -> None:
    pdf = render_receipt(make_receipt(full_cart()), paper=paper, language=FR)
    for page_width, _ in page_sizes(pdf):
        assert page_width == pytest.approx(width, abs=0.01)


def test_sheet_heights() -> None:
    letter = render_receipt(make_receipt(full_cart()), paper=Paper.LETTER, language=FR)
    a4 = render_receipt(make_receipt(full_cart()), paper=Paper.A4, language=FR)
    assert page_sizes(letter) == [(612.0, 792.0)]
    assert page_sizes(a4)[0][1] == pytest.approx(841.89, abs=0.01)


@pytest.mark.parametrize("paper", [Paper.ROLL_80MM, Paper.ROLL_58MM])
def test_roll_grows_with_the_number_of_lines(paper: Paper) -> None:
    heights = [
        page_sizes(render_receipt(make_receipt(lines_cart(n)), paper=paper, language=FR))[0][1]
        for n in (10, 50)
    ]
    assert heights[1] > heights[0]
    # Each line adds the same height (one text line: a single unit has no quantity line):
    # growth is linear.
    per_line = (heights[1] - heights[0]) / 40
    assert 5 < per_line < 40
    one_more = page_sizes(render_receipt(make_receipt(lines_cart(11)), paper=paper, language=FR))
    assert one_more[0][1] - heights[0] == pytest.approx(per_line, abs=0.01)


@pytest.mark.parametrize("url", [None, "https://receipts.example.com/r/1"])
def test_roll_has_no_blank_tail(url: str | None, tmp_path: Path) -> None:
    pdf = render_receipt(make_receipt(lines_cart(5), url=url), paper=Paper.ROLL_80MM, language=FR)
    (png,) = rasterise(pdf, 72, tmp_path)
    with Image.open(png) as image:
        gray = image.convert("L")
        width, height = gray.size
        pixels = gray.load()
        last_inked = max(y for y in range(height) if any(pixels[x, y] < 128 for x in range(width)))
    # What follows the last mark: the bottom margin (4 mm) and, under a QR code, its quiet
    # zone (4 modules); nothing like the blank tail of a fixed-height page.
    assert height - 1 - last_inked < 4 * MM + 12


@pytest.mark.parametrize("paper", [Paper.ROLL_80MM, Paper.ROLL_58MM])
def test_300_lines_stay_on_one_roll_page(paper: Paper) -> None:
    receipt = make_receipt(lines_cart(300))
    pdf = render_receipt(receipt, paper=paper, language=FR)
    assert len(page_sizes(pdf)) == 1
    text = pdf_text(pdf)
    assert "Article 0 " in text and "Article 299 " in text
    assert "Page" not in text


@pytest.mark.parametrize(
    ("paper", "language", "footer"),
    [
        (Paper.A4, ReceiptLanguage.EN, "Page {n} of {pages}"),
        (Paper.A4, ReceiptLanguage.FR, "Page {n} de {pages}"),
        (Paper.LETTER, ReceiptLanguage.FR_EN, "Page {n} de {pages} / Page {n} of {pages}"),
    ],
)
def test_300_lines_on_sheets_are_paged(
    paper: Paper, language: ReceiptLanguage, footer: str
) -> None:
    receipt = make_receipt(lines_cart(300))
    pdf = render_receipt(receipt, paper=paper, language=language)
    texts = pages_text(pdf)
    pages = len(texts)
    assert pages > 2
    for n, text in enumerate(texts, start=1):
        assert f"{ORDER} — {footer.format(n=n, pages=pages)}" in text
    # Every line printed once, in order, across the pages; then the total; the store's
    # notices and the codes close the last page.
    everything = "\n".join(texts)
    numbers = [int(m) for m in re.findall(r"^Article (\d+) ", everything, re.MULTILINE)]
    assert numbers == list(range(300))
    assert everything.index("Article 299 ") < everything.index("TOTAL")
    assert "Merci de votre visite !" in texts[-1]


def test_a_short_receipt_on_a_sheet_is_one_page() -> None:
    pdf = render_receipt(make_receipt(full_cart()), paper=Paper.A4, language=ReceiptLanguage.EN)
    (text,) = pages_text(pdf)
    assert "Page 1 of 1" in text


def test_a_receipt_without_lines_is_refused() -> None:
    receipt = make_receipt(lines_cart(1))
    empty = replace(receipt, cart=replace(receipt.cart, items=()))
    with pytest.raises(ValueError, match="no lines"):
        render_receipt(empty, paper=Paper.ROLL_80MM, language=FR)


def test_same_receipt_same_bytes_and_the_port_renders_the_same() -> None:
    receipt = make_receipt(full_cart())
    first = render_receipt(receipt, paper=Paper.ROLL_58MM, language=ReceiptLanguage.FR_EN)
    again = render_receipt(receipt, paper=Paper.ROLL_58MM, language=ReceiptLanguage.FR_EN)
    port = ReportlabReceiptRenderer().render(
        receipt, paper=Paper.ROLL_58MM, language=ReceiptLanguage.FR_EN, copy=False
    )
    assert first == again == port
    assert first.startswith(b"%PDF-")


def test_renders_from_worker_threads() -> None:
    # The services render through asyncio.to_thread: concurrent renders must not interfere.
    receipt = make_receipt(full_cart())
    expected = render_receipt(receipt, paper=Paper.ROLL_80MM, language=FR)
    start = threading.Barrier(4)

    def render(_: int) -> bytes:
        start.wait()
        return render_receipt(receipt, paper=Paper.ROLL_80MM, language=FR)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(render, range(8)))
    assert all(result == expected for result in results)


def test_logo_is_drawn_at_the_top(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (0, 0, 0)).save(logo)
    receipt = make_receipt(lines_cart(2))
    with_logo = render_receipt(receipt, paper=Paper.ROLL_80MM, language=FR, logo_path=logo)
    without = render_receipt(receipt, paper=Paper.ROLL_80MM, language=FR)
    assert page_sizes(with_logo)[0][1] > page_sizes(without)[0][1]
    assert b"/Subtype /Image" in with_logo
    port = ReportlabReceiptRenderer(logo_path=logo)
    assert port.render(receipt, paper=Paper.ROLL_80MM, language=FR) == with_logo


def test_an_unreadable_logo_does_not_stop_the_receipt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    receipt = make_receipt(lines_cart(2))
    with caplog.at_level(logging.WARNING):
        pdf = render_receipt(
            receipt, paper=Paper.ROLL_80MM, language=FR, logo_path=tmp_path / "missing.png"
        )
    assert pdf == render_receipt(receipt, paper=Paper.ROLL_80MM, language=FR)
    assert "missing.png" in caplog.text
