"""Benchmark: the cost of committing a sale (`record_sale`: number, sale, outbox row, audit
entry, one durable WAL commit with synchronous=FULL) with a 4 KB body, on the disk that holds
DIR (default: the system temp directory). For scale, the bare fsync of a 4 KB write on the
same disk, and the catalog's import and search.

A plain script (no pytest); it reports figures and never fails on time. Prints:

    fsync_4k_ms=<median>
    record_sale_in_thread_ms=<median>     the transaction alone, on the database thread
    record_sale_awaited_ms=<median>       what checkout awaits: thread hop included
    record_sale_awaited_p95_ms=<p95>
    catalog_import_10k_ms=<one run>
    catalog_search_ms=<median>

Aim: record_sale well under 2 ms here (../shared/qt-facts.md: fsync ~0.18 ms on this disk).
Run: .venv/bin/python bench/store_commit.py [sales] [DIR]
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pos_app.adapters.store import Product, SalesRepo
from tests.adapters.store.store import Store

CART = json.dumps({"currency": "CAD", "items": [{"name": "Café", "unitPrice": "2.49"}] * 20})


def payload(receipt_id: str, order_number: str) -> bytes:
    """About 4 KB, like a 30-line receipt request."""
    items = [{"description": {"fr-CA": f"Article {i}"}, "amount": 2.49} for i in range(40)]
    body = {"receiptId": receipt_id, "orderNumber": order_number, "items": items}
    return json.dumps(body).encode().ljust(4096)


def fsync_ms(directory: str, repeats: int) -> float:
    path = os.path.join(directory, "fsync.bin")
    times = []
    with open(path, "wb") as f:
        for _ in range(repeats):
            f.write(b"x" * 4096)
            f.flush()
            t0 = time.perf_counter()
            os.fsync(f.fileno())
            times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def in_thread_ms(store: Store, repeats: int) -> float:
    # The undecorated method (functools.wraps keeps it as __wrapped__) run directly on the
    # database thread: the transaction's own cost, without the hop from the event loop.
    record = SalesRepo.record_sale.__wrapped__  # type: ignore[attr-defined]

    def one(conn: object) -> float:
        receipt_id = str(uuid.uuid4())
        t0 = time.perf_counter()
        record(
            store.sales,
            conn,
            "B1",
            receipt_id,
            store.db.now(),
            CART,
            lambda n: payload(receipt_id, n),
            currency="CAD",
            total=Decimal("49.80"),
        )
        return time.perf_counter() - t0

    return statistics.median(store.db.run_sync(one) for _ in range(repeats)) * 1000


async def awaited_ms(store: Store, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        receipt_id = str(uuid.uuid4())
        t0 = time.perf_counter()
        await store.sales.record_sale(
            "A1",
            receipt_id,
            store.db.now(),
            CART,
            functools.partial(payload, receipt_id),
            currency="CAD",
            total=Decimal("49.80"),
        )
        times.append(time.perf_counter() - t0)
    return sorted(t * 1000 for t in times)


async def catalog_ms(store: Store) -> tuple[float, float]:
    rows = [
        Product(f"S{i:06d}", f"Produit {i} café", f"Product {i}", Decimal(i % 999) / 100)
        for i in range(10_000)
    ]
    t0 = time.perf_counter()
    await store.catalog.import_rows(rows)
    imported = time.perf_counter() - t0
    searches = []
    for i in range(200):
        t0 = time.perf_counter()
        await store.catalog.search(f"caf prod {i}")
        searches.append(time.perf_counter() - t0)
    return imported * 1000, statistics.median(searches) * 1000


def main(sales: int, directory: str | None) -> None:
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        print(f"fsync_4k_ms={fsync_ms(tmp, 200):.3f}")
        with Store.open(os.path.join(tmp, "bench.sqlite3")) as store:
            in_thread_ms(store, 20)  # warm-up: page cache, WAL file growth
            print(f"record_sale_in_thread_ms={in_thread_ms(store, sales):.3f}")
            awaited = asyncio.run(awaited_ms(store, sales))
            print(f"record_sale_awaited_ms={statistics.median(awaited):.3f}")
            print(f"record_sale_awaited_p95_ms={awaited[int(len(awaited) * 0.95)]:.3f}")
            imported, searched = asyncio.run(catalog_ms(store))
            print(f"catalog_import_10k_ms={imported:.0f}")
            print(f"catalog_search_ms={searched:.3f}")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 1000,
        sys.argv[2] if len(sys.argv) > 2 else None,
    )
