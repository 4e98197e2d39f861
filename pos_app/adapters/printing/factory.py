"""The printer the till's settings ask for."""

from __future__ import annotations

from pathlib import Path

from pos_app.adapters.printing.cups import CupsPrinter
from pos_app.adapters.printing.folder import FolderPrinter
from pos_app.adapters.printing.no_printer import NoPrinter
from pos_app.adapters.printing.printer import Printer

KINDS = ("cups", "folder", "none")


def make_printer(kind: str, target: str | None = None) -> Printer:
    """A printer of `kind` "cups" (target: the queue, None for the default printer), "folder"
    (target: the folder) or "none". Raises ValueError for a setting naming no usable printer."""
    if kind == "cups":
        return CupsPrinter(target or None)
    if kind == "folder":
        if not target:
            raise ValueError("the folder printer needs a folder")
        return FolderPrinter(Path(target).expanduser())
    if kind == "none":
        return NoPrinter()
    raise ValueError(f"unknown printer kind {kind!r}: expected one of {', '.join(KINDS)}")
