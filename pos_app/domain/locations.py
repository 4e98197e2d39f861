"""A location as the till knows it, and the rules one is checked by before any request: the
owner learns at once that "CDN" is not a currency or "Montreal" not a time zone, and the
server never sees a location it would refuse (or worse, keep with a typo that then prints on
every receipt of that store).

Field names are flat (`city`, `postal_code`, not `address.city`): they are what a form shows
next to its fields and what the command line's options are called.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace

from pos_app.domain.customers import is_email
from pos_app.domain.invalid_input import InvalidInput
from pos_app.domain.money import CurrencyError, minor_unit
from pos_app.domain.receipt import Address

ADDRESS_FIELDS = tuple(f.name for f in fields(Address))
TEXT_FIELDS = (
    "name",
    "description",
    "merchant_category_code",
    "currency",
    "timezone",
    "phone",
    "email",
    "website",
    "locale",
    *ADDRESS_FIELDS,
)
# What `validate_changes` accepts: every text field, and whether the location is active.
EDITABLE_FIELDS = (*TEXT_FIELDS, "is_active")

MAX_TEXT_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 1000

# The messages a form shows under a field. They carry no value, so each one is a msgid the
# UI translates; the one-line problems (command line) add the typed value.
REQUIRED = "is required"
TOO_LONG = "is longer than 200 characters"
DESCRIPTION_TOO_LONG = "is longer than 1000 characters"
NOT_MCC = "must be 4 digits (such as 5411)"
NOT_CURRENCY = "is not an ISO 4217 currency code (such as CAD)"
NOT_TIMEZONE = "is not a time zone name (such as America/Toronto)"
NOT_PHONE = "is not a phone number"
NOT_EMAIL = "is not an email address"
NOT_WEBSITE = "is not a website address"
NOT_LOCALE = "is not a language code (such as fr-CA)"
NOT_STATE_CODE = "must be 1 to 3 letters or digits"
NOT_COUNTRY_CODE = "must be 2 letters (such as CA)"
NOT_POSTAL_CODE = "is not a postal code"

_MCC = re.compile(r"^[0-9]{4}$", re.ASCII)
# Loose on purpose: stores write numbers their own way ("514 555-0199", "+1 (514) 555.0199",
# "514-555-0199 ext. 12"); what matters is that digits are there and nothing else is.
_PHONE = re.compile(r"^\+?[0-9 ().\-/]+(\s*(x|ext\.?)\s*[0-9]{1,6})?$", re.ASCII | re.IGNORECASE)
PHONE_DIGITS = (7, 15)
_WEBSITE = re.compile(r"^(https?://)?[^\s/:@]+\.[^\s/:@]+(:[0-9]{1,5})?(/\S*)?$", re.IGNORECASE)
_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$", re.ASCII)
_STATE_CODE = re.compile(r"^[A-Z0-9]{1,3}$", re.ASCII)
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$", re.ASCII)
_POSTAL_CODE = re.compile(r"^[A-Z0-9][A-Z0-9 -]{1,10}$", re.ASCII)
# Codes people type in lower case but the API and receipts write in upper case.
_UPPER = ("currency", "state_code", "country_code", "postal_code")


class LocationInvalid(InvalidInput):
    """A location the contract would refuse."""


@dataclass(frozen=True)
class LocationDraft:
    """What a form or the command line gives to create or replace a location. The API's PUT
    takes the whole location, so an edit starts from `LocationRecord.draft()`."""

    name: str = ""
    description: str | None = None
    merchant_category_code: str | None = None
    currency: str | None = None
    timezone: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    address: Address = Address()
    locale: str | None = None
    is_active: bool = True


@dataclass(frozen=True)
class LocationRecord:
    id: str
    name: str
    address: Address = Address()
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    timezone: str | None = None
    currency: str | None = None
    locale: str | None = None
    description: str | None = None
    is_active: bool | None = None
    merchant_category_code: str | None = None

    def draft(self) -> LocationDraft:
        """The editable fields, to start an update from (a location the server left without
        an active flag counts as active, as the server treats it)."""
        return LocationDraft(
            name=self.name,
            description=self.description,
            merchant_category_code=self.merchant_category_code,
            currency=self.currency,
            timezone=self.timezone,
            phone=self.phone,
            email=self.email,
            website=self.website,
            address=self.address,
            locale=self.locale,
            is_active=self.is_active is not False,
        )


@functools.cache
def time_zones() -> tuple[str, ...]:
    """The IANA time zone names this machine knows, sorted (for a form's list too)."""
    return tuple(sorted(zoneinfo.available_timezones()))


# ---------------------------------------------------------------------------------------------
# Validation


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _normalized(values: Mapping[str, str | None]) -> dict[str, str | None]:
    """Surrounding spaces removed, blanks as None, codes in upper case, locales as fr-CA."""
    clean = {name: _text(value) for name, value in values.items()}
    for name in _UPPER:
        if clean.get(name):
            clean[name] = (clean[name] or "").upper()
    locale = clean.get("locale")
    if locale:
        parts = locale.replace("_", "-").split("-")
        if len(parts) == 2:
            clean["locale"] = f"{parts[0].lower()}-{parts[1].upper()}"
    return clean


def _is_currency(code: str) -> bool:
    try:
        minor_unit(code)
    except CurrencyError:
        return False
    return True


def _is_phone(phone: str) -> bool:
    main = re.split(r"(?i)x|ext", phone, maxsplit=1)[0]
    digits = len(re.sub(r"\D", "", main))
    return bool(_PHONE.match(phone)) and PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]


