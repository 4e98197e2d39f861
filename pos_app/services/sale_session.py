"""The sale in progress, as a plain-Python service: the window shows it, this module decides.

Every rule about what a cashier may do to the current cart lives here (quantity prefixes,
whole quantities for goods sold by the piece, discount limits, what a card may pay), so the
Qt screens only translate keystrokes into calls and changes into repaints.

A change is published as a `CartChange` saying which rows were inserted, removed or changed,
so the table model updates those rows only. Totals come from `domain.totals.compute_totals`
(the one place that computes them), recomputed once per change.

Error messages are English msgids with named fields (`SaleInputError.template` and
`.params`): the UI translates them with the shared gettext catalogs, the CLI and the logs
read `str(error)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal
from typing import Any, Protocol

from pos_app.domain.cart import Cart, Customer, Discount, Item, Payment, PaymentType, Policy
from pos_app.domain.invalid_input import InvalidInput
from pos_app.domain.money import AmountError, format_amount, minor_unit, quantum, to_decimal
from pos_app.domain.payments import cash_due_for
from pos_app.domain.receipt import sale_problems
from pos_app.domain.totals import LineTotals, Totals, compute_totals

ZERO = Decimal(0)
# A till never sells ten thousand of one thing in one line: such a figure is a scan that
# landed in the quantity, and refusing it saves a voided receipt.
MAX_QUANTITY = Decimal(10_000)
# Scales give grams: three decimals of a kilogram. Finer figures are typing mistakes.
WEIGHT_DECIMALS = 3
# Unit prices may be finer than a cent (fuel at 1.659 $/L), as in the cart format.
PRICE_DECIMALS = 6
# The name a discount typed at the till carries on the receipt and in the API payload.
LINE_DISCOUNT_NAME = "Discount"
RECEIPT_DISCOUNT_NAME = "Receipt discount"
# Bank notes a customer is likely to hand over, for the payment dialog's quick buttons.
BANK_NOTES = (Decimal(10), Decimal(20), Decimal(50), Decimal(100))
_LAST4 = re.compile(r"^\d{4}$")
_PAYMENT_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")
DEFAULT_POLICY = Policy()


class SaleInputError(InvalidInput):
    """What the cashier typed cannot be applied. `template` is an English msgid with
    `{named}` fields, `params` their values (already formatted for people)."""

    def __init__(self, template: str, **params: str):
        super().__init__([template.format(**params)])
        self.template = template
        self.params = params


# ---------------------------------------------------------------------------------------------
# What the session needs from other services (the catalog and held carts), as Protocols so it
# can be tested with fakes and never imports an adapter.


class ProductCatalog(Protocol):
    async def find(self, code: str) -> Any | None:
        """The product whose barcode or SKU is exactly `code`, else None."""
        ...

    def item_for(self, product: Any) -> Item:
        """A cart line for one unit of `product`, with its name(s), price and taxes."""
        ...


class HeldCarts(Protocol):
    async def hold(self, cart: Cart, label: str) -> Any: ...

    async def resume(self, held_id: int) -> Cart:
        """The held cart, taken off the held list. Raises LookupError when someone resumed
        or discarded it already."""
        ...


# ---------------------------------------------------------------------------------------------
# What the session publishes


@dataclass(frozen=True, slots=True)
class CartChange:
    """Which rows of the cart table changed. Applied in this order: `removed` (row numbers
    before the change), then `inserted`, then `changed` (row numbers after the change).
    `reset` means a different cart (cleared, resumed, loaded): reload every row."""

    removed: range | None = None
    inserted: range | None = None
    changed: tuple[range, ...] = ()
    reset: bool = False


@dataclass(frozen=True, slots=True)
class AddResult:
    """The outcome of a scan: the row added, or why nothing was added."""

    row: int | None = None
    item: Item | None = None
    error: SaleInputError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class ScanCode:
    """A scanned or typed code with its optional quantity prefix (`3*CODE`, `0.735*CODE`)."""

    code: str
    quantity: Decimal | None = None


def parse_scan(text: str) -> ScanCode:
    """Reads `CODE`, `3*CODE` or `0.735*CODE`. Raises SaleInputError for a bad prefix."""
    text = text.strip()
    if "*" not in text:
        if not text:
            raise SaleInputError("Scan or type a code")
        return ScanCode(text)
    prefix, _, code = text.partition("*")
    code = code.strip()
    if not code:
        raise SaleInputError("Type a code after {prefix}*", prefix=prefix.strip())
    return ScanCode(code, _decimal(prefix.strip()))


@dataclass(frozen=True, slots=True)
class DiscountInput:
    """A discount as typed at the till: "10%" is a percentage, "1.50" an amount, "" none."""

    percentage: str | None = None
    amount: str | None = None

    @classmethod
    def parse(cls, text: str) -> DiscountInput:
        text = text.strip()
        if text.endswith("%"):
            return cls(percentage=text.rstrip("% ").strip())
        return cls(amount=text) if text else cls()


def quick_cash_amounts(due: Decimal, currency: str) -> list[Decimal]:
    """Amounts a customer is likely to hand over for `due`: the exact amount, the next
    multiple of 5, then the bank notes above it. For whole-unit currencies the same steps."""
    if due <= 0:
        return []
    five = (due / 5).to_integral_value(ROUND_CEILING) * 5
    amounts = [due, five, *(note for note in BANK_NOTES if note > five)]
    q = quantum(currency)
    unique: list[Decimal] = []
    for amount in amounts:
        value = amount.quantize(q)
        if value not in unique:
            unique.append(value)
    return unique


def line_amount(line: LineTotals) -> Decimal:
    """A line's amount after its discounts (and its share of the receipt's), before any tax
    added on top: what the cart table's Amount column shows."""
    return line.sub_total - line.total_discounts


