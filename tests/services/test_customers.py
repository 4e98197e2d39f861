"""CustomerService against a real sandbox on loopback and a real SQLite cache: CRUD, pages,
offline creation then sync, and local validation that never reaches the server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pos_app.adapters.api.auth import StaticTokenAuth
from pos_app.adapters.api.client import SmartbillsClient, SmartbillsConfig
from pos_app.adapters.store.cache_repo import CustomersCache
from pos_app.adapters.store.database import Database
from pos_app.domain.cart import Customer
from pos_app.domain.remote import RemoteUnavailable
from pos_app.sandbox import SandboxServer
from pos_app.services.customers import (
    CustomerDraft,
    CustomerInvalid,
    CustomerService,
    UnknownCustomer,
)
from tests.fixtures.sandbox import SANDBOX_TOKEN

LEA = CustomerDraft("Léa", "Roy", "fr-CA", email="lea@example.ca")
BOB = CustomerDraft("Bob", "Tremblay", "en-CA", phone="514 555-0134")


@dataclass
class Till:
    service: CustomerService
    client: SmartbillsClient
    cache: CustomersCache
    sandbox: SandboxServer

    def faults(self) -> dict[str, object]:
        """The sandbox's fault state."""
        return self.sandbox.faults()

    async def server_ids(self) -> list[str]:
        page = await self.client.list_customers(page_size=100)
        return [c.id for c in page.data if c.id]


@pytest.fixture
async def till(tmp_path: Path, sandbox: SandboxServer) -> AsyncIterator[Till]:
    db = Database.open(tmp_path / "pos.db")
    client = SmartbillsClient(
        SmartbillsConfig(base_url=sandbox.url, auth=StaticTokenAuth(SANDBOX_TOKEN))
    )
    cache = CustomersCache(db)
    try:
        # Small pages, so a handful of customers already spans several.
        yield Till(CustomerService(client, cache, page_size=3), client, cache, sandbox)
    finally:
        await client.aclose()
        await db.aclose()


async def test_create_get_update_delete(till: Till) -> None:
    service = till.service
    lea = await service.create(LEA)
    assert not lea.pending and not lea.id.startswith("local-")
    assert (lea.first_name, lea.last_name, lea.email, lea.locale) == (
        "Léa",
        "Roy",
        "lea@example.ca",
        "fr-CA",
    )
    assert await till.server_ids() == [lea.id]
    assert await service.get(lea.id) == lea
    assert [c.id for c in await service.search("lea roy")] == [lea.id]  # cached at once

    moved = await service.update(
        lea.id, CustomerDraft("Léa", "Roy-Gagnon", "fr-CA", phone="438 555 0101")
    )
    assert (moved.id, moved.last_name, moved.email, moved.phone) == (
        lea.id,
        "Roy-Gagnon",
        None,
        "438 555 0101",
    )
    assert (await till.client.get_customer(lea.id)).last_name == "Roy-Gagnon"
    assert [c.id for c in await service.search("4385550101")] == [lea.id]

    patched = await service.patch(lea.id, {"email": " lea@example.com ", "company": "Roy inc."})
    assert (patched.email, patched.phone, patched.company) == (
        "lea@example.com",
        "438 555 0101",
        "Roy inc.",
    )

    await service.delete(lea.id)
    assert await till.server_ids() == []
    assert await service.search("lea") == []
    with pytest.raises(UnknownCustomer):
        await service.get(lea.id)
    with pytest.raises(UnknownCustomer):
        await service.delete(lea.id)


async def test_record_attaches_to_a_sale(till: Till) -> None:
    bob = await till.service.create(BOB)
    assert bob.to_customer() == Customer(
        id=bob.id, first_name="Bob", last_name="Tremblay", phone="514 555-0134", locale="en-CA"
    )
    assert bob.display_name == "Bob Tremblay"


async def test_listing_reads_every_page_and_serves_offline(till: Till) -> None:
    created = [
        await till.service.create(CustomerDraft(f"Client{i}", "Test", "fr-CA", f"c{i}@example.ca"))
        for i in range(7)
    ]
    listing = await till.service.list_customers()
    assert not listing.from_cache
    # Newest first, as the server lists them, across three pages of 3.
    assert [c.id for c in listing.customers] == [c.id for c in reversed(created)]
    assert len((await till.service.list_customers(limit=4)).customers) == 4
    assert [c.first_name for c in (await till.service.list_customers("client3")).customers] == [
        "Client3"
    ]

    # Deleted behind the till's back: the next listing forgets it.
    await till.client.delete_customer(created[0].id)
    assert created[0].id not in [c.id for c in (await till.service.list_customers()).customers]

    till.sandbox.set_down(True)
    offline = await till.service.list_customers()
    assert offline.from_cache and offline.error and "reach" in offline.error
    assert [c.id for c in offline.customers] == [c.id for c in reversed(created[1:])]
    searched = await till.service.list_customers("client5")
    assert searched.from_cache and [c.id for c in searched.customers] == [created[5].id]
    with pytest.raises(RemoteUnavailable):
        await till.service.get(created[1].id)
    assert await till.service.get_cached(created[1].id) == created[1]


