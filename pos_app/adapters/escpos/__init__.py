"""Thermal receipt printers spoken to in ESC/POS (no driver, no print dialog): the receipt
content laid out in the printer's columns, the cash drawer pulse, the connections (TCP 9100,
USB, serial, device file), and a virtual printer for tests and demos."""

from pos_app.adapters.escpos.connections import parse_connection
from pos_app.adapters.escpos.decode import Printout, decode
from pos_app.adapters.escpos.printer import DEFAULT_TIMEOUT, EscposPrinter
from pos_app.adapters.escpos.profiles import PROFILES, profile_named
from pos_app.adapters.escpos.virtual import VirtualPrinter

__all__ = [
    "DEFAULT_TIMEOUT",
    "PROFILES",
    "EscposPrinter",
    "Printout",
    "VirtualPrinter",
    "decode",
    "parse_connection",
    "profile_named",
]
