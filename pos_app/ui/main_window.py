"""The till's window: a toolbar of screens over a stack (Sale, History, Queue, Customers,
Locations), Settings, and the sync status bar. Each screen lives in its own module; this one
only wires them together."""

from __future__ import annotations

import qasync
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QToolBar, QWidget

from pos_app.domain.cart import Cart
from pos_app.ui.context import UiContext
from pos_app.ui.customers_screen import CustomersScreen
from pos_app.ui.dialogs import ask
from pos_app.ui.history_screen import HistoryScreen
from pos_app.ui.i18n import _
from pos_app.ui.locations_screen import LocationsScreen
from pos_app.ui.naming import named
from pos_app.ui.queue_screen import QueueScreen
from pos_app.ui.sale_screen import SaleScreen
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.status_bar import SyncStatusBar

WINDOW_TITLE = "pos-app"


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, ctx: UiContext):
        super().__init__()
        self.setObjectName("mainWindow")
        self.ctx = ctx
        store = ctx.runtime.settings().store
        self.setWindowTitle(f"{WINDOW_TITLE} — {store.business_name}")
        # A till's screen is the window: fill what the screen offers (a kiosk session may
        # have no window manager to maximise it), up to a comfortable desktop size.
        available = self.screen().availableGeometry()
        self.resize(min(available.width(), 1440), min(available.height(), 900))

        self.sale = SaleScreen(ctx)
        self.history = HistoryScreen(ctx)
        self.queue = QueueScreen(ctx)
        self.customers = CustomersScreen(ctx)
        self.locations = LocationsScreen(ctx)
        self.stack = QStackedWidget()
        self.screens: dict[str, QWidget] = {
            "sale": self.sale,
            "history": self.history,
            "queue": self.queue,
            "customers": self.customers,
            "locations": self.locations,
        }
        for screen in self.screens.values():
            self.stack.addWidget(screen)
        self.setCentralWidget(self.stack)

        toolbar = named(QToolBar(_("Screens")), "screensToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.actions_by_screen: dict[str, QAction] = {}
        for number, (name, label) in enumerate(
            [
                ("sale", _("Sale")),
                ("history", _("History")),
                ("queue", _("Queue")),
                ("customers", _("Customers")),
                ("locations", _("Locations")),
            ],
            start=1,
        ):
            action = QAction(f"{label}  (Ctrl+{number})", self)
            action.setObjectName(f"show_{name}")
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, n=name: self.show_screen(n))
            toolbar.addAction(action)
            self.actions_by_screen[name] = action
        toolbar.addSeparator()
        settings = named(QAction(_("Settings"), self), "openSettings")
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.open_settings)
        toolbar.addAction(settings)

        self.status = SyncStatusBar()
        self.setStatusBar(self.status)
        self.status.show_status(ctx.bridge.sync_status)
        ctx.bridge.syncStatusChanged.connect(self.status.show_status)
        self.status.attentionClicked.connect(lambda: self.show_screen("queue"))
        self.status.syncNowClicked.connect(ctx.services.sync.nudge)
        self.queue.openCorrected.connect(self._open_corrected)
        self.show_screen("sale")

    def show_screen(self, name: str) -> None:
        self.stack.setCurrentWidget(self.screens[name])
        for screen, action in self.actions_by_screen.items():
            action.setChecked(screen == name)
        if name == "sale":
            self.sale.scan.take_focus()

    def _open_corrected(self, cart: Cart, note: str) -> None:
        if self.sale.load_cart(cart, note):
            self.show_screen("sale")

    @qasync.asyncSlot()
    async def open_settings(self) -> None:
        dialog = SettingsDialog(self.ctx.runtime, self.ctx.services.locations, self)
        try:
            if await ask(dialog) and dialog.saved is not None:
                saved = dialog.saved
                # The next sale uses the new currency and rounding rules; the current keeps its.
                self.ctx.session.configure(currency=saved.currency, policy=saved.policy)
                self.sale.banner.say(
                    _("Settings saved. Connection, printer and language apply after a restart."),
                    "success",
                )
        finally:
            dialog.deleteLater()
            if self.stack.currentWidget() is self.sale:
                self.sale.scan.take_focus()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
