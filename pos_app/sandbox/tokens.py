"""Who may call the sandbox: static bearer tokens (every scope, and the admin routes) and
OAuth2 client credentials (the scopes asked for, among those the client is allowed; never the
admin routes). Without a client secret there is no OAuth2 client at all.

Issued tokens are shaped like JWTs (three base64url parts starting with "eyJ") so the client's
scrubbing is exercised by the tokens it really handles; they are random, not signed.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

ALL_SCOPES: frozenset[str] = frozenset(
    {
        "receipts.write",
        "receipts.read",
        *(
            f"{kind}:{verb}"
            for kind in ("customers", "locations")
            for verb in ("create", "read", "update", "delete")
        ),
    }
)


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    scopes: frozenset[str]
    expires_in: int


class InvalidClient(Exception):
    """Wrong client id or secret."""


class InvalidScope(Exception):
    """No scope asked for, or none of those asked for may be granted."""


class TokenRegistry:
    def __init__(
        self,
        *,
        static_tokens: Iterable[str],
        client_id: str,
        client_secret: str | None,
        allowed_scopes: Iterable[str] = ALL_SCOPES,
        lifetime_s: int = 3600,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._static = {token for token in static_tokens if token}
        self._client_id = client_id
        self._client_secret = client_secret
        self._allowed = frozenset(allowed_scopes)
        self.lifetime_s = lifetime_s
        self._clock = clock
        self._lock = threading.Lock()
        self._issued: dict[str, tuple[frozenset[str], float]] = {}
        self.issued_count = 0

    def issue(self, client_id: str, client_secret: str, requested: Iterable[str]) -> IssuedToken:
        """A new token with the scopes asked for, limited to those this client may have."""
        if self._client_secret is None or not (
            secrets.compare_digest(client_id.encode(), self._client_id.encode())
            and secrets.compare_digest(client_secret.encode(), self._client_secret.encode())
        ):
            raise InvalidClient
        granted = frozenset(requested) & self._allowed
        if not granted:
            raise InvalidScope
        token = _jwt_shaped()
        with self._lock:
            self._issued[token] = (granted, self._clock() + self.lifetime_s)
            self.issued_count += 1
        return IssuedToken(token, granted, self.lifetime_s)

    def scopes_for(self, token: str) -> frozenset[str] | None:
        """The scopes of a valid token; None for an unknown, expired or revoked one."""
        if token in self._static:
            return ALL_SCOPES
        with self._lock:
            entry = self._issued.get(token)
        if entry is None or self._clock() >= entry[1]:
            return None
        return entry[0]

    def is_static(self, token: str | None) -> bool:
        """Whether this is one of the sandbox's own tokens, the only ones the admin routes take."""
        return token is not None and any(
            secrets.compare_digest(token.encode(), static.encode()) for static in self._static
        )

    def revoke_issued(self) -> int:
        """Forget every issued token (as if they had all expired); static tokens stay valid."""
        with self._lock:
            count = len(self._issued)
            self._issued.clear()
        return count


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _jwt_shaped() -> str:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = _b64(json.dumps({"jti": secrets.token_hex(8), "iss": "pos-app-sandbox"}).encode())
    return f"{header}.{payload}.{_b64(secrets.token_bytes(32))}"


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """Client id and secret from an HTTP Basic header, taken as sent (httpx does not
    form-urlencode them, so neither side does)."""
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, client_secret = decoded.partition(":")
    return (client_id, client_secret) if sep else None


def bearer_token(header: str | None) -> str | None:
    if not header or not header.lower().startswith("bearer "):
        return None
    return header[7:].strip() or None
