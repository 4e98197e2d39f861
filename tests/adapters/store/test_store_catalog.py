"""Catalog import and lookup, including a 10,000-product import."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from pos_app.adapters.store import Product
from tests.adapters.store.store import Store

COFFEE = Product(
    "0001", "Café filtre", "Filter coffee", Decimal("2.49"), "0628176000011", "", "GST+QST"
)
BANANAS = Product("0002", "Bananes", "Bananas", Decimal("1.74"), "4011", "kg", "")


def _many(n: int) -> list[Product]:
    return [
        Product(
            sku=f"SKU{i:06d}",
            name_fr=f"Produit numéro {i} thé glacé" if i % 10 == 0 else f"Produit numéro {i}",
            name_en=f"Product number {i}",
            unit_price=Decimal(i % 5000) / 100,
            barcode=f"{i:013d}",
            taxes="GST+QST",
        )
        for i in range(n)
    ]


async def test_find_by_code_prefers_the_barcode(store: Store) -> None:
    confusing = Product("4011", "Pommes", "Apples", Decimal("3.00"))  # SKU = a PLU barcode
    await store.catalog.import_rows([COFFEE, BANANAS, confusing])
    assert await store.catalog.find_by_code("0628176000011") == COFFEE
    assert await store.catalog.find_by_code(" 0001 ") == COFFEE
    assert await store.catalog.find_by_code("4011") == BANANAS
    assert await store.catalog.find_by_code("") is None
    assert await store.catalog.find_by_code("9999") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cafe", ["0001"]),
        ("CAFÉ", ["0001"]),
        ("caf fil", ["0001"]),
        ("coffee", ["0001"]),
        ("banan", ["0002"]),
        ("0628", ["0001"]),
        ('"; DROP', []),
        ("NEAR(a b) OR *", []),
        ("   ", []),
    ],
)
async def test_search_folds_case_and_accents(store: Store, text: str, expected: list[str]) -> None:
    await store.catalog.import_rows([COFFEE, BANANAS])
    assert [p.sku for p in await store.catalog.search(text)] == expected


async def test_reimport_updates_and_replace_all_removes(store: Store) -> None:
    await store.catalog.import_rows([COFFEE, BANANAS])
    dearer = Product("0001", "Café filtre", "Filter coffee", Decimal("2.69"))
    await store.catalog.import_rows([dearer])
    assert await store.catalog.find_by_code("0001") == dearer
    assert await store.catalog.search("filtre") == [dearer]
    assert await store.catalog.count() == 2
    await store.catalog.import_rows([dearer], replace_all=True)
    assert await store.catalog.count() == 1
    assert await store.catalog.search("banan") == []


@pytest.mark.parametrize(
    "bad",
    [
        Product("", "Rien", "Nothing", Decimal("1")),
        Product("X", "Rien", "Nothing", Decimal("NaN")),
        Product("X", "Rien", "Nothing", Decimal("-1")),
        Product("X", "Rien", "Nothing", 1.5),  # type: ignore[arg-type]
    ],
)
async def test_one_bad_row_rejects_the_whole_import(store: Store, bad: Product) -> None:
    await store.catalog.import_rows([COFFEE])
    with pytest.raises(ValueError, match="row 1"):
        await store.catalog.import_rows([BANANAS, bad])
    assert await store.catalog.count() == 1


async def test_ten_thousand_products(store: Store) -> None:
    products = _many(10_000)
    started = time.perf_counter()
    assert await store.catalog.import_rows(products) == 10_000
    imported = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(20):
        found = await store.catalog.search("the glace", limit=20)
    searched = (time.perf_counter() - started) / 20
    print(f"catalog_import_10k_ms={imported * 1000:.0f} catalog_search_ms={searched * 1000:.2f}")

    assert await store.catalog.count() == 10_000
    assert len(found) == 20
    assert all("thé glacé" in p.name_fr for p in found)
    assert await store.catalog.find_by_code("0000000004242") == products[4242]
    # Sanity bounds only (benchmarks live in bench/): a till must not freeze on either.
    assert imported < 20
    assert searched < 0.5
