"""The sandbox's JSON: numbers read exactly, written exactly, and nothing a .NET server would
not take (NaN, Infinity, the same key twice in one object).

The sandbox keeps its own codec rather than the client's: it stands for the server, and a
client-side bug in reading or writing JSON must not be mirrored here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any


class JsonTextError(ValueError):
    """The body is not JSON the API takes; the message says why, for the 400 answer."""


def _no_constants(name: str) -> Any:
    raise JsonTextError(f"{name} is not a JSON number")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JsonTextError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def parse(body: bytes | str, *, exact: bool = True) -> Any:
    """JSON text to Python values; every number with a fraction or exponent is a Decimal (a
    float when not `exact`: for settings such as rates, never for money). The API's JSON is
    UTF-8 (RFC 8259); other encodings are refused rather than guessed."""
    try:
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        return json.loads(
            body,
            parse_float=Decimal if exact else float,
            parse_constant=_no_constants,
            object_pairs_hook=_unique_keys,
        )
    except JsonTextError:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, bad UTF-8, absurd nesting
        raise JsonTextError("the body is not valid JSON") from exc


def dumps(value: Any) -> bytes:
    """Compact JSON; a Decimal is written with its exact digits, a float is refused. Text
    outside ASCII is escaped, so that nothing a client sent (a lone surrogate in an unknown
    field's name, echoed in an error) can make the answer unwritable."""
    return "".join(_chunks(value)).encode("utf-8")


def _chunks(value: Any) -> Any:
    if value is None or isinstance(value, bool | str | int):
        yield json.dumps(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} cannot be written as JSON")
        yield str(value)
    elif isinstance(value, Mapping):
        yield "{"
        for n, (key, item) in enumerate(value.items()):
            yield ("," if n else "") + json.dumps(str(key)) + ":"
            yield from _chunks(item)
        yield "}"
    elif isinstance(value, Sequence):
        yield "["
        for n, item in enumerate(value):
            if n:
                yield ","
            yield from _chunks(item)
        yield "]"
    else:
        raise TypeError(f"{type(value).__name__} is not written as JSON here")
