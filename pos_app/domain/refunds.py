"""Returns of a finished sale: which lines and quantities go back, and in which tenders.

A sale is never changed: each refund is a record of its own, and what was already returned is
the fold of the earlier refunds (`Returned`). The figures come from the totals engine
(`totals.refund_totals`); this module checks the quantities and shares the refund among the
sale's tenders so that no tender ever gives back more than it took:

- to the original tenders, the non-cash ones give back in proportion to what they paid, the
  cash tender takes the rest; the last refund empties every tender exactly;
- to cash, the refund still counts against the sale's tenders the same way (so a later refund
  to the original tenders stays bounded) but all of it is handed back in cash.

Cash handed back follows cash rounding on the running total: the cash given back so far is
`round_cash(exact cash so far)`, so roundings never pile up, and a whole sale returned to its
original tenders gives back exactly the cash it took.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import ROUND_FLOOR, Decimal

from pos_app.domain.cart import Cart, Payment, PaymentType
from pos_app.domain.money import quantum
from pos_app.domain.payments import round_cash
from pos_app.domain.receipt import Correction, CorrectionKind, Receipt, StoreInfo
from pos_app.domain.totals import Totals, refund_totals, with_refund_cash

ZERO = Decimal(0)
# Weights are returned to the gram; pieces whole (unless sold in parts).
MAX_PLACES = 3


class RefundError(ValueError):
    """A refund that cannot be made; `problems` says why, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class SaleTender:
    """One tender of a sale: a non-cash payment, or all the cash (one tender however handed)."""

    type: str
    paid: Decimal  # the part of the total it covered (cash: before cash rounding)
    payment: Payment | None  # the sale's payment, None for the cash tender

    @property
    def is_cash(self) -> bool:
        return self.payment is None


def sale_tenders(cart: Cart, totals: Totals) -> tuple[SaleTender, ...]:
    """The tenders a sale was paid with: its non-cash payments in order, then its cash."""
    tenders = [SaleTender(p.type, p.amount, p) for p in cart.payments if not p.is_cash]
    if any(p.is_cash for p in cart.payments):
        non_cash = sum((t.paid for t in tenders), ZERO)
        tenders.append(SaleTender(PaymentType.CASH, totals.total - non_cash, None))
    return tuple(tenders)


@dataclass(frozen=True, slots=True)
class RefundRecord:
    """What one refund took back: enough to know, later, what is left to return."""

    before: tuple[Decimal, ...]  # per sale line, quantity returned before this refund
    after: tuple[Decimal, ...]  # per sale line, quantity returned once it is made
    taken: tuple[Decimal, ...]  # per sale tender, the part of it this refund gives back
    cash_exact: Decimal  # what of this refund goes back in cash, before rounding
    cash_handed: Decimal  # the cash actually handed back
    to_cash: bool


@dataclass(frozen=True, slots=True)
class Returned:
    """What was already returned of a sale: per line, per tender, and in cash."""

    quantities: tuple[Decimal, ...]
    taken: tuple[Decimal, ...]
    cash_exact: Decimal
    cash_handed: Decimal

    @classmethod
    def nothing(cls, cart: Cart, totals: Totals) -> Returned:
        zero = quantum(cart.currency) * 0
        tenders = sale_tenders(cart, totals)
        return cls(tuple(ZERO for _ in cart.items), tuple(zero for _ in tenders), zero, zero)

    @classmethod
    def of(cls, cart: Cart, totals: Totals, refunds: Sequence[RefundRecord]) -> Returned:
        """What `refunds` (the sale's earlier ones, in order) returned together."""
        returned = cls.nothing(cart, totals)
        for refund in refunds:
            returned = returned.plus(refund)
        return returned

    def plus(self, refund: RefundRecord) -> Returned:
        return Returned(
            refund.after,
            tuple(a + b for a, b in zip(self.taken, refund.taken, strict=True)),
            self.cash_exact + refund.cash_exact,
            self.cash_handed + refund.cash_handed,
        )

    @property
    def anything(self) -> bool:
        return any(self.quantities)

    def left(self, cart: Cart) -> tuple[Decimal, ...]:
        """Per line, the quantity that can still be returned."""
        return tuple(i.quantity - q for i, q in zip(cart.items, self.quantities, strict=True))


@dataclass(frozen=True, slots=True)
class Refund:
    """A refund ready to be recorded: its figures, the cart it prints as, and its record."""

    cart: Cart  # the lines returned (quantities returned) and the tenders given back
    totals: Totals
    record: RefundRecord


def whole_return(cart: Cart, returned: Returned) -> dict[int, Decimal]:
    """Everything not yet returned, line by line (`--all`)."""
    return {i: q for i, q in enumerate(returned.left(cart)) if q > 0}


