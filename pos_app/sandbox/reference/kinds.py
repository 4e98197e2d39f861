"""JSON kinds and shapes for the sandbox's request schemas, and the walk that checks a parsed
body against them.

A shape is a table, field name -> kind, written to be read beside the reference page. A body
is checked field by field: each problem is one `FieldError` whose `parameter` is the path the
.NET API would name (`items[0].price.amount`, `[3].total` in a batch). A value of the wrong
kind is reported once at its own path; what is below it is not looked at.

Null stands for "not given": it is taken for an optional field and refused for a required one
(the reference's optional fields are all nullable: `long?`, `string?`, `DateTime?`...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

INVALID = "INVALID_PARAMETER"
UNKNOWN = "UNKNOWN_PARAMETER"
MISSING = "MISSING_PARAMETER"

_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1
# A full date and time with its offset, as DateTimeOffset is written: 2025-01-21T18:54:48.245Z.
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})", re.ASCII
)


@dataclass(frozen=True)
class FieldError:
    code: str
    message: str
    parameter: str | None

    def as_json(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "parameter": self.parameter}


def child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def index(path: str, n: int) -> str:
    return f"{path}[{n}]"


class Kind(Protocol):
    def problems(self, value: object, path: str) -> Iterator[FieldError]: ...


@dataclass(frozen=True)
class Scalar:
    """A JSON value of one kind; `what` finishes "must be ..."."""

    what: str
    accepts: Callable[[object], bool]

    def problems(self, value: object, path: str) -> Iterator[FieldError]:
        if not self.accepts(value):
            yield FieldError(INVALID, f"must be {self.what}", path or None)


def _is_text(value: object) -> bool:
    """A JSON string a .NET server can read: no lone surrogate (`"\\ud800"` is valid JSON
    text but not valid UTF-16, and System.Text.Json refuses it)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_number(value: object) -> bool:
    # bool is an int in Python, never a number in JSON.
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, int) and not isinstance(value, bool)


def _is_long(value: object) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and _LONG_MIN <= value <= _LONG_MAX
    )


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value)  # the calendar: no February 30th, no hour 25
    except ValueError:
        return False
    return True


STRING = Scalar("a string of valid Unicode text", _is_text)
NUMBER = Scalar("a number", _is_number)
LONG = Scalar("an integer (long)", _is_long)
BOOLEAN = Scalar("true or false", lambda value: isinstance(value, bool))
DATETIME = Scalar(
    "an ISO-8601 date-time with its offset, like 2025-01-21T18:54:48.245Z", _is_datetime
)
CURRENCY = Scalar(
    "a three-letter currency code (ISO 4217), like CAD",
    lambda value: isinstance(value, str) and re.fullmatch(r"[A-Z]{3}", value) is not None,
)


@dataclass(frozen=True)
class OneOf:
    """An enum, written as one of its names."""

    names: tuple[str, ...]

    def problems(self, value: object, path: str) -> Iterator[FieldError]:
        if value not in self.names:
            yield FieldError(INVALID, f"must be one of {', '.join(self.names)}", path or None)


@dataclass(frozen=True)
class ListOf:
    item: Kind

    def problems(self, value: object, path: str) -> Iterator[FieldError]:
        if not isinstance(value, list):
            yield FieldError(INVALID, "must be an array", path or None)
            return
        for n, item in enumerate(value):
            yield from self.item.problems(item, index(path, n))


@dataclass(frozen=True)
class MapOf:
    """A JSON object used as a dictionary: any keys, each value of one kind."""

    value: Kind

    def problems(self, value: object, path: str) -> Iterator[FieldError]:
        if not isinstance(value, dict):
            yield FieldError(INVALID, "must be an object", path or None)
            return
        for key, item in value.items():
            if not _is_text(key):
                yield FieldError(INVALID, "keys must be valid Unicode text", path or None)
            else:
                yield from self.value.problems(item, child(path, key))


@dataclass(frozen=True)
class Required:
    """Marks a field of a shape that must be present and not null."""

    kind: Kind


Rule = Callable[[Mapping[str, object], str], Iterator[FieldError]]


def either(first: str, second: str) -> Rule:
    """A rule: at least one of the two fields holds text (named at the first one's path)."""

    def rule(value: Mapping[str, object], path: str) -> Iterator[FieldError]:
        if not value.get(first) and not value.get(second):
            yield FieldError(MISSING, f"{first} or {second} is required", child(path, first))

    return rule


@dataclass(frozen=True)
class Shape:
    """A JSON object with exactly these fields (name -> kind, `Required(kind)` when needed),
    plus rules that look at several fields at once."""

    name: str
    fields: Mapping[str, Kind | Required]
    rules: tuple[Rule, ...] = field(default=())

    def problems(self, value: object, path: str) -> Iterator[FieldError]:
        if not isinstance(value, dict):
            yield FieldError(INVALID, f"must be an object ({self.name})", path or None)
            return
        for name in [name for name in value if name not in self.fields]:
            yield FieldError(UNKNOWN, f"unknown field (not in {self.name})", child(path, name))
        for name, declared in self.fields.items():
            given = value.get(name)
            if given is None:
                if isinstance(declared, Required):
                    yield FieldError(MISSING, "is required", child(path, name))
                continue
            kind = declared.kind if isinstance(declared, Required) else declared
            yield from kind.problems(given, child(path, name))
        for rule in self.rules:
            yield from rule(value, path)


def check(kind: Kind, value: object, path: str = "") -> list[FieldError]:
    """Every problem of `value` as `kind`, in the body's order, one per field."""
    return list(kind.problems(value, path))
