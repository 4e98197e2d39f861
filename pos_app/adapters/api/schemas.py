"""Smartbills v1 wire shapes: the only place where camelCase names and the API's typos live.

Request models (what we send) are strict and written from the reference pages
(../shared/reference/): only the fields the reference has at each place, with its JSON kinds;
amounts are exact Decimals at the currency's minor unit. The local sandbox checks requests with
its own schema written from the same pages, never with these models, so a drift from the
reference fails in tests the way it would fail against the live API.

Response models (what we read) are tolerant: unknown fields are kept, enums are open strings
and the server's alternative spellings are accepted (one table: `WIRE_SYNONYMS`).

JSON is written by `encode_json`, never by `json.dumps` alone: Python's json module can only
write a Decimal as a string or through a float, and the contract wants an exact JSON number.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    AliasChoices,
    AliasGenerator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import InitErrorDetails, PydanticCustomError

from pos_app.domain.money import quantum, to_decimal
from pos_app.domain.receipt import iso_utc

# --------------------------------------------------------------------------------------------
# JSON text
# --------------------------------------------------------------------------------------------


def parse_json(data: bytes | str) -> Any:
    """JSON text to Python values, with every non-integer number as an exact Decimal."""
    return json.loads(data, parse_float=Decimal)


def encode_json(value: Any) -> bytes:
    """Compact UTF-8 JSON with sorted keys; Decimals are written as exact JSON numbers.

    Sorting keys makes the bytes a function of the content alone, so a receipt rebuilt from the
    same data is byte-identical (the Idempotency-Key promise). Floats are refused: one that got
    here has already lost a cent somewhere.
    """
    out: list[str] = []
    _encode(value, out)
    return "".join(out).encode("utf-8")


def _encode(value: Any, out: list[str]) -> None:
    if value is None or isinstance(value, bool):
        out.append("null" if value is None else ("true" if value else "false"))
    elif isinstance(value, str):
        out.append(json.dumps(str(value), ensure_ascii=False))
    elif isinstance(value, Decimal):
        out.append(_decimal_text(value))
    elif isinstance(value, int):
        out.append(str(int(value)))
    elif isinstance(value, dict):
        _encode_object(value, out)
    elif isinstance(value, list | tuple):
        _encode_array(value, out)
    else:
        raise TypeError(f"cannot write {type(value).__name__} as wire JSON")


def _decimal_text(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError("NaN and infinities are not JSON numbers")
    # 'f' keeps the exponent as written (12.50 stays 12.50) and never uses scientific notation.
    return format(value, "f")


def _encode_object(value: dict[Any, Any], out: list[str]) -> None:
    out.append("{")
    for index, key in enumerate(sorted(value)):
        if not isinstance(key, str):
            raise TypeError("JSON object keys must be strings")
        if index:
            out.append(",")
        out.append(json.dumps(key, ensure_ascii=False))
        out.append(":")
        _encode(value[key], out)
    out.append("}")


def _encode_array(value: list[Any] | tuple[Any, ...], out: list[str]) -> None:
    out.append("[")
    for index, element in enumerate(value):
        if index:
            out.append(",")
        _encode(element, out)
    out.append("]")


# --------------------------------------------------------------------------------------------
# Shared field types
# --------------------------------------------------------------------------------------------

# Exact decimals only: a float handed in by a caller is refused, not converted.
WireDecimal = Annotated[Decimal, BeforeValidator(to_decimal)]


def _utc_millis(moment: datetime) -> datetime:
    """Normalise to UTC and drop sub-millisecond digits, so what we send is what we parse back."""
    moment = moment.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


# ISO-8601 UTC with milliseconds on the wire: 2025-01-21T18:54:48.245Z.
WireTime = Annotated[
    AwareDatetime, AfterValidator(_utc_millis), PlainSerializer(iso_utc, return_type=str)
]

NonEmptyStr = Annotated[str, Field(min_length=1)]
Locale = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]
# Open enums (payment types, card brands) are any SCREAMING_SNAKE word.
ScreamingSnake = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]

# --------------------------------------------------------------------------------------------
# Base models
# --------------------------------------------------------------------------------------------


# Wire names the server spells more than one way in its responses; the first one of each group
# is the reference's name. This is the only table of such aliases.
WIRE_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("items", "lineItems"),
    ("price", "unitPrice"),
    ("phone", "phoneNumber"),
    ("phoneNumber", "phone"),
    ("taxExempt", "isTaxExempt"),
    ("company", "companyName", "comapny"),
    ("supplied", "cashGiven"),
    ("change", "changeReturned"),
    # List metadata: the reference's names, then the .NET SDK's.
    ("page", "currentPage"),
    ("pageSize", "limit"),
    ("totalPages", "pageCount"),
)
_SYNONYMS_BY_NAME = {group[0]: group for group in WIRE_SYNONYMS}
# Python names whose wire name to_camel cannot derive: the API's spellings, kept exactly.
_WIRE_NAME_OVERRIDES = {"referring_site": "refferingSite", "source_pos": "sourcePOS"}


def _read_alias(name: str) -> AliasChoices:
    wire = _WIRE_NAME_OVERRIDES.get(name, to_camel(name))
    return AliasChoices(*_SYNONYMS_BY_NAME.get(wire, (wire,)), name)


def _write_alias(name: str) -> str:
    return _WIRE_NAME_OVERRIDES.get(name, to_camel(name))


class WireModel(BaseModel):
    """A request shape: camelCase on the wire, snake_case in Python, nothing unknown.

    Only fields the reference has at that place are declared, so a value the till has and the
    reference has no place for cannot be sent by mistake. Absent (None) fields are left out of
    the body."""

    model_config = ConfigDict(
        alias_generator=_write_alias,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        use_enum_values=True,
    )


class ReadModel(BaseModel):
    """A response shape: unknown fields kept, numbers accepted where ids are strings."""

    model_config = ConfigDict(
        alias_generator=AliasGenerator(
            validation_alias=_read_alias, serialization_alias=_write_alias
        ),
        populate_by_name=True,
        extra="allow",
        coerce_numbers_to_str=True,
    )


# --------------------------------------------------------------------------------------------
# Enums (closed ones; the server's spellings, typos included)
# --------------------------------------------------------------------------------------------


class SBReceiptType(StrEnum):
    OFFICIAL = "OFFICIAL"
    REFUND = "REFUND"
    VOID = "VOID"
    TRAINING = "TRAINING"


class SBPaymentStatus(StrEnum):
    """A payment's status, in the reference's spelling (APPROUVED, sic); the other values are
    the .NET SDK's enum in the reference's upper case."""

    APPROVED = "APPROUVED"
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    FAILED = "FAILED"


class SBPaymentType(StrEnum):
    """The usual tender types. The field itself is open (any SCREAMING_SNAKE word)."""

    CASH = "CASH"
    CARD = "CARD"
    GIFT_CARD = "GIFT_CARD"
    BANK_ACCOUNT = "BANK_ACCOUNT"
    EXTERNAL = "EXTERNAL"


class SBAdjustmentType(StrEnum):
    """How an item discount (the reference's example: PERCENTAGE) or a fee was expressed;
    the .NET SDK's promo code and fee types are Percentage and Amount."""

    PERCENTAGE = "PERCENTAGE"
    AMOUNT = "AMOUNT"


class SBBarcodeType(StrEnum):
    AZTEC = "AZTEC"
    CODABAR = "CODABAR"
    CODE_39 = "CODE_39"
    CODE_93 = "CODE_93"
    CODE_128 = "CODE_128"
    DATA_MATRIX = "DATA_MATRIX"
    EAN_8 = "EAN_8"
    EAN_13 = "EAN_13"
    ITF = "ITF"
    PDF_417 = "PDF_417"
    QR_CODE = "QR_CODE"
    UPC_A = "UPC_A"
    UPC_E = "UPC_E"


# --------------------------------------------------------------------------------------------
# Request shapes: ReceiptCreateRequest and what it nests, as reference/smartbills-receipts.txt
# has them (names, nesting and JSON kinds), then customers and locations.
# --------------------------------------------------------------------------------------------

# Server ids the reference types as long.
ServerId = Annotated[int, Field(ge=1)]
Last4 = Annotated[str, Field(pattern=r"^\d{4}$")]


class SBMoney(WireModel):
    """An exact amount: a Decimal at the currency's minor unit, written as a JSON number."""

    amount: WireDecimal
    currency: CurrencyCode

    @model_validator(mode="after")
    def _at_minor_unit(self) -> SBMoney:
        # quantum() refuses unknown currencies; quantizing an exact value only fixes its
        # exponent (12.5 -> 12.50), anything finer than a cent is refused rather than rounded.
        step = quantum(self.currency)
        exact = self.amount.quantize(step)
        if exact != self.amount:
            raise ValueError(f"{self.amount} has more decimals than {self.currency} allows")
        object.__setattr__(self, "amount", exact)
        return self


class SBAddress(WireModel):
    """An address as the location and the customer of a receipt have it."""

    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    state_code: str | None = None
    country_code: str | None = None
    postal_code: str | None = None


class SBItemTax(WireModel):
    """items[].taxes[]: the amount is a plain number."""

    tax_id: ServerId | None = None
    name: NonEmptyStr
    amount: WireDecimal
    percentage: WireDecimal


class SBItemDiscount(WireModel):
    """items[].discounts[]: the amount is SBMoney."""

    promo_code_id: ServerId | None = None
    amount: SBMoney
    percentage: WireDecimal | None = None
    type: SBAdjustmentType
    name: NonEmptyStr

    @model_validator(mode="after")
    def _percentage_matches_type(self) -> SBItemDiscount:
        if (self.type == SBAdjustmentType.PERCENTAGE) != (self.percentage is not None):
            raise ValueError("percentage is set exactly when type is PERCENTAGE")
        return self


class SBItem(WireModel):
    product_id: ServerId | None = None
    price: SBMoney  # the unit price
    # Locale -> text, e.g. {"fr-CA": "Café", "en-CA": "Coffee"}.
    description: Annotated[dict[Locale, NonEmptyStr], Field(min_length=1)]
    variant_id: ServerId | None = None
    quantity: WireDecimal
    sub_total: SBMoney | None = None
    total_discounts: SBMoney | None = None
    total_duties: SBMoney | None = None
    total: SBMoney | None = None
    total_taxes: SBMoney | None = None
    taxes: list[SBItemTax] = []
    discounts: list[SBItemDiscount] = []
    taxable: bool | None = None


class SBReceiptFee(WireModel):
    """fees[]: plain numbers. `amount` before the fee's own taxes, `total` with them, `rate`
    the percentage of a percentage fee."""

    fee_id: ServerId | None = None
    amount: WireDecimal
    rate: WireDecimal | None = None
    total: WireDecimal
    type: SBAdjustmentType


class SBReceiptDiscount(WireModel):
    """discounts[] of the receipt: the amount is a plain number."""

    promo_code_id: ServerId | None = None
    receipt_id: ServerId | None = None  # the server's receipt, unknown before it exists
    amount: WireDecimal
    name: NonEmptyStr
    percentage: WireDecimal | None = None


class SBReceiptTax(WireModel):
    """taxes[] of the receipt: the total is SBMoney."""

    name: NonEmptyStr
    percentage: WireDecimal | None = None
    total: SBMoney
    tax_identification_number: str | None = None


class SBCardPaymentMethod(WireModel):
    cardholder_name: str | None = None
    country: str | None = None
    brand: ScreamingSnake | None = None
    expiration_month: Annotated[int, Field(ge=1, le=12)] | None = None
    expiration_year: Annotated[int, Field(ge=2000, le=2200)] | None = None
    last4: Last4 | None = None
    bin: Annotated[str, Field(pattern=r"^\d{6,8}$")] | None = None


class SBCard(WireModel):
    authorization_code: str | None = None
    statement_descriptor: str | None = None
    payment_method: SBCardPaymentMethod | None = None


class SBCash(WireModel):
    supplied: SBMoney  # what the customer handed over
    change: SBMoney


class SBExternalFee(WireModel):
    id: ServerId | None = None
    currency: CurrencyCode
    amount: WireDecimal


class SBExternalPayment(WireModel):
    source: str | None = None
    source_id: str | None = None
    fee: SBExternalFee | None = None
    type: ScreamingSnake | None = None  # CHECK, BANK_TRANSFER, ..., OTHER


# Which detail object goes with which payment type.
_PAYMENT_DETAIL_FOR_TYPE = {"CARD": "card", "CASH": "cash", "EXTERNAL": "external"}


class SBPayment(WireModel):
    type: ScreamingSnake
    amount: SBMoney
    tip: SBMoney | None = None
    total: SBMoney | None = None
    approuved: SBMoney | None = None  # sic: the reference's spelling
    refunded: SBMoney | None = None
    status: SBPaymentStatus | None = None
    card: SBCard | None = None
    cash: SBCash | None = None
    external: SBExternalPayment | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _detail_matches_type(self) -> SBPayment:
        given = [
            name for name in _PAYMENT_DETAIL_FOR_TYPE.values() if getattr(self, name) is not None
        ]
        allowed = _PAYMENT_DETAIL_FOR_TYPE.get(self.type)
        if given and given != [allowed]:
            raise ValueError(f"a {self.type} payment cannot carry {', '.join(given)} details")
        return self


class SBBarcode(WireModel):
    type: SBBarcodeType
    value: NonEmptyStr


class SBReceiptMetadata(WireModel):
    landing_site: str | None = None
    customer_locale: Locale | None = None
    referring_site: str | None = None  # sent as refferingSite (sic)
    source_pos: str | None = None  # sent as sourcePOS
    source_name: str | None = None
    tags: str | None = None
    url: str | None = None


class SBReceiptCustomer(WireModel):
    """A receipt's inline `customer`: the receipts page's CustomerCreateRequest."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    company_name: str | None = None
    address: SBAddress | None = None
    is_tax_exempt: bool | None = None
    accepts_marketing: bool | None = None
    phone_number: str | None = None
    note: str | None = None
    locale: Locale | None = None


class SBLocationCreate(WireModel):
    """POST/PUT /v1/locations, and a receipt's inline `location`. The locations page repeats
    the customers page word for word; the receipts page's LocationCreateRequest is the shape
    a location really has, so both use it."""

    name: NonEmptyStr
    description: str | None = None
    merchant_category_code: Annotated[str, Field(pattern=r"^\d{4}$")] | None = None
    currency: CurrencyCode | None = None
    timezone: str | None = None
    phone_number: str | None = None
    website: str | None = None
    address: SBAddress | None = None
    facebook_url: str | None = None
    instagram_username: str | None = None
    twitter_username: str | None = None
    is_active: bool | None = None
    locale: Locale | None = None
    email: str | None = None
    logo: str | None = None


class SBCustomerCreate(WireModel):
    """POST /v1/customers, as the customers page has it. An email or a phone is required."""

    first_name: NonEmptyStr
    last_name: NonEmptyStr
    locale: Locale
    email: str | None = None
    phone: str | None = None
    tax_exempt: bool | None = None
    accepts_marketing: bool | None = None

    @model_validator(mode="after")
    def _reachable(self) -> SBCustomerCreate:
        if not (self.email or self.phone):
            raise ValueError("an email or a phone is required")
        return self


class SBCustomerUpdate(WireModel):
    """PUT /v1/customers/{id}: the customers page requires all five fields, so each is sent,
    empty when the customer has none (an email or a phone is still needed)."""

    first_name: NonEmptyStr
    last_name: NonEmptyStr
    email: str
    phone: str
    locale: Locale

    @model_validator(mode="after")
    def _reachable(self) -> SBCustomerUpdate:
        if not (self.email or self.phone):
            raise ValueError("an email or a phone is required")
        return self


class ReceiptCreateRequest(WireModel):
    """POST /v1/receipts. `receipt_id` is our sale UUID; the reference documents no
    de-duplication by it, so the sync worker looks it up before any resend."""

    merchant_id: ServerId | None = None
    location_id: ServerId | None = None
    location: SBLocationCreate | None = None
    customer: SBReceiptCustomer | None = None
    customer_id: ServerId | None = None
    receipt_id: str
    employee_id: ServerId | None = None
    items: list[SBItem]
    fees: list[SBReceiptFee] = []
    currency: CurrencyCode
    date: WireTime
    cancelled_at: WireTime | None = None
    cancel_reason: str | None = None
    order_number: str | None = None
    payment_status: str | None = None
    discounts: list[SBReceiptDiscount] = []
    taxes: list[SBReceiptTax] = []
    taxes_included: bool
    total_discounts: SBMoney
    total_fees: SBMoney
    sub_total: SBMoney
    total_tip: SBMoney
    total_duties: SBMoney
    total_shipping: SBMoney
    total_taxes: SBMoney
    total: SBMoney
    total_weight: WireDecimal | None = None
    weight_unit: str | None = None
    source: str | None = None
    type: SBReceiptType
    receipt_metadata: SBReceiptMetadata | None = None
    payments: list[SBPayment] = []
    barcode: SBBarcode | None = None
    original_receipt_url: str | None = None
    total_payments: SBMoney

    @field_validator("receipt_id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        try:
            uuid.UUID(value)
        except ValueError:
            raise ValueError("must be a UUID") from None
        return value

    @model_validator(mode="after")
    def _one_currency(self) -> ReceiptCreateRequest:
        """Every amount is in the receipt's `currency`; errors point at the offending field."""
        errors = [
            InitErrorDetails(
                type=PydanticCustomError(
                    "currency_mismatch", "must be {expected}", {"expected": self.currency}
                ),
                loc=(*path, "currency"),
                input=money.currency,
            )
            for path, money in _money_fields(self)
            if money.currency != self.currency
        ]
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self


def _money_fields(
    model: BaseModel, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], SBMoney]]:
    """Every SBMoney inside `model`, with its wire path (('items', 0, 'price'), ...)."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        here = (*path, info.alias or name)
        if isinstance(value, SBMoney):
            yield here, value
        elif isinstance(value, BaseModel):
            yield from _money_fields(value, here)
        elif isinstance(value, list):
            for index, element in enumerate(value):
                if isinstance(element, BaseModel):
                    yield from _money_fields(element, (*here, index))


def dump_request_json(request: WireModel) -> bytes:
    """The exact bytes to send for `request`: compact, sorted keys, amounts as JSON numbers.
    The same request always gives byte-identical bytes."""
    return encode_json(request.model_dump(mode="python", by_alias=True, exclude_none=True))


def parse_request_json(data: bytes | str) -> ReceiptCreateRequest:
    """Read a receipt request back from its wire bytes (wire names only, as the server would)."""
    return ReceiptCreateRequest.model_validate(parse_json(data), by_alias=True, by_name=False)


# --------------------------------------------------------------------------------------------
# Response shapes (tolerant)
# --------------------------------------------------------------------------------------------


class SBAmount(ReadModel):
    """An amount as the server returns it: exact, whatever its number of decimals."""

    amount: Decimal | None = None
    currency: str | None = None


class SBAddressRead(ReadModel):
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    state: str | None = None
    state_code: str | None = None
    country: str | None = None
    country_code: str | None = None
    postal_code: str | None = None


class SBCustomer(ReadModel):
    id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    locale: str | None = None
    tax_exempt: bool | None = None
    accepts_marketing: bool | None = None
    address: SBAddressRead | None = None
    created_at: str | None = None
    updated_at: str | None = None


class SBLocation(ReadModel):
    id: str | None = None
    name: str | None = None
    description: str | None = None
    merchant_category_code: str | None = None
    currency: str | None = None
    timezone: str | None = None
    phone_number: str | None = None
    website: str | None = None
    address: SBAddressRead | None = None
    email: str | None = None
    locale: str | None = None
    is_active: bool | None = None
    logo: str | None = None

    @property
    def phone(self) -> str | None:
        return self.phone_number


class SBCashRead(ReadModel):
    supplied: SBAmount | None = None
    change: SBAmount | None = None


class SBPaymentRead(ReadModel):
    type: str | None = None
    status: str | None = None
    amount: SBAmount | None = None
    cash: SBCashRead | None = None


class SBItemRead(ReadModel):
    # Older responses write a plain string where we send a locale map.
    description: dict[str, str] | str | None = None
    quantity: Decimal | None = None
    price: SBAmount | Decimal | None = None
    total: SBAmount | None = None


class SBReceipt(ReadModel):
    id: str | None = None
    receipt_id: str | None = None
    order_number: str | None = None
    url: str | None = None
    type: str | None = None
    currency: str | None = None
    date: str | None = None
    created_at: str | None = None
    customer_id: str | None = None
    taxes_included: bool | None = None
    items: list[SBItemRead] = []
    payments: list[SBPaymentRead] = []
    sub_total: SBAmount | None = None
    total_taxes: SBAmount | None = None
    total: SBAmount | None = None
    total_payments: SBAmount | None = None

    @property
    def created(self) -> datetime | None:
        """When the server created it, if it said so readably (lists are ordered by it)."""
        return _read_time(self.created_at)


def _read_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class SBPageInfo(ReadModel):
    """List metadata: the reference's page/pageSize/totalPages/count, or the .NET SDK's
    currentPage/limit/pageCount/count (WIRE_SYNONYMS)."""

    page: int | None = None
    page_size: int | None = None
    total_pages: int | None = None
    count: int | None = None


T = TypeVar("T", bound=BaseModel)


class SBList(ReadModel, Generic[T]):
    """A page of a list: `data` plus either `metadata` or the older `pagination` block."""

    data: list[T] = []
    metadata: SBPageInfo | None = None

    @model_validator(mode="before")
    @classmethod
    def _pagination_as_metadata(cls, value: Any) -> Any:
        if (
            isinstance(value, dict)
            and value.get("metadata") is None
            and isinstance(value.get("pagination"), dict)
        ):
            value = {**value, "metadata": value["pagination"]}
        return value

    @property
    def page(self) -> int | None:
        return self.metadata.page if self.metadata else None

    @property
    def total_pages(self) -> int | None:
        return self.metadata.total_pages if self.metadata else None
