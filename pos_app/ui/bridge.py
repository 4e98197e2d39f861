"""The one bridge from the Qt-free core to the widgets: services publish through plain
observers, this QObject re-emits each event as a Qt signal, and screens connect to signals
only. Observers run on the loop's thread, which under qasync is Qt's main thread, so the
signals are delivered directly (no queued copies of a 500-line cart)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from pos_app.services.events import SyncStatus
from pos_app.services.sale_session import CartChange, SaleSession
from pos_app.services.sync import SyncWorker


class Bridge(QObject):
    syncStatusChanged = Signal(SyncStatus)
    cartChanged = Signal(CartChange)

    def __init__(self, sync: SyncWorker, session: SaleSession, parent: QObject | None = None):
        super().__init__(parent)
        self._sync = sync
        self._unsubscribe: list[Callable[[], None]] = [
            sync.status.subscribe(self.syncStatusChanged.emit),
            session.subscribe(self.cartChanged.emit),
        ]

    @property
    def sync_status(self) -> SyncStatus:
        return self._sync.status.value

    def close(self) -> None:
        """Stops listening (on quit, before the services close)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
