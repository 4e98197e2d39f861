"""`pos-app receipt build CART.json`: the ReceiptCreateRequest that would be sent."""

from __future__ import annotations

import argparse
import sys

from pos_app.cli.io import EXIT_OK, CommandError, read_cart
from pos_app.cli.services import run_with_services
from pos_app.domain.receipt import SaleError
from pos_app.services.runtime import AppServices, Runtime


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("receipt", help="receipt requests, PDFs and reprints")
    sub = parser.add_subparsers(dest="receipt_command", metavar="ACTION", required=True)
    build = sub.add_parser("build", help="print the ReceiptCreateRequest JSON a cart would send")
    build.add_argument("cart", help="cart JSON file, or - for standard input")
    build.set_defaults(handler=_build)


def _build(args: argparse.Namespace, runtime: Runtime) -> int:
    cart = read_cart(args.cart, runtime.settings().policy)

    async def build(services: AppServices) -> bytes:
        try:
            return services.checkout.preview_request(cart)
        except SaleError as error:
            raise CommandError(error.problems) from None

    body = run_with_services(runtime, build, offline=True)
    sys.stdout.buffer.write(body + b"\n")
    return EXIT_OK
