"""The receipt content on its own (no babel, no gettext, no renderer): what each section says."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from pos_app.domain.cart_format import parse_cart
from pos_app.domain.receipt import StoreInfo, issue_receipt
from pos_app.domain.receipt_content import (
    Barcode,
    Content,
    Items,
    Pair,
    QrCode,
    Section,
    Text,
    receipt_content,
)


class PlainWording:
    """Labels as their msgids, figures as plain decimals: enough to read the content."""

    locales = ("en-CA",)

    def label(self, msgid: str) -> str:
        return msgid

    def tax(self, name: str) -> str:
        return name

    def money(self, amount: Decimal) -> str:
        return f"{amount:.2f}"

    unit_price = money

    def quantity(self, value: Decimal) -> str:
        return f"{value.normalize():f}"

    def percent(self, value: Decimal) -> str:
        return f"{value.normalize():f}%"

    def moment(self, when: datetime, timezone: str) -> str:
        return when.isoformat()


def receipt(**store: str):
    cart = parse_cart(
        {
            "currency": "CAD",
            "items": [
                {"name": "Baguette", "unitPrice": "3.25", "quantity": "1",
                 "taxes": [{"name": "GST", "percentage": "5"}]},
                {"name": "Pommes", "unitPrice": "4.00", "quantity": "0.5", "unit": "kg"},
                {"name": "Café", "unitPrice": "2.00", "quantity": "2",
                 "discounts": [{"name": "Happy hour", "percentage": "10"}]},
            ],
            "payments": [{"type": "CASH", "amount": "20.00"}],
        }
    )  # fmt: skip
    made = issue_receipt(
        cart,
        receipt_id="r-1",
        order_number="A1-000007",
        store=StoreInfo(business_name="Chez Léa", tax_numbers={"GST": "123 RT0001"}, **store),
        issued_at=datetime.fromisoformat("2025-01-21T18:54:00+00:00"),
    )
    return replace(made, url="https://r.example/7")


def section(content: Content, kind: str) -> Section:
    return next(s for s in content.sections if s.kind == kind)


def test_sections_in_order_with_their_figures() -> None:
    content = receipt_content(receipt(), PlainWording(), copy=True)
    kinds = [s.kind for s in content.sections]
    assert kinds == ["header", "items", "totals", "payments", "notices", "codes"]
    header = section(content, "header").elements
    assert header[0] == Text("COPY", "center", "title", bold=True)
    items = section(content, "items").elements[0]
    assert isinstance(items, Items)
    baguette, apples, coffee = items.lines
    assert baguette.quantity_line == ""  # one piece: no "1 × 3.25"
    assert apples.quantity_line == "0.5 kg @ 4.00/kg"
    assert coffee.quantity_line == "2 × 2.00"
    assert coffee.discounts == (("Happy hour (10%)", "-0.40"),)
    totals = section(content, "totals").elements
    assert Pair("GST 5%", "0.16", keep="—\u00a0123\u00a0RT0001") in totals
    assert Pair("TOTAL", f"{receipt().totals.total:.2f}", bold=True, total=True) in totals
    assert section(content, "codes").elements == (
        Barcode("A1-000007"),
        QrCode("https://r.example/7", "Your receipt online"),
    )
