"""Sync as the cashier sees it: the status bar offline and back online without a restart, a
refused receipt on the queue screen with the server's words, Retry and "Open as corrected
sale", the progress bar of a long backlog, and a UI that keeps running while the API is slow."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer

from pos_app.domain.cart import PaymentType
from pos_app.services.sync import SyncOptions
from pos_app.ui.payment_dialog import PaymentDialog
from tests.ui.conftest import CHIPS, COLA_SKU, Till, TillFactory, dialog_of, key, until

FAST_PROBES = SyncOptions(offline_probe_max_s=0.2, backoff_base_s=0.2)


async def _cash_sale(till: Till, code: str = CHIPS) -> str:
    """Scan, F12, Enter: returns the order number the banner announces."""
    banner = till.window.sale.banner.label
    before = banner.text()
    await till.scan(code)
    till.press(Qt.Key.Key_F12)
    dialog = await dialog_of(PaymentDialog)
    key(dialog.amount_field, Qt.Key.Key_Return)
    await until(lambda: banner.text() != before and "recorded" in banner.text(), what="a sale")
    return banner.text().split()[1]


def _sends_started(till: Till) -> int:
    """How many sends the worker has started (one audit entry per claim, written in the
    claim's own transaction, the one that reads the body)."""
    with closing(sqlite3.connect(till.data_dir / "pos.db")) as db:
        (count,) = db.execute("SELECT count(*) FROM audit_log WHERE event = 'sending'").fetchone()
    return int(count)


def _outbox_state(till: Till) -> str:
    with closing(sqlite3.connect(till.data_dir / "pos.db")) as db:
        (state,) = db.execute("SELECT state FROM outbox").fetchone()
    return str(state)


async def test_offline_drill_three_sales_then_back_online(open_till: TillFactory) -> None:
    async with open_till() as till:
        till.services.sync.configure(FAST_PROBES)
        status = till.window.status
        till.sandbox.set_down(True)
        orders = [await _cash_sale(till) for _ in range(3)]
        assert orders == ["A1-000001", "A1-000002", "A1-000003"]
        await until(lambda: "Offline" in status.mode.text(), what="Offline")
        await until(lambda: status.pending.text() == "3 to send", what="3 pending")
        assert till.sandbox.state.store.receipt_count() == 0
        # Sales go on while offline: the till never waits for the network.
        assert (till.data_dir / "receipts" / "A1-000003.pdf").is_file()

        till.sandbox.set_down(False)
        await until(lambda: status.pending.text() == "0 to send", what="the backlog sent")
        await until(lambda: "Online" in status.mode.text(), what="Online")
        assert till.sandbox.state.store.receipt_count() == 3


async def test_a_refused_receipt_shows_on_the_queue_screen(open_till: TillFactory) -> None:
    async with open_till() as till:
        till.services.sync.configure(FAST_PROBES)
        till.sandbox.set_down(True)
        order = await _cash_sale(till)
        # Break the stored body the way a bug would: the server must refuse it field by field.
        with sqlite3.connect(till.data_dir / "pos.db") as db:
            (payload,) = db.execute(
                "SELECT payload FROM sales WHERE order_number = ?", (order,)
            ).fetchone()
            body = json.loads(payload)
            del body["total"]
            db.execute(
                "UPDATE sales SET payload = ? WHERE order_number = ?",
                (json.dumps(body).encode(), order),
            )
        # A send the worker claimed before the edit carries the old, valid body: let it fail
        # while the API is still down. A claim counted after the edit reads the broken body.
        claims = _sends_started(till)
        await until(
            lambda: _sends_started(till) > claims and _outbox_state(till) == "pending",
            what="a send of the broken body, failed while the API is down",
        )
        till.sandbox.set_down(False)
        status = till.window.status
        await until(
            lambda: status.attention.isVisible() and status.attention.text() == "1 need attention",
            what="the needs-attention count",
        )

        status.attention.click()
        queue = till.window.queue
        assert till.window.stack.currentWidget() is queue
        await until(lambda: queue.table.rowCount() == 1, what="the refused receipt listed")
        assert queue.table.item(0, 0).text() == order
        assert queue.table.item(0, 1).text() == "$5.16"
        said = queue.table.item(0, 4).text()
        assert "total" in said, said  # the field the server named

        # Retry sends the body rebuilt from the recorded sale, with the same receiptId.
        queue.retry_button.click()
        await until(lambda: queue.table.rowCount() == 0, what="the queue emptied")
        await until(lambda: till.sandbox.state.store.receipt_count() == 1, what="sent after retry")
        await until(lambda: not status.attention.isVisible())


async def test_open_a_refused_receipt_as_a_corrected_sale(open_till: TillFactory) -> None:
    async with open_till() as till:
        till.sandbox.set_faults(fail_next=[400])  # the sandbox refuses the next request
        await till.scan(f"2*{COLA_SKU}")
        order = await _cash_sale(till, CHIPS)
        queue = till.window.queue
        await until(lambda: till.window.status.attention.isVisible(), what="needs attention")
        till.window.show_screen("queue")
        await until(lambda: queue.table.rowCount() == 1)
        assert "Injected fault" in queue.table.item(0, 4).text()
        queue.open_button.click()
        await until(lambda: till.window.stack.currentWidget() is till.window.sale)
        assert [i.sku for i in till.session.items] == [COLA_SKU, "CRO-NAT-235"]
        assert till.session.payments == ()  # taken again for the corrected sale
        assert order in till.window.sale.banner.label.text()


async def test_progress_bar_while_a_long_backlog_drains(open_till: TillFactory) -> None:
    async with open_till() as till:
        # Small chunks: the worker reports progress once per chunk of receipts.
        till.services.sync.configure(replace(FAST_PROBES, chunk=3))
        till.sandbox.set_down(True)
        session = till.session
        for _ in range(14):
            await session.add_by_code(CHIPS)
            session.add_payment(PaymentType.CASH, "10")
            await till.services.checkout.finish_sale(session.cart, print_receipt=False)
            session.clear()
        status = till.window.status
        await until(lambda: status.pending.text() == "14 to send")
        till.sandbox.set_faults(latency_ms=60)
        # What the bar shows after every status the worker reports (connected after the
        # status bar's own slot, so this one runs once the bar is updated).
        seen: list[int] = []
        till.window.bridge.syncStatusChanged.connect(
            lambda _status: (
                seen.append(status.progress.value()) if status.progress.isVisible() else None
            )
        )
        till.sandbox.set_down(False)
        till.services.sync.nudge()
        await until(lambda: status.pending.text() == "0 to send")
        assert seen, "the progress bar never showed"
        assert max(seen) > min(seen)
        await until(lambda: not status.progress.isVisible())


async def test_the_ui_keeps_running_while_the_api_takes_3_seconds(open_till: TillFactory) -> None:
    async with open_till() as till:
        till.sandbox.set_faults(latency_ms=3000)
        await _cash_sale(till)
        sync = till.services.sync
        await until(lambda: sync.status.value.draining, what="a sync in flight")
        ticks_while_pending = 0

        def tick() -> None:
            nonlocal ticks_while_pending
            ticks_while_pending += sync.status.value.draining

        timer = QTimer(interval=20)
        timer.timeout.connect(tick)
        timer.start()
        await till.scan(CHIPS)  # the cashier rings up the next customer meanwhile
        scanned_while_pending = sync.status.value.draining
        await until(lambda: not sync.status.value.draining, what="the request's end")
        timer.stop()
        assert scanned_while_pending, "the scan waited for the slow request"
        assert len(till.session.items) == 1
        # ~150 at 20 ms over 3 s; a loop blocked by the request would fire once, after it.
        assert ticks_while_pending >= 10, ticks_while_pending
