"""Invoiced's error answers, `{type, message, param}`, in the domain's words.

The message a person sees is Invoiced's own `message` (with the field it names), scrubbed of
the API key in either form it travels in, and cut to one line. A body that is not that JSON
(a proxy's HTML page, say) is never shown: the status says what happened.
"""

from __future__ import annotations

import base64
from http import HTTPStatus
from typing import Any

import httpx

from pos_app.adapters.http_failures import NEVER_SENT, parse_retry_after, safe_text
from pos_app.adapters.invoiced.wire import parse_json
from pos_app.domain.remote import (
    FieldError,
    RemoteAuthError,
    RemoteConfigError,
    RemoteConflict,
    RemoteError,
    RemoteNotFound,
    RemoteRateLimited,
    RemoteRejected,
    RemoteUnavailable,
)


def key_forms(api_key: str) -> tuple[str, ...]:
    """The key as typed and as it travels in the Basic header (base64 of "key:")."""
    if not api_key:
        return ()
    return (api_key, base64.b64encode(f"{api_key}:".encode()).decode())


def error_for_response(
    status: int, headers: httpx.Headers, body: bytes, *, is_create: bool, secrets: tuple[str, ...]
) -> RemoteError:
    kind, message, param = _read_body(body, secrets)
    text = message or f"HTTP {status} {_phrase(status)}"
    if param:
        text = f"{text} ({param})"
    text = f"Invoiced: {text}"
    if status == 429:
        return RemoteRateLimited(text, retry_after=parse_retry_after(headers.get("retry-after")))
    if status >= 500:
        return RemoteUnavailable(text, maybe_delivered=True, status=status)
    if status == 401:
        return RemoteAuthError(text, status=status, code=kind)
    if status in (402, 403) or (status == 404 and is_create):
        return RemoteConfigError(text, status=status, code=kind)
    if status == 404:
        return RemoteNotFound(text, status=status, code=kind)
    if status == 409:
        return RemoteConflict(text, status=status, code=kind)
    field_errors = (FieldError(message=message or text, field=param, code=kind),)
    return RemoteRejected(text, status=status, code=kind, field_errors=field_errors)


def _read_body(body: bytes, secrets: tuple[str, ...]) -> tuple[str | None, str | None, str | None]:
    try:
        data = parse_json(body)
    except ValueError:
        return None, None, None
    if not isinstance(data, dict):
        return None, None, None
    return (
        _text(data.get("type"), secrets),
        _text(data.get("message"), secrets),
        _text(data.get("param"), secrets),
    )


def _text(value: Any, secrets: tuple[str, ...]) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return safe_text(value, secrets)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"


def error_for_transport(exc: httpx.HTTPError, secrets: tuple[str, ...]) -> RemoteError:
    detail = safe_text(type(exc).__name__, secrets)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.TooManyRedirects):
        return RemoteConfigError(f"Invoiced: bad address ({detail})")
    if isinstance(exc, NEVER_SENT):
        return RemoteUnavailable(f"cannot reach Invoiced ({detail})", maybe_delivered=False)
    return RemoteUnavailable(f"no answer from Invoiced ({detail})", maybe_delivered=True)
