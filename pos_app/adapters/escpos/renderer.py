"""The receipt content (`domain/receipt_content.py`) as an ESC/POS byte stream: the same words
and figures as the PDF, laid out in the printer profile's columns, amounts flush right,
accents in the code page selected with ESC t, the order number as a native Code 128, the QR
code native when the printer draws it, and a cut."""

from __future__ import annotations

from pathlib import Path

from pos_app.adapters.escpos import commands, raster
from pos_app.adapters.escpos.profiles import PrinterProfile
from pos_app.adapters.escpos.text import pair_lines, printable, wrap
from pos_app.domain.receipt_content import (
    Barcode,
    Content,
    Element,
    Items,
    Logo,
    Pair,
    QrCode,
    Rule,
    Space,
    Text,
)

_INDENT = 2  # columns per level of indentation
_LOGO_MAX_DOTS = 160  # about 20 mm of paper
_BARCODE_HEIGHT = 80  # dots, 10 mm
_QR_MODULE = 5  # dots: a phone reads it at arm's length
_BARCODE_QUIET = 20  # modules, both quiet zones


def _code128_module(data: str, dots: int) -> int:
    # Code set B: start, a symbol per character, check symbol (11 modules each), stop (13).
    modules = 11 * (len(data) + 2) + 13 + _BARCODE_QUIET
    return max(1, min(3, dots // modules))


class EscposRenderer:
    """Renders content for one printer profile; the store's logo, if any, is part of the
    till's setup."""

    def __init__(self, profile: PrinterProfile, logo_path: Path | None = None) -> None:
        self.profile = profile
        self.logo_path = logo_path
        self._codec = profile.code_page.codec

    def _encode(self, text: str) -> bytes:
        return text.encode(self._codec)

    def _lines(self, lines: list[str], indent: int = 0) -> bytes:
        pad = " " * indent
        return b"".join(self._encode(pad + line) + commands.LF for line in lines)

    def _text(self, element: Text) -> bytes:
        columns = self.profile.columns
        indent = element.indent * _INDENT
        lines = [printable(line, self._codec) for line in element.text.splitlines() or [""]]
        out = [commands.align(element.align)]
        size = (1, 1)
        if element.style == "title":
            # Twice as large when every line fits at double width, else only twice as tall.
            wide = all(len(line) <= columns // 2 for line in lines)
            size = (2, 2) if wide else (1, 2)
        width = (columns - indent) // size[0]
        if size != (1, 1):
            out.append(commands.char_size(*size))
        if element.bold:
            out.append(commands.bold(True))
        out.append(self._lines([part for line in lines for part in wrap(line, width)], indent))
        if element.bold:
            out.append(commands.bold(False))
        if size != (1, 1):
            out.append(commands.char_size(1, 1))
        if element.align != "left":
            out.append(commands.align("left"))
        return b"".join(out)

    def _pair(self, pair: Pair, indent_level: int | None = None) -> bytes:
        codec = self._codec
        indent = (pair.indent if indent_level is None else indent_level) * _INDENT
        lines = pair_lines(
            printable(pair.label, codec),
            printable(pair.value, codec),
            self.profile.columns - indent,
            printable(pair.keep, codec),
        )
        body = self._lines(lines, indent)
        if pair.total:
            body = commands.char_size(1, 2) + body + commands.char_size(1, 1)
        if pair.bold:
            body = commands.bold(True) + body + commands.bold(False)
        return body

    def _items(self, items: Items) -> bytes:
        out = []
        for line in items.lines:
            first, *others = line.names
            out.append(self._pair(Pair(first, line.amount)))
            for other in others:
                out.append(self._text(Text(other, indent=1)))
            if line.quantity_line:
                out.append(self._text(Text(line.quantity_line, indent=1)))
            for label, amount in line.discounts:
                out.append(self._pair(Pair(label, amount, indent=1)))
        return b"".join(out)

    def _barcode(self, barcode: Barcode) -> bytes:
        module = _code128_module(barcode.data, self.profile.dots)
        return (
            commands.align("center")
            + commands.code128(barcode.data, module_dots=module, height_dots=_BARCODE_HEIGHT)
            + commands.LF
            + commands.align("left")
        )

    def _qr(self, qr: QrCode) -> bytes:
        caption = self._text(Text(qr.caption, "center"))
        if self.profile.native_qr:
            symbol = commands.qr_code(qr.data, module_dots=_QR_MODULE)
        else:
            symbol = raster.qr_image(qr.data, 3, self.profile.dots)
        return caption + commands.align("center") + symbol + commands.LF + commands.align("left")

    def _logo(self) -> bytes:
        if self.logo_path is None:
            return b""
        picture = raster.logo(self.logo_path, self.profile.dots, _LOGO_MAX_DOTS)
        return picture + commands.LF if picture else b""

    def element(self, element: Element) -> bytes:
        if isinstance(element, Text):
            return self._text(element)
        if isinstance(element, Pair):
            return self._pair(element)
        if isinstance(element, Rule):
            return self._encode("-" * self.profile.columns) + commands.LF
        if isinstance(element, Space):
            # Whole lines only: half a line or more is a blank line.
            return commands.LF * int(element.lines + 0.5)
        if isinstance(element, Items):
            return self._items(element)
        if isinstance(element, Barcode):
            return self._barcode(element)
        if isinstance(element, QrCode):
            return self._qr(element)
        if isinstance(element, Logo):
            return self._logo()
        raise TypeError(f"no ESC/POS layout for {element!r}")

    def render(self, content: Content, *, drawer: bool = False) -> bytes:
        """The whole job: reset, code page, (the drawer pulse first, so the drawer opens while
        the receipt prints), the content, then feed and cut."""
        parts = [commands.INIT, commands.code_page(self.profile.code_page.number)]
        if drawer:
            parts.append(commands.drawer_pulse())
        for section in content.sections:
            parts.extend(self.element(element) for element in section.elements)
        parts.append(commands.cut())
        return b"".join(parts)
