"""What every printer offers the services (which call it through asyncio.to_thread: it blocks)."""

from __future__ import annotations

from typing import Protocol


class Printer(Protocol):
    name: str  # for people: "CUPS queue Caisse-1", "PDF folder /srv/receipts"

    def print_pdf(self, pdf: bytes, *, job_name: str) -> str:
        """Send `pdf`; returns where it went (a job id, a file path) for the sale's history.
        Raises pos_app.domain.paper.PrintError with a message fit for the cashier."""
        ...
