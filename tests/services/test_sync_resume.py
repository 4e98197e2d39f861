"""Issue 14 item 2: a paused queue is sent again once credentials work: a new token at the
next start (Settings or environment), a token the API issues, or `queue retry`."""

from __future__ import annotations

import asyncio
import json

from pos_app.bootstrap import Bootstrap
from pos_app.services.events import Connectivity
from pos_app.services.runtime import RuntimeOptions
from pos_app.services.settings import Secrets
from tests.cli.test_till_cli import sell, till
from tests.fixtures.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from tests.fixtures.shift import open_shift
from tests.services.till import FAST, paid_cart, until


def _pause_with_a_wrong_token(tmp_path, sandbox) -> str:
    order = sell(tmp_path, sandbox)["orderNumber"]
    wrong = till(tmp_path, sandbox, "sync", "--once", env_token="not-the-token")
    assert wrong.returncode == 3, wrong.stderr
    assert json.loads(till(tmp_path, sandbox, "queue", "--json").stdout)["counts"]["paused"] == 1
    return order


def test_a_fixed_token_sends_the_paused_receipt_at_the_next_sync(tmp_path, sandbox):
    _pause_with_a_wrong_token(tmp_path, sandbox)
    fixed = till(tmp_path, sandbox, "sync", "--once")
    assert fixed.returncode == 0, fixed.stderr
    assert len(sandbox.state.store.all_receipts()) == 1
    counts = json.loads(till(tmp_path, sandbox, "queue", "--json").stdout)["counts"]
    assert counts["done"] == 1 and counts["paused"] == 0


def test_queue_retry_resumes_a_paused_queue(tmp_path, sandbox):
    order = _pause_with_a_wrong_token(tmp_path, sandbox)
    retried = till(tmp_path, sandbox, "queue", "retry", order)
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout.strip() == f"{order} queued again"
    counts = json.loads(till(tmp_path, sandbox, "queue", "--json").stdout)["counts"]
    assert counts["pending"] == 1 and counts["paused"] == 0


async def test_a_token_the_api_issues_ends_the_pause(tmp_path, sandbox):
    open_shift(tmp_path)  # a sale needs an open shift
    runtime = Bootstrap(RuntimeOptions(data_dir=tmp_path, api_url=sandbox.url))
    runtime.save_settings(
        runtime.settings().with_changes(
            client_id=SANDBOX_CLIENT_ID, token_url=f"{sandbox.url}/connect/token"
        ),
        Secrets(api_token=None, client_secret=SANDBOX_CLIENT_SECRET),
    )
    async with runtime.open_services() as s:
        s.sync.configure(FAST)
        # The API refuses the receipt twice, fresh token included: an owner must act.
        sandbox.set_faults(fail_next=[401, 401])
        worker = asyncio.create_task(s.sync.run_forever())
        try:
            await s.checkout.finish_sale(paid_cart(1), print_receipt=False)
            await until(lambda: s.sync.status.value.paused == 1)
            assert s.sync.status.value.connectivity is Connectivity.PAUSED
            # Later the tokens are revoked and the customers screen needs one: the API issues
            # a new token, so the credentials work again and the queue goes.
            sandbox.revoke_tokens()
            await s.customers.list_customers()
            await until(lambda: s.sync.status.value.counts.get("done") == 1)
            assert s.sync.status.value.connectivity is not Connectivity.PAUSED
        finally:
            worker.cancel()
    assert len(sandbox.state.store.all_receipts()) == 1
