"""F8 with an empty cart: the sales on hold, the one waiting longest first; Enter resumes the
highlighted one, Delete discards it (after a confirmation)."""

from __future__ import annotations

import contextlib

import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.held_carts import HeldCartsService, HeldCartSummary
from pos_app.ui import i18n
from pos_app.ui.dialogs import confirm
from pos_app.ui.i18n import _
from pos_app.ui.naming import named


def describe(held: HeldCartSummary) -> str:
    parts = [i18n.when(held.created_at), held.label or held.customer_name or "—"]
    lines = _("{count} lines").format(count=held.lines)
    total = i18n.money(held.total, held.currency) if held.total is not None else "?"
    return "   ".join([*parts, lines, total])


class HeldCartsDialog(QDialog):
    def __init__(self, held_carts: HeldCartsService, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("heldCartsDialog")
        self.setWindowTitle(_("Sales on hold"))
        self.setMinimumWidth(520)
        self._held_carts = held_carts
        self.chosen: int | None = None
        self.list = named(QListWidget(), "heldList")
        self.list.itemActivated.connect(lambda _item: self._resume())
        self.message = named(QLabel(), "heldMessage")
        buttons = QDialogButtonBox()
        resume = buttons.addButton(_("Resume"), QDialogButtonBox.ButtonRole.AcceptRole)
        discard = named(QPushButton(_("Discard")), "discardHeld")
        buttons.addButton(discard, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        resume.setObjectName("resumeHeld")
        buttons.accepted.connect(self._resume)
        buttons.rejected.connect(self.reject)
        discard.clicked.connect(self._discard)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.list, self._discard)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.reload()

    @qasync.asyncSlot()
    async def reload(self) -> None:
        held = await self._held_carts.list_held()
        self.list.clear()
        for summary in held:
            entry = QListWidgetItem(describe(summary))
            entry.setData(Qt.ItemDataRole.UserRole, summary.id)
            self.list.addItem(entry)
        self.message.setText("" if held else _("No sale is on hold"))
        if held:
            self.list.setCurrentRow(0)
        self.list.setFocus()

    def _current(self) -> int | None:
        entry = self.list.currentItem()
        return None if entry is None else int(entry.data(Qt.ItemDataRole.UserRole))

    def _resume(self) -> None:
        self.chosen = self._current()
        if self.chosen is not None:
            self.accept()

    @qasync.asyncSlot()
    async def _discard(self) -> None:
        cart_id = self._current()
        if cart_id is None:
            return
        if await confirm(self, _("Discard"), _("Discard this sale on hold?"), _("Discard")):
            # Gone already (another screen resumed or discarded it): the reload shows that.
            with contextlib.suppress(LookupError):
                await self._held_carts.discard(cart_id)
            await self.reload()
