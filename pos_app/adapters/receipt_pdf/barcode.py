"""The order number as a Code 128 barcode drawn as vector rectangles (../shared/qt-facts.md:
python-barcode gives the module pattern, reportlab draws it; sharp at any printer resolution
and far cheaper than an embedded image). The module helpers serve the QR code too.
"""

from __future__ import annotations

from barcode import Code128
from barcode.errors import BarcodeError

from pos_app.adapters.receipt_pdf.blocks import Rects
from pos_app.adapters.receipt_pdf.page import DOT, PageSpec

# ISO/IEC 15417 asks for a quiet zone of at least 10 modules each side of a Code 128 symbol.
CODE128_QUIET = 10
# Below two dots a bar is at the mercy of one burnt or missing dot.
_MIN_DOTS = 2


def dark_runs(pattern: str) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules ("1") in a row."""
    runs: list[tuple[int, int]] = []
    start = -1
    for i, module in enumerate(pattern):
        if module == "1":
            if start < 0:
                start = i
        elif start >= 0:
            runs.append((start, i - start))
            start = -1
    if start >= 0:
        runs.append((start, len(pattern) - start))
    return runs


def module_size(count: int, preferred_dots: int, space: float) -> float:
    """The largest whole number of dots (at most `preferred_dots`) that fits `count` modules in
    `space`; if even the minimum does not fit, the size that just fits."""
    for dots in range(preferred_dots, _MIN_DOTS - 1, -1):
        if count * dots * DOT <= space:
            return dots * DOT
    return space / count


def snap(x: float) -> float:
    # On the head's dot grid, so the edges of every bar fall between dots, not across them.
    return round(x / DOT) * DOT


def code128_block(
    data: str,
    spec: PageSpec,
    bars: tuple[float, float] | None = None,
    symbol: tuple[float, float] | None = None,
) -> Rects:
    """Code 128 of `data`, centred in `bars` (the text width by default); the symbol with its
    quiet zones must fit in `symbol` (by default the page: quiet zones may reach into the
    blank margins)."""
    if not data:
        raise ValueError("an empty order number cannot be printed as a barcode")
    try:
        pattern = "".join(Code128(data).build())
    except (BarcodeError, LookupError) as error:
        raise ValueError(f"{data!r} cannot be encoded as Code 128: {error}") from error
    x0, x1 = bars or (spec.left, spec.right)
    s0, s1 = symbol or (0.0, spec.width)
    modules = len(pattern)
    module = min(
        module_size(modules, spec.barcode_dots, x1 - x0),
        module_size(modules + 2 * CODE128_QUIET, spec.barcode_dots, s1 - s0),
    )
    left = snap((x0 + x1 - modules * module) / 2)
    height = spec.barcode_height
    rects = tuple(
        (left + start * module, 0.0, length * module, height)
        for start, length in dark_runs(pattern)
    )
    return Rects(height=height, rects=rects)
