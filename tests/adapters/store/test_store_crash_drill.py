"""Crash drill: a process recording sales is killed with SIGKILL at random instants, again
and again, and after each kill the file must hold complete sales only."""

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

from pos_app.adapters.store import OutboxState
from tests.adapters.store.store import Store

WRITER = Path(__file__).with_name("crash_writer.py")
REPO_ROOT = Path(__file__).resolve().parents[3]
KILLS = 25


def _check(conn: sqlite3.Connection) -> tuple[list[int], int, int, int, str]:
    numbers = [row[0] for row in conn.execute("SELECT order_number FROM sales")]
    sequences = sorted(int(n.removeprefix("A1-")) for n in numbers)
    counter = conn.execute("SELECT coalesce(max(last_sequence), 0) FROM counters").fetchone()[0]
    # Sales without exactly one outbox row (receipt_id is the outbox's primary key, so
    # "more than one" cannot exist; "none" is what a torn transaction would leave).
    orphans = conn.execute(
        "SELECT count(*) FROM sales AS s LEFT JOIN outbox AS o USING (receipt_id)"
        " WHERE o.receipt_id IS NULL"
    ).fetchone()[0]
    finished = conn.execute(
        "SELECT count(*) FROM audit_log WHERE event = 'sale_finished'"
    ).fetchone()[0]
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    return sequences, counter, orphans, finished, integrity


@pytest.mark.slow
async def test_sigkill_at_random_instants(db_path: Path) -> None:
    rng = random.Random(20250121)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    seen: set[str] = set()
    total_sales = 0
    for kill in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, str(WRITER), str(db_path), str(kill)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        ready = child.stdout.readline()
        assert ready == "ready\n", child.stderr.read() if child.stderr else ""
        time.sleep(rng.uniform(0.0, 0.08))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL
        seen.update(out.split())

        with Store.open(db_path) as store:
            sequences, counter, orphans, finished, integrity = store.db.run_sync(_check)
            assert integrity == "ok"
            assert sequences == list(range(1, len(sequences) + 1)), "a gap or a repeat"
            assert counter == len(sequences), "the counter moved without a sale"
            assert orphans == 0
            assert finished == len(sequences)
            # Every number the writer announced was committed, and is still there.
            assert seen <= {f"A1-{n:06d}" for n in sequences}
            await store.outbox.recover_sending()
            assert (await store.outbox.counts())[OutboxState.SENDING] == 0
            total_sales = len(sequences)
    print(f"crash_drill_kills={KILLS} crash_drill_sales={total_sales}")
    assert total_sales > KILLS  # the kills did land while sales were being written
