"""The receipt's URL as a QR code drawn as vector rectangles.

reportlab's encoder builds the symbol; choosing its mask is the one slow step (~5 ms: eight
trial symbols scored by ISO/IEC 18004's penalty rules in pure Python, half a 30-line receipt's
budget). `penalty` computes the same score on rows held as strings and integers (regex runs,
str.count, bit operations) in a fraction of that time; the tests check it agrees with
reportlab's score for every mask, so the symbol printed is exactly the one reportlab's own
`make()` would give.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

from pos_app.adapters.receipt_pdf.barcode import dark_runs, module_size, snap
from pos_app.adapters.receipt_pdf.blocks import Rects
from pos_app.adapters.receipt_pdf.page import PageSpec

# ISO/IEC 18004 asks for a quiet zone of 4 modules around the symbol.
QR_QUIET = 4
_MASKS = range(8)
_SAME_COLOUR_RUN = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE = "10111010000"  # dark-light-dark x3-light-dark then 4 light, as reportlab scores
_AS_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _rows(code: QRCode) -> list[str]:
    """The symbol's rows as strings of "1" (dark) and "0"."""
    return [bytes(row).translate(_AS_DIGITS).decode("ascii") for row in code.modules]


def penalty(rows: Sequence[str]) -> int:
    """The mask penalty of a symbol, scored as reportlab's `QRUtil.getLostPoint` scores it."""
    size = len(rows)
    columns = ["".join(column) for column in zip(*rows, strict=True)]
    score = 0
    for line in (*rows, *columns):
        # Rule 1: each run of 5 or more modules of one colour costs 3, plus 1 per extra module.
        score += sum(len(run.group()) - 2 for run in _SAME_COLOUR_RUN.finditer(line))
    for row in rows:
        # Rule 3: finder-like patterns, counted left to right without overlap and never ending
        # on the row's last module. Rows only: reportlab compares column tuples with a list, so
        # its column count is always 0, and the aim here is reportlab's choice of mask.
        score += 40 * row[:-1].count(_FINDER_LIKE)
    # Rule 2: each 2x2 block of one colour costs 3.
    full = (1 << size) - 1
    values = [int(row, 2) for row in rows]
    for upper, lower in itertools.pairwise(values):
        vertical = ~(upper ^ lower) & full
        horizontal = ~(upper ^ (upper >> 1)) & (full >> 1)
        score += 3 * (vertical & (vertical >> 1) & horizontal).bit_count()
    # Rule 4: how far the share of dark modules is from half.
    dark = sum(row.count("1") for row in rows)
    score += 10 * (abs(100 * dark // (size * size) - 50) // 5)
    return score


def best_mask(code: QRCode) -> int:
    """The mask with the lowest penalty, the first one on a tie (reportlab's choice)."""
    scores = []
    for mask in _MASKS:
        code.makeImpl(True, mask)
        scores.append(penalty(_rows(code)))
    return scores.index(min(scores))


def qr_rows(data: str) -> list[str]:
    """The QR code of `data` (error correction M: survives a crease or a smudge) as rows."""
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(data)
    code.version = code.calculate_version()
    code.makeImpl(False, best_mask(code))
    return _rows(code)


def qr_block(data: str, spec: PageSpec, area: tuple[float, float] | None = None) -> Rects:
    """QR code of `data` centred in `area` (the text width by default) with its quiet zone."""
    rows = qr_rows(data)
    count = len(rows)
    x0, x1 = area or (spec.left, spec.right)
    module = module_size(count + 2 * QR_QUIET, spec.qr_dots, x1 - x0)
    left = snap((x0 + x1 - count * module) / 2)
    rects = tuple(
        (left + start * module, (number + QR_QUIET) * module, length * module, module)
        for number, row in enumerate(rows)
        for start, length in dark_runs(row)
    )
    return Rects(height=(count + 2 * QR_QUIET) * module, rects=rects)
