"""HistoryService over real recorded sales: store days in the store's timezone, and search by
order number, dates and amount."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from pos_app.adapters.store.database import Database
from pos_app.adapters.store.sales_repo import SalesRepo
from pos_app.domain.money import AmountError
from pos_app.services.history import HistoryService
from pos_app.services.settings import DEMO_STORE, Settings

NOW = datetime(2025, 1, 21, 20, 0, tzinfo=UTC)  # 15:00 in Montréal
# (UTC instant, total): Montréal is UTC-5 in January.
SALES = [
    (datetime(2025, 1, 20, 14, 0, tzinfo=UTC), "4.50"),  # A1-000001, Jan 20 09:00
    (datetime(2025, 1, 21, 3, 30, tzinfo=UTC), "12.30"),  # A1-000002, Jan 20 22:30
    (datetime(2025, 1, 21, 15, 0, tzinfo=UTC), "7.25"),  # A1-000003, Jan 21 10:00
    (datetime(2025, 1, 22, 4, 59, tzinfo=UTC), "12.30"),  # A1-000004, Jan 21 23:59
    (datetime(2025, 1, 22, 5, 0, tzinfo=UTC), "100"),  # A1-000005, Jan 22 00:00
]


@pytest.fixture
async def history(tmp_path: Path) -> AsyncIterator[HistoryService]:
    db = Database.open(tmp_path / "pos.db")
    sales = SalesRepo(db)
    try:
        for created_at, total in SALES:
            await sales.record_sale(
                "A1",
                str(uuid.uuid4()),
                created_at,
                "{}",
                lambda number: number.encode(),
                currency="CAD",
                total=Decimal(total),
            )
        yield HistoryService(sales, settings=Settings, clock=lambda: NOW)
    finally:
        await db.aclose()


def numbers(rows: list) -> list[str]:  # type: ignore[type-arg]
    return [row.order_number for row in rows]


async def test_days_are_store_days(history: HistoryService) -> None:
    assert DEMO_STORE.timezone == "America/Toronto"
    assert history.today() == date(2025, 1, 21)
    assert numbers(await history.sales_of_day()) == ["A1-000004", "A1-000003"]
    assert numbers(await history.sales_of_day(date(2025, 1, 20))) == ["A1-000002", "A1-000001"]
    assert numbers(await history.sales_of_day(date(2025, 1, 22))) == ["A1-000005"]


async def test_search(history: HistoryService) -> None:
    assert numbers(await history.recent(limit=2)) == ["A1-000005", "A1-000004"]
    assert numbers(await history.search("000003")) == ["A1-000003"]
    assert numbers(await history.search(amount="12.3")) == ["A1-000004", "A1-000002"]
    assert numbers(await history.search(amount=Decimal("100.00"))) == ["A1-000005"]
    assert numbers(await history.search(since=date(2025, 1, 21), until=date(2025, 1, 22))) == [
        "A1-000005",
        "A1-000004",
        "A1-000003",
    ]
    # A naive datetime is store time; `until` excludes its instant.
    assert numbers(
        await history.search(since=datetime(2025, 1, 20, 22, 30), until=datetime(2025, 1, 21, 10))
    ) == ["A1-000002"]
    assert numbers(await history.search("A1", amount="12.30", since=date(2025, 1, 21))) == [
        "A1-000004"
    ]
    with pytest.raises(AmountError):
        await history.search(amount="12,30")


async def test_get(history: HistoryService) -> None:
    sale = await history.get(" A1-000003 ")
    assert sale is not None and sale.total == Decimal("7.25")
    assert await history.get("A1-999999") is None
