"""`pos-app locations list|show|create|update|delete`: the business's locations on Smartbills.

A location is checked before the services are even opened: a bad field costs no request (and,
in demo mode, no sandbox start). Exit codes: 0 done, 1 the API refused or the location is
unknown, 2 bad input, 4 the API could not be reached (for `list`, the till's last copy is
printed anyway; nothing is ever created or changed offline).
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from dataclasses import fields
from typing import TypeVar

from pos_app.cli.api_errors import (
    api_errors_reported,
    invalid_reported,
    report_copy,
    run_against_api,
)
from pos_app.cli.io import (
    EXIT_OK,
    CommandError,
    json_option,
    print_fields,
    print_json,
    record_document,
)
from pos_app.cli.services import run_with_services
from pos_app.domain.receipt import Address
from pos_app.services.locations import (
    EDITABLE_FIELDS,
    LocationDraft,
    LocationListing,
    LocationRecord,
    UnknownLocation,
    validate_changes,
    validate_location,
)
from pos_app.services.runtime import AppServices, ServicesOpener

T = TypeVar("T")

# The service's field -> its option, with a help text.
_OPTIONS: dict[str, tuple[str, str]] = {
    "name": ("--name", "the location's name (required)"),
    "description": ("--description", ""),
    "merchant_category_code": ("--mcc", "merchant category code, 4 digits (5411: grocery)"),
    "currency": ("--currency", "ISO 4217 code, e.g. CAD"),
    "timezone": ("--timezone", "IANA time zone, e.g. America/Toronto"),
    "phone": ("--phone", ""),
    "email": ("--email", "a location is unique by email or phone"),
    "website": ("--website", ""),
    "locale": ("--locale", "e.g. fr-CA"),
    "line1": ("--line1", "street address"),
    "line2": ("--line2", ""),
    "city": ("--city", ""),
    "state": ("--state", "province or state, e.g. Québec"),
    "state_code": ("--state-code", "e.g. QC"),
    "country": ("--country", ""),
    "country_code": ("--country-code", "2 letters, e.g. CA"),
    "postal_code": ("--postal-code", ""),
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("locations", help="the business's locations")
    sub = parser.add_subparsers(dest="locations_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="every location (the till's copy offline)")
    json_option(listing)
    listing.set_defaults(handler=_list)
    show = sub.add_parser("show", help="one location, as the server has it")
    show.add_argument("id")
    json_option(show)
    show.set_defaults(handler=_show)

    create = sub.add_parser("create", help="a new location (needs the API)")
    _field_options(create, "")
    json_option(create)
    create.set_defaults(handler=_create)

    update = sub.add_parser("update", help="change some fields of a location")
    update.add_argument("id")
    _field_options(update, "new value; an empty one clears an optional field")
    json_option(update)
    update.set_defaults(handler=_update)

    delete = sub.add_parser("delete", help="delete a location")
    delete.add_argument("id")
    delete.set_defaults(handler=_delete)


def _field_options(parser: argparse.ArgumentParser, note: str) -> None:
    for name, (option, text) in _OPTIONS.items():
        parser.add_argument(option, dest=name, help="; ".join(t for t in (text, note) if t))
    parser.add_argument(
        "--active",
        dest="is_active",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="whether the location is in use (new ones are)",
    )


def _line(record: LocationRecord) -> str:
    where = ", ".join(record.address.lines()) or "-"
    inactive = "  (inactive)" if record.is_active is False else ""
    return f"{record.id}  {record.name}  {where}  {record.phone or '-'}{inactive}"


def _list(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    async def work(services: AppServices) -> LocationListing:
        with api_errors_reported():
            return await services.locations.list_locations()

    listing = run_with_services(runtime, work, offline=False)
    if args.json:
        print_json([record_document(record) for record in listing.locations])
    else:
        for record in listing.locations:
            print(_line(record))
    return report_copy(listing.failure)


def _show(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    _print_record(_run(runtime, lambda s: s.locations.show(args.id)), args.json)
    return EXIT_OK


def _print_record(record: LocationRecord, as_json: bool) -> None:
    if as_json:
        print_json(record_document(record))
        return
    rows = [
        ("id", record.id),
        ("name", record.name),
        ("address", "\n         ".join(record.address.lines())),
        ("phone", record.phone),
        ("email", record.email),
        ("website", record.website),
        ("timezone", record.timezone),
        ("currency", record.currency),
        ("mcc", record.merchant_category_code),
    ]
    print_fields(rows)
    if record.is_active is False:
        print(f"{'status':<8} inactive")


def _run(runtime: ServicesOpener, work: Callable[[AppServices], Awaitable[T]]) -> T:
    return run_against_api(runtime, work, unknown=UnknownLocation)


def _checked(check: Callable[[], object]) -> None:
    """Local checks, answered before any request is made."""
    with invalid_reported():
        check()


def _create(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    given = {name: getattr(args, name) for name in _OPTIONS}
    address = Address(**{f.name: given.pop(f.name) or "" for f in fields(Address)})
    draft = LocationDraft(
        **given,
        address=address,
        is_active=args.is_active is not False,
    )
    _checked(lambda: validate_location(draft))
    _print_record(_run(runtime, lambda s: s.locations.create(draft)), args.json)
    return EXIT_OK


def _update(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    changes: dict[str, str | bool | None] = {
        name: getattr(args, name) for name in EDITABLE_FIELDS if getattr(args, name) is not None
    }
    if not changes:
        options = [option for option, _help in _OPTIONS.values()] + ["--active/--no-active"]
        raise CommandError(f"nothing to change: give one or more of {', '.join(options)}")
    _checked(lambda: validate_changes(changes))
    _print_record(_run(runtime, lambda s: s.locations.patch(args.id, changes)), args.json)
    return EXIT_OK


def _delete(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    _run(runtime, lambda s: s.locations.delete(args.id))
    print(f"deleted {args.id}")
    return EXIT_OK
