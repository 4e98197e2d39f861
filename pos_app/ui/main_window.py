"""The till's window: a toolbar of screens over a stack (Sale, History, Queue, Customers,
Locations), then the owner's tools (Import catalog Ctrl+I, Settings Ctrl+,, Quit Ctrl+Q), and
the sync status bar. Each screen and tool lives in its own module; this one only wires them
together, and is the one place that sees all the services: each screen is handed the ones it
uses. Closing the window with a sale in progress asks first (quit_guard.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import qasync
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QToolBar, QWidget

from pos_app.domain.cart import Cart
from pos_app.services.runtime import AppServices, SettingsStore
from pos_app.ui.bridge import Bridge
from pos_app.ui.cashday_actions import CashdayActions, toolbar_actions
from pos_app.ui.catalog_import import CatalogImport
from pos_app.ui.customers_screen import CustomersScreen
from pos_app.ui.dialogs import ask
from pos_app.ui.history_screen import RECEIPTS_DIR, HistoryScreen
from pos_app.ui.i18n import _
from pos_app.ui.locations_screen import LocationsScreen
from pos_app.ui.naming import named
from pos_app.ui.queue_screen import QueueScreen
from pos_app.ui.quit_guard import QuitChoice, ask_about_sale, settle_sale
from pos_app.ui.sale_screen import SaleScreen
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.status_bar import SyncStatusBar

log = logging.getLogger("pos_app.ui")

WINDOW_TITLE = "pos-app"


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, services: AppServices, settings: SettingsStore, bridge: Bridge):
        super().__init__()
        self.setObjectName("mainWindow")
        # The sale in progress (services.session) and the bridge its screens listen to.
        self.session = services.session
        self.bridge = bridge
        self._settings = settings
        self._locations = services.locations
        self._printers = services.printers
        store = settings.settings().store
        self.setWindowTitle(f"{WINDOW_TITLE} — {store.business_name}")
        # A till's screen is the window: fill what the screen offers (a kiosk session may
        # have no window manager to maximise it), up to a comfortable desktop size.
        available = self.screen().availableGeometry()
        self.resize(min(available.width(), 1440), min(available.height(), 900))

        self.sale = SaleScreen(
            self.session,
            bridge,
            catalog=services.catalog,
            checkout=services.checkout,
            customers=services.customers,
            accounts=services.accounts,
            held_carts=services.held_carts,
            shifts=services.shifts,
            drawer=services.drawer,
        )
        self.history = HistoryScreen(
            services.history, services.checkout, services.data_dir / RECEIPTS_DIR
        )
        self.queue = QueueScreen(services.queue, services.checkout, bridge)
        self.customers = CustomersScreen(services.customers)
        self.locations = LocationsScreen(services.locations, settings.settings)
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
        self.catalog_import = CatalogImport(services.catalog, self)
        for label, name, keys, slot in (
            (
                _("Import catalog…"),
                "importCatalog",
                "Ctrl+I",
                self.catalog_import.choose_and_import,
            ),
            (_("Settings"), "openSettings", "Ctrl+,", self.open_settings),
            (_("Quit"), "quitApp", "Ctrl+Q", self.close),
        ):
            action = named(QAction(f"{label}  ({keys})", self), name)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _checked=False, s=slot: s())
            toolbar.addAction(action)
        day = named(QToolBar(_("Cashier's day")), "cashdayToolbar")
        day.setMovable(False)
        day.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, day)
        self.cashday = CashdayActions(
            services.shifts,
            services.corrections,
            services.settings.currency,
            self,
            self.sale.banner,
        )
        for name, label, keys, slot_name in toolbar_actions():
            action = named(QAction(f"{label}  ({keys})", self), name)
            action.setShortcut(QKeySequence(keys))
            slot = getattr(self.cashday, slot_name)
            action.triggered.connect(lambda _checked=False, s=slot: self._day_action(s))
            day.addAction(action)
        self.sale.shiftNeeded.connect(self.cashday.check_shift)
        # Set when the sale in progress (if any) has been settled: the next close goes on.
        self._may_close = False
        self._asking = False

        self.status = SyncStatusBar()
        self.setStatusBar(self.status)
        self.status.show_status(bridge.sync_status)
        bridge.syncStatusChanged.connect(self.status.show_status)
        self.status.attentionClicked.connect(lambda: self.show_screen("queue"))
        self.status.syncNowClicked.connect(services.sync.nudge)
        self.sale.printerStatus.connect(self.status.show_printer)
        self.queue.openCorrected.connect(self._open_corrected)
        self.show_screen("sale")

    def show_screen(self, name: str) -> None:
        self.stack.setCurrentWidget(self.screens[name])
        for screen, action in self.actions_by_screen.items():
            action.setChecked(screen == name)
        if name == "sale":
            self.sale.scan.take_focus()

    def _day_action(self, slot: Callable[[], None]) -> None:
        # A return or void takes the sale selected on the History screen, when it shows;
        # what was done is said on the sale screen's banner, so that screen comes forward.
        on_history = self.stack.currentWidget() is self.history
        self.cashday.picked_order = self.history.selected_order() if on_history else None
        self.show_screen("sale")
        slot()

    def _open_corrected(self, cart: Cart, note: str) -> None:
        if self.sale.load_cart(cart, note):
            self.show_screen("sale")

    @qasync.asyncSlot()
    async def open_settings(self) -> None:
        dialog = SettingsDialog(self._settings, self._locations, self._printers, self)
        try:
            if await ask(dialog) and dialog.saved is not None:
                saved = dialog.saved
                # The next sale uses the new currency and rounding rules; the current keeps its.
                self.session.configure(currency=saved.currency, policy=saved.policy)
                self.sale.banner.say(
                    _(
                        "Settings saved. The printer and the screen language change"
                        " after a restart."
                    ),
                    "success",
                )
        finally:
            dialog.deleteLater()
            if self.stack.currentWidget() is self.sale:
                self.sale.scan.take_focus()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not (self._may_close or self.session.is_empty):
            # The question is asked by a task; this close waits for its answer.
            event.ignore()
            self._settle_sale_then_close()
            return
        self.closed.emit()
        super().closeEvent(event)

    @qasync.asyncSlot()
    async def _settle_sale_then_close(self) -> None:
        if self._asking:
            return
        if self.sale.busy:
            self.show_screen("sale")
            self.sale.banner.say(_("Finish or cancel the payment before quitting"), "warning")
            return
        self._asking = True
        try:
            self.show_screen("sale")  # the cart the question is about
            choice = await ask_about_sale(self, self.session)
            problem = await settle_sale(self.session, choice)
        finally:
            self._asking = False
        if choice is QuitChoice.CANCEL:
            self.sale.scan.take_focus()  # back to the sale, ready for the next scan
            return
        if problem:
            self.sale.banner.say(problem, "error")
            return
        self._may_close = True
        self.close()

    async def close_holding_sale(self) -> None:
        """Closes without a question (SIGTERM: nobody is there to answer): a sale in progress
        is held, so the next start still has it, unless it is being paid or recorded."""
        if not self.session.is_empty and not self.sale.busy:
            problem = await settle_sale(self.session, QuitChoice.HOLD)
            if problem:
                log.error("the sale in progress could not be held at shutdown: %s", problem)
        self._may_close = True
        self.close()
