"""Dialogs awaited without a nested event loop.

`QDialog.exec()` inside a coroutine would run a second Qt loop while an asyncio task is
half-stepped, and qasync would then re-enter that task. Here a dialog is opened with
`open()` and its `finished` signal resolves a future the coroutine awaits.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from pos_app.ui.i18n import _


async def ask(dialog: QDialog) -> int:
    """Opens `dialog` (window-modal) and returns its result code when it closes."""
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finished(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(finished)
    dialog.open()
    try:
        return await future
    finally:
        dialog.finished.disconnect(finished)
        if dialog.isVisible():  # the awaiting task was cancelled (quit): close it too
            dialog.reject()
        # Hand the keyboard back to the window the dialog came from: without a window
        # manager (kiosk X sessions, offscreen) nobody else re-activates it, and the
        # screen's shortcuts would stay dead until someone clicks.
        parent = dialog.parentWidget()
        if parent is not None:
            parent.window().activateWindow()


async def confirm(parent: QWidget, title: str, text: str, yes: str) -> bool:
    """A yes/no question; No is the default so a stray Enter never destroys anything."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setObjectName("confirmBox")
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(_("No"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)
    await ask(box)
    return box.clickedButton() is yes_button


def inform(parent: QWidget, title: str, text: str, *, error: bool = False) -> QMessageBox:
    """A message the user closes; returns at once (nothing waits on it)."""
    icon = QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox" if error else "infoBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
