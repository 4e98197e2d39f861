"""The audit log is append-only in the database itself, not only by convention."""

from __future__ import annotations

import sqlite3

import pytest
from store_helpers import finish_sale

from tests.adapters.store.store import Store


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET event = 'forged'",
        "DELETE FROM audit_log",
        "DELETE FROM sales",
    ],
)
async def test_history_cannot_be_rewritten(store: Store, statement: str) -> None:
    receipt_id, _ = await finish_sale(store)
    with pytest.raises(sqlite3.IntegrityError, match=r"append-only|never deleted"):
        await store.db.run(lambda conn: conn.execute(statement))
    assert [e.event for e in await store.audit.for_receipt(receipt_id)] == ["sale_finished"]


async def test_free_entries_and_recent(store: Store) -> None:
    await finish_sale(store)
    await store.audit.append("shift_closed", detail={"cash": "120.35"})
    latest, first = await store.audit.recent(2)
    assert (latest.event, latest.receipt_id, latest.detail) == (
        "shift_closed",
        None,
        {"cash": "120.35"},
    )
    assert first.event == "sale_finished"
    assert latest.id > first.id
