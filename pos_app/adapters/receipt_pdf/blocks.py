"""The display list: measured blocks stacked top to bottom, each knowing its height and how to
draw itself. Measuring everything first is what lets a roll's page be exactly as long as its
content and a sheet know its page count before drawing "page 1 of 3".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from pos_app.adapters.receipt_pdf.fonts import BOLD, REGULAR
from pos_app.domain.text import printable


class Pen:
    """Draws on one page. All text goes into one PDF text object, so the font is switched
    only when it changes: much cheaper than a drawString per span."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self._text = canvas.beginText()
        self._font: tuple[bool, float] | None = None

    def text(self, x: float, y: float, text: str, size: float, bold: bool) -> None:
        if self._font != (bold, size):
            self._text.setFont(BOLD if bold else REGULAR, size)
            self._font = (bold, size)
        self._text.setTextOrigin(x, y)
        # Last guard for text from elsewhere (settings, the API): no control character or
        # bidi override reaches the paper.
        self._text.textOut(printable(text))

    def finish(self) -> None:
        self.canvas.drawText(self._text)


class Block(Protocol):
    @property
    def height(self) -> float: ...

    def draw(self, pen: Pen, top: float) -> None:
        """Draw with the block's top edge at `top` (PDF y, growing upwards)."""


@dataclass(frozen=True, slots=True)
class Span:
    x: float  # left edge of the text
    text: str
    size: float
    bold: bool = False


@dataclass(frozen=True, slots=True)
class TextLine:
    height: float
    baseline: float  # distance from the top of the line down to the baseline
    spans: tuple[Span, ...]

    def draw(self, pen: Pen, top: float) -> None:
        y = top - self.baseline
        for span in self.spans:
            pen.text(span.x, y, span.text, span.size, span.bold)


@dataclass(frozen=True, slots=True)
class Space:
    height: float

    def draw(self, pen: Pen, top: float) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Rule:
    height: float
    x0: float
    x1: float
    width: float = 0.5

    def draw(self, pen: Pen, top: float) -> None:
        canvas = pen.canvas
        y = top - self.height / 2
        canvas.setLineWidth(self.width)
        canvas.line(self.x0, y, self.x1, y)


@dataclass(frozen=True, slots=True)
class Rects:
    """Filled rectangles (bars of a barcode, modules of a QR code) as one vector path: sharp
    at any printer resolution, and no image to encode."""

    height: float
    rects: tuple[tuple[float, float, float, float], ...]  # x, offset below top, width, height

    def draw(self, pen: Pen, top: float) -> None:
        canvas = pen.canvas
        path = canvas.beginPath()
        for x, below, width, height in self.rects:
            path.rect(x, top - below - height, width, height)
        canvas.drawPath(path, stroke=0, fill=1)


@dataclass(frozen=True, slots=True)
class Picture:
    height: float
    image: ImageReader
    x: float
    width: float
    picture_height: float

    def draw(self, pen: Pen, top: float) -> None:
        pen.canvas.drawImage(
            self.image,
            self.x,
            top - self.picture_height,
            self.width,
            self.picture_height,
            mask="auto",
        )


@dataclass(frozen=True, slots=True)
class Beside:
    """Columns of blocks side by side (a sheet's barcode next to its QR code), top-aligned."""

    columns: tuple[tuple[Block, ...], ...]

    @property
    def height(self) -> float:
        return max((sum(b.height for b in column) for column in self.columns), default=0.0)

    def draw(self, pen: Pen, top: float) -> None:
        for column in self.columns:
            y = top
            for block in column:
                block.draw(pen, y)
                y -= block.height
