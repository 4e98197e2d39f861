"""Pictures for the printer's head: the store's logo and, on printers that cannot draw QR codes
themselves, the QR code, as 1-bit raster rows (GS v 0)."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from PIL import Image
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

from pos_app.adapters.escpos import commands

log = logging.getLogger(__name__)


def _pack(bits: list[list[bool]], width_bytes: int) -> list[bytes]:
    rows = []
    for row in bits:
        packed = bytearray(width_bytes)
        for x, dark in enumerate(row):
            if dark:
                packed[x >> 3] |= 0x80 >> (x & 7)
        rows.append(bytes(packed))
    return rows


def _centred(bits: list[list[bool]], dots: int) -> bytes:
    """`bits` centred on a head `dots` wide (GS v 0 has no alignment of its own)."""
    width = max((len(row) for row in bits), default=0)
    left = max(0, (dots - width) // 2)
    padded = [[False] * left + row for row in bits]
    width_bytes = (left + width + 7) // 8
    return commands.raster(_pack(padded, width_bytes), width_bytes)


@functools.lru_cache(maxsize=8)
def _logo(path: str, mtime: float, dots: int, max_height: int) -> bytes:
    with Image.open(path) as image:
        image.load()
        picture = image.convert("RGBA")
    # Transparent parts are paper, not black.
    background = Image.new("RGBA", picture.size, "white")
    picture = Image.alpha_composite(background, picture).convert("L")
    scale = min(dots / picture.width, max_height / picture.height, 1.0)
    size = (max(1, int(picture.width * scale)), max(1, int(picture.height * scale)))
    mono = picture.resize(size).convert("1")  # Floyd-Steinberg dithering for greys
    width, height = mono.size
    pixels = mono.load()
    assert pixels is not None
    bits = [[pixels[x, y] == 0 for x in range(width)] for y in range(height)]
    return _centred(bits, dots)


def logo(path: Path, dots: int, max_height: int) -> bytes | None:
    """The logo at most `dots` wide and `max_height` tall, or None (logged) when it cannot be
    read: a missing logo must not stop a sale's receipt from printing."""
    try:
        return _logo(str(path), path.stat().st_mtime, dots, max_height)
    except Exception as error:  # PIL raises many types for unreadable images
        log.warning("receipt logo %s not printed: %s", path, error)
        return None


def qr_image(data: str, module_dots: int, dots: int) -> bytes:
    """The QR code of `data` (error correction M) as an image, for printers without GS ( k."""
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(data)
    code.make()
    quiet = 4
    count = code.getModuleCount()
    bits = []
    for r in range(-quiet, count + quiet):
        row = []
        for c in range(-quiet, count + quiet):
            dark = 0 <= r < count and 0 <= c < count and bool(code.isDark(r, c))
            row += [dark] * module_dots
        bits += [row] * module_dots
    return _centred(bits, dots)
