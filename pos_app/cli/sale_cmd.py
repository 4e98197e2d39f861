"""`pos-app sale CART.json`: finish a sale from a cart (commit + enqueue) on a headless till.

A cart the till would refuse (balance due, an account on credit hold or over its limit) exits 2
with one line per reason, and nothing is recorded."""

from __future__ import annotations

import argparse
import sys

from pos_app.cli.io import EXIT_OK, CommandError, print_json, read_cart
from pos_app.cli.services import CommandRuntime, run_with_services
from pos_app.domain.cart import PaymentType
from pos_app.domain.receipt import SaleError
from pos_app.domain.shifts import ShiftError
from pos_app.services.checkout import FinishedSale
from pos_app.services.runtime import AppServices


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("sale", help="finish a sale from a cart: record it and queue it")
    parser.add_argument("cart", help="cart JSON file, or - for standard input")
    parser.add_argument("--cashier", default="", help="name printed on the receipt")
    parser.add_argument("--no-print", action="store_true", help="record and queue only")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, runtime: CommandRuntime) -> int:
    cart = read_cart(args.cart, runtime.settings().policy)

    async def finish(services: AppServices) -> FinishedSale:
        try:
            return await services.checkout.finish_sale(
                cart, args.cashier, print_receipt=not args.no_print
            )
        except SaleError as error:
            raise CommandError(error.problems) from None
        except ShiftError as error:
            raise CommandError(str(error)) from None

    # A sale on a house account asks Invoiced for the account's live figures (the till's copy
    # when it cannot be reached); any other sale needs no network to be recorded.
    on_account = any(p.type == PaymentType.ACCOUNT for p in cart.payments)
    sale = run_with_services(runtime, finish, offline=not on_account)
    document = {"orderNumber": sale.order_number, "receiptId": sale.receipt.receipt_id}
    if sale.printing.error:
        document["printError"] = sale.printing.error
        # Recorded and queued all the same: exit 0, and say so, so nobody rings it again.
        print(
            f"{sale.order_number} recorded and queued; receipt not printed: {sale.printing.error}",
            file=sys.stderr,
        )
    print_json(document)
    return EXIT_OK
