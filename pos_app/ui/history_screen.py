"""Sales history: a day's sales (today first), or a search by order number, date (2025-01-21)
or amount (12.30); scanning a receipt's barcode types its order number into the search
field. The selected sale shows its lines and totals; its PDF opens from the archive (rendered
again off the loop if the file went missing), and it can be reprinted, marked as a copy."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from pathlib import Path

import qasync
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import AmountError
from pos_app.domain.receipt import Receipt
from pos_app.services.checkout import CheckoutService
from pos_app.services.history import HistoryService
from pos_app.services.ports.sales import SaleSummaryRow
from pos_app.ui import i18n
from pos_app.ui.banner import Banner
from pos_app.ui.i18n import _
from pos_app.ui.naming import named

RECEIPTS_DIR = "receipts"
_AMOUNT = re.compile(r"^\d+([.,]\d{1,3})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SYNC_STATES = {
    "done": "Sent",
    "pending": "Waiting",
    "sending": "Sending",
    "needs_attention": "Needs attention",
    "paused": "Paused",
}


def receipt_text(receipt: Receipt) -> str:
    """The sale as a plain-text summary, from the totals the receipt was issued with."""
    cur = receipt.totals.currency
    locale = "fr-CA" if i18n.language() == "fr" else "en-CA"
    lines = [f"{receipt.order_number}   {i18n.when(receipt.issued_at)}"]
    if receipt.customer is not None:
        lines.append(_("Customer: {name}").format(name=receipt.customer.display_name))
    lines.append("")
    for line in receipt.totals.lines:
        qty = i18n.number(line.item.quantity)
        lines.append(f"{qty} × {line.item.name_for(locale)}   {i18n.money(line.sub_total, cur)}")
    t = receipt.totals
    lines += ["", i18n.pair(_("Subtotal"), i18n.money(t.sub_total, cur))]
    if t.total_discounts:
        lines.append(i18n.pair(_("Discounts"), i18n.money(-t.total_discounts, cur)))
    for tax in t.taxes:
        lines.append(i18n.pair(i18n.tax_name(tax.name), i18n.money(tax.amount, cur)))
    lines.append(i18n.pair(_("Total"), i18n.money(t.total, cur)))
    for payment in receipt.cart.payments:
        kind = _("Cash") if payment.is_cash else (payment.card_brand or _("Card"))
        lines.append(i18n.pair(kind, i18n.money(payment.amount, cur)))
    if t.change_due:
        lines.append(i18n.pair(_("Change"), i18n.money(t.change_due, cur)))
    return "\n".join(lines)


class HistoryScreen(QWidget):
    def __init__(
        self,
        history: HistoryService,
        checkout: CheckoutService,
        receipts_dir: Path,
        parent: QWidget | None = None,
    ):
        """`receipts_dir`: where the receipts' PDFs are archived (Open the PDF)."""
        super().__init__(parent)
        self.setObjectName("historyScreen")
        self._history = history
        self._checkout = checkout
        self._receipts_dir = receipts_dir
        self.banner = Banner(name="historyBanner")
        self.search = named(QLineEdit(), "historySearch")
        self.search.setPlaceholderText(_("Order number, date (2025-01-21) or amount — or scan"))
        self.search.returnPressed.connect(self.reload)
        self.day = named(QDateEdit(), "historyDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setDate(QDate.currentDate())
        self.day.dateChanged.connect(lambda _d: self.reload())
        self.one_day = named(QCheckBox(_("Only this day")), "historyOneDay")
        self.one_day.setChecked(True)
        self.one_day.toggled.connect(lambda _on: self.reload())
        today = named(QPushButton(_("Today")), "historyToday")
        today.clicked.connect(self._today)
        find = named(QPushButton(_("Search")), "historyFind")
        find.clicked.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(find)
        top.addWidget(self.day)
        top.addWidget(self.one_day)
        top.addWidget(today)

        self.table = named(QTableWidget(0, 5), "historyTable")
        self.table.setHorizontalHeaderLabels(
            [_("Order"), _("Date"), _("Amount"), _("Sent to Smartbills"), _("Printed")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.detail = named(QPlainTextEdit(), "historyDetail")
        self.detail.setReadOnly(True)
        self.open_pdf = named(QPushButton(_("Open the PDF")), "openPdf")
        self.reprint = named(QPushButton(_("Reprint (copy)")), "reprintCopy")
        self.open_pdf.clicked.connect(self.open_selected_pdf)
        self.reprint.clicked.connect(self.reprint_selected)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_pdf)
        buttons.addWidget(self.reprint)
        right_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.count = named(QLabel(), "historyCount")
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count)
        self._set_actions(False)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.search.setFocus()
        self.reload()

    def _today(self) -> None:
        self.search.clear()
        self.one_day.setChecked(True)
        self.day.setDate(QDate.currentDate())
        self.reload()

    # -- finding sales ---------------------------------------------------------------------

    async def _find(self, text: str) -> list[SaleSummaryRow]:
        history = self._history
        picked = self.day.date()
        day = (
            date(picked.year(), picked.month(), picked.day()) if self.one_day.isChecked() else None
        )
        if not text:
            return await history.sales_of_day(day) if day else await history.recent(200)
        if _DATE.match(text):
            found_day = date.fromisoformat(text)
            return await history.search(since=found_day, until=found_day)
        # Free text: an order number (or part of one), and for a number also an amount.
        found = await history.search(text, since=day, until=day)
        if _AMOUNT.match(text):
            try:
                by_amount = await history.search(
                    amount=text.replace(",", "."), since=day, until=day
                )
            except AmountError:
                by_amount = []
            seen = {row.order_number for row in found}
            found += [row for row in by_amount if row.order_number not in seen]
        return found

    @qasync.asyncSlot()
    async def reload(self) -> None:
        text = self.search.text().strip()
        try:
            rows = await self._find(text)
        except ValueError as error:  # e.g. 2025-02-30
            self.banner.say(str(error), "error")
            return
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            state = _(_SYNC_STATES.get(row.sync_state, row.sync_state))
            printed = i18n.when(row.printed_at) if row.printed_at else ""
            cells = [
                row.order_number,
                i18n.when(row.created_at),
                i18n.money(row.total, row.currency),
                state,
                printed,
            ]
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row.order_number)
                if c == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.count.setText(_("{count} sales").format(count=len(rows)))
        if len(rows) == 1 or (rows and text):
            self.table.selectRow(0)
        elif not rows:
            self.detail.clear()
            self._set_actions(False)

    def selected_order(self) -> str | None:
        items = self.table.selectedItems()
        return str(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    @qasync.asyncSlot()
    async def _selected(self) -> None:
        order = self.selected_order()
        self._set_actions(order is not None)
        if order is None:
            return
        try:
            receipt = await self._checkout.receipt(order)
        except LookupError as error:
            self.detail.setPlainText(str(error))
            return
        if order == self.selected_order():
            self.detail.setPlainText(receipt_text(receipt))

    def _set_actions(self, enabled: bool) -> None:
        self.open_pdf.setEnabled(enabled)
        self.reprint.setEnabled(enabled)

    # -- PDF and reprint -------------------------------------------------------------------

    def pdf_path(self, order: str) -> Path:
        return self._receipts_dir / f"{order}.pdf"

    @qasync.asyncSlot()
    async def open_selected_pdf(self) -> None:
        order = self.selected_order()
        if order is None:
            return
        path = self.pdf_path(order)
        if not await asyncio.to_thread(path.is_file):
            # The archive lost it (cleaned by hand, restored backup): render it again.
            receipt = await self._checkout.receipt(order)
            pdf = await self._checkout.render(receipt)
            await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
            await asyncio.to_thread(path.write_bytes, pdf)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.banner.say(
                _("No PDF viewer opened it; the file is {path}").format(path=path), "warning"
            )

    @qasync.asyncSlot()
    async def reprint_selected(self) -> None:
        order = self.selected_order()
        if order is None:
            return
        self.reprint.setEnabled(False)
        try:
            outcome = await self._checkout.reprint(order)
        finally:
            self.reprint.setEnabled(True)
        if outcome.error:
            self.banner.say(
                _("Reprint of {order} failed: {error}").format(order=order, error=outcome.error),
                "warning",
            )
        else:
            self.banner.say(_("Copy of {order} printed").format(order=order), "success")
