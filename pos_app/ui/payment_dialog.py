"""Taking payment (F12). Cash for the exact amount due is pre-selected, so F12 then Enter
finishes a cash sale; quick buttons take the usual bank notes; a card takes its amount, brand
and last 4 digits; several payments split the tender. The dialog closes with Accepted once
the balance is zero, and the sale screen then finishes the sale.

Every figure shown comes from the session (the totals engine and the payment rules): the
dialog only reads them and forwards what was typed.

With a house account chosen for the sale (F2), "On account / Porté au compte" (Alt+A) is a
third tender: Enter asks the account service first, and a refusal (credit hold, over the
limit, offline when the store says no) is shown with its reason and takes nothing.
"""

from __future__ import annotations

from decimal import Decimal

import qasync
from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QFont, QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.cart import Payment, PaymentType
from pos_app.domain.money import format_amount, minor_unit
from pos_app.services.accounts import AccountService
from pos_app.services.sale_session import (
    CartChange,
    SaleInputError,
    SaleSession,
    quick_cash_amounts,
)
from pos_app.ui import i18n
from pos_app.ui.account_panel import decision_text
from pos_app.ui.bridge import Bridge
from pos_app.ui.i18n import _
from pos_app.ui.naming import named

CARD_BRANDS = ("VISA", "MASTERCARD", "AMEX", "INTERAC", "DISCOVER", "OTHER")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _big(label: QLabel, scale: float) -> QLabel:
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


