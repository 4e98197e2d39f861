"""Waking the sync worker when another process changed the outbox (a sale recorded by
`pos-app sale`, a receipt queued again by `pos-app queue retry`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

# How often to ask: a sale made elsewhere starts sending within this long.
WATCH_EVERY_S = 0.5


class ForeignChanges(Protocol):
    async def changed(self) -> bool:
        """Whether another process committed to the store since the previous call."""
        ...


async def wake_on_foreign_changes(
    changes: ForeignChanges, wake: Callable[[], None], every_s: float = WATCH_EVERY_S
) -> None:
    """Runs until cancelled: `wake()` after each commit another process makes."""
    await changes.changed()  # the baseline
    while True:
        await asyncio.sleep(every_s)
        if await changes.changed():
            wake()
