"""DejaVu Sans, embedded in every receipt, and the characters it can draw.

Registered with reportlab once per process (parsing the TTF costs ~10 ms; renders run on worker
threads, hence the lock). Text is checked against the fonts' character maps so that a character
they lack (an emoji, CJK) prints as a visible replacement mark instead of vanishing or printing
the font's empty box that nobody notices.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from pos_app.resources import resource_path

REGULAR = "PosDejaVuSans"
BOLD = "PosDejaVuSans-Bold"
# Tried in order; the first one both fonts can draw is the mark printed for missing characters.
_REPLACEMENT_CANDIDATES = ("\ufffd", "\u25a1", "?")


@dataclass(frozen=True, slots=True)
class FontSet:
    regular: TTFont
    bold: TTFont
    covered: frozenset[int]  # code points both fonts draw with a real glyph
    replacement: str

    def face(self, bold: bool) -> TTFont:
        return self.bold if bold else self.regular


_lock = threading.Lock()
_fonts: FontSet | None = None


def _covered(font: TTFont) -> set[int]:
    # Glyph 0 is .notdef, the empty box: a character mapped to it is not really covered.
    return {code for code, glyph in font.face.charToGlyph.items() if glyph}


def fonts() -> FontSet:
    """The registered receipt fonts (registering them on first use)."""
    global _fonts
    if _fonts is None:
        with _lock:
            if _fonts is None:
                regular = TTFont(REGULAR, str(resource_path("fonts", "DejaVuSans.ttf")))
                bold = TTFont(BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf")))
                pdfmetrics.registerFont(regular)
                pdfmetrics.registerFont(bold)
                # Bold and regular differ by a few hundred rare glyphs; text may be drawn in
                # either, so only what both can draw counts.
                covered = frozenset(_covered(regular) & _covered(bold))
                mark = next(c for c in _REPLACEMENT_CANDIDATES if ord(c) in covered)
                _fonts = FontSet(regular, bold, covered, mark)
    return _fonts


def printable(text: str) -> str:
    """`text` as it can be printed on one line: characters the fonts lack become a visible
    replacement mark, control characters a space, invisible format characters (zero-width
    joiners, bidi overrides, soft hyphens) are dropped. Never markup: the text is drawn as is."""
    if text.isascii() and text.isprintable():  # the common case, covered by any Latin font
        return text
    return _printable(text)


@functools.lru_cache(maxsize=4096)
def _printable(text: str) -> str:
    font_set = fonts()
    covered = font_set.covered
    out: list[str] = []
    # NFC first: "e" + combining acute becomes the single "é" the font draws well.
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if category == "Cc":
            out.append(" ")
        elif category == "Cf":
            continue
        elif ord(char) in covered:
            out.append(char)
        else:
            out.append(font_set.replacement)
    return "".join(out)


_widths: dict[tuple[str, float, bool], float] = {}
# Widths are remembered because layout measures the same text more than once (to wrap, then to
# align) and amounts and labels repeat; without reportlab's optional C accelerator each
# measurement is a Python loop over the characters. Bounded so a long-running till does not
# grow it without end.
_MAX_WIDTHS = 50_000


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of `text` (already printable) at `size`."""
    key = (text, size, bold)
    width = _widths.get(key)
    if width is None:
        if len(_widths) >= _MAX_WIDTHS:
            _widths.clear()
        width = _widths[key] = fonts().face(bold).stringWidth(text, size)
    return width
