"""The cashier's day on the command line: `refund`, `void`, `shift open|cash-in|cash-out|close`
and `report x|z [-o FILE.pdf]`. Each prints what it recorded (`--json`: as JSON); bad input
exits 2 with one line per reason and records nothing."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pos_app.cli.io import EXIT_OK, CommandError, json_option, print_fields, print_json
from pos_app.cli.services import CommandRuntime, run_with_services
from pos_app.domain.money import AmountError, format_amount, to_decimal
from pos_app.domain.paper import Paper
from pos_app.domain.receipt import Receipt
from pos_app.domain.refunds import RefundError
from pos_app.domain.shifts import CountError, ShiftError, parse_count
from pos_app.services.checkout import UnknownOrderError
from pos_app.services.corrections import RecordedCorrection
from pos_app.services.runtime import AppServices, ServicesOpener
from pos_app.services.shifts import report_document

T = TypeVar("T")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    refund = commands.add_parser("refund", help="give back lines of a sale (a refund receipt)")
    refund.add_argument("order", help="the sale's order number, e.g. A1-000042")
    which = refund.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="everything not yet returned")
    which.add_argument(
        "--line",
        action="append",
        metavar="N:QTY",
        help="line N (1-based, as printed) and the quantity or weight returned; repeatable",
    )
    refund.add_argument(
        "--to", choices=("original", "cash"), default="original", help="tender given back"
    )
    refund.add_argument("--cashier", default="")
    refund.add_argument("--no-print", action="store_true", help="record and queue only")
    json_option(refund)
    refund.set_defaults(handler=run_refund)

    void = commands.add_parser("void", help="cancel a sale of the open shift, with a reason")
    void.add_argument("order", help="the sale's order number")
    void.add_argument("--reason", required=True, help="why the sale is voided")
    void.add_argument("--cashier", default="")
    void.add_argument("--no-print", action="store_true", help="record and queue only")
    json_option(void)
    void.set_defaults(handler=run_void)

    shift = commands.add_parser("shift", help="open, pay cash in or out, close the shift")
    actions = shift.add_subparsers(dest="action", metavar="ACTION", required=True)
    opening = actions.add_parser("open", help="open the shift with its starting float")
    opening.add_argument("--float", dest="opening_float", required=True, metavar="AMOUNT")
    json_option(opening)
    for name, paid_in in (("cash-in", True), ("cash-out", False)):
        move = actions.add_parser(name, help=f"paid-{'in' if paid_in else 'out'}, with a reason")
        move.add_argument("amount")
        move.add_argument("--reason", required=True)
        move.set_defaults(paid_in=paid_in)
        json_option(move)
    closing = actions.add_parser("close", help="close with the cash counted; prints the Z")
    counted = closing.add_mutually_exclusive_group(required=True)
    counted.add_argument("--counted", metavar="AMOUNT", help="the cash in the drawer")
    counted.add_argument(
        "--count",
        action="append",
        metavar="DxN,...",
        help="count per denomination, e.g. 20x3,5x2,2x4,0.25x8 (repeatable)",
    )
    json_option(closing)
    shift.set_defaults(handler=run_shift)

    report = commands.add_parser("report", help="the X (so far) or Z (last close) report")
    report.add_argument("kind", choices=("x", "z"))
    report.add_argument("-o", "--output", type=Path, metavar="FILE.pdf", help="also as a PDF")
    report.add_argument("--paper", choices=[p.value for p in Paper], help="default: settings")
    json_option(report)
    report.set_defaults(handler=run_report)


def _refused(work: Callable[[AppServices], Awaitable[T]]) -> Callable[[AppServices], Awaitable[T]]:
    """The services' refusals as the command's: one line per reason, exit 2."""

    async def guarded(services: AppServices) -> T:
        try:
            return await work(services)
        except RefundError as error:
            raise CommandError(error.problems) from None
        except (ShiftError, UnknownOrderError) as error:
            raise CommandError(str(error)) from None

    return guarded


def _amount(text: str, field: str) -> Decimal:
    try:
        return to_decimal(text)
    except AmountError as error:
        raise CommandError(f"{field}: {error}") from None


def _lines(specs: list[str]) -> dict[int, Decimal]:
    lines: dict[int, Decimal] = {}
    problems: list[str] = []
    for spec in specs:
        number, _, quantity = spec.partition(":")
        if not number.strip().isdigit() or not quantity:
            problems.append(f"--line {spec}: write N:QTY, e.g. 2:1 or 3:0.250")
            continue
        try:
            amount = to_decimal(quantity)
        except AmountError as error:
            problems.append(f"--line {spec}: {error}")
            continue
        index = int(number) - 1
        if index in lines:
            problems.append(f"--line {spec}: line {number} is given twice")
        lines[index] = amount
    if problems:
        raise CommandError(problems)
    return lines


def _correction_document(done: RecordedCorrection) -> dict[str, Any]:
    r: Receipt = done.receipt
    t = r.totals
    c = r.correction
    assert c is not None

    def a(amount: Decimal) -> str:
        return format_amount(amount, t.currency)

    document: dict[str, Any] = {
        "kind": c.kind.value,
        "orderNumber": r.order_number,
        "receiptId": r.receipt_id,
        "original": c.original_order_number,
        "currency": t.currency,
        "lines": [
            {"name": line.item.name, "quantity": f"{line.item.quantity:f}", "total": a(line.total)}
            for line in t.lines
        ],
        "taxes": [{"name": x.name, "amount": a(x.amount)} for x in t.taxes],
        "total": a(t.total),
        "paidBack": [{"type": p.type, "amount": a(p.amount)} for p in r.cart.payments if p.amount],
        "cashRounding": a(t.cash_rounding),
    }
    if c.reason:
        document["reason"] = c.reason
    if done.printing.error:
        document["printError"] = done.printing.error
    return document


def _print_record(document: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(document)
        return
    flat = [(k, v) for k, v in document.items() if isinstance(v, str | int) and v is not None]
    print_fields([(k, str(v)) for k, v in flat])


def run_refund(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    lines = None if args.all else _lines(args.line)

    async def refund(services: AppServices) -> RecordedCorrection:
        return await services.corrections.refund(
            args.order,
            lines,
            to_cash=args.to == "cash",
            cashier=args.cashier,
            print_receipt=not args.no_print,
        )

    done = run_with_services(runtime, _refused(refund), offline=True)
    _print_record(_correction_document(done), args.json)
    return EXIT_OK


def run_void(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    async def void(services: AppServices) -> RecordedCorrection:
        return await services.corrections.void(
            args.order, args.reason, cashier=args.cashier, print_receipt=not args.no_print
        )

    done = run_with_services(runtime, _refused(void), offline=True)
    _print_record(_correction_document(done), args.json)
    return EXIT_OK


def run_shift(args: argparse.Namespace, runtime: CommandRuntime) -> int:
    currency = runtime.settings().currency
    if args.action == "open":
        opening = _amount(args.opening_float, "--float")

        async def work(services: AppServices) -> dict[str, Any]:
            shift = await services.shifts.open(opening)
            return {
                "shift": shift.id,
                "register": shift.register,
                "openedAt": shift.opened_at.isoformat(),
                "float": format_amount(shift.opening_float, currency),
            }

    elif args.action in ("cash-in", "cash-out"):
        amount = _amount(args.amount, "amount")

        async def work(services: AppServices) -> dict[str, Any]:
            move = await services.shifts.move_cash(amount, args.reason, paid_in=args.paid_in)
            return {
                "movement": "paid-in" if move.paid_in else "paid-out",
                "amount": format_amount(move.amount, currency),
                "reason": move.reason,
                "at": move.at.isoformat(),
            }

    else:
        counted = None if args.counted is None else _amount(args.counted, "--counted")
        try:
            count = None if args.count is None else parse_count(",".join(args.count))
        except CountError as error:
            raise CommandError([f"--count {p}" for p in error.problems]) from None

        async def work(services: AppServices) -> dict[str, Any]:
            return report_document(await services.shifts.close(counted=counted, count=count))

    document = run_with_services(runtime, _refused(work), offline=True)
    if args.action == "close":
        _print_report(document, args.json)
    else:
        _print_record(document, args.json)
    return EXIT_OK


def run_report(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    output: Path | None = args.output
    if output is not None and output.suffix.lower() != ".pdf":
        raise CommandError(f"-o: {output} must end in .pdf")
    paper = Paper(args.paper) if args.paper else None

    async def work(services: AppServices) -> dict[str, Any]:
        if args.kind == "x":
            document = report_document(await services.shifts.report())
        else:
            last = await services.shifts.last_z()
            if last is None:
                raise ShiftError("no shift was closed on this register yet")
            document = last
        if output is not None:
            pdf = await services.shifts.render_report(document, paper=paper)
            try:
                output.write_bytes(pdf)
            except OSError as error:
                raise CommandError(f"-o: {output}: {error.strerror or error}") from None
        return document

    document = run_with_services(runtime, _refused(work), offline=True)
    _print_report(document, args.json)
    if output is not None and not args.json:
        print(f"  PDF: {output}")
    return EXIT_OK


def _print_report(document: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(document)
        return
    cur = document["currency"]
    print(f"{document['kind']} report, shift {document['shift']}, register {document['register']}")
    for key in ("sales", "refunds", "voids"):
        print(f"  {key:<12} {document[key]['count']:>4}  {document[key]['total']:>12} {cur}")
    print(f"  {'net sales':<12}       {document['netSales']:>12} {cur}")
    for tax in document["taxes"]:
        label = f"{tax['name']} {tax['percentage']}%"
        print(f"  {label:<18} {tax['net']:>12}")
    for pay in document["payments"]:
        print(f"  {pay['type']:<18} {pay['net']:>12}")
    print(f"  {'discounts':<18} {document['discounts']:>12}")
    for key, value in document["cash"].items():
        if value is not None:
            print(f"  {key:<18} {value:>12}")
    print(f"  waiting {document['waiting']}, needs attention {document['needsAttention']}")
