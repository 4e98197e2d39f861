"""The product catalog as the sale screen uses it: a scan or a typed code finds a product, a
few letters find it by name, and a product becomes a cart line with the store's taxes.

Importing a price list (CSV) keeps every good row and reports each bad one by line number.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pos_app.domain.cart import Item
from pos_app.domain.invalid_input import InvalidInput
from pos_app.services.catalog_csv import (
    BadRow,
    FieldProblem,
    ParsedCatalog,
    decode,
    parse_catalog,
)
from pos_app.services.ports.catalog import CatalogStore, ProductFields, ProductRow
from pos_app.services.settings import Settings

log = logging.getLogger("pos_app.catalog")

WEIGHED_UNIT = "kg"

Progress = Callable[[int, int], None]


class CatalogError(InvalidInput):
    """A product cannot become a cart line (its tax code is missing from the settings)."""


@dataclass(frozen=True)
class ImportReport:
    imported: int
    bad_rows: tuple[BadRow, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.bad_rows

    @property
    def rows(self) -> int:
        return self.imported + len(self.bad_rows)


class CatalogService:
    def __init__(
        self,
        catalog: CatalogStore,
        settings: Callable[[], Settings],
        sample_catalog: Path,
    ):
        """`sample_catalog`: the bundled demo catalog (CSV), loaded into an empty catalog."""
        self._catalog = catalog
        self._settings = settings
        self._sample_catalog = sample_catalog

    # -- lookup -------------------------------------------------------------------------------

    async def find(self, code: str) -> ProductRow | None:
        """The product whose barcode or SKU is exactly `code` (what a scanner or a typed code
        gives). A UPC-A and its EAN-13 form (the same digits behind a leading 0) are the same
        product: scanners are configured to send either."""
        code = code.strip()
        if not code:
            return None
        found = await self._catalog.find_by_code(code)
        if found is not None or not code.isdigit():
            return found
        if len(code) == 13 and code.startswith("0"):
            return await self._catalog.find_by_code(code[1:])
        if len(code) == 12:
            return await self._catalog.find_by_code("0" + code)
        return None

    async def search(self, text: str, limit: int = 20) -> list[ProductRow]:
        """Products whose French or English name, SKU or barcode has words starting with each
        word of `text` (accents and case ignored), best match first."""
        return list(await self._catalog.search(text, limit))

    async def count(self) -> int:
        return await self._catalog.count()

    def item_for(self, product: ProductRow) -> Item:
        """The cart line for one unit of `product` (a piece, or a kilogram for a weighed
        product) with the taxes the settings give its tax code. The sale session sets the
        quantity, by its rules (whole pieces, weights to the gram)."""
        weighed = product.unit == WEIGHED_UNIT
        try:
            taxes = self._settings().taxes_for(product.taxes)
        except KeyError:
            problem = f"tax code {product.taxes!r} is not in the settings"
            raise CatalogError([f"{product.sku}: {problem}"], {"taxes": problem}) from None
        return Item(
            name=product.name_fr,
            unit_price=product.unit_price,
            quantity=Decimal(1),
            sku=product.sku,
            barcode=product.barcode or None,
            unit=WEIGHED_UNIT if weighed else None,
            taxes=taxes,
            names={"fr-CA": product.name_fr, "en-CA": product.name_en or product.name_fr},
        )

    # -- import -------------------------------------------------------------------------------

    async def import_csv(
        self, source: str | Path | bytes, progress: Progress | None = None
    ) -> ImportReport:
        """Adds or updates (by SKU) every good row of a catalog CSV, in one transaction, and
        reports the bad ones by line. Raises CatalogFileError when the file as a whole is
        not a catalog (then nothing is imported), OSError when it cannot be read.

        `progress(done, total)` is called on the event loop's thread (reading runs in a
        worker thread so a large file never freezes the screen); the last call,
        (total, total), comes once the products are committed."""
        loop = asyncio.get_running_loop()

        def report(done: int, total: int) -> None:
            if progress is not None:
                loop.call_soon_threadsafe(progress, done, total)

        resolve_tax = _tax_resolver(self._settings())

        def read() -> ParsedCatalog:
            data = source if isinstance(source, bytes) else Path(source).read_bytes()
            return parse_catalog(decode(data), resolve_tax, report)

        # The worker's progress calls are queued on the loop before its result is, so they
        # have all run by the time this await returns.
        parsed = await asyncio.to_thread(read)
        products, clashes = await self._barcode_clashes(parsed)
        if products:
            await self._catalog.import_rows(products)
        if progress is not None:
            progress(parsed.rows, parsed.rows)
        bad_rows = sorted([*parsed.bad_rows, *clashes], key=lambda row: row.line)
        log.info("catalog import: %d products, %d bad rows", len(products), len(bad_rows))
        return ImportReport(len(products), tuple(bad_rows))

    async def _barcode_clashes(
        self, parsed: ParsedCatalog
    ) -> tuple[list[ProductFields], list[BadRow]]:
        """A barcode scans as one product. A row whose barcode another product already has
        (one this file does not give another barcode) is left out and reported: the product
        that holds it keeps it."""
        owners = await self._catalog.barcode_owners([p.barcode for p in parsed.products])
        in_file = {p.sku for p in parsed.products}
        kept: list[ProductFields] = []
        clashes: list[BadRow] = []
        for line, product in zip(parsed.lines, parsed.products, strict=True):
            owner = owners.get(product.barcode)
            if owner is None or owner == product.sku or owner in in_file:
                kept.append(product)
                continue
            why = f"{product.barcode!r} already belongs to SKU {owner!r}; row not imported"
            clashes.append(BadRow(line, (FieldProblem("barcode", why),)))
        return kept, clashes

    async def ensure_sample_catalog(self) -> ImportReport | None:
        """Loads the bundled dépanneur catalog when the catalog is empty (a demo till's first
        start); does nothing otherwise. Returns the import's report when it ran."""
        if await self._catalog.count():
            return None
        report = await self.import_csv(self._sample_catalog)
        if not report.ok:
            # The bundled file is checked by a test; a bad row here is a packaging mistake.
            log.error("sample catalog has bad rows: %s", "; ".join(map(str, report.bad_rows)))
        return report


def _tax_resolver(settings: Settings) -> Callable[[str], str | None]:
    """Maps a tax code as written in a file to the code as the settings spell it ("gst+qst"
    -> "GST+QST"), None when unknown. One settings snapshot serves the whole file."""
    known: dict[str, str | None] = {}

    def resolve(code: str) -> str | None:
        if code not in known:
            compact = code.replace(" ", "")
            known[code] = None
            for candidate in dict.fromkeys((code, compact, compact.upper())):
                try:
                    settings.taxes_for(candidate)
                except KeyError:
                    continue
                known[code] = candidate
                break
        return known[code]

    return resolve