def plan_refund(
    cart: Cart,
    totals: Totals,
    returned: Returned,
    returning: Mapping[int, Decimal],
    *,
    to_cash: bool,
) -> Refund:
    """The refund of `returning` (0-based line index -> quantity) of the sale `cart`, given
    what `returned` already went back. Raises RefundError, with every reason, when a line does
    not exist or more would be returned than was sold."""
    problems = _quantity_problems(cart, returned, returning)
    if problems:
        raise RefundError(problems)
    before = returned.quantities
    after = tuple(q + returning.get(i, ZERO) for i, q in enumerate(before))
    goods = refund_totals(totals, cart.policy.rounding_mode.value, before, after)
    last = all(a == item.quantity for a, item in zip(after, cart.items, strict=True))
    tenders = sale_tenders(cart, totals)
    q = quantum(cart.currency)
    taken = _split(goods.total, tenders, returned.taken, q, last=last)
    cash_exact = goods.total if to_cash else _cash_part(tenders, taken)
    handed_so_far = round_cash(
        returned.cash_exact + cash_exact, cart.currency, cart.policy.cash_rounding
    )
    record = RefundRecord(
        before, after, taken, cash_exact, handed_so_far - returned.cash_handed, to_cash
    )
    return refund_of_record(cart, totals, record)


def refund_of_record(cart: Cart, totals: Totals, record: RefundRecord) -> Refund:
    """The refund `record` describes, rebuilt from the sale (for a reprint or a report)."""
    goods = refund_totals(totals, cart.policy.rounding_mode.value, record.before, record.after)
    refund_cart = replace(
        cart,
        items=tuple(line.item for line in goods.lines),
        payments=_payments_back(record, sale_tenders(cart, totals)),
    )
    return Refund(
        refund_cart, with_refund_cash(goods, record.cash_exact, record.cash_handed), record
    )


def _quantity_problems(
    cart: Cart, returned: Returned, returning: Mapping[int, Decimal]
) -> list[str]:
    problems: list[str] = []
    left = returned.left(cart)
    if not returning:
        problems.append("nothing to return: choose at least one line")
    for index, quantity in sorted(returning.items()):
        name = f"line {index + 1}"
        if not 0 <= index < len(cart.items):
            problems.append(f"{name}: the sale has {len(cart.items)} line(s)")
            continue
        item = cart.items[index]
        sold_places = _places(item.quantity)
        if quantity <= 0:
            problems.append(f"{name}: the quantity returned must be more than 0")
        elif _places(quantity) > max(sold_places, 0 if item.unit is None else MAX_PLACES):
            what = "whole pieces" if item.unit is None else f"at most {MAX_PLACES} decimals"
            problems.append(f"{name}: {item.name} is returned in {what}")
        elif quantity > left[index]:
            problems.append(
                f"{name}: {item.name}: {quantity:f} asked, only {left[index]:f} left to return"
                f" (sold {item.quantity:f})"
            )
    return problems


def _places(quantity: Decimal) -> int:
    exponent = quantity.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _split(
    amount: Decimal,
    tenders: Sequence[SaleTender],
    taken_before: Sequence[Decimal],
    q: Decimal,
    *,
    last: bool,
) -> tuple[Decimal, ...]:
    """Share `amount` among the sale's tenders: none beyond what it has left; the non-cash
    ones in proportion to what they paid (rounded down), the cash tender the rest, any excess
    to the non-cash ones with room left. The last refund takes exactly what each has left."""
    room = [t.paid - b for t, b in zip(tenders, taken_before, strict=True)]
    if last or not tenders:
        return tuple(room)
    whole = sum((t.paid for t in tenders), ZERO)
    shares = [
        ZERO
        if t.is_cash or not whole
        else min((amount * t.paid / whole).quantize(q, ROUND_FLOOR), room[k])
        for k, t in enumerate(tenders)
    ]
    rest = amount - sum(shares, ZERO)
    for k, t in enumerate(tenders):
        if t.is_cash:
            give = min(rest, room[k])
            shares[k] += give
            rest -= give
    for k in range(len(tenders)):
        give = min(rest, room[k] - shares[k])
        if give > 0:
            shares[k] += give
            rest -= give
    if rest:
        raise ValueError(f"refund of {amount} exceeds what the sale's tenders have left")
    return tuple(shares)


def _cash_part(tenders: Sequence[SaleTender], taken: Sequence[Decimal]) -> Decimal:
    return sum((a for t, a in zip(tenders, taken, strict=True) if t.is_cash), ZERO)


def _payments_back(record: RefundRecord, tenders: Sequence[SaleTender]) -> tuple[Payment, ...]:
    """The tenders the refund is paid out in: the sale's non-cash ones it takes from (unless
    it all goes to cash), then the cash handed back."""
    out: list[Payment] = []
    if not record.to_cash:
        for tender, amount in zip(tenders, record.taken, strict=True):
            if tender.payment is not None and amount:
                out.append(replace(tender.payment, amount=amount))
    if record.cash_exact or record.cash_handed:
        out.append(Payment(PaymentType.CASH, record.cash_handed))
    return tuple(out)


def correction_receipt(
    original: Receipt,
    refund: Refund,
    *,
    kind: CorrectionKind,
    receipt_id: str,
    order_number: str,
    issued_at: datetime,
    store: StoreInfo,
    cashier: str = "",
    reason: str = "",
) -> Receipt:
    """The receipt of a refund (or, with every line, a void) of `original`."""
    return Receipt(
        receipt_id=receipt_id,
        order_number=order_number,
        issued_at=issued_at.astimezone(UTC),
        cart=refund.cart,
        totals=refund.totals,
        store=store,
        cashier=cashier,
        correction=Correction(kind, original.receipt_id, original.order_number, reason),
    )