# ---------------------------------------------------------------------------------------------


class SaleSession:
    """The current sale. Not thread-safe: call it from the event loop's thread."""

    def __init__(
        self,
        catalog: ProductCatalog | None,
        *,
        currency: str,
        policy: Policy = DEFAULT_POLICY,
        held_carts: HeldCarts | None = None,
    ):
        minor_unit(currency)  # an unknown currency is a configuration error: fail at once
        self._catalog = catalog
        self._held = held_carts
        self._currency = currency
        self._policy = policy
        self._cart = Cart(currency=currency, policy=policy)
        self._totals = compute_totals(self._cart)
        self._listeners: list[Callable[[CartChange], None]] = []
        # The house account (number, name) this sale may be put on, chosen with F2.
        self._account: tuple[str, str] | None = None

    # -- reading ---------------------------------------------------------------------------

    @property
    def cart(self) -> Cart:
        return self._cart

    @property
    def totals(self) -> Totals:
        return self._totals

    @property
    def currency(self) -> str:
        return self._currency

    @property
    def items(self) -> tuple[Item, ...]:
        return self._cart.items

    @property
    def lines(self) -> tuple[LineTotals, ...]:
        return self._totals.lines

    @property
    def payments(self) -> tuple[Payment, ...]:
        return self._cart.payments

    @property
    def customer(self) -> Customer | None:
        return self._cart.customer

    @property
    def account(self) -> tuple[str, str] | None:
        """The house account (number, name) chosen for this sale, if any."""
        return self._account

    @property
    def is_empty(self) -> bool:
        return not self._cart.items

    @property
    def problems(self) -> list[str]:
        """Why the sale cannot be finished yet (empty when it can)."""
        return sale_problems(self._cart, self._totals)

    @property
    def can_finish(self) -> bool:
        return not self.problems

    def cash_due(self) -> Decimal:
        """What to ask in cash for the rest of the total, after the payments taken so far."""
        t = self._totals
        return cash_due_for(t.total, self.payments, self._currency, self._policy.cash_rounding)

    def tendered(self) -> Decimal:
        """Every payment taken so far, cash as handed over."""
        return sum((p.amount for p in self.payments), ZERO)

    def remaining(self) -> Decimal:
        """What is still owed before any cash rounding: the most a card may pay now."""
        return max(self._totals.total - self.tendered(), ZERO)

    def subscribe(self, callback: Callable[[CartChange], None]) -> Callable[[], None]:
        """Calls `callback` after every change; returns the function that unsubscribes."""
        listeners = self._listeners
        listeners.append(callback)
        return lambda: listeners.remove(callback)

    # -- lines -----------------------------------------------------------------------------

    async def add_by_code(self, text: str) -> AddResult:
        """Adds the product scanned or typed, with an optional `N*` quantity prefix. An
        unknown code or a bad quantity adds nothing and says why."""
        try:
            scan = parse_scan(text)
            if self._catalog is None:
                raise SaleInputError("The catalog is not available")
            product = await self._catalog.find(scan.code)
            if product is None:
                raise SaleInputError("Unknown code: {code}", code=scan.code)
            row = self.add_product(product, scan.quantity)
        except SaleInputError as error:
            return AddResult(error=error)
        return AddResult(row=row, item=self.items[row])

    def add_product(self, product: Any, quantity: Decimal | str | None = None) -> int:
        """Adds a line for `product` (one piece when no quantity is given, or a blank one);
        returns its row."""
        if self._catalog is None:
            raise SaleInputError("The catalog is not available")
        try:
            item = self._catalog.item_for(product)
        except ValueError as error:  # e.g. its tax code is missing from the settings
            raise SaleInputError(
                "This product cannot be sold: {reason}", reason=str(error)
            ) from None
        if quantity is None or (isinstance(quantity, str) and not quantity.strip()):
            qty = Decimal(1)
        else:
            qty = self._checked_quantity(item, _decimal(quantity))
        return self.add_item(replace(item, quantity=qty))

    def add_item(self, item: Item) -> int:
        """Adds a ready-made line (a resumed or corrected sale's, a test's); returns its row."""
        self._checked_quantity(item, item.quantity)
        row = len(self.items)
        self._apply(self._with_items((*self.items, item)), CartChange(inserted=range(row, row + 1)))
        return row

    def set_quantity(self, index: int, quantity: Decimal | str) -> None:
        item = self._item(index)
        qty = self._checked_quantity(item, _decimal(quantity))
        self._replace_line(index, replace(item, quantity=qty))

    def set_unit_price(self, index: int, price: Decimal | str) -> None:
        item = self._item(index)
        value = _decimal(price)
        if value < 0:
            raise SaleInputError("A price cannot be negative")
        if _decimals(value) > PRICE_DECIMALS:
            raise SaleInputError("A price has at most {count} decimals", count=str(PRICE_DECIMALS))
        self._replace_line(index, replace(item, unit_price=value))

    def set_line_discount(
        self,
        index: int,
        *,
        percentage: Decimal | str | None = None,
        amount: Decimal | str | None = None,
    ) -> None:
        """One discount on the line, as a percentage or an amount; neither (or zero) removes
        it. An amount may not exceed the line's own subtotal."""
        item = self._item(index)
        discount = self._checked_discount(
            LINE_DISCOUNT_NAME, percentage, amount, self.lines[index].sub_total
        )
        self._replace_line(index, replace(item, discounts=() if discount is None else (discount,)))

    def void_line(self, index: int) -> Item:
        """Removes a line; returns what was removed."""
        item = self._item(index)
        items = self.items[:index] + self.items[index + 1 :]
        self._apply(self._with_items(items), CartChange(removed=range(index, index + 1)))
        return item

    # -- the whole receipt -----------------------------------------------------------------

    def set_receipt_discount(
        self, *, percentage: Decimal | str | None = None, amount: Decimal | str | None = None
    ) -> None:
        """One discount on the whole receipt (shared over the lines by the totals engine);
        neither (or zero) removes it."""
        if self.is_empty:
            raise SaleInputError("The cart is empty")
        t = self.totals
        own = sum((d.amount for d in t.receipt_discounts), ZERO)
        room = t.sub_total - t.total_discounts + own  # what the line discounts left
        discount = self._checked_discount(RECEIPT_DISCOUNT_NAME, percentage, amount, room)
        cart = replace(self.cart, discounts=() if discount is None else (discount,))
        self._apply(cart, CartChange())

    @property
    def receipt_discount(self) -> Discount | None:
        return self.cart.discounts[0] if self.cart.discounts else None

    def attach_customer(self, customer: Customer | None) -> None:
        self._apply(replace(self.cart, customer=customer), CartChange())

    def attach_account(self, number: str | None, name: str = "") -> None:
        """Chooses the house account this sale may go on (None: none); payments already put
        on another account are dropped."""
        self._account = (number, name) if number else None
        kept = tuple(
            p for p in self.payments if p.type != PaymentType.ACCOUNT or p.account == number
        )
        self._apply(self.cart.with_payments(kept), CartChange())

    # -- payments --------------------------------------------------------------------------

    def add_payment(
        self,
        type: str,
        amount: Decimal | str,
        brand: str | None = None,
        last4: str | None = None,
    ) -> Payment:
        """Takes a payment. Cash is what the customer handed over (change is given back);
        any other tender may not pay more than what is still owed. ACCOUNT goes on the
        account chosen for the sale (its credit is checked by the caller beforehand)."""
        if self.is_empty:
            raise SaleInputError("The cart is empty")
        if not _PAYMENT_TYPE.match(type):
            raise SaleInputError("Unknown payment type {type}", type=type)
        value = _decimal(amount)
        if value <= 0:
            raise SaleInputError("An amount must be more than zero")
        places = minor_unit(self._currency)
        if _decimals(value) > places:
            raise SaleInputError(
                "{currency} amounts have at most {count} decimals",
                currency=self._currency,
                count=str(places),
            )
        brand = (brand or "").strip() or None
        last4 = (last4 or "").strip() or None
        if type != PaymentType.CASH:
            remaining = self.remaining()
            if value > remaining:
                raise SaleInputError(
                    "A card or other tender pays at most what is owed: {remaining}",
                    remaining=format_amount(remaining, self._currency),
                )
            if last4 is not None and not _LAST4.match(last4):
                raise SaleInputError("The last 4 digits of the card are 4 digits")
        account = None
        if type == PaymentType.ACCOUNT:
            if self._account is None:
                raise SaleInputError("Choose the account first (F2)")
            account = self._account
        payment = Payment(
            type=type,
            amount=value,
            card_brand=brand if type not in (PaymentType.CASH, PaymentType.ACCOUNT) else None,
            card_last4=last4 if type not in (PaymentType.CASH, PaymentType.ACCOUNT) else None,
            reference=account[1] if account else None,
            account=account[0] if account else None,
        )
        self._apply(self.cart.with_payments((*self.payments, payment)), CartChange())
        return payment

    def remove_payment(self, index: int) -> Payment:
        if not 0 <= index < len(self.payments):
            raise SaleInputError("No payment {number}", number=str(index + 1))
        payment = self.payments[index]
        rest = self.payments[:index] + self.payments[index + 1 :]
        self._apply(self.cart.with_payments(rest), CartChange())
        return payment

    # -- the session as a whole ------------------------------------------------------------

    def configure(self, *, currency: str, policy: Policy) -> None:
        """New settings (currency, rounding policy) apply from the next sale on: the current
        one keeps the rules it was rung up under."""
        minor_unit(currency)
        self._currency, self._policy = currency, policy

    def clear(self) -> None:
        """Empties the cart for the next customer (after a sale, or a cancelled one)."""
        self._account = None
        self._apply(Cart(currency=self._currency, policy=self._policy), CartChange(reset=True))

    def load(self, cart: Cart, *, keep_payments: bool = False) -> None:
        """Makes `cart` the current sale: a resumed held cart, or a recorded sale opened to be
        corrected (its payments are taken again, so they are dropped unless asked)."""
        if not keep_payments:
            cart = cart.with_payments(())
        self._currency, self._policy = cart.currency, cart.policy
        self._apply(cart, CartChange(reset=True))

    async def hold(self, label: str = "") -> Any:
        """Puts the current cart on hold and clears the screen for the next customer."""
        if self._held is None:
            raise SaleInputError("Held sales are not available")
        if self.is_empty:
            raise SaleInputError("The cart is empty")
        held = await self._held.hold(self.cart, label or self._default_label())
        self.clear()
        return held

    async def resume(self, held_id: int) -> None:
        """Makes a held cart the current sale; the current one must be empty."""
        if self._held is None:
            raise SaleInputError("Held sales are not available")
        if not self.is_empty:
            raise SaleInputError("Finish or hold the current sale first")
        try:
            cart = await self._held.resume(held_id)
        except LookupError:
            raise SaleInputError("That sale was already resumed") from None
        # Payments taken before the hold were really taken: they come back with the cart.
        self.load(cart, keep_payments=True)

    def _default_label(self) -> str:
        """What the held list shows for a cart held without a label: the customer's name,
        else its total."""
        if self.customer is not None and self.customer.display_name:
            return self.customer.display_name
        return f"{format_amount(self.totals.total, self._currency)} {self._currency}"

    # -- internals -------------------------------------------------------------------------

    def _item(self, index: int) -> Item:
        if not 0 <= index < len(self.items):
            raise SaleInputError("No line {number}", number=str(index + 1))
        return self.items[index]

    def _with_items(self, items: tuple[Item, ...]) -> Cart:
        return self.cart.with_items(items)

    def _replace_line(self, index: int, item: Item) -> None:
        items = (*self.items[:index], item, *self.items[index + 1 :])
        self._apply(self._with_items(items), CartChange(changed=(range(index, index + 1),)))

    def _checked_quantity(self, item: Item, quantity: Decimal) -> Decimal:
        if quantity <= 0:
            raise SaleInputError("A quantity must be more than zero")
        if quantity >= MAX_QUANTITY:
            raise SaleInputError("A quantity of {quantity} is too large", quantity=f"{quantity:f}")
        if item.unit:
            if _decimals(quantity) > WEIGHT_DECIMALS:
                raise SaleInputError(
                    "A quantity in {unit} has at most {count} decimals",
                    unit=item.unit,
                    count=str(WEIGHT_DECIMALS),
                )
        elif quantity != quantity.to_integral_value():
            raise SaleInputError(
                "{name} is sold by the piece: the quantity must be a whole number",
                name=item.name,
            )
        return quantity if item.unit else quantity.to_integral_value()

    def _checked_discount(
        self,
        name: str,
        percentage: Decimal | str | None,
        amount: Decimal | str | None,
        room: Decimal,
    ) -> Discount | None:
        if percentage not in (None, "") and amount not in (None, ""):
            raise SaleInputError("A discount is a percentage or an amount, not both")
        if percentage not in (None, ""):
            assert percentage is not None
            value = _decimal(percentage)
            if value == 0:
                return None
            if not 0 < value <= 100:
                raise SaleInputError("A percentage is between 0 and 100")
            if _decimals(value) > 3:
                raise SaleInputError("A percentage has at most 3 decimals")
            return Discount(name, percentage=value)
        if amount not in (None, ""):
            assert amount is not None
            value = _decimal(amount)
            if value == 0:
                return None
            if value < 0:
                raise SaleInputError("A discount cannot be negative")
            places = minor_unit(self._currency)
            if _decimals(value) > places:
                raise SaleInputError(
                    "{currency} amounts have at most {count} decimals",
                    currency=self._currency,
                    count=str(places),
                )
            if value > room:
                raise SaleInputError(
                    "A discount cannot be more than {limit}",
                    limit=format_amount(room, self._currency),
                )
            return Discount(name, amount=value)
        return None

    def _apply(self, cart: Cart, change: CartChange) -> None:
        """Installs the new cart, recomputes the totals once, and says which rows changed:
        the rows the change names, plus any other whose figures moved (a receipt discount is
        shared over every line, so adding a line can change the others' amounts)."""
        old = self._totals
        totals = compute_totals(cart)
        self._cart, self._totals = cart, totals
        if not change.reset:
            change = replace(change, changed=_moved_rows(old.lines, totals.lines, change))
        for callback in list(self._listeners):
            callback(change)


