"""Reading a catalog CSV (barcode,sku,name_fr,name_en,unit_price,unit,taxes) into products,
with every bad row reported by its line number and left out.

A whole-file problem (not text, missing or unknown columns) raises CatalogFileError: nothing
of such a file can be trusted. A bad row only costs that row; the owner fixes the lines the
report names and imports again (good rows are upserted by SKU, so a re-import is harmless).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from pos_app.domain.invalid_input import InvalidInput
from pos_app.domain.money import AmountError, to_decimal
from pos_app.domain.text import printable
from pos_app.services.ports.catalog import ProductFields

COLUMNS = ("barcode", "sku", "name_fr", "name_en", "unit_price", "unit", "taxes")
UNITS = ("", "kg")
# Unit prices may be finer than a cent (the cart format allows six decimals), never more.
MAX_PRICE_DECIMALS = 6
MAX_SKU_LENGTH = 64
MAX_NAME_LENGTH = 200
# GTIN lengths a till scans: EAN-8, UPC-A, EAN-13, GTIN-14.
GTIN_LENGTHS = (8, 12, 13, 14)
PROGRESS_EVERY = 250
# Row problems said more than once (English msgids, see FieldProblem).
TOO_LONG = "is longer than {count} characters"
ALREADY_ON_LINE = "{value} is already on line {line}"


class CatalogFileError(InvalidInput):
    """The file as a whole cannot be read as a catalog."""

    def __init__(self, problem: str):
        super().__init__([problem])


@dataclass(frozen=True)
class FieldProblem:
    """`template` is an English msgid with `{named}` fields and `params` their values, so a
    French window says the reason in French; `message` is the English text (CLI, logs)."""

    field: str | None
    template: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def message(self) -> str:
        return self.template.format(**dict(self.params))

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


def _problem(column: str | None, template: str, **params: object) -> FieldProblem:
    return FieldProblem(column, template, tuple((k, str(v)) for k, v in params.items()))


@dataclass(frozen=True)
class BadRow:
    """A row left out of the import, with every reason found in it."""

    line: int  # 1-based line of the file where the row starts (the header is line 1)
    problems: tuple[FieldProblem, ...]

    def __str__(self) -> str:
        return f"line {self.line}: " + "; ".join(str(p) for p in self.problems)


@dataclass(frozen=True)
class ParsedCatalog:
    products: list[ProductFields]
    bad_rows: list[BadRow] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line of each product, in order

    @property
    def rows(self) -> int:
        return len(self.products) + len(self.bad_rows)


# ---------------------------------------------------------------------------------------------
# Barcodes


def gtin_check_digit(digits: str) -> str:
    """The GS1 mod-10 check digit for `digits` (a GTIN without its last digit): weights 3 and
    1 alternate from the rightmost digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str(-total % 10)


def barcode_problem(code: str) -> str | None:
    """Why `code` is not a valid EAN-8 / UPC-A / EAN-13 / GTIN-14, or None when it is."""
    problem = _barcode_problem("barcode", code)
    return None if problem is None else problem.message


def _barcode_problem(column: str, code: str) -> FieldProblem | None:
    if not code.isascii() or not code.isdigit():
        return _problem(column, "{code} must contain digits only", code=repr(code))
    if len(code) not in GTIN_LENGTHS:
        return _problem(
            column,
            "{code} must have 8, 12, 13 or 14 digits, not {count}",
            code=repr(code),
            count=len(code),
        )
    expected = gtin_check_digit(code[:-1])
    if code[-1] != expected:
        return _problem(
            column,
            "{code} has a wrong check digit (expected {expected})",
            code=repr(code),
            expected=expected,
        )
    return None


# ---------------------------------------------------------------------------------------------
# The file


def decode(data: bytes) -> str:
    """The file's text. UTF-8 (with or without a BOM) is the format; Windows-1252 is accepted
    because that is what Excel writes for "CSV" on a French Windows till."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise CatalogFileError("not a text file (save it as CSV UTF-8)") from None


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _delimiter(text: str) -> str:
    # French Excel separates with ';' (the ',' is its decimal mark); the header tells which.
    header = text.split("\n", 1)[0]
    return ";" if ";" in header and "," not in header else ","


# Digit-group separators French Excel may write in a number: space, no-break spaces.
_GROUPING = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, ",": "."})


def _french_number(text: str) -> str:
    """A number as French Excel writes it ("1 234,56") in the format's spelling ("1234.56")."""
    return text.translate(_GROUPING) if "." not in text else text


def _header(row: list[str]) -> list[str]:
    names = [name.strip().lower() for name in row]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n not in COLUMNS]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    problems = []
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s): {', '.join(repr(n) for n in unknown)}")
    if duplicated:
        problems.append(f"repeated column(s): {', '.join(duplicated)}")
    if problems:
        raise CatalogFileError(f"line 1: {'; '.join(problems)} (expected: {','.join(COLUMNS)})")
    return names


