"""A customer as the till knows it, and the contract's rules for one, checked field by field
before any request: the cashier learns what is missing while the customer is still at the
counter, and the server never sees a bad one."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pos_app.domain.cart import Customer
from pos_app.domain.invalid_input import InvalidInput

LOCALES = ("fr-CA", "en-CA", "en-US")
MAX_NAME_LENGTH = 100
MAX_EMAIL_LENGTH = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE = re.compile(r"^\+?[0-9 ().-]+$")
# North American numbers have 10 digits (11 with the leading 1); E.164 allows 15.
PHONE_DIGITS = (10, 15)


def is_email(value: str) -> bool:
    """Whether `value` has the shape of an email address (locations use the same rule)."""
    return len(value) <= MAX_EMAIL_LENGTH and bool(_EMAIL.match(value))


class CustomerInvalid(InvalidInput):
    """A customer the contract would refuse."""


@dataclass(frozen=True)
class CustomerDraft:
    """What a form or the command line gives to create or replace a customer."""

    first_name: str = ""
    last_name: str = ""
    locale: str = ""
    email: str | None = None
    phone: str | None = None
    company: str | None = None


@dataclass(frozen=True)
class CustomerRecord:
    id: str
    first_name: str
    last_name: str
    locale: str | None = None
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    pending: bool = False  # created on this till while offline; not on the server yet

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def to_customer(self) -> Customer:
        """The copy attached to a sale."""
        return Customer(
            id=self.id,
            first_name=self.first_name,
            last_name=self.last_name,
            email=self.email,
            phone=self.phone,
            locale=self.locale,
        )

    def draft(self) -> CustomerDraft:
        """The editable fields, to start an update from."""
        return CustomerDraft(
            self.first_name, self.last_name, self.locale or "", self.email, self.phone, self.company
        )


# ---------------------------------------------------------------------------------------------
# Validation


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _locale(value: str) -> str:
    # "fr_ca" and "FR-ca" are how people type fr-CA.
    parts = value.replace("_", "-").split("-")
    if len(parts) == 2:
        return f"{parts[0].lower()}-{parts[1].upper()}"
    return value


EDITABLE_FIELDS = ("first_name", "last_name", "locale", "email", "phone", "company")


def _normalized(values: Mapping[str, str | None]) -> dict[str, str | None]:
    """Surrounding spaces removed, blanks as None, the locale in its usual case."""
    clean = {name: _text(value) for name, value in values.items()}
    if clean.get("locale"):
        clean["locale"] = _locale(clean["locale"] or "")
    return clean


def _field_problems(
    values: Mapping[str, str | None], given: Mapping[str, str | None]
) -> dict[str, str]:
    """Problems with each field of `values` (normalized); `given` is what was typed, for the
    messages."""
    fields: dict[str, str] = {}
    for name in ("first_name", "last_name"):
        if name not in values:
            continue
        value = values[name]
        if value is None:
            fields[name] = "is required"
        elif len(value) > MAX_NAME_LENGTH:
            fields[name] = f"is longer than {MAX_NAME_LENGTH} characters"
    if "locale" in values:
        locale = values["locale"]
        if locale is None:
            fields["locale"] = f"is required ({', '.join(LOCALES)})"
        elif locale not in LOCALES:
            typed = (given.get("locale") or "").strip()
            fields["locale"] = f"{typed!r} is not one of {', '.join(LOCALES)}"
    email, phone = values.get("email"), values.get("phone")
    if email is not None and not is_email(email):
        fields["email"] = f"{email!r} is not an email address"
    if phone is not None:
        digits = len(re.sub(r"\D", "", phone))
        if not _PHONE.match(phone) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
            fields["phone"] = f"{phone!r} is not a phone number (10 to 15 digits)"
    return fields


def _raise_if(fields: dict[str, str], *, needs_contact: bool = False) -> None:
    problems = [f"{name}: {message}" for name, message in fields.items()]
    form = dict(fields)
    if needs_contact:
        # One problem about two fields: one line for people, both fields marked on a form.
        message = "an email or a phone number is required"
        problems.append(f"email or phone: {message}")
        form.update(email=message, phone=message)
    if problems:
        raise CustomerInvalid(problems, form)


def validate_customer(draft: CustomerDraft) -> CustomerDraft:
    """The draft with surrounding spaces removed and blanks as None; raises CustomerInvalid
    listing every problem (the contract: first and last name, locale, an email or a phone)."""
    given = {name: getattr(draft, name) for name in EDITABLE_FIELDS}
    values = _normalized(given)
    fields = _field_problems(values, given)
    _raise_if(fields, needs_contact=values["email"] is None and values["phone"] is None)
    return CustomerDraft(
        first_name=values["first_name"] or "",
        last_name=values["last_name"] or "",
        locale=values["locale"] or "",
        email=values["email"],
        phone=values["phone"],
        company=values["company"],
    )


def validate_changes(changes: Mapping[str, str | None]) -> dict[str, str | None]:
    """Checks only the fields being changed (None or "" clears an optional one), before the
    current customer is even fetched. The whole result is checked again once merged."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise CustomerInvalid([f"{name}: not a customer field" for name in unknown])
    values = _normalized(changes)
    _raise_if(_field_problems(values, changes))
    return values
