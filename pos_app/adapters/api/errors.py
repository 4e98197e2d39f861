"""What went wrong on the wire, in the domain's words (pos_app.domain.remote).

Every error envelope the API family is known to use is read here (contract section 3); the
first useful message is kept, scrubbed of anything that looks like a credential and cut to one
short line. A raw body never reaches a message or a log line: a proxy's HTML error page may
echo our request headers, bearer token included.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import Any

import httpx

from pos_app.adapters.api.schemas import parse_json
from pos_app.adapters.http_failures import (
    NEVER_SENT,
    one_line,
    parse_retry_after,
    safe_text,
    scrub,
)
from pos_app.domain.remote import (
    DUPLICATE_RECEIPT,
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

# A field name or an error code is short; a long one is not one, whatever it holds.
MAX_NAME_LENGTH = 100


def safe_name(text: str | None, secrets: Iterable[str] = ()) -> str | None:
    """A field name, parameter or code the server sent, scrubbed like its messages: it
    reaches the outbox, the audit log and `queue --json` just the same."""
    return one_line(scrub(text, secrets), MAX_NAME_LENGTH) if text else None


# --------------------------------------------------------------------------------------------
# Envelopes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorBody:
    """What an error body said, already scrubbed."""

    message: str | None = None
    code: str | None = None
    field_errors: tuple[FieldError, ...] = ()
    existing_id: str | None = None


def parse_error_body(body: bytes, content_type: str = "", secrets: Iterable[str] = ()) -> ErrorBody:
    """Read any known error envelope; unknown bodies give an empty ErrorBody, never the text."""
    secrets = tuple(secrets)
    if "html" in content_type.lower() or body.lstrip()[:1] == b"<":
        return ErrorBody(message=_html_message(body, secrets))
    try:
        data = parse_json(body)
    except ValueError:
        return ErrorBody()
    return parse_error_data(data, secrets)


def parse_error_data(data: object, secrets: Iterable[str] = ()) -> ErrorBody:
    """Read an error envelope already decoded from JSON (a batch result item, say)."""
    return _json_error(data, tuple(secrets)) if isinstance(data, dict) else ErrorBody()


def _json_error(data: dict[str, Any], secrets: tuple[str, ...]) -> ErrorBody:
    nested = data.get("error")
    if isinstance(nested, dict):
        # {"error": {"code", "message", "details", "requestId"}}
        fields = _field_errors(nested.get("details"), secrets)
        message = _first_text(nested, ("message", "detail", "title"))
        code = safe_name(_text(nested.get("code")), secrets)
    else:
        # .NET {"statusCode", "errors"}, RFC 7807 {"title", "detail", "errors"}, OAuth
        # {"error", "error_description"}, Invoiced {"type", "message", "param"}.
        fields = _field_errors(data.get("errors"), secrets)
        message = _first_text(data, ("detail", "message", "error_description", "title"))
        code = safe_name(
            _text(nested) or _text(data.get("code")) or _first_code(data.get("errors")), secrets
        )
        if not fields and isinstance(data.get("param"), str) and message:
            fields = (
                FieldError(
                    message=safe_text(message, secrets), field=safe_name(data["param"], secrets)
                ),
            )
    if message is None and fields:
        first = fields[0]
        message = f"{first.field}: {first.message}" if first.field else first.message
    return ErrorBody(
        message=safe_text(message, secrets) if message else None,
        code=code,
        field_errors=fields,
        existing_id=_text(data.get("existingId")),
    )


def _field_errors(errors: object, secrets: tuple[str, ...]) -> tuple[FieldError, ...]:
    if isinstance(errors, list):
        return tuple(e for e in (_list_item_error(item, secrets) for item in errors) if e)
    if isinstance(errors, dict):
        # RFC 7807 / ASP.NET validation: {"field": ["message", ...]}
        return tuple(
            FieldError(
                message=safe_text(str(message), secrets), field=safe_name(str(name), secrets)
            )
            for name, messages in errors.items()
            for message in (messages if isinstance(messages, list) else [messages])
        )
    return ()


def _list_item_error(item: object, secrets: tuple[str, ...]) -> FieldError | None:
    if isinstance(item, str):
        return FieldError(message=safe_text(item, secrets))
    if not isinstance(item, dict):
        return None
    message = _first_text(item, ("message", "detail", "title", "msg"))
    if message is None:
        return None
    field = _first_text(item, ("parameter", "field", "param", "name", "pointer"))
    return FieldError(
        message=safe_text(message, secrets),
        field=safe_name(field, secrets),
        code=safe_name(_text(item.get("code")), secrets),
    )


def _first_code(errors: object) -> str | None:
    if isinstance(errors, list):
        for item in errors:
            if isinstance(item, dict) and _text(item.get("code")):
                return _text(item.get("code"))
    return None


def _first_text(data: Mapping[str, Any], keys: Iterable[str]) -> str | None:
    for key in keys:
        text = _text(data.get(key))
        if text:
            return text
    return None


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"<(script|style)[^>]*>.*?</\1>", re.IGNORECASE | re.DOTALL)


def _html_message(body: bytes, secrets: tuple[str, ...]) -> str | None:
    """The page's title, or its first words: enough to tell a proxy page from our API."""
    match = _TITLE.search(body)
    raw = match.group(1) if match else body
    text = html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", raw.decode("utf-8", "replace"))))
    text = safe_text(text, secrets)
    return one_line(text, 80) or None


