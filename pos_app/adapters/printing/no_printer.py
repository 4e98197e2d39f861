"""The till has no printer: receipts are recorded (and can be sent or reprinted) but not printed."""

from __future__ import annotations


class NoPrinter:
    name = "no printer"

    def print_pdf(self, pdf: bytes, *, job_name: str) -> str:
        return f"{job_name} not printed: no printer is configured"
