"""The cart JSON format of formats/cart.md: strict parsing with one message per problem, and
the inverse, so a held or recorded cart reads back to the same value.

A bad cart never becomes a half-built Cart: `parse_cart` either returns a whole Cart or raises
CartError listing every problem, each naming its field (`items[2].quantity: must be > 0`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from pos_app.domain.cart import (
    Cart,
    CashRounding,
    Customer,
    Discount,
    Fee,
    InclusiveTarget,
    Item,
    Payment,
    PaymentType,
    Policy,
    Tax,
    TaxRounding,
)
from pos_app.domain.money import (
    MAX_MAGNITUDE,
    AmountError,
    CurrencyError,
    RoundingMode,
    format_amount,
    minor_unit,
    to_decimal,
)
from pos_app.domain.text import printable

T = TypeVar("T")

# Unit prices, quantities and rates may be finer than a cent (fuel at 1.659, 0.735 kg, 9.975 %),
# but not unboundedly so: six decimals keeps every product exact in the engine's precision.
MAX_INPUT_DECIMALS = 6
# Sane sizes (formats: README "Cart limits"). They also keep every total far inside the
# decimal precision: a line is under 10^12, ten compound taxes at most multiply it by 1024.
MAX_CART_BYTES = 1_000_000
MAX_ITEMS = 1000
MAX_ENTRIES = 50  # discounts, fees, payments
MAX_TAXES = 10  # taxes on one line or fee
MAX_TEXT_CHARS = 500  # any text: a name (a long one wraps on the receipt), a reference
_LIMITS = {"items": MAX_ITEMS, "taxes": MAX_TAXES}
_SURROGATE = re.compile("[\ud800-\udfff]")

# The keys each object of the format may hold; any other key is refused, so a misspelt one
# ("taxIncluded") cannot silently change a sale. Adding a key to the format is one line here.
KEYS: dict[str, frozenset[str]] = {
    "cart": frozenset(
        {"currency", "taxesIncluded", "policy", "items", "discounts", "fees", "tip"}
        | {"shipping", "duties", "payments", "customer"}
    ),
    "policy": frozenset({"taxRounding", "roundingMode", "inclusiveTarget", "cashRounding"}),
    "item": frozenset(
        {"name", "unitPrice", "quantity", "sku", "barcode", "unit", "discounts", "taxes"}
        | {"taxable", "description"}
    ),
    "tax": frozenset({"name", "percentage", "compound", "taxIdentificationNumber"}),
    "discount": frozenset({"name", "percentage", "amount"}),
    "fee": frozenset({"name", "percentage", "amount", "taxes"}),
    "payment": frozenset({"type", "amount", "brand", "last4", "reference", "account"}),
    "customer": frozenset({"id", "firstName", "lastName", "email", "phone", "locale"}),
}
_PAYMENT_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_LAST4 = re.compile(r"^\d{4}$")
DEFAULT_POLICY = Policy()


class CartError(ValueError):
    """A cart that breaks the format or the rules; `problems` has one line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _Reader:
    """Collects problems while reading, so that one pass reports all of them."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        # Equal taxes and equal tax lists are read into one shared object each, so that the
        # totals engine sees the lines that share a list as one group (totals._taxes).
        self.shared: dict[object, Any] = {}

    def share(self, key: object, value: T) -> T:
        return self.shared.setdefault(key, value)  # type: ignore[no-any-return]

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def obj(self, value: object, path: str, kind: str) -> Mapping[str, Any] | None:
        """`value` as an object of `kind`, each unknown or repeated key reported."""
        if not isinstance(value, Mapping):
            self.fail(path, "must be an object")
            return None
        prefix = "" if kind == "cart" else f"{path}."
        for key in getattr(value, "repeated", ()):
            self.fail(f"{prefix}{_shown_key(key)}", "given more than once")
        if not KEYS[kind].issuperset(value):
            for key in value:
                if key not in KEYS[kind]:
                    self.fail(f"{prefix}{_shown_key(key)}", "unknown field")
        return value

    def array(self, data: Mapping[str, Any], key: str, path: str) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(f"{path}{key}", "must be an array")
            return []
        limit = _LIMITS.get(key, MAX_ENTRIES)
        if len(value) > limit:
            self.fail(f"{path}{key}", f"has more than {limit} entries")
            return []
        return value

    def text(
        self, data: Mapping[str, Any], key: str, path: str, required: bool = True
    ) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"{path}{key}", "is required")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"{path}{key}", "must be a non-empty string")
            return None
        if len(value) <= MAX_TEXT_CHARS and value.isprintable():
            return value  # the usual case, checked at C speed (a surrogate is not printable)
        # Control characters and bidi overrides are dropped: never stored, shown or printed.
        return printable(value) if self.fits(value, f"{path}{key}") else None

    def fits(self, value: str, field: str) -> bool:
        """Whether `value` is storable, printable text of a sane length (else reported)."""
        if _SURROGATE.search(value):
            self.fail(field, "is not valid Unicode text (a lone surrogate)")
        elif len(value) > MAX_TEXT_CHARS:
            self.fail(field, f"is longer than {MAX_TEXT_CHARS} characters")
        else:
            return True
        return False

    def flag(self, data: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if isinstance(value, bool):
            return value
        self.fail(f"{path}{key}", "must be true or false")
        return default

    def number(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        *,
        required: bool = True,
        decimals: int = MAX_INPUT_DECIMALS,
        minimum: Decimal | None = Decimal(0),
        strictly_positive: bool = False,
        maximum: Decimal | None = None,
    ) -> Decimal | None:
        field = f"{path}{key}"
        if key not in data or data[key] is None:
            if required:
                self.fail(field, "is required")
            return None
        try:
            value = to_decimal(data[key])
        except AmountError as error:
            self.fail(field, str(error))
            return None
        if strictly_positive and value <= 0:
            self.fail(field, "must be > 0")
        elif minimum is not None and value < minimum:
            self.fail(field, f"must be >= {minimum}")
        elif maximum is not None and value > maximum:
            self.fail(field, f"must be <= {maximum}")
        elif -value.as_tuple().exponent > decimals:  # type: ignore[operator]
            # Zeros past the minor unit are harmless ("1500.00" yen): read as the value.
            fitted = value.quantize(Decimal(1).scaleb(-decimals))
            if fitted == value:
                return fitted
            self.fail(field, f"must have at most {decimals} decimals")
        else:
            return value
        return None

    def choice(
        self, data: Mapping[str, Any], key: str, path: str, enum: Callable[[str], T], default: T
    ) -> T:
        if key not in data:
            return default
        try:
            return enum(data[key])
        except (ValueError, KeyError, TypeError):  # TypeError: a list or object given
            self.fail(f"{path}{key}", f"unknown value {data[key]!r}")
            return default


def _shown_key(key: str) -> str:
    """A key fit for a message: a lone surrogate would make the message unprintable."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8")


