"""The other screens, reached from the toolbar shortcuts: history (search, scan a receipt's
barcode, reprint), settings (secrets kept apart, never shown again), customers and locations
(through their services), and the UI in French from the shared catalogs."""

from __future__ import annotations

import json
import stat
from decimal import Decimal

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from pos_app.ui import i18n
from pos_app.ui.customers_screen import CustomerEditDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.settings_dialog import SettingsDialog
from tests.fixtures.sandbox import SANDBOX_TOKEN
from tests.ui.conftest import CHIPS, MILK, Till, TillFactory, dialog_of, key, type_text, until


async def _sale(till: Till, code: str) -> str:
    banner = till.window.sale.banner.label
    before = banner.text()
    await till.scan(code)
    till.press(Qt.Key.Key_F12)
    dialog = await dialog_of(PaymentDialog)
    key(dialog.amount_field, Qt.Key.Key_Return)
    await until(lambda: banner.text() != before and "recorded" in banner.text())
    return banner.text().split()[1]


async def test_history_search_scan_and_reprint(open_till: TillFactory) -> None:
    async with open_till() as till:
        first = await _sale(till, CHIPS)
        second = await _sale(till, MILK)
        till.press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        history = till.window.history
        assert till.window.stack.currentWidget() is history
        await until(lambda: history.table.rowCount() == 2, what="today's two sales")
        assert history.table.item(0, 0).text() == second  # newest first

        # A scanner reading the receipt's barcode types the order number and Return.
        type_text(history.search, first, enter=True)
        await until(
            lambda: history.table.rowCount() == 1 and history.table.item(0, 0).text() == first
        )
        await until(lambda: first in history.detail.toPlainText(), what="the receipt shown")
        assert "Total: $5.16" in history.detail.toPlainText()

        history.search.clear()
        type_text(history.search, "5.29", enter=True)  # by amount
        await until(
            lambda: history.table.rowCount() == 1 and history.table.item(0, 0).text() == second
        )

        history.search.selectAll()
        type_text(history.search, history.day.date().toString("yyyy-MM-dd"), enter=True)
        await until(lambda: history.table.rowCount() == 2, what="by date")

        history.table.selectRow(1)
        await until(history.reprint.isEnabled, what="Reprint enabled")
        history.reprint.click()
        await until(lambda: "Copy of" in history.banner.label.text(), what="the reprint")
        assert (till.data_dir / "receipts" / f"{first}-copy.pdf").is_file()

        till.press(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        assert till.window.stack.currentWidget() is till.window.sale


async def test_settings_refuse_a_bad_prefix_under_its_field(open_till: TillFactory) -> None:
    # "A-1" would make every sale fail to record: the settings service refuses it, the
    # dialog says why under the field, and nothing is saved.
    async with open_till() as till:
        till.window.open_settings()
        dialog = await dialog_of(SettingsDialog)
        dialog.register_prefix.setText("A-1")
        dialog.currency.setText("CDN")
        dialog._save()
        # isHidden, not isVisible: the labels sit on a tab that is not the one shown.
        await until(
            lambda: (
                not dialog.errors["register_prefix"].isHidden()
                and dialog.errors["register_prefix"].text()
                == "1 to 16 letters, digits or signs, without spaces or '-'"
                and dialog.errors["currency"].text()
                == "is not an ISO 4217 currency code (such as CAD)"
                and dialog.message.text() == "Check the fields in red"
            ),
            what="the prefix and currency refused",
        )
        assert dialog.isVisible() and dialog.errors["api_url"].isHidden()
        assert till.runtime.settings().register_prefix == "A1"
        assert not (till.data_dir / "settings.json").exists()

        dialog.register_prefix.setText("B2")
        dialog.currency.setText("CAD")
        dialog._save()
        await until(lambda: not dialog.isVisible(), what="saved")
        assert till.runtime.settings().register_prefix == "B2"


async def test_settings_keep_secrets_apart_and_never_show_them(open_till: TillFactory) -> None:
    async with open_till() as till:
        till.window.open_settings()
        dialog = await dialog_of(SettingsDialog)
        assert dialog.api_token.text() == ""
        assert dialog.api_token.echoMode() == dialog.api_token.EchoMode.Password
        assert "Stored" in dialog.api_token.placeholderText()  # the test's token
        type_text(dialog.client_secret, "s3cret-value")
        dialog.store_fields["location_name"].setText("Mile End")
        dialog.register_prefix.setText("B2")
        dialog.ui_language.setCurrentIndex(dialog.ui_language.findData("en"))
        dialog.cash_rounding.setCurrentIndex(dialog.cash_rounding.findData("none"))
        dialog._save()
        await until(lambda: not dialog.isVisible())
        saved = json.loads((till.data_dir / "settings.json").read_text())
        assert saved["store"]["location_name"] == "Mile End"
        assert saved["register_prefix"] == "B2"
        assert saved["policy"]["cashRounding"] == "none"
        assert "s3cret-value" not in (till.data_dir / "settings.json").read_text()
        secrets_file = till.data_dir / "secrets.json"
        assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
        secrets = json.loads(secrets_file.read_text())
        # The typed secret is stored, and the token that was not retyped is kept.
        assert secrets == {"api_token": SANDBOX_TOKEN, "client_secret": "s3cret-value"}
        assert till.runtime.settings().register_prefix == "B2"
        # The next sale carries the new prefix and store name, on register B2's own shift.
        await till.services.shifts.open(Decimal(0))
        order = await _sale(till, CHIPS)
        assert order == "B2-000001"
        receipt = await till.services.checkout.receipt(order)
        assert receipt.store.location_name == "Mile End"

        till.window.open_settings()
        again = await dialog_of(SettingsDialog)
        assert again.client_secret.text() == ""
        assert "Stored" in again.client_secret.placeholderText()
        again.reject()


async def test_customers_screen_create_edit_delete(open_till: TillFactory) -> None:
    async with open_till() as till:
        till.press(Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
        screen = till.window.customers
        await until(lambda: screen.isVisible())
        screen.create()
        dialog = await dialog_of(CustomerEditDialog)
        form = dialog.form
        type_text(form.edits["first_name"], "Léa")
        type_text(form.edits["last_name"], "Roy")
        type_text(form.edits["email"], "not-an-email")
        dialog._save()
        await until(lambda: form.errors["email"].isVisible(), what="the email refused")
        form.edits["email"].setText("lea@example.com")
        dialog._save()
        await until(lambda: "Léa Roy saved" in screen.banner.label.text(), what="saved")
        await until(lambda: screen.table.rowCount() == 1)
        assert screen.table.item(0, 0).text() == "Léa Roy"

        screen.table.selectRow(0)
        screen.edit_selected()
        dialog = await dialog_of(CustomerEditDialog)
        dialog.form.edits["phone"].setText("514 555-0101")
        screen.banner.hide()
        dialog._save()
        await until(
            lambda: screen.banner.isVisible() and "Léa Roy saved" in screen.banner.label.text(),
            what="the update saved",
        )
        listing = await till.services.customers.list_customers()
        assert [c.phone for c in listing.customers] == ["514 555-0101"]

        screen.reload()
        await until(lambda: screen.table.rowCount() == 1)
        screen.table.selectRow(0)
        screen.delete_selected()
        box = await dialog_of(QMessageBox)
        next(
            b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
        ).click()
        await until(lambda: screen.table.rowCount() == 0, what="the customer deleted")
        assert (await till.services.customers.list_customers()).customers == []
        assert await till.services.customers.search("Roy") == []


async def test_locations_screen_lists_and_uses_a_location(open_till: TillFactory) -> None:
    async with open_till() as till:
        location = {
            "name": "Dépanneur Mile End",
            "currency": "CAD",
            "timezone": "America/Toronto",
            "email": "mileend@example.com",
            "address": {
                "line1": "5000 boul. Saint-Laurent",
                "city": "Montréal",
                "stateCode": "QC",
                "countryCode": "CA",
                "postalCode": "H2T 1R8",
            },
        }
        async with httpx.AsyncClient(base_url=till.sandbox.url) as http:
            response = await http.post(
                "/v1/locations", json=location, headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"}
            )
            assert response.status_code in (200, 201), response.text
        till.press(Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
        screen = till.window.locations
        await until(lambda: screen.table.rowCount() == 1, what="the location listed")
        screen.table.selectRow(0)
        assert "5000 boul. Saint-Laurent" in screen.detail.toPlainText()
        screen.use_selected()
        await until(lambda: "now belongs to" in screen.banner.label.text())
        settings = till.runtime.settings()
        assert settings.location_id and settings.store.address.city == "Montréal"
        assert settings.store.location_name == "Dépanneur Mile End"


async def test_the_window_speaks_french(open_till: TillFactory) -> None:
    async with open_till() as till:
        i18n.install("fr")
        try:
            from pos_app.ui.main_window import MainWindow

            window = MainWindow(till.services, till.runtime, till.window.bridge)
            buttons = window.sale.action_buttons
            assert buttons["payButton"].text().startswith("Payer")
            assert buttons["customerButton"].text().startswith("Client")
            assert window.sale.model.headerData(1, Qt.Orientation.Horizontal) == "Qté"
            window.sale.totals.show_totals(till.session.totals, till.session.tendered())
            assert "Sous-total" in window.sale.totals.text()
            assert i18n.money(till.session.totals.total, "CAD") == "0,00\xa0$"
            window.deleteLater()
        finally:
            i18n.install("en")


async def test_history_opens_the_archived_pdf_rendering_it_again_if_missing(
    open_till: TillFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "pos_app.ui.history_screen.QDesktopServices.openUrl",
        lambda url: opened.append(url.toLocalFile()) or True,
    )
    async with open_till() as till:
        order = await _sale(till, CHIPS)
        archived = till.data_dir / "receipts" / f"{order}.pdf"
        archived.unlink()
        till.window.show_screen("history")
        history = till.window.history
        await until(lambda: history.table.rowCount() == 1)
        history.table.selectRow(0)
        # The screen enables its actions from the selection's slot (a task): wait for it, as a
        # person waits for the button to light up.
        await until(history.open_pdf.isEnabled, what="Open the PDF enabled")
        history.open_pdf.click()
        await until(lambda: opened, what="the PDF handed to the desktop")
        assert opened == [str(archived)]
        assert archived.read_bytes().startswith(b"%PDF")
