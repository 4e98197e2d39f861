"""`pos-app receipt build|pdf|escpos|print`: the request a cart would send, a receipt's PDF or
ESC/POS byte stream, a reprint."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pos_app.cli.io import EXIT_ERROR, EXIT_OK, CommandError, print_json, read_cart
from pos_app.cli.services import CommandRuntime, SettingsReader, run_with_services
from pos_app.domain.paper import Paper, ReceiptLanguage
from pos_app.domain.receipt import Receipt, SaleError
from pos_app.services.checkout import PrintOutcome, UnknownOrderError
from pos_app.services.runtime import AppServices, ServicesOpener


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("receipt", help="receipt requests, PDFs and reprints")
    sub = parser.add_subparsers(dest="receipt_command", metavar="ACTION", required=True)

    build = sub.add_parser("build", help="print the ReceiptCreateRequest JSON a cart would send")
    build.add_argument("cart", help="cart JSON file, or - for standard input")
    build.set_defaults(handler=_build)

    pdf = sub.add_parser("pdf", help="write the PDF of a cart's receipt or of a recorded sale")
    pdf.add_argument("source", help="cart JSON file, - for standard input, or an order number")
    pdf.add_argument("-o", "--output", required=True, type=Path, help="PDF file to write")
    pdf.add_argument("--paper", choices=[p.value for p in Paper], help="default: settings")
    pdf.add_argument(
        "--lang", choices=[lang.value for lang in ReceiptLanguage], help="default: settings"
    )
    pdf.add_argument("--copy", action="store_true", help='mark it "COPY / DUPLICATA"')
    pdf.set_defaults(handler=_pdf)

    escpos = sub.add_parser(
        "escpos", help="write the ESC/POS byte stream a thermal printer would get for a receipt"
    )
    escpos.add_argument("source", help="cart JSON file, - for standard input, or an order number")
    escpos.add_argument("-o", "--output", required=True, type=Path, help="file to write")
    escpos.add_argument(
        "--paper",
        choices=[Paper.ROLL_80MM.value, Paper.ROLL_58MM.value],
        help="default: the configured thermal printer's profile",
    )
    escpos.add_argument(
        "--lang", choices=[lang.value for lang in ReceiptLanguage], help="default: settings"
    )
    escpos.add_argument("--copy", action="store_true", help='mark it "COPY / DUPLICATA"')
    escpos.set_defaults(handler=_escpos)

    reprint = sub.add_parser("print", help="print a recorded sale again (marked as a copy)")
    reprint.add_argument("order_number")
    reprint.set_defaults(handler=_print)


def _draft(services: AppServices, source: str, runtime: SettingsReader) -> Receipt:
    try:
        return services.checkout.draft(read_cart(source, runtime.settings().policy))
    except SaleError as error:
        raise CommandError(error.problems) from None


def _build(args: argparse.Namespace, runtime: CommandRuntime) -> int:
    async def build(services: AppServices) -> bytes:
        return services.checkout.preview_request(_draft(services, args.cart, runtime).cart)

    body = run_with_services(runtime, build, offline=True)
    sys.stdout.buffer.write(body + b"\n")
    return EXIT_OK


def _is_cart_source(source: str) -> bool:
    return source == "-" or source.lower().endswith(".json") or Path(source).is_file()


async def _receipt_of(services: AppServices, source: str, runtime: SettingsReader) -> Receipt:
    """The receipt of a cart file (drafted, nothing recorded) or of a recorded sale."""
    if _is_cart_source(source):
        return _draft(services, source, runtime)
    try:
        return await services.checkout.receipt(source)
    except UnknownOrderError as error:
        raise CommandError(str(error)) from None


def _write_receipt(args: argparse.Namespace, runtime: CommandRuntime, *, escpos: bool) -> int:
    """Writes the receipt's PDF, or its ESC/POS byte stream, to args.output."""

    async def render(services: AppServices) -> bytes:
        checkout = services.checkout
        renderer = checkout.render_escpos if escpos else checkout.render
        return await renderer(
            await _receipt_of(services, args.source, runtime),
            copy=args.copy,
            paper=Paper(args.paper) if args.paper else None,
            language=ReceiptLanguage(args.lang) if args.lang else None,
        )

    data = run_with_services(runtime, render, offline=True)
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data)} bytes)")
    return EXIT_OK


def _pdf(args: argparse.Namespace, runtime: CommandRuntime) -> int:
    return _write_receipt(args, runtime, escpos=False)


def _escpos(args: argparse.Namespace, runtime: CommandRuntime) -> int:
    return _write_receipt(args, runtime, escpos=True)


def _print(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    async def reprint(services: AppServices) -> PrintOutcome:
        try:
            return await services.checkout.reprint(args.order_number)
        except UnknownOrderError as error:
            raise CommandError(str(error)) from None

    outcome = run_with_services(runtime, reprint, offline=True)
    print_json(
        {"archived": outcome.archived_at, "printed": outcome.printed_to, "error": outcome.error}
    )
    return EXIT_ERROR if outcome.error else EXIT_OK
