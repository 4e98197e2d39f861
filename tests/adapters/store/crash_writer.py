"""The victim of the crash drill (test_store_crash_drill.py): records sales as fast as it can
and plays the sync worker on some of them, until it is killed. It prints each order number
once its sale is committed, so the test can check that every one it saw survived.

Usage: python crash_writer.py DB_PATH SEED
"""

from __future__ import annotations

import asyncio
import functools
import json
import random
import sys
import uuid
from datetime import timedelta
from decimal import Decimal

from tests.adapters.store.store import Store


def body(receipt_id: str, total: Decimal, order_number: str) -> bytes:
    return json.dumps(
        {"receiptId": receipt_id, "orderNumber": order_number, "total": str(total)}
    ).encode()


async def main(path: str, seed: int) -> None:
    rng = random.Random(seed)
    store = Store.open(path)
    await store.outbox.recover_sending()
    print("ready", flush=True)
    while True:
        receipt_id = str(uuid.uuid4())
        total = Decimal(rng.randrange(1, 100_000)) / 100
        number = await store.sales.record_sale(
            "A1",
            receipt_id,
            store.db.now(),
            json.dumps({"currency": "CAD", "total": str(total)}),
            functools.partial(body, receipt_id, total),
            currency="CAD",
            total=total,
        )
        print(number, flush=True)
        if rng.random() < 0.3:
            # Leave some rows in `sending` for the kill to catch, settle others.
            for claimed in await store.outbox.claim_due(store.db.now(), 3):
                if rng.random() < 0.5:
                    await store.outbox.mark_done(claimed.receipt_id, "srv", None)
                elif rng.random() < 0.5:
                    await store.outbox.mark_retry(
                        claimed.receipt_id, store.db.now() + timedelta(seconds=1), "503"
                    )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
