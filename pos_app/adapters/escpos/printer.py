"""A thermal receipt printer spoken to in ESC/POS, with the cash drawer plugged into it.

Blocking: services call it through asyncio.to_thread. Every failure is a PrintError with a
sentence for the cashier; the sale it prints for is already recorded.

Over the network a printer answers the real-time status query (DLE EOT) at once, even with a
job in its buffer, so the job is sent only after it has said it has paper and its cover is
shut; one that accepts the connection and then says nothing is reported as not answering
within the timeout rather than being sent a job it will never print.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path

from pos_app.adapters.escpos import commands
from pos_app.adapters.escpos.connections import Connector, Link, failure
from pos_app.adapters.escpos.profiles import PrinterProfile, profile_for_paper
from pos_app.adapters.escpos.renderer import EscposRenderer
from pos_app.domain.paper import Paper, PrintError, ReceiptLanguage
from pos_app.domain.receipt import Receipt
from pos_app.domain.receipt_content import (
    Barcode,
    Content,
    Logo,
    Pair,
    Rule,
    Section,
    Text,
    receipt_content,
)
from pos_app.wording import ReceiptWording

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 5.0
_ACCENTS = "àâäçéèêëîïôöùûüÿ ÀÂÇÉÈÊËÎÏÔÙÛÜ «» €"


def _check_status(link: Link, where: str) -> None:
    """Refuses to send a job to a printer that says it cannot print it."""
    link.write(commands.STATUS_PAPER)
    paper = link.read(1)
    if not paper:
        raise TimeoutError
    if paper[0] & commands.PAPER_END == commands.PAPER_END:
        raise PrintError(f"the printer at {where} is out of paper")
    link.write(commands.STATUS_OFFLINE_CAUSE)
    cause = link.read(1)
    if cause and cause[0] & commands.COVER_OPEN:
        raise PrintError(f"the printer at {where} has its cover open")


class EscposPrinter:
    """Receipts, test pages and drawer pulses for one printer profile; `connector` None: the
    till has no thermal printer (rendering still works, for files and previews)."""

    def __init__(
        self,
        profile: PrinterProfile,
        connector: Connector | None = None,
        *,
        logo_path: Path | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.profile = profile
        self.connector = connector
        self.logo_path = logo_path
        self.timeout = timeout
        # Why the configured printer cannot be used (a malformed connection), said on print.
        self.problem: str | None = None
        where = connector.name if connector else "nowhere"
        self.name = f"thermal printer {profile.name} at {where}"

    def _profile(self, paper: Paper | None) -> PrinterProfile:
        if paper is None or paper == self.profile.paper:
            return self.profile
        return profile_for_paper(paper)

    def render(
        self,
        receipt: Receipt,
        *,
        language: ReceiptLanguage,
        copy: bool = False,
        paper: Paper | None = None,
        drawer: bool = False,
    ) -> bytes:
        """The receipt's ESC/POS job, on this printer's profile or the usual one of `paper`."""
        content = receipt_content(
            receipt, ReceiptWording(language, receipt.cart.currency), copy=copy
        )
        renderer = EscposRenderer(self._profile(paper), self.logo_path)
        return renderer.render(content, drawer=drawer)

    def send(self, job: bytes) -> None:
        """Sends `job` whole, or raises PrintError."""
        connector = self.connector
        if self.problem:
            raise PrintError(f"the thermal printer settings are not usable: {self.problem}")
        if connector is None:
            raise PrintError("no thermal printer is configured")
        try:
            link = connector.open(self.timeout)
            try:
                if connector.answers_status:
                    _check_status(link, connector.name)
                link.write(job)
            finally:
                link.close()
        except PrintError:
            raise
        except OSError as error:  # TimeoutError, ConnectionRefusedError... are OSErrors
            raise failure(connector, error, self.timeout) from None

    def print_receipt(
        self, receipt: Receipt, *, language: ReceiptLanguage, copy: bool, drawer: bool
    ) -> str:
        """Prints the receipt (opening the drawer first when `drawer`)."""
        self.send(self.render(receipt, language=language, copy=copy, drawer=drawer))
        return f"printed on {self.name}"

    def open_drawer(self) -> str:
        self.send(commands.INIT + commands.drawer_pulse())
        return f"drawer opened through {self.name}"

    def test_page(self, language: ReceiptLanguage) -> bytes:
        wording = ReceiptWording(language, "CAD")
        columns = self.profile.columns
        ruler = "".join(str(i % 10) for i in range(1, columns + 1))
        content = Content(
            title="test page",
            order_number="TEST-0001",
            sections=(
                Section(
                    "test",
                    (
                        Logo(),
                        Text(wording.label("Printer test page"), "center", "title", bold=True),
                        Rule(),
                        Pair(wording.label("Printer"), self.profile.description),
                        Pair(wording.label("Columns"), str(columns)),
                        Pair(wording.label("Code page"), str(self.profile.code_page)),
                        Text(ruler),
                        Text(_ACCENTS),
                        Pair(wording.label("TOTAL"), wording.money(Decimal("1234.56")), total=True),
                        Rule(),
                        Barcode("TEST-0001"),
                    ),
                ),
            ),
        )
        return EscposRenderer(self.profile, self.logo_path).render(content)

    def print_test_page(self, language: ReceiptLanguage) -> str:
        self.send(self.test_page(language))
        return f"test page printed on {self.name}"
