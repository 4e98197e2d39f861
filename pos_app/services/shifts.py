"""The cashier's shift: open it with a float, pay cash in or out with a reason, see the X
report at any time (it changes nothing), close it with the count and its Z report.

A sale, a refund and a void each join the open shift of their register in their own
transaction (the store refuses them when none is open). Closing builds the Z report from the
shift's receipts as recorded and stores it with the count in one transaction, which refuses
if anything joined the shift meanwhile.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from pos_app.domain.money import format_amount, quantum
from pos_app.domain.paper import Paper, PrintError
from pos_app.domain.shift_report import (
    CashMovementFacts,
    ReportKind,
    ShiftInfo,
    ShiftReport,
    build_report,
)
from pos_app.domain.shifts import ShiftError, counted_total
from pos_app.services.ports.printing import Printer, ReportRenderer
from pos_app.services.ports.shifts import CashDrawer, CashMovementRow, ShiftRow, ShiftStore
from pos_app.services.sale_record import receipt_from_row
from pos_app.services.settings import Settings

log = logging.getLogger("pos_app.shifts")

_WAITING = {"pending", "sending", "paused"}


class ReportOutput:
    """Where reports go on paper: the renderer, the till's printer and the PDF archive."""

    def __init__(self, renderer: ReportRenderer, printer: Printer, archive: Printer):
        self.renderer = renderer
        self.printer = printer
        self.archive = archive


class ShiftService:
    def __init__(
        self,
        shifts: ShiftStore,
        settings: Callable[[], Settings],
        drawer: CashDrawer | None = None,
        output: ReportOutput | None = None,
    ):
        self._shifts = shifts
        self._settings = settings
        self._drawer = drawer
        self._output = output

    @property
    def _register(self) -> str:
        return self._settings().register_prefix

    async def current(self) -> ShiftRow | None:
        return await self._shifts.current(self._register)

    async def open(self, opening_float: Decimal) -> ShiftRow:
        """Raises ShiftError for a negative float or when a shift is already open."""
        settings = self._settings()
        if opening_float < 0:
            raise ShiftError(f"float: {opening_float:f} is negative")
        self._check_places(opening_float, "float")
        return await self._shifts.open(settings.register_prefix, settings.currency, opening_float)

    async def ensure_open(self) -> ShiftRow:
        """The open shift, opened with no float when there is none (demo mode)."""
        return await self.current() or await self.open(Decimal(0))

    async def move_cash(self, amount: Decimal, reason: str, *, paid_in: bool) -> CashMovementRow:
        """Paid-in or paid-out on the open shift. Raises ShiftError (nothing recorded) for an
        amount that is not positive, a missing reason, or no open shift."""
        self._check_places(amount, "amount")
        moved = await self._shifts.move_cash(self._register, amount, reason, paid_in=paid_in)
        if self._drawer is not None:  # the money is recorded: the drawer may open for it
            await self._drawer.for_cash("paid in" if paid_in else "paid out")
        return moved

    async def report(self) -> ShiftReport:
        """The X report of the open shift: figures so far, nothing changed."""
        shift = await self._open_shift()
        report, _, _ = await self._build(shift, ReportKind.X, None)
        return report

    async def close(
        self, *, counted: Decimal | None = None, count: Mapping[Decimal, int] | None = None
    ) -> ShiftReport:
        """Close the open shift with the cash counted (a total, or a count per denomination)
        and return its Z report. Raises ShiftError when no shift is open or the count is
        missing or negative."""
        if (counted is None) == (count is None):
            raise ShiftError("count: give either the counted total or a count per denomination")
        if count is not None:
            counted = counted_total(count)
        assert counted is not None
        if counted < 0:
            raise ShiftError(f"counted: {counted:f} is negative")
        self._check_places(counted, "counted")
        shift = await self._open_shift()
        report, receipts, movements = await self._build(shift, ReportKind.Z, counted)
        await self._shifts.close(
            shift.id,
            receipts_seen=receipts,
            movements_seen=movements,
            counted=counted,
            count=None if count is None else {f"{d:f}": n for d, n in count.items()},
            expected=report.expected_cash,
            report=report_document(report),
        )
        return report

    async def last_z(self) -> dict[str, Any] | None:
        """The Z report of the register's last closed shift, as it was stored at the close."""
        shift = await self._shifts.last_closed(self._register)
        if shift is None or shift.report_json is None:
            return None
        document: dict[str, Any] = json.loads(shift.report_json)
        return document

    async def render_report(
        self, document: Mapping[str, Any], *, paper: Paper | None = None
    ) -> bytes:
        """The report's PDF on `paper` (the till's paper unless told), rendered off the loop."""
        if self._output is None:
            raise ShiftError("reports cannot be rendered on this till")
        settings = self._settings()
        return await asyncio.to_thread(
            self._output.renderer.render_report,
            document,
            paper=paper or settings.paper,
            language=settings.receipt_language,
            business=settings.store.business_name,
        )

    async def print_report(self, document: Mapping[str, Any]) -> str:
        """Render, keep in the archive and print the report; the problem, or "" once printed.
        Never raises for a printer or disk problem."""
        if self._output is None:
            return "reports cannot be printed on this till"
        job = f"{document['kind']}-report-shift-{document['shift']}"
        try:
            pdf = await self.render_report(document)
            await asyncio.to_thread(self._output.archive.print_pdf, pdf, job_name=job)
            await asyncio.to_thread(self._output.printer.print_pdf, pdf, job_name=job)
        except (OSError, ValueError, PrintError) as error:
            log.warning("report %s not printed: %s", job, error)
            return str(error)
        return ""

    async def _open_shift(self) -> ShiftRow:
        shift = await self.current()
        if shift is None:
            raise ShiftError(f"no shift is open on register {self._register}: open one first")
        return shift

    async def _build(
        self, shift: ShiftRow, kind: ReportKind, counted: Decimal | None
    ) -> tuple[ShiftReport, int, int]:
        rows = await self._shifts.receipts(shift.id)
        movements = await self._shifts.movements(shift.id)
        info = ShiftInfo(
            shift.id,
            shift.register,
            shift.opened_at,
            shift.closed_at,
            shift.opening_float,
            shift.currency,
        )
        report = build_report(
            kind,
            info,
            [receipt_from_row(row) for row in rows],
            [CashMovementFacts(m.amount, m.paid_in) for m in movements],
            counted=counted,
            waiting=sum(row.sync_state in _WAITING for row in rows),
            needs_attention=sum(row.sync_state == "needs_attention" for row in rows),
        )
        return report, len(rows), len(movements)

    def _check_places(self, amount: Decimal, field: str) -> None:
        currency = self._settings().currency
        if amount != amount.quantize(quantum(currency)):
            raise ShiftError(f"{field}: {amount:f} has more decimals than {currency} allows")


