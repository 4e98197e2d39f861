"""Small helpers every command shares: reading an input file or stdin, JSON out, exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from pos_app.domain.cart import Cart, Policy
from pos_app.domain.cart_format import CartError, loads_cart

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BAD_INPUT = 2


class CommandError(Exception):
    """A problem to report to the person at the terminal, one line per entry, with an exit code."""

    def __init__(self, lines: list[str] | str, code: int = EXIT_BAD_INPUT):
        self.lines = [lines] if isinstance(lines, str) else lines
        super().__init__("\n".join(self.lines))
        self.code = code


def read_input(source: str) -> bytes:
    """The bytes of a file, or of standard input when `source` is '-'."""
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise CommandError(f"{source}: cannot read ({error.strerror})") from None


def read_cart(source: str, policy: Policy) -> Cart:
    try:
        return loads_cart(read_input(source), policy)
    except CartError as error:
        raise CommandError(error.problems) from None


def print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def record_document(record: Any) -> dict[str, Any]:
    """A record (a dataclass) as the `--json` output of every command that prints one: its own
    field names in camelCase at every depth (`merchantCategoryCode`, `address.postalCode`),
    fields without a value (None or blank) left out."""
    document: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if is_dataclass(value) and not isinstance(value, type):
            value = record_document(value)
        if value is None or value == "" or value == {}:
            continue
        head, *rest = f.name.split("_")
        document[head + "".join(word.capitalize() for word in rest)] = value
    return document


def json_option(parser: argparse.ArgumentParser) -> None:
    """The `--json` switch every listing and record command offers."""
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def print_fields(rows: list[tuple[str, str | None]]) -> None:
    """A record for people: one `label value` line per field that has a value."""
    for label, value in rows:
        if value:
            print(f"{label:<8} {value}")
