"""`pos-app --self-test`: proves that an installed till works, from the bundle as from a
checkout, without a display, a network or the store's data.

The settings store and services opener it is given (bootstrap makes them) work in a throwaway
data folder with the default settings, so the till is in demo mode: the built-in sandbox API
runs in-process on a loopback port, and nothing leaves the machine. The checks go through the
real window and services:

  ok window                  the main window opens and paints, and Qt finds a font
  ok totals 114.98           a $100 taxable sale in Québec (Revenu Québec's worked example:
                             GST 5 % = 5.00, QST 9.975 % = 9.975 -> 9.98, total 114.98) rung up
                             on the window's sale, computed by the totals engine, and shown
  ok receipt pdf (N bytes)   that sale, paid by card, recorded in the temporary database; its
                             receipt PDF rendered (fonts, barcode, CLDR formats) and archived in
                             the temporary folder, and read back as a complete PDF
  ok sync                    the receipt delivered to the built-in sandbox (uvicorn, httpx)

Each check prints one line; the first one that fails prints `FAIL <check>: <why>` and the
command exits 1. Qt draws offscreen unless POS_SELF_TEST_DISPLAY=1 asks for the desktop's
display (to watch it): an inherited QT_QPA_PLATFORM (a Wayland session's, say) could name a
platform the bundle does not carry.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from pos_app.domain.cart import Item, PaymentType, Tax
from pos_app.services.runtime import AppServices, ServicesOpener, SettingsStore
from pos_app.ui import i18n
from pos_app.ui.app import close_window, open_window, run_on_qt_loop
from pos_app.ui.main_window import MainWindow

DISPLAY_ENV = "POS_SELF_TEST_DISPLAY"
# Generous: a cold start of a bundle on a slow till reads ~100 MB of libraries from disk.
_STEP_TIMEOUT_S = 20.0

# Revenu Québec's example of a $100 taxable supply: GST 5 % and QST 9.975 % on the price.
SALE_PRICE = Decimal("100.00")
TAXES = (Tax("GST", Decimal("5")), Tax("QST", Decimal("9.975")))
EXPECTED_TAXES = {"GST": Decimal("5.00"), "QST": Decimal("9.98")}
EXPECTED_TOTAL = Decimal("114.98")


class CheckFailed(Exception):
    """A check saw something other than what it expected."""


async def _until(predicate: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + _STEP_TIMEOUT_S
    while not predicate():
        if time.monotonic() > deadline:
            raise CheckFailed(f"timed out after {_STEP_TIMEOUT_S:.0f} s waiting for {what}")
        await asyncio.sleep(0.02)


def run_self_test(settings: SettingsStore, opener: ServicesOpener, out: TextIO = sys.stdout) -> int:
    """Runs every check on a qasync loop, as the app runs; returns the exit status."""
    if not os.environ.get(DISPLAY_ENV):
        # Before the QApplication exists: Qt reads it once.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return run_on_qt_loop(settings.settings().ui_language, run_checks(settings, opener, out))


async def run_checks(settings: SettingsStore, opener: ServicesOpener, out: TextIO) -> int:
    """The checks, on a running qasync loop (tests call this on their own loop)."""
    step = "services"
    try:
        async with opener.open_services() as services:
            step = "window"
            window = await open_window(settings, services)
            try:
                checks: list[tuple[str, Callable[[], Awaitable[str]]]] = [
                    ("window", lambda: _check_window(window)),
                    ("totals", lambda: _check_totals(window)),
                    ("receipt pdf", lambda: _check_receipt(window, services)),
                    ("sync", lambda: _check_sync(services)),
                ]
                for name, check in checks:
                    step = name  # named in the FAIL line if this check raises
                    print(f"ok {await check()}", file=out, flush=True)
            finally:
                window.session.clear()
                await close_window(window)
    except CheckFailed as failure:
        print(f"FAIL {step}: {failure}", file=out, flush=True)
        return 1
    except Exception as error:  # whatever broke, say which check and what, then exit 1
        print(f"FAIL {step}: {type(error).__name__}: {error}", file=out, flush=True)
        return 1
    return 0


async def _check_window(window: MainWindow) -> str:
    await _until(window.isVisible, "the main window to show")
    if not QFontDatabase.families():
        # Qt would draw every text as empty boxes, silently.
        raise CheckFailed("Qt finds no font (install fonts-dejavu-core)")
    if window.grab().isNull():
        raise CheckFailed("the main window could not be painted")
    platform = QApplication.platformName()
    return "window" if platform == "offscreen" else f"window ({platform})"


async def _check_totals(window: MainWindow) -> str:
    session = window.session
    session.clear()
    session.add_item(
        Item(name="Self-test", unit_price=SALE_PRICE, quantity=Decimal(1), taxes=TAXES)
    )
    totals = session.totals
    taxes = {tax.name: tax.amount for tax in totals.taxes}
    if taxes != EXPECTED_TAXES or totals.total != EXPECTED_TOTAL:
        found = ", ".join(f"{name} {amount}" for name, amount in taxes.items())
        raise CheckFailed(
            f"a $100 sale gives {found}, total {totals.total}; expected GST 5.00, QST 9.98, "
            f"total {EXPECTED_TOTAL}"
        )
    shown = i18n.money(EXPECTED_TOTAL, totals.currency)
    await _until(lambda: shown in window.sale.totals.text(), f"the window to show {shown}")
    return f"totals {totals.total}"


async def _check_receipt(window: MainWindow, services: AppServices) -> str:
    session = window.session
    session.add_payment(PaymentType.CARD, EXPECTED_TOTAL)
    finished = await services.checkout.finish_sale(session.cart)
    session.clear()
    outcome = finished.printing
    if outcome.error is not None or outcome.archived_at is None:
        raise CheckFailed(f"the receipt was not saved: {outcome.error}")
    pdf = Path(outcome.archived_at)
    if not pdf.resolve().is_relative_to(services.data_dir.resolve()):
        raise CheckFailed(f"the receipt went to {pdf}, outside the temporary data folder")
    data = pdf.read_bytes()
    # A PDF starts with its header and ends with %%EOF (maybe followed by a line end).
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-32:]:
        raise CheckFailed(f"{pdf} is not a complete PDF ({len(data)} bytes)")
    return f"receipt pdf ({len(data)} bytes)"


async def _check_sync(services: AppServices) -> str:
    status = services.sync.status
    try:
        await _until(
            lambda: status.value.counts.get("done", 0) >= 1 and not status.value.pending,
            "the receipt to reach the built-in sandbox",
        )
    except CheckFailed as failure:
        last_error = status.value.last_error
        raise CheckFailed(
            f"{failure} (last error: {last_error})" if last_error else failure
        ) from None
    return "sync"
