"""Recording sales: numbering, atomicity, the frozen body, and what the history screen reads."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from store_helpers import FakeClock, finish_sale

from pos_app.adapters.store import SaleSummary, UnknownSaleError
from tests.adapters.store.store import Store


def _counts(store: Store) -> tuple[int, int, int, list[tuple[str, int]]]:
    def read(conn: sqlite3.Connection) -> tuple[int, int, int, list[tuple[str, int]]]:
        sales = conn.execute("SELECT count(*) FROM sales").fetchone()[0]
        outbox = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
        audit = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        counters = conn.execute("SELECT prefix, last_sequence FROM counters").fetchall()
        return sales, outbox, audit, counters

    return store.db.run_sync(read)


async def test_numbers_are_consecutive_per_register(store: Store) -> None:
    numbers = [(await finish_sale(store))[1] for _ in range(3)]
    other = (await finish_sale(store, prefix="B2"))[1]
    assert numbers == ["A1-000001", "A1-000002", "A1-000003"]
    assert other == "B2-000001"


async def test_sale_outbox_row_and_audit_entry_are_written_together(store: Store) -> None:
    receipt_id, number = await finish_sale(store, total="4.90")
    sale = await store.sales.get_by_receipt_id(receipt_id)
    assert sale is not None
    assert sale.order_number == number
    assert sale.total == Decimal("4.90")
    assert sale.sync_state == "pending"
    assert sale.created_at == store.db.now()
    [entry] = await store.audit.for_receipt(receipt_id)
    assert (entry.event, entry.detail["order_number"]) == ("sale_finished", number)
    assert await store.outbox.next_due_at() == store.db.now()


async def test_a_failing_payload_factory_leaves_nothing_behind(store: Store) -> None:
    await finish_sale(store)
    before = _counts(store)

    def broken(order_number: str) -> bytes:
        raise RuntimeError("serialiser blew up")

    with pytest.raises(RuntimeError, match="blew up"):
        await store.sales.record_sale(
            "A1",
            str(uuid.uuid4()),
            store.db.now(),
            "{}",
            broken,
            currency="CAD",
            total=Decimal("1.00"),
        )
    assert _counts(store) == before
    assert (await finish_sale(store))[1] == "A1-000002"


@pytest.mark.parametrize(
    ("prefix", "receipt_id", "cart_json", "payload", "error"),
    [
        ("A1", "not-a-uuid", "{}", b"{}", ValueError),
        ("A-1", None, "{}", b"{}", ValueError),
        ("", None, "{}", b"{}", ValueError),
        ("A1", None, "not json", b"{}", sqlite3.IntegrityError),
        ("A1", None, "{}", "a str, not bytes", TypeError),
    ],
)
async def test_bad_input_is_refused_without_using_a_number(
    store: Store,
    prefix: str,
    receipt_id: str | None,
    cart_json: str,
    payload: object,
    error: type[Exception],
) -> None:
    before = _counts(store)
    with pytest.raises(error):
        await store.sales.record_sale(
            prefix,
            receipt_id or str(uuid.uuid4()),
            store.db.now(),
            cart_json,
            lambda _number: payload,  # type: ignore[arg-type,return-value]
            currency="CAD",
            total=Decimal("1.00"),
        )
    assert _counts(store) == before


async def test_a_receipt_id_is_recorded_once(store: Store) -> None:
    receipt_id, _ = await finish_sale(store)
    with pytest.raises(sqlite3.IntegrityError):
        await store.sales.record_sale(
            "A1",
            receipt_id,
            store.db.now(),
            "{}",
            lambda number: b"{}",
            currency="CAD",
            total=Decimal("1.00"),
        )
    assert _counts(store)[3] == [("A1", 1)]


async def test_numbers_continue_across_close_and_reopen(db_path: Path, clock: FakeClock) -> None:
    numbers = []
    for _ in range(3):
        with Store.open(db_path, clock=clock) as store:
            numbers += [(await finish_sale(store))[1] for _ in range(2)]
    assert numbers == [f"A1-{n:06d}" for n in range(1, 7)]


async def test_the_payload_is_kept_byte_for_byte(store: Store) -> None:
    body = b'{"orderNumber": "A1-000001",  "amount": 12.30, "name": "Caf\xc3\xa9"}\n'
    receipt_id = str(uuid.uuid4())
    await store.sales.record_sale(
        "A1", receipt_id, store.db.now(), "{}", lambda n: body, currency="CAD", total=Decimal(1)
    )
    sale = await store.sales.get_by_order_number("A1-000001")
    assert sale is not None
    assert sale.payload == body
    [claimed] = await store.outbox.claim_due(store.db.now(), 5)
    assert claimed.payload == body


async def test_history_search(store: Store, clock: FakeClock) -> None:
    start = clock.now
    ids = {}
    for total in ("12.30", "100.00", "0.50", "12.30"):
        receipt_id, number = await finish_sale(store, total=total, created_at=clock.now)
        ids[number] = receipt_id
        clock.advance(3600)

    def numbers(found: list[SaleSummary]) -> list[str]:
        return [s.order_number for s in found]

    assert numbers(await store.sales.search("0002")) == ["A1-000002"]
    assert numbers(await store.sales.search(ids["A1-000003"][:8])) == ["A1-000003"]
    assert numbers(await store.sales.search("%")) == []
    assert numbers(await store.sales.search(amount=Decimal("12.3"))) == ["A1-000004", "A1-000001"]
    assert numbers(await store.sales.search(amount=Decimal("100"))) == ["A1-000002"]
    assert numbers(await store.sales.search(amount=Decimal("0.5"))) == ["A1-000003"]
    assert numbers(await store.sales.search(amount=Decimal("1"))) == []
    window = await store.sales.search(
        since=start + timedelta(hours=1), until=start + timedelta(hours=3)
    )
    assert numbers(window) == ["A1-000003", "A1-000002"]
    assert numbers(await store.sales.search("A1", amount=Decimal("12.30"), until=start)) == []

    assert numbers(await store.sales.list_recent(2)) == ["A1-000004", "A1-000003"]
    assert numbers(await store.sales.list_recent(2, offset=2)) == ["A1-000002", "A1-000001"]
    assert await store.sales.get_by_order_number("A1-999999") is None


async def test_mark_printed_keeps_the_first_print(store: Store, clock: FakeClock) -> None:
    receipt_id, _ = await finish_sale(store)
    first = clock.now
    await store.sales.mark_printed(receipt_id)
    clock.advance(60)
    await store.sales.mark_printed(receipt_id)
    sale = await store.sales.get_by_receipt_id(receipt_id)
    assert sale is not None
    assert sale.printed_at == first
    events = [e.event for e in await store.audit.for_receipt(receipt_id)]
    assert events == ["sale_finished", "printed", "printed"]
    with pytest.raises(UnknownSaleError):
        await store.sales.mark_printed(str(uuid.uuid4()))


async def test_cart_json_is_returned_as_stored(store: Store) -> None:
    receipt_id, _ = await finish_sale(store)
    sale = await store.sales.get_by_receipt_id(receipt_id)
    assert sale is not None
    assert json.loads(sale.cart_json) == {"currency": "CAD", "items": []}
