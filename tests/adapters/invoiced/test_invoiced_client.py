"""The Invoiced client against the sandbox's Invoiced side, over real loopback sockets."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from pos_app.adapters.invoiced import InvoicedClient, InvoicedConfig
from pos_app.domain.accounts import Account, account_changes
from pos_app.domain.remote import (
    RemoteAuthError,
    RemoteNotFound,
    RemoteRateLimited,
    RemoteRejected,
    RemoteUnavailable,
)
from pos_app.sandbox import SandboxServer
from pos_app.sandbox.faults import FaultUpdate

KEY = "sk_test_Zq8v1f3kT9mWcB2xY7nR4pLd"


@pytest.fixture
def invoiced_sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    server = SandboxServer(db_path=tmp_path / "sandbox.sqlite", seed=7, invoiced_key=KEY)
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def _no_sleep(seconds: float) -> None:
    return None


def _client(server: SandboxServer, key: str = KEY) -> InvoicedClient:
    return InvoicedClient(InvoicedConfig(server.invoiced_url, key), sleep=_no_sleep)


def _seed(server: SandboxServer, count: int) -> None:
    server.invoiced.store.create_many(
        (
            {"name": f"Business {i:03d}", "number": f"B-{i:03d}", "email": f"b{i}@example.com"},
            Decimal(0),
        )
        for i in range(count)
    )


async def test_250_accounts_come_in_3_pages_following_link(invoiced_sandbox):
    _seed(invoiced_sandbox, 250)
    async with _client(invoiced_sandbox) as client:
        pages = [page async for page in client.iter_customers()]
    assert [len(p.accounts) for p in pages] == [100, 100, 50]
    assert {p.total_count for p in pages} == {250}
    numbers = [a.number for p in pages for a in p.accounts]
    assert len(set(numbers)) == 250
    assert pages[-1].next_url is None


async def test_basic_auth_carries_the_key_as_user_name_with_an_empty_password(invoiced_sandbox):
    seen: list[str] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request.headers["authorization"])

    async with _client(invoiced_sandbox) as client:
        client._http.event_hooks["request"].append(record)
        await client.create_customer({"name": "Acme", "number": "ACME-1"})
    assert seen == ["Basic " + base64.b64encode(f"{KEY}:".encode()).decode()]
    async with _client(invoiced_sandbox, key="sk_wrong_key_0000000000000") as client:
        with pytest.raises(RemoteAuthError, match="Invalid API key"):
            await client.find_by_number("ACME-1")


async def test_patch_sends_only_what_changed(invoiced_sandbox):
    async with _client(invoiced_sandbox) as client:
        created = await client.create_account(
            Account(number="CH-1", name="Chez Louis", email="a@chezlouis.example")
        )
        assert created.invoiced_id is not None
        edited = Account(
            **{**_fields(created), "phone": "514 555-0101", "credit_limit": Decimal("750.50")}
        )
        updated = await client.update_customer(
            created.invoiced_id, account_changes(created, edited)
        )
    assert invoiced_sandbox.invoiced.last_patch == {
        "phone": "514 555-0101",
        "credit_limit": Decimal("750.50"),
    }
    assert updated.credit_limit == Decimal("750.50")
    assert updated.email == "a@chezlouis.example"


def _fields(account: Account) -> dict[str, object]:
    return {name: getattr(account, name) for name in account.__slots__}  # type: ignore[attr-defined]


async def test_each_error_shape_is_shown_with_invoiceds_message(invoiced_sandbox):
    async with _client(invoiced_sandbox) as client:
        with pytest.raises(RemoteRejected) as missing:
            await client.create_customer({"email": "x@example.com"})
        assert missing.value.message == "Invoiced: Name missing (name)"
        assert missing.value.field_errors[0].field == "name"
        await client.create_customer({"name": "One", "number": "N-1"})
        with pytest.raises(RemoteRejected, match="already been taken"):
            await client.create_customer({"name": "Two", "number": "N-1"})
        with pytest.raises(RemoteNotFound, match="Customer was not found: 999"):
            await client.get_customer(999)
        with pytest.raises(RemoteRejected, match=r"Cannot filter on autopay \(filter\)"):
            await client.list_customers(filters={"autopay": True})
        _fail_next(invoiced_sandbox, [429, 429, 429, 429])
        with pytest.raises(RemoteRateLimited, match="Injected fault"):
            await client.find_by_number("N-1")
        _fail_next(invoiced_sandbox, [503, 503, 503, 503])
        with pytest.raises(RemoteUnavailable, match="Injected fault") as down:
            await client.get_customer(1)
        assert down.value.maybe_delivered


def _fail_next(server: SandboxServer, statuses: list[int]) -> None:
    server.invoiced.faults.update(FaultUpdate(fail_next=statuses))


async def test_429_and_5xx_are_retried_with_backoff_for_reads(invoiced_sandbox):
    _seed(invoiced_sandbox, 3)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    config = InvoicedConfig(invoiced_sandbox.invoiced_url, KEY)
    async with InvoicedClient(config, sleep=sleep) as client:
        _fail_next(invoiced_sandbox, [429, 503, 502])
        page = await client.list_customers()
    assert len(page.accounts) == 3
    assert waits[0] == 1.0  # the sandbox's Retry-After
    assert len(waits) == 3


async def test_a_create_whose_answer_is_lost_is_found_by_number_not_made_twice(invoiced_sandbox):
    invoiced_sandbox.invoiced.faults.update(FaultUpdate(drop_next=1))
    async with _client(invoiced_sandbox) as client:
        created = await client.create_account(Account(number="POS-A1-0001", name="Dépanneur"))
    assert created.number == "POS-A1-0001"
    assert invoiced_sandbox.invoiced.counters["dropped_after_commit"] == 1
    numbers = [c.doc["number"] for c in invoiced_sandbox.invoiced.store.all()]
    assert numbers == ["POS-A1-0001"]


async def test_balance_statement_filters_sort_and_updated_after(invoiced_sandbox):
    store = invoiced_sandbox.invoiced.store
    stored = store.create(
        {"name": "Zed", "number": "Z-1", "email": "z@example.com"}, Decimal("12.34")
    )
    store.create({"name": "Alpha", "number": "A-1"}, Decimal(0))
    async with _client(invoiced_sandbox) as client:
        balance = await client.get_balance(stored.id)
        assert balance.total_outstanding == Decimal("12.34")
        assert await client.send_statement(stored.id) == 1
        names = [a.name for a in (await client.list_customers(sort="name asc")).accounts]
        assert names == ["Alpha", "Zed"]
        found = await client.find_by_number("Z-1")
        assert found is not None and found.invoiced_id == stored.id
        later = await client.list_customers(updated_after=stored.doc["updated_at"] + 1)
        assert later.accounts == ()
        await client.delete_customer(stored.id)
        assert await client.find_by_number("Z-1") is None
    assert store.email_count(stored.id) == 1


async def test_the_key_reaches_no_log_line_and_no_error(invoiced_sandbox, caplog):
    encoded = base64.b64encode(f"{KEY}:".encode()).decode()
    async with _client(invoiced_sandbox) as client:
        # A server message that repeats the key (here, a filter named after it) is scrubbed.
        with pytest.raises(RemoteRejected) as echoed:
            await client.list_customers(filters={KEY: "x"})
        assert KEY not in str(echoed.value) and "[redacted]" in str(echoed.value)
        caplog.set_level(logging.DEBUG)
        _fail_next(invoiced_sandbox, [503, 503, 503, 503])
        with pytest.raises(RemoteUnavailable) as error:
            await client.get_customer(1)
        await client.create_account(Account(number="LOG-1", name="Logged"))
        await client.send_statement(1, to=[("Owner", "owner@example.com")])
    texts = [caplog.text, str(error.value), repr(client)]
    assert "GET /customers/1" in caplog.text  # the log does speak of the requests
    assert not any(KEY in t or encoded in t for t in texts)
    assert KEY not in repr(InvoicedConfig(invoiced_sandbox.invoiced_url, KEY))
