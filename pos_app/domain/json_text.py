"""JSON text with exact numbers: every non-integer number read as a Decimal, every Decimal
written as the exact JSON number it holds (the json module can only write one through float).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def parse_exact(data: bytes | str) -> Any:
    return json.loads(data, parse_float=Decimal)


def dump_exact(value: Any) -> str:
    """Compact JSON; floats are refused (one that got here has already lost a digit)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("NaN and infinities are not JSON numbers")
        return format(value, "f")
    if isinstance(value, float):
        raise TypeError("floats are not written as JSON amounts: use Decimal")
    if isinstance(value, Mapping):
        items = (
            f"{json.dumps(str(k), ensure_ascii=False)}:{dump_exact(v)}" for k, v in value.items()
        )
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(dump_exact(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)
