"""The vocabulary of talking to a remote API, shared by the API adapter (which raises these)
and the services (which decide what each one means for a sale or a screen).

Messages never carry credentials: the adapter scrubs them before raising.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The ids the till gives records the server does not have yet (a customer created offline):
# never sent as a server's id.
LOCAL_ID_PREFIX = "local-"


def is_local_id(record_id: str) -> bool:
    return record_id.startswith(LOCAL_ID_PREFIX)


@dataclass(frozen=True)
class FieldError:
    """One problem the server found with one field of a request."""

    message: str
    field: str | None = None
    code: str | None = None


class RemoteError(Exception):
    """Any failure to get an answer we can use from the remote API."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


class RemoteUnavailable(RemoteError):
    """No usable answer. `maybe_delivered` is True when the request may have reached the server
    (5xx, read timeout, connection reset after sending): a resend must carry the same key."""

    def __init__(self, message: str, *, maybe_delivered: bool, status: int | None = None):
        super().__init__(message, status=status)
        self.maybe_delivered = maybe_delivered


class RemoteRateLimited(RemoteError):
    """429: wait `retry_after` seconds (None when the server did not say) before trying again."""

    def __init__(self, message: str, *, retry_after: float | None):
        super().__init__(message, status=429)
        self.retry_after = retry_after


class RemoteRejected(RemoteError):
    """400/422: the server refused the content. Retrying the same body will not help."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str | None = None,
        field_errors: tuple[FieldError, ...] = (),
    ):
        super().__init__(message, status=status, code=code)
        self.field_errors = field_errors


class RemoteAuthError(RemoteError):
    """401 after the one token refresh: someone must sign in again."""


class RemoteConfigError(RemoteError):
    """402/403 (or 404 on a create): the account, scopes or route are wrong; an owner must act."""


class RemoteNotFound(RemoteError):
    """404 on a read, update or delete of one resource."""


class RemoteConflict(RemoteError):
    """409. `code == DUPLICATE_RECEIPT` means the server already holds that receipt."""


DUPLICATE_RECEIPT = "DUPLICATE_RECEIPT"


@dataclass(frozen=True)
class SubmittedReceipt:
    """What the server tells us about a receipt it holds."""

    receipt_id: str
    server_id: str | None = None
    url: str | None = None
    duplicate: bool = False
    extra: dict[str, object] = field(default_factory=dict, compare=False)
