"""Start-up and shutdown of the window: QApplication and a qasync loop, the services (in demo
mode the sandbox starts in-process), the sync worker, the main window; on quit, every task is
cancelled and the services closed before the process exits.

`POS_READY_MARKER=print` makes the app print `pos-app ready <seconds>` on standard output once
the window can take a scan (seconds since the process started); `POS_READY_MARKER=quit` also
quits right after. Benchmarks and the end-to-end test use it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
from collections.abc import Coroutine
from types import FrameType
from typing import Any

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from pos_app.resources import resource_path
from pos_app.services.runtime import AppServices, ServicesOpener, SettingsStore
from pos_app.ui import i18n
from pos_app.ui.bridge import Bridge
from pos_app.ui.gui_gc import GuiThreadCollector
from pos_app.ui.main_window import MainWindow
from pos_app.ui.tasks import cancel_all, spawn

log = logging.getLogger("pos_app.ui")

READY_ENV = "POS_READY_MARKER"
READY_TEXT = "pos-app ready"

STYLE = """
QLineEdit#scanField { padding: 6px; border: 2px solid #90a4ae; border-radius: 4px; }
QLineEdit#scanField:focus { border-color: #1565c0; }
QLineEdit#scanField[error="true"] { border: 2px solid #c62828; background: #fff5f5; }
QLabel#scanMessage { color: #37474f; }
QLineEdit#scanField[error="true"] + QLabel#scanMessage { color: #c62828; }
QLabel#totalAmount { color: #0d47a1; }
QTableView#cartTable { font-size: 12pt; }
"""


def _process_age() -> float:
    """Seconds since this process started (from /proc where there is one)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # starttime, in clock ticks since boot
        with open("/proc/uptime", encoding="ascii") as uptime:
            up = float(uptime.read().split()[0])
        return up - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.process_time()


def make_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("pos-app")
    # The icon of every window (taskbar, Alt+Tab); the desktop file name lets Wayland and
    # GNOME match the window to packaging/'s pos-app.desktop entry and its icon.
    app.setWindowIcon(QIcon(str(resource_path("icons", "pos-app-256.png"))))
    app.setDesktopFileName("pos-app")
    # The window's `closed` signal ends the app, after an orderly shutdown; Qt must not quit
    # its loop on its own first (qasync would stop with the future unfinished).
    app.setQuitOnLastWindowClosed(False)
    app.setStyleSheet(STYLE)
    return app


def run_on_qt_loop(ui_language: str, main: Coroutine[Any, Any, int]) -> int:
    """Runs `main` to its end on a qasync loop inside a QApplication speaking `ui_language`
    (the settings'): the one way the window and the self-test start."""
    i18n.install(ui_language)
    app = make_application()
    i18n.install_qt_translations(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(main)
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def run_app(settings: SettingsStore, opener: ServicesOpener) -> int:
    return run_on_qt_loop(settings.settings().ui_language, run_window(settings, opener))


async def open_window(settings: SettingsStore, services: AppServices) -> MainWindow:
    """The window over running services, with the sync worker started; `settings` is where
    the settings dialog reads and saves. Tests call this with services they opened
    themselves; `close_window` undoes it."""
    # The sale session's and the sync worker's events, as the Qt signals screens connect to.
    bridge = Bridge(services.sync, services.session)
    # Sales made by `pos-app sale` (or queued again by `pos-app queue retry`) beside the window
    # wake its worker too, within half a second.
    spawn(services.sync.run_forever(), name="sync worker")
    spawn(_warm_up(services), name="warm-up")
    if services.accounts.configured:
        spawn(services.accounts.run_forever(), name="house accounts")
    window = MainWindow(services, settings, bridge)
    window.show()
    window.raise_()
    window.activateWindow()
    await window.cashday.say_if_no_shift()  # a till with no shift says so before a scan
    return window


async def close_window(window: MainWindow) -> None:
    window.bridge.close()
    await cancel_all()
    window.deleteLater()


async def _warm_up(services: AppServices) -> None:
    # The first request pays for the connection and lazy imports (~40 ms on the loop): pay
    # it now rather than during the first sale's sync.
    await services.warm_up()


async def run_window(settings: SettingsStore, opener: ServicesOpener) -> int:
    loop = asyncio.get_running_loop()
    closed: asyncio.Future[None] = loop.create_future()

    def close(*_args: object) -> None:
        if not closed.done():
            closed.set_result(None)

    collector = GuiThreadCollector()  # for the window's life
    try:
        async with opener.open_services() as services:
            window = await open_window(settings, services)
            window.closed.connect(close)
            _close_on_signals(window)
            # Python runs a signal handler only when it next executes Python code, and Qt may
            # wait in C++ for a long time: a slow timer with a Python slot gives it that chance.
            heartbeat = QTimer(window, interval=250)
            heartbeat.timeout.connect(lambda: None)
            heartbeat.start()
            QTimer.singleShot(0, lambda: _ready(window))
            try:
                await closed
            finally:
                heartbeat.stop()
                await close_window(window)
    finally:
        collector.stop()
    return 0


def _ready(window: MainWindow) -> None:
    marker = os.environ.get(READY_ENV, "")
    if not marker:
        return
    window.sale.scan.field.repaint()
    print(f"{READY_TEXT} {_process_age():.3f}", flush=True)
    if marker == "quit":
        window.close()


def _close_on_signals(window: MainWindow) -> None:
    loop = asyncio.get_running_loop()

    def handler(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: closing the window", signum)
        # Nobody is there to answer "hold the sale?": it is held. The handler runs between
        # two bytecodes of whatever was running, so it only schedules the work, the one
        # loop call that is safe from there.
        loop.call_soon_threadsafe(
            lambda: spawn(window.close_holding_sale(), name="close on signal")
        )

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, handler)
