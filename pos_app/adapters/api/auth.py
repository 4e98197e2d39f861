"""Bearer tokens for the Smartbills API: a static token, or OAuth2 client credentials.

Neither the token nor the client secret is ever part of a repr, a message or a log line; the
providers hand the client their secrets only so it can scrub them from error text.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from pos_app.adapters.api.errors import error_for_response, error_for_transport
from pos_app.adapters.api.schemas import parse_json
from pos_app.domain.remote import RemoteAuthError, RemoteError, RemoteUnavailable

log = logging.getLogger("pos_app.api")

# The .NET SDK's authority (https://api.smartbills.io/auth) + connect/token.
DEFAULT_TOKEN_URL = "https://api.smartbills.io/auth/connect/token"
# Everything the till does (contract section 1); a narrower set can be configured.
DEFAULT_SCOPES: tuple[str, ...] = (
    "receipts.write",
    "receipts.read",
    "customers:create",
    "customers:read",
    "customers:update",
    "customers:delete",
    "locations:create",
    "locations:read",
    "locations:update",
    "locations:delete",
)
# A token is renewed this long before the server says it expires, so a request never carries
# one that dies on the way.
EXPIRY_MARGIN_S = 60.0


@dataclass(frozen=True)
class StaticTokenAuth:
    """A bearer token issued once (an API key used as a bearer token)."""

    token: str = field(repr=False)


@dataclass(frozen=True)
class ClientCredentialsAuth:
    """OAuth2 client credentials: the client id and secret go in HTTP Basic to `token_url`."""

    client_id: str
    client_secret: str = field(repr=False)
    token_url: str = DEFAULT_TOKEN_URL
    scopes: tuple[str, ...] = DEFAULT_SCOPES


AuthConfig = StaticTokenAuth | ClientCredentialsAuth


class TokenProvider(Protocol):
    # Whether a refused token can be renewed (OAuth2) or needs a person (a static token).
    can_refresh: bool
    # Called after each token the token endpoint issues (a static token is never issued).
    on_new_token: Callable[[], None] | None

    async def token(self) -> str:
        """A token believed valid now."""
        ...

    async def refresh(self, rejected: str) -> str:
        """A new token after the server refused `rejected`; raises RemoteAuthError if none."""
        ...

    def secrets(self) -> tuple[str, ...]:
        """Every secret this provider holds, for scrubbing."""
        ...


class StaticTokenProvider:
    can_refresh = False

    def __init__(self, auth: StaticTokenAuth):
        self._token = auth.token
        self.on_new_token: Callable[[], None] | None = None

    async def token(self) -> str:
        return self._token

    async def refresh(self, rejected: str) -> str:
        # Nothing to renew: a refused static token needs a person to enter a new one.
        raise RemoteAuthError("the API token was refused", status=401)

    def secrets(self) -> tuple[str, ...]:
        return (self._token,)

    def __repr__(self) -> str:
        return "StaticTokenProvider(token=[redacted])"


class ClientCredentialsProvider:
    """Fetches, caches and renews an access token; one fetch in flight at a time."""

    can_refresh = True

    def __init__(
        self,
        auth: ClientCredentialsAuth,
        http: httpx.AsyncClient,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._auth = auth
        self._http = http
        self._clock = clock
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._expires_at = 0.0
        self.fetch_count = 0  # how many tokens were fetched, for tests and diagnostics
        self.on_new_token: Callable[[], None] | None = None

    def __repr__(self) -> str:
        auth = self._auth
        return f"ClientCredentialsProvider(client_id={auth.client_id!r}, url={auth.token_url!r})"

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self._auth.client_secret, self._token) if s)

    def _current(self) -> str | None:
        return self._token if self._token and self._clock() < self._expires_at else None

    async def token(self) -> str:
        current = self._current()
        if current:
            return current
        async with self._lock:
            # Whoever held the lock before us may have fetched one already.
            return self._current() or await self._fetch()

    async def refresh(self, rejected: str) -> str:
        async with self._lock:
            current = self._current()
            if current and current != rejected:
                return current  # another request already renewed it while we waited
            self._token = None
            return await self._fetch()

    async def _fetch(self) -> str:
        response = await self._post_token_request()
        token, lifetime = self._read_token(response)
        self._token = token
        self._expires_at = self._clock() + lifetime
        self.fetch_count += 1
        log.info("access token obtained for %s (valid %.0f s)", self._auth.client_id, lifetime)
        if self.on_new_token is not None:
            self.on_new_token()
        return token

    async def _post_token_request(self) -> httpx.Response:
        form = {"grant_type": "client_credentials", "scope": " ".join(self._auth.scopes)}
        try:
            response = await self._http.post(
                self._auth.token_url,
                data=form,
                auth=(self._auth.client_id, self._auth.client_secret),
                headers={"Accept": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise _never_sent(error_for_transport(exc, self.secrets())) from None
        if response.status_code != 200:
            raise self._token_error(response)
        return response

    def _token_error(self, response: httpx.Response) -> RemoteError:
        error = error_for_response(
            response.status_code,
            response.headers,
            response.content,
            is_create=False,
            secrets=self.secrets(),
        )
        if response.status_code in (400, 401, 403):
            # invalid_client / invalid_scope: the credentials themselves are wrong.
            return RemoteAuthError(
                f"the token endpoint refused the credentials: {error.message}",
                status=response.status_code,
                code=error.code,
            )
        return _never_sent(error)

    def _read_token(self, response: httpx.Response) -> tuple[str, float]:
        try:
            data = parse_json(response.content)
            token = data["access_token"]
            expires_in = float(data.get("expires_in") or EXPIRY_MARGIN_S * 2)
        except (ValueError, KeyError, TypeError, AttributeError):
            raise RemoteAuthError("the token endpoint answered without a usable token") from None
        if not isinstance(token, str) or not token:
            raise RemoteAuthError("the token endpoint answered without a usable token")
        if str(data.get("token_type", "bearer")).lower() != "bearer":
            raise RemoteAuthError("the token endpoint issued a token that is not a bearer token")
        # Short-lived tokens would otherwise be renewed before every request.
        return token, max(expires_in - EXPIRY_MARGIN_S, expires_in / 2)


def _never_sent(error: RemoteError) -> RemoteError:
    """A failure to get a token means the API request itself was not sent: whatever the
    token endpoint did, the resend needs no caution."""
    if isinstance(error, RemoteUnavailable) and error.maybe_delivered:
        return RemoteUnavailable(
            f"token endpoint: {error.message}", maybe_delivered=False, status=error.status
        )
    return error


def make_token_provider(auth: AuthConfig, http: httpx.AsyncClient) -> TokenProvider:
    if isinstance(auth, StaticTokenAuth):
        return StaticTokenProvider(auth)
    return ClientCredentialsProvider(auth, http)
