"""The sync status in the window's status bar, from the sync worker's SyncStatus (through the
bridge): where receipts go (Sandbox / Online / Offline / Paused), how many wait, how many
need someone's attention (a button to the queue screen), "Sync now", and a progress bar
while a long backlog drains. Beside it, why the last receipt did not print, until one does."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar, QWidget

from pos_app.services.events import Connectivity, SyncStatus
from pos_app.ui.i18n import _
from pos_app.ui.naming import named

# A backlog this long takes a few seconds to drain: worth a progress bar.
PROGRESS_FROM = 10
_COLORS = {
    Connectivity.ONLINE: "#2e7d32",
    Connectivity.UNKNOWN: "#546e7a",
    Connectivity.OFFLINE: "#e65100",
    Connectivity.PAUSED: "#c62828",
}


class SyncStatusBar(QStatusBar):
    attentionClicked = Signal()
    syncNowClicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("syncStatusBar")
        self.mode = named(QLabel(), "syncMode")
        self.pending = named(QLabel(), "syncPending")
        self.attention = named(QPushButton(), "syncAttention")
        self.attention.setFlat(True)
        self.attention.setCursor(Qt.CursorShape.PointingHandCursor)
        self.attention.setStyleSheet("color:#c62828; font-weight:bold;")
        self.attention.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.attention.clicked.connect(self.attentionClicked)
        self.progress = named(QProgressBar(), "syncProgress")
        self.progress.setMaximumWidth(180)
        self.progress.hide()
        self.sync_now = named(QPushButton(_("Sync now")), "syncNow")
        self.sync_now.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sync_now.clicked.connect(self.syncNowClicked)
        self.detail = named(QLabel(), "syncDetail")
        self.detail.setStyleSheet("color:#616161;")
        self.printer = named(QLabel(), "printerStatus")
        self.printer.setStyleSheet("color:#c62828;")
        self.printer.hide()
        self.addWidget(self.mode)
        self.addWidget(self.detail, 1)
        self.addPermanentWidget(self.printer)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.pending)
        self.addPermanentWidget(self.attention)
        self.addPermanentWidget(self.sync_now)

    def show_printer(self, error: str) -> None:
        """The printer's last problem ("" once a receipt printed again)."""
        self.printer.setText(_("Printer: {error}").format(error=error) if error else "")
        self.printer.setVisible(bool(error))

    def show_status(self, status: SyncStatus) -> None:
        c = status.connectivity
        if c is Connectivity.OFFLINE:
            mode = _("Offline")
        elif c is Connectivity.PAUSED:
            mode = _("Paused")
        elif status.sandbox:
            mode = _("Sandbox")
        elif c is Connectivity.ONLINE:
            mode = _("Online")
        else:
            mode = _("Connecting…")
        self.mode.setText(f"● {mode}")
        self.mode.setStyleSheet(f"color:{_COLORS[c]}; font-weight:bold;")
        self.mode.setProperty("state", c.value)
        self.detail.setText(_detail(status))
        self.pending.setText(_("{count} to send").format(count=status.pending))
        self.pending.setProperty("count", status.pending)
        attention = status.needs_attention + status.paused
        self.attention.setText(_("{count} need attention").format(count=attention))
        self.attention.setProperty("count", attention)
        self.attention.setVisible(attention > 0)
        if status.draining and status.backlog >= PROGRESS_FROM:
            if status.settled:
                self.progress.setRange(0, status.backlog)
                self.progress.setValue(min(status.settled, status.backlog))
            else:
                # The worker counts settled receipts a chunk at a time: until the first chunk
                # is done, say "busy" rather than show a bar stuck at zero.
                self.progress.setRange(0, 0)
            self.progress.show()
        else:
            self.progress.hide()


def _detail(status: SyncStatus) -> str:
    """What the worker is waiting for, or what it just did, in a few words."""
    if status.connectivity in (Connectivity.OFFLINE, Connectivity.PAUSED):
        return status.last_error or ""
    if status.other_sender:
        return _("Another pos-app ({holder}) is sending this till's receipts").format(
            holder=status.other_sender
        )
    if status.resumed:
        return _("Sync resumed: {count} paused receipts queued again").format(count=status.resumed)
    return ""
