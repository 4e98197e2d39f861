"""The ports of paper: receipts and X/Z reports rendered as PDFs for the till's paper, the
printers that print them, and the thermal printer spoken to directly (with its cash drawer)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from pos_app.domain.paper import Paper, ReceiptLanguage
from pos_app.domain.receipt import Receipt


class ReceiptRenderer(Protocol):
    def render(
        self, receipt: Receipt, *, paper: Paper, language: ReceiptLanguage, copy: bool
    ) -> bytes: ...


class ReportRenderer(Protocol):
    """An X or Z report document as a PDF on the till's paper (blocking: run off the loop)."""

    def render_report(
        self,
        document: Mapping[str, Any],
        *,
        paper: Paper,
        language: ReceiptLanguage,
        business: str,
    ) -> bytes: ...


class Printer(Protocol):
    name: str

    def print_pdf(self, pdf: bytes, *, job_name: str) -> str: ...


class ThermalPrinter(Protocol):
    """A receipt printer spoken to directly (ESC/POS) with the cash drawer plugged into it.
    Blocking: called through asyncio.to_thread. Failures raise PrintError."""

    name: str

    def render(
        self,
        receipt: Receipt,
        *,
        language: ReceiptLanguage,
        copy: bool = False,
        paper: Paper | None = None,
        drawer: bool = False,
    ) -> bytes:
        """The printer's byte stream for the receipt (on the usual printer of `paper` when
        given), opening the drawer first when `drawer`."""
        ...

    def print_receipt(
        self, receipt: Receipt, *, language: ReceiptLanguage, copy: bool, drawer: bool
    ) -> str: ...

    def open_drawer(self) -> str: ...

    def print_test_page(self, language: ReceiptLanguage) -> str: ...
