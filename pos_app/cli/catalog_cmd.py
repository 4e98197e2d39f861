"""`pos-app catalog import FILE.csv` and `pos-app catalog search TEXT`.

Import keeps every good row and names every bad one by line; it exits 0 when the whole file
was good, 2 when some rows were left out (the good ones are imported all the same), so a
script notices a price list that needs fixing.
"""

from __future__ import annotations

import argparse
import sys

from pos_app.cli.io import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    CommandError,
    json_option,
    print_json,
    read_input,
)
from pos_app.cli.services import run_with_services
from pos_app.services.catalog import ImportReport
from pos_app.services.catalog_csv import CatalogFileError
from pos_app.services.ports.catalog import ProductRow
from pos_app.services.runtime import AppServices, ServicesOpener


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("catalog", help="the product catalog")
    sub = parser.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    load = sub.add_parser(
        "import",
        help="add or update products from a CSV file",
        description="Columns: barcode,sku,name_fr,name_en,unit_price,unit,taxes. Products are "
        "added or updated by SKU; bad rows are reported by line and left out.",
    )
    load.add_argument("file", help="CSV file, or - for standard input")
    load.set_defaults(handler=_import)
    search = sub.add_parser("search", help="products by name, SKU or barcode")
    search.add_argument("text")
    search.add_argument("--limit", type=int, default=20)
    json_option(search)
    search.set_defaults(handler=_search)


def _import(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    data = read_input(args.file)

    async def work(services: AppServices) -> ImportReport:
        try:
            return await services.catalog.import_csv(data)
        except CatalogFileError as error:
            raise CommandError(f"{args.file}: {error}") from None

    # The catalog is local: no network is needed (nor, in demo mode, the sandbox).
    report = run_with_services(runtime, work, offline=True)
    print(f"imported {report.imported} products")
    for bad in report.bad_rows:
        print(bad, file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def _search(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    async def work(services: AppServices) -> list[ProductRow]:
        return await services.catalog.search(args.text, args.limit)

    products = run_with_services(runtime, work, offline=True)
    if args.json:
        print_json(
            [
                {
                    "sku": p.sku,
                    "barcode": p.barcode or None,
                    "nameFr": p.name_fr,
                    "nameEn": p.name_en,
                    "unitPrice": f"{p.unit_price:f}",
                    "unit": p.unit or None,
                    "taxes": p.taxes,
                }
                for p in products
            ]
        )
        return EXIT_OK
    for p in products:
        per = "/kg" if p.unit == "kg" else ""
        print(f"{p.sku}  {p.barcode or '-'}  {p.name_fr}  {p.unit_price:f}{per}  {p.taxes or '-'}")
    return EXIT_OK
