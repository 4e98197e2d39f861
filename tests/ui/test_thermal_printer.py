"""A thermal printer at the counter, from the window: a printer that accepts the connection and
then stalls, or refuses it, leaves the sale recorded and the window working (a QTimer keeps
firing, the next sale can be rung up) with the error in the banner and the status bar; the
Reprint banner prints the copy once the printer is back. F9 opens the drawer for a reason."""

from __future__ import annotations

import socket
import sqlite3

import pytest
from PySide6.QtCore import Qt, QTimer

from pos_app.adapters.escpos import VirtualPrinter, decode
from pos_app.ui.drawer_dialog import DrawerReasonDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import CHIPS, Till, TillFactory, dialog_of, key, type_text, until


def sales_in(till: Till) -> int:
    with sqlite3.connect(till.data_dir / "pos.db") as conn:
        return conn.execute("SELECT count(*) FROM sales").fetchone()[0]


def refused_target() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{sock.getsockname()[1]}"


class Ticks:
    """A QTimer on the window's loop, counting how often it fired."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.count += 1


async def pay_cash(till: Till) -> None:
    till.press(Qt.Key.Key_F12)
    dialog = await dialog_of(PaymentDialog)
    key(dialog.amount_field, Qt.Key.Key_Return)


@pytest.fixture
def printer():
    with VirtualPrinter() as virtual:
        yield virtual


@pytest.mark.parametrize("failure", ["stalled", "refused"])
async def test_a_stalled_or_refusing_printer_never_holds_the_sale(
    open_till: TillFactory, printer: VirtualPrinter, failure: str
) -> None:
    if failure == "stalled":
        printer.mode = "stalled"
        target = printer.target
    else:
        target = refused_target()
    # A stalled printer is given 5 s: long enough to see the window working meanwhile.
    async with open_till(printer="escpos", printer_target=target, printer_timeout=5.0) as till:
        sale, status = till.window.sale, till.window.status
        ticks = Ticks()
        await till.scan(CHIPS)
        await pay_cash(till)
        if failure == "stalled":
            # Recorded, the receipt still on its way: the window runs and takes the next sale.
            await until(lambda: "Printing the receipt of A1-000001" in sale.banner.label.text())
            assert sales_in(till) == 1
            pending_at = ticks.count
            await till.scan(CHIPS)
            assert len(till.session.items) == 1
        else:
            pending_at = ticks.count
        await until(lambda: "not printed" in sale.banner.label.text(), what="the print error")
        text = sale.banner.label.text()
        assert "Sale A1-000001 recorded." in text
        assert sales_in(till) == 1
        expected = "did not answer within 5 s" if failure == "stalled" else "refused"
        assert expected in text
        assert status.printer.isVisible() and expected in status.printer.text()
        if failure == "stalled":
            assert ticks.count - pending_at >= 3  # the timer kept firing while it waited
        else:
            # Refused at once: nothing was pending long enough to count ticks; the window
            # takes the next sale all the same.
            await till.scan(CHIPS)
            assert len(till.session.items) == 1
        assert sale.banner.action.isVisible() and sale.banner.action.text() == "Reprint"

        # The printer is back: Reprint prints the copy and the status bar clears.
        printer.mode = "ready"
        till.runtime.save_settings(
            till.runtime.settings().with_changes(printer_target=printer.target)
        )
        sale.banner.action.click()
        await until(lambda: "Copy of A1-000001 printed" in sale.banner.label.text())
        assert not status.printer.isVisible()
        # The printer files a job once its connection closes, which may be just after the
        # till has said "printed": wait for the paper itself.
        await until(lambda: any(decode(job).cuts for job in printer.jobs), what="the copy printed")
        copies = [decode(job) for job in printer.jobs if decode(job).cuts]
        assert copies[-1].lines[0].text == "DUPLICATA / COPY"
        ticks.timer.stop()


async def test_cash_sale_opens_the_drawer_and_f9_asks_why(
    open_till: TillFactory, printer: VirtualPrinter
) -> None:
    async with open_till(printer="escpos", printer_target=printer.target) as till:
        sale = till.window.sale
        await till.scan(CHIPS)
        await pay_cash(till)
        await until(lambda: "Sale A1-000001 recorded." in sale.banner.label.text())
        await until(lambda: len(printer.jobs) == 1)
        assert decode(printer.jobs[0]).drawer_pulses == 1

        till.press(Qt.Key.Key_F9)
        dialog = await dialog_of(DrawerReasonDialog)
        key(dialog.field, Qt.Key.Key_Return)  # no reason: refused, the dialog stays
        assert dialog.isVisible() and dialog.message.text()
        type_text(dialog.field, "change for the float", enter=True)
        await until(lambda: sale.banner.label.text() == "Drawer opened")
        await until(lambda: len(printer.jobs) == 2)
        assert decode(printer.jobs[1]).drawer_pulses == 1
    with sqlite3.connect(till.data_dir / "pos.db") as conn:
        reasons = conn.execute(
            "SELECT detail FROM audit_log WHERE event = 'drawer_opened' ORDER BY id"
        ).fetchall()
    assert [r[0] for r in reasons] == [
        '{"reason": "cash sale"}',
        '{"reason": "change for the float"}',
    ]


async def test_settings_choose_a_thermal_printer_after_a_test_page(
    open_till: TillFactory, printer: VirtualPrinter
) -> None:
    async with open_till() as till:
        till.window.open_settings()
        dialog = await dialog_of(SettingsDialog)
        assert not dialog.test_page.isEnabled()  # a PDF printer has no test page
        dialog.printer.setCurrentIndex(dialog.printer.findData("escpos"))
        assert dialog.test_page.isEnabled()
        dialog.printer_target.setText("tcp://")
        dialog.test_page.click()
        await until(lambda: "Not printed" in dialog.test_result.text())
        assert "tcp://HOST" in dialog.test_result.text()
        dialog._save()
        assert dialog.isVisible() and "Thermal printer:" in dialog.message.text()

        # The connection as typed, not yet saved, gets the test page.
        dialog.printer_target.setText(printer.target)
        dialog.printer_profile.setCurrentIndex(dialog.printer_profile.findData("58mm-32"))
        dialog.test_page.click()
        await until(lambda: dialog.test_result.text() == "Test page printed")
        test_page = decode(printer.jobs[0])
        assert "Printer test page" in test_page.text
        assert max(line.columns for line in test_page.lines) <= 32
        dialog._save()
        await until(lambda: not dialog.isVisible())

        # The next sale prints on it, without a restart.
        await till.scan(CHIPS)
        await pay_cash(till)
        await until(lambda: "Sale A1-000001 recorded." in till.window.sale.banner.label.text())
        await until(lambda: len(printer.jobs) == 2)
        assert decode(printer.jobs[1]).barcodes == [(73, b"{BA1-000001")]
