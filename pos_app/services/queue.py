"""The outbox as people see it: counts, receipts that need attention, and retrying them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pos_app.services.checkout import UnknownOrderError
from pos_app.services.ports.receipts_api import ReceiptEncoder
from pos_app.services.ports.sales import Outbox, OutboxRow, SalesStore
from pos_app.services.sale_record import receipt_from_row
from pos_app.services.sync import SyncWorker

NEEDS_ATTENTION = "needs_attention"
PAUSED = "paused"


@dataclass(frozen=True)
class QueueOverview:
    counts: dict[str, int]
    needs_attention: Sequence[OutboxRow]
    paused: Sequence[OutboxRow]


class QueueService:
    def __init__(
        self, outbox: Outbox, sales: SalesStore, encoder: ReceiptEncoder, sync: SyncWorker
    ):
        self._outbox = outbox
        self._sales = sales
        self._encoder = encoder
        self._sync = sync

    async def overview(self) -> QueueOverview:
        counts = {str(state): n for state, n in (await self._outbox.counts()).items()}
        return QueueOverview(
            counts=counts,
            needs_attention=await self._outbox.list_by_state(NEEDS_ATTENTION),
            paused=await self._outbox.list_by_state(PAUSED),
        )

    async def retry(self, order_number: str) -> None:
        """Send a receipt that needs attention (or is paused) again, with the same receiptId.
        Its body is rebuilt from the recorded sale, so a fix to the app or its data is what
        gets sent (the server never accepted the old body, so a new one cannot make a
        duplicate)."""
        row = await self._sales.get_by_order_number(order_number)
        if row is None:
            raise UnknownOrderError(order_number)
        if row.sync_state == PAUSED:
            # A pause is about the account, not this receipt: the whole queue goes again.
            await self._sync.resume()
            return
        payload = self._encoder.encode(receipt_from_row(row))
        if payload != row.payload:
            queued = await self._outbox.replace_payload(row.receipt_id, payload)
        else:
            queued = await self._outbox.retry(order_number)
        if not queued:
            raise ValueError(
                f"{order_number} is not waiting for attention (state: {row.sync_state})"
            )
        self._sync.nudge()
