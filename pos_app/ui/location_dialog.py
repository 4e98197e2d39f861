"""New or edit a location: its details on the left, its address (printed on receipts) on the
right. The location service checks every field before anything is sent; each problem shows
under its field, and nothing is kept on the till when the API cannot be reached (locations
live on Smartbills only)."""

from __future__ import annotations

from collections.abc import Mapping

import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import MINOR_UNITS
from pos_app.domain.receipt import Address
from pos_app.domain.remote import RemoteConflict, RemoteError, RemoteUnavailable
from pos_app.services.locations import (
    LocationDraft,
    LocationInvalid,
    LocationRecord,
    LocationService,
    UnknownLocation,
    time_zones,
)
from pos_app.ui.i18n import _
from pos_app.ui.naming import named

_ERROR_STYLE = "color:#b71c1c;"
# The server's answer to a second location with the same email or phone (its 409).
TAKEN = "another location already has this email or phone"


def _labels() -> dict[str, str]:
    # Built when a form is, not at import: `_` follows the language installed at start-up.
    return {
        "name": _("Name"),
        "description": _("Description"),
        "merchant_category_code": _("Merchant category code"),
        "currency": _("Currency"),
        "timezone": _("Time zone"),
        "phone": _("Phone"),
        "email": _("Email"),
        "website": _("Website"),
        "line1": _("Address line 1"),
        "line2": _("Address line 2"),
        "city": _("City"),
        "state": _("Province or state"),
        "state_code": _("Province or state code"),
        "country": _("Country"),
        "country_code": _("Country code"),
        "postal_code": _("Postal code"),
    }


