"""A return (Ctrl+R): scan the receipt's barcode or type its order number, Enter shows its
lines with what is left to return; type the quantity to return on each line (weighed lines by
weight; F9 takes everything left), choose the original tenders or cash (Alt+C), and Enter
records the refund. The local store is the source, so it works offline. A refusal (more than
is left, a voided sale, no open shift) shows here and records nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal

import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.refunds import RefundError
from pos_app.services.checkout import UnknownOrderError
from pos_app.services.corrections import Refundable
from pos_app.ui import i18n
from pos_app.ui.form_dialog import FormProblem, submitted, typed_decimal
from pos_app.ui.i18n import _
from pos_app.ui.naming import named

# Records the refund of (0-based line -> quantity), to cash or not; answers the problems.
RefundLines = Callable[[str, Mapping[int, Decimal], bool], Awaitable[list[str]]]
FindSale = Callable[[str], Awaitable[Refundable]]


class ReturnDialog(QDialog):
    def __init__(
        self,
        find: FindSale,
        refund: RefundLines,
        parent: QWidget | None = None,
        *,
        order_number: str = "",
    ):
        super().__init__(parent)
        self.setObjectName("returnDialog")
        self.setWindowTitle(_("Return"))
        self._find = find
        self._refund = refund
        self.sale: Refundable | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Scan the receipt or type its order number, then Enter")))
        self.order = named(QLineEdit(order_number), "returnOrderField")
        self.order.returnPressed.connect(self.load)
        layout.addWidget(self.order)
        self.summary = named(QLabel(), "returnSummary")
        layout.addWidget(self.summary)
        self.table = named(QTableWidget(0, 4), "returnLines")
        self.table.setHorizontalHeaderLabels([_("Item"), _("Sold"), _("Left"), _("Return")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setMinimumSize(520, 220)
        layout.addWidget(self.table)
        self.quantities: list[QLineEdit] = []
        row = QHBoxLayout()
        self.to_cash = named(QCheckBox(_("Refund in cash (Alt+C)")), "refundToCash")
        row.addWidget(self.to_cash)
        row.addStretch(1)
        everything = named(QPushButton(_("All (F9)")), "returnAll")
        everything.clicked.connect(self.take_all)
        self.submit_button = named(QPushButton(_("Refund (Enter)")), "returnSubmit")
        self.submit_button.clicked.connect(self.submit)
        cancel = QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        for button in (everything, self.submit_button, cancel):
            button.setAutoDefault(False)  # Enter belongs to the fields: load, then refund
            row.addWidget(button)
        layout.addLayout(row)
        self.preview = named(QLabel(), "returnPreview")
        self.preview.setWordWrap(True)
        layout.addWidget(self.preview)
        self.to_cash.toggled.connect(self._preview)
        self.error = named(QLabel(), "returnError")
        self.error.setStyleSheet("color:#b71c1c;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        # Explicit keys rather than mnemonics: the quantity fields keep the focus meanwhile.
        for keys, slot in (("F9", self.take_all), ("Alt+C", self.to_cash.toggle)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.order.setFocus()
        if order_number:
            self.load()

    @qasync.asyncSlot()
    async def load(self) -> None:
        order = self.order.text().strip()
        self.error.clear()
        if not order:
            self.error.setText(_("Type or scan the order number of the sale"))
            return
        try:
            sale = await self._find(order)
        except UnknownOrderError:
            self._show(None)
            self.error.setText(_("No sale {order} on this till").format(order=order))
            return
        except RefundError as error:
            self._show(None)
            self.error.setText("\n".join(error.problems))
            return
        self._show(sale)
        if sale.voided:
            self.error.setText(_("This sale was voided: nothing can be returned"))
        elif not any(sale.left):
            self.error.setText(_("Everything on this sale was already returned"))
        elif self.quantities:
            first = next(f for f in self.quantities if f.isEnabled())
            first.setFocus()

    def _show(self, sale: Refundable | None) -> None:
        self.sale = sale
        self.table.setRowCount(0)
        self.quantities = []
        self.preview.clear()
        if sale is None:
            self.summary.clear()
            return
        receipt = sale.receipt
        cur = receipt.totals.currency
        self.summary.setText(
            _("Sale {order} of {when}: {total}").format(
                order=receipt.order_number,
                when=i18n.when(receipt.issued_at),
                total=i18n.money(receipt.totals.total, cur),
            )
        )
        items = receipt.cart.items
        self.table.setRowCount(len(items))
        for row, (item, left) in enumerate(zip(items, sale.left, strict=True)):
            self.table.setItem(row, 0, QTableWidgetItem(item.name))
            self.table.setItem(row, 1, QTableWidgetItem(i18n.number(item.quantity)))
            self.table.setItem(row, 2, QTableWidgetItem(i18n.number(left)))
            field = named(QLineEdit(), f"returnQty{row}")
            field.setPlaceholderText("0")
            field.setEnabled(left > 0 and not sale.voided)
            field.returnPressed.connect(self.submit)
            field.textChanged.connect(self._preview)
            self.table.setCellWidget(row, 3, field)
            self.quantities.append(field)

    def take_all(self) -> None:
        if self.sale is None:
            return
        for field, left in zip(self.quantities, self.sale.left, strict=True):
            if field.isEnabled():
                field.setText(i18n.number(left))

    def _preview(self) -> None:
        """What the quantities typed so far would give back, tender by tender."""
        if self.sale is None:
            return
        try:
            lines = self.lines()
            refund = self.sale.preview(lines, to_cash=self.to_cash.isChecked()) if lines else None
        except FormProblem as problem:
            self.preview.setText(str(problem))
            return
        except RefundError as error:
            self.preview.setText("\n".join(error.problems))
            return
        if refund is None:
            self.preview.clear()
            return
        cur = refund.totals.currency
        tenders = ", ".join(
            i18n.pair(
                _("Cash") if p.is_cash else (p.card_brand or _("Card")), i18n.money(p.amount, cur)
            )
            for p in refund.cart.payments
        )
        self.preview.setText(
            _("To give back: {amount} ({tenders})").format(
                amount=i18n.money(refund.totals.total_payments, cur), tenders=tenders
            )
        )

    def lines(self) -> dict[int, Decimal]:
        """0-based line -> quantity to return, from what was typed."""
        wanted: dict[int, Decimal] = {}
        for row, field in enumerate(self.quantities):
            text = field.text().strip()
            if text:
                wanted[row] = typed_decimal(text, _("line {n}").format(n=row + 1))
        return wanted

    @qasync.asyncSlot()
    async def submit(self) -> None:
        if self.sale is None or not self.submit_button.isEnabled():
            return
        try:
            lines = self.lines()
        except FormProblem as problem:
            self.error.setText(str(problem))
            return
        if not lines:
            self.error.setText(_("Type the quantity to return on at least one line"))
            return
        order, to_cash = self.sale.receipt.order_number, self.to_cash.isChecked()
        await submitted(
            self, self.submit_button, self.error, lambda: self._refund(order, lines, to_cash)
        )
