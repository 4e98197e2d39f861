"""Hypothesis strategies for random carts in the JSON format of formats/cart.md.

Carts are drawn as JSON-compatible dicts (decimal strings everywhere) and parsed, so the parser
is exercised on every example too. Rates stay at or below 30 % so that tax-included nets cannot
go negative (see test_totals_properties.py); everything else roams: five currencies with 0, 2
and 3 decimals (and CLF with 4), fractional quantities, several taxes per line (some compound),
line and receipt discounts of both kinds, fees (some taxed), tip/shipping/duties and split
tender.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from pos_app.domain.cart import Cart
from pos_app.domain.cart_format import parse_cart
from pos_app.domain.money import minor_unit

CURRENCIES = ("CAD", "USD", "EUR", "JPY", "KWD", "CLF")

# Real-world rates, reused across lines so that `global` rounding sums the same tax over
# several lines; the compound ones are the pre-2013 Québec QST and a made-up compound PST.
TAX_POOL: tuple[dict[str, Any], ...] = (
    {"name": "GST", "percentage": "5"},
    {"name": "QST", "percentage": "9.975"},
    {"name": "PST", "percentage": "7"},
    {"name": "HST", "percentage": "13"},
    {"name": "VAT", "percentage": "19"},
    {"name": "VAT", "percentage": "7"},
    {"name": "QST", "percentage": "7.5", "compound": True},
    {"name": "PST", "percentage": "8", "compound": True, "taxIdentificationNumber": "1234"},
)


def text_of(value: int, places: int) -> str:
    """`value` x 10^-places as a plain decimal string ('0.735', '12', '1.250')."""
    return f"{Decimal(value).scaleb(-places):f}"


def money_text(decimals: int, max_units: int) -> st.SearchStrategy[str]:
    """An amount with exactly the currency's decimals, 0 .. max_units whole units."""
    return st.integers(0, max_units * 10**decimals).map(lambda n: text_of(n, decimals))


@st.composite
def percentages(draw: st.DrawFn, high: int = 100) -> str:
    places = draw(st.sampled_from([0, 0, 1, 2, 3]))
    return text_of(draw(st.integers(0, high * 10**places)), places)


@st.composite
def random_tax(draw: st.DrawFn) -> dict[str, Any]:
    tax: dict[str, Any] = {
        "name": draw(st.sampled_from(["T1", "T2", "GST"])),
        "percentage": draw(percentages(high=30)),
    }
    if draw(st.booleans()):
        tax["compound"] = True
    return tax


def taxes(max_size: int = 3) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(st.one_of(st.sampled_from(TAX_POOL), random_tax()), max_size=max_size)


@st.composite
def discount(draw: st.DrawFn, decimals: int, max_units: int) -> dict[str, Any]:
    name = draw(st.sampled_from(["Promo", "Coupon", "Staff", "Loyalty"]))
    if draw(st.booleans()):
        return {"name": name, "percentage": draw(percentages())}
    return {"name": name, "amount": draw(money_text(decimals, max_units))}


@st.composite
def unit_price(draw: st.DrawFn, decimals: int) -> str:
    # Sometimes finer than the currency (fuel at 1.659 $/L), never beyond 6 decimals.
    places = min(6, decimals + draw(st.sampled_from([0, 0, 0, 1, 2])))
    high = 200 if decimals else 20_000  # 200 dollars / 20,000 yen
    return text_of(draw(st.integers(0, high * 10**places)), places)


quantities = st.one_of(
    st.integers(1, 12).map(str),
    st.integers(1, 9_999).map(lambda n: text_of(n, 3)),  # weights: 0.001 .. 9.999 kg
    st.sampled_from(["0.735", "1.5", "2", "0.5"]),
)


# A till's tax groups: most lines of a big cart share one of these lists.
TAX_GROUPS: tuple[list[dict[str, Any]], ...] = (
    [TAX_POOL[0], TAX_POOL[1]],
    [TAX_POOL[3]],
    [TAX_POOL[0], TAX_POOL[6]],
    [TAX_POOL[0], TAX_POOL[2], TAX_POOL[7]],
)


