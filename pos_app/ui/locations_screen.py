"""Locations: the business's locations from Smartbills (the till's last copy when offline),
each one's details, and "Use for this till", which puts its name and address on the receipts
from the next sale on."""

from __future__ import annotations

import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.remote import RemoteError
from pos_app.services.locations import LocationRecord
from pos_app.ui.banner import Banner
from pos_app.ui.context import UiContext
from pos_app.ui.i18n import _
from pos_app.ui.naming import named


def location_text(record: LocationRecord) -> str:
    lines = [record.name, *record.address.lines()]
    for label, value in (
        (_("Phone"), record.phone),
        (_("Email"), record.email),
        (_("Website"), record.website),
        (_("Time zone"), record.timezone),
        (_("Currency"), record.currency),
    ):
        if value:
            lines.append(f"{label}: {value}")
    if record.is_active is False:
        lines.append(_("Inactive"))
    return "\n".join(lines)


class LocationsScreen(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("locationsScreen")
        self._ctx = ctx
        self._records: list[LocationRecord] = []
        self.banner = Banner(name="locationsBanner")
        self.table = named(QTableWidget(0, 3), "locationsTable")
        self.table.setHorizontalHeaderLabels([_("Name"), _("City"), _("Phone")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.detail = named(QPlainTextEdit(), "locationDetail")
        self.detail.setReadOnly(True)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        use = named(QPushButton(_("Use for this till")), "useLocationButton")
        refresh = named(QPushButton(_("Refresh from Smartbills")), "refreshLocations")
        use.clicked.connect(self.use_selected)
        refresh.clicked.connect(self.reload)
        buttons = QHBoxLayout()
        buttons.addWidget(use)
        buttons.addStretch(1)
        buttons.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    @qasync.asyncSlot()
    async def reload(self) -> None:
        try:
            listing = await self._ctx.services.locations.list_locations()
        except RemoteError as error:
            self.banner.say(error.message, "error")
            return
        if listing.from_cache:
            self.banner.say(
                _("Offline: the till's last copy of the locations ({error})").format(
                    error=listing.error or ""
                ),
                "warning",
            )
        else:
            self.banner.hide()
        self._records = listing.locations
        current = self._ctx.runtime.settings().location_id
        self.table.setRowCount(len(self._records))
        for r, record in enumerate(self._records):
            name = f"{record.name} ✓" if record.id == current else record.name
            for c, value in enumerate([name, record.address.city, record.phone or ""]):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, r)
                self.table.setItem(r, c, item)
        if not self._records:
            self.detail.setPlainText(_("No location yet"))

    def selected(self) -> LocationRecord | None:
        items = self.table.selectedItems()
        return self._records[int(items[0].data(Qt.ItemDataRole.UserRole))] if items else None

    def _selected(self) -> None:
        record = self.selected()
        if record is not None:
            self.detail.setPlainText(location_text(record))

    @qasync.asyncSlot()
    async def use_selected(self) -> None:
        record = self.selected()
        if record is None:
            return
        runtime = self._ctx.runtime
        try:
            choice = await self._ctx.services.locations.choose(record.id)
            runtime.save_settings(choice.apply(runtime.settings()))
        except (RemoteError, LookupError, ValueError, OSError) as error:
            self.banner.say(str(error), "error")
            return
        self.banner.say(
            _("This till now belongs to {name}: its receipts carry this address").format(
                name=record.name
            ),
            "success",
        )
        await self.reload()
