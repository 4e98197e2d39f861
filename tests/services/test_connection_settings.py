"""Connection settings apply without a restart: saving a new API URL and token while the
services are open points the sync worker (and the customers and locations services) at the
new API at once; the receipts queued meanwhile arrive there, once."""

from __future__ import annotations

import asyncio

from pos_app.bootstrap import Bootstrap
from pos_app.sandbox.invoiced_app import seed_demo
from pos_app.services.events import Connectivity
from pos_app.services.runtime import RuntimeOptions
from pos_app.services.settings import Secrets
from tests.fixtures.shift import open_shift
from tests.services.till import FAST, paid_cart, runtime_for, until


async def test_a_new_api_url_and_token_apply_to_open_services(tmp_path, sandbox):
    # Set up against an address where nothing answers, as a till before its owner's setup
    # (in settings.json, not given on the command line, which would take precedence).
    open_shift(tmp_path)  # a sale needs an open shift
    runtime = Bootstrap(RuntimeOptions(data_dir=tmp_path))
    runtime.save_settings(
        runtime.settings().with_changes(api_url="http://127.0.0.1:9"),
        Secrets(api_token="not-the-token"),
    )
    async with runtime.open_services() as s:
        s.sync.configure(FAST)
        worker = asyncio.create_task(s.sync.run_forever())
        try:
            sale = await s.checkout.finish_sale(paid_cart(1), print_receipt=False)
            await until(lambda: s.sync.status.value.connectivity is Connectivity.OFFLINE)
            assert sandbox.state.store.receipt_count() == 0

            runtime.save_settings(
                runtime.settings().with_changes(api_url=sandbox.url),
                Secrets(api_token=sandbox.token),
            )
            # No restart: the queued receipt goes to the new API with the new token.
            await until(lambda: s.sync.status.value.pending == 0)
            assert s.sync.status.value.connectivity is Connectivity.ONLINE
            listing = await s.customers.list_customers()
            assert not listing.from_cache  # the customers service reaches it too
        finally:
            worker.cancel()
    [on_server] = sandbox.state.store.all_receipts()
    assert on_server.receipt_id == sale.receipt.receipt_id


async def test_other_settings_keep_the_connection(tmp_path, sandbox):
    runtime = runtime_for(tmp_path, sandbox.url, sandbox.token)
    async with runtime.open_services():
        live = runtime._open
        assert live is not None and live.client is not None
        before = live.client.current
        runtime.save_settings(runtime.settings().with_changes(register_prefix="B2"))
        assert live.client.current is before


async def test_house_accounts_turn_on_without_a_restart(tmp_path, sandbox):
    seed_demo(sandbox.invoiced.store)
    runtime = runtime_for(tmp_path, sandbox.url, sandbox.token)
    async with runtime.open_services() as s:
        assert not s.accounts.configured
        runtime.save_settings(
            runtime.settings().with_changes(invoiced_url=sandbox.invoiced_url),
            Secrets(api_token=sandbox.token, invoiced_key=sandbox.invoiced.api_key),
        )
        assert s.accounts.configured
        assert await s.accounts.refresh() > 0  # read from Invoiced, with the new key
