"""Sales on a house account through the whole till (Bootstrap, SQLite on disk, the sandbox's
Smartbills and Invoiced sides on loopback): refused with the reason and nothing recorded, or
recorded with the account on the receipt and an external Invoiced tender in the request; and
the offline drill on the till's copy of the figures."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from pos_app.bootstrap import Bootstrap
from pos_app.domain.cart import Cart, Item, Payment, PaymentType
from pos_app.domain.receipt import SaleError
from pos_app.domain.totals import compute_totals
from pos_app.sandbox import SandboxServer
from pos_app.sandbox.invoiced_app import seed_demo
from pos_app.services.runtime import AppServices, RuntimeOptions
from tests.fixtures.sandbox import SANDBOX_TOKEN
from tests.fixtures.shift import open_shift


def on_account(number: str, price: str) -> Cart:
    """One zero-rated item at `price`, all of it put on account `number`."""
    cart = Cart(currency="CAD", items=(Item("Caisse de bière", Decimal(price), Decimal(1)),))
    total = compute_totals(cart).total
    return cart.with_payments((Payment(PaymentType.ACCOUNT, total, account=number),))


def till(data_dir: Path, sandbox: SandboxServer) -> Bootstrap:
    open_shift(data_dir)  # a sale needs an open shift
    return Bootstrap(
        RuntimeOptions(
            data_dir=data_dir,
            api_url=sandbox.url,
            api_token=SANDBOX_TOKEN,
            invoiced_url=sandbox.invoiced_url,
            invoiced_key=sandbox.invoiced.api_key,
        )
    )


@pytest.fixture
async def services(tmp_path: Path, sandbox: SandboxServer) -> AsyncIterator[AppServices]:
    seed_demo(sandbox.invoiced.store)
    async with till(tmp_path, sandbox).open_services() as opened:
        await opened.accounts.list_accounts()
        yield opened


async def test_a_held_account_is_refused_with_the_reason_and_nothing_is_recorded(services):
    with pytest.raises(SaleError) as refused:
        await services.checkout.finish_sale(on_account("CUST-0003", "10.00"), print_receipt=False)
    assert refused.value.problems == ["account CUST-0003: account CUST-0003 is on credit hold"]
    assert await services.history.recent() == []


async def test_a_good_account_takes_the_sale_and_the_request_names_invoiced(services):
    sale = await services.checkout.finish_sale(
        on_account("CUST-0001", "40.00"), print_receipt=False
    )
    payment = sale.receipt.cart.payments[0]
    assert (payment.account, payment.reference) == ("CUST-0001", "Restaurant Chez Louis")
    row = await services.history.get(sale.order_number)
    assert row is not None
    sent = json.loads(row.payload)["payments"][0]
    assert sent["external"] == {"source": "invoiced", "sourceId": "CUST-0001", "type": "OTHER"}
    # What this till put on it since the balance was read now counts against the limit.
    view = await services.accounts.show("CUST-0001")
    assert view.unsent == Decimal(0)  # read again just now: the sale is before that reading
    assert view.cached.outstanding == Decimal("450.00")


async def test_offline_drill_within_the_cached_limit_taken_over_it_refused(
    tmp_path: Path, sandbox: SandboxServer
):
    seed_demo(sandbox.invoiced.store)
    runtime = till(tmp_path, sandbox)
    async with runtime.open_services() as services:
        await services.accounts.list_accounts()
        await services.accounts.show("CUST-0002")  # 480.00 of 500.00, read while online
        sandbox.set_down(True)
        taken = await services.checkout.finish_sale(
            on_account("CUST-0002", "15.00"), print_receipt=False
        )
        assert taken.receipt.cart.payments[0].account == "CUST-0002"
        with pytest.raises(SaleError) as over:
            await services.checkout.finish_sale(
                on_account("CUST-0002", "5.01"), print_receipt=False
            )
        reason = over.value.problems[0]
        assert "15.00 not yet on it" in reason and "till's copy read" in reason
    runtime.save_settings(runtime.settings().with_changes(accounts_offline=False))
    async with runtime.open_services() as services:
        with pytest.raises(SaleError, match="on-account sales offline are off"):
            await services.checkout.finish_sale(
                on_account("CUST-0002", "1.00"), print_receipt=False
            )
        assert len(await services.history.recent()) == 1
