"""Turns text into measured, wrapped lines of the display list.

Everything that reaches a line passes through `printable` (missing glyphs replaced, control
characters neutralised) and is drawn as plain text, never interpreted as markup, so a product
called `</para>` or `<b>&amp;` prints exactly so.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from pos_app.adapters.receipt_pdf.blocks import Block, Rule, Space, Span, TextLine
from pos_app.adapters.receipt_pdf.fonts import printable, text_width
from pos_app.adapters.receipt_pdf.page import PageSpec

Align = Literal["left", "right", "center"]
# Where a baseline sits below the top of a line, in ems: half the extra leading plus DejaVu's
# ascent (0.93 em), so capitals and accents never touch the line above.
_BASELINE = 0.97
_TOLERANCE = 1e-6


def _break_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word wider than `width` (a 300-character name with no space) cut into pieces that fit,
    at least one character each."""
    pieces: list[str] = []
    start, used = 0, 0.0
    for i, char in enumerate(word):
        w = text_width(char, size, bold)
        if used + w > width and i > start:
            pieces.append(word[start:i])
            start, used = i, 0.0
        used += w
    pieces.append(word[start:])
    return pieces


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """`text` broken into lines no wider than `width`, at spaces where possible."""
    # A column sized to its text (an amount) must not wrap over a float's last bit.
    width += _TOLERANCE
    if text_width(text, size, bold) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        *full, current = _break_word(word, width, size, bold)
        lines.extend(full)
    if current:
        lines.append(current)
    return lines or [""]


@dataclass(frozen=True, slots=True)
class Cell:
    """Text placed between x0 and x1, wrapped there."""

    text: str
    x0: float
    x1: float
    align: Align = "left"


class Composer:
    """Collects the display list in chunks: a sheet moves a whole chunk (one item with its
    discounts, the totals) to the next page rather than splitting it."""

    def __init__(self, spec: PageSpec) -> None:
        self.spec = spec
        self._chunk: list[Block] = []
        self.chunks: list[list[Block]] = [self._chunk]

    def new_chunk(self) -> None:
        if self._chunk:
            self._chunk = []
            self.chunks.append(self._chunk)

    def add(self, block: Block) -> None:
        self._chunk.append(block)

    @contextmanager
    def capture(self) -> Iterator[list[Block]]:
        """Collect what is written inside the `with` into the yielded list instead of the
        display list (to arrange it, e.g. side by side)."""
        saved, self._chunk = self._chunk, []
        try:
            yield self._chunk
        finally:
            self._chunk = saved

    def space(self, lines: float = 0.5) -> None:
        self.add(Space(self.spec.leading(self.spec.size) * lines))

    def rule(self, x0: float | None = None) -> None:
        start = self.spec.left if x0 is None else x0
        self.add(Rule(self.spec.leading(self.spec.size) * 0.6, start, self.spec.right))

    def _span(self, text: str, cell: Cell, size: float, bold: bool) -> Span:
        if cell.align == "left":
            return Span(cell.x0, text, size, bold)
        width = text_width(text, size, bold)
        if cell.align == "right":
            return Span(cell.x1 - width, text, size, bold)
        return Span((cell.x0 + cell.x1 - width) / 2, text, size, bold)

    def cells(
        self, cells: Sequence[Cell], *, size: float | None = None, bold: bool = False
    ) -> None:
        """One row of cells, each wrapped in its own column; the row is as tall as its
        tallest cell."""
        size = size or self.spec.size
        wrapped = [
            wrap(printable(cell.text), cell.x1 - cell.x0, size, bold) if cell.text else []
            for cell in cells
        ]
        rows = max((len(lines) for lines in wrapped), default=0)
        leading = self.spec.leading(size)
        for row in range(rows):
            spans = tuple(
                self._span(lines[row], cell, size, bold)
                for cell, lines in zip(cells, wrapped, strict=True)
                if row < len(lines) and lines[row]
            )
            self.add(TextLine(leading, size * _BASELINE, spans))

    def text(
        self,
        text: str,
        *,
        align: Align = "left",
        indent: float = 0.0,
        size: float | None = None,
        bold: bool = False,
    ) -> None:
        """A paragraph across the text width; each line of `text` stays a line."""
        for line in text.splitlines() or [""]:
            self.cells(
                [Cell(line, self.spec.left + indent, self.spec.right, align)], size=size, bold=bold
            )

    def pair(
        self,
        label: str,
        value: str,
        *,
        indent: float = 0.0,
        size: float | None = None,
        bold: bool = False,
        x0: float | None = None,
    ) -> None:
        """A label on the left and its value (an amount) flush right on the same line; a long
        label wraps before the value's column. A value too wide to share the line (a long
        customer name) goes on its own lines under the label."""
        size = size or self.spec.size
        left = (self.spec.left if x0 is None else x0) + indent
        right = self.spec.right
        value = printable(value)
        value_width = text_width(value, size, bold)
        gap = size
        fits = text_width(printable(label), size, bold) + gap + value_width <= right - left
        if not fits and value_width > (right - left) / 2:
            self.cells([Cell(label, left, right)], size=size, bold=bold)
            self.cells([Cell(value, left + gap, right)], size=size, bold=bold)
            return
        self.cells(
            [Cell(label, left, right - value_width - gap), Cell(value, right - value_width, right)],
            size=size,
            bold=bold,
        )
