"""The ports of the catalog: the products the SQLite store keeps, and the shape of a product
handed to it to import.

Products to import are passed as `Any`: the store reads the fields it needs by attribute (the
shape is `ProductFields` below), and a Protocol parameter would make every adapter's narrower
concrete type look incompatible.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol


class ProductRow(Protocol):
    """A catalog product as the store returns it."""

    @property
    def sku(self) -> str: ...
    @property
    def name_fr(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def barcode(self) -> str: ...
    @property
    def unit(self) -> str: ...  # "kg" for a product sold by weight, "" for pieces
    @property
    def taxes(self) -> str: ...  # a tax code such as "GST+QST"; "" when zero-rated


class CatalogStore(Protocol):
    def import_rows(self, rows: Iterable[Any], *, replace_all: bool = False) -> Awaitable[int]: ...
    def find_by_code(self, code: str) -> Awaitable[ProductRow | None]: ...
    def barcode_owners(self, barcodes: Sequence[str]) -> Awaitable[dict[str, str]]:
        """The SKU holding each of `barcodes` that some product has."""
        ...

    def search(self, text: str, limit: int = 20) -> Awaitable[Sequence[ProductRow]]: ...
    def count(self) -> Awaitable[int]: ...


@dataclass(frozen=True, slots=True)
class ProductFields:
    """A product to import, in the attribute names the catalog store reads."""

    sku: str
    name_fr: str
    name_en: str
    unit_price: Decimal
    barcode: str = ""
    unit: str = ""
    taxes: str = ""
