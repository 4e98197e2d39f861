"""`pos-app totals` and `pos-app receipt build` exactly as formats/cart.md describes."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from pos_app.adapters.api.schemas import parse_request_json
from tests.cli.run import pos_app
from tests.fixtures.carts import FORMAT_EXAMPLE


@pytest.fixture
def cart_file(tmp_path: Path) -> Path:
    path = tmp_path / "cart.json"
    path.write_text(json.dumps(FORMAT_EXAMPLE, ensure_ascii=False), encoding="utf-8")
    return path


def test_totals_document_from_a_file_and_from_stdin(tmp_path, cart_file):
    from_file = pos_app(tmp_path, "totals", str(cart_file))
    from_stdin = pos_app(tmp_path, "totals", "-", stdin=cart_file.read_text(encoding="utf-8"))
    assert from_file.returncode == 0, from_file.stderr
    assert from_file.stdout == from_stdin.stdout
    doc = json.loads(from_file.stdout)
    # Worked by hand from the rules: 10 % of 4.98 = 0.50, coupon 1.00; GST 5 % of 3.48 = 0.17,
    # QST 9.975 % of 3.48 = 0.35; fees 0.10 + 15 % of 3.48 = 0.62; total 3.48 + 0.52 + 0.62.
    assert doc["subTotal"] == "4.98"
    assert doc["totalDiscounts"] == "1.50"
    assert doc["taxes"] == [
        {"name": "GST", "percentage": "5", "total": "0.17"},
        {"name": "QST", "percentage": "9.975", "total": "0.35"},
    ]
    assert doc["totalFees"] == "0.62"
    assert doc["total"] == "4.62"
    assert doc["totalNet"] is None
    # Cash part 4.62 - 3.00 = 1.62 -> 1.60 (last digit 2 goes down).
    assert (doc["cashDue"], doc["cashRounding"], doc["changeDue"]) == ("1.60", "-0.02", "18.40")
    assert (doc["totalPayments"], doc["balanceDue"]) == ("4.60", "0.00")
    assert doc["lines"] == [
        {
            "name": "Café filtre",
            "subTotal": "4.98",
            "totalDiscounts": "1.50",
            "totalTaxes": "0.52",
            "total": "4.00",
        }
    ]


@pytest.mark.parametrize(
    ("change", "expected_lines"),
    [
        (
            lambda c: c["items"][0].update(quantity="0", unitPrice="-1"),
            ["items[0].unitPrice: must be >= 0", "items[0].quantity: must be > 0"],
        ),
        (
            lambda c: c["discounts"][0].update(percentage="5"),
            ["discounts[0]: has both percentage and amount; give only one"],
        ),
        (lambda c: c.update(currency="XYZ"), ["currency: unknown currency 'XYZ'"]),
        (
            lambda c: c["items"][0].update(unitPrice="1e400"),
            ["items[0].unitPrice: '1e400' is not a decimal number"],
        ),
        (lambda c: c["items"][0].pop("name"), ["items[0].name: is required"]),
        (
            lambda c: c["payments"][0].update(amount="3.001"),
            ["payments[0].amount: must have at most 2 decimals"],
        ),
    ],
)
def test_a_bad_cart_exits_2_with_one_line_per_problem(tmp_path, change, expected_lines):
    cart = json.loads(json.dumps(FORMAT_EXAMPLE))
    change(cart)
    for command in (["totals", "-"], ["receipt", "build", "-"]):
        result = pos_app(tmp_path, *command, stdin=json.dumps(cart))
        assert result.returncode == 2
        assert result.stdout == ""  # never half a result
        assert result.stderr.splitlines() == expected_lines


def test_json_numbers_never_go_through_float(tmp_path):
    text = json.dumps(FORMAT_EXAMPLE).replace('"unitPrice": "2.49"', '"unitPrice": 2.49')
    result = pos_app(tmp_path, "totals", "-", stdin=text)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["subTotal"] == "4.98"
    number_overflow = text.replace('"unitPrice": 2.49', '"unitPrice": 1e400')
    refused = pos_app(tmp_path, "totals", "-", stdin=number_overflow)
    assert refused.returncode == 2
    assert refused.stderr.startswith("items[0].unitPrice:")


def test_missing_file_is_a_clear_error(tmp_path):
    result = pos_app(tmp_path, "totals", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr


def test_receipt_build_prints_the_request_that_would_be_sent(tmp_path, cart_file):
    result = pos_app(tmp_path, "receipt", "build", str(cart_file))
    assert result.returncode == 0, result.stderr
    body = result.stdout.strip().encode()
    request = parse_request_json(body)
    # The nine required totals, from the same engine as `totals`.
    totals = json.loads(pos_app(tmp_path, "totals", str(cart_file)).stdout)
    assert request.sub_total.amount == Decimal(totals["subTotal"])
    assert request.total.amount == Decimal(totals["total"])
    assert request.total_payments.amount == Decimal(totals["totalPayments"])
    wire = json.loads(body)
    for name in (
        "totalDiscounts", "totalFees", "subTotal", "totalTip", "totalDuties",
        "totalShipping", "totalTaxes", "total", "totalPayments",
    ):  # fmt: skip
        assert name in wire
    # Amounts are JSON numbers with the currency's decimals, not strings or rounded floats.
    assert b'"total":{"amount":4.62,"currency":"CAD"}' in body
    assert b'"supplied":{"amount":20.00,"currency":"CAD"}' in body


def test_receipt_build_refuses_a_cart_that_is_not_paid(tmp_path):
    cart = {**FORMAT_EXAMPLE, "payments": [{"type": "CARD", "amount": "1.00"}]}
    result = pos_app(tmp_path, "receipt", "build", "-", stdin=json.dumps(cart))
    assert result.returncode == 2
    assert result.stderr.strip() == "balance due: 3.62 CAD"
