"""The count at the close of a shift: how many of each Canadian note and coin (no pennies), or
just the counted total. The sum of the count shows as it is typed; Enter closes the shift with
it, and a refusal (a count that cannot be read, no open shift) shows here and closes nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal

import qasync
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.shifts import CAD_DENOMINATIONS, counted_total
from pos_app.ui import i18n
from pos_app.ui.form_dialog import FormProblem, submitted, typed_decimal
from pos_app.ui.i18n import _
from pos_app.ui.naming import named

# Closes the shift with a count per denomination or a total; answers the problems.
CloseWith = Callable[[Mapping[Decimal, int] | None, Decimal | None], Awaitable[list[str]]]


def denomination_name(value: Decimal) -> str:
    return f"count_{value:f}".replace(".", "_")


class CountDialog(QDialog):
    def __init__(self, currency: str, close_with: CloseWith, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("countDialog")
        self.setWindowTitle(_("Close the shift: count the cash"))
        self._currency = currency
        self._close_with = close_with
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(_("Count each note and coin in the drawer, or type the counted total."))
        )
        grid = QGridLayout()
        self.counts: dict[Decimal, QLineEdit] = {}
        for row, value in enumerate(CAD_DENOMINATIONS):
            field = named(QLineEdit(), denomination_name(value))
            field.setValidator(QIntValidator(0, 100_000, field))
            field.textChanged.connect(self._show_sum)
            grid.addWidget(QLabel(i18n.money(value, currency)), row, 0)
            grid.addWidget(field, row, 1)
            self.counts[value] = field
        layout.addLayout(grid)
        self.sum_label = named(QLabel(), "countSum")
        layout.addWidget(self.sum_label)
        self.total = named(QLineEdit(), "countedTotal")
        self.total.setPlaceholderText(_("or the counted total"))
        layout.addWidget(self.total)
        self.error = named(QLabel(), "countError")
        self.error.setStyleSheet("color:#b71c1c;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.submit_button = named(
            buttons.addButton(_("Close shift"), QDialogButtonBox.ButtonRole.AcceptRole),
            "countSubmit",
        )
        self.submit_button.setDefault(True)
        cancel = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
        buttons.accepted.connect(self._go)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show_sum()
        self.counts[CAD_DENOMINATIONS[0]].setFocus()

    def count(self) -> dict[Decimal, int]:
        return {d: int(f.text()) for d, f in self.counts.items() if f.text().strip()}

    def _show_sum(self) -> None:
        self.sum_label.setText(
            i18n.pair(_("Counted"), i18n.money(counted_total(self.count()), self._currency))
        )

    @qasync.asyncSlot()
    async def _go(self) -> None:
        if not self.submit_button.isEnabled():
            return
        count = self.count()
        total_text = self.total.text().strip()
        try:
            total = typed_decimal(total_text, _("Counted total")) if total_text else None
        except FormProblem as problem:
            self.error.setText(str(problem))
            return
        if total is not None and count:
            self.error.setText(_("Give either the count per note and coin or the total, not both"))
            return
        if total is None and not count:
            self.error.setText(_("Count the cash first"))
            return
        await submitted(
            self, self.submit_button, self.error, lambda: self._close_with(count or None, total)
        )
