"""Sync throughput against a sandbox on loopback, next to what the sandbox can take.

Prints, one per line:
  finish_sale_ms=      median time of CheckoutService.finish_sale (durable commit each)
  drain_single_per_s=  receipts/s draining a 10,000 backlog, one POST per receipt
  drain_batch_per_s=   the same with POST /v1/receipts/batch
  drain_lossy_per_s=   single mode again, 10% of the answers lost after the server stored the
                       receipt, on a sandbox that keeps duplicates (no --dedupe): every lost
                       one is looked up before a resend. Then:
  lossy_dropped=       answers the sandbox cut off
  lossy_looked_up=     receipts the worker looked up on the server before sending again
  lossy_lookup_pages=  list pages it read for that
  lossy_resends_avoided= looked-up receipts found there, so not sent a second time
  lossy_copies=        receipts stored more than once (must be 0)
  raw_post_per_s=      a bare keep-alive loop of the same POSTs, as many as the backlog (the
                       sandbox's ceiling)
  naive_post_per_s=    one POST at a time, a new connection each (how naive clients sync),
                       over 1,000 of them
  single_vs_raw=       drain_single_per_s / raw_post_per_s (at least 0.80 wanted)

Run: .venv/bin/python bench/sync.py [--backlog N]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pos_app.services.sync import SyncOptions, SyncStats
from tests.services.till import paid_cart, runtime_for

TOKEN = "bench-token"


async def record(data_dir: Path, url: str, count: int) -> list[float]:
    """Record `count` sales; returns each finish_sale time in ms."""
    timings = []
    carts = [paid_cart(i) for i in range(count)]
    async with runtime_for(data_dir, url, TOKEN).open_services(connect=False) as s:
        for cart in carts:
            t0 = time.perf_counter()
            await s.checkout.finish_sale(cart, print_receipt=False)
            timings.append((time.perf_counter() - t0) * 1000)
    return timings


async def drain(
    data_dir: Path, url: str, batch_size: int, options: SyncOptions | None = None
) -> tuple[float, SyncStats]:
    """Receipts/s to drain the backlog (waiting out backoffs, if any), and the look-ups made."""
    async with runtime_for(data_dir, url, TOKEN).open_services() as s:
        base = options or SyncOptions()
        s.sync.configure(replace(base, batch_size=batch_size, chunk=max(50, batch_size)))
        await s.sync.start()
        backlog = s.sync.status.value.pending
        t0 = time.perf_counter()
        while True:
            await s.sync.drain()
            if not s.sync.status.value.pending:
                break
            await s.sync.wait_until_due()
        elapsed = time.perf_counter() - t0
        assert s.sync.status.value.counts["done"] == backlog
        return backlog / elapsed, s.sync.stats


def copies(db: Path, expected: int) -> int:
    """Receipts the sandbox stored more than once; checks it holds `expected` distinct ones."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT receipt_id) FROM receipts"
        ).fetchone()
    assert distinct == expected, (distinct, expected)
    return int(total - distinct)


def bodies(data_dir: Path) -> list[tuple[str, bytes]]:
    import sqlite3

    with sqlite3.connect(data_dir / "pos.db") as conn:
        return list(conn.execute("SELECT receipt_id, payload FROM sales"))


async def raw_loop(url: str, items: list[tuple[str, bytes]]) -> float:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=url, headers=headers) as client:
        t0 = time.perf_counter()
        for receipt_id, body in items:
            r = await client.post(
                "/v1/receipts", content=body, headers={"Idempotency-Key": receipt_id}
            )
            assert r.status_code == 201, r.status_code
        return len(items) / (time.perf_counter() - t0)


async def naive_loop(url: str, items: list[tuple[str, bytes]]) -> float:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    t0 = time.perf_counter()
    for receipt_id, body in items:
        async with httpx.AsyncClient(base_url=url, headers=headers) as client:
            r = await client.post(
                "/v1/receipts", content=body, headers={"Idempotency-Key": receipt_id}
            )
            assert r.status_code == 201, r.status_code
    return len(items) / (time.perf_counter() - t0)


class SandboxProcess:
    """`pos-app sandbox` in its own process, as a real API would be: its CPU is not the till's."""

    def __init__(self, db: Path, *faults: str):
        self.proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "pos_app", "sandbox", "--port", "0", "--db", str(db)),
                *("--token", TOKEN, *faults),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on "):
            raise RuntimeError(f"sandbox did not start: {line!r}")
        self.url = line.removeprefix("listening on ")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def fresh_sandbox(tmp: Path, name: str, *faults: str) -> SandboxProcess:
    return SandboxProcess(tmp / f"{name}.db", *faults)


NAIVE_SAMPLE = 1_000
# Lost answers are retried quickly: the figure is about the look-ups, not the backoff policy.
LOSSY = SyncOptions(backoff_base_s=0.05, backoff_cap_s=0.5)


async def main(backlog: int, loops: int) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        results: dict[str, float] = {}
        for mode, batch in (("single", 0), ("batch", 50)):
            server = fresh_sandbox(tmp, mode)
            try:
                timings = await record(tmp / mode, server.url, backlog)
                if mode == "single":
                    results["finish_sale_ms"] = statistics.median(timings)
                results[f"drain_{mode}_per_s"], _ = await drain(tmp / mode, server.url, batch)
            finally:
                server.stop()
        server = fresh_sandbox(tmp, "lossy", "--drop-after-commit-rate", "0.1", "--seed", "9")
        try:
            await record(tmp / "lossy", server.url, backlog)
            results["drain_lossy_per_s"], stats = await drain(tmp / "lossy", server.url, 0, LOSSY)
            dropped = httpx.get(
                f"{server.url}/_sandbox/stats", headers={"Authorization": f"Bearer {TOKEN}"}
            ).json()["dropped"]
        finally:
            server.stop()
        lossy = {
            "lossy_dropped": dropped,
            "lossy_looked_up": stats.looked_up,
            "lossy_lookup_pages": stats.lookup_pages,
            "lossy_resends_avoided": stats.resends_avoided,
            "lossy_copies": copies(tmp / "lossy.db", backlog),
        }
        items = bodies(tmp / "single")[:loops]
        # The raw loop posts as many receipts as the drain did, so both end on a sandbox of
        # the same size; the naive one is slow enough that a sample says it all.
        for name, loop, count in (
            ("raw_post_per_s", raw_loop, loops),
            ("naive_post_per_s", naive_loop, NAIVE_SAMPLE),
        ):
            server = fresh_sandbox(tmp, name)
            try:
                results[name] = await loop(server.url, items[:count])
            finally:
                server.stop()
    print(f"finish_sale_ms={results['finish_sale_ms']:.3f}")
    for key in ("drain_single_per_s", "drain_batch_per_s", "drain_lossy_per_s"):
        print(f"{key}={results[key]:.0f}")
    for key, count in lossy.items():
        print(f"{key}={count}")
    for key in ("raw_post_per_s", "naive_post_per_s"):
        print(f"{key}={results[key]:.0f}")
    print(f"single_vs_raw={results['drain_single_per_s'] / results['raw_post_per_s']:.2f}")


if __name__ == "__main__":
    # The lossy drain logs every lost answer as a warning; the figures are the output here.
    logging.getLogger("pos_app").addHandler(logging.NullHandler())
    parser = argparse.ArgumentParser()
    parser.add_argument("--backlog", type=int, default=10_000)
    parser.add_argument(
        "--loops", type=int, default=0, help="POSTs in the raw and naive loops (0: the backlog)"
    )
    args = parser.parse_args()
    asyncio.run(main(args.backlog, args.loops or args.backlog))
