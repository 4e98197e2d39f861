"""The totals beside the cart: subtotal, discounts, each tax, the total in large type, then
what was paid, the cash rounding and the change. It shows `session.totals` as the engine
computed them and computes nothing itself."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from pos_app.domain.totals import Totals
from pos_app.ui import i18n
from pos_app.ui.i18n import _

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class TotalsPanel(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("totalsPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(280)
        layout = QVBoxLayout(self)
        self._grid = QGridLayout()
        self._grid.setColumnStretch(0, 1)
        layout.addLayout(self._grid)
        layout.addStretch(1)
        self._total = QLabel()
        self._total.setObjectName("totalAmount")
        self._total.setAlignment(_RIGHT)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.6)
        font.setBold(True)
        self._total.setFont(font)
        caption = QLabel(_("Total"))
        caption.setAlignment(_RIGHT)
        layout.addWidget(caption)
        layout.addWidget(self._total)
        self._rows: list[tuple[QLabel, QLabel]] = []
        self._shown: list[tuple[str, str]] = []

    def show_totals(self, totals: Totals, tendered: Decimal) -> None:
        """`tendered`: every payment taken so far, cash as handed over."""
        cur = totals.currency
        rows: list[tuple[str, Decimal]] = [(_("Subtotal"), totals.sub_total)]
        if totals.total_discounts:
            rows.append((_("Discounts"), -totals.total_discounts))
        for tax in totals.taxes:
            rows.append((f"{i18n.tax_name(tax.name)} ({i18n.percent(tax.percentage)})", tax.amount))
        for label, amount in (
            (_("Fees"), totals.total_fees),
            (_("Tip"), totals.total_tip),
            (_("Shipping"), totals.total_shipping),
            (_("Duties"), totals.total_duties),
        ):
            if amount:
                rows.append((label, amount))
        if tendered:
            rows.append((_("Paid"), tendered))
            if totals.cash_rounding:
                rows.append((_("Cash rounding"), totals.cash_rounding))
            if totals.balance_due:
                rows.append((_("Balance due"), totals.balance_due))
            if totals.change_due:
                rows.append((_("Change"), totals.change_due))
        self._set_rows([(label, i18n.money(amount, cur)) for label, amount in rows])
        self._total.setText(i18n.money(totals.total, cur))

    def text(self) -> str:
        """What the panel says, one "label: value" a line (for tests and accessibility)."""
        lines = [i18n.pair(label, value) for label, value in self._shown]
        return "\n".join([*lines, i18n.pair(_("Total"), self._total.text())])

    def _set_rows(self, rows: list[tuple[str, str]]) -> None:
        if rows == self._shown:
            return
        self._shown = rows
        while len(self._rows) < len(rows):
            label, value = QLabel(), QLabel()
            value.setAlignment(_RIGHT)
            n = len(self._rows)
            self._grid.addWidget(label, n, 0)
            self._grid.addWidget(value, n, 1)
            self._rows.append((label, value))
        for i, (label, value) in enumerate(self._rows):
            visible = i < len(rows)
            label.setVisible(visible)
            value.setVisible(visible)
            if visible:
                label.setText(rows[i][0])
                value.setText(rows[i][1])
