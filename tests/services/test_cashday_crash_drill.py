"""Crash drill: a till refunding sales and closing shifts is killed with SIGKILL at random
instants; after each kill every refund and every close is either wholly recorded or absent."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

WRITER = Path(__file__).with_name("cashday_crash_writer.py")
REPO_ROOT = Path(__file__).resolve().parents[2]
KILLS = 12


def _check(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # Every refund has its receipt row, outbox row, shift, audit entry and a real total.
        torn = conn.execute(
            "SELECT count(*) FROM corrections AS c"
            " LEFT JOIN sales AS s ON s.receipt_id = c.receipt_id"
            " LEFT JOIN outbox AS o ON o.receipt_id = c.receipt_id"
            " LEFT JOIN shift_receipts AS r ON r.receipt_id = c.receipt_id"
            " WHERE s.receipt_id IS NULL OR o.receipt_id IS NULL OR r.shift_id IS NULL"
            " OR s.cart_json = '{}'"
        ).fetchone()[0]
        assert torn == 0
        refunded = conn.execute("SELECT count(*) FROM audit_log WHERE event = 'refunded'")
        refunds = conn.execute("SELECT count(*) FROM corrections").fetchone()[0]
        assert refunded.fetchone()[0] == refunds
        # A receipt number never skips: the refund's number went with its row.
        (numbers,) = conn.execute("SELECT count(*) FROM sales").fetchone()
        (counter,) = conn.execute("SELECT coalesce(max(last_sequence), 0) FROM counters").fetchone()
        assert numbers == counter
        # Every closed shift has its Z report and its audit entry; at most one is open.
        closed = conn.execute(
            "SELECT count(*) FROM shifts WHERE closed_at IS NOT NULL AND report_json IS NOT NULL"
        ).fetchone()[0]
        audited = conn.execute(
            "SELECT count(*) FROM audit_log WHERE event = 'shift_closed'"
        ).fetchone()[0]
        assert closed == audited
        assert (
            conn.execute("SELECT count(*) FROM shifts WHERE closed_at IS NULL").fetchone()[0] <= 1
        )
        return refunds, closed


@pytest.mark.slow
def test_sigkill_during_refunds_and_shift_closes(tmp_path: Path) -> None:
    rng = random.Random(20261202)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    seen: set[str] = set()
    refunds = closed = 0
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, str(WRITER), str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO_ROOT,
        )
        assert child.stdout is not None
        ready = child.stdout.readline()
        assert ready == "ready\n", child.stderr.read() if child.stderr else ""
        time.sleep(rng.uniform(0.2, 1.5))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL
        seen.update(line for line in out.split() if line.startswith("A1-"))
        refunds, closed = _check(tmp_path / "pos.db")
        with sqlite3.connect(tmp_path / "pos.db") as conn:
            numbers = {row[0] for row in conn.execute("SELECT order_number FROM sales")}
        assert seen <= numbers  # whatever was announced as committed is there
    print(f"cashday_crash_kills={KILLS} refunds={refunds} shifts_closed={closed}")
    assert refunds > KILLS and closed > 0
