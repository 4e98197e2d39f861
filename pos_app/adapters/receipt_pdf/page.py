"""The geometry of each paper: page width, margins, type sizes, barcode sizes.

Rolls print on the 72 mm (80 mm roll) or 48 mm (58 mm roll) a thermal head reaches, and their
page is as long as the content. Sheets are Letter or A4 with a page footer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm

from pos_app.domain.paper import Paper

# One dot of a 203 dpi thermal head, in points. Bar and QR modules are whole numbers of dots so
# that every bar lands on the same number of dots and scanners see even widths.
DOT = 72 / 203


@dataclass(frozen=True, slots=True)
class PageSpec:
    width: float
    height: float | None  # None: a roll, as long as what is printed on it
    margin_x: float
    margin_top: float
    margin_bottom: float
    size: float  # body text
    title_size: float  # the business name
    total_size: float  # the TOTAL line
    small_size: float  # page footers, captions
    barcode_dots: int  # preferred Code 128 module width, in dots
    barcode_height: float
    qr_dots: int  # preferred QR module size, in dots
    logo_height: float  # the most a logo may take

    @property
    def is_roll(self) -> bool:
        return self.height is None

    @property
    def left(self) -> float:
        return self.margin_x

    @property
    def right(self) -> float:
        return self.width - self.margin_x

    @property
    def content_width(self) -> float:
        return self.width - 2 * self.margin_x

    def leading(self, size: float) -> float:
        return size * 1.25


_LETTER = PageSpec(
    width=LETTER[0],
    height=LETTER[1],
    margin_x=18 * mm,
    margin_top=18 * mm,
    margin_bottom=18 * mm,
    size=10,
    title_size=15,
    total_size=12,
    small_size=8,
    barcode_dots=4,
    barcode_height=12 * mm,
    qr_dots=7,
    logo_height=25 * mm,
)

_SPECS = {
    Paper.ROLL_80MM: PageSpec(
        width=80 * mm,
        height=None,
        margin_x=4 * mm,
        margin_top=3 * mm,
        margin_bottom=4 * mm,
        size=8.5,
        title_size=12,
        total_size=11,
        small_size=7,
        barcode_dots=4,
        barcode_height=12 * mm,
        qr_dots=6,
        logo_height=18 * mm,
    ),
    Paper.ROLL_58MM: PageSpec(
        width=58 * mm,
        height=None,
        margin_x=5 * mm,
        margin_top=3 * mm,
        margin_bottom=4 * mm,
        size=7,
        title_size=10,
        total_size=9,
        small_size=6,
        barcode_dots=3,
        barcode_height=10 * mm,
        qr_dots=5,
        logo_height=14 * mm,
    ),
    Paper.LETTER: _LETTER,
    # A4 is laid out like Letter, on a sheet of its own size.
    Paper.A4: replace(_LETTER, width=A4[0], height=A4[1]),
}


def page_spec(paper: Paper) -> PageSpec:
    return _SPECS[paper]
