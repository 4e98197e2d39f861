"""`pos-app queue [--json]` and `pos-app queue retry ORDER_NUMBER`."""

from __future__ import annotations

import argparse
from typing import Any

from pos_app.cli.io import EXIT_OK, CommandError, json_option, print_json
from pos_app.cli.services import run_with_services
from pos_app.domain.money import format_amount
from pos_app.services.checkout import UnknownOrderError
from pos_app.services.ports.sales import OutboxRow
from pos_app.services.queue import QueueOverview
from pos_app.services.runtime import AppServices, ServicesOpener

STATES = ("pending", "sending", "done", "needs_attention", "paused")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("queue", help="what waits to be sent, and what needs attention")
    json_option(parser)
    parser.set_defaults(handler=_show)
    sub = parser.add_subparsers(dest="queue_command", metavar="ACTION")
    retry = sub.add_parser("retry", help="send a receipt that needs attention again")
    retry.add_argument("order_number")
    retry.set_defaults(handler=_retry)


def _row(row: OutboxRow) -> dict[str, Any]:
    return {
        "orderNumber": row.order_number,
        "receiptId": row.receipt_id,
        "total": format_amount(row.total, row.currency),
        "currency": row.currency,
        "attempts": row.attempts,
        "message": row.last_error,
        "fieldErrors": [{"field": e.field, "message": e.message} for e in row.field_errors],
    }


def _print_text(overview: QueueOverview) -> None:
    print("  ".join(f"{state}={overview.counts.get(state, 0)}" for state in STATES))
    for title, rows in (("needs attention", overview.needs_attention), ("paused", overview.paused)):
        for row in rows:
            amount = f"{format_amount(row.total, row.currency)} {row.currency}"
            print(f"{title}: {row.order_number}  {amount}  {row.last_error or ''}")
            for error in row.field_errors:
                print(f"    {error.field or '-'}: {error.message}")


def _show(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    async def overview(services: AppServices) -> QueueOverview:
        return await services.queue.overview()

    result = run_with_services(runtime, overview, offline=True)
    if args.json:
        print_json(
            {
                "counts": {state: result.counts.get(state, 0) for state in STATES},
                "needsAttention": [_row(r) for r in result.needs_attention],
                "paused": [_row(r) for r in result.paused],
            }
        )
    else:
        _print_text(result)
    return EXIT_OK


def _retry(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    async def retry(services: AppServices) -> None:
        try:
            await services.queue.retry(args.order_number)
        except (UnknownOrderError, ValueError) as error:
            raise CommandError(str(error)) from None

    run_with_services(runtime, retry, offline=True)
    print(f"{args.order_number} queued again")
    return EXIT_OK
