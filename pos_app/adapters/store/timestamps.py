"""The one text form of a moment in the database: ISO-8601 UTC with milliseconds and a `Z`
(`2025-01-21T18:54:48.245Z`), the same form the API uses.

Every timestamp column goes through these two functions. A fixed width and a fixed zone make
the text sort in time order, so SQL can compare and index timestamps as plain strings.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_text(moment: datetime) -> str:
    """`moment` in UTC, truncated to the millisecond. A naive datetime is refused: guessing its
    zone would silently shift every sale of a till set to local time."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"timestamp {moment!r} has no time zone")
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def from_text(text: str) -> datetime:
    """A timezone-aware UTC datetime from the stored text."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def from_optional(text: str | None) -> datetime | None:
    return None if text is None else from_text(text)
