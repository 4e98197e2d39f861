"""`pos-app locations list|show ID`: the business's locations on Smartbills.

Exit codes: 0 done, 1 the API refused or the location is unknown, 4 the API could not be
reached (for `list`, the till's last copy is printed anyway).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields
from typing import Any

from pos_app.cli.api_errors import EXIT_UNREACHABLE, api_errors_reported
from pos_app.cli.io import EXIT_ERROR, EXIT_OK, CommandError, print_json
from pos_app.cli.services import run_with_services
from pos_app.services.locations import LocationListing, LocationRecord, UnknownLocation
from pos_app.services.runtime import AppServices, Runtime


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("locations", help="the business's locations")
    sub = parser.add_subparsers(dest="locations_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="every location (the till's copy offline)")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(handler=_list)
    show = sub.add_parser("show", help="one location, as the server has it")
    show.add_argument("id")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.set_defaults(handler=_show)


def _document(record: LocationRecord) -> dict[str, Any]:
    address = {f.name: getattr(record.address, f.name) for f in fields(record.address)}
    return {
        "id": record.id,
        "name": record.name,
        "description": record.description,
        "address": {key: value for key, value in address.items() if value},
        "phone": record.phone,
        "email": record.email,
        "website": record.website,
        "timezone": record.timezone,
        "currency": record.currency,
        "locale": record.locale,
        "isActive": record.is_active,
    }


def _line(record: LocationRecord) -> str:
    where = ", ".join(record.address.lines()) or "-"
    inactive = "  (inactive)" if record.is_active is False else ""
    return f"{record.id}  {record.name}  {where}  {record.phone or '-'}{inactive}"


def _list(args: argparse.Namespace, runtime: Runtime) -> int:
    async def work(services: AppServices) -> LocationListing:
        with api_errors_reported():
            return await services.locations.list_locations()

    listing = run_with_services(runtime, work, offline=False)
    if args.json:
        print_json([_document(record) for record in listing.locations])
    else:
        for record in listing.locations:
            print(_line(record))
    if listing.from_cache:
        print(f"API unreachable: {listing.error}; this is the till's copy", file=sys.stderr)
        return EXIT_UNREACHABLE
    return EXIT_OK


def _show(args: argparse.Namespace, runtime: Runtime) -> int:
    async def work(services: AppServices) -> LocationRecord:
        try:
            with api_errors_reported():
                return await services.locations.show(args.id)
        except UnknownLocation as error:
            raise CommandError(str(error), EXIT_ERROR) from None

    record = run_with_services(runtime, work, offline=False)
    if args.json:
        print_json(_document(record))
        return EXIT_OK
    rows = [
        ("id", record.id),
        ("name", record.name),
        ("address", "\n         ".join(record.address.lines())),
        ("phone", record.phone),
        ("email", record.email),
        ("website", record.website),
        ("timezone", record.timezone),
        ("currency", record.currency),
    ]
    for label, value in rows:
        if value:
            print(f"{label:<8} {value}")
    if record.is_active is False:
        print(f"{'status':<8} inactive")
    return EXIT_OK
