"""The sold items: a stacked layout for rolls, a table for sheets.

Each item shows its name (localised; on a bilingual receipt the English name under the French
one when they differ), its quantity (weights with their unit: `0,735 kg @ 8,99 $/kg`), its unit
price, its own discounts with name and amount, and its amount before discounts (the amounts
that add up to the subtotal). Receipt-level discounts are listed with the totals.
"""

from __future__ import annotations

from collections.abc import Sequence

from pos_app.adapters.receipt_pdf.composer import Cell
from pos_app.adapters.receipt_pdf.writer import Writer
from pos_app.domain.cart import Item
from pos_app.domain.discounts import DiscountAmount
from pos_app.domain.totals import LineTotals


def item_names(w: Writer, item: Item) -> list[str]:
    """The item's name in each language of the receipt, each different name once."""
    return list(dict.fromkeys(item.name_for(locale) for locale in w.locales))


def discount_label(w: Writer, discount: DiscountAmount) -> str:
    if discount.percentage is None:
        return discount.name
    return f"{discount.name} ({w.fmt.percent(discount.percentage)})"


def _own_discounts(line: LineTotals) -> list[DiscountAmount]:
    # Shares of receipt-level discounts are printed once, with the totals.
    return [d for d in line.discounts if not d.receipt_level and d.amount]


def _unit_price(w: Writer, item: Item) -> str:
    price = w.fmt.unit_price(item.unit_price)
    return f"{price}/{item.unit}" if item.unit else price


def _quantity(w: Writer, item: Item) -> str:
    quantity = w.fmt.quantity(item.quantity)
    return f"{quantity} {item.unit}" if item.unit else quantity


def quantity_line(w: Writer, item: Item) -> str:
    """ "2 × 2,49 $" for pieces, "0,735 kg @ 8,99 $/kg" for goods sold by weight."""
    joiner = "@" if item.unit else "×"
    return f"{_quantity(w, item)} {joiner} {_unit_price(w, item)}"


def roll_items(w: Writer, lines: Sequence[LineTotals]) -> None:
    out, indent = w.out, w.indent
    for line in lines:
        out.new_chunk()
        first, *others = item_names(w, line.item)
        out.pair(first, w.money(line.sub_total))
        for other in others:
            out.text(other, indent=indent)
        out.text(quantity_line(w, line.item), indent=indent)
        for discount in _own_discounts(line):
            out.pair(discount_label(w, discount), w.minus(discount.amount), indent=indent)


# Column widths on a sheet, in points, at 10 pt: room for "99 999,99 $", "1 234,567 $/kg" and
# "1 234,567 kg"; the description takes the rest (about half the text width).
_AMOUNT_WIDTH = 85
_PRICE_WIDTH = 95
_QUANTITY_WIDTH = 70


def sheet_items(w: Writer, lines: Sequence[LineTotals]) -> None:
    spec, out, indent = w.spec, w.out, w.indent
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

    label = w.label
    out.new_chunk()
    out.cells(
        row(label("Description"), label("Qty"), label("Unit price"), label("Amount")), bold=True
    )
    out.rule()
    for line in lines:
        out.new_chunk()
        item = line.item
        first, *others = item_names(w, item)
        out.cells(row(first, _quantity(w, item), _unit_price(w, item), w.money(line.sub_total)))
        for other in others:
            out.cells(row(other, x=indent))
        for discount in _own_discounts(line):
            out.cells(row(discount_label(w, discount), total=w.minus(discount.amount), x=indent))
