"""F2: attach a customer to the sale. Typing searches the till's copy of the customers (so it
works offline too); Down and Enter pick one; "New customer" opens the form, which the
customer service checks field by field and creates on the server, or on the till when
offline (sent later). `CustomerForm` is shared with the Customers screen.

With house accounts set up, the same search finds them (name, number, e-mail or phone); picking
one opens its screen (AccountPanel), where Enter chooses it for the sale's on-account tender."""

from __future__ import annotations

from collections.abc import Mapping

import qasync
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.accounts import CachedAccount
from pos_app.domain.cart import Customer
from pos_app.domain.remote import RemoteError
from pos_app.services.accounts import AccountService
from pos_app.services.customers import (
    LOCALES,
    CustomerDraft,
    CustomerInvalid,
    CustomerRecord,
    CustomerService,
)
from pos_app.ui import i18n
from pos_app.ui.account_panel import AccountForm, AccountPanel, describe_account
from pos_app.ui.field_errors import ERROR_STYLE, with_error
from pos_app.ui.i18n import _
from pos_app.ui.naming import named


def describe(record: CustomerRecord) -> str:
    contact = " · ".join(c for c in (record.email, record.phone) if c)
    pending = f"   ({_('not sent yet')})" if record.pending else ""
    return f"{record.display_name}   {contact}{pending}"


class CustomerForm(QWidget):
    """The customer's fields, with each problem the service finds shown under its field."""

    FIELDS = ("first_name", "last_name", "email", "phone", "company")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "email": _("Email"),
            "phone": _("Phone"),
            "company": _("Company"),
        }
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout(self)
        for name in self.FIELDS:
            edit = named(QLineEdit(), f"customer_{name}")
            box, error = with_error(edit, f"customer_{name}_error")
            form.addRow(labels[name], box)
            self.edits[name], self.errors[name] = edit, error
        self.locale_combo = named(QComboBox(), "customer_locale")
        self.locale_combo.addItems(LOCALES)
        self.locale_combo.setCurrentText("fr-CA" if i18n.language() == "fr" else "en-CA")
        self.errors["locale"] = named(QLabel(), "customer_locale_error")
        self.errors["locale"].setStyleSheet(ERROR_STYLE)
        self.errors["locale"].hide()
        form.addRow(_("Language"), self.locale_combo)
        form.addRow("", self.errors["locale"])

    def draft(self) -> CustomerDraft:
        text = {name: edit.text() for name, edit in self.edits.items()}
        return CustomerDraft(
            first_name=text["first_name"],
            last_name=text["last_name"],
            locale=self.locale_combo.currentText(),
            email=text["email"] or None,
            phone=text["phone"] or None,
            company=text["company"] or None,
        )

    def load(self, draft: CustomerDraft) -> None:
        for name, edit in self.edits.items():
            edit.setText(getattr(draft, name) or "")
        if draft.locale:
            self.locale_combo.setCurrentText(draft.locale)
        self.show_problems({})

    def show_problems(self, fields: Mapping[str, str]) -> None:
        for name, label in self.errors.items():
            message = fields.get(name)
            label.setText(_(message) if message else "")
            label.setVisible(bool(message))
        first_bad = next((n for n in self.FIELDS if n in fields), None)
        if first_bad is not None:
            self.edits[first_bad].setFocus()


