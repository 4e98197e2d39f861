"""X and Z reports: what a shift sold, gave back and should have in the drawer.

Built from the shift's receipts as recorded (sales, then refunds and voids with their figures
as positive amounts), its cash movements and, for a Z, the count. Every figure is a sum of
figures the totals engine computed; nothing is recomputed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pos_app.domain.cart import PaymentType
from pos_app.domain.money import quantum
from pos_app.domain.receipt import CorrectionKind, Receipt
from pos_app.domain.shifts import CashFigures


class ReportKind(StrEnum):
    X = "x"  # mid-shift, changes nothing
    Z = "z"  # the close of the shift


@dataclass(frozen=True, slots=True)
class TaxLine:
    name: str
    percentage: Decimal
    sales: Decimal
    returned: Decimal  # by refunds and voids

    @property
    def net(self) -> Decimal:
        return self.sales - self.returned


@dataclass(frozen=True, slots=True)
class PaymentLine:
    type: str
    sales: Decimal  # taken in (cash: what stayed in the drawer, after rounding)
    returned: Decimal  # given back

    @property
    def net(self) -> Decimal:
        return self.sales - self.returned


@dataclass(frozen=True, slots=True)
class Tally:
    count: int
    total: Decimal


@dataclass(frozen=True, slots=True)
class ShiftInfo:
    shift_id: int
    register: str
    opened_at: datetime
    closed_at: datetime | None
    opening_float: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class ShiftReport:
    kind: ReportKind
    shift: ShiftInfo
    sales: Tally
    refunds: Tally
    voids: Tally
    taxes: tuple[TaxLine, ...]
    payments: tuple[PaymentLine, ...]
    discounts: Decimal  # given on sales, less those taken back by returns
    cash: CashFigures
    counted: Decimal | None  # Z only
    waiting: int  # receipts not yet on Smartbills
    needs_attention: int

    @property
    def net_sales(self) -> Decimal:
        return self.sales.total - self.refunds.total - self.voids.total

    @property
    def expected_cash(self) -> Decimal:
        return self.cash.expected

    @property
    def over_short(self) -> Decimal | None:
        """Counted minus expected: positive over, negative short."""
        return None if self.counted is None else self.counted - self.cash.expected


@dataclass(frozen=True, slots=True)
class CashMovementFacts:
    amount: Decimal
    paid_in: bool


def build_report(
    kind: ReportKind,
    shift: ShiftInfo,
    receipts: Sequence[Receipt],
    movements: Sequence[CashMovementFacts],
    *,
    counted: Decimal | None = None,
    waiting: int = 0,
    needs_attention: int = 0,
) -> ShiftReport:
    """The report of `shift` from its receipts (sales and corrections) in any order."""
    zero = quantum(shift.currency) * 0
    sales = [r for r in receipts if r.correction is None]
    refunds = [r for r in receipts if r.correction and r.correction.kind is CorrectionKind.REFUND]
    voids = [r for r in receipts if r.correction and r.correction.kind is CorrectionKind.VOID]
    returns = refunds + voids

    taxes: dict[tuple[str, Decimal], list[Decimal]] = {}
    payments: dict[str, list[Decimal]] = {}
    for column, group in ((0, sales), (1, returns)):
        for r in group:
            for t in r.totals.taxes:
                taxes.setdefault((t.name, t.percentage), [zero, zero])[column] += t.amount
            for p in r.cart.payments:
                if not p.is_cash:
                    payments.setdefault(p.type, [zero, zero])[column] += p.amount
            if any(p.is_cash for p in r.cart.payments):
                payments.setdefault(PaymentType.CASH, [zero, zero])[column] += r.totals.cash_due

    def total(group: list[Receipt], figure: str) -> Decimal:
        return sum((getattr(r.totals, figure) for r in group), zero)

    cash = CashFigures(
        opening_float=shift.opening_float,
        cash_sales=total(sales, "cash_due") - total(sales, "cash_rounding"),
        cash_refunds=total(returns, "cash_due") - total(returns, "cash_rounding"),
        cash_rounding=total(sales, "cash_rounding") - total(returns, "cash_rounding"),
        paid_in=sum((m.amount for m in movements if m.paid_in), zero),
        paid_out=sum((m.amount for m in movements if not m.paid_in), zero),
    )
    return ShiftReport(
        kind=kind,
        shift=shift,
        sales=Tally(len(sales), total(sales, "total")),
        refunds=Tally(len(refunds), total(refunds, "total")),
        voids=Tally(len(voids), total(voids, "total")),
        taxes=tuple(TaxLine(n, p, s, r) for (n, p), (s, r) in taxes.items()),
        payments=tuple(PaymentLine(t, s, r) for t, (s, r) in payments.items()),
        discounts=total(sales, "total_discounts") - total(returns, "total_discounts"),
        cash=cash,
        counted=counted,
        waiting=waiting,
        needs_attention=needs_attention,
    )
