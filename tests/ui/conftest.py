"""The real window over real services, for keyboard-driven tests.

Every async test here runs on one qasync loop for the whole session (the
`pytest_asyncio_loop_factories` hook and the marker added below), so the window's `@asyncSlot`
handlers, the sync worker and the test share one loop, as in the app. Tests poll with
`await asyncio.sleep` (`until`), never `qtbot.waitUntil`, which can hang on this loop
(../shared/qt-facts.md).

`till` builds the runtime as the app does (Bootstrap), pointed at the test's sandbox on a
loopback port, with the sample catalog loaded and the UI in English.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from pos_app.bootstrap import Bootstrap
from pos_app.sandbox import SandboxServer
from pos_app.sandbox.invoiced_app import seed_demo
from pos_app.services.runtime import AppServices, RuntimeOptions
from pos_app.services.sale_session import SaleSession
from pos_app.ui import i18n
from pos_app.ui.app import close_window, make_application, open_window
from pos_app.ui.main_window import MainWindow
from tests.fixtures.sandbox import SANDBOX_TOKEN
from tests.fixtures.shift import open_shift

# Products of the bundled sample catalog.
CHIPS = "060010001015"  # Croustilles nature 235 g, 4.49, GST+QST: 5.16 with taxes
COLA_SKU = "BOI-COL-355"  # Cola canette 355 ml, 1.49, GST+QST: 1.71 with taxes
MILK = "055010001011"  # Lait 2 % 2 L, 5.29, zero-rated
BANANAS = "2004011000002"  # Bananes, 1.74 / kg, zero-rated


def _qasync_loop() -> asyncio.AbstractEventLoop:
    return qasync.QEventLoop(make_application())


@pytest.fixture(scope="session", autouse=True)
def _collect_garbage_on_the_gui_thread() -> Iterator[None]:
    """Python's cycle collector runs in whichever thread happens to allocate: the database's,
    the sandbox's. A Qt object freed there (a closed qasync loop's timer object, a dialog's
    wrapper) cannot unregister its timers from the GUI thread's list, and the next timer event
    reaches freed memory: a segfault some tests later. Here cycles are collected on the GUI
    thread only, between tests."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.fixture(autouse=True)
def _collect_between_tests() -> Iterator[None]:
    gc.collect()
    yield
    gc.collect()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_pycollect_makeitem(
    collector: pytest.Collector, name: str, obj: object
) -> Iterator[None]:
    """One qasync loop for all the UI tests, as the app has one for its life: a loop per test
    builds and tears down Qt objects (timers, signal relays, executor threads) for every test,
    and a wake-up of the sync worker went missing now and then (the run then hung at a test's
    teardown). The mark goes on the function before pytest-asyncio reads it."""
    if inspect.iscoroutinefunction(obj):
        pytest.mark.asyncio(loop_scope="session")(obj)
    yield


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    return {"qasync": _qasync_loop}


async def until(
    predicate: Callable[[], object],
    timeout: float = 30.0,
    what: str | Callable[[], str] = "",
) -> None:
    """Polls `predicate` on the running loop until it is true, or fails after `timeout`: a
    bound for a hang, not a time limit (generous: two suites may share a loaded machine).
    `what` names the awaited state; a callable is asked at the failure for what was seen."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            raise AssertionError(f"timed out waiting for {said or predicate}")
        await asyncio.sleep(0.02)


async def dialog_of(kind: type[QDialog], timeout: float = 30.0) -> Any:
    """The open dialog of class `kind` (dialogs open asynchronously, from a slot's task)."""
    found: list[QDialog] = []

    def visible() -> bool:
        found[:] = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()
        ]
        return bool(found)

    await until(visible, timeout, f"a visible {kind.__name__}")
    return found[0]


def type_text(widget: QWidget, text: str, enter: bool = False) -> None:
    """Types `text` key by key. QTest maps only ASCII to keys (it aborts on "É"), so other
    characters go as key events carrying their text, as an input method sends them."""
    for char in text:
        if char.isascii():
            QTest.keyClick(widget, char)
        else:
            QTest.sendKeyEvent(
                QTest.KeyAction.Click,
                widget,
                Qt.Key.Key_unknown,
                char,
                Qt.KeyboardModifier.NoModifier,
            )
    if enter:
        QTest.keyClick(widget, Qt.Key.Key_Return)


def key(
    widget: QWidget, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(widget, k, modifier)


@dataclass
class Till:
    runtime: Bootstrap
    services: AppServices
    window: MainWindow
    sandbox: SandboxServer
    data_dir: Path

    @property
    def session(self) -> SaleSession:
        return self.window.session

    @property
    def scan_field(self) -> QWidget:
        return self.window.sale.scan.field

    async def scan(self, text: str) -> None:
        """Types a code and Return into the scan field, as a scanner does."""
        before = len(self.session.items)
        type_text(self.scan_field, text, enter=True)
        await until(
            lambda: len(self.session.items) != before or self.scan_field.property("error"),
            what=f"the scan of {text}",
        )

    def press(
        self, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        """A key on the sale screen (its shortcuts need the focus inside it)."""
        key(self.scan_field, k, modifier)


TillFactory = Callable[..., AbstractAsyncContextManager[Till]]


@pytest.fixture
def open_till(tmp_path: Path, sandbox: SandboxServer, qapp: QApplication) -> TillFactory:
    """`async with open_till() as till:` inside the test. The window lives and dies within
    the test's own loop run: pytest-qt processes Qt events between a test and its fixtures'
    teardown, which would step the app's asyncio tasks with no running loop."""

    @asynccontextmanager
    async def opened(
        *, shift: bool = True, invoiced: bool = False, **settings: Any
    ) -> AsyncIterator[Till]:
        """`settings`: changes saved before start-up (the printer is chosen then); `shift`:
        whether the till starts with its shift open, as a cashier's mid-day would;
        `invoiced`: house accounts on the sandbox's Invoiced side, with its demo customers."""
        i18n.install("en")
        data_dir = tmp_path / "till"
        if shift:
            open_shift(data_dir)  # a sale needs an open shift
        if invoiced:
            seed_demo(sandbox.invoiced.store)
        runtime = Bootstrap(
            RuntimeOptions(
                data_dir=data_dir,
                api_url=sandbox.url,
                api_token=SANDBOX_TOKEN,
                invoiced_url=sandbox.invoiced_url if invoiced else None,
                invoiced_key=sandbox.invoiced.api_key if invoiced else None,
            )
        )
        if settings:
            runtime.save_settings(runtime.settings().with_changes(**settings))
        async with runtime.open_services() as services:
            # With an API URL this is not demo mode: the sample products are loaded here.
            await services.catalog.ensure_sample_catalog()
            window = await open_window(runtime, services)
            window.activateWindow()
            await until(window.sale.scan.field.hasFocus, what="the scan field's focus")
            try:
                yield Till(runtime, services, window, sandbox, data_dir)
            finally:
                for widget in QApplication.topLevelWidgets():
                    if isinstance(widget, QDialog) and widget.isVisible():
                        widget.reject()
                await close_window(window)

    return opened