# A field's shape check: the value (normalized, not None) is acceptable.
_SHAPES: dict[str, tuple[Callable[[str], object], str]] = {
    "merchant_category_code": (_MCC.match, NOT_MCC),
    "currency": (_is_currency, NOT_CURRENCY),
    "timezone": (lambda v: v in time_zones(), NOT_TIMEZONE),
    "phone": (_is_phone, NOT_PHONE),
    "email": (is_email, NOT_EMAIL),
    "website": (_WEBSITE.match, NOT_WEBSITE),
    "locale": (_LOCALE.match, NOT_LOCALE),
    "state_code": (_STATE_CODE.match, NOT_STATE_CODE),
    "country_code": (_COUNTRY_CODE.match, NOT_COUNTRY_CODE),
    "postal_code": (_POSTAL_CODE.match, NOT_POSTAL_CODE),
}


def _check(values: Mapping[str, str | None]) -> tuple[list[str], dict[str, str]]:
    """The problems of every field present in `values` (normalized): one-line problems with
    the value, and the form's field -> message."""
    problems: list[str] = []
    form: dict[str, str] = {}

    def bad(name: str, message: str, value: str | None = None) -> None:
        problems.append(
            f"{name}: {value!r} {message}" if value is not None else f"{name}: {message}"
        )
        form[name] = message

    for name in TEXT_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if value is None:
            if name == "name":
                bad(name, REQUIRED)
            continue
        limit = MAX_DESCRIPTION_LENGTH if name == "description" else MAX_TEXT_LENGTH
        if len(value) > limit:
            bad(name, DESCRIPTION_TOO_LONG if name == "description" else TOO_LONG)
            continue
        shape = _SHAPES.get(name)
        if shape is not None and not shape[0](value):
            bad(name, shape[1], value)
    return problems, form


def _raise_if(problems: list[str], form: dict[str, str]) -> None:
    if problems:
        raise LocationInvalid(problems, form)


def _values(draft: LocationDraft) -> dict[str, str | None]:
    values: dict[str, str | None] = {
        name: getattr(draft, name) for name in TEXT_FIELDS if name not in ADDRESS_FIELDS
    }
    values.update({name: getattr(draft.address, name) or None for name in ADDRESS_FIELDS})
    return values


def validate_location(draft: LocationDraft) -> LocationDraft:
    """The draft with spaces trimmed, blanks as None and codes in upper case; raises
    LocationInvalid listing every problem."""
    values = _normalized(_values(draft))
    _raise_if(*_check(values))
    address = Address(**{name: values[name] or "" for name in ADDRESS_FIELDS})
    plain = {name: values[name] for name in TEXT_FIELDS if name not in ADDRESS_FIELDS}
    return replace(draft, address=address, **plain)  # type: ignore[arg-type]


def validate_changes(changes: Mapping[str, str | bool | None]) -> dict[str, str | bool | None]:
    """Checks only the fields being changed (None or "" clears an optional one), before the
    current location is even fetched. The merged location is checked again before sending."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise LocationInvalid([f"{name}: not a location field" for name in unknown])
    texts = {n: v for n, v in changes.items() if n != "is_active"}
    if any(not isinstance(v, str | None) for v in texts.values()):
        raise LocationInvalid(["only is_active takes yes or no"])
    values = _normalized(texts)  # type: ignore[arg-type]
    _raise_if(*_check(values))
    merged: dict[str, str | bool | None] = dict(values)
    if "is_active" in changes:
        if not isinstance(changes["is_active"], bool):
            raise LocationInvalid(["is_active: must be yes or no"], {"is_active": REQUIRED})
        merged["is_active"] = changes["is_active"]
    return merged


def apply_changes(draft: LocationDraft, changes: Mapping[str, str | bool | None]) -> LocationDraft:
    """`draft` with the checked `changes` (flat names, as `validate_changes` returns them)."""
    address = replace(
        draft.address, **{n: str(changes[n] or "") for n in ADDRESS_FIELDS if n in changes}
    )
    plain = {n: v for n, v in changes.items() if n not in ADDRESS_FIELDS}
    return replace(draft, address=address, **plain)  # type: ignore[arg-type]
