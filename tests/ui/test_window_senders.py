"""Issue 14 items 1 and 2 as the cashier sees them: the window and a `pos-app sync` process
on the same data folder never both send (the status bar says who does, and the window takes
over when that process is killed); a paused queue resumed at start says so."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys

from tests.cli.run import REPO
from tests.cli.test_till_cli import sell, till
from tests.fixtures.carts import FORMAT_EXAMPLE
from tests.services.till import paid_cart
from tests.ui.conftest import TillFactory, until


def _cli(data_dir, url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "pos_app", "--data-dir", str(data_dir), "--api-url", url, *args]


async def _run(argv: list[str], token: str, stdin: str | None = None) -> tuple[int, str]:
    """A real process, awaited without blocking the window's loop."""
    proc = await asyncio.create_subprocess_exec(
        *argv,
        cwd=REPO,
        env={**os.environ, "POS_API_TOKEN": token},
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate(stdin.encode() if stdin is not None else None)
    assert proc.returncode is not None
    return proc.returncode, err.decode()


async def test_sync_once_beside_the_window_sends_nothing(open_till: TillFactory) -> None:
    async with open_till() as t:
        sales = [await t.services.checkout.finish_sale(paid_cart(i)) for i in range(5)]
        code, err = await _run(
            _cli(t.data_dir, t.sandbox.url, "sync", "--once"), t.sandbox.token or ""
        )
        assert code == 5, err
        assert err.strip() == (
            f"another pos-app is sending this folder's receipts (pid {os.getpid()}): nothing done"
        )
        await until(lambda: t.window.status.pending.text() == "0 to send", 30, "all sent")
    on_server = [r.receipt_id for r in t.sandbox.state.store.all_receipts()]
    assert sorted(on_server) == sorted(s.receipt.receipt_id for s in sales)
    assert t.sandbox.counters["duplicates"] == 0


async def test_a_sale_made_by_the_command_line_beside_the_window_is_sent_by_it(
    open_till: TillFactory,
) -> None:
    async with open_till() as t:
        await until(lambda: t.window.status.pending.text() == "0 to send", what="idle")
        code, err = await _run(
            _cli(t.data_dir, t.sandbox.url, "sale", "-", "--no-print"),
            t.sandbox.token or "",
            stdin=json.dumps(FORMAT_EXAMPLE),
        )
        assert code == 0, err
        # The window's worker hears of it at once, not at its next idle check (a minute).
        await until(lambda: t.sandbox.state.store.receipt_count() == 1, what="the sale sent")
        await until(lambda: t.window.status.pending.text() == "0 to send", what="none left")


async def test_the_window_waits_for_a_running_sync_then_takes_over(
    open_till: TillFactory, tmp_path, sandbox
) -> None:
    data_dir = tmp_path / "till"
    holder = await asyncio.create_subprocess_exec(
        *_cli(data_dir, sandbox.url, "sync"),
        cwd=REPO,
        env={**os.environ, "POS_API_TOKEN": sandbox.token or ""},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    lock = data_dir / "outbox.lock"
    try:
        await until(lambda: lock.exists() and lock.read_text().strip() == str(holder.pid), 30)
        async with open_till() as t:
            detail = t.window.status.detail
            await until(lambda: f"pid {holder.pid}" in detail.text(), what="who sends")
            assert detail.text() == (
                f"Another pos-app (pid {holder.pid}) is sending this till's receipts"
            )
            holder.send_signal(signal.SIGKILL)
            await holder.wait()
            await until(lambda: detail.text() == "", 30, "the window owns the queue")
            await t.services.checkout.finish_sale(paid_cart(1))
            await until(lambda: t.window.status.pending.text() == "0 to send", 30, "sent")
    finally:
        if holder.returncode is None:
            holder.send_signal(signal.SIGKILL)
            await holder.wait()
    assert sandbox.state.store.receipt_count() == 1


async def test_a_paused_queue_resumed_at_start_says_so(open_till: TillFactory, tmp_path, sandbox):
    data_dir = tmp_path / "till"
    sell(data_dir, sandbox)
    assert till(data_dir, sandbox, "sync", "--once", env_token="wrong").returncode == 3
    sandbox.set_faults(latency_ms=10_000)  # the resumed receipt is on its way a while
    async with open_till() as t:
        detail = t.window.status.detail
        await until(
            lambda: detail.text() == "Sync resumed: 1 paused receipts queued again",
            what="the resume said",
        )
        sandbox.set_faults(latency_ms=0)
        await until(lambda: t.window.status.pending.text() == "0 to send", 30, "sent")
        await until(lambda: detail.text() == "", what="nothing left to say")
        assert "Paused" not in t.window.status.mode.text()
    assert json.loads(till(data_dir, sandbox, "queue", "--json").stdout)["counts"]["done"] == 1
