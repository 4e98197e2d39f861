"""The totals document printed by `pos-app totals` (formats/cart.md, "Totals"): amounts as
decimal strings with exactly the currency's decimals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pos_app.domain.money import format_amount
from pos_app.domain.taxes import TaxAmount
from pos_app.domain.totals import Totals


def _pct(value: Decimal) -> str:
    # "9.975" and "5" as entered, never "5.000" or "5E+0".
    return f"{value.normalize():f}"


def _taxes(taxes: tuple[TaxAmount, ...], currency: str) -> list[dict[str, str]]:
    return [
        {
            "name": t.name,
            "percentage": _pct(t.percentage),
            "total": format_amount(t.amount, currency),
        }
        for t in taxes
    ]


def totals_document(totals: Totals) -> dict[str, Any]:
    cur = totals.currency

    def money(value: Decimal) -> str:
        return format_amount(value, cur)

    return {
        "currency": cur,
        "subTotal": money(totals.sub_total),
        "totalDiscounts": money(totals.total_discounts),
        "totalTaxes": money(totals.total_taxes),
        "taxes": _taxes(totals.taxes, cur),
        "totalFees": money(totals.total_fees),
        "totalTip": money(totals.total_tip),
        "totalShipping": money(totals.total_shipping),
        "totalDuties": money(totals.total_duties),
        "total": money(totals.total),
        "totalNet": None if totals.total_net is None else money(totals.total_net),
        "cashDue": money(totals.cash_due),
        "cashRounding": money(totals.cash_rounding),
        "changeDue": money(totals.change_due),
        "totalPayments": money(totals.total_payments),
        "balanceDue": money(totals.balance_due),
        "lines": [
            {
                "name": line.item.name,
                "subTotal": money(line.sub_total),
                "totalDiscounts": money(line.total_discounts),
                "totalTaxes": money(line.total_taxes),
                "total": money(line.total),
            }
            for line in totals.lines
        ],
    }
