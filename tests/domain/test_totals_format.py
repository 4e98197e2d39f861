"""totals_format.py: the totals document of formats/cart.md, amounts as decimal strings with
exactly the currency's decimals, `totalNet` null unless taxes are included."""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings

from pos_app.domain.cart import Cart
from pos_app.domain.cart_format import parse_cart
from pos_app.domain.money import minor_unit
from pos_app.domain.totals import compute_totals
from pos_app.domain.totals_format import totals_document

from .strategies import carts

MONEY_KEYS = (
    "subTotal totalDiscounts totalTaxes totalFees totalTip totalShipping totalDuties total "
    "cashDue cashRounding changeDue totalPayments balanceDue"
).split()
LINE_KEYS = ["subTotal", "totalDiscounts", "totalTaxes", "total"]


def amount_pattern(currency: str) -> re.Pattern[str]:
    d = minor_unit(currency)
    return re.compile(rf"^-?\d+\.\d{{{d}}}$" if d else r"^-?\d+$")


def spec_example() -> dict[str, Any]:
    return {
        "currency": "CAD",
        "items": [
            {
                "name": "Café filtre",
                "sku": "0001",
                "unitPrice": "2.49",
                "quantity": "2",
                "discounts": [{"name": "Happy hour", "percentage": "10"}],
                "taxes": [
                    {"name": "GST", "percentage": "5"},
                    {"name": "QST", "percentage": "9.975"},
                ],
            }
        ],
        "discounts": [{"name": "Coupon", "amount": "1.00"}],
        "payments": [{"type": "CARD", "amount": "3.00"}, {"type": "CASH", "amount": "20.00"}],
    }


def test_the_document_has_the_shape_of_the_spec() -> None:
    doc = totals_document(compute_totals(parse_cart(spec_example())))
    assert list(doc) == [
        "currency",
        "subTotal",
        "totalDiscounts",
        "totalTaxes",
        "taxes",
        "totalFees",
        "totalTip",
        "totalShipping",
        "totalDuties",
        "total",
        "totalNet",
        "cashDue",
        "cashRounding",
        "changeDue",
        "totalPayments",
        "balanceDue",
        "lines",
    ]
    assert doc["taxes"] == [
        {"name": "GST", "percentage": "5", "total": "0.17"},
        {"name": "QST", "percentage": "9.975", "total": "0.35"},
    ]
    # 2 x 2.49 = 4.98; 10 % = 0.50; coupon 1.00 -> 3.48; GST 0.17, QST 0.35 -> 4.00.
    assert (doc["subTotal"], doc["totalDiscounts"], doc["totalTaxes"]) == ("4.98", "1.50", "0.52")
    assert (doc["total"], doc["totalNet"]) == ("4.00", None)
    assert (doc["cashDue"], doc["cashRounding"], doc["changeDue"]) == ("1.00", "0.00", "19.00")
    assert (doc["totalPayments"], doc["balanceDue"]) == ("4.00", "0.00")
    assert doc["lines"] == [
        {
            "name": "Café filtre",
            "subTotal": "4.98",
            "totalDiscounts": "1.50",
            "totalTaxes": "0.52",
            "total": "4.00",
        }
    ]
    json.dumps(doc)  # plain JSON: strings, lists, dicts, None


@pytest.mark.parametrize(
    ("currency", "price", "text"),
    [("CAD", "5", "5.00"), ("JPY", "500", "500"), ("KWD", "1.25", "1.250"), ("CLF", "2", "2.0000")],
)
def test_amounts_have_exactly_the_currency_decimals(currency: str, price: str, text: str) -> None:
    doc = totals_document(
        compute_totals(
            parse_cart(
                {
                    "currency": currency,
                    "items": [{"name": "x", "unitPrice": price, "quantity": "1"}],
                    "tip": "0",
                }
            )
        )
    )
    assert doc["subTotal"] == doc["total"] == text
    zero = "0" if currency == "JPY" else "0." + "0" * minor_unit(currency)
    assert doc["totalTip"] == doc["totalTaxes"] == doc["cashDue"] == zero
    assert doc["balanceDue"] == text  # nothing paid yet


def test_total_net_is_null_unless_taxes_are_included() -> None:
    data = spec_example()
    assert totals_document(compute_totals(parse_cart(data)))["totalNet"] is None
    data["taxesIncluded"] = True
    doc = totals_document(compute_totals(parse_cart(data)))
    assert doc["totalNet"] is not None
    assert Decimal(doc["totalNet"]) + Decimal(doc["totalTaxes"]) == Decimal(doc["total"])


def test_percentages_print_as_entered_without_trailing_zeros_or_exponents() -> None:
    data = spec_example()
    data["items"][0]["taxes"] = [
        {"name": "A", "percentage": "5.000"},
        {"name": "B", "percentage": "100"},
        {"name": "C", "percentage": "0"},
        {"name": "D", "percentage": "0.001"},
    ]
    doc = totals_document(compute_totals(parse_cart(data)))
    assert [t["percentage"] for t in doc["taxes"]] == ["5", "100", "0", "0.001"]


@settings(max_examples=int(os.environ.get("POS_DOMAIN_EXAMPLES", "100")), deadline=None)
@given(carts())
def test_every_amount_in_the_document_is_exact_text(cart: Cart) -> None:
    doc = totals_document(compute_totals(cart))
    pattern = amount_pattern(cart.currency)
    for key in MONEY_KEYS:
        assert pattern.match(doc[key]), (key, doc[key])
        assert doc[key] not in ("-0", "-0.00", "-0.000", "-0.0000")
    for tax in doc["taxes"]:
        assert pattern.match(tax["total"])
        assert "E" not in tax["percentage"]
    for line in doc["lines"]:
        for key in LINE_KEYS:
            assert pattern.match(line[key]), (key, line[key])
    if cart.taxes_included:
        assert pattern.match(doc["totalNet"])
    else:
        assert doc["totalNet"] is None
    assert json.loads(json.dumps(doc)) == doc