def report_document(report: ShiftReport) -> dict[str, Any]:
    """The report as JSON-ready plain values (amounts as decimal strings)."""
    cur = report.shift.currency

    def a(amount: Decimal) -> str:
        return format_amount(amount, cur)

    cash = report.cash
    return {
        "kind": report.kind.value.upper(),
        "shift": report.shift.shift_id,
        "register": report.shift.register,
        "currency": cur,
        "openedAt": report.shift.opened_at.isoformat(),
        "sales": {"count": report.sales.count, "total": a(report.sales.total)},
        "refunds": {"count": report.refunds.count, "total": a(report.refunds.total)},
        "voids": {"count": report.voids.count, "total": a(report.voids.total)},
        "netSales": a(report.net_sales),
        "taxes": [
            {
                "name": t.name,
                "percentage": f"{t.percentage:f}",
                "sales": a(t.sales),
                "returned": a(t.returned),
                "net": a(t.net),
            }
            for t in report.taxes
        ],
        "payments": [
            {"type": p.type, "sales": a(p.sales), "returned": a(p.returned), "net": a(p.net)}
            for p in report.payments
        ],
        "discounts": a(report.discounts),
        "cash": {
            "float": a(cash.opening_float),
            "cashSales": a(cash.cash_sales),
            "cashRefunds": a(cash.cash_refunds),
            "cashRounding": a(cash.cash_rounding),
            "paidIn": a(cash.paid_in),
            "paidOut": a(cash.paid_out),
            "expected": a(cash.expected),
            "counted": None if report.counted is None else a(report.counted),
            "overShort": None if report.over_short is None else a(report.over_short),
        },
        "waiting": report.waiting,
        "needsAttention": report.needs_attention,
    }
