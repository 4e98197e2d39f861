"""SaleSession: the sale in progress, without Qt. Scans with quantity prefixes, line edits with
their validation, payments and cash rounding, hold/resume, and the row-level change events
the cart table relies on."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from pos_app.domain.cart import Cart, Customer, Item, PaymentType, Tax
from pos_app.services.sale_session import (
    AddResult,
    CartChange,
    SaleInputError,
    SaleSession,
    parse_scan,
    quick_cash_amounts,
)

GST = Tax("GST", Decimal("5"))
QST = Tax("QST", Decimal("9.975"))


@dataclass(frozen=True)
class FakeProduct:
    sku: str
    name: str
    price: Decimal
    barcode: str = ""
    unit: str = ""


class FakeCatalog:
    def __init__(self, *products: FakeProduct):
        self.products = {code: p for p in products for code in (p.sku, p.barcode) if code}

    async def find(self, code: str) -> FakeProduct | None:
        return self.products.get(code.strip())

    def item_for(self, product: FakeProduct) -> Item:
        return Item(
            name=product.name,
            unit_price=product.price,
            quantity=Decimal(1),
            sku=product.sku,
            barcode=product.barcode or None,
            unit=product.unit or None,
            taxes=(GST, QST),
        )


class FakeHeld:
    def __init__(self) -> None:
        self.carts: dict[int, tuple[str, Cart]] = {}

    async def hold(self, cart: Cart, label: str) -> int:
        held_id = len(self.carts) + 1
        self.carts[held_id] = (label, cart)
        return held_id

    async def resume(self, held_id: int) -> Cart:
        if held_id not in self.carts:
            raise LookupError(held_id)
        return self.carts.pop(held_id)[1]


COFFEE = FakeProduct("0001", "Café filtre", Decimal("2.49"), barcode="0123456789012")
BANANAS = FakeProduct("0002", "Bananes", Decimal("1.74"), unit="kg")


@pytest.fixture
def held() -> FakeHeld:
    return FakeHeld()


@pytest.fixture
def session(held: FakeHeld) -> SaleSession:
    return SaleSession(FakeCatalog(COFFEE, BANANAS), currency="CAD", held_carts=held)


@pytest.fixture
def changes(session: SaleSession) -> list[CartChange]:
    seen: list[CartChange] = []
    session.subscribe(seen.append)
    return seen


def test_parse_scan() -> None:
    assert parse_scan(" 0001 ").code == "0001"
    assert parse_scan("3*0001").quantity == Decimal(3)
    assert parse_scan("0,735*0002").quantity == Decimal("0.735")
    with pytest.raises(SaleInputError, match="not a number"):
        parse_scan("x*0001")
    with pytest.raises(SaleInputError, match="code after"):
        parse_scan("3*")


async def test_scan_by_barcode_or_sku_adds_a_line(
    session: SaleSession, changes: list[CartChange]
) -> None:
    first = await session.add_by_code("0123456789012")
    second = await session.add_by_code("3*0001")
    assert (first.row, second.row) == (0, 1)
    assert [i.quantity for i in session.items] == [Decimal(1), Decimal(3)]
    assert changes == [CartChange(inserted=range(0, 1)), CartChange(inserted=range(1, 2))]
    # Per line: 2.49 + 0.12 + 0.25 = 2.86 and 7.47 + 0.37 + 0.75 = 8.59.
    assert session.totals.sub_total == Decimal("9.96")
    assert session.totals.total == Decimal("11.45")


async def test_unknown_code_and_bad_quantities_add_nothing(
    session: SaleSession, changes: list[CartChange]
) -> None:
    unknown = await session.add_by_code("999")
    assert not unknown.ok and unknown.error is not None
    assert str(unknown.error) == "Unknown code: 999"
    assert unknown.error.template == "Unknown code: {code}"
    fraction = await session.add_by_code("1.5*0001")
    assert fraction.error is not None and "whole number" in str(fraction.error)
    zero = await session.add_by_code("0*0001")
    assert zero.error is not None and "more than zero" in str(zero.error)
    assert session.is_empty and changes == []


async def test_weighed_items_take_decimal_quantities(session: SaleSession) -> None:
    result = await session.add_by_code("0.735*0002")
    assert result.ok and session.items[0].quantity == Decimal("0.735")
    assert session.lines[0].sub_total == Decimal("1.28")  # 1.74 x 0.735 = 1.2789
    too_fine = await session.add_by_code("0.7355*0002")
    assert too_fine.error is not None and "3 decimals" in str(too_fine.error)


async def test_line_edits_are_validated(session: SaleSession, changes: list[CartChange]) -> None:
    await session.add_by_code("0001")
    await session.add_by_code("0002")
    changes.clear()
    session.set_quantity(0, "4")
    session.set_unit_price(0, "2,00")
    session.set_line_discount(0, percentage="10")
    assert session.items[0].quantity == 4 and session.items[0].unit_price == Decimal("2.00")
    assert session.lines[0].total_discounts == Decimal("0.80")
    assert all(c == CartChange(changed=(range(0, 1),)) for c in changes)
    for call, message in [
        (lambda: session.set_quantity(0, "-1"), "more than zero"),
        (lambda: session.set_quantity(0, "abc"), "not a number"),
        (lambda: session.set_quantity(0, "1.5"), "whole number"),
        (lambda: session.set_quantity(0, "20000"), "too large"),
        (lambda: session.set_unit_price(0, "-2"), "negative"),
        (lambda: session.set_line_discount(0, percentage="120"), "between 0 and 100"),
        (lambda: session.set_line_discount(0, amount="9.00"), "more than 8.00"),
        (lambda: session.set_line_discount(0, amount="1.001"), "2 decimals"),
        (lambda: session.set_quantity(5, "1"), "No line 6"),
    ]:
        with pytest.raises(SaleInputError, match=message):
            call()
    session.set_line_discount(0, amount="0")
    assert session.items[0].discounts == ()


async def test_void_line_shifts_rows(session: SaleSession, changes: list[CartChange]) -> None:
    for _ in range(3):
        await session.add_by_code("0001")
    changes.clear()
    removed = session.void_line(1)
    assert removed.sku == "0001" and len(session.items) == 2
    assert changes == [CartChange(removed=range(1, 2))]


async def test_receipt_discount_reports_every_line_it_moves(
    session: SaleSession, changes: list[CartChange]
) -> None:
    await session.add_by_code("0001")
    await session.add_by_code("2*0001")
    changes.clear()
    session.set_receipt_discount(amount="1.00")
    assert session.totals.total_discounts == Decimal("1.00")
    assert changes == [CartChange(changed=(range(0, 2),))]
    changes.clear()
    # A new line takes a share of the fixed discount from the others: they change too.
    await session.add_by_code("0001")
    assert changes == [CartChange(inserted=range(2, 3), changed=(range(0, 2),))]
    with pytest.raises(SaleInputError, match="more than"):
        session.set_receipt_discount(amount="50")
    session.set_receipt_discount(percentage="10")
    assert session.receipt_discount is not None
    assert session.receipt_discount.percentage == Decimal("10")


async def test_cash_sale_with_rounding_and_change(session: SaleSession) -> None:
    await session.add_by_code("0001")  # 2.49 + 0.12 + 0.25 = 2.86
    assert session.totals.total == Decimal("2.86")
    assert session.cash_due() == Decimal("2.85")
    assert not session.can_finish and "balance due" in session.problems[0]
    session.add_payment(PaymentType.CASH, "5")
    assert session.can_finish
    assert session.totals.cash_rounding == Decimal("-0.01")
    assert session.totals.change_due == Decimal("2.15")


async def test_split_tender(session: SaleSession) -> None:
    await session.add_by_code("4*0001")  # 9.96 + 0.50 + 0.99 = 11.45
    with pytest.raises(SaleInputError, match="at most what is owed"):
        session.add_payment(PaymentType.CARD, "20")
    with pytest.raises(SaleInputError, match="4 digits"):
        session.add_payment(PaymentType.CARD, "5", "VISA", "12")
    card = session.add_payment(PaymentType.CARD, "5.00", "VISA", "4242")
    assert (card.card_brand, card.card_last4) == ("VISA", "4242")
    assert session.remaining() == Decimal("6.45")
    assert session.cash_due() == Decimal("6.45")
    session.add_payment(PaymentType.CASH, "10")
    assert session.can_finish and session.totals.change_due == Decimal("3.55")
    session.remove_payment(1)
    assert not session.can_finish


async def test_hold_and_resume(session: SaleSession, held: FakeHeld) -> None:
    await session.add_by_code("0001")
    session.attach_customer(Customer(first_name="Éloïse", last_name="Tremblay"))
    held_id = await session.hold()
    assert session.is_empty and held.carts[held_id][0] == "Éloïse Tremblay"
    await session.resume(held_id)
    assert [i.sku for i in session.items] == ["0001"]
    assert session.customer is not None and session.customer.first_name == "Éloïse"
    with pytest.raises(SaleInputError, match="already resumed"):
        session.clear()
        await session.resume(held_id)


async def test_load_a_recorded_cart_drops_its_payments(session: SaleSession) -> None:
    await session.add_by_code("0001")
    session.add_payment(PaymentType.CASH, "5")
    recorded = session.cart
    session.clear()
    session.load(recorded)
    assert len(session.items) == 1 and session.payments == ()


def test_quick_cash_amounts() -> None:
    assert quick_cash_amounts(Decimal("12.35"), "CAD") == [
        Decimal("12.35"),
        Decimal("15.00"),
        Decimal("20.00"),
        Decimal("50.00"),
        Decimal("100.00"),
    ]
    assert quick_cash_amounts(Decimal("20"), "CAD")[:2] == [Decimal("20.00"), Decimal("50.00")]
    assert quick_cash_amounts(Decimal(0), "CAD") == []


async def test_a_scan_into_a_500_line_cart_adds_the_501st_line(session: SaleSession) -> None:
    # How long it takes is bench/ui.py's session_add_500_cart_ms (aim: well under a frame).
    for _ in range(500):
        session.add_item(Item("Café", Decimal("2.49"), Decimal(1), taxes=(GST, QST)))
    before = session.totals.total
    result: AddResult = await session.add_by_code("0001")
    assert result.ok and len(session.items) == 501
    assert session.totals.total > before
