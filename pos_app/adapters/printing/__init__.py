"""Where finished receipts go: a CUPS queue (`lp`), a folder of PDF files, or nowhere."""

from pos_app.adapters.printing.cups import CupsPrinter, list_cups_queues
from pos_app.adapters.printing.factory import KINDS, make_printer
from pos_app.adapters.printing.folder import FolderPrinter
from pos_app.adapters.printing.no_printer import NoPrinter
from pos_app.adapters.printing.printer import Printer

__all__ = [
    "KINDS",
    "CupsPrinter",
    "FolderPrinter",
    "NoPrinter",
    "Printer",
    "list_cups_queues",
    "make_printer",
]
