"""The single writer thread, used from asyncio: the loop keeps running while the disk works."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
import uuid
from decimal import Decimal

import pytest
from store_helpers import finish_sale, payload_for

from tests.adapters.store.store import Store


async def test_concurrent_sales_are_serialised_on_one_thread(store: Store) -> None:
    threads: set[int] = set()

    async def sale() -> str:
        receipt_id = str(uuid.uuid4())

        def payload(number: str) -> bytes:
            threads.add(threading.get_ident())
            return payload_for(receipt_id, number)

        return await store.sales.record_sale(
            "A1", receipt_id, store.db.now(), "{}", payload, currency="CAD", total=Decimal(1)
        )

    numbers = await asyncio.gather(*(sale() for _ in range(50)))
    assert sorted(numbers) == [f"A1-{n:06d}" for n in range(1, 51)]
    assert len(threads) == 1
    assert threads != {threading.get_ident()}


async def test_the_loop_is_not_blocked_by_database_work(store: Store) -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    def slow_payload(number: str) -> bytes:
        time.sleep(0.05)  # stands in for a slow disk: it holds the database thread
        return json.dumps({"orderNumber": number}).encode()

    task = asyncio.create_task(ticker())
    try:
        for _ in range(4):
            await store.sales.record_sale(
                "A1",
                str(uuid.uuid4()),
                store.db.now(),
                "{}",
                slow_payload,
                currency="CAD",
                total=Decimal(1),
            )
    finally:
        task.cancel()
    # 200 ms of database work: a blocked loop would not have ticked at all.
    assert ticks >= 10


async def test_the_connection_belongs_to_the_database_thread(store: Store) -> None:
    await finish_sale(store)
    conn = await store.db.run(lambda c: c)
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")


def test_run_sync_from_the_database_thread_is_refused(store: Store) -> None:
    with pytest.raises(RuntimeError, match="database thread"):
        store.db.run_sync(lambda _conn: store.db.run_sync(lambda c: 1))


async def test_a_closed_database_refuses_work(store: Store) -> None:
    await store.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await store.db.run(lambda c: 1)
    store.close()  # closing twice is harmless
