"""Issue 9 acceptance: the request the till builds from a rich cart, held against the receipts
page's own ReceiptCreateRequest example key by key and kind by kind. Any field the example
does not have at that place fails the test, and so does a JSON kind that differs from the
example's (a number where it has a string, an object where it has a number...).

Two requests: one whose customer is known on the server (named by `customerId`), one whose
customer was created offline (sent inline, in the reference's CustomerCreateRequest shape)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from pos_app.adapters.api.mapping import receipt_request
from pos_app.adapters.api.schemas import dump_request_json, parse_json
from pos_app.domain.cart_format import parse_cart
from pos_app.domain.receipt import issue_receipt
from pos_app.services.settings import DEMO_STORE
from tests.fixtures.carts import RICH_CART
from tests.fixtures.reference import receipt_example, reference_page

KNOWN = {"id": "42", "firstName": "Émilie", "lastName": "Côté", "email": "e@example.ca"}
OFFLINE = {
    "id": "local-7",
    "firstName": "Zoé",
    "lastName": "Roy",
    "phone": "514 555-0134",
    "locale": "fr-CA",
}


def wire(customer: dict[str, Any]) -> dict[str, Any]:
    receipt = issue_receipt(
        parse_cart({**RICH_CART, "customer": customer}),
        receipt_id="0b9f7c1e-3a52-4d0e-9d47-6c1f2b0e5a11",
        order_number="A1-000042",
        store=DEMO_STORE,
        issued_at=datetime(2025, 1, 21, 18, 54, 48, 245000, tzinfo=UTC),
    )
    data: dict[str, Any] = parse_json(dump_request_json(receipt_request(receipt)))
    return data


def kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | Decimal | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _is_map(example: dict[str, Any]) -> bool:
    """The example writes a string -> value map (an item's description, metadata) with
    placeholder keys additionalProp1, additionalProp2..."""
    return bool(example) and all(re.fullmatch(r"additionalProp\d+", k) for k in example)


def differences(sent: Any, example: Any, path: str = "") -> list[str]:
    """Every place where `sent` has a field the example does not have there, or a value of
    another JSON kind than the example's. Lists are held against the example's first item."""
    if kind(sent) != kind(example):
        return [f"{path or '(root)'}: {kind(sent)}, the reference has {kind(example)}"]
    if isinstance(sent, dict):
        if _is_map(example):
            value = next(iter(example.values()))
            return [p for k, v in sent.items() for p in differences(v, value, f"{path}.{k}")]
        out = []
        for key, value in sent.items():
            here = f"{path}.{key}" if path else key
            if key not in example:
                out.append(f"{here}: not in the reference")
            else:
                out += differences(value, example[key], here)
        return out
    if isinstance(sent, list):
        if sent and not example:
            return [f"{path}: the reference shows no item to hold these against"]
        return [p for n, v in enumerate(sent) for p in differences(v, example[0], f"{path}[{n}]")]
    return []


def table() -> dict[str, tuple[str, bool]]:
    """The ReceiptCreateRequest table: field -> (type, required). The page lost its column
    breaks (`totalTipTotal tip amount.SBMoneyYes`): a row's field is the longest camelCase
    prefix after which the description starts with a plain word (Total, URL), not with the
    rest of a camelCase name (TipTotal)."""
    page = reference_page("smartbills-receipts.txt")
    rows = page.split("Property NameDescriptionTypeRequired\n")[1].split(
        "\nReceiptCreateRequest\n"
    )[0]
    fields = {}
    for line in rows.splitlines():
        splits = [m.start() + 1 for m in re.finditer(r"[a-z0-9](?=[A-Z])", line)]
        name = max(
            (
                line[:n]
                for n in splits
                if re.fullmatch(r"[a-z]\w*", line[:n])
                and re.match(r"([A-Z][a-z]+|[A-Z]+)\b", line[n:])
            ),
            key=len,
        )
        found = re.search(r"\.([\w<>?]+)(Yes|No)$", line)
        assert found, line
        fields[name] = (found[1], found[2] == "Yes")
    return fields


# A value of each kind, for table rows the example leaves out.
_PLACEHOLDER = {"string": "string", "double": 0, "long": 0, "bool": True, "DateTime": "string"}


def reference() -> dict[str, Any]:
    """The example, plus the table's rows it leaves out (weightUnit), with their kinds."""
    example = receipt_example()
    for name, (type_name, _) in table().items():
        if name not in example:
            example[name] = _PLACEHOLDER[type_name.rstrip("?")]
    return example


def required_fields() -> list[str]:
    return [name for name, (_, required) in table().items() if required]


@pytest.mark.parametrize("customer", [KNOWN, OFFLINE], ids=["known", "inline"])
def test_the_rich_request_has_only_the_reference_fields_with_its_kinds(customer):
    assert differences(wire(customer), reference()) == []


def test_the_rich_request_fills_what_the_reference_has_a_place_for():
    known, inline = wire(KNOWN), wire(OFFLINE)
    assert set(required_fields()) <= known.keys()
    assert len(required_fields()) == 11
    for name in ("receiptId", "orderNumber", "currency", "date", "totalWeight", "weightUnit"):
        assert name in known, name
    assert (known["customerId"], "customer" in known) == (42, False)
    assert "customerId" not in inline
    assert inline["customer"] == {
        "firstName": "Zoé",
        "lastName": "Roy",
        "phoneNumber": "514 555-0134",
        "locale": "fr-CA",
    }
    card, external, cash = known["payments"]
    assert card["card"]["paymentMethod"] == {"brand": "VISA", "last4": "4242"}
    assert external["external"] == {"sourceId": "virement 8841", "type": "OTHER"}
    assert set(cash["cash"]) == {"supplied", "change"}
    assert {p["status"] for p in known["payments"]} == {"APPROUVED"}
    coffee, bananas = known["items"]
    assert coffee["description"] == {"fr-CA": "Café filtre", "en-CA": "Drip coffee"}
    assert {d["type"] for d in coffee["discounts"] + bananas["discounts"]} == {
        "PERCENTAGE",
        "AMOUNT",
    }
    assert [d["name"] for d in known["discounts"]] == ["Coupon", "Fidélité"]
    assert [f["type"] for f in known["fees"]] == ["AMOUNT", "PERCENTAGE"]
    assert (known["totalWeight"], known["weightUnit"]) == (Decimal("0.735"), "kg")
    assert known["receiptMetadata"]["sourcePOS"] == "pos-app"


def test_the_comparison_fails_on_a_field_or_a_kind_the_reference_does_not_have():
    sent = wire(KNOWN)
    sent["items"][0]["unitPrice"] = sent["items"][0]["price"]
    sent["items"][0]["taxes"][0]["amount"] = {"amount": 1, "currency": "CAD"}
    sent["payments"][0]["card"]["brand"] = "VISA"
    sent["status"] = "APPROUVED"
    assert sorted(differences(sent, reference())) == [
        "items[0].taxes[0].amount: object, the reference has number",
        "items[0].unitPrice: not in the reference",
        "payments[0].card.brand: not in the reference",
        "status: not in the reference",
    ]


def test_the_example_and_the_table_are_read_from_the_receipts_page():
    assert len(table()) == 42 and "weightUnit" not in receipt_example()
    assert table()["weightUnit"] == ("string", False)
    assert table()["originalReceiptUrl"] == ("string?", False)
    example = receipt_example()
    assert example["review"] == {"rating": 0, "review": "string"}  # trailing comma tolerated
    assert json.loads(json.dumps(example, default=str))["payments"][0]["status"] == "APPROUVED"
