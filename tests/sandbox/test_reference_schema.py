"""The sandbox's receipt schema held against the receipts page itself: the table's rows, kinds
and required flags, the example's fields at every depth, and the errors it gives."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pos_app.sandbox.reference import RECEIPT_CREATE, check
from pos_app.sandbox.reference.kinds import (
    BOOLEAN,
    CURRENCY,
    DATETIME,
    LONG,
    MISSING,
    NUMBER,
    STRING,
    UNKNOWN,
    Kind,
    ListOf,
    Required,
    Shape,
)
from pos_app.sandbox.reference.receipts import RECEIPT_TYPE
from tests.fixtures.reference import (
    money,
    receipt_example,
    reference_page,
    small_receipt,
    with_currency,
)

# -- the table


def table_rows() -> list[tuple[str, str, bool]]:
    """(field, type, required) for each row of the ReceiptCreateRequest table. The page lost
    its column breaks (`merchantIdIdentifier of the merchant.long?No`): a row's field is the
    longest schema field it starts with, followed by the description's capital letter."""
    page = reference_page("smartbills-receipts.txt")
    table = page.split("Property NameDescriptionTypeRequired\n")[1].split(
        "\nReceiptCreateRequest\n"
    )[0]
    rows = []
    for line in table.splitlines():
        names = [n for n in RECEIPT_CREATE.fields if line.startswith(n) and line[len(n)].isupper()]
        kind = re.search(r"\.([\w<>?]+)(Yes|No)$", line)
        assert names and kind, line
        rows.append((max(names, key=len), kind[1], kind[2] == "Yes"))
    return rows


def declared_kind(name: str) -> Kind:
    declared = RECEIPT_CREATE.fields[name]
    return declared.kind if isinstance(declared, Required) else declared


def kind_matches(kind: Kind, table_type: str) -> bool:
    scalars: dict[str, tuple[Kind, ...]] = {
        "long?": (LONG,),
        "string?": (STRING, CURRENCY),
        "string": (STRING,),
        "DateTime?": (DATETIME,),
        "bool": (BOOLEAN,),
        "double?": (NUMBER,),
        "SBReceiptType": (RECEIPT_TYPE,),
    }
    if table_type in scalars:
        return kind in scalars[table_type]
    if listed := re.fullmatch(r"List<(\w+)>", table_type):
        return isinstance(kind, ListOf) and kind_matches(kind.item, listed[1])
    return isinstance(kind, Shape) and kind.name == table_type


def test_the_fields_are_the_rows_of_the_table_with_their_kinds_and_required_flags():
    rows = table_rows()

    assert [name for name, _, _ in rows] == list(RECEIPT_CREATE.fields)
    for name, table_type, required in rows:
        assert kind_matches(declared_kind(name), table_type), (name, table_type)
        assert isinstance(RECEIPT_CREATE.fields[name], Required) == required, name
    assert sum(required for _, _, required in rows) == 11


# -- the example


def example_paths(value: Any, path: str = "") -> set[str]:
    """Every field path of the example; `[]` stands for any index, and a map (the example's
    `additionalProp1`...) is one field."""
    if isinstance(value, dict):
        if value and all(key.startswith("additionalProp") for key in value):
            return set()
        return {
            p
            for key, item in value.items()
            for p in {f"{path}.{key}".lstrip(".")} | example_paths(item, f"{path}.{key}")
        }
    if isinstance(value, list):
        return {p for item in value for p in example_paths(item, f"{path}[]")}
    return set()


def schema_paths(kind: Kind | Required, path: str = "") -> set[str]:
    if isinstance(kind, Required):
        return schema_paths(kind.kind, path)
    if isinstance(kind, Shape):
        return {
            p
            for name, field in kind.fields.items()
            for p in {f"{path}.{name}".lstrip(".")} | schema_paths(field, f"{path}.{name}")
        }
    if isinstance(kind, ListOf):
        return schema_paths(kind.item, f"{path}[]")
    return set()


def test_the_schema_has_the_fields_of_the_example_at_every_depth_and_no_other():
    extra = schema_paths(RECEIPT_CREATE) - example_paths(receipt_example())
    missing = example_paths(receipt_example()) - schema_paths(RECEIPT_CREATE)

    assert missing == set()
    assert extra == {"weightUnit"}  # a row of the table the example leaves out


def test_the_example_is_taken_once_its_currency_placeholders_are_real_codes():
    raw = check(RECEIPT_CREATE, receipt_example())

    assert raw and all(e.parameter and e.parameter.endswith("currency") for e in raw)
    assert check(RECEIPT_CREATE, with_currency(receipt_example())) == []


def test_the_enum_names_are_those_the_example_writes():
    # The example's spelling wins over the SDK's names (Approved, Official...).
    example = with_currency(receipt_example())
    for path, names in [
        (("type",), ("OFFICIAL", "OCR", "EMAIL")),
        (("payments", 0, "status"), ("APPROUVED", "PENDING", "FAILED")),
        (("payments", 0, "type"), ("CARD", "CASH", "EXTERNAL", "GIFT_CARD")),
    ]:
        for name in (*names, "approved", "Official", "cash"):
            receipt = with_currency(receipt_example())
            target = receipt
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = name
            accepted = check(RECEIPT_CREATE, receipt) == []
            assert accepted == (name in names), (path, name)
    assert check(RECEIPT_CREATE, example) == []


# -- the errors


