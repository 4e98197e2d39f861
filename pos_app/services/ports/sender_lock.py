"""The port of the outbox's sender lock (adapters/store/sender_lock.py implements it).

Only the process holding it may claim rows: two senders on one data folder would each take
the other's in-flight rows back and post them again."""

from __future__ import annotations

from typing import Protocol


class SenderLock(Protocol):
    @property
    def held(self) -> bool: ...

    def try_acquire(self) -> bool:
        """Takes the lock if free (never waits); True if this process now holds it."""
        ...

    def holder(self) -> str:
        """Who holds it, for a message (`pid 1234`), or ''."""
        ...

    def release(self) -> None: ...
