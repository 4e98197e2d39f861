"""How far the sync worker's look-up before a resend reads, against an in-memory server (the
API port) and the real SQLite outbox: found on a later page, stopped by the first send's time,
stopped by the page cap. The drills hold the whole thing against the real sandbox."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.domain.remote import RemoteError, RemoteUnavailable, SubmittedReceipt
from pos_app.services.sync import SyncOptions, SyncWorker
from tests.adapters.store.store import Store
from tests.adapters.store.store_helpers import FakeClock, finish_sale

START = datetime(2025, 1, 21, 18, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Listed:
    receipt_id: str | None
    server_id: str | None
    url: str | None
    created_at: datetime | None


@dataclass(frozen=True)
class Page:
    receipts: list[Listed]
    is_last: bool


@dataclass
class Server:
    """Receipts newest first; POSTs recorded."""

    receipts: list[Listed] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)
    pages_read: int = 0

    def add(self, receipt_id: str, at: datetime) -> None:
        n = len(self.receipts) + 1
        self.receipts.insert(0, Listed(receipt_id, str(n), f"https://sb.test/r/{n}", at))

    async def create_receipt(self, receipt_id: str, body: bytes) -> SubmittedReceipt:
        self.posts.append(receipt_id)
        return SubmittedReceipt(receipt_id, "new", "https://sb.test/r/new")

    async def create_receipts_batch(
        self, items: Sequence[tuple[str, bytes]]
    ) -> list[SubmittedReceipt | RemoteError]:
        raise AssertionError("single mode only")

    async def recent_receipts(self, *, page: int, page_size: int = 100) -> Page:
        self.pages_read += 1
        start = (page - 1) * page_size
        chunk = self.receipts[start : start + page_size]
        return Page(chunk, start + page_size >= len(self.receipts))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock):
    opened = Store.open(tmp_path / "pos.db", clock=clock)
    yield opened
    opened.close()


async def sent_once_and_lost(store: Store, clock: FakeClock) -> str:
    """A sale whose first send at START failed ambiguously; due again at once."""
    receipt_id, _ = await finish_sale(store)
    await store.outbox.claim_due(clock.now, 10)
    await store.outbox.mark_retry(receipt_id, clock.now, "no answer from the server")
    return receipt_id


def unrelated(server: Server, count: int, at: datetime) -> None:
    for _ in range(count):
        server.add(str(uuid.uuid4()), at)


def worker(store: Store, server: Server, clock: FakeClock) -> SyncWorker:
    return SyncWorker(store.outbox, server, options=SyncOptions(lookup_max_pages=5), clock=clock)


async def test_found_on_a_later_page_is_done_without_a_post(store, clock):
    server = Server()
    receipt_id = await sent_once_and_lost(store, clock)
    server.add(receipt_id, START)
    unrelated(server, 250, START + timedelta(seconds=1))
    sync = worker(store, server, clock)

    report = await sync.drain()

    assert (report.sent, report.looked_up, report.resends_avoided) == (1, 1, 1)
    assert server.posts == [] and server.pages_read == 3
    sale = await store.sales.get_by_receipt_id(receipt_id)
    assert sale is not None and sale.server_id == "1"  # the server's copy, recorded


async def test_the_reading_stops_before_the_first_send(store, clock):
    server = Server()
    unrelated(server, 250, START - timedelta(hours=1))  # all older than the first send
    receipt_id = await sent_once_and_lost(store, clock)
    sync = worker(store, server, clock)

    await sync.drain()

    assert server.pages_read == 1  # its oldest is before first send less the margin
    assert server.posts == [receipt_id]
    assert sync.stats.inconclusive == 0


async def test_past_the_page_cap_it_is_sent_again_and_counted(store, clock):
    server = Server()
    receipt_id = await sent_once_and_lost(store, clock)
    unrelated(server, 700, START + timedelta(seconds=1))
    sync = worker(store, server, clock)

    await sync.drain()

    assert server.pages_read == 5
    assert server.posts == [receipt_id]  # never lost: sent again
    assert (sync.stats.looked_up, sync.stats.inconclusive) == (1, 1)


async def test_a_fresh_sale_is_sent_without_a_look_up(store, clock):
    server = Server()
    receipt_id, _ = await finish_sale(store)
    await worker(store, server, clock).drain()
    assert server.posts == [receipt_id] and server.pages_read == 0


async def test_a_look_up_that_fails_sends_nothing_and_backs_off(store, clock):
    server = Server()
    receipt_id = await sent_once_and_lost(store, clock)

    async def down(*, page: int, page_size: int = 100) -> Page:
        raise RemoteUnavailable("503 Service Unavailable", maybe_delivered=True, status=503)

    server.recent_receipts = down  # type: ignore[method-assign]
    sync = worker(store, server, clock)

    report = await sync.drain()

    assert server.posts == [] and report.sent == 0
    [row] = await store.outbox.list_by_state("pending")
    assert row.receipt_id == receipt_id and row.attempts == 2
