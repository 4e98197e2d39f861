"""F6: a discount on the whole receipt, typed as "10%" or as an amount ("5.00"); the totals
engine shares it over the lines."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import format_amount
from pos_app.services.sale_session import DiscountInput, SaleInputError, SaleSession
from pos_app.ui import i18n
from pos_app.ui.i18n import _
from pos_app.ui.naming import named


class ReceiptDiscountDialog(QDialog):
    def __init__(self, session: SaleSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("receiptDiscountDialog")
        self.setWindowTitle(_("Receipt discount"))
        self._session = session
        self.field = named(QLineEdit(), "receiptDiscountField")
        self.field.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"^\d{0,9}([.,]\d{0,3})?\s?%?$"), self)
        )
        current = session.receipt_discount
        if current is not None and current.percentage is not None:
            self.field.setText(f"{current.percentage:f}%")
        elif current is not None and current.amount is not None:
            self.field.setText(format_amount(current.amount, session.currency))
        self.field.selectAll()
        self.message = named(QLabel(), "receiptDiscountMessage")
        self.message.setStyleSheet("color:#b71c1c;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(_("A percentage (10%) or an amount (5.00); empty or 0 removes it."))
        )
        layout.addWidget(self.field)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _apply(self) -> None:
        typed = DiscountInput.parse(self.field.text())
        try:
            self._session.set_receipt_discount(percentage=typed.percentage, amount=typed.amount)
        except SaleInputError as error:
            self.message.setText(i18n.tr_error(error))
            self.field.setFocus()
            return
        self.accept()
