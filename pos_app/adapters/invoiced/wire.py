"""Invoiced's JSON, read and written exactly: every amount is a Decimal, never a float.

Answers are read tolerantly (unknown fields ignored, `metadata` as an object or the empty
array the reference's own examples show); only what the till keeps becomes a domain value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from pos_app.domain.accounts import Account, AccountBalance


def parse_json(data: bytes | str) -> Any:
    """JSON text with every non-integer number as an exact Decimal."""
    return json.loads(data, parse_float=Decimal)


def encode_json(value: Any) -> bytes:
    """Compact UTF-8 JSON; a Decimal is written as the exact JSON number it holds (the json
    module can only write a number through float, so floats are refused)."""
    return _text(value).encode("utf-8")


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("NaN and infinities are not JSON numbers")
        return format(value, "f")
    if isinstance(value, float):
        raise TypeError("floats are not written to Invoiced: use Decimal")
    if isinstance(value, Mapping):
        items = (f"{json.dumps(str(k), ensure_ascii=False)}:{_text(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_text(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class InvoicedCustomer(_Wire):
    """The customer object, the fields the till needs (contract section 6)."""

    id: int
    number: str = ""
    name: str = ""
    email: str | None = None
    phone: str | None = None
    type: str | None = None
    credit_hold: bool = False
    credit_limit: Decimal | None = None
    currency: str | None = None
    payment_terms: str | None = None
    taxable: bool | None = None
    tax_id: str | None = None
    metadata: dict[str, Any] = {}
    updated_at: int | None = None

    @field_validator("metadata", mode="before")
    @classmethod
    def _empty_array_is_empty_object(cls, value: object) -> object:
        return {} if value in (None, []) else value

    def to_account(self) -> Account:
        return Account(
            number=self.number,
            name=self.name,
            email=self.email or None,
            phone=self.phone or None,
            credit_hold=self.credit_hold,
            credit_limit=self.credit_limit,
            currency=self.currency.upper() if self.currency else None,
            invoiced_id=self.id,
            updated_at=self.updated_at,
        )


class InvoicedBalance(_Wire):
    total_outstanding: Decimal = Decimal(0)
    currency: str | None = None
    past_due: bool = False
    due_now: Decimal = Decimal(0)
    available_credits: Decimal = Decimal(0)

    def to_balance(self) -> AccountBalance:
        return AccountBalance(
            total_outstanding=self.total_outstanding,
            currency=self.currency.upper() if self.currency else None,
            past_due=self.past_due,
            due_now=self.due_now,
            available_credits=self.available_credits,
        )


class InvoicedEmail(_Wire):
    id: str | None = None
    email: str | None = None
    state: str | None = None


# The customer fields the client writes (create and PATCH), with the JSON kinds the reference
# gives them; a field outside this table is a programming error, caught before any request.
WRITABLE_FIELDS: dict[str, tuple[type, ...]] = {
    "name": (str,),
    "number": (str,),
    "email": (str,),
    "phone": (str,),
    "type": (str,),
    "credit_hold": (bool,),
    "credit_limit": (Decimal, int),
    "currency": (str,),
    "payment_terms": (str,),
    "taxable": (bool,),
    "tax_id": (str,),
    "metadata": (dict,),
}


def customer_body(values: Mapping[str, object]) -> dict[str, object]:
    """The JSON object for these customer fields (None clears a field, as the API reads it)."""
    body: dict[str, object] = {}
    for name, value in values.items():
        kinds = WRITABLE_FIELDS.get(name)
        if kinds is None:
            raise ValueError(f"the till does not write the customer field {name!r}")
        if value is not None and (
            not isinstance(value, kinds) or _is_bool_for_number(value, kinds)
        ):
            raise ValueError(f"customer field {name!r} cannot be {type(value).__name__}")
        body[name] = value.lower() if name == "currency" and isinstance(value, str) else value
    return body


def _is_bool_for_number(value: object, kinds: tuple[type, ...]) -> bool:
    return isinstance(value, bool) and bool not in kinds
