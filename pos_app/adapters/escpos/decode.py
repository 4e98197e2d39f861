"""Reads an ESC/POS byte stream back as a printer would: printed lines (text decoded from the
code page selected with ESC t, with the character width in force), barcodes, QR codes, images,
cuts and drawer pulses. The virtual printer uses it to show what came out; the tests use it to
check what a receipt would print. An unknown command is an error, not skipped."""

from __future__ import annotations

from dataclasses import dataclass, field

# ESC t n -> Python codec, for the tables a receipt may select.
CODE_PAGES = {0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 16: "cp1252", 19: "cp858"}


@dataclass(frozen=True, slots=True)
class PrintedLine:
    text: str
    width: int  # character width multiplier (GS !): the line takes len(text) * width columns
    bold: bool

    @property
    def columns(self) -> int:
        return len(self.text) * self.width


@dataclass
class Printout:
    lines: list[PrintedLine] = field(default_factory=list)
    code_pages: list[int] = field(default_factory=list)
    barcodes: list[tuple[int, bytes]] = field(default_factory=list)  # (GS k m, data)
    qr_codes: list[str] = field(default_factory=list)
    images: list[tuple[int, int]] = field(default_factory=list)  # (width dots, height dots)
    drawer_pulses: int = 0
    cuts: int = 0
    status_queries: int = 0

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, count: int) -> bytes:
        if self.at + count > len(self.data):
            raise ValueError(f"stream ends inside a command at byte {self.at}")
        chunk = self.data[self.at : self.at + count]
        self.at += count
        return chunk

    def byte(self) -> int:
        return self.take(1)[0]


class _Decoder:
    def __init__(self, data: bytes) -> None:
        self.r = _Reader(data)
        self.out = Printout()
        self.reset()
        self.buffer = bytearray()

    def reset(self) -> None:
        self.codec = "cp437"
        self.width = 1
        self.bold = False

    def flush(self, force: bool) -> None:
        if self.buffer or force:
            text = bytes(self.buffer).decode(self.codec)
            self.out.lines.append(PrintedLine(text, self.width, self.bold))
            self.buffer.clear()

    def esc(self) -> None:
        command = chr(self.r.byte())
        if command == "@":
            self.reset()
        elif command == "t":
            number = self.r.byte()
            if number not in CODE_PAGES:
                raise ValueError(f"code page {number} is not one a receipt selects")
            self.codec = CODE_PAGES[number]
            self.out.code_pages.append(number)
        elif command == "E":
            self.bold = bool(self.r.byte() & 1)
        elif command == "a":
            self.r.byte()
        elif command == "d":
            self.flush(False)
            for _ in range(self.r.byte()):
                self.flush(True)
        elif command == "p":
            self.r.take(3)
            self.out.drawer_pulses += 1
        else:
            raise ValueError(f"unknown command ESC {command!r} at byte {self.r.at}")

    def gs(self) -> None:
        command = chr(self.r.byte())
        if command == "!":
            self.width = (self.r.byte() >> 4) + 1
        elif command in "Hwh":
            self.r.byte()
        elif command == "V":
            if self.r.byte() in (65, 66):
                self.r.byte()
            self.out.cuts += 1
        elif command == "k":
            kind = self.r.byte()
            if kind < 65:
                raise ValueError("only counted barcodes (GS k m >= 65) are expected")
            self.out.barcodes.append((kind, self.r.take(self.r.byte())))
        elif command == "(":
            self.function()
        elif command == "v":
            if self.r.take(2) != b"0\x00":
                raise ValueError("only GS v 0 normal-density images are expected")
            width_bytes = int.from_bytes(self.r.take(2), "little")
            height = int.from_bytes(self.r.take(2), "little")
            self.r.take(width_bytes * height)
            self.out.images.append((width_bytes * 8, height))
        else:
            raise ValueError(f"unknown command GS {command!r} at byte {self.r.at}")

    def function(self) -> None:
        if self.r.take(1) != b"k":
            raise ValueError("only GS ( k (QR code) functions are expected")
        size = int.from_bytes(self.r.take(2), "little")
        body = self.r.take(size)
        if body[:2] == b"1P":  # cn 49 (QR), fn 80: store the symbol's data
            self.out.qr_codes.append(body[3:].decode("utf-8"))

    def run(self) -> Printout:
        r = self.r
        while r.at < len(r.data):
            byte = r.byte()
            if byte == 0x1B:
                self.esc()
            elif byte == 0x1D:
                self.gs()
            elif byte == 0x10:
                r.take(2)  # DLE EOT n: a status query, prints nothing
                self.out.status_queries += 1
            elif byte == 0x0A:
                self.flush(True)
            elif byte == 0x0D:
                continue
            elif byte < 0x20:
                raise ValueError(f"unexpected control byte {byte:#04x} at byte {r.at - 1}")
            else:
                self.buffer.append(byte)
        self.flush(False)
        return self.out


def decode(data: bytes) -> Printout:
    """What `data` would print."""
    return _Decoder(data).run()