async def test_offline_create_is_sent_later_under_the_server_id(till: Till) -> None:
    till.sandbox.set_down(True)
    zoe = await till.service.create(CustomerDraft("Zoé", "Gagnon", "fr-CA", phone="438-555-0000"))
    assert zoe.pending and zoe.id.startswith("local-")
    assert [c.id for c in await till.service.search("zoe")] == [zoe.id]
    with pytest.raises(RemoteUnavailable):
        await till.service.create(BOB, offline_ok=False)
    # Offline, the listing shows what the till created.
    assert [c.id for c in (await till.service.list_customers()).customers] == [zoe.id]

    till.sandbox.set_down(False)
    report = await till.service.sync_pending()
    assert report.stopped is None and report.refused == []
    [(local_id, server_id)] = report.created
    assert local_id == zoe.id and not server_id.startswith("local-")
    assert await till.server_ids() == [server_id]
    assert await till.cache.get(zoe.id) is None
    synced = await till.service.get(server_id)
    assert (synced.first_name, synced.phone, synced.pending) == ("Zoé", "438-555-0000", False)
    assert [c.id for c in await till.service.search("zoe")] == [server_id]
    assert (await till.service.sync_pending()).created == []  # nothing left to send


async def test_listing_sends_offline_customers_first(till: Till) -> None:
    till.sandbox.set_down(True)
    local = await till.service.create(LEA)
    till.sandbox.set_down(False)
    listing = await till.service.list_customers()
    assert [c.first_name for c in listing.customers] == ["Léa"]
    assert listing.customers[0].id != local.id and not listing.customers[0].pending


async def test_update_and_delete_of_a_customer_still_pending(till: Till) -> None:
    till.sandbox.set_down(True)
    first = await till.service.create(LEA)
    second = await till.service.create(BOB)
    await till.service.delete(second.id)  # never reached the server: only forgotten here
    assert await till.service.get_cached(second.id) is None
    with pytest.raises(RemoteUnavailable):
        await till.service.update(first.id, LEA)

    till.sandbox.set_down(False)
    updated = await till.service.update(
        first.id, CustomerDraft("Léa", "Roy", "en-CA", "l@example.ca")
    )
    assert not updated.id.startswith("local-") and updated.locale == "en-CA"
    assert await till.server_ids() == [updated.id]


async def test_invalid_customer_is_refused_before_any_request(till: Till) -> None:
    # The next /v1 request would be answered 503: if it is still pending afterwards, no
    # request reached the server.
    till.sandbox.set_faults(fail_next=[503])
    with pytest.raises(CustomerInvalid) as refused:
        await till.service.create(CustomerDraft("Léa", "Roy", "fr-CA"))
    assert refused.value.problems == ["email or phone: an email or a phone number is required"]
    assert set(refused.value.fields) == {"email", "phone"}

    with pytest.raises(CustomerInvalid) as many:
        await till.service.create(CustomerDraft(" ", "Roy", "de-DE", email="lea@", phone="12"))
    assert many.value.problems == [
        "first_name: is required",
        "locale: 'de-DE' is not one of fr-CA, en-CA, en-US",
        "email: 'lea@' is not an email address",
        "phone: '12' is not a phone number (10 to 15 digits)",
    ]
    with pytest.raises(CustomerInvalid, match="email: 'x' is not an email address"):
        await till.service.patch("any-id", {"email": "x"})
    with pytest.raises(CustomerInvalid, match="colour: not a customer field"):
        await till.service.patch("any-id", {"colour": "blue"})

    assert till.faults()["failNext"] == [503]
    assert "rejected" not in till.sandbox.counters


async def test_locale_and_spaces_are_normalised(till: Till) -> None:
    created = await till.service.create(
        CustomerDraft("  Ana ", " Silva", "en_us", email=" ana@example.com", phone="  ")
    )
    assert (
        created.first_name,
        created.last_name,
        created.locale,
        created.email,
        created.phone,
    ) == (
        "Ana",
        "Silva",
        "en-US",
        "ana@example.com",
        None,
    )