def _exactly_one(r: _Reader, data: Mapping[str, Any], path: str, first: str, second: str) -> None:
    has_first, has_second = data.get(first) is not None, data.get(second) is not None
    if has_first and has_second:
        r.fail(path.rstrip("."), f"has both {first} and {second}; give only one")
    elif not (has_first or has_second):
        r.fail(path.rstrip("."), f"needs {first} or {second}")


def _tax(r: _Reader, value: object, path: str) -> Tax | None:
    data = r.obj(value, path, "tax")
    if data is None:
        return None
    p = f"{path}."
    name = r.text(data, "name", p)
    pct = r.number(data, "percentage", p, maximum=Decimal(100))
    compound = r.flag(data, "compound", p, False)
    reg = r.text(data, "taxIdentificationNumber", p, required=False)
    if name is None or pct is None:
        return None
    # The key keeps the percentage as written: "5" and "5.0" stay two (equal) values.
    key = ("tax", name, str(pct), compound, reg)
    return r.share(key, Tax(name=name, percentage=pct, compound=compound, registration_number=reg))


def _taxes(r: _Reader, data: Mapping[str, Any], path: str) -> tuple[Tax, ...]:
    found = [_tax(r, t, f"{path}taxes[{i}]") for i, t in enumerate(r.array(data, "taxes", path))]
    taxes = tuple(t for t in found if t is not None)
    return r.share(("taxes", *map(id, taxes)), taxes) if taxes else ()


