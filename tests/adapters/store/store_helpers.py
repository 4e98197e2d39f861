"""Helpers shared by the store tests (a module of its own: `conftest` is not importable by
name when several test folders have one)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from tests.adapters.store.store import Store


@dataclass
class FakeClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


def payload_for(receipt_id: str, order_number: str, total: str = "12.30") -> bytes:
    """A stand-in request body; what matters is that it carries the order number."""
    body = {"receiptId": receipt_id, "orderNumber": order_number, "total": total}
    return json.dumps(body, separators=(",", ":")).encode()


async def finish_sale(
    store: Store,
    *,
    prefix: str = "A1",
    total: str = "12.30",
    created_at: datetime | None = None,
) -> tuple[str, str]:
    """Records one sale the way checkout does; returns (receipt_id, order_number)."""
    receipt_id = str(uuid.uuid4())
    order_number = await store.sales.record_sale(
        prefix,
        receipt_id,
        created_at or store.db.now(),
        json.dumps({"currency": "CAD", "items": []}),
        lambda number: payload_for(receipt_id, number, total),
        currency="CAD",
        total=Decimal(total),
    )
    return receipt_id, order_number
