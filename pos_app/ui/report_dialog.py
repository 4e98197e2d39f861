"""An X or Z report on screen, as the shift service built it (its JSON document): counts and
totals of sales, refunds and voids, per tax, per payment type, discounts, the cash expected
and counted, and what is still waiting to reach the server. Print (Ctrl+P) sends its PDF to
the till's printer; it is shown first, so the cashier reads it before it is printed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import qasync
from PySide6.QtGui import QFontDatabase, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui import i18n
from pos_app.ui.i18n import _
from pos_app.ui.naming import named

# Prints the report; answers the problem, or "" once it was printed.
PrintReport = Callable[[dict[str, Any]], Awaitable[str]]

_WIDTH = 40


def _row(label: str, value: str) -> str:
    return f"{label:<{_WIDTH - len(value) - 1}} {value}"


def _cash_labels() -> dict[str, str]:
    return {
        "float": _("Float"),
        "cashSales": _("Cash sales"),
        "cashRefunds": _("Cash refunds"),
        "cashRounding": _("Cash rounding"),
        "paidIn": _("Paid in"),
        "paidOut": _("Paid out"),
        "expected": _("Expected cash"),
        "counted": _("Counted cash"),
        "overShort": _("Over / short"),
    }


def report_text(document: dict[str, Any]) -> str:
    """The report as lines of label and amount, in the UI's language."""
    title = (
        _("X report (shift so far)") if document["kind"] == "X" else _("Z report (shift closed)")
    )
    lines = [
        title,
        _("Shift {shift}, register {register}, {currency}").format(
            shift=document["shift"], register=document["register"], currency=document["currency"]
        ),
        "",
    ]
    for key, label in (("sales", _("Sales")), ("refunds", _("Refunds")), ("voids", _("Voids"))):
        part = document[key]
        lines.append(_row(f"{label} ({part['count']})", part["total"]))
    lines += [_row(_("Net sales"), document["netSales"]), "", _("Taxes (net)")]
    lines += [
        _row(f"  {i18n.tax_name(t['name'])} {t['percentage']}%", t["net"])
        for t in document["taxes"]
    ]
    lines.append(_("Payments (net)"))
    lines += [_row(f"  {p['type']}", p["net"]) for p in document["payments"]]
    lines += [_row(_("Discounts"), document["discounts"]), ""]
    labels = _cash_labels()
    lines += [
        _row(labels[key], value) for key, value in document["cash"].items() if value is not None
    ]
    lines += [
        "",
        _("Waiting to be sent: {n}").format(n=document["waiting"]),
        _("Needing attention: {n}").format(n=document["needsAttention"]),
    ]
    return "\n".join(lines)


class ReportDialog(QDialog):
    def __init__(
        self, document: dict[str, Any], print_report: PrintReport, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(_("Shift report"))
        self.document = document
        self._print = print_report
        layout = QVBoxLayout(self)
        self.text = named(QPlainTextEdit(report_text(document)), "reportText")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setMinimumSize(420, 480)
        layout.addWidget(self.text)
        self.status = named(QLabel(), "reportStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.print_button = named(
            buttons.addButton(_("Print (Ctrl+P)"), QDialogButtonBox.ButtonRole.ActionRole),
            "reportPrint",
        )
        self.print_button.setShortcut(QKeySequence("Ctrl+P"))
        self.print_button.clicked.connect(self.print_report)
        close = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @qasync.asyncSlot()
    async def print_report(self) -> None:
        if not self.print_button.isEnabled():
            return
        self.print_button.setEnabled(False)
        self.status.setText(_("Printing…"))
        try:
            problem = await self._print(self.document)
        finally:
            self.print_button.setEnabled(True)
        self.status.setText(
            _("Not printed: {error}").format(error=problem) if problem else _("Report printed")
        )
