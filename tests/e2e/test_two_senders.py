"""Issue 14 item 1: one sender owns a data folder's outbox at a time, across processes.

Two real `pos-app sync` processes and a `sync --once` on the same folder: the second waits,
the one-shot says another is running and exits 5, and kill -9 of the lock holder hands the
queue to the waiting one. The server ends with every sale once (after the kill, the receipts
the holder had sent but not yet recorded go again and are answered as duplicates, by design)."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.test_sync_crash_drill import _cli as _drill_cli
from tests.e2e.test_sync_crash_drill import _env, _record_sales

pytestmark = [pytest.mark.e2e]

SALES = 10


def _cli(data_dir: Path, url: str, *args: str) -> list[str]:
    return _drill_cli(data_dir, url, "", *args)


def _sync_once(data_dir: Path, url: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _cli(data_dir, url, "sync", "--once"), env=env, capture_output=True, text=True, timeout=60
    )


def _states(data_dir: Path) -> dict[str, int]:
    with sqlite3.connect(data_dir / "pos.db") as conn:
        return dict(conn.execute("SELECT state, count(*) FROM outbox GROUP BY state"))


def _lock_holder(data_dir: Path) -> str:
    try:
        return (data_dir / "outbox.lock").read_text().strip()
    except OSError:
        return ""


def _wait_for(predicate, what: str, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not reached in {timeout} s")
        time.sleep(0.05)


def test_second_sender_waits_and_kill_9_hands_the_queue_over(tmp_path, sandbox):
    asyncio.run(_record_sales(tmp_path, sandbox.url, sandbox.token, SALES))
    sandbox.set_faults(latency_ms=400)  # slow answers: the first sender is mid-queue a while
    env = _env(sandbox.token)
    first = subprocess.Popen(
        _cli(tmp_path, sandbox.url, "sync"), env=env, stderr=subprocess.PIPE, text=True
    )
    second = None
    try:
        _wait_for(lambda: _lock_holder(tmp_path) == str(first.pid), "first sender holds the lock")
        _wait_for(lambda: sandbox.counters["created"] >= 2, "first sender is sending")
        second = subprocess.Popen(
            _cli(tmp_path, sandbox.url, "sync"), env=env, stderr=subprocess.PIPE, text=True
        )
        once = _sync_once(tmp_path, sandbox.url, env)
        assert once.returncode == 5, once.stderr
        assert once.stderr.strip() == (
            f"another pos-app is sending this folder's receipts (pid {first.pid}): nothing done"
        )
        assert second.poll() is None  # waiting, not failed
        # While the holder lives, nobody else posted anything: no receipt went twice.
        assert sandbox.counters["duplicates"] == 0

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        _wait_for(lambda: _lock_holder(tmp_path) == str(second.pid), "second sender took over")
        sandbox.set_faults(latency_ms=0)
        _wait_for(lambda: _states(tmp_path) == {"done": SALES}, "every sale sent")
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=10)
    assert "Traceback" not in (second.stderr.read() if second and second.stderr else "")
    on_server = [r.receipt_id for r in sandbox.state.store.all_receipts()]
    assert len(on_server) == len(set(on_server)) == SALES


def test_sync_once_after_the_holder_was_killed_sends_the_rest(tmp_path, sandbox):
    asyncio.run(_record_sales(tmp_path, sandbox.url, sandbox.token, SALES))
    sandbox.set_faults(latency_ms=400)
    env = _env(sandbox.token)
    holder = subprocess.Popen(
        _cli(tmp_path, sandbox.url, "sync"), env=env, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for(lambda: sandbox.counters["created"] >= 1, "the holder is sending")
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    sandbox.set_faults(latency_ms=0)
    once = _sync_once(tmp_path, sandbox.url, env)
    assert once.returncode == 0, once.stderr
    assert _states(tmp_path) == {"done": SALES}
    on_server = [r.receipt_id for r in sandbox.state.store.all_receipts()]
    assert len(on_server) == len(set(on_server)) == SALES
