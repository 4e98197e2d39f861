"""One small observer: the services publish, the UI's bridge re-emits as Qt signals.

Callbacks run synchronously in the publisher's thread (the asyncio loop's), so a subscriber
must be quick; the Qt bridge only emits a signal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar

T = TypeVar("T")


class Observable(Generic[T]):
    """Holds the latest value and tells every subscriber when it changes."""

    def __init__(self, initial: T):
        self._value = initial
        self._subscribers: list[Callable[[T], None]] = []

    @property
    def value(self) -> T:
        return self._value

    def subscribe(self, callback: Callable[[T], None]) -> Callable[[], None]:
        """Calls `callback` with every new value; returns the function that unsubscribes."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    def publish(self, value: T) -> None:
        if value == self._value:
            return
        self._value = value
        for callback in list(self._subscribers):
            callback(value)


class Connectivity(Enum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"
    PAUSED = "paused"  # the API refused our credentials or configuration: an owner must act


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar and the queue screen show."""

    connectivity: Connectivity = Connectivity.UNKNOWN
    sandbox: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    last_error: str | None = None
    draining: bool = False
    # Progress of the current drain: receipts settled so far, and how many were waiting.
    settled: int = 0
    backlog: int = 0
    # Who holds the sender lock while this process waits for it ("pid 1234"), else "".
    other_sender: str = ""
    # Paused receipts queued again by the last resume, until a round sends something.
    resumed: int = 0

    @property
    def pending(self) -> int:
        return self.counts.get("pending", 0) + self.counts.get("sending", 0)

    @property
    def needs_attention(self) -> int:
        return self.counts.get("needs_attention", 0)

    @property
    def paused(self) -> int:
        return self.counts.get("paused", 0)
