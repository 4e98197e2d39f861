"""The product catalog: exact lookup of a scanned barcode or typed SKU, and search by name in
either language (accents and case ignored, word prefixes: "caf fil" finds "Café filtre")."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .database import Repository, on_db_thread, write_transaction
from .timestamps import to_text


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    name_fr: str
    name_en: str
    unit_price: Decimal
    barcode: str = ""
    unit: str = ""  # "kg" for a product sold by weight, "" for a unit
    taxes: str = ""  # tax codes joined by "+" ("GST+QST"); "" when zero-rated


_COLUMNS = "sku, name_fr, name_en, unit_price, barcode, unit, taxes"

# Unchanged rows are left alone on re-import, so their full-text entries are not rewritten.
_UPSERT = f"""
INSERT INTO catalog ({_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (sku) DO UPDATE SET
    name_fr = excluded.name_fr, name_en = excluded.name_en,
    unit_price = excluded.unit_price, barcode = excluded.barcode, unit = excluded.unit,
    taxes = excluded.taxes, updated_at = excluded.updated_at
WHERE catalog.name_fr <> excluded.name_fr OR catalog.name_en <> excluded.name_en
    OR catalog.unit_price <> excluded.unit_price OR catalog.barcode <> excluded.barcode
    OR catalog.unit <> excluded.unit OR catalog.taxes <> excluded.taxes
"""

_WORD = re.compile(r"\w+")


class CatalogRepo(Repository):
    @on_db_thread
    def import_rows(
        self, conn: sqlite3.Connection, rows: Iterable[Product], *, replace_all: bool = False
    ) -> int:
        """Adds or updates products by SKU in one transaction and returns how many rows were
        given. With `replace_all`, products missing from `rows` are removed (a full catalog
        file). A bad row rejects the whole import: a half-imported price list is worse than
        yesterday's."""
        now = to_text(self.db.now())
        values = [_row_values(i, product, now) for i, product in enumerate(rows)]
        with write_transaction(conn):
            conn.executemany(_UPSERT, values)
            if replace_all:
                conn.execute(
                    "DELETE FROM catalog WHERE sku NOT IN (SELECT value FROM json_each(?))",
                    (json.dumps([v[0] for v in values]),),
                )
        return len(values)

    @on_db_thread
    def find_by_code(self, conn: sqlite3.Connection, code: str) -> Product | None:
        """The product whose barcode or SKU is exactly `code`; a barcode match wins, since a
        scanner is the usual source."""
        code = code.strip()
        if not code:
            return None
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM catalog WHERE barcode = ?1 AND barcode <> ''"
            f" UNION ALL SELECT {_COLUMNS} FROM catalog WHERE sku = ?1 LIMIT 1",
            (code,),
        ).fetchone()
        return None if row is None else _product(row)

    @on_db_thread
    def barcode_owners(self, conn: sqlite3.Connection, barcodes: Sequence[str]) -> dict[str, str]:
        """The SKU holding each of `barcodes` that some product has."""
        rows = conn.execute(
            "SELECT barcode, sku FROM catalog WHERE barcode <> ''"
            " AND barcode IN (SELECT value FROM json_each(?))",
            (json.dumps(list(barcodes)),),
        )
        return dict(rows.fetchall())

    @on_db_thread
    def search(self, conn: sqlite3.Connection, text: str, limit: int = 20) -> list[Product]:
        """Products whose names (or SKU, barcode) contain words starting with each word of
        `text`, best match first."""
        words = _WORD.findall(text)
        if not words:
            return []
        # Each word quoted (so FTS5 operators typed by a user are plain text) and made a
        # prefix query; words are ANDed.
        query = " ".join('"' + word.replace('"', '""') + '"*' for word in words)
        rows = conn.execute(
            "SELECT c.sku, c.name_fr, c.name_en, c.unit_price, c.barcode, c.unit, c.taxes"
            " FROM catalog_fts JOIN catalog AS c ON c.id = catalog_fts.rowid"
            " WHERE catalog_fts MATCH ? ORDER BY bm25(catalog_fts, 2.0, 2.0, 1.0, 1.0)"
            " LIMIT ?",
            (query, limit),
        ).fetchall()
        return [_product(row) for row in rows]

    @on_db_thread
    def count(self, conn: sqlite3.Connection) -> int:
        (n,) = conn.execute("SELECT count(*) FROM catalog").fetchone()
        return int(n)


def _row_values(index: int, product: Product, now: str) -> tuple[str, ...]:
    if not product.sku.strip():
        raise ValueError(f"catalog row {index}: empty SKU")
    price = product.unit_price
    if not (isinstance(price, Decimal) and price.is_finite() and price >= 0):
        raise ValueError(f"catalog row {index} ({product.sku}): bad unit price {price!r}")
    return (
        product.sku.strip(),
        product.name_fr,
        product.name_en,
        format(price, "f"),
        product.barcode.strip(),
        product.unit,
        product.taxes,
        now,
    )


def _product(row: tuple[Any, ...]) -> Product:
    sku, name_fr, name_en, unit_price, barcode, unit, taxes = row
    return Product(sku, name_fr, name_en, Decimal(unit_price), barcode, unit, taxes)
