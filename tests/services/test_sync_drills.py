"""Issue 3 acceptance: every receipt reaches the (real, loopback) sandbox exactly once.

The `sandbox` fixture behaves as the reference documents: it does not de-duplicate by
receiptId (a second POST is a second copy), so "exactly once" rests on the worker's look-up
before a resend (issue 9)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from dataclasses import replace

import pytest

from pos_app.services.events import Connectivity
from pos_app.services.sync import SyncOptions
from tests.services.till import FAST, paid_cart, runtime_for, until


def server_receipt_ids(sandbox) -> list[str]:
    return [r.receipt_id for r in sandbox.state.store.all_receipts()]


async def drain_all(sync, timeout: float = 120.0) -> None:
    """Drain rounds until nothing is pending, waiting out the backoffs in between."""
    deadline = time.monotonic() + timeout
    while True:
        await sync.drain()
        if sync.status.value.pending == 0:
            return
        assert time.monotonic() < deadline, f"still pending: {sync.status.value.counts}"
        await sync.wait_until_due()


async def sell_and_drain(s, count: int) -> list[str]:
    """`count` sales recorded, then every one sent; their receiptIds."""
    ids = [
        (await s.checkout.finish_sale(paid_cart(i), print_receipt=False)).receipt.receipt_id
        for i in range(count)
    ]
    await s.sync.start()
    await drain_all(s.sync)
    assert s.sync.status.value.counts["done"] == count
    return ids


async def test_offline_sales_arrive_once_when_the_api_comes_back(tmp_path, sandbox):
    runtime = runtime_for(tmp_path, sandbox.url, sandbox.token)
    async with runtime.open_services() as s:
        s.sync.configure(FAST)
        sandbox.set_down(True)
        worker = asyncio.create_task(s.sync.run_forever())
        try:
            ids = [
                (await s.checkout.finish_sale(paid_cart(i), print_receipt=False)).receipt.receipt_id
                for i in range(5)
            ]
            await until(lambda: s.sync.status.value.connectivity is Connectivity.OFFLINE)
            await until(lambda: s.sync.status.value.pending == 5)
            sandbox.set_down(False)
            # No restart, no nudge: the worker probes again by itself.
            await until(lambda: s.sync.status.value.pending == 0)
            assert s.sync.status.value.connectivity is Connectivity.ONLINE
        finally:
            worker.cancel()
    assert sorted(server_receipt_ids(sandbox)) == sorted(ids)


@pytest.mark.parametrize("batch_size", [0, 25])
async def test_lost_responses_and_errors_never_duplicate(tmp_path, sandbox, batch_size):
    sandbox.set_faults(drop_after_commit_rate=0.3, error_rate=0.2, seed=20261121)
    runtime = runtime_for(tmp_path, sandbox.url, sandbox.token)
    async with runtime.open_services() as s:
        s.sync.configure(SyncOptions(batch_size=batch_size, backoff_base_s=0.01, backoff_cap_s=0.2))
        ids = await sell_and_drain(s, 500)
        stats = s.sync.stats
    on_server = server_receipt_ids(sandbox)
    assert len(on_server) == 500
    assert len(set(on_server)) == 500
    assert set(on_server) == set(ids)
    # The faults really happened, and the look-ups are what kept the server single: every
    # lost response was found there instead of being sent again.
    assert sandbox.counters["dropped"] > 0 and sandbox.counters["duplicates_stored"] == 0
    assert stats.resends_avoided >= sandbox.counters["dropped"] > 0
    assert stats.looked_up >= stats.resends_avoided and stats.inconclusive == 0
    print(
        f"\nbatch_size={batch_size} dropped={sandbox.counters['dropped']}"
        f" looked_up={stats.looked_up} lookup_pages={stats.lookup_pages}"
        f" resends_avoided={stats.resends_avoided}"
    )


async def test_a_receipt_the_server_holds_is_not_sent_again_and_a_missing_one_is(tmp_path, sandbox):
    # The first sale is answered 500 before anything is stored; the second is stored and its
    # answer lost. Both outcomes are ambiguous to the till.
    sandbox.set_faults(fail_next=[500], drop_next=1)
    runtime = runtime_for(tmp_path, sandbox.url, sandbox.token)
    async with runtime.open_services() as s:
        s.sync.configure(FAST)
        refused = await s.checkout.finish_sale(paid_cart(1), print_receipt=False)
        lost = await s.checkout.finish_sale(paid_cart(2), print_receipt=False)
        await s.sync.start()
        await drain_all(s.sync)
        stats = s.sync.stats
    assert sorted(server_receipt_ids(sandbox)) == sorted(
        [refused.receipt.receipt_id, lost.receipt.receipt_id]
    )
    assert (stats.looked_up, stats.resends_avoided) == (2, 1)
    # The 500 came before the handler: the lost one was posted once, the refused one once more.
    assert sandbox.counters["receipt_posts"] == 2


async def test_a_duplicate_answer_from_a_deduplicating_server_is_done(tmp_path, dedupe_sandbox):
    dedupe_sandbox.set_faults(drop_after_commit_rate=0.5, seed=3)
    runtime = runtime_for(tmp_path, dedupe_sandbox.url, dedupe_sandbox.token)
    async with runtime.open_services() as s:
        s.sync.configure(FAST)
        ids = await sell_and_drain(s, 20)
    assert sorted(server_receipt_ids(dedupe_sandbox)) == sorted(ids)


@pytest.mark.parametrize("batch_size", [0, 25])
async def test_rejected_receipt_waits_in_needs_attention_and_others_drain(
    tmp_path, sandbox, batch_size
):
    # In batch mode the sandbox refuses the whole batch for the one bad receipt (nothing of it
    # stored); the worker then sends that chunk one by one, so only the bad one waits.
    runtime = runtime_for(tmp_path, sandbox.url, sandbox.token)
    async with runtime.open_services() as s:
        s.sync.configure(replace(FAST, batch_size=batch_size))
        sales = [await s.checkout.finish_sale(paid_cart(i), print_receipt=False) for i in range(3)]
        bad = sales[1]
        # A body broken on purpose (the nine totals are required), as an older version or a
        # bad import could have stored it.
        with sqlite3.connect(tmp_path / "pos.db") as conn:
            conn.execute(
                "UPDATE sales SET payload = CAST(replace(CAST(payload AS TEXT),"
                " '\"totalPayments\"', '\"totalPaymentz\"') AS BLOB) WHERE receipt_id = ?",
                (bad.receipt.receipt_id,),
            )
        await s.sync.start()
        report = await s.sync.drain()
        assert report.sent == 2 and report.needs_attention == 1
        overview = await s.queue.overview()
        [waiting] = overview.needs_attention
        assert waiting.order_number == bad.order_number
        assert "totalPayment" in (waiting.last_error or "") + " ".join(
            f"{e.field} {e.message}" for e in waiting.field_errors
        )
        # The fix: the body is rebuilt from the recorded sale, same receiptId, and sent.
        await s.queue.retry(bad.order_number)
        await drain_all(s.sync)
        assert s.sync.status.value.counts["done"] == 3
    assert sorted(server_receipt_ids(sandbox)) == sorted(x.receipt.receipt_id for x in sales)


async def test_retry_after_is_waited_out(tmp_path, sandbox):
    sandbox.set_faults(fail_next=[429], retry_after_s=2)
    runtime = runtime_for(tmp_path, sandbox.url, sandbox.token)
    async with runtime.open_services() as s:
        s.sync.configure(FAST)
        sale = await s.checkout.finish_sale(paid_cart(1), print_receipt=False)
        started = time.monotonic()
        worker = asyncio.create_task(s.sync.run_forever())
        try:
            await until(lambda: s.sync.status.value.counts.get("done") == 1)
        finally:
            worker.cancel()
        assert time.monotonic() - started >= 2.0
    assert server_receipt_ids(sandbox) == [sale.receipt.receipt_id]


async def test_second_401_pauses_the_queue_and_keeps_every_receipt(tmp_path, sandbox):
    runtime = runtime_for(tmp_path, sandbox.url, "not-the-token")
    async with runtime.open_services() as s:
        s.sync.configure(FAST)
        for i in range(3):
            await s.checkout.finish_sale(paid_cart(i), print_receipt=False)
        await s.sync.start()
        report = await s.sync.drain()
        assert report.paused
        status = s.sync.status.value
        assert status.connectivity is Connectivity.PAUSED
        assert "sign in again" in (status.last_error or "")
        assert status.counts["paused"] + status.counts["pending"] == 3
    assert server_receipt_ids(sandbox) == []


async def test_no_secret_reaches_logs_or_queue_messages(tmp_path, sandbox, caplog):
    secret_token = "tok-SECRET-1234567890abcdef"
    caplog.set_level(logging.DEBUG)
    runtime = runtime_for(tmp_path, sandbox.url, secret_token)
    async with runtime.open_services() as s:
        s.sync.configure(FAST)
        await s.checkout.finish_sale(paid_cart(1), print_receipt=False)
        sandbox.set_faults(fail_next=[500])
        await s.sync.start()
        await s.sync.drain()
        overview = await s.queue.overview()
        texts = [r.getMessage() for r in caplog.records]
        texts += [str(s.sync.status.value)]
        texts += [str(row.last_error) for row in overview.paused]
        with sqlite3.connect(tmp_path / "pos.db") as conn:
            texts += [r[0] for r in conn.execute("SELECT coalesce(last_error, '') FROM outbox")]
    assert texts
    assert not [t for t in texts if secret_token in t]
