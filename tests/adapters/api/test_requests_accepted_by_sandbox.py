"""Issue 9 acceptance: every request the client builds from a random cart (every payment type,
known and inline customers, weighed items, fees, line and receipt discounts) is accepted by the
sandbox, whose schema is written from the reference pages on its own (pos_app/sandbox/reference)
and never from the client's models."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_app.adapters.api.mapping import ApiReceiptEncoder
from pos_app.domain.cart import Cart, Payment
from pos_app.domain.cart_format import parse_cart
from pos_app.domain.receipt import issue_receipt, sale_problems
from pos_app.domain.totals import compute_totals
from pos_app.sandbox import SandboxServer, jsontext
from pos_app.sandbox.reference import RECEIPT_CREATE, check
from pos_app.services.settings import DEMO_STORE
from tests.domain.strategies import cart_dicts

customers = st.fixed_dictionaries(
    {
        "firstName": st.sampled_from(["Léa", "Zoé", ""]),
        "lastName": st.sampled_from(["Roy", "Côté", ""]),
    },
    optional={
        "id": st.sampled_from(["42", "7301", "local-3"]),  # known on the server, or offline
        "email": st.sampled_from(["lea@example.ca"]),
        "phone": st.sampled_from(["514 555-0134"]),
        "locale": st.sampled_from(["fr-CA", "en-CA", "en-US"]),
    },
)


@st.composite
def sales(draw: st.DrawFn) -> Cart:
    """A random cart that can be finished: weighed items now and then, a customer now and
    then, and cash to cover whatever the tenders drawn leave due."""
    data: dict[str, Any] = draw(cart_dicts(currencies=("CAD", "USD", "EUR", "JPY", "KWD")))
    if not data["items"]:
        data["items"] = [{"name": "Bagel", "unitPrice": "1", "quantity": "1"}]
    for item in data["items"]:
        if draw(st.integers(0, 3)) == 0:
            item["unit"] = draw(st.sampled_from(["kg", "g", "lb"]))
    data["customer"] = draw(st.none() | customers)
    if data["customer"] is None:
        del data["customer"]
    cart = parse_cart(data)
    totals = compute_totals(cart)
    non_cash = sum((p.amount for p in cart.payments if not p.is_cash), Decimal(0))
    if non_cash > totals.total:
        cart = cart.with_payments(tuple(p for p in cart.payments if p.is_cash))
        totals = compute_totals(cart)
    if sale_problems(cart, totals):  # a balance due, cash rounding included
        extra = Payment("CASH", totals.total + draw(st.sampled_from([1, 5, 20])))
        cart = cart.with_payments((*cart.payments, extra))
    return cart


def body_of(cart: Cart) -> bytes:
    receipt = issue_receipt(
        cart,
        receipt_id=str(uuid.uuid4()),
        order_number="A1-000001",
        store=DEMO_STORE,
        issued_at=datetime.now(UTC),
    )
    return ApiReceiptEncoder().encode(receipt)


@settings(max_examples=300, deadline=None)
@given(sales())
def test_every_random_sale_passes_the_reference_schema(cart: Cart) -> None:
    assert check(RECEIPT_CREATE, jsontext.parse(body_of(cart))) == []


def test_every_random_sale_is_accepted_by_the_sandbox(tmp_path: Path) -> None:
    server = SandboxServer(db_path=tmp_path / "sandbox.sqlite", token="t", seed=1)
    server.start()
    try:
        with httpx.Client(
            base_url=server.url,
            headers={"Authorization": "Bearer t", "Content-Type": "application/json"},
            trust_env=False,
        ) as http:

            @settings(
                max_examples=60,
                deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture],
            )
            @given(sales())
            def posted(cart: Cart) -> None:
                answer = http.post("/v1/receipts", content=body_of(cart))
                assert answer.status_code == 201, answer.text

            posted()
    finally:
        server.stop()
