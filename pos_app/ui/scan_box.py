"""The scan/search field of the sale screen, with its message line and live search results.

A scanner types a code and Return within a few milliseconds, a person types a name: Return
always means "add this code" unless the person moved into the results with Down, and the
search waits for a pause in typing so a scan never triggers one. The field keeps the focus
the whole time; Up/Down, Delete and Escape are passed to the sale screen when the field has
no use for them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import qasync
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from pos_app.ui.i18n import _
from pos_app.ui.naming import named

SEARCH_PAUSE_MS = 150
MIN_SEARCH_LENGTH = 2
VISIBLE_RESULTS = 6

Search = Callable[[str], Awaitable[Sequence[Any]]]


class ScanBox(QWidget):
    codeEntered = Signal(str)  # the text as typed, quantity prefix included
    productPicked = Signal(object, str)  # a search result, and the quantity prefix ("" if none)
    moveSelection = Signal(int)  # -1 up, +1 down, in the cart, when no results are shown
    deletePressed = Signal()  # Delete in an empty field: void the selected line
    escapePressed = Signal()  # Escape in an empty field: cancel the sale

    def __init__(
        self, search: Search, describe: Callable[[Any], str], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self._search = search
        self._describe = describe
        self._asked = ""  # the text of the search whose results are shown or awaited
        self.field = named(QLineEdit(), "scanField")
        self.field.setPlaceholderText(
            _("Scan or type a code (3*code for a quantity), or type a name to search")
        )
        self.field.setClearButtonEnabled(True)
        font = self.field.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.field.setFont(font)
        self.message = named(QLabel(), "scanMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.results = named(QListWidget(), "searchResults")
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addWidget(self.message)
        layout.addWidget(self.results)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_PAUSE_MS)
        self._timer.timeout.connect(self._run_search)
        self.field.textEdited.connect(self._edited)
        self.field.returnPressed.connect(self._enter)
        self.field.installEventFilter(self)
        self.results.itemClicked.connect(self._pick)

    # -- what the screen calls -------------------------------------------------------------

    def show_error(self, text: str, typed: str = "") -> None:
        """Says what went wrong in the field itself: red border, the message under it, and
        the text put back selected so the next scan replaces it."""
        if typed:
            self.field.setText(typed)
            self.field.selectAll()
        self._set_error(True)
        self.message.setText(text)
        self.message.show()

    def show_info(self, text: str) -> None:
        self._set_error(False)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def take_focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- typing and searching --------------------------------------------------------------

    def _edited(self, text: str) -> None:
        self._set_error(False)
        self.message.hide()
        query = self._query(text)
        if len(query) >= MIN_SEARCH_LENGTH and not query.isdigit():
            self._timer.start()
        else:
            # Digits are codes being typed or scanned: no search, and none shown.
            self._timer.stop()
            self._hide_results()

    @staticmethod
    def _query(text: str) -> str:
        return text.partition("*")[2].strip() if "*" in text else text.strip()

    @qasync.asyncSlot()
    async def _run_search(self) -> None:
        text = self.field.text()
        query = self._query(text)
        self._asked = text
        found = await self._search(query)
        if self._asked != text or self.field.text() != text:
            return  # the person typed on (or scanned) meanwhile: these results are stale
        self.results.clear()
        for product in found:
            entry = QListWidgetItem(self._describe(product))
            entry.setData(Qt.ItemDataRole.UserRole, product)
            self.results.addItem(entry)
        if found:
            rows = min(len(found), VISIBLE_RESULTS)
            self.results.setFixedHeight(self.results.sizeHintForRow(0) * rows + 6)
            self.results.setCurrentRow(-1)
            self.results.show()
        else:
            self._hide_results()
            self.show_info(_("Nothing found for “{text}”").format(text=query))

    def _hide_results(self) -> None:
        self._asked = ""
        self.results.clear()
        self.results.hide()

    def _enter(self) -> None:
        text = self.field.text()
        self._timer.stop()
        picked = self.results.currentItem() if self.results.isVisible() else None
        if picked is not None and self.results.currentRow() >= 0:
            self._pick(picked)
            return
        self._hide_results()
        if text.strip():
            self.field.clear()
            self.codeEntered.emit(text)

    def _pick(self, entry: QListWidgetItem) -> None:
        text = self.field.text()
        prefix = text.partition("*")[0] if "*" in text else ""
        product = entry.data(Qt.ItemDataRole.UserRole)
        self._hide_results()
        self.field.clear()
        self.productPicked.emit(product, prefix)
        self.take_focus()

    def _set_error(self, on: bool) -> None:
        if self.field.property("error") == on:
            return
        self.field.setProperty("error", on)
        self.field.style().unpolish(self.field)
        self.field.style().polish(self.field)

    # -- keys the field passes on ----------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(event.key())
        return super().eventFilter(watched, event)

    def _key(self, key: int) -> bool:
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if key == Qt.Key.Key_Down else -1
            if self.results.isVisible() and self.results.count():
                row = max(-1, min(self.results.currentRow() + step, self.results.count() - 1))
                self.results.setCurrentRow(row)
            else:
                self.moveSelection.emit(step)
            return True
        if key == Qt.Key.Key_Delete and not self.field.text():
            self.deletePressed.emit()
            return True
        if key == Qt.Key.Key_Escape:
            if self.results.isVisible():
                self._hide_results()
            elif self.field.text():
                self.field.clear()
                self._set_error(False)
                self.message.hide()
            else:
                self.escapePressed.emit()
            return True
        return False
