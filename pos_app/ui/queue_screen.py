"""The receipts the server refused (needs attention) or that wait on an owner (paused): what
the server said, field by field, and two ways out: Retry (sent again with the same
receiptId once the cause is fixed) or "Open as corrected sale" (the recorded cart, loaded into
the sale screen to be rung up as a new sale)."""

from __future__ import annotations

import qasync
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.cart import Cart
from pos_app.services.checkout import CheckoutService
from pos_app.services.events import SyncStatus
from pos_app.services.ports.sales import OutboxRow
from pos_app.services.queue import QueueService
from pos_app.ui import i18n
from pos_app.ui.banner import Banner
from pos_app.ui.bridge import Bridge
from pos_app.ui.i18n import _
from pos_app.ui.naming import named


def problem_text(row: OutboxRow) -> str:
    lines = [row.last_error or ""]
    lines += [f"{e.field}: {e.message}" if e.field else e.message for e in row.field_errors]
    return "\n".join(line for line in lines if line)


class QueueScreen(QWidget):
    openCorrected = Signal(Cart, str)  # the recorded cart, and the note to show with it

    def __init__(
        self,
        queue: QueueService,
        checkout: CheckoutService,
        bridge: Bridge,
        parent: QWidget | None = None,
    ):
        """`bridge`: its sync status reloads the shown queue when what it holds changed;
        `checkout` gives a recorded sale's cart to open as a corrected one."""
        super().__init__(parent)
        self.setObjectName("queueScreen")
        self._queue = queue
        self._checkout = checkout
        self._counts: dict[str, int] = {}
        self.banner = Banner(name="queueBanner")
        self.summary = named(QLabel(), "queueSummary")
        self.table = named(QTableWidget(0, 5), "queueTable")
        self.table.setHorizontalHeaderLabels(
            [_("Order"), _("Amount"), _("Date"), _("State"), _("What the server said")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.retry_button = named(QPushButton(_("Retry")), "retryReceipt")
        self.open_button = named(QPushButton(_("Open as corrected sale")), "openCorrected")
        refresh = named(QPushButton(_("Refresh")), "refreshQueue")
        self.retry_button.clicked.connect(self.retry_selected)
        self.open_button.clicked.connect(self.open_selected)
        refresh.clicked.connect(self.reload)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        bridge.syncStatusChanged.connect(self._status_changed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    def _status_changed(self, status: SyncStatus) -> None:
        # Reload when what the queue holds changed, and only while the screen is shown.
        if self.isVisible() and status.counts != self._counts:
            self.reload()

    @qasync.asyncSlot()
    async def reload(self) -> None:
        overview = await self._queue.overview()
        self._counts = dict(overview.counts)
        rows = [*overview.needs_attention, *overview.paused]
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            state = _("Needs attention") if row.state == "needs_attention" else _("Paused")
            cells = [
                row.order_number,
                i18n.money(row.total, row.currency),
                i18n.when(row.created_at),
                state,
                problem_text(row),
            ]
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, row.order_number)
                if c == 1:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, cell)
        pending = overview.counts.get("pending", 0) + overview.counts.get("sending", 0)
        self.summary.setText(
            _("{attention} need attention, {pending} waiting to be sent").format(
                attention=len(rows), pending=pending
            )
        )
        if rows and not self.table.selectedItems():
            self.table.selectRow(0)
        self.retry_button.setEnabled(bool(rows))
        self.open_button.setEnabled(bool(rows))

    def selected_order(self) -> str | None:
        items = self.table.selectedItems()
        return str(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    @qasync.asyncSlot()
    async def retry_selected(self) -> None:
        order = self.selected_order()
        if order is None:
            return
        try:
            await self._queue.retry(order)
        except (LookupError, ValueError) as error:
            self.banner.say(str(error), "error")
        else:
            self.banner.say(_("{order} will be sent again").format(order=order), "success")
        await self.reload()

    @qasync.asyncSlot()
    async def open_selected(self) -> None:
        order = self.selected_order()
        if order is None:
            return
        try:
            receipt = await self._checkout.receipt(order)
        except LookupError as error:
            self.banner.say(str(error), "error")
            return
        note = _("Correcting {order}: check the sale, then take payment as usual").format(
            order=order
        )
        self.openCorrected.emit(receipt.cart, note)
