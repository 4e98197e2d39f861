"""cart_format.py: the cart JSON of formats/cart.md, read strictly with one line per problem
naming its field (`items[2].quantity: must be > 0`), and written back unchanged."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.cart import Cart, CashRounding, InclusiveTarget, Policy, TaxRounding
from pos_app.domain.cart_format import CartError, cart_to_dict, dumps_cart, loads_cart, parse_cart
from pos_app.domain.money import RoundingMode
from tests.fixtures.carts import format_example

from .strategies import cart_dicts


def valid() -> dict[str, Any]:
    """The example of formats/cart.md, with three items so that `items[2]` exists."""
    cart = format_example()
    cart["items"] += [
        {"name": "Pommes", "unitPrice": "3.99", "quantity": "0.735", "unit": "kg"},
        {"name": "Bagel", "unitPrice": "1.25", "quantity": "3", "taxable": False},
    ]
    cart["payments"][0].update(brand="VISA", last4="4242")
    cart["customer"] = {"firstName": "Marie", "lastName": "Tremblay", "email": "m@example.com"}
    return cart


def test_the_spec_example_parses_into_a_whole_cart() -> None:
    cart = parse_cart(valid())
    assert cart.currency == "CAD"
    assert cart.policy == Policy(
        TaxRounding.PER_LINE, RoundingMode.HALF_UP, InclusiveTarget.TAX, CashRounding.CA_005
    )
    assert [i.name for i in cart.items] == ["Café filtre", "Pommes", "Bagel"]
    assert cart.items[1].quantity == Decimal("0.735")
    assert cart.items[0].taxes[1].rate == Decimal("0.09975")
    assert cart.items[2].applied_taxes == ()
    assert cart.discounts[0].amount == Decimal("1.00")
    assert cart.payments[0].card_last4 == "4242"
    assert cart.customer is not None and cart.customer.display_name == "Marie Tremblay"


def test_every_policy_key_is_optional_and_defaults_come_from_the_store() -> None:
    data = valid()
    del data["policy"]
    assert parse_cart(data).policy == Policy()
    store = Policy(TaxRounding.GLOBAL, RoundingMode.HALF_EVEN, InclusiveTarget.NET)
    data["policy"] = {"cashRounding": "none"}
    parsed = parse_cart(data, store)
    assert parsed.policy == Policy(
        TaxRounding.GLOBAL, RoundingMode.HALF_EVEN, InclusiveTarget.NET, CashRounding.NONE
    )


def test_optional_sections_may_be_left_out() -> None:
    cart = parse_cart(
        {"currency": "JPY", "items": [{"name": "茶", "unitPrice": "150", "quantity": "1"}]}
    )
    assert cart.tip == cart.shipping == cart.duties == 0
    assert cart.payments == () and cart.fees == () and cart.discounts == ()
    assert cart.customer is None and cart.taxes_included is False


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _drop(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


BAD_CARTS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("missing currency", _drop(("currency",)), "currency: is required"),
    ("unknown currency", _set(("currency",), "XYZ"), "currency: unknown currency 'XYZ'"),
    ("lower-case currency", _set(("currency",), "cad"), "currency: unknown currency 'cad'"),
    ("currency not text", _set(("currency",), 124), "currency: must be a non-empty string"),
    ("zero quantity", _set(("items", 2, "quantity"), "0"), "items[2].quantity: must be > 0"),
    ("negative quantity", _set(("items", 2, "quantity"), "-1"), "items[2].quantity: must be > 0"),
    ("missing quantity", _drop(("items", 0, "quantity")), "items[0].quantity: is required"),
    (
        "negative price",
        _set(("items", 1, "unitPrice"), "-3.99"),
        "items[1].unitPrice: must be >= 0",
    ),
    ("missing price", _drop(("items", 1, "unitPrice")), "items[1].unitPrice: is required"),
    ("null price", _set(("items", 1, "unitPrice"), None), "items[1].unitPrice: is required"),
    (
        "malformed price",
        _set(("items", 0, "unitPrice"), "2,49"),
        "items[0].unitPrice: '2,49' is not a decimal number",
    ),
    (
        "exponent price",
        _set(("items", 0, "unitPrice"), "1e400"),
        "items[0].unitPrice: '1e400' is not a decimal number",
    ),
    (
        "NaN price",
        _set(("items", 0, "unitPrice"), "NaN"),
        "items[0].unitPrice: 'NaN' is not a decimal number",
    ),
    (
        "float price",
        _set(("items", 0, "unitPrice"), 2.49),
        "items[0].unitPrice: must be a decimal string, not a binary float",
    ),
    (
        "boolean quantity",
        _set(("items", 0, "quantity"), True),
        "items[0].quantity: must be a decimal string, not true or false",
    ),
    (
        "list quantity",
        _set(("items", 0, "quantity"), ["2"]),
        "items[0].quantity: must be a decimal string, got list",
    ),
    (
        "too many decimals",
        _set(("items", 0, "quantity"), "0.1234567"),
        "items[0].quantity: must have at most 6 decimals",
    ),
    (
        "absurd price",
        _set(("items", 0, "unitPrice"), "1000000000000"),
        "items[0].unitPrice: 1000000000000 is out of range",
    ),
    ("missing name", _drop(("items", 1, "name")), "items[1].name: is required"),
    ("blank name", _set(("items", 1, "name"), "  "), "items[1].name: must be a non-empty string"),
    ("item not an object", _set(("items", 1), "Pommes"), "items[1]: must be an object"),
    ("items not an array", _set(("items",), {"name": "x"}), "items: must be an array"),
    (
        "taxable not a flag",
        _set(("items", 2, "taxable"), "no"),
        "items[2].taxable: must be true or false",
    ),
    (
        "description not text",
        _set(("items", 0, "description"), {"fr-CA": 5}),
        "items[0].description: must map locales to text",
    ),
    (
        "discount with both",
        _set(("items", 0, "discounts", 0, "amount"), "0.50"),
        "items[0].discounts[0]: has both percentage and amount; give only one",
    ),
    (
        "discount with neither",
        _drop(("items", 0, "discounts", 0, "percentage")),
        "items[0].discounts[0]: needs percentage or amount",
    ),
    (
        "discount over 100 %",
        _set(("items", 0, "discounts", 0, "percentage"), "100.5"),
        "items[0].discounts[0].percentage: must be <= 100",
    ),
    (
        "discount amount finer than a cent",
        _set(("discounts", 0, "amount"), "1.005"),
        "discounts[0].amount: must have at most 2 decimals",
    ),
    (
        "negative discount",
        _set(("discounts", 0, "amount"), "-1.00"),
        "discounts[0].amount: must be >= 0",
    ),
    (
        "receipt discount with both",
        _set(("discounts", 0, "percentage"), "10"),
        "discounts[0]: has both percentage and amount; give only one",
    ),
    (
        "discounts not an array",
        _set(("items", 0, "discounts"), "10%"),
        "items[0].discounts: must be an array",
    ),
    (
        "tax without rate",
        _drop(("items", 0, "taxes", 1, "percentage")),
        "items[0].taxes[1].percentage: is required",
    ),
    (
        "compound not a flag",
        _set(("items", 0, "taxes", 1, "compound"), "yes"),
        "items[0].taxes[1].compound: must be true or false",
    ),
    (
        "tax over 100 %",
        _set(("items", 0, "taxes", 0, "percentage"), "105"),
        "items[0].taxes[0].percentage: must be <= 100",
    ),
    (
        "fee with both",
        _set(("fees", 0, "percentage"), "5"),
        "fees[0]: has both percentage and amount; give only one",
    ),
    ("fee with neither", _drop(("fees", 1, "percentage")), "fees[1]: needs percentage or amount"),
    ("negative tip", _set(("tip",), "-1.00"), "tip: must be >= 0"),
    ("tip finer than a cent", _set(("tip",), "1.001"), "tip: must have at most 2 decimals"),
    ("shipping NaN", _set(("shipping",), "NaN"), "shipping: 'NaN' is not a decimal number"),
    (
        "duties infinite",
        _set(("duties",), "Infinity"),
        "duties: 'Infinity' is not a decimal number",
    ),
    (
        "lower-case payment type",
        _set(("payments", 1, "type"), "cash"),
        "payments[1].type: unknown payment type 'cash'",
    ),
    ("payment without amount", _drop(("payments", 0, "amount")), "payments[0].amount: is required"),
    ("short last4", _set(("payments", 0, "last4"), "42"), "payments[0].last4: must be 4 digits"),
    (
        "negative payment",
        _set(("payments", 1, "amount"), "-20.00"),
        "payments[1].amount: must be >= 0",
    ),
    (
        "unknown tax rounding",
        _set(("policy", "taxRounding"), "weekly"),
        "policy.taxRounding: unknown value 'weekly'",
    ),
    (
        "rounding mode spelled as Python's",
        _set(("policy", "roundingMode"), "ROUND_HALF_UP"),
        "policy.roundingMode: unknown value 'ROUND_HALF_UP'",
    ),
    (
        "rounding mode as a list",
        _set(("policy", "roundingMode"), ["HALF_UP"]),
        "policy.roundingMode: unknown value ['HALF_UP']",
    ),
    (
        "cash rounding as an object",
        _set(("policy", "cashRounding"), {"step": "0.05"}),
        "policy.cashRounding: unknown value {'step': '0.05'}",
    ),
    ("policy not an object", _set(("policy",), "global"), "policy: must be an object"),
    (
        "taxesIncluded as text",
        _set(("taxesIncluded",), "false"),
        "taxesIncluded: must be true or false",
    ),
    ("customer not an object", _set(("customer",), "Marie"), "customer: must be an object"),
    (
        "customer email not text",
        _set(("customer", "email"), 5),
        "customer.email: must be a non-empty string",
    ),
]


@pytest.mark.parametrize(
    ("change", "problem"), [pytest.param(c, p, id=name) for name, c, p in BAD_CARTS]
)
def test_each_problem_is_one_line_naming_its_field(
    change: Callable[[dict[str, Any]], None], problem: str
) -> None:
    data = valid()
    change(data)
    with pytest.raises(CartError) as caught:
        parse_cart(data)
    assert caught.value.problems == [problem]
    assert str(caught.value) == problem


def test_every_problem_is_reported_in_one_pass() -> None:
    data = valid()
    data["items"][2]["quantity"] = "0"
    data["items"][0]["unitPrice"] = "-1"
    data["currency"] = "ZZZ"
    data["payments"][0]["type"] = "card"
    with pytest.raises(CartError) as caught:
        parse_cart(data)
    assert caught.value.problems == [
        "currency: unknown currency 'ZZZ'",
        "items[0].unitPrice: must be >= 0",
        "items[2].quantity: must be > 0",
        "payments[0].type: unknown payment type 'card'",
    ]
    assert str(caught.value).splitlines() == caught.value.problems


@pytest.mark.parametrize(
    ("currency", "field", "value", "problem"),
    [
        ("JPY", "tip", "1.5", "tip: must have at most 0 decimals"),
        ("KWD", "tip", "0.0005", "tip: must have at most 3 decimals"),
        ("CLF", "tip", "0.00005", "tip: must have at most 4 decimals"),
    ],
)
def test_amounts_are_checked_against_the_currency_minor_unit(
    currency: str, field: str, value: str, problem: str
) -> None:
    with pytest.raises(CartError) as caught:
        parse_cart({"currency": currency, field: value})
    assert caught.value.problems == [problem]
    ok = {"JPY": "1", "KWD": "0.125", "CLF": "0.0001"}[currency]
    assert getattr(parse_cart({"currency": currency, field: ok}), field) == Decimal(ok)


@pytest.mark.parametrize("root", [[], "cart", 5, None])
def test_a_cart_must_be_an_object(root: object) -> None:
    with pytest.raises(CartError) as caught:
        parse_cart(root)
    assert caught.value.problems == ["cart: must be an object"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"currency": "CAD", "tip": NaN}', "cart: NaN is not a number"),
        ('{"currency": "CAD", "tip": Infinity}', "cart: Infinity is not a number"),
        ('{"currency": "CAD", "tip": -Infinity}', "cart: -Infinity is not a number"),
        ('{"currency": "CAD", "tip": 1e400}', "tip: 1.000E+400 is out of range"),
        ('{"currency": "CAD", "tip": 1E2}', None),
        (
            '{"currency": "CAD", "tip": ' + "9" * 5000 + "}",
            "tip: 1.000E+5000 is out of range",
        ),
        (
            '{"currency": "CAD",',
            "cart: not valid JSON (Expecting property name enclosed in double quotes at line 1)",
        ),
        ("", "cart: not valid JSON (Expecting value at line 1)"),
        ("[" * 100_000 + "]" * 100_000, "cart: not valid JSON (nested too deeply)"),
    ],
)
def test_json_text_is_read_without_floats_and_without_crashing(
    text: str, problem: str | None
) -> None:
    if problem is None:
        assert loads_cart(text).tip == Decimal("100")
        return
    with pytest.raises(CartError) as caught:
        loads_cart(text)
    assert caught.value.problems == [problem]


def test_json_numbers_keep_their_exact_digits() -> None:
    cart = loads_cart(
        '{"currency": "CAD", "items": [{"name": "x", "unitPrice": 2.49, "quantity": 0.735,'
        ' "taxes": [{"name": "QST", "percentage": 9.975}]}], "tip": 1}'
    )
    item = cart.items[0]
    assert (item.unit_price, item.quantity) == (Decimal("2.49"), Decimal("0.735"))
    assert str(item.taxes[0].percentage) == "9.975"  # not 9.9749999999999996447...
    assert cart.tip == Decimal(1)


def test_bytes_that_are_not_utf8_are_a_cart_error() -> None:
    with pytest.raises(CartError) as caught:
        loads_cart(b'{"currency": "\xff"}')
    assert caught.value.problems == ["cart: not valid JSON (not UTF-8 text)"]


def test_the_spec_example_round_trips() -> None:
    cart = parse_cart(valid())
    assert parse_cart(cart_to_dict(cart)) == cart
    assert loads_cart(dumps_cart(cart)) == cart
    assert json.loads(dumps_cart(cart))["payments"][1] == {"type": "CASH", "amount": "20.00"}


def test_empty_optional_texts_round_trip() -> None:
    data = valid()
    data["items"][0]["sku"] = ""
    data["items"][0]["taxes"][0]["taxIdentificationNumber"] = ""
    data["payments"][0]["reference"] = ""
    data["customer"] = {"email": "", "phone": "", "firstName": ""}
    cart = parse_cart(data)
    assert cart.items[0].sku == ""
    assert parse_cart(cart_to_dict(cart)) == cart


# --- Any single corruption of a valid random cart is refused, naming the field. -------------

CORRUPTIONS: list[tuple[Any, str]] = [
    ("-1", "must be >= 0"),
    ("1e5", "is not a decimal number"),
    ("NaN", "is not a decimal number"),
    ([], "must be a decimal string, got list"),
    (True, "must be a decimal string, not true or false"),
    ("0.1234567", "must have at most"),
]


def _numeric_paths(data: Any, path: str = "") -> list[tuple[str, list[Any]]]:
    """(field path, key route) of every numeric field of a cart dict."""
    numeric = {"unitPrice", "quantity", "percentage", "amount", "tip", "shipping", "duties"}
    found: list[tuple[str, list[Any]]] = []

    def walk(node: Any, text: str, route: list[Any]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                sub = f"{text}.{key}" if text else key
                if key in numeric:
                    found.append((sub, [*route, key]))
                walk(value, sub, [*route, key])
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{text}[{i}]", [*route, i])

    walk(data, path, [])
    return found


@settings(max_examples=int(os.environ.get("POS_DOMAIN_EXAMPLES", "100")), deadline=None)
@given(data=cart_dicts(), choice=st.data())
def test_a_corrupted_field_is_refused_with_its_path_and_no_partial_cart(
    data: dict[str, Any], choice: st.DataObject
) -> None:
    paths = _numeric_paths(data)
    if not paths:
        return
    field, route = choice.draw(st.sampled_from(paths))
    bad, message = choice.draw(st.sampled_from(CORRUPTIONS))
    corrupted = copy.deepcopy(data)
    target: Any = corrupted
    for key in route[:-1]:
        target = target[key]
    target[route[-1]] = bad
    result: Cart | None = None
    with pytest.raises(CartError) as caught:
        result = parse_cart(corrupted)
    assert result is None
    problems = caught.value.problems
    assert any(p.startswith(f"{field}: ") for p in problems), (field, problems)
    mine = [p for p in problems if p.startswith(f"{field}: ")]
    # "-1" on a quantity reads "must be > 0"; everything else reads as listed.
    assert message in mine[0] or (bad == "-1" and mine[0].endswith("must be > 0"))