# --------------------------------------------------------------------------------------------
# Status and transport mapping
# --------------------------------------------------------------------------------------------


class ConflictError(RemoteConflict):
    """409 with what the server told us about the resource it already holds."""

    def __init__(self, message: str, *, code: str | None, existing_id: str | None):
        super().__init__(message, status=409, code=code)
        self.existing_id = existing_id

    @property
    def is_duplicate_receipt(self) -> bool:
        return self.code == DUPLICATE_RECEIPT


def error_for_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    is_create: bool,
    secrets: Iterable[str] = (),
    now: datetime | None = None,
) -> RemoteError:
    """The RemoteError for a non-2xx answer (contract sections 3 and 4)."""
    parsed = parse_error_body(body, _header(headers, "content-type") or "", secrets)
    retry_after = parse_retry_after(_header(headers, "retry-after"), now)
    return error_for_status(status, parsed, is_create=is_create, retry_after=retry_after)


def error_for_status(
    status: int, parsed: ErrorBody, *, is_create: bool, retry_after: float | None = None
) -> RemoteError:
    """The RemoteError for `status` with what its body said (contract section 4's table)."""
    message = parsed.message or _status_phrase(status)
    code = parsed.code
    if status in (400, 422):
        return RemoteRejected(message, status=status, code=code, field_errors=parsed.field_errors)
    if status == 401:
        return RemoteAuthError(message, status=status, code=code)
    if status in (402, 403) or (status == 404 and is_create):
        return RemoteConfigError(message, status=status, code=code)
    if status == 404:
        return RemoteNotFound(message, status=status, code=code)
    if status == 409:
        return ConflictError(message, code=_duplicate_code(parsed), existing_id=parsed.existing_id)
    if status == 429:
        return RemoteRateLimited(message, retry_after=retry_after)
    if status == 408 or status >= 500:
        return RemoteUnavailable(message, maybe_delivered=True, status=status)
    if 400 <= status < 500:
        return RemoteRejected(message, status=status, code=code, field_errors=parsed.field_errors)
    # A redirect or an informational answer: the base URL is wrong (http for https, say).
    return RemoteConfigError(message, status=status, code=code)


def _duplicate_code(parsed: ErrorBody) -> str | None:
    codes = [parsed.code, *(e.code for e in parsed.field_errors)]
    return DUPLICATE_RECEIPT if DUPLICATE_RECEIPT in codes else parsed.code


def _status_phrase(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    if isinstance(headers, httpx.Headers):
        return headers.get(name)
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def error_for_transport(exc: httpx.HTTPError, secrets: Iterable[str] = ()) -> RemoteError:
    """The RemoteError for a request that got no usable answer."""
    detail = safe_text(f"{type(exc).__name__}: {exc}", secrets)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.TooManyRedirects):
        return RemoteConfigError(f"bad API address ({detail})")
    if isinstance(exc, NEVER_SENT):
        return RemoteUnavailable(f"cannot reach the server ({detail})", maybe_delivered=False)
    # Read timeout, reset or a cut response after the request went out: the server may have
    # acted on it, so a resend must carry the same Idempotency-Key.
    return RemoteUnavailable(f"no answer from the server ({detail})", maybe_delivered=True)
