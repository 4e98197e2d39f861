"""CatalogService over a real SQLite catalog: CSV import (good rows kept, bad rows reported by
line), lookup by code, and products turned into cart lines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from pos_app.adapters.store.catalog_repo import CatalogRepo
from pos_app.adapters.store.database import Database
from pos_app.domain.cart import Tax
from pos_app.resources import resource_path
from pos_app.services.catalog import CatalogService
from pos_app.services.catalog_csv import CatalogFileError, barcode_problem, gtin_check_digit
from pos_app.services.settings import Settings

SAMPLE = resource_path("sample_catalog.csv")

HEADER = "barcode,sku,name_fr,name_en,unit_price,unit,taxes\n"


@pytest.fixture
async def catalog(tmp_path: Path) -> AsyncIterator[CatalogService]:
    db = Database.open(tmp_path / "pos.db")
    try:
        yield CatalogService(CatalogRepo(db), settings=Settings, sample_catalog=SAMPLE)
    finally:
        await db.aclose()


def test_check_digits() -> None:
    assert gtin_check_digit("978030640615") == "7"
    assert gtin_check_digit("03600029145") == "2"
    assert barcode_problem("036000291452") is None
    assert barcode_problem("036000291453") == "'036000291453' has a wrong check digit (expected 2)"
    assert barcode_problem("12345") == "'12345' must have 8, 12, 13 or 14 digits, not 5"
    assert barcode_problem("03600029145X") == "'03600029145X' must contain digits only"


async def test_bad_rows_are_reported_by_line_and_good_rows_kept(
    catalog: CatalogService,
) -> None:
    text = (
        HEADER
        + "055010001011,LAI-2L,Lait 2 L,Milk 2 L,5.29,,\n"  # line 2: good
        + "055010001012,LAI-1L,Lait 1 L,Milk 1 L,2.99,,\n"  # 3: bad check digit
        + ",CRO-1,,Chips,4.49,,GST+QST\n"  # 4: no French name
        + ",CRO-2,Croustilles,Chips,abc,,GST+QST\n"  # 5: price not a number
        + ",CRO-3,Croustilles,Chips,4.49,,HST\n"  # 6: unknown tax code
        + ",LAI-2L,Lait encore,Milk again,5.29,,\n"  # 7: SKU already on line 2
        + "\n"  # 8: blank, skipped
        + ',BIE-6,"Bière\nblonde",Lager,14.99,,gst+qst\n'  # 9-10: good (quoted newline)
        + ",BAN,Bananes,Bananas,1.74,kg,\n"  # 11: good, by weight
        + ",X,Truc,Thing,1.5e2,,\n"  # 12: exponent is not a plain decimal
        + ",Y,Truc,Thing,-1,lb,\n"  # 13: two problems on one row
        + ",Z,Truc\n"  # 14: missing fields
    )
    report = await catalog.import_csv(text.encode())

    assert report.imported == 3
    assert [str(bad) for bad in report.bad_rows] == [
        "line 3: barcode: '055010001012' has a wrong check digit (expected 1)",
        "line 4: name_fr: is required",
        "line 5: unit_price: 'abc' is not a decimal number",
        "line 6: taxes: unknown tax code 'HST'",
        "line 7: sku: 'LAI-2L' is already on line 2",
        "line 12: unit_price: '1.5e2' is not a decimal number",
        "line 13: unit_price: '-1' must not be negative; unit: 'lb' is not a known unit"
        " (kg, or empty for pieces)",
        "line 14: expected 7 fields, found 3 fields",
    ]
    assert not report.ok and report.rows == 11
    assert await catalog.count() == 3
    milk = await catalog.find("LAI-2L")
    assert milk is not None and milk.name_fr == "Lait 2 L" and milk.unit_price == Decimal("5.29")
    beer = await catalog.find("BIE-6")
    assert beer is not None and beer.taxes == "GST+QST"  # spelled as the settings spell it
    assert await catalog.find("CRO-2") is None


async def test_reimport_updates_by_sku(catalog: CatalogService) -> None:
    await catalog.import_csv((HEADER + ",LAI-2L,Lait 2 L,Milk 2 L,5.29,,\n").encode())
    report = await catalog.import_csv((HEADER + ",LAI-2L,Lait 2 L,Milk 2 L,5.49,,\n").encode())
    assert report.ok and report.imported == 1
    milk = await catalog.find("LAI-2L")
    assert milk is not None and milk.unit_price == Decimal("5.49")
    assert await catalog.count() == 1


async def test_whole_file_problems_import_nothing(catalog: CatalogService, tmp_path: Path) -> None:
    with pytest.raises(CatalogFileError, match="missing column\\(s\\): taxes"):
        await catalog.import_csv(b"barcode,sku,name_fr,name_en,unit_price,unit\n,A,B,C,1,\n")
    with pytest.raises(CatalogFileError, match="unknown column\\(s\\): 'price'"):
        await catalog.import_csv((HEADER.strip() + ",price\n").encode())
    with pytest.raises(CatalogFileError, match="empty"):
        await catalog.import_csv(b"")
    with pytest.raises(FileNotFoundError):
        await catalog.import_csv(tmp_path / "missing.csv")
    assert await catalog.count() == 0


async def test_excel_french_csv(catalog: CatalogService, tmp_path: Path) -> None:
    """Semicolons and Windows-1252, as Excel saves "CSV" on a French Windows till."""
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "barcode;sku;name_fr;name_en;unit_price;unit;taxes\r\n"
        ";CAF;Café filtre;Coffee;1.99;;GST+QST\r\n".encode("cp1252")
    )
    report = await catalog.import_csv(str(path))
    assert report.ok and report.imported == 1
    coffee = await catalog.find("CAF")
    assert coffee is not None and coffee.name_fr == "Café filtre"


async def test_progress_ends_with_the_total_after_commit(catalog: CatalogService) -> None:
    rows = "".join(f",SKU{i},Produit {i},Product {i},1.00,,\n" for i in range(600))
    seen: list[tuple[int, int]] = []
    report = await catalog.import_csv(
        (HEADER + rows).encode(), lambda done, total: seen.append((done, total))
    )
    assert report.imported == 600
    assert seen[-1] == (600, 600)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert all(total == 600 for _, total in seen)


async def test_find_accepts_upc_a_and_its_ean13_form(catalog: CatalogService) -> None:
    await catalog.import_csv(
        (HEADER + "036000291452,A,Un,One,1,,\n0012345678905,B,Deux,Two,2,,\n").encode()
    )
    for code, sku in (
        ("036000291452", "A"),
        ("0036000291452", "A"),
        ("0012345678905", "B"),
        ("012345678905", "B"),
    ):
        found = await catalog.find(code)
        assert found is not None and found.sku == sku, code
    assert await catalog.find("999999999993") is None
    assert await catalog.find("  ") is None


async def test_item_for(catalog: CatalogService) -> None:
    await catalog.import_csv(
        (
            HEADER
            + "055010001011,LAI,Lait 2 %,2% milk,5.29,,\n"
            + ",BAN,Bananes,,1.74,kg,\n"
            + ",CHIPS,Croustilles,Chips,4.49,,GST+QST\n"
        ).encode()
    )
    milk, bananas, chips = [await catalog.find(code) for code in ("LAI", "BAN", "CHIPS")]
    assert milk is not None and bananas is not None and chips is not None

    item = catalog.item_for(milk)
    assert (item.name, item.sku, item.barcode, item.unit) == (
        "Lait 2 %",
        "LAI",
        "055010001011",
        None,
    )
    assert item.names == {"fr-CA": "Lait 2 %", "en-CA": "2% milk"}
    assert item.unit_price == Decimal("5.29") and item.quantity == 1 and item.taxes == ()

    weighed = catalog.item_for(bananas)  # a kilogram; the sale session sets the weight
    assert weighed.unit == "kg" and weighed.quantity == 1
    assert weighed.names == {"fr-CA": "Bananes", "en-CA": "Bananes"}  # no English name given

    taxed = catalog.item_for(chips)
    assert taxed.quantity == 1
    assert taxed.taxes == (Tax("GST", Decimal("5")), Tax("QST", Decimal("9.975")))
