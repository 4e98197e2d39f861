"""What both HTTP adapters (the Smartbills API, Invoiced) do alike with a failed request: text
from the server made safe to show (scrubbed of our secrets and of anything shaped like a
credential, cut to one line), which transport failures cannot have reached the server, and
how long a Retry-After header says to wait."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

MAX_MESSAGE_LENGTH = 200
REDACTED = "[redacted]"

# --------------------------------------------------------------------------------------------
# Scrubbing
# --------------------------------------------------------------------------------------------

_AUTH_SCHEME = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]+=*")
_SECRET_ASSIGNMENT = re.compile(
    r"(?i)\b((?:x-)?api[-_]?key|apikey|client[-_]?secret|(?:access|refresh|id)[-_]?token"
    r"|password|passwd|secret|token|authorization|signature)"
    r"(\"?'?\s*[:=]\s*\"?'?)(?!\[redacted\])[^\s\"'&,;<>]+"
)
# Three base64url segments: a JWT (they start with "eyJ", the encoding of '{"'), or anything
# long enough in each part to be one.
_JWT = re.compile(
    r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"
    r"|\b[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{8,}"
)
_OPAQUE = re.compile(r"\b[A-Za-z0-9_-]{32,}\b")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _redact_opaque(match: re.Match[str]) -> str:
    # Receipt ids are UUIDs and are what a person needs to see; API keys are not shaped so.
    text = match.group(0)
    return text if _UUID.match(text) else REDACTED


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` without our own secrets and without anything shaped like a credential."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    text = _AUTH_SCHEME.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    text = _SECRET_ASSIGNMENT.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    text = _JWT.sub(REDACTED, text)
    return _OPAQUE.sub(_redact_opaque, text)


def one_line(text: str, limit: int = MAX_MESSAGE_LENGTH) -> str:
    """Whitespace collapsed, cut to `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def safe_text(text: str, secrets: Iterable[str] = ()) -> str:
    return one_line(scrub(text, secrets))


# Failures before any byte of the request could have reached the server.
NEVER_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.LocalProtocolError,
)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP-date."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
