"""Issue 14 item 10: a sale recorded by another process wakes a running `pos-app sync` at
once (it hears of the commit through the database's data version), not at its next minute."""

from __future__ import annotations

import json
import signal
import subprocess

import pytest

from tests.cli.test_till_cli import till
from tests.e2e.test_two_senders import _cli, _env, _wait_for
from tests.fixtures.carts import FORMAT_EXAMPLE

pytestmark = [pytest.mark.e2e]

# Far below the worker's idle recheck (60 s): only a wake-up gets the sale there in time.
WITHIN_S = 20.0


def _sell(tmp_path, sandbox) -> str:
    sold = till(tmp_path, sandbox, "sale", "-", "--no-print", stdin=json.dumps(FORMAT_EXAMPLE))
    assert sold.returncode == 0, sold.stderr
    return str(json.loads(sold.stdout)["receiptId"])


def _on_server(sandbox) -> list[str]:
    return [r.receipt_id for r in sandbox.state.store.all_receipts()]


def test_a_sale_made_elsewhere_wakes_the_running_sync(tmp_path, sandbox):
    first = _sell(tmp_path, sandbox)
    running = subprocess.Popen(
        _cli(tmp_path, sandbox.url, "sync"), env=_env(sandbox.token), stderr=subprocess.DEVNULL
    )
    try:
        # Once the first sale is sent the worker has nothing left: it waits, idle.
        _wait_for(lambda: _on_server(sandbox) == [first], "the first sale sent")
        second = _sell(tmp_path, sandbox)
        _wait_for(
            lambda: _on_server(sandbox) == [first, second],
            "the second sale sent by the running sync",
            timeout=WITHIN_S,
        )
    finally:
        running.send_signal(signal.SIGTERM)
        running.wait(timeout=10)
