"""A house account's screen (from F2): its credit hold, limit and balance outstanding (read
live when Invoiced answers, else the till's copy with its age), "Use for this sale" (Enter)
and "Send statement" (Ctrl+E, online only); and the form for a new account at the counter."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from decimal import Decimal

import qasync
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.accounts import CachedAccount, CreditDecision
from pos_app.domain.invalid_input import InvalidInput
from pos_app.domain.remote import RemoteError, RemoteUnavailable
from pos_app.services.accounts import AccountDraft, AccountService, AccountView
from pos_app.ui import i18n
from pos_app.ui.field_errors import ERROR_STYLE, with_error
from pos_app.ui.i18n import _
from pos_app.ui.naming import named


def describe_account(cached: CachedAccount) -> str:
    """One line of a search result: number, name, and what a cashier must know at once."""
    a = cached.account
    parts = [_("Account {number}").format(number=a.number), a.name]
    if a.credit_hold:
        parts.append(_("CREDIT HOLD"))
    if cached.pending:
        parts.append(_("not sent yet"))
    return "   ".join(parts)


def decision_text(decision: CreditDecision, currency: str) -> str:
    """The credit check's answer in the screen's language (its English reason when the check
    gave no figures to say it with)."""
    d = decision.details
    money = {k: i18n.money(Decimal(d[k]), currency) for k in _AMOUNTS if k in d}
    texts = {
        "held": lambda: _("Account {number} is on credit hold").format(number=d["number"]),
        "currency": lambda: _(
            "Account {number} is kept in {account_currency}, not {currency}"
        ).format(**d),
        "offline": lambda: _("Invoiced cannot be reached and sales on account offline are off"),
        "over_limit": lambda: _(
            "Over the credit limit: {outstanding} outstanding + {unsent} not yet on it + "
            "{amount} this sale > {limit} (available {available})"
        ).format(**money),
        "cached": lambda: _("Checked on the till's copy"),
    }
    text = texts[decision.code]() if decision.code in texts and "number" in d else decision.reason
    minutes = d.get("age_minutes")
    if minutes is not None and decision.code in texts:
        age = (
            _("figures read {minutes} min ago").format(minutes=minutes)
            if minutes
            else _("balance never read")
        )
        text = f"{text} ({age})"
    return text


_AMOUNTS = ("outstanding", "unsent", "amount", "limit", "available")


class AccountPanel(QWidget):
    chosen = Signal()  # "Use for this sale"

    def __init__(self, accounts: AccountService, currency: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._accounts = accounts
        self._currency = currency
        self.cached: CachedAccount | None = None
        # False once the dialog holding this panel has closed: an answer arriving later
        # has no label left to write to.
        self._open = True
        self._live: asyncio.Task[None] | None = None
        self.title = named(QLabel(), "accountTitle")
        self.hold = named(QLabel(), "accountHold")
        self.limit = named(QLabel(), "accountLimit")
        self.balance = named(QLabel(), "accountBalance")
        # How fresh the figures are (a live read that failed) apart from what the cashier's
        # own actions did: a late answer to the one must not hide the other's outcome.
        self.figures_note = named(QLabel(), "accountFiguresNote")
        self.figures_note.setWordWrap(True)
        self.message = named(QLabel(), "accountMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Credit hold"), self.hold)
        form.addRow(_("Credit limit"), self.limit)
        form.addRow(_("Balance outstanding"), self.balance)
        form.addRow("", self.figures_note)
        self.use_button = named(QPushButton(_("Use for this sale (Enter)")), "useAccount")
        self.statement_button = named(QPushButton(_("Send statement (Ctrl+E)")), "sendStatement")
        self.back_button = named(QPushButton(_("Back")), "backFromAccount")
        for button in (self.use_button, self.statement_button, self.back_button):
            button.setAutoDefault(False)
        self.use_button.clicked.connect(self.chosen.emit)
        self.statement_button.clicked.connect(self.send_statement)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.statement_button)
        buttons.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+E"), self, self.send_statement)
        # Enter chooses the account, but only once the focus is on this screen: the Enter that
        # picked it in the search list must not choose it as well.
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(
                QKeySequence(key),
                self,
                self.chosen.emit,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )

    def show_account(self, cached: CachedAccount) -> None:
        """Shows the till's copy at once, then the live figures when Invoiced answers."""
        self.cached = cached
        self.message.clear()
        self.figures_note.clear()
        self._fill(cached, live=False)
        if self._live is not None:
            self._live.cancel()
        if cached.account.invoiced_id is not None:  # else Invoiced has nothing to tell yet
            self._live = self._read_live(cached.number)  # type: ignore[func-returns-value]

    def close_panel(self) -> None:
        """The dialog closed: stop reading, write nothing more."""
        self._open = False
        if self._live is not None:
            self._live.cancel()

    def _fill(self, cached: CachedAccount, *, live: bool, error: str | None = None) -> None:
        a = cached.account
        currency = a.currency or self._currency
        self.title.setText(f"{a.number}   {a.name}")
        self.hold.setText(_("Yes: no sale on account") if a.credit_hold else _("No"))
        self.limit.setText(
            i18n.money(a.credit_limit, currency) if a.credit_limit is not None else _("None")
        )
        if cached.outstanding is None:
            balance = _("never read")
        else:
            balance = i18n.money(cached.outstanding, currency)
            if not live and cached.balance_read_at is not None:
                when = cached.balance_read_at.astimezone().strftime("%Y-%m-%d %H:%M")
                balance += "   " + _("(till's copy, read {when})").format(when=when)
        self.balance.setText(balance)
        if error:
            self.figures_note.setText(_("Invoiced did not answer: {error}").format(error=error))

    @qasync.asyncSlot(str)
    async def _read_live(self, number: str) -> None:
        try:
            view: AccountView = await self._accounts.show(number)
        except (RemoteError, LookupError) as error:
            if self._open:
                self.figures_note.setText(str(error))
            return
        if not self._open or self.cached is None or self.cached.number != number:
            return  # closed, or another account is shown meanwhile
        self.cached = view.cached
        self._fill(view.cached, live=view.live, error=view.error)

    @qasync.asyncSlot()
    async def send_statement(self) -> None:
        if self.cached is None or not self.statement_button.isEnabled():
            return
        number = self.cached.number
        self.statement_button.setEnabled(False)
        self.message.setText(_("Sending the statement…"))
        try:
            sent = await self._accounts.send_statement(number)
        except RemoteError as error:
            if isinstance(error, RemoteUnavailable) and error.status is None:
                text = _("Statements need Invoiced, which cannot be reached now: nothing was sent.")
            else:
                text = _("The statement was not sent: {error}").format(error=error.message)
            if self._open:
                self.message.setText(text)
            return
        finally:
            if self._open:
                self.statement_button.setEnabled(True)
        if self._open:
            self.message.setText(
                _("Statement of {number} e-mailed ({count})").format(number=number, count=sent)
            )