def test_an_unknown_field_a_wrong_kind_and_a_missing_total_are_each_named():
    receipt = small_receipt()
    receipt["items"][0]["unitPrice"] = receipt["items"][0].pop("price")  # the client's old name
    receipt["items"][0]["taxes"][0]["amount"] = money("0.25")  # SBMoney where a number goes
    receipt["createdAt"] = receipt.pop("date")
    del receipt["totalTip"]

    errors = check(RECEIPT_CREATE, receipt)

    assert {(e.parameter, e.code) for e in errors} == {
        ("items[0].unitPrice", UNKNOWN),
        ("items[0].taxes[0].amount", "INVALID_PARAMETER"),
        ("createdAt", UNKNOWN),
        ("totalTip", MISSING),
    }
    assert len(errors) == 4  # one per field
    assert next(e for e in errors if e.parameter == "items[0].taxes[0].amount").message == (
        "must be a number"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("taxesIncluded", "false", "must be true or false"),
        ("customerId", "42", "must be an integer (long)"),
        ("customerId", Decimal("4.2"), "must be an integer (long)"),
        ("totalWeight", True, "must be a number"),
        ("date", "2025-01-21", "must be an ISO-8601 date-time with its offset"),
        ("date", "2025-02-30T10:00:00Z", "must be an ISO-8601 date-time with its offset"),
        ("currency", "cad", "must be a three-letter currency code"),
        ("items", {}, "must be an array"),
        ("barcode", [], "must be an object (BarcodeCreateRequest)"),
        ("type", "SALE", "must be one of OFFICIAL, OCR, EMAIL"),
    ],
)
def test_wrong_kinds_are_refused_at_their_field(field: str, value: object, message: str):
    errors = check(RECEIPT_CREATE, small_receipt(**{field: value}))

    assert [(e.parameter, e.code) for e in errors] == [(field, "INVALID_PARAMETER")]
    assert errors[0].message.startswith(message)


def test_every_required_field_is_named_when_missing_or_null():
    required = [n for n, f in RECEIPT_CREATE.fields.items() if isinstance(f, Required)]
    receipt = {k: v for k, v in small_receipt().items() if k not in required}
    receipt["total"] = None

    errors = check(RECEIPT_CREATE, receipt)

    assert [(e.parameter, e.code, e.message) for e in errors] == [
        (name, MISSING, "is required") for name in required
    ]


def test_a_refund_with_negative_amounts_and_a_cancelled_receipt_are_taken():
    refund = small_receipt(
        total=money("-5.73"),
        totalPayments=money("-5.73"),
        cancelledAt="2025-01-22T09:00:00.000Z",
        cancelReason="customer returned the item",
    )
    refund["items"][0]["quantity"] = -2
    refund["payments"][0]["amount"] = money("-5.73")

    assert check(RECEIPT_CREATE, refund) == []


def test_nulls_stand_for_absent_optional_fields():
    assert check(RECEIPT_CREATE, small_receipt(customerId=None, location=None)) == []


def test_maps_take_any_key_and_only_text():
    receipt = small_receipt()
    receipt["items"][0]["description"] = {"fr-CA": "Café", "en-CA": 3}

    errors = check(RECEIPT_CREATE, receipt)

    assert [(e.parameter, e.message) for e in errors] == [
        ("items[0].description.en-CA", "must be a string of valid Unicode text")
    ]


# -- properties: any change at any depth is named at its own path, and only there


def leaf_paths(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every scalar of a document (a map's values count as scalars of it)."""
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in leaf_paths(item, (*path, key))]
    if isinstance(value, list):
        return [p for n, item in enumerate(value) for p in leaf_paths(item, (*path, n))]
    return [path]


def object_paths(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every object of a document that is a shape (not a map such as `description`)."""
    found: list[tuple[str | int, ...]] = []
    if isinstance(value, dict):
        if not (value and all(str(key).startswith("additionalProp") for key in value)):
            found.append(path)
        for key, item in value.items():
            found += object_paths(item, (*path, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            found += object_paths(item, (*path, n))
    return found


def parameter(path: tuple[str | int, ...]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else f".{step}" if text else step
    return text


def at(document: Any, path: tuple[str | int, ...]) -> Any:
    for step in path[:-1]:
        document = document[step]
    return document


FULL = with_currency(receipt_example())


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(leaf_paths(FULL)), st.sampled_from([{"x": 1}, [], [1]]))
def test_a_wrong_kind_anywhere_is_one_error_at_its_path(path, wrong):
    receipt = copy.deepcopy(FULL)
    at(receipt, path)[path[-1]] = wrong

    errors = check(RECEIPT_CREATE, receipt)

    assert [(e.parameter, e.code) for e in errors] == [(parameter(path), "INVALID_PARAMETER")]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(object_paths(FULL)), st.sampled_from(["zz", "unitPrice", "createdAt"]))
def test_an_unknown_field_at_any_depth_is_one_error_naming_it(path, name):
    receipt = copy.deepcopy(FULL)
    target = receipt
    for step in path:
        target = target[step]
    assume(name not in target)
    target[name] = "x"

    errors = check(RECEIPT_CREATE, receipt)

    assert [(e.parameter, e.code) for e in errors] == [(parameter((*path, name)), UNKNOWN)]


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.decimals(allow_nan=False, allow_infinity=False)
        | st.text(),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.sampled_from([*RECEIPT_CREATE.fields, "x"]), inner, max_size=5)
        ),
        max_leaves=20,
    )
)
def test_any_json_value_gets_errors_never_an_exception(value):
    for problem in check(RECEIPT_CREATE, value):
        assert problem.code in {"INVALID_PARAMETER", UNKNOWN, MISSING} and problem.message