def _adjustment(
    r: _Reader, data: Mapping[str, Any], p: str, decimals: int
) -> tuple[str, Decimal | None, Decimal | None] | None:
    """What discounts and fees both are: a name, and exactly one of a percentage (0-100) or
    an amount in the currency. None (with the problems reported) when that is not so."""
    name = r.text(data, "name", p)
    _exactly_one(r, data, p, "percentage", "amount")
    pct = r.number(data, "percentage", p, required=False, maximum=Decimal(100))
    amount = r.number(data, "amount", p, required=False, decimals=decimals)
    if name is None or (pct is None) == (amount is None):
        return None
    return name, pct, amount


def _discount(r: _Reader, value: object, path: str, decimals: int) -> Discount | None:
    data = r.obj(value, path, "discount")
    adjustment = None if data is None else _adjustment(r, data, f"{path}.", decimals)
    if adjustment is None:
        return None
    name, pct, amount = adjustment
    return Discount(name=name, percentage=pct, amount=amount)


def _discounts(
    r: _Reader, data: Mapping[str, Any], path: str, decimals: int
) -> tuple[Discount, ...]:
    raw = r.array(data, "discounts", path)
    found = [_discount(r, d, f"{path}discounts[{i}]", decimals) for i, d in enumerate(raw)]
    return tuple(d for d in found if d is not None)


def _names(r: _Reader, data: Mapping[str, Any], path: str) -> dict[str, str]:
    value = data.get("description", {})
    field = f"{path}description"
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        r.fail(field, "must map locales to text")
        return {}
    if len(value) > MAX_ENTRIES:
        r.fail(field, f"has more than {MAX_ENTRIES} entries")
        return {}
    fitting = [r.fits(k, field) and r.fits(v, f"{field}.{k}") for k, v in value.items()]
    return {k: printable(v) for k, v in value.items()} if all(fitting) else {}


def _item(r: _Reader, value: object, path: str, decimals: int) -> Item | None:
    data = r.obj(value, path, "item")
    if data is None:
        return None
    p = f"{path}."
    name = r.text(data, "name", p)
    price = r.number(data, "unitPrice", p)
    qty = r.number(data, "quantity", p, strictly_positive=True)
    if price is not None and qty is not None and price * qty >= MAX_MAGNITUDE:
        r.fail(path, "unitPrice × quantity is out of range")
        price = None
    item = Item(
        name=name or "",
        unit_price=price or Decimal(0),
        quantity=qty or Decimal(1),
        sku=r.text(data, "sku", p, required=False),
        barcode=r.text(data, "barcode", p, required=False),
        unit=r.text(data, "unit", p, required=False),
        discounts=_discounts(r, data, p, decimals),
        taxes=_taxes(r, data, p),
        taxable=r.flag(data, "taxable", p, True),
        names=_names(r, data, p),
    )
    return item if None not in (name, price, qty) else None


def _fee(r: _Reader, value: object, path: str, decimals: int) -> Fee | None:
    data = r.obj(value, path, "fee")
    if data is None:
        return None
    p = f"{path}."
    adjustment = _adjustment(r, data, p, decimals)
    taxes = _taxes(r, data, p)
    if adjustment is None:
        return None
    name, pct, amount = adjustment
    return Fee(name=name, amount=amount, percentage=pct, taxes=taxes)


def _payment(r: _Reader, value: object, path: str, decimals: int) -> Payment | None:
    data = r.obj(value, path, "payment")
    if data is None:
        return None
    p = f"{path}."
    kind = r.text(data, "type", p)
    if kind is not None and not _PAYMENT_TYPE.match(kind):
        r.fail(f"{p}type", f"unknown payment type {kind!r}")
        kind = None
    amount = r.number(data, "amount", p, decimals=decimals)
    last4 = r.text(data, "last4", p, required=False)
    if last4 is not None and not _LAST4.match(last4):
        r.fail(f"{p}last4", "must be 4 digits")
    account = r.text(data, "account", p, required=kind == PaymentType.ACCOUNT)
    if account is not None and kind != PaymentType.ACCOUNT:
        r.fail(f"{p}account", "only an ACCOUNT payment names an account")
    if kind is None or amount is None:
        return None
    return Payment(
        type=kind,
        amount=amount,
        card_brand=r.text(data, "brand", p, required=False),
        card_last4=last4,
        reference=r.text(data, "reference", p, required=False),
        account=account,
    )


