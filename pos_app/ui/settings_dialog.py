"""Settings: the API and its credentials, the store and its location, taxes and rounding,
printing (a thermal printer's connection, profile and cash drawer, with "Print a test page" on
what is typed, before saving), languages. Saved through the settings store, which keeps
secrets apart (mode 0600).

A stored secret is never shown again: its field stays empty with a placeholder saying one is
stored, and an empty field keeps it. Receipts pick up store, tax and printing changes at the
next sale, the API connection at once (the sync worker tries its queue against the new API);
the printer and the UI language at the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.cart import CashRounding, InclusiveTarget, Policy, Tax, TaxRounding
from pos_app.domain.money import AmountError, RoundingMode, to_decimal
from pos_app.domain.paper import Paper, PrintError, ReceiptLanguage
from pos_app.domain.receipt import Address
from pos_app.domain.remote import RemoteError
from pos_app.services.locations import LocationService
from pos_app.services.printer_setup import PrinterSetupService
from pos_app.services.runtime import SettingsStore
from pos_app.services.settings import (
    INVOICED_PRODUCTION,
    INVOICED_SANDBOX,
    Secrets,
    Settings,
    SettingsInvalid,
)
from pos_app.ui.i18n import UI_LANGUAGES, _
from pos_app.ui.naming import named

_ERROR_STYLE = "color:#b71c1c;"


def _combo(name: str, choices: list[tuple[str, str]], current: str) -> QComboBox:
    """A combo box of (value, label) pairs with `current` selected."""
    combo = named(QComboBox(), name)
    for value, label in choices:
        combo.addItem(label, value)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    return combo


def _value(combo: QComboBox) -> str:
    return str(combo.currentData())


class SettingsDialog(QDialog):
    def __init__(
        self,
        store: SettingsStore,
        locations: LocationService,
        printers: PrinterSetupService,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._printers = printers
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Settings"))
        self.setMinimumSize(760, 620)
        self._store = store
        self._locations = locations
        self._settings = store.settings()
        self._secrets = store.secrets()
        self.saved: Settings | None = None
        # The settings service's message for a setting, under its field (hidden when none).
        self.errors: dict[str, QLabel] = {}
        s = self._settings

        tabs = named(QTabWidget(), "settingsTabs")
        tabs.addTab(self._connection_tab(s), _("Connection"))
        tabs.addTab(self._scrolled(self._store_tab(s)), _("Store"))
        tabs.addTab(self._taxes_tab(s), _("Taxes and rounding"))
        tabs.addTab(self._printing_tab(s), _("Printing and languages"))
        self.message = named(QLabel(), "settingsMessage")
        self.message.setStyleSheet(_ERROR_STYLE)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    # -- tabs ------------------------------------------------------------------------------

    def _connection_tab(self, s: Settings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.api_url = named(QLineEdit(s.api_url or ""), "apiUrl")
        self.api_url.setPlaceholderText(_("Empty: demo mode with the built-in sandbox"))
        self.business_id = named(QLineEdit(s.business_id or ""), "businessId")
        self.route_mode = _combo(
            "routeMode",
            [
                ("", _("Automatic (scoped when a business id is set)")),
                ("scoped", _("Scoped: /v1/businesses/{id}/…")),
                ("unscoped", _("Unscoped: /v1/…")),
            ],
            s.route_mode or "",
        )
        self.token_url = named(QLineEdit(s.token_url), "tokenUrl")
        self.client_id = named(QLineEdit(s.client_id or ""), "clientId")
        self.api_token = self._secret_field("apiToken", bool(self._secrets.api_token))
        self.client_secret = self._secret_field("clientSecret", bool(self._secrets.client_secret))
        self.forget_secrets = QCheckBox(_("Forget the stored token and secret"))
        self.forget_secrets.setObjectName("forgetSecrets")
        form.addRow(_("API URL"), self.api_url)
        self._error_row(form, "api_url")
        form.addRow(_("Business id"), self.business_id)
        form.addRow(_("Routes"), self.route_mode)
        form.addRow(_("Token URL (OAuth2)"), self.token_url)
        self._error_row(form, "token_url")
        form.addRow(_("Client id (OAuth2)"), self.client_id)
        form.addRow(_("Client secret (OAuth2)"), self.client_secret)
        form.addRow(_("API token"), self.api_token)
        form.addRow("", self.forget_secrets)
        self._invoiced_rows(form, s)
        form.addRow("", QLabel(_("Connection changes apply as soon as they are saved.")))
        return page

    def _invoiced_rows(self, form: QFormLayout, s: Settings) -> None:
        """House accounts: Invoiced's URL (production, its sandbox, or a local one), its API
        key (a secret like the others) and whether the till's copy may allow a sale offline."""
        self.invoiced_url = named(QComboBox(), "invoicedUrl")
        self.invoiced_url.setEditable(True)
        self.invoiced_url.addItems(["", INVOICED_PRODUCTION, INVOICED_SANDBOX])
        self.invoiced_url.setCurrentText(s.invoiced_url or "")
        line = self.invoiced_url.lineEdit()
        if line is not None:
            line.setPlaceholderText(_("Empty: no house accounts (demo mode: the sandbox's)"))
        self.invoiced_key = self._secret_field("invoicedKey", bool(self._secrets.invoiced_key))
        self.accounts_offline = named(
            QCheckBox(_("Allow sales on account offline (on the till's copy of the figures)")),
            "accountsOffline",
        )
        self.accounts_offline.setChecked(s.accounts_offline)
        form.addRow(QLabel(_("House accounts (Invoiced)")))
        form.addRow(_("Invoiced URL"), self.invoiced_url)
        self._error_row(form, "invoiced_url")
        form.addRow(_("Invoiced API key"), self.invoiced_key)
        form.addRow("", self.accounts_offline)

    def _error_label(self, setting: str) -> QLabel:
        label = named(QLabel(), f"{setting}Error")
        label.setStyleSheet(_ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        self.errors[setting] = label
        return label

    def _error_row(self, form: QFormLayout, setting: str) -> None:
        """A row under the field just added, for what the settings service says about it."""
        form.addRow("", self._error_label(setting))

    def _show_problems(self, problems: dict[str, str]) -> None:
        for setting, label in self.errors.items():
            message = problems.get(setting)
            label.setText(_(message) if message else "")
            label.setVisible(bool(message))

    @staticmethod
    def _scrolled(page: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setWidget(page)
        return area

    def _secret_field(self, name: str, stored: bool) -> QLineEdit:
        field = named(QLineEdit(), name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setPlaceholderText(
            _("Stored — type a new one to replace it") if stored else _("Not set")
        )
        return field

    def _store_tab(self, s: Settings) -> QWidget:
        st = s.store
        page = QWidget()
        form = QFormLayout(page)
        self.location = named(QComboBox(), "locationChoice")
        self.location.addItem(_("(not chosen)"), "")
        if s.location_id:
            self.location.addItem(st.location_name or s.location_id, s.location_id)
            self.location.setCurrentIndex(1)
        load = named(QPushButton(_("Load the API's locations")), "loadLocations")
        load.clicked.connect(self._load_locations)
        use = named(QPushButton(_("Use this location")), "useLocation")
        use.clicked.connect(self._use_location)
        self.location_message = named(QLabel(), "locationMessage")
        row = QHBoxLayout()
        row.addWidget(load)
        row.addWidget(use)
        row.addStretch(1)
        form.addRow(_("Location"), self.location)
        form.addRow("", row)
        form.addRow("", self.location_message)
        a = st.address
        self.store_fields: dict[str, QLineEdit] = {}
        for key, label, value in (
            ("business_name", _("Business name"), st.business_name),
            ("location_name", _("Store name"), st.location_name),
            ("line1", _("Address"), a.line1),
            ("line2", _("Address (2)"), a.line2),
            ("city", _("City"), a.city),
            ("state", _("Province or state"), a.state),
            ("state_code", _("Province code"), a.state_code),
            ("postal_code", _("Postal code"), a.postal_code),
            ("country", _("Country"), a.country),
            ("country_code", _("Country code"), a.country_code),
            ("phone", _("Phone"), st.phone),
            ("email", _("Email"), st.email),
            ("website", _("Website"), st.website),
            ("timezone", _("Time zone"), st.timezone),
            ("return_policy", _("Return policy"), st.return_policy),
            ("thank_you", _("Thank-you line"), st.thank_you),
        ):
            field = named(QLineEdit(value), f"store_{key}")
            self.store_fields[key] = field
            form.addRow(label, field)
            if key == "business_name":
                self._error_row(form, key)
        self.register_prefix = named(QLineEdit(s.register_prefix), "registerPrefix")
        self.currency = named(QLineEdit(s.currency), "currency")
        form.addRow(_("Register prefix"), self.register_prefix)
        self._error_row(form, "register_prefix")
        form.addRow(_("Currency"), self.currency)
        self._error_row(form, "currency")
        self.tax_numbers = named(QTableWidget(0, 2), "taxNumbers")
        self.tax_numbers.setHorizontalHeaderLabels([_("Tax"), _("Registration number")])
        self.tax_numbers.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for tax, number in st.tax_numbers.items():
            self._add_row(self.tax_numbers, [tax, number])
        self.tax_numbers.setMinimumHeight(110)
        form.addRow(
            _("Tax registration numbers"),
            self._table_with_buttons(self.tax_numbers, self._add_empty_number_row),
        )
        return page

    def _taxes_tab(self, s: Settings) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        explanation = QLabel(
            _(
                "One row per tax of each catalog tax code (a code such as GST+QST may also"
                " combine codes). A code with no tax name is zero-rated."
            )
        )
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self.taxes = named(QTableWidget(0, 4), "taxCodes")
        self.taxes.setHorizontalHeaderLabels([_("Code"), _("Tax"), _("Rate (%)"), _("Compound")])
        self.taxes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for code, taxes in s.tax_codes.items():
            for tax in taxes or (None,):
                if tax is None:
                    self._add_tax_row(code, "", "", compound=False)
                else:
                    self._add_tax_row(code, tax.name, f"{tax.percentage:f}", tax.compound)
        layout.addWidget(self._table_with_buttons(self.taxes, self._add_empty_tax_row), 1)
        layout.addWidget(self._error_label("tax_codes"))
        p = s.policy
        form = QFormLayout()
        self.tax_rounding = _combo(
            "taxRounding",
            [
                (TaxRounding.PER_LINE.value, _("Per line")),
                (TaxRounding.GLOBAL.value, _("Per receipt")),
            ],
            p.tax_rounding.value,
        )
        self.rounding_mode = _combo(
            "roundingMode",
            [("HALF_UP", _("Half up")), ("HALF_EVEN", _("Half even (banker's)"))],
            p.rounding_mode.name,
        )
        self.inclusive_target = _combo(
            "inclusiveTarget",
            [
                (InclusiveTarget.TAX.value, _("Round the taxes")),
                (InclusiveTarget.NET.value, _("Round the net")),
            ],
            p.inclusive_target.value,
        )
        self.cash_rounding = _combo(
            "cashRounding",
            [
                (CashRounding.CA_005.value, _("To 0.05 (Canada)")),
                (CashRounding.NONE.value, _("None")),
            ],
            p.cash_rounding.value,
        )
        form.addRow(_("Tax rounding"), self.tax_rounding)
        form.addRow(_("Rounding mode"), self.rounding_mode)
        form.addRow(_("Prices with taxes included"), self.inclusive_target)
        form.addRow(_("Cash rounding"), self.cash_rounding)
        layout.addLayout(form)
        return page

    def _printing_tab(self, s: Settings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.printer = _combo(
            "printer",
            [
                ("none", _("None (PDF kept in the receipts folder)")),
                ("cups", _("CUPS print queue")),
                ("folder", _("PDF files in a folder")),
                ("escpos", _("Thermal printer (ESC/POS)")),
            ],
            s.printer,
        )
        self.printer_target = named(QLineEdit(s.printer_target or ""), "printerTarget")
        self.printer_target.setPlaceholderText(
            _("Queue name, folder path, or tcp://192.168.1.50, usb://04b8:0202, /dev/usb/lp0")
        )
        self.printer_profile = _combo(
            "printerProfile", list(self._printers.profiles), s.printer_profile
        )
        self.printer_timeout = named(QDoubleSpinBox(), "printerTimeout")
        self.printer_timeout.setRange(0.5, 60.0)
        self.printer_timeout.setSingleStep(0.5)
        self.printer_timeout.setSuffix(" s")
        self.printer_timeout.setValue(s.printer_timeout)
        self.cash_drawer = QCheckBox(_("Open the cash drawer for cash (on the thermal printer)"))
        self.cash_drawer.setObjectName("cashDrawer")
        self.cash_drawer.setChecked(s.cash_drawer)
        self.test_page = named(QPushButton(_("Print a test page")), "printTestPage")
        self.test_page.clicked.connect(self.print_test_page)
        self.test_result = named(QLabel(), "printerTestResult")
        self.test_result.setWordWrap(True)
        self.printer.currentIndexChanged.connect(self._printer_kind_changed)
        self.paper = _combo(
            "paper",
            [
                (Paper.ROLL_80MM.value, _("80 mm roll")),
                (Paper.ROLL_58MM.value, _("58 mm roll")),
                (Paper.LETTER.value, _("Letter")),
                (Paper.A4.value, "A4"),
            ],
            s.paper.value,
        )
        self.receipt_language = _combo(
            "receiptLanguage",
            [
                (ReceiptLanguage.FR_EN.value, _("French and English")),
                (ReceiptLanguage.FR.value, "Français"),
                (ReceiptLanguage.EN.value, "English"),
            ],
            s.receipt_language.value,
        )
        self.ui_language = _combo("uiLanguage", list(UI_LANGUAGES.items()), s.ui_language)
        self.receipt_logo = named(QLineEdit(s.receipt_logo or ""), "receiptLogo")
        self.receipt_logo.setPlaceholderText(_("Image file (PNG or JPEG), optional"))
        pick_logo = QPushButton(_("Choose…"))
        pick_logo.clicked.connect(self._choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.receipt_logo, 1)
        logo_row.addWidget(pick_logo)
        form.addRow(_("Printer"), self.printer)
        form.addRow(_("Queue, folder or connection"), self.printer_target)
        form.addRow(_("Thermal printer"), self.printer_profile)
        form.addRow(_("Printer timeout"), self.printer_timeout)
        form.addRow("", self.cash_drawer)
        form.addRow(self.test_page, self.test_result)
        form.addRow(_("Paper"), self.paper)
        form.addRow(_("Receipt language"), self.receipt_language)
        form.addRow(_("Receipt logo"), logo_row)
        self._error_row(form, "receipt_logo")
        form.addRow(_("Screen language"), self.ui_language)
        form.addRow("", QLabel(_("The printer and the screen language change after a restart.")))
        self._printer_kind_changed()
        return page

    def _printer_kind_changed(self) -> None:
        thermal = _value(self.printer) == "escpos"
        for widget in (self.printer_profile, self.printer_timeout, self.cash_drawer):
            widget.setEnabled(thermal)
        self.test_page.setEnabled(thermal)

    @qasync.asyncSlot()
    async def print_test_page(self) -> None:
        """A test page on the printer as typed (not yet saved), said beside the button."""
        settings, _problems = self._read()
        problem = self._printers.problem(settings)
        if problem:
            self._say_test(_("Not printed: {error}").format(error=problem), error=True)
            return
        self.test_page.setEnabled(False)
        self._say_test(_("Printing a test page…"), error=False)
        try:
            await self._printers.print_test_page(settings)
        except (PrintError, ValueError) as error:
            self._say_test(_("Not printed: {error}").format(error=error), error=True)
        else:
            self._say_test(_("Test page printed"), error=False)
        finally:
            self.test_page.setEnabled(_value(self.printer) == "escpos")

    def _say_test(self, text: str, *, error: bool) -> None:
        self.test_result.setStyleSheet(_ERROR_STYLE if error else "")
        self.test_result.setText(text)

    # -- tables ----------------------------------------------------------------------------

    @staticmethod
    def _add_row(table: QTableWidget, values: list[str]) -> None:
        row = table.rowCount()
        table.insertRow(row)
        for column, value in enumerate(values):
            table.setItem(row, column, QTableWidgetItem(value))

    def _add_tax_row(self, code: str, name: str, rate: str, compound: bool) -> None:
        self._add_row(self.taxes, [code, name, rate])
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        check.setCheckState(Qt.CheckState.Checked if compound else Qt.CheckState.Unchecked)
        self.taxes.setItem(self.taxes.rowCount() - 1, 3, check)

    def _add_empty_tax_row(self) -> None:
        self._add_tax_row("", "", "", compound=False)

    def _add_empty_number_row(self) -> None:
        self._add_row(self.tax_numbers, ["", ""])

    def _table_with_buttons(self, table: QTableWidget, add_row: Callable[[], None]) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(table, 1)
        row = QHBoxLayout()
        add = QPushButton(_("Add a row"))
        remove = QPushButton(_("Remove the row"))
        add.clicked.connect(add_row)
        remove.clicked.connect(lambda: table.removeRow(table.currentRow()))
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    @staticmethod
    def _cells(table: QTableWidget) -> list[list[str]]:
        rows = []
        for r in range(table.rowCount()):
            cells = []
            for c in range(table.columnCount()):
                item = table.item(r, c)
                cells.append(item.text().strip() if item is not None else "")
            rows.append(cells)
        return rows

    # -- locations -------------------------------------------------------------------------

    @qasync.asyncSlot()
    async def _load_locations(self) -> None:
        self.location_message.setText(_("Loading…"))
        try:
            listing = await self._locations.list_locations()
        except RemoteError as error:
            self.location_message.setText(error.message)
            return
        current = _value(self.location)
        self.location.clear()
        self.location.addItem(_("(not chosen)"), "")
        for record in listing.locations:
            self.location.addItem(record.name or record.id, record.id)
        self.location.setCurrentIndex(max(self.location.findData(current), 0))
        note = _("Offline: the last known list") if listing.from_cache else ""
        count = _("{count} locations").format(count=len(listing.locations))
        self.location_message.setText(f"{count}. {note}".strip())

    @qasync.asyncSlot()
    async def _use_location(self) -> None:
        location_id = _value(self.location)
        if not location_id:
            return
        try:
            choice = await self._locations.choose(location_id)
        except (RemoteError, LookupError, ValueError) as error:
            self.location_message.setText(str(error))
            return
        st, a = choice.store, choice.store.address
        values = {
            "location_name": st.location_name,
            "line1": a.line1,
            "line2": a.line2,
            "city": a.city,
            "state": a.state,
            "state_code": a.state_code,
            "postal_code": a.postal_code,
            "country": a.country,
            "country_code": a.country_code,
            "phone": st.phone,
            "email": st.email,
            "website": st.website,
            "timezone": st.timezone,
        }
        for key, value in values.items():
            self.store_fields[key].setText(value or "")
        self.location_message.setText(_("Address filled in from the location; Save to keep it."))

    # -- saving ----------------------------------------------------------------------------

    def _read(self) -> tuple[Settings, list[str]]:
        problems: list[str] = []
        s = self._settings
        f = {key: field.text().strip() for key, field in self.store_fields.items()}
        tax_numbers = {tax: number for tax, number in self._cells(self.tax_numbers) if tax}
        address = Address(
            line1=f["line1"],
            line2=f["line2"],
            city=f["city"],
            state=f["state"],
            state_code=f["state_code"],
            country=f["country"],
            country_code=f["country_code"],
            postal_code=f["postal_code"],
        )
        location_id = _value(self.location) or None
        store = replace(
            s.store,
            business_name=f["business_name"],
            location_name=f["location_name"],
            location_id=location_id,
            address=address,
            phone=f["phone"],
            email=f["email"],
            website=f["website"],
            timezone=f["timezone"] or s.store.timezone,
            tax_numbers=tax_numbers,
            return_policy=f["return_policy"],
            thank_you=f["thank_you"],
            register_prefix=self.register_prefix.text().strip(),
        )
        tax_codes: dict[str, tuple[Tax, ...]] = {}
        for number, (code, name, rate, _compound) in enumerate(self._cells(self.taxes), start=1):
            taxes = tax_codes.setdefault(code, ())
            if not name:
                continue
            try:
                percentage = to_decimal(rate.replace(",", "."))
            except AmountError:
                problems.append(
                    _("Taxes, row {row}: “{rate}” is not a rate").format(row=number, rate=rate)
                )
                continue
            check = self.taxes.item(number - 1, 3)
            compound = check is not None and check.checkState() == Qt.CheckState.Checked
            tax = Tax(name, percentage, compound=compound)
            tax_codes[code] = (*taxes, tax)
        currency = self.currency.text().strip().upper()
        policy = Policy(
            tax_rounding=TaxRounding(_value(self.tax_rounding)),
            rounding_mode=RoundingMode[_value(self.rounding_mode)],
            inclusive_target=InclusiveTarget(_value(self.inclusive_target)),
            cash_rounding=CashRounding(_value(self.cash_rounding)),
        )
        settings = s.with_changes(
            api_url=self.api_url.text().strip() or None,
            business_id=self.business_id.text().strip() or None,
            route_mode=_value(self.route_mode) or None,
            token_url=self.token_url.text().strip() or s.token_url,
            client_id=self.client_id.text().strip() or None,
            currency=currency,
            register_prefix=store.register_prefix or s.register_prefix,
            location_id=location_id,
            store=store,
            tax_codes=tax_codes,
            policy=policy,
            printer=_value(self.printer),
            printer_target=self.printer_target.text().strip() or None,
            printer_profile=_value(self.printer_profile),
            printer_timeout=self.printer_timeout.value(),
            cash_drawer=self.cash_drawer.isChecked(),
            paper=Paper(_value(self.paper)),
            receipt_language=ReceiptLanguage(_value(self.receipt_language)),
            receipt_logo=self.receipt_logo.text().strip() or None,
            ui_language=_value(self.ui_language),
            invoiced_url=self.invoiced_url.currentText().strip() or None,
            accounts_offline=self.accounts_offline.isChecked(),
        )
        printer_problem = self._printers.problem(settings)
        if printer_problem:
            problems.append(_("Thermal printer: {error}").format(error=printer_problem))
        return settings, problems

    def _choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Receipt logo"), self.receipt_logo.text(), _("Images (*.png *.jpg *.jpeg)")
        )
        if path:
            self.receipt_logo.setText(path)

    def _new_secrets(self) -> Secrets | None:
        """None leaves the stored secrets as they are (nothing typed, nothing forgotten)."""
        token, secret = self.api_token.text().strip(), self.client_secret.text().strip()
        # The Invoiced key is kept unless a new one is typed (an empty URL turns accounts off).
        key = self.invoiced_key.text().strip() or self._secrets.invoiced_key
        if self.forget_secrets.isChecked():
            return Secrets(api_token=token or None, client_secret=secret or None, invoiced_key=key)
        if not token and not secret and not self.invoiced_key.text().strip():
            return None
        return Secrets(
            api_token=token or self._secrets.api_token,
            client_secret=secret or self._secrets.client_secret,
            invoiced_key=key,
        )

    def _save(self) -> None:
        settings, problems = self._read()
        self._show_problems({})
        if problems:
            self.message.setText("\n".join(problems))
            return
        try:
            self._store.save_settings(settings, self._new_secrets())
        except SettingsInvalid as error:
            self._show_problems(error.fields)
            self.message.setText(_("Check the fields in red"))
            return
        except OSError as error:
            self.message.setText(_("The settings could not be saved: {error}").format(error=error))
            return
        self.saved = settings
        self.accept()
