"""Trying a printer before trusting it: the settings dialog's "Print a test page" (with the
connection typed, not yet saved) and `pos-app printer test` (with the saved one)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from pos_app.services.ports.printing import ThermalPrinter
from pos_app.services.settings import Settings


class PrinterSetupService:
    def __init__(
        self,
        thermal_for: Callable[[Settings], ThermalPrinter],
        profiles: Sequence[tuple[str, str]],
    ) -> None:
        # Builds the thermal printer these settings name; ValueError for a connection or
        # profile that names none.
        self._thermal_for = thermal_for
        self.profiles = tuple(profiles)  # (name, description) of each printer profile

    def problem(self, settings: Settings) -> str | None:
        """Why `settings` name no usable thermal printer (None when they do, or use none)."""
        if settings.printer != "escpos":
            return None
        if not settings.printer_timeout > 0:
            return "printer_timeout: must be more than 0 seconds"
        try:
            self._thermal_for(settings)
        except ValueError as error:
            return str(error)
        return None

    async def print_test_page(self, settings: Settings) -> str:
        """Prints a test page (columns ruler, accents, a Code 128) on the thermal printer of
        `settings`. Raises ValueError for settings naming no thermal printer and PrintError
        when the printer does not take the page."""
        if settings.printer != "escpos":
            raise ValueError("a test page is for thermal (ESC/POS) printers")
        thermal = self._thermal_for(settings)
        return await asyncio.to_thread(thermal.print_test_page, settings.receipt_language)
