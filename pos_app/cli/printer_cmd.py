"""`pos-app printer test|virtual` and `pos-app drawer open`: trying the thermal printer, a
virtual one for demos, and opening the cash drawer with a reason (audited)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pos_app.cli.io import EXIT_ERROR, EXIT_OK, CommandError
from pos_app.cli.services import CommandRuntime, run_with_services
from pos_app.domain.invalid_input import InvalidInput
from pos_app.domain.paper import PrintError
from pos_app.services.drawer import DrawerOutcome
from pos_app.services.runtime import AppServices, EntryPoints, ServicesOpener

VIRTUAL_MODES = ("ready", "stalled", "paper_out")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    printer = commands.add_parser("printer", help="the thermal (ESC/POS) printer")
    sub = printer.add_subparsers(dest="printer_command", metavar="ACTION", required=True)
    test = sub.add_parser("test", help="print a test page on the configured thermal printer")
    test.set_defaults(handler=_test)
    virtual = sub.add_parser(
        "virtual",
        help="run a virtual thermal printer (TCP) that keeps what it receives, for demos",
    )
    virtual.add_argument("--host", default="127.0.0.1", help="address to listen on")
    virtual.add_argument("--port", type=int, default=9100, help="default: 9100")
    virtual.add_argument("--save", type=Path, help="write each job there (.bin and decoded .txt)")
    virtual.add_argument("--mode", choices=VIRTUAL_MODES, default="ready", help="default: ready")
    virtual.set_defaults(handler=_virtual)

    drawer = commands.add_parser("drawer", help="the cash drawer behind the thermal printer")
    drawer_sub = drawer.add_subparsers(dest="drawer_command", metavar="ACTION", required=True)
    opening = drawer_sub.add_parser("open", help="open the cash drawer (audited with the reason)")
    opening.add_argument("--reason", required=True, help="why it is opened (kept in the audit)")
    opening.set_defaults(handler=_open_drawer)


def _test(args: argparse.Namespace, runtime: CommandRuntime) -> int:
    async def test(services: AppServices) -> str:
        return await services.printers.print_test_page(runtime.settings())

    try:
        print(run_with_services(runtime, test, offline=True))
    except ValueError as error:
        raise CommandError(f"printer: {error}") from None
    except PrintError as error:
        raise CommandError(f"printer: {error}", EXIT_ERROR) from None
    return EXIT_OK


def _virtual(args: argparse.Namespace, runtime: EntryPoints) -> int:
    return runtime.run_virtual_printer(args.host, args.port, args.mode, args.save)


def _open_drawer(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    async def open_it(services: AppServices) -> DrawerOutcome:
        return await services.drawer.open(args.reason)

    try:
        outcome = run_with_services(runtime, open_it, offline=True)
    except InvalidInput as error:
        raise CommandError(error.problems) from None
    if not outcome.opened:
        raise CommandError(f"drawer: {outcome.message}", EXIT_ERROR)
    print(outcome.message)
    return EXIT_OK
