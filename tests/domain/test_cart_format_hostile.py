"""Issue 14 item 5 and issue 13 item 4: carts that are not what they say are refused, one line
per field; amounts with harmless zeros are read as their value."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.cart_format import (
    MAX_CART_BYTES,
    MAX_ITEMS,
    MAX_TAXES,
    MAX_TEXT_CHARS,
    CartError,
    loads_cart,
    parse_cart,
)
from pos_app.domain.money import minor_unit
from pos_app.domain.totals import compute_totals
from tests.fixtures.carts import format_example


def problems(text: str) -> list[str]:
    with pytest.raises(CartError) as refused:
        loads_cart(text)
    return refused.value.problems


def with_change(path: tuple[Any, ...], key: str, value: Any) -> str:
    cart = format_example()
    target: Any = cart
    for step in path:
        target = target[step]
    target[key] = value
    return json.dumps(cart)


@pytest.mark.parametrize(
    ("path", "key", "shown"),
    [
        ((), "taxIncluded", "taxIncluded"),
        ((), "discount", "discount"),
        (("policy",), "rounding", "policy.rounding"),
        (("items", 0), "taxe", "items[0].taxe"),
        (("items", 0, "taxes", 1), "rate", "items[0].taxes[1].rate"),
        (("items", 0, "discounts", 0), "percent", "items[0].discounts[0].percent"),
        (("fees", 1), "taxable", "fees[1].taxable"),
        (("payments", 0), "change", "payments[0].change"),
    ],
)
def test_an_unknown_key_at_any_depth_is_refused(path, key, shown) -> None:
    assert problems(with_change(path, key, True)) == [f"{shown}: unknown field"]


def test_a_customer_key_misspelt_is_refused() -> None:
    text = with_change((), "customer", {"firstName": "Léa", "emial": "lea@example.com"})
    assert problems(text) == ["customer.emial: unknown field"]


def test_a_repeated_key_is_refused_wherever_it_is() -> None:
    text = json.dumps(format_example())
    twice = text.replace('"currency": "CAD"', '"currency": "CAD", "currency": "JPY"', 1)
    assert problems(twice)[0] == "currency: given more than once"
    nested = text.replace('"quantity": "2"', '"quantity": "2", "quantity": "20"', 1)
    assert problems(nested) == ["items[0].quantity: given more than once"]


def test_a_lone_surrogate_is_refused_in_a_value_or_a_key() -> None:
    text = json.dumps(format_example(), ensure_ascii=False).replace("Café filtre", "Caf\\ud800")
    assert problems(text) == ["items[0].name: is not valid Unicode text (a lone surrogate)"]
    key = with_change(("items", 0), "\ud800", 1)
    [line] = problems(key)
    line.encode("utf-8")  # printable
    assert line == "items[0].\\ud800: unknown field"


def test_past_sane_sizes_is_refused() -> None:
    assert problems(with_change(("items", 0), "name", "x" * (MAX_TEXT_CHARS + 1))) == [
        f"items[0].name: is longer than {MAX_TEXT_CHARS} characters"
    ]
    item = format_example()["items"][0]
    assert problems(with_change((), "items", [item] * (MAX_ITEMS + 1))) == [
        f"items: has more than {MAX_ITEMS} entries"
    ]
    assert problems(" " * (MAX_CART_BYTES + 1)) == [f"cart: larger than {MAX_CART_BYTES:,} bytes"]


def test_tax_rates_that_would_overflow_are_refused_and_the_largest_allowed_totals() -> None:
    compound = [{"name": f"T{i}", "percentage": "100", "compound": True} for i in range(MAX_TAXES)]
    line = {"name": "Or", "unitPrice": "999999.99", "quantity": "999999", "taxes": compound}
    cart = {"currency": "CAD", "items": [line] * MAX_ITEMS}
    assert compute_totals(parse_cart(json.loads(json.dumps(cart)))).total > 0  # no overflow
    too_many = {**line, "taxes": [*compound, compound[0]]}
    assert problems(json.dumps({"currency": "CAD", "items": [too_many]})) == [
        f"items[0].taxes: has more than {MAX_TAXES} entries"
    ]
    huge = {**line, "unitPrice": "999999999999", "quantity": "2"}
    assert problems(json.dumps({"currency": "CAD", "items": [huge]})) == [
        "items[0]: unitPrice × quantity is out of range"
    ]


# -- issue 13 item 4: harmless zeros ------------------------------------------------------


def test_harmless_zeros_are_read_as_the_value() -> None:
    jpy = {
        "currency": "JPY",
        "tip": "0.00",
        "items": [{"name": "Ramen", "unitPrice": "1500", "quantity": "1"}],
        "payments": [{"type": "CASH", "amount": "1500.00"}],
    }
    cart = loads_cart(json.dumps(jpy))
    assert cart.tip == 0 and str(cart.payments[0].amount) == "1500"
    cad = {**format_example(), "tip": "2.500"}
    assert str(loads_cart(json.dumps(cad)).tip) == "2.50"


def test_values_that_do_not_fit_the_minor_unit_are_refused() -> None:
    jpy = {"currency": "JPY", "tip": "0.50", "items": []}
    assert problems(json.dumps(jpy)) == ["tip: must have at most 0 decimals"]
    cad = {**format_example(), "tip": "2.495"}
    assert problems(json.dumps(cad)) == ["tip: must have at most 2 decimals"]


@given(
    currency=st.sampled_from(["JPY", "CAD", "KWD"]),
    minor=st.integers(min_value=0, max_value=10**9),
    zeros=st.integers(min_value=1, max_value=6),
    extra=st.integers(min_value=1, max_value=9),
)
def test_an_amount_fits_exactly_when_its_value_fits_the_minor_unit(
    currency: str, minor: int, zeros: int, extra: int
) -> None:
    places = minor_unit(currency)
    value = Decimal(minor).scaleb(-places)
    padded = f"{value:.{places + zeros}f}"  # the same value with zeros past the minor unit
    cart = {"currency": currency, "items": [], "tip": padded}
    tip = loads_cart(json.dumps(cart)).tip
    assert tip == value and -tip.as_tuple().exponent <= places  # type: ignore[operator]
    # A non-zero digit past the minor unit does not fit: refused, never rounded.
    off = padded[:-1] + str(extra)
    assert problems(json.dumps({**cart, "tip": off})) == [
        f"tip: must have at most {places} decimals"
    ]


def test_control_characters_and_bidi_overrides_are_removed_from_names() -> None:
    text = with_change(("items", 0), "name", "Caf\u00e9\x1b[0m\x00 \u202efiltre\u202c")
    assert loads_cart(text).items[0].name == "Café[0m filtre"