def parse_catalog(
    text: str,
    resolve_tax: Callable[[str], str | None],
    progress: Callable[[int, int], None] | None = None,
) -> ParsedCatalog:
    """Products from catalog CSV text. `resolve_tax` maps a tax code as written to the code
    the settings know ("gst+qst" -> "GST+QST"), or None when unknown. `progress(done, total)`
    is called every few hundred rows."""
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        header: list[str] | None = None
        while True:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            if not any(cell.strip() for cell in row):
                continue  # blank lines (a trailing one is common) are not rows
            if header is None:
                header = _header(row)
            else:
                rows.append((start, row))
    except csv.Error as error:
        raise CatalogFileError(f"line {reader.line_num}: not readable as CSV ({error})") from None
    if header is None:
        raise CatalogFileError("the file is empty (expected a header line)")

    # A ';' file is French Excel's, whose decimal mark is the comma.
    checker = _RowChecker(header, resolve_tax, decimal_comma=delimiter == ";")
    parsed = ParsedCatalog([])
    for index, (line, row) in enumerate(rows):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index, len(rows))
        outcome = checker.check(line, row)
        if isinstance(outcome, BadRow):
            parsed.bad_rows.append(outcome)
        else:
            parsed.products.append(outcome)
            parsed.lines.append(line)
    return parsed


class _RowChecker:
    """Validates rows one by one, remembering SKUs and barcodes already seen in the file."""

    def __init__(
        self,
        header: list[str],
        resolve_tax: Callable[[str], str | None],
        *,
        decimal_comma: bool = False,
    ):
        self._header = header
        self._resolve_tax = resolve_tax
        self._decimal_comma = decimal_comma
        self._sku_lines: dict[str, int] = {}
        self._barcode_lines: dict[str, int] = {}

    def check(self, line: int, row: list[str]) -> ProductFields | BadRow:
        if len(row) != len(self._header):
            found = (
                "expected {expected} fields, found {count} field"
                if len(row) == 1
                else "expected {expected} fields, found {count} fields"
            )
            problem = _problem(None, found, expected=len(self._header), count=len(row))
            return BadRow(line, (problem,))
        # Control characters and bidi overrides never reach the store, a screen or a receipt.
        cells = {
            name: printable(value).strip() for name, value in zip(self._header, row, strict=True)
        }
        if self._decimal_comma:
            cells["unit_price"] = _french_number(cells["unit_price"])
        problems: list[FieldProblem] = []

        def bad(name: str, template: str, **params: object) -> None:
            problems.append(_problem(name, template, **params))

        sku = cells["sku"]
        if not sku:
            bad("sku", "is required")
        elif len(sku) > MAX_SKU_LENGTH:
            bad("sku", TOO_LONG, count=MAX_SKU_LENGTH)
        elif sku in self._sku_lines:
            bad("sku", ALREADY_ON_LINE, value=repr(sku), line=self._sku_lines[sku])

        barcode = cells["barcode"]
        if barcode:
            if (why := _barcode_problem("barcode", barcode)) is not None:
                problems.append(why)
            elif barcode in self._barcode_lines:
                bad(
                    "barcode",
                    ALREADY_ON_LINE,
                    value=repr(barcode),
                    line=self._barcode_lines[barcode],
                )

        name_fr, name_en = cells["name_fr"], cells["name_en"]
        if not name_fr:
            bad("name_fr", "is required")
        for name, value in (("name_fr", name_fr), ("name_en", name_en)):
            if len(value) > MAX_NAME_LENGTH:
                bad(name, TOO_LONG, count=MAX_NAME_LENGTH)

        price = None
        if not cells["unit_price"]:
            bad("unit_price", "is required")
        else:
            try:
                price = to_decimal(cells["unit_price"])
            except AmountError:
                bad(
                    "unit_price", "{value} is not a decimal number", value=repr(cells["unit_price"])
                )
            else:
                if price < 0:
                    bad(
                        "unit_price",
                        "{value} must not be negative",
                        value=repr(cells["unit_price"]),
                    )
                elif _decimals(price) > MAX_PRICE_DECIMALS:
                    bad("unit_price", "has more than {count} decimals", count=MAX_PRICE_DECIMALS)

        unit = cells["unit"].lower()
        if unit not in UNITS:
            bad(
                "unit",
                "{value} is not a known unit (kg, or empty for pieces)",
                value=repr(cells["unit"]),
            )

        taxes = self._resolve_tax(cells["taxes"])
        if taxes is None:
            bad("taxes", "unknown tax code {value}", value=repr(cells["taxes"]))

        if problems:
            return BadRow(line, tuple(problems))
        assert price is not None and taxes is not None  # no problem means both were read
        # Only a good row claims its SKU and barcode: a later good row with the same code is
        # then reported against the line that was actually imported.
        self._sku_lines[sku] = line
        if barcode:
            self._barcode_lines[barcode] = line
        return ProductFields(
            sku=sku,
            name_fr=name_fr,
            name_en=name_en or name_fr,
            unit_price=price,
            barcode=barcode,
            unit=unit,
            taxes=taxes,
        )
