"""Sales history: today's sales, a past day, and searching by order number, dates or amount.

Days are the store's days (its timezone from the settings), not UTC ones: a sale rung at
21:00 in Montréal belongs to that evening, though it is already tomorrow in UTC.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pos_app.domain.money import to_decimal
from pos_app.services.ports.clock import Clock
from pos_app.services.ports.sales import SaleRow, SalesStore, SaleSummaryRow
from pos_app.services.settings import Settings

log = logging.getLogger("pos_app.history")

DAY_LIMIT = 1000


def _utc_now() -> datetime:
    return datetime.now(UTC)


class HistoryService:
    def __init__(
        self, sales: SalesStore, settings: Callable[[], Settings], clock: Clock = _utc_now
    ):
        self._sales = sales
        self._settings = settings
        self._clock = clock

    def timezone(self) -> tzinfo:
        name = self._settings().store.timezone
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            # A till without the tz database (Windows without the tzdata package) still shows
            # its history, by UTC days.
            log.warning("unknown timezone %r: history days are UTC days", name)
            return UTC

    def today(self) -> date:
        return self._clock().astimezone(self.timezone()).date()

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """The UTC instants where the store's `day` starts and the next one starts."""
        zone = self.timezone()
        start = datetime.combine(day, time(), tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    async def recent(self, limit: int = 50, offset: int = 0) -> list[SaleSummaryRow]:
        """Newest first, a page at a time."""
        return list(await self._sales.list_recent(limit, offset))

    async def sales_of_day(
        self, day: date | None = None, limit: int = DAY_LIMIT
    ) -> list[SaleSummaryRow]:
        """The sales of the store's `day` (today when None), newest first."""
        day = day or self.today()
        return await self.search(since=day, until=day, limit=limit)

    async def search(
        self,
        text: str | None = None,
        *,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        amount: Decimal | str | None = None,
        limit: int = 100,
    ) -> list[SaleSummaryRow]:
        """Sales matching every criterion given, newest first. `text` is part of an order
        number ("42" finds A1-000042) or the start of a receipt id. A `date` is a store day:
        `since` from its start, `until` to its end (both days included); a `datetime` is
        an instant (`since` included, `until` excluded; naive ones are store time).
        `amount` is the exact total, as a Decimal or a decimal string ("12.3" finds 12.30);
        a malformed one raises AmountError."""
        total = None if amount is None else to_decimal(amount)
        return list(
            await self._sales.search(
                text,
                since=None if since is None else self._instant(since, end=False),
                until=None if until is None else self._instant(until, end=True),
                amount=total,
                limit=limit,
            )
        )

    async def get(self, order_number: str) -> SaleRow | None:
        return await self._sales.get_by_order_number(order_number.strip())

    def _instant(self, value: date | datetime, *, end: bool) -> datetime:
        if isinstance(value, datetime):
            zone = value.tzinfo if value.tzinfo is not None else self.timezone()
            return value.replace(tzinfo=zone).astimezone(UTC)
        start, next_start = self.day_bounds(value)
        return next_start if end else start
