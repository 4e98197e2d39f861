"""The Locations screen (Ctrl+5) creating, editing and deleting locations on the sandbox
through the real window: bad fields are shown under their fields with no request made, a
location taken by email or phone is marked, and an unreachable API saves nothing."""

from __future__ import annotations

from typing import Any

import httpx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QTableWidget

from pos_app.ui.location_dialog import LocationDialog
from pos_app.ui.locations_screen import LocationsScreen
from tests.fixtures.sandbox import SANDBOX_TOKEN
from tests.ui.conftest import Till, TillFactory, dialog_of, type_text, until

TAKEN = "another location already has this email or phone"


def _server_locations(till: Till) -> list[dict[str, Any]]:
    answer = httpx.get(
        f"{till.sandbox.url}/v1/locations",
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
    )
    answer.raise_for_status()
    return answer.json()["data"]  # type: ignore[no-any-return]


def _pending_faults(till: Till) -> list[int]:
    failing: list[int] = till.sandbox.faults()["failNext"]
    return failing


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


async def _open_screen(till: Till) -> LocationsScreen:
    till.press(Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    screen = till.window.locations
    await until(lambda: screen.isVisible() and "No location yet" in screen.detail.toPlainText())
    return screen


def _shown_errors(form: Any) -> dict[str, str]:
    """The field messages the form shows, by field."""
    return {name: label.text() for name, label in form.errors.items() if label.isVisible()}


def _replace_text(dialog: LocationDialog, name: str, text: str) -> None:
    """Selects what the field holds and types `text` over it, as a person does."""
    widget = dialog.form.field(name)
    edit = widget.lineEdit() if isinstance(widget, QComboBox) else widget
    assert isinstance(edit, QLineEdit)
    edit.selectAll()
    type_text(edit, text)


async def test_create_edit_delete_a_location(open_till: TillFactory) -> None:
    async with open_till() as till:
        screen = await _open_screen(till)
        screen.create()
        dialog = await dialog_of(LocationDialog)
        form = dialog.form
        # New locations start from this till's currency and time zone.
        assert (form.currency.currentText(), form.timezone.currentText()) == (
            "CAD",
            "America/Toronto",
        )

        # Bad fields: refused under each field, and no request made (the next /v1 request
        # would be answered 503; it is still pending afterwards).
        till.sandbox.set_faults(fail_next=[503])
        _replace_text(dialog, "currency", "CDN")
        _replace_text(dialog, "timezone", "Montreal")
        type_text(form.edits["merchant_category_code"], "54")
        type_text(form.edits["email"], "shop@")
        dialog.save_button.click()
        refused = {
            "name": "is required",
            "merchant_category_code": "must be 4 digits (such as 5411)",
            "currency": "is not an ISO 4217 currency code (such as CAD)",
            "timezone": "is not a time zone name (such as America/Toronto)",
            "email": "is not an email address",
        }
        await until(
            lambda: (
                _shown_errors(form) == refused
                and dialog.message.text() == "Check the fields in red"
            ),
            what="the fields refused",
        )
        assert form.edits["name"].hasFocus()  # the first field to fix
        assert _pending_faults(till) == [503]
        till.sandbox.set_faults(fail_next=[])

        type_text(form.edits["name"], "Dépanneur Mile End")
        _replace_text(dialog, "currency", "cad")
        _replace_text(dialog, "timezone", "America/Toronto")
        type_text(form.edits["merchant_category_code"], "11")
        form.edits["email"].clear()
        type_text(form.edits["email"], "mileend@example.ca")
        type_text(form.edits["phone"], "514 555-0199")
        type_text(form.edits["line1"], "5000 boul. Saint-Laurent")
        type_text(form.edits["city"], "Montréal")
        type_text(form.edits["postal_code"], "h2t 1r8")
        dialog.save_button.click()
        await until(
            lambda: (
                screen.table.rowCount() == 1
                and "Dépanneur Mile End saved" in screen.banner.label.text()
            ),
            what="the location saved and listed",
        )
        assert screen.banner.isVisible()
        assert _cell(screen.table, 0, 0) == "Dépanneur Mile End"
        [on_server] = _server_locations(till)
        assert (on_server["name"], on_server["currency"], on_server["merchantCategoryCode"]) == (
            "Dépanneur Mile End",
            "CAD",
            "5411",
        )
        assert on_server["address"]["postalCode"] == "H2T 1R8"
        assert on_server["isActive"] is True

        # This till belongs to it from now on.
        screen.table.selectRow(0)
        screen.use_selected()
        await until(lambda: "now belongs to" in screen.banner.label.text())
        assert till.runtime.settings().store.phone == "514 555-0199"

        # Edit: the selected row, with Return.
        screen.table.selectRow(0)
        screen.table.setFocus()
        screen.banner.hide()
        type_text(screen.table, "", enter=True)
        dialog = await dialog_of(LocationDialog)
        assert dialog.form.edits["city"].text() == "Montréal"
        _replace_text(dialog, "phone", "514 555-0100")
        dialog.save_button.click()
        # It is this till's location: its receipts carry the new phone from the next sale.
        await until(
            lambda: (
                "receipts carry the new details" in screen.banner.label.text()
                and _cell(screen.table, 0, 2) == "514 555-0100"
            ),
            what="the change saved and listed",
        )
        assert screen.banner.isVisible()
        [on_server] = _server_locations(till)
        assert on_server["phoneNumber"] == "514 555-0100"
        assert on_server["address"]["city"] == "Montréal"  # the untouched fields kept
        assert till.runtime.settings().store.phone == "514 555-0100"

        # Made inactive: saved, and this till's receipts keep what they had.
        screen.edit_selected()
        dialog = await dialog_of(LocationDialog)
        dialog.form.active.setChecked(False)
        screen.banner.hide()
        dialog.save_button.click()
        await until(
            lambda: "saved as inactive" in screen.banner.label.text(), what="the change saved"
        )
        assert screen.banner.isVisible()
        assert _server_locations(till)[0]["isActive"] is False
        assert till.runtime.settings().store.phone == "514 555-0100"

        # Delete: asks first; "No" is the default, the accept button deletes.
        screen.table.selectRow(0)
        screen.delete_selected()
        box = await dialog_of(QMessageBox)
        assert "Delete Dépanneur Mile End" in box.text()
        assert box.defaultButton().text() == "No"
        next(
            b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
        ).click()
        await until(
            lambda: (
                screen.table.rowCount() == 0
                and "Dépanneur Mile End deleted" in screen.banner.label.text()
            ),
            what="the location deleted",
        )
        assert _server_locations(till) == []


async def test_taken_email_and_unreachable_api(open_till: TillFactory) -> None:
    async with open_till() as till:
        screen = await _open_screen(till)
        for name in ("Mile End", "Plateau"):
            screen.create()
            dialog = await dialog_of(LocationDialog)
            type_text(dialog.form.edits["name"], name)
            type_text(dialog.form.edits["email"], "shop@example.ca")
            dialog.save_button.click()
            if name == "Mile End":
                await until(lambda: screen.table.rowCount() == 1, what="the first saved")
        # The second has the first's email: the server refuses, the dialog says where.
        # Which of the two is taken, the server does not say: both are marked.
        await until(
            lambda: _shown_errors(dialog.form) == {"email": TAKEN, "phone": TAKEN},
            what="the email refused",
        )
        assert screen.table.rowCount() == 1
        assert [loc["name"] for loc in _server_locations(till)] == ["Mile End"]

        till.sandbox.set_down(True)
        _replace_text(dialog, "email", "plateau@example.ca")
        dialog.save_button.click()
        await until(lambda: "cannot be reached" in dialog.message.text(), what="unreachable")
        assert dialog.isVisible()  # nothing saved, what was typed is still there
        till.sandbox.set_down(False)
        dialog.save_button.click()
        await until(lambda: screen.table.rowCount() == 2, what="saved once the API answers")
        assert sorted(loc["name"] for loc in _server_locations(till)) == ["Mile End", "Plateau"]