def _customer(r: _Reader, data: Mapping[str, Any]) -> Customer | None:
    if data.get("customer") is None:
        return None
    c = r.obj(data["customer"], "customer", "customer")
    if c is None:
        return None
    p = "customer."
    return Customer(
        id=r.text(c, "id", p, required=False),
        first_name=r.text(c, "firstName", p, required=False) or "",
        last_name=r.text(c, "lastName", p, required=False) or "",
        email=r.text(c, "email", p, required=False),
        phone=r.text(c, "phone", p, required=False),
        locale=r.text(c, "locale", p, required=False),
    )


def _policy(r: _Reader, data: Mapping[str, Any], default: Policy) -> Policy:
    raw = data.get("policy", {})
    p = r.obj(raw, "policy", "policy") or {}
    return Policy(
        tax_rounding=r.choice(p, "taxRounding", "policy.", TaxRounding, default.tax_rounding),
        rounding_mode=r.choice(
            p, "roundingMode", "policy.", RoundingMode.__getitem__, default.rounding_mode
        ),
        inclusive_target=r.choice(
            p, "inclusiveTarget", "policy.", InclusiveTarget, default.inclusive_target
        ),
        cash_rounding=r.choice(p, "cashRounding", "policy.", CashRounding, default.cash_rounding),
    )


# With no usable currency the cart is already refused; reading goes on with cents so that
# every other problem is reported in the same pass.
_NO_CURRENCY = ("", 2)


def _currency(r: _Reader, data: Mapping[str, Any]) -> tuple[str, int]:
    code = r.text(data, "currency", "")
    if code is None:
        return _NO_CURRENCY
    try:
        return code, minor_unit(code)
    except CurrencyError:
        r.fail("currency", f"unknown currency {code!r}")
        return _NO_CURRENCY


def parse_cart(data: object, default_policy: Policy = DEFAULT_POLICY) -> Cart:
    """A whole Cart from JSON-compatible data, or CartError with every problem found."""
    r = _Reader()
    root = r.obj(data, "cart", "cart")
    if root is None:
        raise CartError(r.problems)
    currency, decimals = _currency(r, root)
    items = [
        _item(r, it, f"items[{i}]", decimals) for i, it in enumerate(r.array(root, "items", ""))
    ]
    fees = [_fee(r, f, f"fees[{i}]", decimals) for i, f in enumerate(r.array(root, "fees", ""))]
    payments = [
        _payment(r, p, f"payments[{i}]", decimals)
        for i, p in enumerate(r.array(root, "payments", ""))
    ]
    cart = Cart(
        currency=currency,
        items=tuple(i for i in items if i is not None),
        taxes_included=r.flag(root, "taxesIncluded", "", False),
        policy=_policy(r, root, default_policy),
        discounts=_discounts(r, root, "", decimals),
        fees=tuple(f for f in fees if f is not None),
        tip=r.number(root, "tip", "", required=False, decimals=decimals) or Decimal(0),
        shipping=r.number(root, "shipping", "", required=False, decimals=decimals) or Decimal(0),
        duties=r.number(root, "duties", "", required=False, decimals=decimals) or Decimal(0),
        payments=tuple(p for p in payments if p is not None),
        customer=_customer(r, root),
    )
    if r.problems:
        raise CartError(r.problems)
    return cart


def _reject_constant(name: str) -> None:
    raise CartError([f"cart: {name} is not a number"])


class _JsonObject(dict[str, Any]):
    """A JSON object as read, with the keys it held more than once (`json` keeps the last
    silently: `"currency": "CAD", "currency": "JPY"` would price the cart in yen)."""

    repeated: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj  # the usual case: a plain dict, built at C speed
    keys = [k for k, _ in pairs]
    found = _JsonObject(obj)
    found.repeated = tuple(k for k in obj if keys.count(k) > 1)
    return found


def loads_cart(text: str | bytes, default_policy: Policy = DEFAULT_POLICY) -> Cart:
    """Parse cart JSON text. JSON numbers become Decimals from their exact digits, never floats."""
    if len(text) > MAX_CART_BYTES:
        raise CartError([f"cart: larger than {MAX_CART_BYTES:,} bytes"])
    try:
        # parse_int=Decimal too: int() of a number longer than 4,300 digits raises ValueError.
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_json_object,
        )
    except json.JSONDecodeError as error:
        raise CartError([f"cart: not valid JSON ({error.msg} at line {error.lineno})"]) from None
    except UnicodeDecodeError:
        raise CartError(["cart: not valid JSON (not UTF-8 text)"]) from None
    except RecursionError:
        raise CartError(["cart: not valid JSON (nested too deeply)"]) from None
    return parse_cart(data, default_policy)


