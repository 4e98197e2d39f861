"""How a receipt is put on paper: the roll or sheet, the language, and what can go wrong."""

from __future__ import annotations

from enum import Enum


class Paper(Enum):
    ROLL_80MM = "80mm"
    ROLL_58MM = "58mm"
    LETTER = "letter"
    A4 = "a4"

    @property
    def is_roll(self) -> bool:
        return self in (Paper.ROLL_80MM, Paper.ROLL_58MM)


class ReceiptLanguage(Enum):
    FR = "fr"
    EN = "en"
    FR_EN = "fr+en"

    @property
    def locales(self) -> tuple[str, ...]:
        """The locales printed, in order: ("fr-CA",), ("en-CA",) or both."""
        return {"fr": ("fr-CA",), "en": ("en-CA",), "fr+en": ("fr-CA", "en-CA")}[self.value]


class PrintError(Exception):
    """The printer could not take the job. The sale stays recorded; reprint is one action."""
