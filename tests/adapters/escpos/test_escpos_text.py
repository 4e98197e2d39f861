"""Lines in printer columns: whatever the text, no line is wider than the columns, nothing is
lost (only spaces where lines break), and every character is one the code page has."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from pos_app.adapters.escpos import PROFILES, EscposPrinter, decode
from pos_app.adapters.escpos.text import pair_lines, printable, wrap
from pos_app.domain.paper import ReceiptLanguage
from tests.adapters.receipt_pdf.receipt_helpers import full_cart, make_receipt

words = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]))
widths = st.integers(min_value=8, max_value=48)


@given(words, widths)
def test_wrap_fits_and_keeps_every_character(text: str, width: int) -> None:
    text = printable(text, "cp858")
    lines = wrap(text, width)
    assert all(len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@given(words, st.text(alphabet="0123456789,.$-", max_size=20), words, widths)
def test_pairs_fit_and_keep_the_value_whole_and_flush_right(label, value, keep, width) -> None:
    label, keep = printable(label, "cp858"), printable(keep, "cp858").replace(" ", "\u00a0")
    lines = pair_lines(label, value, width, keep)
    assert all(len(line) <= width for line in lines)
    words = (label + keep).replace(" ", "")
    if len(value) <= width // 2:
        # A short value (an amount) ends the first line; the label and its kept tail fill
        # the lines, in order, around it.
        assert lines[0].endswith(value)
        rest = [lines[0][: len(lines[0]) - len(value)], *lines[1:]]
        assert "".join(rest).replace(" ", "") == words
    else:
        # A long value (a customer's name) goes flush right under the label.
        assert "".join(lines).replace(" ", "") == words + value


@given(st.text())
def test_every_character_is_in_the_code_page(text: str) -> None:
    for codec in ("cp858", "cp863"):
        printable(text, codec).encode(codec)  # never raises


def test_logo_prints_as_a_raster_image_within_the_head(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (800, 200), (0, 0, 0, 255)).save(logo)
    receipt = make_receipt(full_cart())
    for name, profile in PROFILES.items():
        data = EscposPrinter(profile, logo_path=logo).render(receipt, language=ReceiptLanguage.FR)
        images = decode(data).images
        assert images, name
        width, height = images[0]
        assert width <= profile.dots and 0 < height <= 160
    unreadable = tmp_path / "broken.png"
    unreadable.write_bytes(b"not an image")
    data = EscposPrinter(PROFILES["80mm-48"], logo_path=unreadable).render(
        receipt, language=ReceiptLanguage.FR
    )
    assert decode(data).images == []  # no logo, but the receipt prints
