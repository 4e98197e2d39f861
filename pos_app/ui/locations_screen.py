"""Locations: the business's locations from Smartbills (the till's last copy when offline),
each one's details; New (Ctrl+N), Edit (Return or double-click) and Delete (Del, confirmed)
through the location service; and "Use for this till", which puts its name and address on
the receipts from the next sale on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
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

from pos_app.domain.remote import RemoteError, RemoteUnavailable
from pos_app.services.locations import (
    InactiveLocation,
    LocationDraft,
    LocationRecord,
    LocationService,
    UnknownLocation,
)
from pos_app.services.settings import Settings
from pos_app.ui import i18n
from pos_app.ui.banner import Banner
from pos_app.ui.dialogs import ask, confirm
from pos_app.ui.i18n import _
from pos_app.ui.location_dialog import LocationDialog
from pos_app.ui.naming import named


def location_text(record: LocationRecord) -> str:
    lines = [record.name, *record.address.lines()]
    if record.description:
        lines.append(record.description)
    for label, value in (
        (_("Phone"), record.phone),
        (_("Email"), record.email),
        (_("Website"), record.website),
        (_("Time zone"), record.timezone),
        (_("Currency"), record.currency),
        (_("Merchant category code"), record.merchant_category_code),
    ):
        if value:
            lines.append(i18n.pair(label, value))
    if record.is_active is False:
        lines.append(_("Inactive"))
    return "\n".join(lines)


class LocationsScreen(QWidget):
    def __init__(
        self,
        locations: LocationService,
        settings: Callable[[], Settings],
        parent: QWidget | None = None,
    ):
        """`settings`: the current settings (this till's location is marked, and a new
        location starts with its currency and time zone)."""
        super().__init__(parent)
        self.setObjectName("locationsScreen")
        self._locations = locations
        self._settings = settings
        self._records: list[LocationRecord] = []
        self.banner = Banner(name="locationsBanner")
        self.table = named(QTableWidget(0, 3), "locationsTable")
        self.table.setHorizontalHeaderLabels([_("Name"), _("City"), _("Phone")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.detail = named(QPlainTextEdit(), "locationDetail")
        self.detail.setReadOnly(True)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        buttons = QHBoxLayout()
        for label, name, slot, key in (
            (_("New location (Ctrl+N)"), "newLocationButton", self.create, "Ctrl+N"),
            (_("Edit (Enter)"), "editLocationButton", self.edit_selected, "Return"),
            (_("Delete (Del)"), "deleteLocationButton", self.delete_selected, "Delete"),
            (_("Use for this till"), "useLocationButton", self.use_selected, ""),
        ):
            button = named(QPushButton(label), name)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            buttons.addWidget(button)
            if key:
                # Only while this screen shows: Del and Return mean other things on the sale.
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
        buttons.addStretch(1)
        refresh = named(QPushButton(_("Refresh from Smartbills")), "refreshLocations")
        refresh.clicked.connect(self.reload)
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
        await self._reload()

    async def _reload(self, select: str | None = None, *, keep_banner: bool = False) -> None:
        """The list from the server (or the till's copy), with `select`'s row selected.
        `keep_banner`: what was just done stays said (a plain refresh clears it)."""
        try:
            listing = await self._locations.list_locations()
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
        elif not keep_banner:
            self.banner.hide()
        self._records = listing.locations
        current = self._settings().location_id
        self.table.setRowCount(len(self._records))
        for r, record in enumerate(self._records):
            name = f"{record.name} ✓" if record.id == current else record.name
            for c, value in enumerate([name, record.address.city, record.phone or ""]):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, r)
                self.table.setItem(r, c, item)
        if not self._records:
            self.detail.setPlainText(_("No location yet: New location (Ctrl+N) adds one"))
        for r, record in enumerate(self._records):
            if record.id == select:
                self.table.selectRow(r)

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
        try:
            await self._locations.use_for_this_till(record.id)
        except (RemoteError, LookupError, ValueError, OSError) as error:
            self.banner.say(str(error), "error")
            return
        self.banner.say(
            _("This till now belongs to {name}: its receipts carry this address").format(
                name=record.name
            ),
            "success",
        )
        await self._reload(select=record.id, keep_banner=True)

    # -- new, edit, delete -------------------------------------------------------------------

    @qasync.asyncSlot()
    async def create(self) -> None:
        store = self._settings().store
        # A new location is most often this store's next one: same currency and time zone.
        defaults = LocationDraft(
            currency=self._settings().currency,
            timezone=store.timezone,
            address=replace(store.address, line1="", line2="", city="", postal_code=""),
        )
        await self._edit(None, defaults)

    @qasync.asyncSlot()
    async def edit_selected(self) -> None:
        record = self.selected()
        if record is None:
            self.banner.say(_("Select a location first"), "warning")
            return
        await self._edit(record, None)

    async def _edit(self, record: LocationRecord | None, defaults: LocationDraft | None) -> None:
        dialog = LocationDialog(self._locations, record, self, defaults=defaults)
        try:
            if not await ask(dialog) or dialog.saved is None:
                return
            saved = dialog.saved
        finally:
            dialog.deleteLater()
        if saved.id == self._settings().location_id:
            message, kind = await self._refresh_till_store(saved)
        else:
            message, kind = _("{name} saved on Smartbills").format(name=saved.name), "success"
        # Said once, with its final wording: a message that a later step rewrites would
        # flicker for the owner (and race for anyone reading it).
        self.banner.say(message, kind)
        await self._reload(select=saved.id, keep_banner=True)

    async def _refresh_till_store(self, saved: LocationRecord) -> tuple[str, str]:
        """The till's own location changed: its receipts must carry the new address now,
        not after someone thinks of pressing "Use for this till" again. Returns what to say."""
        try:
            await self._locations.use_for_this_till(saved.id)
        except InactiveLocation:
            return (
                _(
                    "{name} saved as inactive: this till's receipts keep the details they had"
                ).format(name=saved.name),
                "warning",
            )
        except (RemoteError, LookupError, ValueError, OSError) as error:
            return (
                _("{name} saved, but this till's receipts keep the old details: {error}").format(
                    name=saved.name, error=error
                ),
                "warning",
            )
        return (
            _("{name} saved: this till's receipts carry the new details").format(name=saved.name),
            "success",
        )

    @qasync.asyncSlot()
    async def delete_selected(self) -> None:
        record = self.selected()
        if record is None:
            self.banner.say(_("Select a location first"), "warning")
            return
        question = _("Delete {name} from Smartbills?").format(name=record.name)
        if record.id == self._settings().location_id:
            question += "\n" + _(
                "This till belongs to it: its receipts keep the address saved in its settings."
            )
        if not await confirm(self, _("Delete location"), question, _("Delete")):
            return
        try:
            await self._locations.delete(record.id)
        except RemoteUnavailable as error:
            self.banner.say(
                _(
                    "Smartbills cannot be reached: locations are deleted there only. "
                    "Nothing was deleted; try again once it answers. ({error})"
                ).format(error=error.__cause__ or error.message),
                "error",
            )
            return
        except UnknownLocation:
            self.banner.say(_("{name} was already deleted").format(name=record.name), "warning")
        except RemoteError as error:
            self.banner.say(error.message, "error")
            return
        else:
            self.banner.say(_("{name} deleted").format(name=record.name), "success")
        self.detail.clear()
        await self._reload(keep_banner=True)
