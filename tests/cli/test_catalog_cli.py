"""`pos-app catalog import|search` as a real process: no API involved (the catalog is local)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from pos_app.resources import resource_path

ROOT = Path(__file__).resolve().parents[2]
HEADER = "barcode,sku,name_fr,name_en,unit_price,unit,taxes\n"


def pos_app(data_dir: Path, *args: str, stdin: str | None = None) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POS_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "pos_app", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def test_bad_rows_are_listed_and_good_rows_kept(tmp_path: Path) -> None:
    path = tmp_path / "prix.csv"
    path.write_text(
        HEADER
        + "055010001011,LAI-2L,Lait 2 % 2 L,2% milk 2 L,5.29,,\n"
        + ",CRO,Croustilles,Chips,4.49,,GST+QST\n"
        + ",BAD,Mauvais,Bad,abc,,\n"
        + "055010001012,LAI-1L,Lait 1 L,Milk 1 L,2.99,,\n"
        + ",BIE,Bière,Beer,14.99,,HST\n",
        encoding="utf-8",
    )
    result = pos_app(tmp_path / "till", "catalog", "import", str(path))
    assert result.returncode == 2
    assert result.stdout == "imported 2 products\n"
    assert result.stderr.splitlines() == [
        "line 4: unit_price: 'abc' is not a decimal number",
        "line 5: barcode: '055010001012' has a wrong check digit (expected 1)",
        "line 6: taxes: unknown tax code 'HST'",
    ]
    found = pos_app(tmp_path / "till", "catalog", "search", "lait")
    assert found.returncode == 0
    assert found.stdout == "LAI-2L  055010001011  Lait 2 % 2 L  5.29  -\n"
    assert pos_app(tmp_path / "till", "catalog", "search", "mauvais").stdout == ""


def test_a_clean_file_exits_0(tmp_path: Path) -> None:
    result = pos_app(
        tmp_path / "till", "catalog", "import", str(resource_path("sample_catalog.csv"))
    )
    assert (result.returncode, result.stderr) == (0, "")
    rows = len(resource_path("sample_catalog.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert result.stdout == f"imported {rows} products\n"
    weighed = pos_app(tmp_path / "till", "catalog", "search", "bananes")
    assert weighed.stdout == "FRU-BAN-KG  2004011000002  Bananes  1.74/kg  -\n"


def test_stdin_and_a_file_that_is_not_a_catalog(tmp_path: Path) -> None:
    piped = pos_app(
        tmp_path / "till", "catalog", "import", "-", stdin=HEADER + ",A,Un,One,1.00,,\n"
    )
    assert (piped.returncode, piped.stdout) == (0, "imported 1 products\n")
    wrong = pos_app(tmp_path / "till", "catalog", "import", "-", stdin="sku,price\nA,1\n")
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("-: line 1: missing column(s): barcode, name_fr")
    missing = pos_app(tmp_path / "till", "catalog", "import", str(tmp_path / "none.csv"))
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr
