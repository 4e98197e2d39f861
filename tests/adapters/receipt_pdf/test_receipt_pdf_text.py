"""Text on the receipt: the embedded font, French accents, and names typed by anyone (markup,
very long names, characters the font lacks) printed as typed, wrapped or visibly replaced."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from receipt_helpers import full_cart, item, lines_cart, make_receipt, pdf_text

from pos_app.adapters.receipt_pdf import render_receipt
from pos_app.adapters.receipt_pdf.composer import wrap
from pos_app.adapters.receipt_pdf.fonts import fonts, printable, text_width
from pos_app.adapters.receipt_pdf.page import page_spec
from pos_app.domain.cart_format import parse_cart
from pos_app.domain.paper import Paper, ReceiptLanguage
from pos_app.domain.totals import compute_totals

FR = ReceiptLanguage.FR
MARK = "\ufffd"
LONG_WORD = "Ž" + "x" * 298 + "!"  # 300 characters and no space to break at
LONG_WORDS = " ".join(f"mot{n:03d}" for n in range(50))  # 300 characters with spaces


def render(cart: dict[str, object], paper: Paper = Paper.ROLL_80MM) -> bytes:
    return render_receipt(make_receipt(cart), paper=paper, language=FR)


def with_items(*names: str) -> dict[str, object]:
    cart = lines_cart(1)
    cart["items"] = [item(name, "1.00") for name in names]
    return cart


def test_french_accents_are_printed_and_extracted() -> None:
    cart = with_items("Thé à la menthe", "Crème brûlée", "Façade Élysée")
    text = pdf_text(render(cart))
    for char in "éèàçÉ":
        assert char in text
    for name in ("Thé à la menthe", "Crème brûlée", "Façade Élysée", "Café Éloïse & Fils"):
        assert name in text


@pytest.mark.parametrize("paper", list(Paper))
def test_dejavu_is_embedded_and_no_other_font_is_used(paper: Paper) -> None:
    reader = PdfReader(io.BytesIO(render(full_cart(), paper)))
    embedded: set[str] = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            program = descriptor["/FontFile2"].get_object()  # an embedded TrueType program
            assert len(program.get_data()) > 1000
            embedded.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert embedded == {"DejaVuSans", "DejaVuSans-Bold"}


def test_markup_in_names_prints_as_typed() -> None:
    text = pdf_text(render(with_items("<b>&amp;", "</para>", "<font size=40>x</font>")))
    assert "<b>&amp;" in text
    assert "</para>" in text
    assert "<font size=40>x</font>" in text


@pytest.mark.parametrize("paper", [Paper.ROLL_58MM, Paper.ROLL_80MM, Paper.A4])
def test_very_long_names_wrap_and_lose_nothing(paper: Paper) -> None:
    text = pdf_text(render(with_items(LONG_WORD, LONG_WORDS), paper))
    # The figures share the name's first line (amount; on a sheet also quantity and unit
    # price): take them out, then join the wrapped lines.
    squeezed = re.sub(r"\s+", "", re.sub(r"( 1)?( 1,00 \$)+\n", "\n", text))
    assert LONG_WORD in squeezed
    assert LONG_WORDS.replace(" ", "") in squeezed
    # Several printed lines for each name, none of them the whole name.
    assert LONG_WORD not in text
    assert sum(1 for line in text.splitlines() if "x" * 10 in line) >= 3


def test_wrapped_lines_fit_their_width() -> None:
    spec = page_spec(Paper.ROLL_58MM)
    for text in (LONG_WORD, LONG_WORDS, "a " + LONG_WORD + " b"):
        lines = wrap(text, spec.content_width, spec.size)
        assert len(lines) > 1
        assert all(text_width(line, spec.size) <= spec.content_width + 1e-6 for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_characters_the_font_lacks_are_replaced_visibly() -> None:
    text = pdf_text(render(with_items("Pizza 🍕", "Reçu 收据", "Café ☕ 👍🏽")))
    assert f"Pizza {MARK}" in text
    assert f"Reçu {MARK}{MARK}" in text
    assert "🍕" not in text and "收" not in text
    # ☕ is in DejaVu Sans and prints as itself.
    assert re.search(rf"Café ☕ {MARK}+", text)


def test_printable_neutralises_control_and_invisible_characters() -> None:
    assert printable("ligne\nsuivante\tici") == "ligne suivante ici"
    # Bidi overrides and zero-width joiners would reorder or hide text: dropped.
    assert printable("abc\u202edef\u200d") == "abcdef"
    # Decomposed accents are composed so the font's precomposed glyph is used.
    assert printable("Cafe\u0301") == "Café"
    assert printable("plain ASCII") == "plain ASCII"
    assert fonts().replacement == MARK


def test_names_with_line_breaks_stay_on_their_line() -> None:
    text = pdf_text(render(with_items("Sandwich\njambon\tbeurre")))
    assert "Sandwich jambon beurre" in text


def test_hostile_customer_names_print_as_typed() -> None:
    cart = full_cart()
    cart["customer"] = {"firstName": "</para>", "lastName": "<b>&amp; " + "y" * 200}
    text = pdf_text(render(cart))
    assert "Client" in text and "</para> <b>&amp;" in text
    assert "y" * 200 in re.sub(r"\s+", "", text)


def test_a_sale_on_account_prints_the_account_and_a_signature_line() -> None:
    cart = with_items("Caisse de bière")
    total = compute_totals(parse_cart({**cart, "payments": []})).total
    cart["payments"] = [
        {
            "type": "ACCOUNT",
            "amount": f"{total}",
            "account": "CUST-0001",
            "reference": "Restaurant Chez Louis",
        }
    ]
    for language, label in (
        (FR, "Porté au compte"),
        (ReceiptLanguage.FR_EN, "Porté au compte / On account"),
    ):
        text = pdf_text(
            render_receipt(make_receipt(cart), paper=Paper.ROLL_80MM, language=language)
        )
        assert label in text
        assert "CUST-0001 Restaurant Chez Louis" in text
        assert "Signature" in text
