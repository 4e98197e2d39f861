"""A ReceiptCreateRequest built from a cart: it validates, round-trips through JSON without
changing an amount, and carries the receipts reference's field names for what the cart holds."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import httpx

from pos_app.adapters.api.mapping import ApiReceiptEncoder, receipt_request
from pos_app.adapters.api.schemas import dump_request_json, parse_request_json
from pos_app.domain.cart_format import parse_cart
from pos_app.domain.receipt import issue_receipt
from pos_app.services.settings import DEMO_STORE
from tests.fixtures.carts import RICH_CART


def build():
    receipt = issue_receipt(
        parse_cart(RICH_CART),
        receipt_id="0b9f7c1e-3a52-4d0e-9d47-6c1f2b0e5a11",
        order_number="A1-000042",
        store=DEMO_STORE,
        issued_at=datetime(2025, 1, 21, 18, 54, 48, 245000, tzinfo=UTC),
    )
    return receipt, receipt_request(receipt)


def test_request_validates_and_round_trips_exactly():
    receipt, request = build()
    body = dump_request_json(request)
    again = parse_request_json(body)
    assert again == request
    assert dump_request_json(again) == body  # byte-identical: resends are the same bytes
    assert ApiReceiptEncoder().encode(receipt) == body


def test_amounts_are_the_engine_figures_as_exact_json_numbers():
    receipt, request = build()
    t = receipt.totals
    wire = json.loads(dump_request_json(request), parse_float=Decimal)
    assert wire["subTotal"] == {"amount": t.sub_total, "currency": "CAD"}
    assert wire["totalDiscounts"]["amount"] == t.total_discounts
    assert wire["totalTaxes"]["amount"] == t.total_taxes
    assert wire["totalFees"]["amount"] == t.total_fees
    assert wire["totalTip"]["amount"] == Decimal("1.00")
    assert wire["total"]["amount"] == t.total
    assert wire["totalPayments"]["amount"] == t.total_payments
    for name in ("subTotal", "total", "totalPayments"):
        assert str(wire[name]["amount"]).count(".") == 1
        assert len(str(wire[name]["amount"]).split(".")[1]) == 2
    # Item and receipt discounts add up to the receipt's total discounts.
    item_discounts = sum(d["amount"]["amount"] for i in wire["items"] for d in i["discounts"])
    receipt_discounts = sum(d["amount"] for d in wire["discounts"])
    assert item_discounts + receipt_discounts == t.total_discounts


def test_field_names_of_the_receipts_reference():
    receipt, request = build()
    wire = json.loads(dump_request_json(request), parse_float=Decimal)
    for name in (
        "receiptId", "orderNumber", "date", "currency", "type", "taxesIncluded", "location",
        "items", "fees", "discounts", "taxes", "payments", "barcode", "receiptMetadata",
        "totalDiscounts", "totalFees", "subTotal", "totalTip", "totalDuties", "totalShipping",
        "totalTaxes", "total", "totalPayments", "totalWeight", "weightUnit",
    ):  # fmt: skip
        assert name in wire, name
    assert "status" not in wire and "createdAt" not in wire
    assert wire["type"] == "OFFICIAL" and wire["currency"] == "CAD"
    assert wire["date"] == "2025-01-21T18:54:48.245Z"
    assert wire["barcode"] == {"type": "CODE_128", "value": "A1-000042"}
    coffee, bananas = wire["items"]
    assert coffee["description"] == {"fr-CA": "Café filtre", "en-CA": "Drip coffee"}
    assert coffee["price"] == {"amount": Decimal("2.49"), "currency": "CAD"}
    assert not {"sku", "barcode", "unit", "unitPrice"} & coffee.keys()  # no place for them
    gst_line = receipt.totals.lines[0].taxes[0]
    assert coffee["taxes"][0] == {"name": "GST", "percentage": 5, "amount": gst_line.amount}
    assert coffee["discounts"][0]["type"] == "PERCENTAGE"
    assert bananas["quantity"] == Decimal("0.735")
    assert bananas["discounts"][0]["type"] == "AMOUNT"
    assert (wire["totalWeight"], wire["weightUnit"]) == (Decimal("0.735"), "kg")
    card, external, cash = wire["payments"]
    assert card["card"] == {"paymentMethod": {"brand": "VISA", "last4": "4242"}}
    assert external["external"] == {"sourceId": "virement 8841", "type": "OTHER"}
    assert card["status"] == "APPROUVED"
    assert card["approuved"] == card["amount"] == card["total"]
    assert set(cash["cash"]) == {"supplied", "change"}
    assert "customer" not in wire  # known on the server: named by its id
    assert wire["customerId"] == 123
    assert wire["location"]["address"]["postalCode"] == "H2X 3J8"
    assert wire["receiptMetadata"]["sourcePOS"] == "pos-app"
    bag, service = wire["fees"]
    assert bag == {"type": "AMOUNT", "amount": Decimal("0.10"), "total": Decimal("0.10")}
    assert service["type"] == "PERCENTAGE" and service["rate"] == 15
    assert service["total"] > service["amount"]  # the fee's own GST
    coupon, loyalty = wire["discounts"]
    assert coupon == {"name": "Coupon", "amount": Decimal("1.00")}
    assert loyalty["percentage"] == 5 and loyalty["amount"] > 0
    gst = next(t for t in wire["taxes"] if t["name"] == "GST")
    assert set(gst) == {"name", "percentage", "total", "taxIdentificationNumber"}


def test_weighed_items_in_different_units_add_up_in_kilograms():
    cart = {
        "currency": "CAD",
        "items": [
            {"name": "Bananes", "unit": "kg", "unitPrice": "1.739", "quantity": "0.735"},
            {"name": "Noix", "unit": "g", "unitPrice": "0.02", "quantity": "250"},
            {"name": "Pain", "unitPrice": "3.00", "quantity": "1"},
        ],
        "payments": [{"type": "CASH", "amount": "20.00"}],
    }
    receipt = issue_receipt(
        parse_cart(cart),
        receipt_id="0b9f7c1e-3a52-4d0e-9d47-6c1f2b0e5a13",
        order_number="A1-000044",
        store=DEMO_STORE,
    )
    wire = json.loads(ApiReceiptEncoder().encode(receipt), parse_float=Decimal)
    assert (wire["totalWeight"], wire["weightUnit"]) == (Decimal("0.985"), "kg")


def test_an_offline_customer_has_no_server_id_yet():
    cart = {**RICH_CART, "customer": {"id": "local-1", "firstName": "A", "lastName": "B"}}
    receipt = issue_receipt(
        parse_cart(cart),
        receipt_id="0b9f7c1e-3a52-4d0e-9d47-6c1f2b0e5a12",
        order_number="A1-000043",
        store=DEMO_STORE,
    )
    wire = json.loads(ApiReceiptEncoder().encode(receipt))
    assert "customerId" not in wire
    assert wire["customer"] == {"firstName": "A", "lastName": "B"}


def test_an_on_account_payment_is_an_external_tender_from_invoiced(sandbox):
    cart = {
        "currency": "CAD",
        "items": [{"name": "Caisse de bière", "unitPrice": "40.00", "quantity": "1"}],
        "payments": [
            {"type": "ACCOUNT", "amount": "40.00", "account": "CUST-0001", "reference": "Chez"}
        ],
    }
    receipt = issue_receipt(
        parse_cart(cart),
        receipt_id="5d0f1c7e-3a52-4d0e-9d47-6c1f2b0e5a12",
        order_number="A1-000043",
        store=DEMO_STORE,
        issued_at=datetime(2025, 1, 21, 18, 54, 48, 245000, tzinfo=UTC),
    )
    body = ApiReceiptEncoder().encode(receipt)
    payment = json.loads(body)["payments"][0]
    assert payment["type"] == "EXTERNAL"
    assert payment["external"] == {"source": "invoiced", "sourceId": "CUST-0001", "type": "OTHER"}
    # The sandbox checks receipts against its own reading of the reference: it takes this one.
    answer = httpx.post(
        f"{sandbox.url}/v1/receipts",
        content=body,
        headers={"Authorization": f"Bearer {sandbox.token}", "Content-Type": "application/json"},
        trust_env=False,
    )
    assert answer.status_code == 201, answer.text
