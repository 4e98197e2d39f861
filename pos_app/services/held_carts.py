"""Carts put aside mid-sale (the customer forgot the milk) and resumed later on this till.

A held cart is stored in the cart file format, so it comes back exactly as it was: lines,
discounts, payments already taken, customer. Resuming takes it out of the store in one step,
so two screens can never both resume the same cart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pos_app.domain.cart import Cart
from pos_app.domain.cart_format import CartError, dumps_cart, loads_cart
from pos_app.domain.totals import compute_totals
from pos_app.services.ports.held_carts import HeldCartRow, HeldCartStore

MAX_LABEL_LENGTH = 80


class HeldCartGone(LookupError):
    """Resumed or discarded already (perhaps from another screen)."""

    def __init__(self, cart_id: int):
        super().__init__(f"held cart {cart_id} is no longer on hold")
        self.cart_id = cart_id


class NothingToHold(ValueError):
    def __init__(self) -> None:
        super().__init__("the cart is empty: there is nothing to hold")


@dataclass(frozen=True)
class HeldCartSummary:
    """One line of the held-carts list."""

    id: int
    label: str
    created_at: datetime  # UTC
    lines: int
    currency: str
    total: Decimal | None  # None when the stored cart can no longer be read
    customer_name: str = ""


class HeldCartsService:
    def __init__(self, store: HeldCartStore):
        self._store = store

    async def hold(self, cart: Cart, label: str = "") -> HeldCartSummary:
        """Puts `cart` aside under `label` (a name or a note, shown in the list)."""
        if not cart.items:
            raise NothingToHold()
        row = await self._store.hold(label.strip()[:MAX_LABEL_LENGTH], dumps_cart(cart))
        return _summary(row)

    async def list_held(self) -> list[HeldCartSummary]:
        """Every held cart, the one waiting longest first."""
        return [_summary(row) for row in await self._store.list_all()]

    async def peek(self, cart_id: int) -> Cart:
        """The held cart, left on hold (to show what is in it)."""
        row = await self._store.get(cart_id)
        if row is None:
            raise HeldCartGone(cart_id)
        return loads_cart(row.cart_json)

    async def resume(self, cart_id: int) -> Cart:
        """Takes the cart off hold and returns it. Raises HeldCartGone when another screen
        took it first, CartError when it can no longer be read (it is then still on hold,
        so nothing is lost)."""
        row = await self._store.get(cart_id)
        if row is None:
            raise HeldCartGone(cart_id)
        cart = loads_cart(row.cart_json)  # before taking it: a bad cart stays on hold
        if await self._store.take(cart_id) is None:
            raise HeldCartGone(cart_id)
        return cart

    async def discard(self, cart_id: int) -> None:
        if not await self._store.delete(cart_id):
            raise HeldCartGone(cart_id)


def _summary(row: HeldCartRow) -> HeldCartSummary:
    try:
        cart = loads_cart(row.cart_json)
    except CartError:
        # Written by an older version that this one cannot read: listed, so it can be
        # discarded, but without lines or total.
        return HeldCartSummary(row.id, row.label, row.created_at, 0, "", None)
    customer = cart.customer.display_name if cart.customer else ""
    total = compute_totals(cart).total
    return HeldCartSummary(
        row.id, row.label, row.created_at, len(cart.items), cart.currency, total, customer
    )
