"""`pos-app accounts list|show|create|statement`: house accounts on Invoiced.

Exit codes as for customers: 0 done, 1 Invoiced refused or the account is unknown, 2 bad
input (checked before anything is opened), 4 Invoiced could not be reached (`list` then prints
the till's copy; `create` keeps the account on the till and sends it later; `statement` sends
nothing).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pos_app.cli.api_errors import EXIT_UNREACHABLE, invalid_reported, run_against_api
from pos_app.cli.io import EXIT_OK, CommandError, json_option, print_fields, print_json
from pos_app.cli.services import CommandRuntime
from pos_app.domain.accounts import CachedAccount
from pos_app.domain.money import format_amount
from pos_app.services.accounts import (
    AccountDraft,
    AccountsNotConfigured,
    AccountView,
    UnknownAccount,
    validate_account,
)
from pos_app.services.runtime import AppServices, ServicesOpener

T = TypeVar("T")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("accounts", help="house accounts (Invoiced customers on credit)")
    sub = parser.add_subparsers(dest="accounts_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help="every account, all pages (the till's copy offline)")
    listing.add_argument("--search", metavar="TEXT", help="words of a name, number, e-mail, phone")
    json_option(listing)
    listing.set_defaults(handler=_list)

    show = sub.add_parser("show", help="one account with its balance (live when online)")
    show.add_argument("number")
    json_option(show)
    show.set_defaults(handler=_show)

    create = sub.add_parser("create", help="a new account (kept on the till when offline)")
    create.add_argument("--name", required=True)
    create.add_argument("--email")
    create.add_argument("--phone")
    create.add_argument("--credit-limit", metavar="AMOUNT", help="in the store's currency")
    json_option(create)
    create.set_defaults(handler=_create)

    statement = sub.add_parser("statement", help="e-mail the account's statement (online only)")
    statement.add_argument("number")
    statement.set_defaults(handler=_statement)


# ---------------------------------------------------------------------------------------------
# Output


def _amount(value: Any, currency: str) -> str | None:
    return None if value is None else format_amount(value, currency)


def _document(cached: CachedAccount, currency: str) -> dict[str, Any]:
    a = cached.account
    read_at = cached.balance_read_at
    return {
        "number": a.number,
        "name": a.name,
        "email": a.email,
        "phone": a.phone,
        "creditHold": a.credit_hold,
        "creditLimit": _amount(a.credit_limit, a.currency or currency),
        "currency": a.currency,
        "balanceOutstanding": _amount(cached.outstanding, a.currency or currency),
        "balanceReadAt": read_at.isoformat() if read_at else None,
        "pending": cached.pending,
        "state": cached.create_state,
        "error": cached.last_error,
    }


def _line(cached: CachedAccount, currency: str) -> str:
    a = cached.account
    limit = _amount(a.credit_limit, a.currency or currency) or "no limit"
    parts = [a.number, a.name, a.email or "-", a.phone or "-", f"limit {limit}"]
    if a.credit_hold:
        parts.append("CREDIT HOLD")
    if cached.pending:
        parts.append(f"({cached.create_state})")
    return "  ".join(parts)


def _print_view(view: AccountView, currency: str, as_json: bool) -> None:
    cached = view.cached
    unsent = format_amount(view.unsent, view.account.currency or currency)
    if as_json:
        print_json({**_document(cached, currency), "unsent": unsent, "live": view.live})
        return
    document = _document(cached, currency)
    print_fields(
        [
            ("number", document["number"]),
            ("name", document["name"]),
            ("email", document["email"]),
            ("phone", document["phone"]),
            ("hold", "yes" if view.account.credit_hold else "no"),
            ("limit", document["creditLimit"] or "none"),
            ("balance", document["balanceOutstanding"] or "never read"),
            ("read at", document["balanceReadAt"]),
            ("unsent", unsent),
        ]
    )
    if not view.live:
        print(f"not live ({view.error}): the till's copy", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Running


def _run(runtime: ServicesOpener, work: Callable[[AppServices], Awaitable[T]]) -> T:
    async def configured(services: AppServices) -> T:
        try:
            return await work(services)
        except AccountsNotConfigured as error:
            raise CommandError(f"{error} (or POS_INVOICED_URL and POS_INVOICED_KEY)") from None

    return run_against_api(runtime, configured, unknown=UnknownAccount)


def _list(args: argparse.Namespace, runtime: CommandRuntime) -> int:
    listing = _run(runtime, lambda s: s.accounts.list_accounts(args.search))
    currency = runtime.settings().currency
    if args.json:
        print_json([_document(c, currency) for c in listing.accounts])
    else:
        for cached in listing.accounts:
            print(_line(cached, currency))
    if listing.from_cache:
        print(f"Invoiced unreachable: {listing.error}; this is the till's copy", file=sys.stderr)
        return EXIT_UNREACHABLE
    return EXIT_OK


def _show(args: argparse.Namespace, runtime: CommandRuntime) -> int:
    view = _run(runtime, lambda s: s.accounts.show(args.number))
    _print_view(view, runtime.settings().currency, args.json)
    return EXIT_OK


def _create(args: argparse.Namespace, runtime: CommandRuntime) -> int:
    draft = AccountDraft(
        name=args.name, email=args.email, phone=args.phone, credit_limit=args.credit_limit
    )
    currency = runtime.settings().currency
    with invalid_reported():
        validate_account(draft, currency)
    cached = _run(runtime, lambda s: s.accounts.create(draft))
    if args.json:
        print_json(_document(cached, currency))
    else:
        print(_line(cached, currency))
    if cached.pending:
        reason = cached.last_error or "not sent"
        print(
            f"Invoiced: {reason}; {cached.number} is kept on this till and sent once Invoiced "
            "answers",
            file=sys.stderr,
        )
        return EXIT_UNREACHABLE
    return EXIT_OK


def _statement(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    sent = _run(runtime, lambda s: s.accounts.send_statement(args.number))
    print(f"statement of {args.number} e-mailed ({sent} e-mail(s))")
    return EXIT_OK
