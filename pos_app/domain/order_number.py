"""Order numbers: `A1-000042`, a register prefix and a sequence. The prefix's rule is here, once:
the settings refuse a prefix that breaks it, and the sales store checks it again where a number
is written (a guard, not a second rule)."""

from __future__ import annotations

import re

# Printable ASCII without spaces or '-': the prefix ends up in a Code 128 barcode, and the
# dash is what separates it from the sequence.
_PREFIX = re.compile(r"^[!-,.-~]{1,16}$")
PREFIX_RULE = "1 to 16 letters, digits or signs, without spaces or '-'"


def prefix_problem(prefix: str) -> str | None:
    """What is wrong with `prefix` as a register prefix (None: nothing)."""
    return None if _PREFIX.match(prefix) else PREFIX_RULE


def format_order_number(prefix: str, sequence: int) -> str:
    """`A1-000042`: the sequence is zero-padded to 6 digits (it simply grows past 999999)."""
    return f"{prefix}-{sequence:06d}"