class CustomerDialog(QDialog):
    def __init__(
        self,
        customers: CustomerService,
        parent: QWidget | None = None,
        *,
        current: Customer | None = None,
        accounts: AccountService | None = None,
        currency: str = "CAD",
    ):
        super().__init__(parent)
        self.setObjectName("customerDialog")
        self.setWindowTitle(_("Customer"))
        self.setMinimumWidth(560)
        self._customers = customers
        self.result_customer: Customer | None = None
        # (number, name) of the house account chosen for the sale.
        self.result_account: tuple[str, str] | None = None
        self.detach = False
        self._accounts = accounts if accounts is not None and accounts.configured else None
        # Set when the dialog closes: a search still on its way has no widgets left to fill.
        self._done = False
        self.finished.connect(lambda _result: setattr(self, "_done", True))

        # Page 0: search
        self.search = named(QLineEdit(), "customerSearch")
        self.search.setPlaceholderText(
            _("Name, email, phone or account number")
            if self._accounts
            else _("Name, email or phone")
        )
        self.results = named(QListWidget(), "customerResults")
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.itemActivated.connect(self._pick)
        self.results.itemClicked.connect(self._pick)
        self.search_message = named(QLabel(), "customerSearchMessage")
        new_button = named(QPushButton(_("New customer (Ctrl+N)")), "newCustomer")
        new_button.setAutoDefault(False)
        new_button.clicked.connect(self._new)
        remove = named(QPushButton(_("Remove from the sale")), "detachCustomer")
        remove.setAutoDefault(False)
        remove.setVisible(current is not None)
        remove.clicked.connect(self._detach)
        search_page = QWidget()
        page0 = QVBoxLayout(search_page)
        if current is not None:
            page0.addWidget(QLabel(_("Customer: {name}").format(name=current.display_name)))
        page0.addWidget(self.search)
        page0.addWidget(self.results, 1)
        page0.addWidget(self.search_message)
        row = QHBoxLayout()
        row.addWidget(new_button)
        if self._accounts is not None:
            new_account = named(QPushButton(_("New account (Ctrl+Shift+N)")), "newAccount")
            new_account.setAutoDefault(False)
            new_account.clicked.connect(self._new_account)
            row.addWidget(new_account)
            QShortcut(QKeySequence("Ctrl+Shift+N"), self, self._new_account)
        row.addWidget(remove)
        row.addStretch(1)
        page0.addLayout(row)

        # Page 1: a new customer
        self.form = CustomerForm()
        self.form_message = named(QLabel(), "customerFormMessage")
        self.form_message.setStyleSheet(ERROR_STYLE)
        self.form_message.setWordWrap(True)
        self.save_button = named(QPushButton(_("Create and attach")), "saveCustomer")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self._create)
        back = named(QPushButton(_("Back")), "backToSearch")
        back.setAutoDefault(False)
        back.clicked.connect(lambda: self._show_page(0))
        form_page = QWidget()
        page1 = QVBoxLayout(form_page)
        page1.addWidget(self.form)
        page1.addWidget(self.form_message)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        page1.addLayout(buttons)
        for edit in self.form.edits.values():
            edit.returnPressed.connect(self._create)

        self.pages = QStackedWidget()
        self.pages.addWidget(search_page)
        self.pages.addWidget(form_page)
        # Page 2: a house account's screen; page 3: a new house account
        self.account_panel: AccountPanel | None = None
        self.account_form: AccountForm | None = None
        if self._accounts is not None:
            self.account_panel = AccountPanel(self._accounts, currency)
            self.account_panel.chosen.connect(self._use_account)
            self.account_panel.back_button.clicked.connect(lambda: self._show_page(0))
            self.finished.connect(lambda _result: self._close_account_panel())
            self.pages.addWidget(self.account_panel)
            self.account_form = AccountForm(self._accounts)
            self.account_form.back_button.clicked.connect(lambda: self._show_page(0))
            self.account_form.created.connect(self._account_created)
            self.pages.addWidget(self.account_form)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

        self._timer = QTimer(self, singleShot=True, interval=120)
        self._timer.timeout.connect(self._run_search)
        self.search.textEdited.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self._enter)
        self.search.installEventFilter(self)
        QShortcut(QKeySequence("Ctrl+N"), self, self._new)
        self.search.setFocus()

    # -- searching -------------------------------------------------------------------------

    @qasync.asyncSlot()
    async def _run_search(self) -> None:
        if self._done:
            return  # closed between the pause and this task's turn
        text = self.search.text()
        found: list[CustomerRecord | CachedAccount] = []
        if text.strip():
            if self._accounts is not None:
                found.extend(await self._accounts.search(text, 20))
            found.extend(await self._customers.search(text))
        if self._done or text != self.search.text():
            return  # closed, or typed on meanwhile
        self.results.clear()
        for record in found:
            label = (
                describe_account(record) if isinstance(record, CachedAccount) else describe(record)
            )
            entry = QListWidgetItem(label)
            entry.setData(Qt.ItemDataRole.UserRole, record)
            self.results.addItem(entry)
        if found:
            self.results.setCurrentRow(0)
        self.search_message.setText(
            "" if found or not text.strip() else _("No customer found: Ctrl+N creates one")
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                row = self.results.currentRow() + step
                self.results.setCurrentRow(max(0, min(row, self.results.count() - 1)))
                return True
        return super().eventFilter(watched, event)

    def _enter(self) -> None:
        if self._timer.isActive():  # Enter came before the pause: search now, then pick
            self._timer.stop()
            task = self._run_search()
            task.add_done_callback(lambda _t: self._enter_after_search())
            return
        self._enter_after_search()

    def _enter_after_search(self) -> None:
        entry = self.results.currentItem()
        if entry is not None:
            self._pick(entry)

    def _pick(self, entry: QListWidgetItem) -> None:
        record: CustomerRecord | CachedAccount = entry.data(Qt.ItemDataRole.UserRole)
        if isinstance(record, CachedAccount):
            assert self.account_panel is not None
            self.account_panel.show_account(record)
            self._show_page(2)
            return
        self.result_customer = record.to_customer()
        self.accept()

    def _new_account(self) -> None:
        if self.account_form is None:
            return
        self._timer.stop()  # the typed text goes to the form; no search is wanted now
        self.pages.setCurrentIndex(3)
        self.account_form.start(self.search.text().strip())

    def _account_created(self, cached: CachedAccount) -> None:
        assert self.account_panel is not None
        self.account_panel.show_account(cached)
        self._show_page(2)
        if cached.pending:
            note = _("Account {number} created on this till; it goes to Invoiced once it answers")
        else:
            note = _("Account {number} created in Invoiced")
        self.account_panel.message.setText(note.format(number=cached.number))

    def _close_account_panel(self) -> None:
        if self.account_panel is not None:
            self.account_panel.close_panel()

    def _use_account(self) -> None:
        panel = self.account_panel
        if panel is None or panel.cached is None:
            return
        self.result_account = (panel.cached.number, panel.cached.account.name)
        self.accept()

    def _detach(self) -> None:
        self.detach = True
        self.reject()

    # -- creating --------------------------------------------------------------------------

    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        if page == 2 and self.account_panel is not None:
            self.account_panel.use_button.setFocus()
            return
        (self.form.edits["first_name"] if page else self.search).setFocus()

    def _new(self) -> None:
        typed = self.search.text().strip()
        draft = CustomerDraft(locale=self.form.locale_combo.currentText())
        if "@" in typed:
            draft = CustomerDraft(locale=draft.locale, email=typed)
        elif typed.replace(" ", "").replace("-", "").isdigit():
            draft = CustomerDraft(locale=draft.locale, phone=typed)
        elif typed:
            first, _sep, last = typed.partition(" ")
            draft = CustomerDraft(first_name=first, last_name=last, locale=draft.locale)
        self.form.load(draft)
        self.form_message.clear()
        self._show_page(1)

    @qasync.asyncSlot()
    async def _create(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.save_button.setEnabled(False)
        try:
            record = await self._customers.create(self.form.draft())
        except CustomerInvalid as error:
            self.form.show_problems(error.fields)
            self.form_message.setText(_("Check the fields in red"))
            return
        except RemoteError as error:
            self.form_message.setText(
                _("The customer was not created: {error}").format(error=error.message)
            )
            return
        finally:
            self.save_button.setEnabled(True)
        self.result_customer = record.to_customer()
        self.accept()