def _choices(name: str, items: list[str], placeholder: str) -> QComboBox:
    """An editable list that completes what is typed anywhere in a name ("toronto" finds
    America/Toronto); the service checks what is finally typed."""
    combo = named(QComboBox(), f"location_{name}")
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(["", *items])
    completer = QCompleter(items, combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    combo.setCompleter(completer)
    line = combo.lineEdit()
    assert line is not None  # an editable combo box always has one
    line.setPlaceholderText(placeholder)
    return combo


class LocationForm(QWidget):
    """The location's fields, with each problem the service finds shown under its field."""

    DETAILS = (
        "name",
        "description",
        "merchant_category_code",
        "currency",
        "timezone",
        "phone",
        "email",
        "website",
    )
    ADDRESS = (
        "line1",
        "line2",
        "city",
        "state",
        "state_code",
        "postal_code",
        "country",
        "country_code",
    )

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        labels = _labels()
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.currency = _choices("currency", sorted(MINOR_UNITS), "CAD")
        self.timezone = _choices("timezone", list(time_zones()), "America/Toronto")
        self.active = named(QCheckBox(_("Active (in use by a store)")), "location_is_active")
        self.active.setChecked(True)

        details = QGroupBox(_("Location"))
        details_form = QFormLayout(details)
        for name in self.DETAILS:
            widget: QWidget = (
                self.currency
                if name == "currency"
                else self.timezone
                if name == "timezone"
                else self._line_edit(name)
            )
            details_form.addRow(labels[name], self._with_error(name, widget))
        details_form.addRow("", self.active)
        address = QGroupBox(_("Address (printed on receipts)"))
        address_form = QFormLayout(address)
        for name in self.ADDRESS:
            address_form.addRow(labels[name], self._with_error(name, self._line_edit(name)))

        self.edits["name"].setPlaceholderText(_("required"))
        # No sample values as placeholders: grey "5411" or "CA" read as filled-in data.
        self.edits["merchant_category_code"].setMaxLength(4)
        self.edits["website"].setPlaceholderText("https://")

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(details, 1)
        row.addWidget(address, 1)

    def _line_edit(self, name: str) -> QLineEdit:
        edit = named(QLineEdit(), f"location_{name}")
        self.edits[name] = edit
        return edit

    def _with_error(self, name: str, widget: QWidget) -> QVBoxLayout:
        error = named(QLabel(), f"location_{name}_error")
        error.setStyleSheet(_ERROR_STYLE)
        # Not wrapped: a wrapped label inside a form row gets the height of one line and is
        # cut off; an unwrapped one widens the dialog instead, which reads fine.
        error.hide()
        self.errors[name] = error
        box = QVBoxLayout()
        box.setSpacing(0)
        box.addWidget(widget)
        box.addWidget(error)
        return box

    def field(self, name: str) -> QWidget:
        """The input of a field (its line edit, or the currency or time zone list)."""
        if name == "currency":
            return self.currency
        if name == "timezone":
            return self.timezone
        return self.edits[name]

    def draft(self, base: LocationDraft | None = None) -> LocationDraft:
        """What is typed, over `base` (the edited location: fields the form does not show,
        such as its locale, are sent back as they were)."""
        text = {name: edit.text() for name, edit in self.edits.items()}
        text["currency"] = self.currency.currentText()
        text["timezone"] = self.timezone.currentText()
        address = Address(**{name: text.pop(name) for name in self.ADDRESS})
        return LocationDraft(
            name=text["name"],
            description=text["description"] or None,
            merchant_category_code=text["merchant_category_code"] or None,
            currency=text["currency"] or None,
            timezone=text["timezone"] or None,
            phone=text["phone"] or None,
            email=text["email"] or None,
            website=text["website"] or None,
            address=address,
            locale=base.locale if base is not None else None,
            is_active=self.active.isChecked(),
        )

    def load(self, draft: LocationDraft) -> None:
        for name in self.DETAILS:
            if name not in ("currency", "timezone"):
                self.edits[name].setText(getattr(draft, name) or "")
        for name in self.ADDRESS:
            self.edits[name].setText(getattr(draft.address, name))
        self.currency.setCurrentText(draft.currency or "")
        self.timezone.setCurrentText(draft.timezone or "")
        self.active.setChecked(draft.is_active)
        self.show_problems({})

    def show_problems(self, fields: Mapping[str, str]) -> None:
        for name, label in self.errors.items():
            message = fields.get(name)
            label.setText(_(message) if message else "")
            label.setVisible(bool(message))
        first_bad = next((n for n in (*self.DETAILS, *self.ADDRESS) if n in fields), None)
        if first_bad is not None:
            self.field(first_bad).setFocus()


class LocationDialog(QDialog):
    """Create (record None) or edit a location; saved through the service, which checks it."""

    def __init__(
        self,
        locations: LocationService,
        record: LocationRecord | None,
        parent: QWidget | None = None,
        *,
        defaults: LocationDraft | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("locationDialog")
        self.setWindowTitle(_("New location") if record is None else record.name)
        self._locations = locations
        self._record = record
        self._base = record.draft() if record is not None else None
        self.saved: LocationRecord | None = None
        self.form = LocationForm()
        self.form.load(self._base or defaults or LocationDraft())
        self.message = named(QLabel(), "locationDialogMessage")
        self.message.setStyleSheet(_ERROR_STYLE)
        self.message.setWordWrap(True)
        self.save_button = named(QPushButton(_("Save")), "saveLocation")
        self.save_button.setDefault(True)
        cancel = named(QPushButton(_("Cancel")), "cancelLocation")
        self.save_button.clicked.connect(self._save)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        # Roomy by default, but no fixed minimum: a fixed one would stop the layout from
        # widening the dialog for longer labels and messages (French), which then get cut.
        hint = self.sizeHint()
        self.resize(max(hint.width(), 860), hint.height())
        self.form.edits["name"].setFocus()

    @qasync.asyncSlot()
    async def _save(self) -> None:
        if not self.save_button.isEnabled():
            return  # a second click while the first save is on its way
        self.save_button.setEnabled(False)
        self.message.clear()
        try:
            draft = self.form.draft(self._base)
            if self._record is None:
                self.saved = await self._locations.create(draft)
            else:
                self.saved = await self._locations.update(self._record.id, draft)
        except LocationInvalid as error:
            self._show_problems(error.fields)
            self.message.setText(
                _("Check the fields in red") if error.fields else "\n".join(error.problems)
            )
            return
        except RemoteConflict as error:
            self._show_problems({"email": TAKEN, "phone": TAKEN})
            self.message.setText(error.message)
            return
        except RemoteUnavailable as error:
            self.message.setText(
                _(
                    "Smartbills cannot be reached: locations are created and changed there "
                    "only. Nothing was saved; try again once it answers. ({error})"
                ).format(error=error.__cause__ or error.message)
            )
            return
        except UnknownLocation:
            self.message.setText(_("This location no longer exists on Smartbills"))
            return
        except RemoteError as error:
            self.message.setText(error.message)
            return
        finally:
            self.save_button.setEnabled(True)
        self.accept()

    def _show_problems(self, fields: Mapping[str, str]) -> None:
        self.form.show_problems(fields)
        # The messages add lines (and may be wider than a field, in French): grow to show
        # them whole rather than squeeze the labels.
        self.adjustSize()
