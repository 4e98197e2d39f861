"""The delivery queue's transitions, each with its audit entry, and crash recovery."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import FakeClock, finish_sale

from pos_app.adapters.store import OutboxState, OutboxStateError, UnknownSaleError
from pos_app.domain.remote import FieldError
from tests.adapters.store.store import Store


async def _events(store: Store, receipt_id: str) -> list[str]:
    return [entry.event for entry in await store.audit.for_receipt(receipt_id)]


async def test_claim_due_takes_oldest_first_up_to_the_limit(store: Store) -> None:
    sales = [await finish_sale(store) for _ in range(3)]
    first = await store.outbox.claim_due(store.db.now(), 2)
    assert [c.order_number for c in first] == ["A1-000001", "A1-000002"]
    assert [c.receipt_id for c in first] == [sales[0][0], sales[1][0]]
    assert all(c.attempts == 0 for c in first)
    second = await store.outbox.claim_due(store.db.now(), 2)
    assert [c.order_number for c in second] == ["A1-000003"]
    assert await store.outbox.claim_due(store.db.now(), 2) == []
    counts = await store.outbox.counts()
    assert counts[OutboxState.SENDING] == 3
    assert sum(counts.values()) == 3
    assert await _events(store, sales[0][0]) == ["sale_finished", "sending"]


async def test_mark_done_stores_the_server_reference(store: Store, clock: FakeClock) -> None:
    receipt_id, number = await finish_sale(store)
    await store.outbox.claim_due(clock.now, 10)
    clock.advance(2)
    await store.outbox.mark_done(receipt_id, "rcpt_123", "https://example.test/r/123")
    sale = await store.sales.get_by_order_number(number)
    assert sale is not None
    assert (sale.sync_state, sale.server_id, sale.server_url) == (
        "done",
        "rcpt_123",
        "https://example.test/r/123",
    )
    assert sale.synced_at == clock.now
    assert await store.outbox.next_due_at() is None
    assert await _events(store, receipt_id) == ["sale_finished", "sending", "sent"]


async def test_mark_retry_waits_until_due(store: Store, clock: FakeClock) -> None:
    receipt_id, _ = await finish_sale(store)
    await store.outbox.claim_due(clock.now, 10)
    due = clock.now + timedelta(seconds=30)
    await store.outbox.mark_retry(receipt_id, due, "503 Service Unavailable")

    assert await store.outbox.claim_due(clock.now, 10) == []
    assert await store.outbox.next_due_at() == due
    [entry] = await store.outbox.list_by_state(OutboxState.PENDING)
    assert (entry.attempts, entry.last_error) == (1, "503 Service Unavailable")

    [claimed] = await store.outbox.claim_due(due, 10)
    assert claimed.attempts == 1
    # A 429 is not a failed attempt: the count, which drives the backoff, stays.
    await store.outbox.mark_retry(receipt_id, due, "429", count_attempt=False)
    [entry] = await store.outbox.list_by_state(OutboxState.PENDING)
    assert entry.attempts == 1
    assert await _events(store, receipt_id) == [
        "sale_finished",
        "sending",
        "failed",
        "sending",
        "failed",
    ]


async def test_needs_attention_then_retry(store: Store) -> None:
    receipt_id, number = await finish_sale(store)
    await store.outbox.claim_due(store.db.now(), 10)
    errors = (FieldError("must be > 0", field="items[0].quantity", code="RANGE"),)
    await store.outbox.mark_needs_attention(receipt_id, "Invalid receipt", errors)

    [entry] = await store.outbox.list_by_state(OutboxState.NEEDS_ATTENTION)
    assert (entry.order_number, entry.last_error, entry.field_errors) == (
        number,
        "Invalid receipt",
        errors,
    )
    assert await store.outbox.claim_due(store.db.now(), 10) == []
    assert await store.outbox.retry("A1-999999") is False

    assert await store.outbox.retry(number) is True
    assert await store.outbox.retry(number) is False  # already queued
    [claimed] = await store.outbox.claim_due(store.db.now(), 10)
    assert claimed.attempts == 0  # the backoff starts over after someone acted
    assert (await _events(store, receipt_id))[-3:] == ["needs_attention", "retried", "sending"]


async def test_replace_payload_only_for_a_refused_receipt(store: Store) -> None:
    receipt_id, number = await finish_sale(store)
    # Pending: it may reach the server at any moment, so its body is frozen.
    assert await store.outbox.replace_payload(receipt_id, b'{"fixed":true}') is False
    await store.outbox.claim_due(store.db.now(), 10)
    assert await store.outbox.replace_payload(receipt_id, b'{"fixed":true}') is False
    await store.outbox.mark_needs_attention(receipt_id, "Invalid receipt")

    assert await store.outbox.replace_payload(receipt_id, b'{"fixed":true}') is True
    [claimed] = await store.outbox.claim_due(store.db.now(), 10)
    assert (claimed.receipt_id, claimed.order_number, claimed.payload) == (
        receipt_id,
        number,
        b'{"fixed":true}',
    )
    edited = [e for e in await store.audit.for_receipt(receipt_id) if e.event == "edited"]
    assert len(edited) == 1
    assert edited[0].detail["old_sha256"] != edited[0].detail["new_sha256"]
    with pytest.raises(UnknownSaleError):
        await store.outbox.replace_payload(str(uuid.uuid4()), b"{}")


async def test_pause_and_resume(store: Store) -> None:
    receipt_id, _ = await finish_sale(store)
    await finish_sale(store)
    [claimed] = await store.outbox.claim_due(store.db.now(), 1)
    await store.outbox.mark_paused(claimed.receipt_id, "Sign in again")
    counts = await store.outbox.counts()
    assert (counts[OutboxState.PAUSED], counts[OutboxState.PENDING]) == (1, 1)

    assert await store.outbox.resume_paused() == 1
    assert (await store.outbox.counts())[OutboxState.PENDING] == 2
    [entry, _] = await store.outbox.list_by_state(OutboxState.PENDING)
    assert (entry.receipt_id, entry.attempts) == (receipt_id, 0)
    assert (await _events(store, receipt_id))[-2:] == ["paused", "resumed"]


async def test_a_transition_from_the_wrong_state_changes_nothing(store: Store) -> None:
    receipt_id, _ = await finish_sale(store)
    with pytest.raises(OutboxStateError) as raised:
        await store.outbox.mark_done(receipt_id, "x", None)
    assert (raised.value.expected, raised.value.actual) == ("sending", "pending")
    await store.outbox.claim_due(store.db.now(), 10)
    await store.outbox.mark_done(receipt_id, "x", None)
    with pytest.raises(OutboxStateError):  # a result reported twice
        await store.outbox.mark_done(receipt_id, "x", None)
    with pytest.raises(UnknownSaleError):
        await store.outbox.mark_retry(str(uuid.uuid4()), store.db.now(), "boom")
    assert await _events(store, receipt_id) == ["sale_finished", "sending", "sent"]


async def test_long_errors_are_cut(store: Store) -> None:
    receipt_id, _ = await finish_sale(store)
    await store.outbox.claim_due(store.db.now(), 10)
    await store.outbox.mark_retry(receipt_id, store.db.now(), "x" * 10_000)
    [entry] = await store.outbox.list_by_state(OutboxState.PENDING)
    assert entry.last_error == "x" * 500


async def test_recover_sending_after_a_crash(db_path: Path, clock: FakeClock) -> None:
    with Store.open(db_path, clock=clock) as store:
        receipt_id, number = await finish_sale(store)
        await finish_sale(store)
        await store.outbox.claim_due(clock.now, 1)
        sent = await store.sales.get_by_receipt_id(receipt_id)
        assert sent is not None
        # The app stops here: the request may or may not have reached the server.

    clock.advance(600)
    with Store.open(db_path, clock=clock) as store:
        assert (await store.outbox.counts())[OutboxState.SENDING] == 1
        assert await store.outbox.recover_sending() == 1
        assert await store.outbox.recover_sending() == 0
        claimed = {c.receipt_id: c for c in await store.outbox.claim_due(clock.now, 10)}
        # Same receipt id and the very same bytes: the server's duplicate answer settles it.
        assert (claimed[receipt_id].order_number, claimed[receipt_id].payload) == (
            number,
            sent.payload,
        )
        assert (await _events(store, receipt_id))[-3:] == ["sending", "recovered", "sending"]


async def test_receipts_sent_before_come_first_with_their_first_send(
    store: Store, clock: FakeClock
) -> None:
    """A receipt being sent again is claimed before the rest of a backlog once due, and says
    when it was first handed to a sender (the sync worker's look-up reads back to then)."""
    sales = [await finish_sale(store) for _ in range(4)]
    first_send = clock.now
    [retried, in_flight] = await store.outbox.claim_due(clock.now, 2)
    assert (retried.first_sent_at, retried.maybe_delivered) == (None, False)
    clock.advance(5)
    await store.outbox.mark_retry(retried.receipt_id, clock.now, "503")
    await store.outbox.recover_sending()  # `in_flight` was left in `sending` by a stop

    claimed = await store.outbox.claim_due(clock.now, 3)

    assert [c.receipt_id for c in claimed] == [sales[0][0], sales[1][0], sales[2][0]]
    assert [c.first_sent_at for c in claimed] == [first_send, first_send, None]
    assert [c.maybe_delivered for c in claimed] == [True, True, False]
    assert in_flight.receipt_id == sales[1][0]  # it kept its place before the third sale
