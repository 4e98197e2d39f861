"""Customers: the list (brought up to date from Smartbills, or the till's copy when offline),
search, create, edit and delete, all through the customer service."""

from __future__ import annotations

import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from pos_app.domain.remote import RemoteError
from pos_app.services.customers import (
    CustomerDraft,
    CustomerInvalid,
    CustomerRecord,
    CustomerService,
)
from pos_app.ui.banner import Banner
from pos_app.ui.customer_dialog import CustomerForm
from pos_app.ui.dialogs import ask, confirm
from pos_app.ui.i18n import _
from pos_app.ui.naming import named


class CustomerEditDialog(QDialog):
    """Create (record None) or edit a customer; saved through the service, which checks it."""

    def __init__(
        self, customers: CustomerService, record: CustomerRecord | None, parent: QWidget | None
    ):
        super().__init__(parent)
        self.setObjectName("customerEditDialog")
        self.setWindowTitle(_("New customer") if record is None else record.display_name)
        self._customers = customers
        self._record = record
        self.saved: CustomerRecord | None = None
        self.form = CustomerForm()
        if record is not None:
            self.form.load(record.draft())
        self.message = named(QLabel(), "customerEditMessage")
        self.message.setStyleSheet("color:#b71c1c;")
        self.message.setWordWrap(True)
        save = named(QPushButton(_("Save")), "saveCustomerEdit")
        cancel = QPushButton(_("Cancel"))
        save.clicked.connect(self._save)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    @qasync.asyncSlot()
    async def _save(self) -> None:
        draft: CustomerDraft = self.form.draft()
        try:
            if self._record is None:
                self.saved = await self._customers.create(draft)
            else:
                self.saved = await self._customers.update(self._record.id, draft)
        except CustomerInvalid as error:
            self.form.show_problems(error.fields)
            self.message.setText(_("Check the fields in red"))
            return
        except (RemoteError, LookupError) as error:
            self.message.setText(str(error))
            return
        self.accept()


class CustomersScreen(QWidget):
    def __init__(self, customers: CustomerService, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("customersScreen")
        self._customers = customers
        self._records: list[CustomerRecord] = []
        self.banner = Banner(name="customersBanner")
        self.search = named(QLineEdit(), "customersSearch")
        self.search.setPlaceholderText(_("Name, email or phone"))
        self.search.returnPressed.connect(self.reload)
        self.table = named(QTableWidget(0, 4), "customersTable")
        self.table.setHorizontalHeaderLabels([_("Name"), _("Email"), _("Phone"), _("State")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        buttons = QHBoxLayout()
        for label, name, slot in (
            (_("New customer"), "newCustomerButton", self.create),
            (_("Edit"), "editCustomerButton", self.edit_selected),
            (_("Delete"), "deleteCustomerButton", self.delete_selected),
            (_("Refresh from Smartbills"), "refreshCustomers", self.reload),
        ):
            button = named(QPushButton(label), name)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.search.setFocus()
        self.reload()

    @qasync.asyncSlot()
    async def reload(self) -> None:
        try:
            listing = await self._customers.list_customers(self.search.text().strip() or None)
        except RemoteError as error:
            self.banner.say(error.message, "error")
            return
        if listing.from_cache:
            self.banner.say(
                _("Offline: the till's copy of the customers ({error})").format(
                    error=listing.error or ""
                ),
                "warning",
            )
        else:
            self.banner.hide()
        self._show(listing.customers)

    def _show(self, records: list[CustomerRecord]) -> None:
        self._records = records
        self.table.setRowCount(len(records))
        for r, record in enumerate(records):
            state = _("Not sent yet") if record.pending else ""
            for c, value in enumerate(
                [record.display_name, record.email or "", record.phone or "", state]
            ):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, r)
                self.table.setItem(r, c, item)

    def selected(self) -> CustomerRecord | None:
        items = self.table.selectedItems()
        return self._records[int(items[0].data(Qt.ItemDataRole.UserRole))] if items else None

    @qasync.asyncSlot()
    async def create(self) -> None:
        await self._edit(None)

    @qasync.asyncSlot()
    async def edit_selected(self) -> None:
        record = self.selected()
        if record is not None:
            await self._edit(record)

    async def _edit(self, record: CustomerRecord | None) -> None:
        dialog = CustomerEditDialog(self._customers, record, self)
        try:
            if await ask(dialog) and dialog.saved is not None:
                pending = _(" (kept on the till until the server is reachable)")
                note = pending if dialog.saved.pending else ""
                self.banner.say(
                    _("{name} saved").format(name=dialog.saved.display_name) + note, "success"
                )
                self._show(await self._customers.search(dialog.saved.display_name) or self._records)
        finally:
            dialog.deleteLater()

    @qasync.asyncSlot()
    async def delete_selected(self) -> None:
        record = self.selected()
        if record is None:
            return
        question = _("Delete {name}?").format(name=record.display_name)
        if not await confirm(self, _("Delete"), question, _("Delete")):
            return
        try:
            await self._customers.delete(record.id)
        except (RemoteError, LookupError) as error:
            self.banner.say(str(error), "error")
            return
        self.banner.say(_("{name} deleted").format(name=record.display_name), "success")
        self._show([r for r in self._records if r.id != record.id])
