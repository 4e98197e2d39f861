"""The sold items on paper: a stacked layout for rolls, a table for sheets.

Each item shows its names (on a bilingual receipt the English name under the French one when
they differ), its quantity and unit price, its own discounts and its amount before discounts,
all as the receipt content words them (`domain/receipt_content.py`).
"""

from __future__ import annotations

from pos_app.adapters.receipt_pdf.composer import Cell, Composer
from pos_app.domain.receipt_content import Items


def indent_of(out: Composer) -> float:
    """How far details (quantities, discounts) sit under their line."""
    return out.spec.size * 1.2


def roll_items(out: Composer, items: Items) -> None:
    indent = indent_of(out)
    for line in items.lines:
        out.new_chunk()
        first, *others = line.names
        out.pair(first, line.amount)
        for other in others:
            out.text(other, indent=indent)
        if line.quantity_line:
            out.text(line.quantity_line, indent=indent)
        for label, amount in line.discounts:
            out.pair(label, amount, indent=indent)


# Column widths on a sheet, in points, at 10 pt: room for "99 999,99 $", "1 234,567 $/kg" and
# "1 234,567 kg"; the description takes the rest (about half the text width).
_AMOUNT_WIDTH = 85
_PRICE_WIDTH = 95
_QUANTITY_WIDTH = 70


def sheet_items(out: Composer, items: Items) -> None:
    spec, indent = out.spec, indent_of(out)
    gap = spec.size
    amount = (spec.right - _AMOUNT_WIDTH, spec.right)
    price = (amount[0] - gap - _PRICE_WIDTH, amount[0] - gap)
    quantity = (price[0] - gap - _QUANTITY_WIDTH, price[0] - gap)
    name = (spec.left, quantity[0] - gap)

    def row(
        text: str, qty: str = "", unit: str = "", total: str = "", *, x: float = 0.0
    ) -> list[Cell]:
        return [
            Cell(text, name[0] + x, name[1]),
            Cell(qty, *quantity, "right"),
            Cell(unit, *price, "right"),
            Cell(total, *amount, "right"),
        ]

    out.new_chunk()
    out.cells(row(*items.header), bold=True)
    out.rule()
    for line in items.lines:
        out.new_chunk()
        first, *others = line.names
        out.cells(row(first, line.quantity, line.unit_price, line.amount))
        for other in others:
            out.cells(row(other, x=indent))
        for label, discount in line.discounts:
            out.cells(row(label, total=discount, x=indent))
