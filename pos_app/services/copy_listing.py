"""What customer and location listings share: answered from the till's copy when the
server's list could not be read, keeping why (no answer at all, or a 5xx)."""

from __future__ import annotations

from pos_app.domain.remote import RemoteUnavailable


class FromCopyWhenUnavailable:
    """Mixed into a listing dataclass that has a `failure` field."""

    failure: RemoteUnavailable | None

    @property
    def from_cache(self) -> bool:
        """The server's list could not be read: this is the till's copy."""
        return self.failure is not None

    @property
    def error(self) -> str | None:
        return None if self.failure is None else self.failure.message