def _moved_rows(
    old: Sequence[LineTotals], new: Sequence[LineTotals], change: CartChange
) -> tuple[range, ...]:
    """Row ranges (after the change) whose shown figures differ from before, merged with the
    ones the change names. A row is compared with the line it was before the change."""
    flagged = {row for named in change.changed for row in named}
    for row, line in enumerate(new):
        if row in flagged:
            continue
        before = _row_before(row, change)
        if before is None or before >= len(old):
            continue
        was = old[before]
        if (was.total, was.total_discounts, was.sub_total) != (
            line.total,
            line.total_discounts,
            line.sub_total,
        ):
            flagged.add(row)
    return _ranges(sorted(flagged))


def _row_before(row: int, change: CartChange) -> int | None:
    """Where row `row` (after the change) was before it; None for an inserted row."""
    if change.inserted is not None and row >= change.inserted.start:
        return None if row in change.inserted else row - len(change.inserted)
    if change.removed is not None and row >= change.removed.start:
        return row + len(change.removed)
    return row


def _ranges(rows: list[int]) -> tuple[range, ...]:
    out: list[range] = []
    for row in rows:
        if out and out[-1].stop == row:
            out[-1] = range(out[-1].start, row + 1)
        else:
            out.append(range(row, row + 1))
    return tuple(out)


def _decimal(value: Decimal | str) -> Decimal:
    """A person's decimal input: a comma is accepted as the decimal mark (French keyboards)."""
    if isinstance(value, Decimal):
        return value
    text = value.strip().replace(",", ".")
    try:
        return to_decimal(text)
    except AmountError:
        raise SaleInputError("{value} is not a number", value=value.strip()) from None


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
