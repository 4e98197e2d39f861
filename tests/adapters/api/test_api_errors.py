"""Error envelopes, status and transport mapping, Retry-After, and scrubbing (pure functions)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from pos_app.adapters.api.errors import (
    ConflictError,
    error_for_response,
    error_for_transport,
    parse_error_body,
    parse_retry_after,
    scrub,
)
from pos_app.domain.remote import (
    DUPLICATE_RECEIPT,
    FieldError,
    RemoteAuthError,
    RemoteConfigError,
    RemoteConflict,
    RemoteNotFound,
    RemoteRateLimited,
    RemoteRejected,
    RemoteUnavailable,
)

TOKEN = "sb_live_7Hq2mZ9xKpL4vN8rT1wY6cB3dF5gJ0aE"
JWT = (
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJwb3MtYXBwIiwic2NvcGUiOiJyZWNlaXB0cy53cml0ZSJ9."
    "c2lnbmF0dXJlLXRoYXQtbG9va3MtcmVhbC1lbm91Z2gtZm9yLWEtdGVzdA"
)
SECRET = "cs_9f8e7d6c5b4a39281706f5e4d3c2b1a0"


def _json(data: object) -> bytes:
    return json.dumps(data).encode()


def test_dotnet_envelope():
    body = _json(
        {
            "statusCode": "400",
            "errors": [
                {
                    "code": "INVALID_PARAMETER",
                    "message": "must be > 0",
                    "parameter": "items[0].quantity",
                },
                {"code": "INVALID_PARAMETER", "message": "is required", "parameter": "total"},
            ],
        }
    )
    parsed = parse_error_body(body, "application/json")

    assert parsed.message == "items[0].quantity: must be > 0"
    assert parsed.code == "INVALID_PARAMETER"
    assert parsed.field_errors == (
        FieldError("must be > 0", "items[0].quantity", "INVALID_PARAMETER"),
        FieldError("is required", "total", "INVALID_PARAMETER"),
    )


def test_rfc7807_with_errors_as_a_map():
    body = _json(
        {
            "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            "title": "One or more validation errors occurred.",
            "status": 400,
            "errors": {
                "Total": ["The Total field is required."],
                "Items[0].Quantity": ["Must be > 0", "Bad"],
            },
        }
    )
    parsed = parse_error_body(body, "application/problem+json")

    assert parsed.message == "One or more validation errors occurred."
    assert [(e.field, e.message) for e in parsed.field_errors] == [
        ("Total", "The Total field is required."),
        ("Items[0].Quantity", "Must be > 0"),
        ("Items[0].Quantity", "Bad"),
    ]


def test_rfc7807_with_errors_as_a_list_prefers_detail():
    body = _json(
        {
            "title": "Bad Request",
            "detail": "The receipt is not balanced",
            "errors": [{"field": "totalPayments", "detail": "short by 0.05"}],
        }
    )
    parsed = parse_error_body(body)

    assert parsed.message == "The receipt is not balanced"
    assert parsed.field_errors == (FieldError("short by 0.05", "totalPayments"),)


def test_error_object_envelope():
    body = _json(
        {
            "error": {
                "code": "RATE_LIMIT_EXCEEDED",
                "message": "Too many requests",
                "details": [{"field": "x", "message": "slow down"}],
                "requestId": "req_123",
            }
        }
    )
    parsed = parse_error_body(body)

    assert (parsed.message, parsed.code) == ("Too many requests", "RATE_LIMIT_EXCEEDED")
    assert parsed.field_errors == (FieldError("slow down", "x"),)


def test_oauth_and_invoiced_envelopes():
    oauth = parse_error_body(
        _json({"error": "invalid_client", "error_description": "Unknown client"})
    )
    invoiced = parse_error_body(
        _json({"type": "invalid_request", "message": "Name missing", "param": "name"})
    )

    assert (oauth.code, oauth.message) == ("invalid_client", "Unknown client")
    assert invoiced.message == "Name missing"
    assert invoiced.field_errors == (FieldError("Name missing", "name"),)


def test_html_page_becomes_one_short_scrubbed_line():
    page = (
        "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>"
        f"<pre>Authorization: Bearer {TOKEN}\nX-Api-Key: {SECRET}</pre></body></html>"
    ).encode()
    parsed = parse_error_body(page, "text/html")

    assert parsed.message == "502 Bad Gateway"

    untitled = parse_error_body(
        f"<html><body><pre>GET / Authorization: Bearer {JWT}</pre>".encode()
    )
    assert untitled.message is not None
    assert JWT not in untitled.message and "\n" not in untitled.message
    assert len(untitled.message) <= 80


def test_unknown_bodies_never_reach_the_message():
    for body in (
        b"plain text with secret " + SECRET.encode(),
        b"[1, 2]",
        b"",
        b'{"unexpected": 1}',
    ):
        error = error_for_response(500, {}, body, is_create=False)
        assert error.message == "HTTP 500 Internal Server Error"


@pytest.mark.parametrize(
    ("status", "is_create", "kind"),
    [
        (400, True, RemoteRejected),
        (422, True, RemoteRejected),
        (401, True, RemoteAuthError),
        (402, True, RemoteConfigError),
        (403, False, RemoteConfigError),
        (404, True, RemoteConfigError),
        (404, False, RemoteNotFound),
        (409, True, RemoteConflict),
        (429, True, RemoteRateLimited),
        (500, True, RemoteUnavailable),
        (503, False, RemoteUnavailable),
        (413, True, RemoteRejected),
        (301, False, RemoteConfigError),
    ],
)
def test_status_mapping(status, is_create, kind):
    error = error_for_response(status, {}, b"{}", is_create=is_create)
    assert type(error) is kind or isinstance(error, kind)
    if isinstance(error, RemoteUnavailable):
        assert error.maybe_delivered is True
    if kind is not RemoteRateLimited:
        assert error.status == status


def test_rejection_carries_field_errors():
    body = _json(
        {
            "statusCode": "400",
            "errors": [{"code": "INVALID_PARAMETER", "message": "bad", "parameter": "total"}],
        }
    )
    error = error_for_response(400, {"Content-Type": "application/json"}, body, is_create=True)

    assert isinstance(error, RemoteRejected)
    assert error.field_errors == (FieldError("bad", "total", "INVALID_PARAMETER"),)
    assert error.message == "total: bad"


def test_duplicate_receipt_conflict():
    body = _json(
        {
            "statusCode": "409",
            "errors": [
                {"code": "DUPLICATE_RECEIPT", "message": "exists", "parameter": "receiptId"}
            ],
            "existingId": "srv-1",
        }
    )
    error = error_for_response(409, {}, body, is_create=True)

    assert isinstance(error, ConflictError) and isinstance(error, RemoteConflict)
    assert error.code == DUPLICATE_RECEIPT and error.is_duplicate_receipt
    assert error.existing_id == "srv-1"
    other = error_for_response(
        409, {}, _json({"error": {"code": "VERSION_MISMATCH", "message": "m"}}), is_create=False
    )
    assert isinstance(other, ConflictError) and not other.is_duplicate_receipt


def test_retry_after_seconds_and_http_date():
    now = datetime(2025, 1, 21, 18, 54, 48, tzinfo=UTC)

    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Tue, 21 Jan 2025 18:55:00 GMT", now) == 12.0
    assert parse_retry_after("Tue, 21 Jan 2025 18:50:00 GMT", now) == 0.0  # already past
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None

    error = error_for_response(429, httpx.Headers({"Retry-After": "3"}), b"", is_create=True)
    assert isinstance(error, RemoteRateLimited) and error.retry_after == 3.0
    assert error_for_response(429, {"retry-after": "x"}, b"", is_create=True).retry_after is None  # type: ignore[attr-defined]


def _request() -> httpx.Request:
    return httpx.Request("POST", "https://api.example.com/v1/receipts")


@pytest.mark.parametrize(
    ("exc", "maybe_delivered"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), False),
        (httpx.ConnectError("[Errno -2] Name or service not known"), False),
        (httpx.ConnectTimeout("timed out"), False),
        (httpx.PoolTimeout("pool"), False),
        (httpx.ReadTimeout("timed out"), True),
        (httpx.WriteTimeout("timed out"), True),
        (httpx.ReadError("[Errno 104] Connection reset by peer"), True),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), True),
    ],
)
def test_transport_mapping(exc, maybe_delivered):
    exc.request = _request()
    error = error_for_transport(exc)

    assert isinstance(error, RemoteUnavailable)
    assert error.maybe_delivered is maybe_delivered


def test_unsupported_scheme_is_configuration():
    assert isinstance(error_for_transport(httpx.UnsupportedProtocol("ftp")), RemoteConfigError)


# --------------------------------------------------------------------------------------------
# Scrubbing


@pytest.mark.parametrize(
    "text",
    [
        f"Authorization: Bearer {TOKEN}",
        f"authorization=bearer {JWT}",
        f"token {JWT} was refused",
        f'{{"client_secret": "{SECRET}"}}',
        f"client_secret={SECRET}&grant_type=client_credentials",
        f"x-api-key: {TOKEN}",
        f"api_key={TOKEN}",
        f"access_token={TOKEN}",
        f"Basic {TOKEN}==",
        f"opaque {TOKEN} key",
    ],
)
def test_scrub_removes_credentials(text):
    cleaned = scrub(text)
    assert TOKEN not in cleaned and JWT not in cleaned and SECRET not in cleaned
    assert "[redacted]" in cleaned


def test_scrub_removes_known_secrets_of_any_shape():
    assert scrub("password is hunter2!", secrets=["hunter2!"]) == "password is [redacted]"


def test_scrub_keeps_what_people_need():
    text = "receipt 0b9e4c1e-7a51-4c1a-9d7e-3f1f6c0a2b11 at api.smartbills.io: total must be 5.83"
    assert scrub(text) == text


def test_secrets_never_reach_error_messages_or_field_errors():
    body = _json(
        {
            "statusCode": "400",
            "errors": [
                {"code": "X", "message": f"bad token {JWT} / secret {SECRET}", "parameter": "auth"}
            ],
        }
    )
    error = error_for_response(400, {}, body, is_create=True, secrets=[SECRET])

    assert isinstance(error, RemoteRejected)
    texts = [str(error), error.message, *(e.message for e in error.field_errors)]
    assert not any(JWT in t or SECRET in t for t in texts)
