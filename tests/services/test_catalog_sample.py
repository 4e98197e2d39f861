"""The bundled sample catalog: a realistic Québec dépanneur, every barcode valid, taxes right."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from pos_app.adapters.store.catalog_repo import CatalogRepo
from pos_app.adapters.store.database import Database
from pos_app.resources import resource_path
from pos_app.services.catalog import CatalogService
from pos_app.services.catalog_csv import COLUMNS
from pos_app.services.settings import Settings

SAMPLE = resource_path("sample_catalog.csv")


def _rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _gs1_valid(code: str) -> bool:
    """Written apart from the service's own check: pad to GTIN-14, then the digits in odd
    positions (from the left) weigh 3, the others 1, and the sum with the check digit is a
    multiple of 10."""
    padded = code.zfill(14)
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(padded[:13]))
    return (total + int(padded[13])) % 10 == 0


def test_known_check_digits() -> None:
    # Published examples: an EAN-13 (ISBN 978-0-306-40615-7) and a UPC-A.
    assert _gs1_valid("9780306406157")
    assert _gs1_valid("036000291452")
    assert not _gs1_valid("036000291453")


def test_header_is_exactly_the_format() -> None:
    with SAMPLE.open(encoding="utf-8", newline="") as file:
        assert tuple(next(csv.reader(file))) == COLUMNS


def test_every_barcode_is_a_valid_ean13_or_upca() -> None:
    rows = _rows()
    assert len(rows) >= 40
    barcodes = [row["barcode"] for row in rows if row["barcode"]]
    assert len(barcodes) >= len(rows) - 2  # only items made in store go without one
    for code in barcodes:
        assert len(code) in (12, 13) and code.isdigit(), code
        assert _gs1_valid(code), f"{code}: bad check digit"
    assert len(set(barcodes)) == len(barcodes)
    assert len({row["sku"] for row in rows}) == len(rows)


def test_prices_units_and_taxes() -> None:
    rows = _rows()
    for row in rows:
        price = Decimal(row["unit_price"])
        assert price > 0 and price == price.quantize(Decimal("0.01")), row
        assert row["unit"] in ("", "kg")
        assert row["taxes"] in ("", "GST+QST")
        assert row["name_fr"] and row["name_en"]
    taxes_by_name = {row["name_en"]: row["taxes"] for row in rows}
    # Basic groceries are zero-rated; snacks, soft drinks, beer, candy and cleaning products
    # are not (and a coffee poured in store is not a basic grocery, unlike coffee beans).
    for name in (
        "2% milk 2 L",
        "Sliced white bread 675 g",
        "Large eggs (12)",
        "Salted butter 454 g",
        "Whole bean coffee 1 kg",
        "Bananas",
    ):
        assert taxes_by_name[name] == "", name
    for name in (
        "Plain potato chips 235 g",
        "Cola 2 L",
        "Lager 6 cans 355 ml",
        "Milk chocolate bar 45 g",
        "Dish soap 740 ml",
        "Medium drip coffee",
    ):
        assert taxes_by_name[name] == "GST+QST", name
    weighed = [row for row in rows if row["unit"] == "kg"]
    assert {"Bananas", "McIntosh apples", "Yellow onions"} <= {row["name_en"] for row in weighed}
    assert all(row["taxes"] == "" for row in weighed)


@pytest.fixture
async def catalog(tmp_path: Path) -> AsyncIterator[CatalogService]:
    db = Database.open(tmp_path / "pos.db")
    try:
        yield CatalogService(CatalogRepo(db), settings=Settings, sample_catalog=SAMPLE)
    finally:
        await db.aclose()


async def test_sample_loads_once_into_an_empty_catalog(catalog: CatalogService) -> None:
    report = await catalog.ensure_sample_catalog()
    assert report is not None and report.ok
    assert report.imported == len(_rows()) == await catalog.count()
    assert await catalog.ensure_sample_catalog() is None  # not empty any more: left alone

    milk = await catalog.find("055010001011")
    assert milk is not None and milk.sku == "LAI-2PC-2L" and milk.taxes == ""
    assert [p.sku for p in await catalog.search("banane")] == ["FRU-BAN-KG"]
    assert "BIE-BLO-6C" in {p.sku for p in await catalog.search("bière")}
    coffee = await catalog.find("CAF-FIL-MOY")  # no barcode: rung up by SKU
    assert coffee is not None and coffee.barcode == ""
