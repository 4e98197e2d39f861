"""A cashier's shift: the float, money put in or taken out, and the count at the close.

Expected cash = float + cash sales - cash refunds + cash rounding + paid-in - paid-out, where
cash sales and refunds are the exact cash parts of their totals and the rounding is what the
nickel added to sales less what it added to refunds: together, the cash that went in and out
of the drawer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

ZERO = Decimal(0)

# Canadian notes and coins in circulation; the cent left in 2013.
CAD_DENOMINATIONS: tuple[Decimal, ...] = tuple(
    Decimal(d) for d in ("100", "50", "20", "10", "5", "2", "1", "0.25", "0.10", "0.05")
)

_COUNT_ENTRY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[xX×]\s*(\d+)\s*$")


class ShiftError(ValueError):
    """No shift open when one is needed, a second one opened, a bad float or movement."""


class CountError(ValueError):
    """A cash count that cannot be read; `problems` says why, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_count(text: str) -> dict[Decimal, int]:
    """`20x3,5x2,2x4,0.25x8` as {denomination: how many}. Each denomination once; only
    Canadian notes and coins (no pennies)."""
    count: dict[Decimal, int] = {}
    problems: list[str] = []
    for entry in filter(None, (e.strip() for e in text.split(","))):
        match = _COUNT_ENTRY.match(entry)
        if not match:
            problems.append(f"{entry!r}: write denomination x count, e.g. 20x3 or 0.25x8")
            continue
        try:
            value = Decimal(match.group(1))
        except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
            problems.append(f"{entry!r}: not a denomination")
            continue
        known = next((d for d in CAD_DENOMINATIONS if d == value), None)
        if known is None:
            shown = ", ".join(f"{d:f}" for d in CAD_DENOMINATIONS)
            problems.append(f"{entry!r}: {value:f} is not a Canadian note or coin ({shown})")
        elif known in count:
            problems.append(f"{entry!r}: {known:f} is counted twice")
        else:
            count[known] = int(match.group(2))
    if not count and not problems:
        problems.append("the count is empty")
    if problems:
        raise CountError(problems)
    return count


def counted_total(count: Mapping[Decimal, int]) -> Decimal:
    return sum((d * n for d, n in count.items()), Decimal("0.00")).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class CashFigures:
    """The drawer's cash over a shift."""

    opening_float: Decimal
    cash_sales: Decimal  # exact cash parts of the sales' totals
    cash_refunds: Decimal  # exact cash parts of refunds and voids
    cash_rounding: Decimal  # the nickel's effect on sales, less its effect on refunds
    paid_in: Decimal
    paid_out: Decimal

    @property
    def expected(self) -> Decimal:
        return (
            self.opening_float
            + self.cash_sales
            - self.cash_refunds
            + self.cash_rounding
            + self.paid_in
            - self.paid_out
        )
