"""What a thermal printer can do, per model family: its paper, how many characters a line holds
in its normal font, how many dots its head has, the code page its accents print from, and
whether it draws QR codes itself."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.paper import Paper


@dataclass(frozen=True, slots=True)
class CodePage:
    number: int  # the n of ESC t n
    codec: str  # Python's name for the same table

    def __str__(self) -> str:
        return self.codec.upper()


# PC858: PC850 (Western Europe, every French accent) with the euro sign. PC863: the
# French-Canadian table, for printers whose PC858 is missing or elsewhere.
PC858 = CodePage(19, "cp858")
PC863 = CodePage(4, "cp863")


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    name: str
    description: str
    paper: Paper
    columns: int  # characters per line in font A
    dots: int  # printable width of the head, in dots (203 dpi)
    code_page: CodePage
    native_qr: bool  # GS ( k; without it the QR code is sent as an image


PROFILES: dict[str, PrinterProfile] = {
    p.name: p
    for p in (
        PrinterProfile(
            "80mm-48", "80 mm, 48 columns (Epson TM-T20, TM-T88)", Paper.ROLL_80MM, 48, 576,
            PC858, native_qr=True,
        ),
        PrinterProfile(
            "80mm-42", "80 mm, 42 columns (clones, 72 mm head)", Paper.ROLL_80MM, 42, 512,
            PC863, native_qr=True,
        ),
        PrinterProfile(
            "58mm-32", "58 mm, 32 columns", Paper.ROLL_58MM, 32, 384, PC858, native_qr=False
        ),
    )
}  # fmt: skip

_BY_PAPER = {Paper.ROLL_80MM: "80mm-48", Paper.ROLL_58MM: "58mm-32"}


def profile_named(name: str) -> PrinterProfile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(PROFILES)
        raise ValueError(f"unknown printer profile {name!r}: expected one of {known}") from None


def profile_for_paper(paper: Paper) -> PrinterProfile:
    """The usual printer of a roll width; sheets have no thermal printer."""
    if paper not in _BY_PAPER:
        raise ValueError(f"a thermal printer prints on 80mm or 58mm rolls, not {paper.value}")
    return PROFILES[_BY_PAPER[paper]]
