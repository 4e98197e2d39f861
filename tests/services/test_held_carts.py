"""HeldCartsService over a real SQLite store: a cart comes back exactly as it was held, and
only once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from pos_app.adapters.store.database import Database
from pos_app.adapters.store.held_carts_repo import HeldCartsRepo
from pos_app.domain.cart import Cart, Customer, Discount, Item, Payment, Tax
from pos_app.domain.totals import compute_totals
from pos_app.services.held_carts import HeldCartGone, HeldCartsService, NothingToHold

TAXES = (Tax("GST", Decimal("5")), Tax("QST", Decimal("9.975")))
CART = Cart(
    currency="CAD",
    items=(
        Item(
            "Croustilles nature 235 g",
            Decimal("4.49"),
            Decimal(2),
            sku="CRO-NAT-235",
            barcode="060010001016",
            taxes=TAXES,
            names={"fr-CA": "Croustilles nature 235 g", "en-CA": "Plain potato chips 235 g"},
        ),
        Item("Bananes", Decimal("1.74"), Decimal("0.735"), sku="FRU-BAN-KG", unit="kg"),
        Item(
            "Lait 2 % 2 L",
            Decimal("5.29"),
            Decimal(1),
            discounts=(Discount("Date courte", percentage=Decimal("30")),),
        ),
    ),
    payments=(Payment("CASH", Decimal("5.00")),),
    customer=Customer(id="local-1234", first_name="Zoé", last_name="Gagnon", phone="438 555 0000"),
)


@pytest.fixture
async def held(tmp_path: Path) -> AsyncIterator[HeldCartsService]:
    db = Database.open(tmp_path / "pos.db")
    try:
        yield HeldCartsService(HeldCartsRepo(db))
    finally:
        await db.aclose()


async def test_round_trip(held: HeldCartsService) -> None:
    summary = await held.hold(CART, "  Zoé, oublié le lait  ")
    assert summary.label == "Zoé, oublié le lait"
    assert (summary.lines, summary.currency, summary.customer_name) == (3, "CAD", "Zoé Gagnon")
    assert summary.total == compute_totals(CART).total
    [listed] = await held.list_held()
    # created_at is compared to the millisecond: the store keeps no finer (hold() answers with
    # the unrounded clock reading).
    assert replace(listed, created_at=summary.created_at) == summary
    assert abs(listed.created_at - summary.created_at) < timedelta(milliseconds=1)
    assert await held.peek(summary.id) == CART

    resumed = await held.resume(summary.id)
    assert resumed == CART
    assert compute_totals(resumed) == compute_totals(CART)
    assert await held.list_held() == []
    with pytest.raises(HeldCartGone):
        await held.resume(summary.id)


async def test_oldest_first_and_discard(held: HeldCartsService) -> None:
    first = await held.hold(CART, "premier")
    second = await held.hold(CART.with_payments(()), "deuxième")
    assert [s.label for s in await held.list_held()] == ["premier", "deuxième"]
    await held.discard(first.id)
    assert [s.id for s in await held.list_held()] == [second.id]
    with pytest.raises(HeldCartGone):
        await held.discard(first.id)


async def test_only_one_screen_resumes_a_cart(held: HeldCartsService) -> None:
    summary = await held.hold(CART)
    outcomes = await asyncio.gather(
        held.resume(summary.id), held.resume(summary.id), return_exceptions=True
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Cart", "HeldCartGone"]


async def test_an_empty_cart_is_not_held(held: HeldCartsService) -> None:
    with pytest.raises(NothingToHold):
        await held.hold(Cart(currency="CAD"))
