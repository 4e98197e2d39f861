"""`pos-app totals CART.json`: the totals document of formats/cart.md."""

from __future__ import annotations

import argparse

from pos_app.cli.io import EXIT_OK, print_json, read_cart
from pos_app.cli.services import SettingsReader
from pos_app.domain.totals import compute_totals
from pos_app.domain.totals_format import totals_document


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("totals", help="print the totals of a cart (JSON)")
    parser.add_argument("cart", help="cart JSON file, or - for standard input")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, runtime: SettingsReader) -> int:
    cart = read_cart(args.cart, runtime.settings().policy)
    print_json(totals_document(compute_totals(cart)))
    return EXIT_OK
