"""The cart table: a model over the session's cart that updates only the rows a change names
(a scan inserts one row; it never resets a 500-line table), and a delegate whose editors
refuse malformed keystrokes before the session judges the value."""

from __future__ import annotations

from decimal import Decimal
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
    Signal,
)
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from pos_app.domain.cart import Item
from pos_app.domain.totals import LineTotals
from pos_app.services.sale_session import (
    CartChange,
    DiscountInput,
    SaleInputError,
    SaleSession,
    line_amount,
)
from pos_app.ui import i18n
from pos_app.ui.bridge import Bridge
from pos_app.ui.i18n import _

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NAME = 0
    QUANTITY = 1
    PRICE = 2
    DISCOUNT = 3
    AMOUNT = 4


EDITABLE = (Column.QUANTITY, Column.PRICE, Column.DISCOUNT)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
# What each editor lets through, keystroke by keystroke (a comma is a decimal mark in French).
_PATTERNS = {
    Column.QUANTITY: r"^\d{0,4}([.,]\d{0,3})?$",
    Column.PRICE: r"^\d{0,9}([.,]\d{0,6})?$",
    Column.DISCOUNT: r"^\d{0,9}([.,]\d{0,3})?\s?%?$",
}


def _plain(value: Decimal) -> str:
    return f"{value:f}"


class CartModel(QAbstractTableModel):
    """Rows are the session's lines. The model keeps its own reference to the (immutable)
    items and line totals, and swaps it between begin*/end* calls as Qt requires."""

    inputRefused = Signal(str)

    def __init__(self, session: SaleSession, bridge: Bridge):
        super().__init__()
        self._session = session
        self._items: tuple[Item, ...] = session.items
        self._lines: tuple[LineTotals, ...] = session.lines
        self._currency = session.currency
        self._item_locale = "fr-CA" if i18n.language() == "fr" else "en-CA"
        self._headers = (_("Item"), _("Qty"), _("Price"), _("Discount"), _("Amount"))
        bridge.cartChanged.connect(self._on_change)

    # -- reading ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section != Column.NAME:
                return _RIGHT
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() in EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item, column = self._items[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, self._lines[index.row()], column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_text(item, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != Column.NAME:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.NAME:
            return " · ".join(c for c in (item.sku, item.barcode) if c)
        return None

    def _display(self, item: Item, line: LineTotals, column: int) -> str:
        if column == Column.NAME:
            return item.name_for(self._item_locale)
        if column == Column.QUANTITY:
            qty = i18n.number(item.quantity)
            return f"{qty} {item.unit}" if item.unit else qty
        if column == Column.PRICE:
            return i18n.money(item.unit_price, self._currency)
        if column == Column.DISCOUNT:
            if not item.discounts:
                return ""
            d = item.discounts[0]
            if d.percentage is not None:
                return i18n.percent(d.percentage)
            return i18n.money(d.amount or Decimal(0), self._currency)
        return i18n.money(line_amount(line), self._currency)

    def _edit_text(self, item: Item, column: int) -> str:
        if column == Column.QUANTITY:
            return _plain(item.quantity)
        if column == Column.PRICE:
            return _plain(item.unit_price)
        if column == Column.DISCOUNT and item.discounts:
            d = item.discounts[0]
            if d.percentage is not None:
                return f"{_plain(d.percentage)}%"
            return _plain(d.amount if d.amount is not None else Decimal(0))
        return ""

    # -- editing ---------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Hands the typed text to the session; a refusal is said, and nothing changes. The
        session's change event repaints the row, so nothing is emitted here."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value).strip()
        row, column = index.row(), index.column()
        try:
            if column == Column.QUANTITY:
                self._session.set_quantity(row, text)
            elif column == Column.PRICE:
                self._session.set_unit_price(row, text)
            elif column == Column.DISCOUNT:
                typed = DiscountInput.parse(text)
                self._session.set_line_discount(
                    row, percentage=typed.percentage, amount=typed.amount
                )
            else:
                return False
        except SaleInputError as error:
            self.inputRefused.emit(i18n.tr_error(error))
            return False
        return True

    # -- following the session -------------------------------------------------------------

    def _on_change(self, change: CartChange) -> None:
        items, lines = self._session.items, self._session.lines
        if change.reset:
            self.beginResetModel()
            self._items, self._lines = items, lines
            self._currency = self._session.currency
            self.endResetModel()
            return
        root = QModelIndex()
        if change.removed is not None:
            self.beginRemoveRows(root, change.removed.start, change.removed.stop - 1)
            self._items, self._lines = items, lines
            self.endRemoveRows()
        if change.inserted is not None:
            self.beginInsertRows(root, change.inserted.start, change.inserted.stop - 1)
            self._items, self._lines = items, lines
            self.endInsertRows()
        self._items, self._lines = items, lines
        last = len(Column) - 1
        for rows in change.changed:
            self.dataChanged.emit(self.index(rows.start, 0), self.index(rows.stop - 1, last))


class CartDelegate(QStyledItemDelegate):
    """In-place editors for quantity, price and discount ("10%" or an amount)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        pattern = _PATTERNS.get(Column(index.column()))
        if pattern is not None:
            editor.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), editor))
        editor.setAlignment(_RIGHT)
        editor.setObjectName(f"cartEditor{Column(index.column()).name.title()}")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
