"""Customers and locations caches, held carts."""

from __future__ import annotations

import pytest

from pos_app.adapters.store import CachedDocument
from pos_app.domain.remote import LOCAL_ID_PREFIX
from tests.adapters.store.store import Store

ELOISE = CachedDocument(
    "cus_1",
    {"firstName": "Éloïse", "x": [1]},
    "Éloïse Tremblay",
    "eloise@example.ca",
    "514-555-1234",
)
BOB = CachedDocument("cus_2", {"firstName": "Bob"}, "Bob Roy", "bob@example.ca", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eloise", ["cus_1"]),
        ("TREMBLAY élo", ["cus_1"]),
        ("5145551234", ["cus_1"]),
        ("555-1234", ["cus_1"]),
        ("example.ca", ["cus_2", "cus_1"]),
        ("bob@", ["cus_2"]),
        ("%", []),
        ("", []),
    ],
)
async def test_customer_search(store: Store, text: str, expected: list[str]) -> None:
    await store.customers.upsert_many([ELOISE, BOB])
    assert [d.id for d in await store.customers.search(text)] == expected


async def test_upsert_replaces_and_get_reads_back(store: Store) -> None:
    await store.customers.upsert_many([ELOISE])
    renamed = CachedDocument("cus_1", {"firstName": "Lise"}, "Lise Tremblay", "", "")
    await store.customers.upsert_many([renamed])
    got = await store.customers.get("cus_1")
    assert got == renamed
    assert got is not None and got.updated_at == store.db.now()
    assert await store.customers.search("eloise") == []
    assert await store.customers.remove("cus_1") is True
    assert await store.customers.remove("cus_1") is False


async def test_offline_customer_lifecycle(store: Store) -> None:
    local = await store.customers.create_local(
        {"firstName": "Zoé"}, "Zoé Gagnon", "", "438 555 0000"
    )
    assert local.id.startswith(LOCAL_ID_PREFIX)
    assert local.pending_create
    assert await store.customers.list_pending() == [local]
    assert [d.id for d in await store.customers.search("zoe")] == [local.id]

    created = CachedDocument(
        "cus_9", {"id": "cus_9", "firstName": "Zoé"}, "Zoé Gagnon", "", "438 555 0000"
    )
    await store.customers.replace_local_id(local.id, created)
    assert await store.customers.list_pending() == []
    assert await store.customers.get(local.id) is None
    assert [d.id for d in await store.customers.search("zoe")] == ["cus_9"]
    with pytest.raises(LookupError):
        await store.customers.replace_local_id(local.id, created)


async def test_locations_are_a_separate_cache(store: Store) -> None:
    shop = CachedDocument("loc_1", {"name": "Boutique Mont-Royal"}, "Boutique Mont-Royal")
    await store.locations.upsert_many([shop])
    assert [d.id for d in await store.locations.search("mont royal")] == ["loc_1"]
    assert await store.customers.search("mont") == []


async def test_held_carts(store: Store) -> None:
    first = await store.held_carts.hold("Mme Roy", '{"items": []}')
    second = await store.held_carts.hold("Table 4", '{"items": [1]}')
    assert await store.held_carts.list_all() == [first, second]
    assert await store.held_carts.get(first.id) == first
    assert await store.held_carts.take(first.id) == first
    assert await store.held_carts.take(first.id) is None
    assert await store.held_carts.delete(second.id) is True
    assert await store.held_carts.list_all() == []
