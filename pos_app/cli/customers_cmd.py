"""`pos-app customers list|show|create|update|delete|sync`.

A customer is checked before the services are even opened: a missing field costs no request
(and, in demo mode, no sandbox start). Exit codes: 0 done, 1 the API refused or the customer
is unknown, 2 bad input, 4 the API could not be reached (for `list`, the till's copy is
printed anyway; for `create`, the customer is kept on the till and sent by `sync`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from pos_app.cli.api_errors import (
    EXIT_UNREACHABLE,
    command_error,
    invalid_reported,
    report_copy,
    run_against_api,
)
from pos_app.cli.io import (
    EXIT_ERROR,
    EXIT_OK,
    CommandError,
    json_option,
    print_fields,
    print_json,
    record_document,
)
from pos_app.services.customers import (
    CustomerDraft,
    CustomerRecord,
    UnknownCustomer,
    validate_changes,
    validate_customer,
)
from pos_app.services.runtime import AppServices, ServicesOpener

T = TypeVar("T")

# Option name -> the service's field name.
_FIELDS = {
    "first_name": "--first-name",
    "last_name": "--last-name",
    "locale": "--locale",
    "email": "--email",
    "phone": "--phone",
    "company": "--company",
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("customers", help="find, create, change and delete customers")
    sub = parser.add_subparsers(dest="customers_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help="customers, newest first (the till's copy offline)")
    listing.add_argument("--search", metavar="TEXT", help="words of a name, email or phone")
    listing.add_argument("--limit", type=int, default=100, help="at most this many (100)")
    json_option(listing)
    listing.set_defaults(handler=_list)

    show = sub.add_parser("show", help="one customer, as the server has it")
    show.add_argument("id")
    json_option(show)
    show.set_defaults(handler=_show)

    create = sub.add_parser("create", help="a new customer (kept on the till when offline)")
    _field_options(create, "required")
    json_option(create)
    create.set_defaults(handler=_create)

    update = sub.add_parser("update", help="change some fields of a customer")
    update.add_argument("id")
    _field_options(update, "new value; an empty one clears an optional field")
    json_option(update)
    update.set_defaults(handler=_update)

    delete = sub.add_parser("delete", help="delete a customer")
    delete.add_argument("id")
    delete.set_defaults(handler=_delete)

    sync = sub.add_parser("sync", help="send the customers created while offline")
    sync.set_defaults(handler=_sync)


def _field_options(parser: argparse.ArgumentParser, note: str) -> None:
    parser.add_argument("--first-name", help=note)
    parser.add_argument("--last-name", help=note)
    parser.add_argument("--locale", help=f"fr-CA, en-CA or en-US ({note})")
    parser.add_argument("--email", help="an email or a phone is required")
    parser.add_argument("--phone", help="an email or a phone is required")
    parser.add_argument("--company")


# ---------------------------------------------------------------------------------------------
# Output


def _print_record(record: CustomerRecord, as_json: bool) -> None:
    if as_json:
        print_json(record_document(record))
        return
    rows = [
        ("id", record.id),
        ("name", record.display_name),
        ("email", record.email),
        ("phone", record.phone),
        ("locale", record.locale),
        ("company", record.company),
    ]
    print_fields(rows)
    if record.pending:
        print(f"{'status':<8} created on this till, not yet on the server")


def _line(record: CustomerRecord) -> str:
    parts = [record.id, record.display_name, record.email or "-", record.phone or "-"]
    parts.append(record.locale or "-")
    return "  ".join(parts) + ("  (pending)" if record.pending else "")


# ---------------------------------------------------------------------------------------------
# Running


def _run(runtime: ServicesOpener, work: Callable[[AppServices], Awaitable[T]]) -> T:
    return run_against_api(runtime, work, unknown=UnknownCustomer)


def _checked(check: Callable[[], object]) -> None:
    """Local checks, answered before any request is made."""
    with invalid_reported():
        check()


def _list(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    if args.limit < 1:
        raise CommandError("--limit must be at least 1")
    listing = _run(runtime, lambda s: s.customers.list_customers(args.search, args.limit))
    if args.json:
        print_json([record_document(c) for c in listing.customers])
    else:
        for record in listing.customers:
            print(_line(record))
    return report_copy(listing.failure)


def _show(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    _print_record(_run(runtime, lambda s: s.customers.get(args.id)), args.json)
    return EXIT_OK


def _create(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    draft = CustomerDraft(
        first_name=args.first_name or "",
        last_name=args.last_name or "",
        locale=args.locale or "",
        email=args.email,
        phone=args.phone,
        company=args.company,
    )
    _checked(lambda: validate_customer(draft))
    record = _run(runtime, lambda s: s.customers.create(draft))
    _print_record(record, args.json)
    if record.pending:
        print(
            f"API unreachable: {record.id} is kept on this till; "
            "`pos-app customers sync` sends it once the API answers",
            file=sys.stderr,
        )
        return EXIT_UNREACHABLE
    return EXIT_OK


def _update(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    changes = {name: getattr(args, name) for name in _FIELDS if getattr(args, name) is not None}
    if not changes:
        raise CommandError(f"nothing to change: give one or more of {', '.join(_FIELDS.values())}")
    _checked(lambda: validate_changes(changes))
    record = _run(runtime, lambda s: s.customers.patch(args.id, changes))
    _print_record(record, args.json)
    return EXIT_OK


def _delete(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    _run(runtime, lambda s: s.customers.delete(args.id))
    print(f"deleted {args.id}")
    return EXIT_OK


def _sync(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    report = _run(runtime, lambda s: s.customers.sync_pending())
    for local_id, server_id in report.created:
        print(f"{local_id} -> {server_id}")
    print(f"sent {len(report.created)} customer(s)")
    for local_id, message in report.refused:
        print(f"{local_id}: refused by the API: {message}", file=sys.stderr)
    if report.stopped is not None:
        error = command_error(report.stopped)
        for line in error.lines:
            print(line, file=sys.stderr)
        return error.code
    return EXIT_ERROR if report.refused else EXIT_OK
