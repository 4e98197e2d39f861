"""A real till for service tests: Bootstrap over a temp data dir, pointed at a sandbox."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

from pos_app.bootstrap import Bootstrap
from pos_app.domain.cart import Cart
from pos_app.domain.cart_format import parse_cart
from pos_app.domain.totals import compute_totals
from pos_app.services.runtime import RuntimeOptions
from pos_app.services.sync import SyncOptions
from tests.fixtures.shift import open_shift

# Fast backoffs so drills finish in seconds; the policy under test is the same.
FAST = SyncOptions(backoff_base_s=0.02, backoff_cap_s=0.3, offline_probe_max_s=0.2)


def runtime_for(
    data_dir: Path, url: str, token: str | None, *, shift_open: bool = True
) -> Bootstrap:
    """The till, with its shift open unless told (a sale needs one)."""
    if shift_open:
        open_shift(data_dir)
    return Bootstrap(RuntimeOptions(data_dir=data_dir, api_url=url, api_token=token))


def paid_cart(n: int = 0) -> Cart:
    """A small Québec sale paid by card (no cash rounding, so the amount is exact)."""
    price = f"{1 + n % 50}.{n % 100:02d}"
    cart = {
        "currency": "CAD",
        "items": [
            {
                "name": f"Article {n}",
                "sku": f"SKU{n:05d}",
                "unitPrice": price,
                "quantity": "1",
                "taxes": [
                    {"name": "GST", "percentage": "5"},
                    {"name": "QST", "percentage": "9.975"},
                ],
            }
        ],
    }
    total = compute_totals(parse_cart(cart)).total
    cart["payments"] = [{"type": "CARD", "amount": f"{total:f}", "brand": "VISA", "last4": "4242"}]
    return parse_cart(json.loads(json.dumps(cart)))


async def until(predicate: Callable[[], bool], timeout: float = 20.0, step: float = 0.02) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(step)
