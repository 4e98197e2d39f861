"""The port of the audit trail: what happened to a sale or at the till, appended in order."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Protocol


class AuditTrail(Protocol):
    def append(
        self,
        event: str,
        receipt_id: str | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> Awaitable[None]: ...
