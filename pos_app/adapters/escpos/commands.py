"""The ESC/POS commands the till sends (Epson's command reference; every TM-T20/T88 clone
understands these). Each function returns the command's bytes; nothing here does I/O."""

from __future__ import annotations

ESC = b"\x1b"
GS = b"\x1d"
DLE = b"\x10"

INIT = ESC + b"@"  # clears styles left by a previous job
LF = b"\n"


def code_page(number: int) -> bytes:
    """ESC t n: the character table bytes 0x80-0xFF print from (19: PC858, 4: PC863)."""
    return ESC + b"t" + bytes([number])


def align(where: str) -> bytes:
    """ESC a n: 0 left, 1 centre, 2 right (applies to whole lines, barcodes and images)."""
    return ESC + b"a" + bytes([{"left": 0, "center": 1, "right": 2}[where]])


def bold(on: bool) -> bytes:
    return ESC + b"E" + bytes([1 if on else 0])


def char_size(width: int, height: int) -> bytes:
    """GS ! n: characters `width` and `height` times their normal size (1 to 8)."""
    return GS + b"!" + bytes([(width - 1) << 4 | (height - 1)])


def cut() -> bytes:
    """GS V 66 n: feed to the cutter (n lines more) then a partial cut, which leaves a hinge
    so the receipt does not drop on the floor."""
    return GS + b"V" + bytes([66, 3])


def drawer_pulse(pin: int = 2, on_ms: int = 50, off_ms: int = 500) -> bytes:
    """ESC p m t1 t2: a pulse on the drawer kick-out connector's pin 2 (m=0) or 5 (m=1), on
    for t1 x 2 ms and off for t2 x 2 ms: what opens a cash drawer plugged into the printer."""
    return ESC + b"p" + bytes([0 if pin == 2 else 1, on_ms // 2, off_ms // 2])


def code128(data: str, *, module_dots: int, height_dots: int) -> bytes:
    """GS k 73: `data` as a native Code 128 (code set B), its digits printed under it (GS H 2),
    `module_dots` wide per module (GS w) and `height_dots` tall (GS h)."""
    payload = b"{B" + data.encode("ascii")
    if len(payload) > 255:
        raise ValueError(f"{data!r} is too long for a Code 128 on this printer")
    return (
        GS + b"H" + bytes([2])
        + GS + b"w" + bytes([module_dots])
        + GS + b"h" + bytes([height_dots])
        + GS + b"k" + bytes([73, len(payload)]) + payload
    )  # fmt: skip


def _qr_function(function: int, data: bytes) -> bytes:
    # GS ( k pL pH cn fn [data]: cn 49 is the QR code symbol.
    size = len(data) + 2
    return GS + b"(k" + bytes([size & 0xFF, size >> 8, 49, function]) + data


def qr_code(data: str, *, module_dots: int) -> bytes:
    """A native QR code of `data` (model 2, error correction M, `module_dots` per module)."""
    return (
        _qr_function(65, bytes([50, 0]))  # model 2
        + _qr_function(67, bytes([module_dots]))
        + _qr_function(69, bytes([49]))  # error correction M
        + _qr_function(80, b"0" + data.encode("utf-8"))  # store the data
        + _qr_function(81, b"0")  # print it
    )


def raster(rows: list[bytes], width_bytes: int) -> bytes:
    """GS v 0: a 1-bit image, `width_bytes` x 8 dots wide, one bytes object per dot row."""
    height = len(rows)
    header = GS + b"v0" + bytes([0, width_bytes & 0xFF, width_bytes >> 8])
    return header + bytes([height & 0xFF, height >> 8]) + b"".join(rows)


# DLE EOT n: real-time status, answered at once with one byte even while a job is buffered.
STATUS_OFFLINE_CAUSE = DLE + b"\x04\x02"
STATUS_PAPER = DLE + b"\x04\x04"
COVER_OPEN = 0x04  # in the offline-cause byte
PAPER_END = 0x60  # in the paper byte: the roll end sensor