class AccountForm(QWidget):
    """A new house account at the counter: name, e-mail, phone, credit limit. The service
    checks each field (a problem shows under it) and stores the account on the till first, so
    it is made offline too and sent to Invoiced once."""

    created = Signal(object)  # the CachedAccount
    FIELDS = ("name", "email", "phone", "credit_limit")

    def __init__(self, accounts: AccountService, parent: QWidget | None = None):
        super().__init__(parent)
        self._accounts = accounts
        labels = {
            "name": _("Business name"),
            "email": _("Email"),
            "phone": _("Phone"),
            "credit_limit": _("Credit limit"),
        }
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        for name in self.FIELDS:
            edit = named(QLineEdit(), f"account_{name}")
            box, error = with_error(edit, f"account_{name}_error")
            form.addRow(labels[name], box)
            edit.returnPressed.connect(self.create)
            self.edits[name], self.errors[name] = edit, error
        self.message = named(QLabel(), "accountFormMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.save_button = named(QPushButton(_("Create the account")), "saveAccount")
        self.back_button = named(QPushButton(_("Back")), "backFromNewAccount")
        for button in (self.save_button, self.back_button):
            button.setAutoDefault(False)
        self.save_button.clicked.connect(self.create)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def start(self, typed: str) -> None:
        for name, edit in self.edits.items():
            edit.setText(typed if name == "name" else "")
        self._show_problems({})
        self.message.clear()
        self.edits["name"].setFocus()

    def _show_problems(self, fields: Mapping[str, str]) -> None:
        for name, label in self.errors.items():
            label.setText(fields.get(name, ""))
            label.setVisible(name in fields)
        first_bad = next((n for n in self.FIELDS if n in fields), None)
        if first_bad is not None:
            self.edits[first_bad].setFocus()

    @qasync.asyncSlot()
    async def create(self) -> None:
        if not self.save_button.isEnabled():
            return
        text = {name: edit.text() for name, edit in self.edits.items()}
        draft = AccountDraft(
            name=text["name"],
            email=text["email"] or None,
            phone=text["phone"] or None,
            credit_limit=text["credit_limit"] or None,
        )
        self.save_button.setEnabled(False)
        try:
            cached = await self._accounts.create(draft)
        except InvalidInput as error:
            self._show_problems(error.fields)
            self.message.setText(_("Check the fields in red"))
            return
        finally:
            self.save_button.setEnabled(True)
        self.created.emit(cached)
