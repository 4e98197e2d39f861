"""Refunds and voids on the wire: receipts of their own with what goes back written negative,
the payments' `refunded` amounts, a void's `cancelledAt` and `cancelReason`; only fields the
reference has, and the sandbox's reference schema takes them over loopback."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from pos_app.adapters.api.auth import StaticTokenAuth
from pos_app.adapters.api.client import SmartbillsClient, SmartbillsConfig
from pos_app.adapters.api.mapping import ApiReceiptEncoder
from pos_app.domain.receipt import CorrectionKind, Receipt
from pos_app.domain.refunds import Returned, correction_receipt, plan_refund, whole_return
from pos_app.sandbox import SandboxServer
from pos_app.services.settings import DEMO_STORE
from tests.adapters.api.test_mapping import build

VOIDED_AT = datetime(2025, 1, 21, 19, 5, tzinfo=UTC)


def correction(kind: CorrectionKind, lines: dict[int, Decimal] | None, reason: str = "") -> Receipt:
    sale, _ = build()
    returned = Returned.nothing(sale.cart, sale.totals)
    wanted = whole_return(sale.cart, returned) if lines is None else lines
    refund = plan_refund(sale.cart, sale.totals, returned, wanted, to_cash=False)
    return correction_receipt(
        sale,
        refund,
        kind=kind,
        receipt_id="7d1c0e52-9a1b-4f7e-8c3d-2b6a5e4f3a21",
        order_number="A1-000043",
        issued_at=VOIDED_AT,
        store=DEMO_STORE,
        reason=reason,
    )


def body(receipt: Receipt) -> dict:
    return json.loads(ApiReceiptEncoder().encode(receipt))


def money(value: dict) -> Decimal:
    return Decimal(str(value["amount"]))


def test_a_partial_refund_is_negative_with_its_tenders_refunded():
    refund = correction(CorrectionKind.REFUND, {0: Decimal(1)})
    sent = body(refund)
    t = refund.totals
    assert sent["type"] == "OFFICIAL"
    assert "cancelledAt" not in sent and "cancelReason" not in sent
    assert money(sent["total"]) == -t.total < 0
    assert money(sent["totalTaxes"]) == -t.total_taxes
    assert [Decimal(str(i["quantity"])) for i in sent["items"]] == [Decimal(-1)]
    assert money(sent["items"][0]["price"]) == Decimal("2.49")  # unit prices stay positive
    assert sum(money(p["amount"]) for p in sent["payments"]) == money(sent["totalPayments"])
    for p in sent["payments"]:
        assert money(p["refunded"]) == -money(p["amount"]) > 0
        assert p["status"] == "COMPLETED" and "approuved" not in p
    assert sent["receiptMetadata"]["tags"] == "refund-of:A1-000042"


def test_a_void_reverses_the_whole_sale_with_when_and_why():
    sale, _ = build()
    void = correction(CorrectionKind.VOID, None, reason="wrong customer")
    sent = body(void)
    assert sent["cancelReason"] == "wrong customer"
    assert sent["cancelledAt"] == "2025-01-21T19:05:00.000Z"
    assert money(sent["total"]) == -sale.totals.total
    assert money(sent["totalPayments"]) == -sale.totals.total_payments
    assert [money(t["total"]) for t in sent["taxes"]] == [-t.amount for t in sale.totals.taxes]
    assert [Decimal(str(i["quantity"])) for i in sent["items"]] == [
        -line.item.quantity for line in sale.totals.lines
    ]
    paid_back = [(p["type"], money(p["refunded"])) for p in sent["payments"]]
    taken = [(p.type, p.amount) for p in sale.cart.payments if not p.is_cash]
    assert paid_back == [*taken, ("CASH", sale.totals.cash_due)]  # every tender, in full
    assert {p["status"] for p in sent["payments"]} == {"CANCELLED"}


@pytest.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[SmartbillsClient]:
    api = SmartbillsClient(
        SmartbillsConfig(base_url=sandbox.url, auth=StaticTokenAuth(sandbox.token or ""))
    )
    try:
        yield api
    finally:
        await api.aclose()


async def test_the_sandbox_reference_schema_takes_refunds_and_voids(
    client: SmartbillsClient, sandbox: SandboxServer
):
    refund = correction(CorrectionKind.REFUND, {0: Decimal(1), 1: Decimal("0.5")})
    void = correction(CorrectionKind.VOID, None, reason="customer changed their mind")
    encoder = ApiReceiptEncoder()
    for receipt in (refund, void):
        submitted = await client.create_receipt(receipt.receipt_id, encoder.encode(receipt))
        assert submitted.server_id
    kept = [json.loads(r.body) for r in sandbox.state.store.all_receipts()]
    assert [k["cancelReason"] for k in kept if "cancelReason" in k] == [
        "customer changed their mind"
    ]
    assert all(money(k["total"]) < 0 for k in kept)