class PaymentDialog(QDialog):
    def __init__(
        self,
        session: SaleSession,
        bridge: Bridge,
        parent: QWidget | None = None,
        *,
        accounts: AccountService | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("paymentDialog")
        self.setWindowTitle(_("Payment"))
        self.setMinimumWidth(520)
        self._session = session
        self._bridge = bridge
        self._accounts = accounts
        self._checking = False  # an on-account check is under way
        # Said after the sale when the account was checked on the till's copy (offline).
        self.account_note = ""
        cur = session.currency

        self.total_label = _big(named(QLabel(), "paymentTotal"), 1.6)
        self.due_label = _big(named(QLabel(), "paymentDue"), 2.2)
        self.due_label.setAlignment(_RIGHT)
        figures = QGridLayout()
        figures.addWidget(QLabel(_("Total")), 0, 0)
        figures.addWidget(self.total_label, 0, 1, alignment=_RIGHT)
        self.due_caption = QLabel(_("To pay"))
        figures.addWidget(self.due_caption, 1, 0)
        figures.addWidget(self.due_label, 1, 1)

        self.cash_radio = named(QRadioButton(_("&Cash")), "cashTender")
        self.card_radio = named(QRadioButton(_("Ca&rd")), "cardTender")
        account = session.account
        self.account_radio = named(
            QRadioButton(
                _("On &account: {number} {name}").format(
                    number=account[0], name=account[1].replace("&", "&&")
                )
                if account
                else ""
            ),
            "accountTender",
        )
        self.account_radio.setVisible(account is not None and accounts is not None)
        self.cash_radio.setChecked(True)
        tenders = QButtonGroup(self)
        tenders.addButton(self.cash_radio)
        tenders.addButton(self.card_radio)
        tenders.addButton(self.account_radio)
        tender_row = QHBoxLayout()
        tender_row.addWidget(self.cash_radio)
        tender_row.addWidget(self.card_radio)
        tender_row.addWidget(self.account_radio)
        tender_row.addStretch(1)

        places = minor_unit(cur)
        decimals = rf"([.,]\d{{0,{places}}})?" if places else ""
        self.amount_field = named(QLineEdit(), "amountField")
        self.amount_field.setValidator(
            QRegularExpressionValidator(QRegularExpression(rf"^\d{{0,9}}{decimals}$"), self)
        )
        self.amount_field.setAlignment(_RIGHT)
        _big(self.amount_field, 1.5)  # type: ignore[arg-type]
        self.brand_combo = named(QComboBox(), "cardBrand")
        self.brand_combo.addItems(CARD_BRANDS)
        self.last4_field = named(QLineEdit(), "cardLast4")
        self.last4_field.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"^\d{0,4}$"), self)
        )
        self.last4_field.setPlaceholderText("1234")
        form = QFormLayout()
        form.addRow(_("Amount"), self.amount_field)
        self.brand_caption = QLabel(_("Card brand"))
        self.last4_caption = QLabel(_("Last 4 digits"))
        form.addRow(self.brand_caption, self.brand_combo)
        form.addRow(self.last4_caption, self.last4_field)

        self.quick_row = QHBoxLayout()
        self.quick_buttons: list[QPushButton] = []

        self.payments_list = named(QListWidget(), "paymentsList")
        self.payments_list.setMaximumHeight(110)
        self.remove_button = named(QPushButton(_("Remove payment")), "removePayment")
        self.remove_button.clicked.connect(self._remove_selected)

        self.summary = named(QLabel(), "paymentSummary")
        self.summary.setAlignment(_RIGHT)
        self.message = named(QLabel(), "paymentMessage")
        self.message.setStyleSheet("color:#b71c1c;")
        self.message.setWordWrap(True)

        self.add_button = named(QPushButton(_("Add payment (Enter)")), "addPayment")
        self.finish_button = named(QPushButton(_("Finish sale")), "finishSale")
        cancel = named(QPushButton(_("Back to the sale (Esc)")), "cancelPayment")
        for button in (self.add_button, self.finish_button, cancel, self.remove_button):
            button.setAutoDefault(False)  # Enter is handled once, by `_enter`
        self.add_button.clicked.connect(self._enter)
        self.finish_button.clicked.connect(self._finish)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.finish_button)

        layout = QVBoxLayout(self)
        layout.addLayout(figures)
        layout.addLayout(tender_row)
        layout.addLayout(form)
        layout.addLayout(self.quick_row)
        payments_row = QHBoxLayout()
        payments_row.addWidget(self.payments_list, 1)
        payments_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(payments_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.amount_field.returnPressed.connect(self._enter)
        self.last4_field.returnPressed.connect(self._enter)
        self.cash_radio.toggled.connect(self._tender_changed)
        self.account_radio.toggled.connect(self._tender_changed)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.payments_list, self._remove_selected)
        bridge.cartChanged.connect(self._changed)
        self.finished.connect(lambda _result: bridge.cartChanged.disconnect(self._changed))
        self._refresh(prefill=True)

    # -- reading the session ---------------------------------------------------------------

    @property
    def tender(self) -> str:
        if self.account_radio.isChecked():
            return PaymentType.ACCOUNT
        return PaymentType.CASH if self.cash_radio.isChecked() else PaymentType.CARD

    def _changed(self, _change: CartChange) -> None:
        self._refresh(prefill=True)

    def _due(self) -> Decimal:
        s = self._session
        return s.cash_due() if self.tender == PaymentType.CASH else s.remaining()

    def _refresh(self, *, prefill: bool) -> None:
        s, cur = self._session, self._session.currency
        totals = s.totals
        self.total_label.setText(i18n.money(totals.total, cur))
        cash = self.tender == PaymentType.CASH
        self.due_caption.setText(_("Cash due") if cash else _("To pay"))
        self.due_label.setText(i18n.money(self._due(), cur))
        card = self.tender == PaymentType.CARD
        for widget in (self.brand_caption, self.brand_combo, self.last4_caption, self.last4_field):
            widget.setVisible(card)
        self._quick_buttons(cash)
        self.payments_list.clear()
        for payment in s.payments:
            self.payments_list.addItem(self._describe(payment))
        # The list of payments shows once there is one (split tender).
        self.payments_list.setVisible(bool(s.payments))
        self.remove_button.setVisible(bool(s.payments))
        lines = []
        if totals.cash_rounding:
            lines.append(i18n.pair(_("Cash rounding"), i18n.money(totals.cash_rounding, cur)))
        if totals.change_due:
            lines.append(i18n.pair(_("Change"), i18n.money(totals.change_due, cur)))
        self.summary.setText("\n".join(lines))
        self.summary.setVisible(bool(lines))
        self.finish_button.setEnabled(s.can_finish)
        if prefill:
            due = self._due()
            self.amount_field.setText(i18n.typed_amount(format_amount(due, cur)) if due else "")
            self.amount_field.selectAll()
            self.amount_field.setFocus()

    def _quick_buttons(self, cash: bool) -> None:
        amounts = (
            quick_cash_amounts(self._session.cash_due(), self._session.currency) if cash else []
        )
        while len(self.quick_buttons) < len(amounts):
            button = named(QPushButton(), f"quickCash{len(self.quick_buttons)}")
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, b=button: self._quick(b))
            self.quick_row.addWidget(button)
            self.quick_buttons.append(button)
        for i, button in enumerate(self.quick_buttons):
            if i < len(amounts):
                label = i18n.money(amounts[i], self._session.currency)
                button.setText(_("Exact {amount}").format(amount=label) if i == 0 else label)
                button.setProperty("amount", format_amount(amounts[i], self._session.currency))
            button.setVisible(i < len(amounts))

    def _describe(self, payment: Payment) -> str:
        amount = i18n.money(payment.amount, self._session.currency)
        if payment.is_cash:
            return f"{_('Cash')} — {amount}"
        if payment.type == PaymentType.ACCOUNT:
            return f"{_('On account')} {payment.account} — {amount}"
        last4 = f"•••• {payment.card_last4}" if payment.card_last4 else ""
        parts = (_("Card"), payment.card_brand or "", last4)
        return f"{' '.join(p for p in parts if p)} — {amount}"

    # -- acting ----------------------------------------------------------------------------

    def _tender_changed(self) -> None:
        self.message.clear()
        self._refresh(prefill=True)

    def _take(self, tender: str, amount: str) -> bool:
        try:
            self._session.add_payment(
                tender, amount, self.brand_combo.currentText(), self.last4_field.text()
            )
        except SaleInputError as error:
            self.message.setText(i18n.tr_error(error))
            self.amount_field.setFocus()
            return False
        self.message.clear()
        self.last4_field.clear()
        return True

    def _enter(self) -> None:
        text = self.amount_field.text().strip()
        if self.tender == PaymentType.ACCOUNT:
            if text:
                self._take_on_account(text)
                return
        elif text and not self._take(self.tender, text):
            return
        self._after_take(text)

    def _after_take(self, text: str) -> None:
        if self._session.can_finish:
            self.accept()
        elif not text:
            due = i18n.money(self._session.remaining(), self._session.currency)
            self.message.setText(_("Still to pay: {amount}").format(amount=due))
        elif self.tender != PaymentType.CASH:
            # A card paid part of it: the rest is usually cash, pre-filled.
            self.cash_radio.setChecked(True)

    @qasync.asyncSlot(str)
    async def _take_on_account(self, text: str) -> None:
        """Asks the account service whether this amount may go on the account, then takes it
        (or shows why not). Enter again while it asks does nothing."""
        account = self._session.account
        if self._checking or account is None or self._accounts is None:
            return
        try:
            amount = Decimal(text.replace(",", "."))
        except ArithmeticError:
            self.message.setText(_("{value} is not a number").format(value=text))
            return
        self._checking = True
        self.message.setText(_("Checking the account…"))
        try:
            decision = await self._accounts.check(account[0], amount, self._session.currency)
        finally:
            self._checking = False
        said = decision_text(decision, self._session.currency)
        if not decision.allowed:
            self.message.setText(_("Refused: {reason}").format(reason=said))
            self.amount_field.setFocus()
            return
        if decision.code == "cached":
            self.account_note = said
        if self._take(PaymentType.ACCOUNT, text):
            self._after_take(text)

    def _quick(self, button: QPushButton) -> None:
        if (
            self._take(PaymentType.CASH, str(button.property("amount")))
            and self._session.can_finish
        ):
            self.accept()

    def _finish(self) -> None:
        if self._session.can_finish:
            self.accept()

    def _remove_selected(self) -> None:
        row = self.payments_list.currentRow()
        if row < 0 and self._session.payments:
            row = len(self._session.payments) - 1
        if row >= 0:
            self._session.remove_payment(row)