@st.composite
def item(draw: st.DrawFn, decimals: int, grouped: bool = False) -> dict[str, Any]:
    unit_max = 50 if decimals else 5_000
    out: dict[str, Any] = {
        "name": draw(st.sampled_from(["Café filtre", "Bagel", "Pommes", "Essence", "Thé"])),
        "unitPrice": draw(unit_price(decimals)),
        "quantity": draw(quantities),
    }
    if draw(st.booleans()):
        out["sku"] = draw(st.sampled_from(["0001", "0002", ""]))
    line_discounts = draw(st.lists(discount(decimals, unit_max), max_size=2))
    if line_discounts:
        out["discounts"] = line_discounts
    line_taxes = draw(st.sampled_from(TAX_GROUPS) if grouped else taxes())
    if line_taxes:
        out["taxes"] = line_taxes
    if draw(st.integers(0, 7)) == 0:
        out["taxable"] = False
    return out


@st.composite
def fee(draw: st.DrawFn, decimals: int) -> dict[str, Any]:
    name = draw(st.sampled_from(["Bag", "Service", "Delivery", "Deposit"]))
    out: dict[str, Any] = {"name": name}
    if draw(st.booleans()):
        out["amount"] = draw(money_text(decimals, 20 if decimals else 2_000))
    else:
        out["percentage"] = draw(percentages(high=20))
    fee_taxes = draw(taxes(max_size=2))
    if fee_taxes:
        out["taxes"] = fee_taxes
    return out


@st.composite
def policy(draw: st.DrawFn) -> dict[str, str]:
    choices = {
        "taxRounding": ["per_line", "global"],
        "roundingMode": ["HALF_UP", "HALF_EVEN"],
        "inclusiveTarget": ["tax", "net"],
        "cashRounding": ["CA_0.05", "none"],
    }
    out = {}
    for key, values in choices.items():
        value = draw(st.sampled_from([None, *values]))  # None: the store default
        if value is not None:
            out[key] = value
    return out


@st.composite
def payments(draw: st.DrawFn, decimals: int) -> list[dict[str, str]]:
    kinds = st.sampled_from(["CASH", "CASH", "CARD", "GIFT_CARD", "EXTERNAL"])
    high = 500 if decimals else 50_000
    extras = {
        "brand": st.sampled_from(["VISA", "Interac", ""]),
        "last4": st.sampled_from(["4242", "0001"]),
        "reference": st.sampled_from(["auth-123", ""]),
    }
    payment = st.fixed_dictionaries(
        {"type": kinds, "amount": money_text(decimals, high)}, optional=extras
    )
    return draw(st.lists(payment, max_size=3))


customers = st.fixed_dictionaries(
    {},
    optional={
        key: st.sampled_from(["", "Marie", "m@example.com"])
        for key in ("id", "firstName", "lastName", "email", "phone", "locale")
    },
)


@st.composite
def cart_dicts(
    draw: st.DrawFn, currencies: tuple[str, ...] = CURRENCIES, big: bool = False
) -> dict[str, Any]:
    """A random cart; `big` ones have up to 40 lines sharing a few tax groups, so that the
    engine works their taxes a column at a time."""
    currency = draw(st.sampled_from(currencies))
    d = minor_unit(currency)
    small = 30 if d else 3_000
    out: dict[str, Any] = {
        "currency": currency,
        "taxesIncluded": draw(st.booleans()),
        "policy": draw(policy()),
        "items": draw(st.lists(item(d, grouped=big), max_size=40 if big else 6)),
        "discounts": draw(st.lists(discount(d, small * 3), max_size=2)),
        "fees": draw(st.lists(fee(d), max_size=2)),
        "payments": draw(payments(d)),
    }
    if draw(st.integers(0, 3)) == 0:
        out["customer"] = draw(customers)
    for key in ("tip", "shipping", "duties"):
        if draw(st.integers(0, 2)) == 0:
            out[key] = draw(money_text(d, small))
    return out


def carts(currencies: tuple[str, ...] = CURRENCIES, big: bool = False) -> st.SearchStrategy[Cart]:
    return cart_dicts(currencies, big).map(parse_cart)
