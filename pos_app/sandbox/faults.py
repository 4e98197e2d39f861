"""Fault injection: latency, 5xx and 429 answers, and the lost response after a commit.

The rates are random (seeded for reproducible demos); `fail_next` and `drop_next` give tests
exact control over the next requests without any randomness.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections import deque
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pos_app.sandbox import jsontext

Rate = float
RetryAfterFormat = Literal["seconds", "http-date"]
HttpStatus = Annotated[int, Field(ge=400, le=599)]
# The scope key under which a handler finds the connection's transport, to drop it.
TRANSPORT_KEY = "pos_app.sandbox.transport"


@dataclass(frozen=True)
class FaultSettings:
    latency_ms: float = 0.0
    error_rate: Rate = 0.0  # share of /v1 requests answered 503
    rate_limit_rate: Rate = 0.0  # share answered 429 with Retry-After
    retry_after_s: int = 1
    retry_after_format: RetryAfterFormat = "seconds"
    drop_after_commit_rate: Rate = 0.0  # share of receipt creates committed, then cut off


class FaultUpdate(BaseModel):
    """The body of POST /_sandbox/faults (and the keywords of SandboxServer.set_faults)."""

    # Strict: "30" is not a number and true is not 1; NaN and infinities are refused.
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        strict=True,
        allow_inf_nan=False,
    )

    latency_ms: float | None = Field(default=None, ge=0, le=60_000)
    error_rate: Rate | None = Field(default=None, ge=0, le=1)
    rate_limit_rate: Rate | None = Field(default=None, ge=0, le=1)
    retry_after_s: int | None = Field(default=None, ge=0, le=3600)
    retry_after_format: RetryAfterFormat | None = None
    drop_after_commit_rate: Rate | None = Field(default=None, ge=0, le=1)
    fail_next: list[HttpStatus] | None = None
    drop_next: int | None = Field(default=None, ge=0)
    seed: int | None = None


class DownRequest(BaseModel):
    """The body of POST /_sandbox/down: how long to stay down, or null/absent until SIGUSR1
    or set_down(False)."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)

    seconds: float | None = Field(default=None, gt=0, le=3600)


class Faults:
    def __init__(self, settings: FaultSettings, seed: int | None = None):
        self._lock = threading.Lock()
        self.settings = settings
        self._random = random.Random(seed)
        self._fail_next: deque[int] = deque()
        self._drop_next = 0

    def update(self, change: FaultUpdate) -> None:
        given = change.model_dump(exclude_none=True)
        with self._lock:
            if "seed" in given:
                self._random.seed(given.pop("seed"))
            if "fail_next" in given:
                self._fail_next = deque(given.pop("fail_next"))
            if "drop_next" in given:
                self._drop_next = given.pop("drop_next")
            self.settings = replace(self.settings, **given)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            state = {to_camel(k): v for k, v in asdict(self.settings).items()}
            return {**state, "failNext": list(self._fail_next), "dropNext": self._drop_next}

    def next_failure(self) -> int | None:
        """The status to answer instead of serving this request, if any."""
        with self._lock:
            if self._fail_next:
                return self._fail_next.popleft()
            roll = self._random.random()
            if roll < self.settings.error_rate:
                return 503
            if roll < self.settings.error_rate + self.settings.rate_limit_rate:
                return 429
            return None

    def take_drop(self) -> bool:
        """Whether to drop the connection of this (already committed) create."""
        with self._lock:
            if self._drop_next:
                self._drop_next -= 1
                return True
            return self._random.random() < self.settings.drop_after_commit_rate

    def retry_after(self) -> str:
        settings = self.settings
        if settings.retry_after_format == "http-date":
            return format_datetime(
                datetime.now(UTC) + timedelta(seconds=settings.retry_after_s), usegmt=True
            )
        return str(settings.retry_after_s)


class FaultInjector:
    """ASGI wrapper: delays and fails /v1 requests, and hands handlers their transport."""

    def __init__(self, app: ASGIApp, faults: Faults, counters: Any):
        self._app = app
        self._faults = faults
        self._counters = counters

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        scope[TRANSPORT_KEY] = _transport_of(send)
        if scope["path"].startswith("/v1/"):
            latency = self._faults.settings.latency_ms
            if latency:
                await asyncio.sleep(latency / 1000)
            status = self._faults.next_failure()
            if status is not None:
                self._counters[f"injected_{status}"] += 1
                await _drain(receive)
                await self._send_fault(send, status)
                return
        await self._app(scope, receive, send)

    async def _send_fault(self, send: Send, status: int) -> None:
        headers = [(b"content-type", b"application/json")]
        if status == 429:
            headers.append((b"retry-after", self._faults.retry_after().encode()))
        body = jsontext.dumps(
            {
                "statusCode": str(status),
                "errors": [
                    {
                        "code": _FAULT_CODES.get(status, "ERROR"),
                        "message": "Injected fault",
                        "parameter": None,
                    }
                ],
            }
        )
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


_FAULT_CODES = {
    429: "RATE_LIMIT_EXCEEDED",
    500: "INTERNAL_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
}


async def _drain(receive: Receive) -> None:
    message: Message = {"more_body": True}
    while message.get("more_body"):
        message = await receive()
        if message["type"] != "http.request":
            return


def _transport_of(send: Send) -> asyncio.BaseTransport | None:
    # uvicorn hands the app its RequestResponseCycle.send; the cycle owns the transport. This
    # is the only way ASGI offers to drop a connection without answering.
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    return transport if isinstance(transport, asyncio.BaseTransport) else None


async def drop_connection(scope: Scope) -> bool:
    """Cut the connection without an answer. False when the server gave no transport."""
    transport = scope.get(TRANSPORT_KEY)
    if transport is None:
        return False
    transport.abort()
    # Let the server see the connection as lost before the handler returns, so it does not
    # try to answer 500 on a closed socket.
    await asyncio.sleep(0)
    return True
