"""The receipt content (`domain/receipt_content.py`) laid out in points: each element becomes
measured blocks of the display list, in chunks a sheet keeps on one page. What is printed is
the content's; this module only decides where."""

from __future__ import annotations

import logging
from pathlib import Path

from reportlab.lib.utils import ImageReader

from pos_app.adapters.receipt_pdf.barcode import code128_block
from pos_app.adapters.receipt_pdf.blocks import Beside, Block, Picture
from pos_app.adapters.receipt_pdf.composer import Cell, Composer
from pos_app.adapters.receipt_pdf.fonts import printable, text_width
from pos_app.adapters.receipt_pdf.item_lines import indent_of, roll_items, sheet_items
from pos_app.adapters.receipt_pdf.page import PageSpec
from pos_app.adapters.receipt_pdf.qr import qr_block
from pos_app.domain.receipt_content import (
    SUMMARIES,
    Barcode,
    Content,
    Element,
    Items,
    Logo,
    Pair,
    QrCode,
    Rule,
    Section,
    Space,
    Text,
)

log = logging.getLogger(__name__)

# Sections that run on from the one before instead of starting a chunk of their own.
_RUN_ON = frozenset({"header", "codes"})


def _logo(path: Path, spec: PageSpec) -> Picture | None:
    """The store's logo scaled into the logo box, or None (logged) when it cannot be read: a
    missing logo must not stop a sale's receipt from printing."""
    try:
        image = ImageReader(str(path))
        width, height = image.getSize()
    except Exception as error:  # reportlab/PIL raise many types for unreadable images
        log.warning("receipt logo %s not printed: %s", path, error)
        return None
    scale = min(spec.logo_height / height, spec.content_width / width)
    shown_width, shown_height = width * scale, height * scale
    x = (spec.width - shown_width) / 2
    return Picture(shown_height, image, x, shown_width, shown_height)


class _Layout:
    def __init__(self, spec: PageSpec, logo_path: Path | None) -> None:
        self.out = Composer(spec)
        self.spec = spec
        self.logo_path = logo_path

    def size(self, style: str) -> float:
        return {
            "title": self.spec.title_size,
            "small": self.spec.small_size,
        }.get(style, self.spec.size)

    def column(self, section: Section) -> float | None:
        # On a sheet the money summaries take the right half, under the amounts; a roll is
        # too narrow.
        if section.kind in SUMMARIES and not self.spec.is_roll:
            return self.spec.left + self.spec.content_width / 2
        return None

    def pair(self, pair: Pair, x0: float | None) -> None:
        out, spec = self.out, self.spec
        indent = pair.indent * indent_of(out)
        size = spec.total_size if pair.total else spec.size
        label = pair.label
        keep_apart = False
        if pair.keep:
            # The kept part (a registration number) is never cut: when it does not fit beside
            # the value, it goes whole on a line of its own.
            left = (spec.left if x0 is None else x0) + indent
            room = spec.right - left - text_width(printable(pair.value), size, pair.bold) - size
            keep_apart = text_width(printable(pair.keep), size, pair.bold) > room
            label = label if keep_apart else f"{label} {pair.keep}"
        out.pair(label, pair.value, indent=indent, size=size, bold=pair.bold, x0=x0)
        if keep_apart:
            left = (spec.left if x0 is None else x0) + indent
            out.cells([Cell(pair.keep, left, spec.right)], size=size, bold=pair.bold)

    def element(self, element: Element, x0: float | None) -> None:
        out = self.out
        if isinstance(element, Text):
            out.text(
                element.text,
                align=element.align,
                indent=element.indent * indent_of(out),
                size=self.size(element.style),
                bold=element.bold,
            )
        elif isinstance(element, Pair):
            self.pair(element, x0)
        elif isinstance(element, Rule):
            out.rule(x0)
        elif isinstance(element, Space):
            out.space(element.lines)
        elif isinstance(element, Logo):
            if self.logo_path is not None and (logo := _logo(self.logo_path, self.spec)):
                out.add(logo)
                out.space(0.5)
        elif isinstance(element, Items):
            (roll_items if self.spec.is_roll else sheet_items)(out, element)
        elif isinstance(element, Barcode):
            self.barcode(element)
        elif isinstance(element, QrCode):
            self.qr(element)

    def barcode(self, barcode: Barcode) -> None:
        self.out.add(code128_block(barcode.data, self.spec))
        self.out.text(barcode.data, align="center", size=self.spec.small_size)

    def qr(self, qr: QrCode) -> None:
        out = self.out
        out.new_chunk()
        out.space(0.5)
        out.text(qr.caption, align="center", size=self.spec.small_size)
        out.add(qr_block(qr.data, self.spec))

    def codes_beside(self, barcode: Barcode, qr: QrCode) -> None:
        """On a sheet, barcode and QR code share one band instead of pushing a page break."""
        out, spec = self.out, self.spec
        middle = spec.left + spec.content_width / 2
        small = spec.small_size
        with out.capture() as bars:
            half = (spec.left, middle)
            out.add(code128_block(barcode.data, spec, bars=half, symbol=half))
            out.cells([Cell(barcode.data, *half, "center")], size=small)
        with out.capture() as square:
            out.cells([Cell(qr.caption, middle, spec.right, "center")], size=small)
            out.add(qr_block(qr.data, spec, area=(middle, spec.right)))
        out.add(Beside((tuple(bars), tuple(square))))

    def section(self, section: Section) -> None:
        if section.kind not in _RUN_ON:
            self.out.new_chunk()
        elements = section.elements
        match elements:
            case (Barcode() as barcode, QrCode() as qr) if not self.spec.is_roll:
                self.codes_beside(barcode, qr)
                return
        x0 = self.column(section)
        for element in elements:
            self.element(element, x0)


def layout_content(
    content: Content, spec: PageSpec, *, logo_path: Path | None
) -> list[list[Block]]:
    """The content's display list, in chunks that a sheet keeps on one page."""
    layout = _Layout(spec, logo_path)
    for section in content.sections:
        layout.section(section)
    return layout.out.chunks
