"""The headless till: `pos-app sale`, `queue`, `queue retry` and `sync --once` against a
sandbox on loopback, with their exit codes (0 all sent, 2 bad input, 3 needs attention,
4 unreachable)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.run import pos_app
from tests.fixtures.carts import FORMAT_EXAMPLE
from tests.fixtures.shift import open_shift


def till(
    tmp_path: Path, sandbox, *args: str, stdin: str | None = None, env_token: str | None = None
):
    open_shift(tmp_path)  # a sale needs an open shift
    token = env_token or sandbox.token
    return pos_app(
        tmp_path, "--api-url", sandbox.url, *args, stdin=stdin, env={"POS_API_TOKEN": token}
    )


def sell(tmp_path: Path, sandbox) -> dict[str, str]:
    result = till(tmp_path, sandbox, "sale", "-", stdin=json.dumps(FORMAT_EXAMPLE))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sale_then_sync_once_sends_it(tmp_path, sandbox):
    sale = sell(tmp_path, sandbox)
    assert sale["orderNumber"] == "A1-000001"
    assert (tmp_path / "receipts" / "A1-000001.pdf").is_file()
    counts = json.loads(till(tmp_path, sandbox, "queue", "--json").stdout)["counts"]
    assert counts["pending"] == 1
    synced = till(tmp_path, sandbox, "sync", "--once")
    assert synced.returncode == 0, synced.stderr
    assert [r.receipt_id for r in sandbox.state.store.all_receipts()] == [sale["receiptId"]]
    assert json.loads(till(tmp_path, sandbox, "queue", "--json").stdout)["counts"]["done"] == 1


def test_a_bad_or_unpaid_cart_writes_nothing(tmp_path, sandbox):
    unpaid = {**FORMAT_EXAMPLE, "payments": []}
    result = till(tmp_path, sandbox, "sale", "-", stdin=json.dumps(unpaid))
    assert result.returncode == 2
    assert "balance due: 4.62 CAD" in result.stderr
    bad = {**FORMAT_EXAMPLE, "currency": "ZZZ"}
    assert till(tmp_path, sandbox, "sale", "-", stdin=json.dumps(bad)).returncode == 2
    counts = json.loads(till(tmp_path, sandbox, "queue", "--json").stdout)["counts"]
    assert sum(counts.values()) == 0
    # The next good sale takes number 1: nothing was used up by the refusals.
    assert sell(tmp_path, sandbox)["orderNumber"] == "A1-000001"


def test_sync_once_says_unreachable_with_exit_4(tmp_path, sandbox):
    sell(tmp_path, sandbox)
    sandbox.set_down(True)
    result = till(tmp_path, sandbox, "sync", "--once")
    assert result.returncode == 4
    assert "unreachable" in result.stderr
    sandbox.set_down(False)
    assert till(tmp_path, sandbox, "sync", "--once").returncode == 0


def test_rejected_receipt_is_listed_with_the_server_message_and_retried(tmp_path, sandbox):
    first, broken, third = (sell(tmp_path, sandbox) for _ in range(3))
    with sqlite3.connect(tmp_path / "pos.db") as conn:
        conn.execute(
            "UPDATE sales SET payload = CAST(replace(CAST(payload AS TEXT), '\"subTotal\"',"
            " '\"subTotals\"') AS BLOB) WHERE receipt_id = ?",
            (broken["receiptId"],),
        )
    result = till(tmp_path, sandbox, "sync", "--once")
    assert result.returncode == 3
    assert "1 receipt(s) need attention" in result.stderr

    listing = till(tmp_path, sandbox, "queue")
    assert listing.returncode == 0
    assert f"needs attention: {broken['orderNumber']}  4.62 CAD" in listing.stdout
    assert "subTotal" in listing.stdout  # the server's own words, naming the field
    doc = json.loads(till(tmp_path, sandbox, "queue", "--json").stdout)
    assert doc["counts"]["done"] == 2 and doc["counts"]["needs_attention"] == 1
    [waiting] = doc["needsAttention"]
    assert waiting["orderNumber"] == broken["orderNumber"]
    assert waiting["message"]

    retried = till(tmp_path, sandbox, "queue", "retry", broken["orderNumber"])
    assert retried.returncode == 0, retried.stderr
    assert till(tmp_path, sandbox, "sync", "--once").returncode == 0
    on_server = sorted(r.receipt_id for r in sandbox.state.store.all_receipts())
    assert on_server == sorted(s["receiptId"] for s in (first, broken, third))


def test_retry_of_a_receipt_that_is_not_waiting_is_refused(tmp_path, sandbox):
    sell(tmp_path, sandbox)
    result = till(tmp_path, sandbox, "queue", "retry", "A1-000001")
    assert result.returncode == 2
    assert "not waiting for attention" in result.stderr
    assert till(tmp_path, sandbox, "queue", "retry", "A1-999999").returncode == 2
