"""Issue 3 acceptance: `pos-app sync` killed with SIGKILL at random moments, restarted each
time, ends with the server holding exactly the sales recorded locally (no loss, no double).

The sandbox keeps duplicates, as the reference documents (issue 9): a receipt in flight at a
kill is looked up on the server by the next run before it is sent again."""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.services.till import paid_cart, runtime_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

KILLS = 30
SALES = 300


def _cli(data_dir: Path, url: str, token: str, *args: str) -> list[str]:
    return [
        *(sys.executable, "-m", "pos_app", "-v", "--data-dir", str(data_dir), "--api-url", url),
        *args,
    ]


_LOOKED_UP = re.compile(r"looked up (\d+) receipt\(s\) on the server: (\d+) already there")


def _look_ups(log: str) -> tuple[int, int]:
    """(receipts looked up, resends avoided) in the worker's log lines, which reach the file
    as they are written, so a killed run's count is there too."""
    found = [tuple(map(int, m.groups())) for m in _LOOKED_UP.finditer(log)]
    return sum(n for n, _ in found), sum(k for _, k in found)


def _env(token: str) -> dict[str, str]:
    # The token travels in the environment, as a kiosk would pass it (never on argv).
    return {**os.environ, "POS_API_TOKEN": token}


async def _record_sales(data_dir: Path, url: str, token: str, count: int = SALES) -> None:
    async with runtime_for(data_dir, url, token).open_services(connect=False) as s:
        for i in range(count):
            await s.checkout.finish_sale(paid_cart(i), print_receipt=False)


def test_sigkilled_sync_never_loses_or_doubles_a_receipt(tmp_path, sandbox):
    # Slow enough answers and lost responses, so kills land mid-request and mid-commit.
    sandbox.set_faults(latency_ms=15, drop_after_commit_rate=0.1, seed=7)
    asyncio.run(_record_sales(tmp_path, sandbox.url, sandbox.token))
    rng = random.Random(20261121)
    kills = 0
    log_path = tmp_path / "sync.log"
    for _ in range(KILLS):
        with log_path.open("ab") as log:
            proc = subprocess.Popen(
                _cli(tmp_path, sandbox.url, sandbox.token, "sync"),
                env=_env(sandbox.token),
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        time.sleep(rng.uniform(0.4, 1.2))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=10)
    assert kills >= KILLS
    sandbox.set_faults(latency_ms=0, drop_after_commit_rate=0)
    done = subprocess.run(
        _cli(tmp_path, sandbox.url, sandbox.token, "sync", "--once"),
        env=_env(sandbox.token),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr

    with sqlite3.connect(tmp_path / "pos.db") as conn:
        local = [r[0] for r in conn.execute("SELECT receipt_id FROM sales")]
        states = dict(conn.execute("SELECT state, count(*) FROM outbox GROUP BY state"))
    on_server = [r.receipt_id for r in sandbox.state.store.all_receipts()]
    assert len(local) == SALES
    assert states == {"done": SALES}
    assert len(on_server) == len(set(on_server)) == SALES
    assert set(on_server) == set(local)
    assert sandbox.counters["duplicates_stored"] == 0
    looked_up, avoided = _look_ups(log_path.read_text("utf-8") + done.stderr)
    # Every receipt whose answer was lost (or that a kill caught in flight) was looked up by a
    # later run and found there instead of being sent again. (How many runs got as far as
    # sending before their kill depends on the machine's speed, hence the condition.)
    if sandbox.counters["dropped"]:
        assert avoided >= 1 and looked_up >= avoided
    print(
        f"\nkills={kills} looked_up={looked_up} resends_avoided={avoided}"
        f" list_requests={sandbox.counters['list_requests']}"
        f" receipt_posts={sandbox.counters['receipt_posts']}"
    )