# ---------------------------------------------------------------------------------------------
# The inverse: a Cart as the same JSON format, amounts as decimal strings.


def _num(value: Decimal) -> str:
    return f"{value:f}"


def _tax_dict(tax: Tax) -> dict[str, Any]:
    out: dict[str, Any] = {"name": tax.name, "percentage": _num(tax.percentage)}
    if tax.compound:
        out["compound"] = True
    if tax.registration_number is not None:
        out["taxIdentificationNumber"] = tax.registration_number
    return out


def _discount_dict(d: Discount) -> dict[str, Any]:
    if d.percentage is not None:
        return {"name": d.name, "percentage": _num(d.percentage)}
    assert d.amount is not None
    return {"name": d.name, "amount": _num(d.amount)}


def _item_dict(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": item.name,
        "unitPrice": _num(item.unit_price),
        "quantity": _num(item.quantity),
    }
    for key, value in (("sku", item.sku), ("barcode", item.barcode), ("unit", item.unit)):
        if value is not None:  # "" reads back as "", not as None
            out[key] = value
    if item.names:
        out["description"] = dict(item.names)
    if item.discounts:
        out["discounts"] = [_discount_dict(d) for d in item.discounts]
    if item.taxes:
        out["taxes"] = [_tax_dict(t) for t in item.taxes]
    if not item.taxable:
        out["taxable"] = False
    return out


def _fee_dict(fee: Fee) -> dict[str, Any]:
    out: dict[str, Any] = {"name": fee.name}
    if fee.amount is not None:
        out["amount"] = _num(fee.amount)
    else:
        assert fee.percentage is not None
        out["percentage"] = _num(fee.percentage)
    if fee.taxes:
        out["taxes"] = [_tax_dict(t) for t in fee.taxes]
    return out


def _payment_dict(payment: Payment, currency: str) -> dict[str, Any]:
    out: dict[str, Any] = {"type": payment.type, "amount": format_amount(payment.amount, currency)}
    for key, value in (
        ("brand", payment.card_brand),
        ("last4", payment.card_last4),
        ("reference", payment.reference),
        ("account", payment.account),
    ):
        # "" reads back as "" (last4 must be 4 digits, so an empty one is left out).
        if value is not None and (value or key != "last4"):
            out[key] = value
    return out


# Customer fields read as None when absent (the names read as "" and are left out when empty).
_OPTIONAL_CUSTOMER = frozenset({"id", "email", "phone", "locale"})


def _customer_dict(c: Customer) -> dict[str, Any]:
    pairs = (
        ("id", c.id),
        ("firstName", c.first_name),
        ("lastName", c.last_name),
        ("email", c.email),
        ("phone", c.phone),
        ("locale", c.locale),
    )
    return {k: v for k, v in pairs if v is not None and (v or k in _OPTIONAL_CUSTOMER)}


def cart_to_dict(cart: Cart) -> dict[str, Any]:
    """The cart in the format of formats/cart.md; `parse_cart` reads it back unchanged."""
    cur = cart.currency
    out: dict[str, Any] = {
        "currency": cur,
        "taxesIncluded": cart.taxes_included,
        "policy": {
            "taxRounding": cart.policy.tax_rounding.value,
            "roundingMode": cart.policy.rounding_mode.name,
            "inclusiveTarget": cart.policy.inclusive_target.value,
            "cashRounding": cart.policy.cash_rounding.value,
        },
        "items": [_item_dict(i) for i in cart.items],
        "discounts": [_discount_dict(d) for d in cart.discounts],
        "fees": [_fee_dict(f) for f in cart.fees],
        "tip": format_amount(cart.tip, cur),
        "shipping": format_amount(cart.shipping, cur),
        "duties": format_amount(cart.duties, cur),
        "payments": [_payment_dict(p, cur) for p in cart.payments],
    }
    if cart.customer is not None:
        out["customer"] = _customer_dict(cart.customer)
    return out


def dumps_cart(cart: Cart) -> str:
    return json.dumps(cart_to_dict(cart), ensure_ascii=False, separators=(",", ":"))
