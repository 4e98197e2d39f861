"""Wire schemas: exact amounts as JSON numbers, byte-stable bodies, typos, tolerant reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import ValidationError

from pos_app.adapters.api.schemas import (
    WIRE_SYNONYMS,
    ReceiptCreateRequest,
    SBCard,
    SBCardPaymentMethod,
    SBCustomer,
    SBCustomerCreate,
    SBCustomerUpdate,
    SBItemDiscount,
    SBList,
    SBLocation,
    SBLocationCreate,
    SBMoney,
    SBPayment,
    SBReceipt,
    dump_request_json,
    encode_json,
    parse_json,
    parse_request_json,
)
from tests.fixtures.sandbox import money, sample_receipt


def test_request_round_trips_to_identical_bytes_and_equal_model():
    request = sample_receipt()
    body = dump_request_json(request)

    parsed = parse_request_json(body)

    assert parsed == request
    assert dump_request_json(parsed) == body


def test_amounts_are_json_numbers_with_the_currency_decimals():
    body = dump_request_json(sample_receipt()).decode()

    assert '"total":{"amount":5.83,"currency":"CAD"}' in body
    assert '"totalTip":{"amount":0.00,"currency":"CAD"}' in body
    assert '"supplied":{"amount":10.00,"currency":"CAD"}' in body
    assert '"amount":"' not in body  # never a string
    # A standard JSON reader sees numbers; read exactly they keep their decimals.
    assert isinstance(json.loads(body)["total"]["amount"], float)
    assert parse_json(body)["totalTip"]["amount"].as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("amount", "currency", "written"),
    [
        ("12.5", "CAD", "12.50"),
        ("7", "CAD", "7.00"),
        ("1500", "JPY", "1500"),
        ("1.2", "KWD", "1.200"),
    ],
)
def test_money_is_written_at_the_minor_unit_of_its_currency(amount, currency, written):
    assert (
        encode_json(money(amount, currency).model_dump())
        == f'{{"amount":{written},"currency":"{currency}"}}'.encode()
    )


def test_money_finer_than_the_currency_is_refused_not_rounded():
    with pytest.raises(ValidationError, match="more decimals than CAD"):
        money("12.505")


def test_floats_and_unknown_currencies_are_refused():
    with pytest.raises(ValidationError, match="binary float"):
        SBMoney(amount=0.1, currency="CAD")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="unknown currency"):
        money("1.00", "XYZ")


def test_server_typos_are_sent_exactly():
    body = dump_request_json(sample_receipt()).decode()

    assert '"status":"APPROUVED"' in body  # the payment
    assert '"approuved":{"amount":5.85' in body
    assert '"refferingSite":"till-1"' in body
    assert '"sourcePOS":"pos-app"' in body


def test_the_nine_totals_are_required():
    data = parse_json(dump_request_json(sample_receipt()))
    names = ["totalDiscounts", "totalFees", "subTotal", "totalTip", "totalDuties"]
    names += ["totalShipping", "totalTaxes", "total", "totalPayments"]
    for name in names:
        partial = {k: v for k, v in data.items() if k != name}
        with pytest.raises(ValidationError) as caught:
            ReceiptCreateRequest.model_validate(partial, by_name=False)
        assert caught.value.errors()[0]["loc"] == (name,)


def test_bytes_do_not_depend_on_dict_insertion_order():
    first = sample_receipt(receipt_id="7d6f0c1e-1b7a-4c4c-9f5e-0a9d8a1e2b3c")
    items = [
        first.items[0].model_copy(
            update={"description": {"en-CA": "Filter coffee", "fr-CA": "Café filtre"}}
        )
    ]
    second = first.model_copy(update={"items": items})

    assert dump_request_json(first) == dump_request_json(second)


def test_dates_are_utc_with_milliseconds():
    eastern = timezone(timedelta(hours=-5))
    request = sample_receipt(date=datetime(2025, 1, 21, 13, 54, 48, 245999, tzinfo=eastern))

    assert '"date":"2025-01-21T18:54:48.245Z"' in dump_request_json(request).decode()
    with pytest.raises(ValidationError):
        sample_receipt(date=datetime(2025, 1, 21, 13, 54, 48))  # naive


def test_a_receipt_in_two_currencies_points_at_the_odd_field():
    data = parse_json(dump_request_json(sample_receipt()))
    data["items"][0]["price"]["currency"] = "USD"

    with pytest.raises(ValidationError) as caught:
        ReceiptCreateRequest.model_validate(data, by_name=False)

    assert caught.value.errors()[0]["loc"] == ("items", 0, "price", "currency")


def test_wire_names_only_when_reading_a_request_back():
    data = parse_json(dump_request_json(sample_receipt()))
    data["sub_total"] = data.pop("subTotal")

    with pytest.raises(ValidationError):
        parse_request_json(encode_json(data))


def test_receipt_id_must_be_a_uuid():
    with pytest.raises(ValidationError, match="UUID"):
        sample_receipt(receipt_id="A1-000042")


def test_discount_percentage_goes_with_its_type():
    with pytest.raises(ValidationError, match="PERCENTAGE"):
        SBItemDiscount(name="Coupon", type="AMOUNT", percentage=Decimal("10"), amount=money("1.00"))


def test_payment_details_match_the_payment_type():
    visa = SBCard(payment_method=SBCardPaymentMethod(brand="VISA", last4="4242"))
    with pytest.raises(ValidationError, match="cannot carry card"):
        SBPayment(type="CASH", amount=money("1.00"), card=visa)
    card = SBPayment(type="CARD", amount=money("1.00"), card=visa)
    assert (
        '"card":{"paymentMethod":{"brand":"VISA","last4":"4242"}}'
        in encode_json(card.model_dump(by_alias=True, exclude_none=True)).decode()
    )


def test_customer_create_needs_an_email_or_a_phone():
    with pytest.raises(ValidationError, match="email or a phone"):
        SBCustomerCreate(first_name="Léa", last_name="Roy", locale="fr-CA")
    assert SBCustomerCreate(first_name="Léa", last_name="Roy", locale="fr-CA", phone="+15145550100")
    with pytest.raises(ValidationError):
        SBCustomerCreate.model_validate(
            {"firstName": "Léa", "email": "lea@example.com"}
        )  # names, locale


def test_customer_update_sends_the_five_fields_the_customers_page_requires():
    update = SBCustomerUpdate(
        first_name="Léa", last_name="Roy", email="", phone="+15145550100", locale="fr-CA"
    )
    assert json.loads(dump_request_json(update)) == {
        "firstName": "Léa",
        "lastName": "Roy",
        "email": "",
        "phone": "+15145550100",
        "locale": "fr-CA",
    }
    with pytest.raises(ValidationError, match="email or a phone"):
        SBCustomerUpdate(first_name="A", last_name="B", email="", phone="", locale="fr-CA")


def test_location_create_has_the_receipt_location_shape():
    location = SBLocationCreate(
        name="Café du Coin",
        merchant_category_code="5814",
        phone_number="+15145550100",
        is_active=True,
        logo="https://example.com/logo.png",
    )
    wire = json.loads(encode_json(location.model_dump(by_alias=True, exclude_none=True)))
    assert wire == {
        "name": "Café du Coin",
        "merchantCategoryCode": "5814",
        "phoneNumber": "+15145550100",
        "isActive": True,
        "logo": "https://example.com/logo.png",
    }


# --------------------------------------------------------------------------------------------
# Tolerant responses


def test_responses_accept_both_spellings_and_keep_unknown_fields():
    one = SBCustomer.model_validate(
        {"id": 17, "phone": "1", "taxExempt": True, "comapny": "A", "tier": "gold"}
    )
    other = SBCustomer.model_validate(
        {"id": "17", "phoneNumber": "1", "isTaxExempt": True, "company": "A"}
    )

    assert (one.id, one.phone, one.tax_exempt, one.company) == ("17", "1", True, "A")
    assert (other.id, other.phone, other.tax_exempt, other.company) == ("17", "1", True, "A")
    assert one.model_extra == {"tier": "gold"}


def test_receipt_response_reads_line_items_and_old_cash_names():
    body = (
        b'{"id": 12345, "status": "SALE", "lineItems": [{"description": "Coffee", "quantity": 2}],'
        b' "payments": [{"type": "CASH", "cash": {'
        b'"cashGiven": {"amount": 20.00, "currency": "CAD"},'
        b' "changeReturned": {"amount": 14.15, "currency": "CAD"}}}], "total": {"amount": 5.85}}'
    )
    receipt = SBReceipt.model_validate(parse_json(body))

    assert receipt.id == "12345"
    assert receipt.status == "SALE"  # an open string, not a closed enum
    assert receipt.items[0].description == "Coffee"
    cash = receipt.payments[0].cash
    assert cash is not None and cash.supplied is not None and cash.change is not None
    assert (cash.supplied.amount, cash.change.amount) == (Decimal("20.00"), Decimal("14.15"))
    assert receipt.total is not None and str(receipt.total.amount) == "5.85"


def test_location_response_reads_phone_as_phone_number():
    assert SBLocation.model_validate({"phone": "+15145550100"}).phone_number == "+15145550100"


def test_list_accepts_metadata_or_pagination():
    new = SBList[SBCustomer].model_validate(
        {"data": [{"id": "a"}], "metadata": {"page": 2, "pageSize": 1, "totalPages": 3, "count": 3}}
    )
    old = SBList[SBCustomer].model_validate(
        {
            "data": [{"id": "a"}],
            "pagination": {"currentPage": 2, "limit": 1, "pageCount": 3, "count": 3},
        }
    )
    assert new.metadata == old.metadata
    assert (old.page, old.total_pages) == (2, 3)
    dotnet = SBList[SBCustomer].model_validate(
        {
            "data": [{"id": "a"}],
            "metadata": {"currentPage": 2, "limit": 1, "pageCount": 3, "count": 3},
        }
    )
    assert dotnet.metadata == new.metadata
    assert SBList[SBCustomer].model_validate({"data": []}).total_pages is None


def test_aliases_live_in_one_table():
    flat = {name for group in WIRE_SYNONYMS for name in group}
    assert {"items", "lineItems", "phone", "phoneNumber", "taxExempt", "isTaxExempt"} <= flat
    assert {"supplied", "cashGiven", "change", "changeReturned"} <= flat


def test_encode_json_refuses_floats_and_non_finite_decimals():
    with pytest.raises(TypeError):
        encode_json({"amount": 0.1})
    with pytest.raises(ValueError):
        encode_json({"amount": Decimal("NaN")})
    assert encode_json({"b": [1, None, True], "a": "é"}) == '{"a":"é","b":[1,null,true]}'.encode()


def test_now_is_a_valid_date():
    assert sample_receipt(date=datetime.now(UTC)).date.tzinfo is not None
