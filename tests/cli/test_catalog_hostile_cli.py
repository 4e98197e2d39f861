"""Issue 14 item 7: a barcode scans as one product whatever the imports; French Excel files
(';' and decimal commas) are read as such; control characters never reach a name."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_catalog_cli import HEADER, pos_app

MILK = "055010001011"
CHIPS = "4006381333931"


def _import(data_dir: Path, path: Path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return pos_app(data_dir, "catalog", "import", str(path))


def _search(data_dir: Path, text: str) -> list[dict[str, str]]:
    found = pos_app(data_dir, "catalog", "search", text, "--json")
    assert found.returncode == 0, found.stderr
    return json.loads(found.stdout)


def test_a_second_catalog_cannot_take_a_barcode_another_product_holds(tmp_path: Path) -> None:
    till = tmp_path / "till"
    first = _import(till, tmp_path / "a.csv", HEADER + f"{MILK},LAI-2L,Lait 2 L,Milk 2 L,5.29,,\n")
    assert first.returncode == 0, first.stderr
    second = _import(
        till,
        tmp_path / "b.csv",
        HEADER + f"{MILK},LAI-BIO,Lait bio,Organic milk,6.49,,\n,PAIN,Pain,Bread,3.00,,\n",
    )
    assert second.returncode == 2
    assert second.stdout == "imported 1 products\n"
    assert second.stderr.splitlines() == [
        f"line 2: barcode: '{MILK}' already belongs to SKU 'LAI-2L'; row not imported"
    ]
    assert [p["sku"] for p in _search(till, MILK)] == ["LAI-2L"]
    assert _search(till, "bio") == []


def test_a_file_may_move_a_barcode_from_one_product_to_another(tmp_path: Path) -> None:
    till = tmp_path / "till"
    _import(till, tmp_path / "a.csv", HEADER + f"{MILK},LAI-2L,Lait 2 L,Milk 2 L,5.29,,\n")
    moved = _import(
        till,
        tmp_path / "b.csv",
        HEADER + f",LAI-2L,Lait 2 L,Milk 2 L,5.29,,\n{MILK},LAI-BIO,Lait bio,Organic,6.49,,\n",
    )
    assert (moved.returncode, moved.stderr) == (0, "")
    assert [p["sku"] for p in _search(till, MILK)] == ["LAI-BIO"]


def test_french_excel_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    till = tmp_path / "till"
    text = HEADER.replace(",", ";") + f"{CHIPS};CRO;Croustilles;Chips;4,49;;GST+QST\r\n"
    text += ";FRO;Fromage;Cheese;1\u00a0234,50;kg;\r\n"
    result = _import(till, tmp_path / "excel.csv", text, encoding="cp1252")
    assert (result.returncode, result.stderr) == (0, "")
    assert [p["unitPrice"] for p in _search(till, "croustilles")] == ["4.49"]
    assert [p["unitPrice"] for p in _search(till, "fromage")] == ["1234.50"]


def test_control_characters_are_removed_from_names(tmp_path: Path) -> None:
    till = tmp_path / "till"
    hostile = "Caf\x1b[2Jé\x00 \u202egnirts\u202c fi\tltre"
    result = _import(till, tmp_path / "c.csv", HEADER + f",CAF,{hostile},Coffee,2.49,,\n")
    assert result.returncode == 0, result.stderr
    [product] = _search(till, "CAF")
    assert product["nameFr"] == "Caf[2Jé gnirts fi ltre"
