"""House accounts at the counter, from the keyboard: F2 finds an account (by name or number),
Enter opens its screen and Enter again chooses it; at F12 the on-account tender (Alt+A) is
refused, with the reason, for an account on credit hold, and taken for a good one."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from pos_app.ui.customer_dialog import CustomerDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import CHIPS, Till, TillFactory, dialog_of, key, type_text, until

SHIFT_CTRL = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier


async def _choose_account(till: Till, text: str) -> CustomerDialog:
    till.press(Qt.Key.Key_F2)
    dialog = await dialog_of(CustomerDialog)
    type_text(dialog.search, text)
    await until(lambda: dialog.results.count() > 0, what=f"{text} found")
    key(dialog.search, Qt.Key.Key_Return)
    panel = dialog.account_panel
    assert panel is not None
    await until(lambda: dialog.pages.currentIndex() == 2, what="the account's screen")
    return dialog


async def test_f2_finds_an_account_and_the_tender_is_refused_on_hold_taken_when_good(
    open_till: TillFactory,
) -> None:
    async with open_till(invoiced=True) as till:
        await till.services.accounts.list_accounts()
        await till.scan(CHIPS)  # 5.16

        # Traiteur Saint-Denis is on credit hold.
        dialog = await _choose_account(till, "traiteur")
        panel = dialog.account_panel
        assert panel is not None
        await until(lambda: "1,720.35" in panel.balance.text(), what="the live balance")
        assert panel.hold.text().startswith("Yes")
        key(panel.use_button, Qt.Key.Key_Return)
        await until(lambda: till.session.account is not None, what="the account chosen")
        assert till.session.account == ("CUST-0003", "Traiteur Saint-Denis")
        till.press(Qt.Key.Key_F12)
        payment = await dialog_of(PaymentDialog)
        assert payment.account_radio.isVisible()
        key(payment.amount_field, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        await until(payment.account_radio.isChecked, what="the on-account tender")
        await until(lambda: payment.amount_field.text() == "5.16", what="the amount due")
        key(payment.amount_field, Qt.Key.Key_Return)
        await until(lambda: "Refused" in payment.message.text(), what="the refusal")
        assert "on credit hold" in payment.message.text()
        assert till.session.payments == ()
        key(payment.amount_field, Qt.Key.Key_Escape)
        await until(till.scan_field.hasFocus, what="back on the sale")

        # Restaurant Chez Louis, found by its number: 450.00 of 2,000.00.
        chosen = await _choose_account(till, "CUST-0001")
        key(chosen.account_panel.use_button, Qt.Key.Key_Return)  # type: ignore[union-attr]
        await until(
            lambda: till.session.account is not None and till.session.account[0] == "CUST-0001"
        )
        till.press(Qt.Key.Key_F12)
        payment = await dialog_of(PaymentDialog)
        key(payment.amount_field, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        await until(payment.account_radio.isChecked, what="the on-account tender")
        key(payment.amount_field, Qt.Key.Key_Return)
        sale = till.window.sale
        await until(lambda: "recorded" in sale.banner.label.text(), what="the sale recorded")
        order = sale.banner.label.text().split()[1]
        row = await till.services.history.get(order)
        assert row is not None and '"account":"CUST-0001"' in row.cart_json


async def test_send_statement_from_the_accounts_screen_online_only(open_till: TillFactory) -> None:
    async with open_till(invoiced=True) as till:
        await till.services.accounts.list_accounts()
        dialog = await _choose_account(till, "chez louis")
        panel = dialog.account_panel
        assert panel is not None
        key(panel.use_button, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: "e-mailed" in panel.message.text(), what="the statement sent")
        assert till.sandbox.invoiced.store.email_count() == 1
        till.sandbox.set_down(True)
        key(panel.use_button, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        await until(
            lambda: "cannot be reached" in panel.message.text(),
            what=lambda: f"offline said (the panel says {panel.message.text()!r})",
        )
        assert till.sandbox.invoiced.store.email_count() == 1


async def test_figures_not_read_live_and_a_refused_statement_are_both_said(
    open_till: TillFactory,
) -> None:
    # Two answers that arrive in any order (the live read of the figures, the statement):
    # neither hides the other.
    async with open_till(invoiced=True) as till:
        await till.services.accounts.list_accounts()
        till.sandbox.set_down(True)
        dialog = await _choose_account(till, "chez louis")
        panel = dialog.account_panel
        assert panel is not None
        key(panel.use_button, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: "cannot be reached" in panel.message.text(), what="offline said")
        await until(
            lambda: "Invoiced did not answer" in panel.figures_note.text(),
            what=lambda: f"the figures' note (it says {panel.figures_note.text()!r})",
        )
        assert "cannot be reached" in panel.message.text()
        assert panel.balance.text() == "never read"  # the till's copy has no balance yet


async def test_settings_take_invoiceds_url_and_key_as_a_secret(open_till: TillFactory) -> None:
    async with open_till() as till:
        till.window.open_settings()
        dialog = await dialog_of(SettingsDialog)
        assert dialog.invoiced_key.echoMode() == dialog.invoiced_key.EchoMode.Password
        dialog.invoiced_url.setCurrentText("ftp://nope")
        dialog._save()
        # Said under the field (the settings service's rule), and nothing saved.
        assert dialog.errors["invoiced_url"].text() == (
            "is not a web address (such as https://api.example.com)"
        )
        assert dialog.message.text() == "Check the fields in red"
        assert till.runtime.settings().invoiced_url is None
        dialog.invoiced_url.setCurrentText(till.sandbox.invoiced_url)
        type_text(dialog.invoiced_key, "sk-invoiced-typed")
        dialog.accounts_offline.setChecked(False)
        dialog._save()
        await until(lambda: not dialog.isVisible(), what="the settings saved")
        settings = till.runtime.settings()
        assert settings.invoiced_url == till.sandbox.invoiced_url
        assert settings.accounts_offline is False
        assert "sk-invoiced-typed" not in (till.data_dir / "settings.json").read_text()
        secrets = json.loads((till.data_dir / "secrets.json").read_text())
        assert secrets["invoiced_key"] == "sk-invoiced-typed"
        assert secrets["api_token"]  # the Smartbills token, not retyped, is kept


async def test_a_new_account_made_offline_at_the_counter_reaches_invoiced_once(
    open_till: TillFactory,
) -> None:
    async with open_till(invoiced=True) as till:
        till.sandbox.set_down(True)
        till.press(Qt.Key.Key_F2)
        dialog = await dialog_of(CustomerDialog)
        type_text(dialog.search, "Fromagerie du Marché")
        key(dialog.search, Qt.Key.Key_N, SHIFT_CTRL)
        form = dialog.account_form
        assert form is not None
        await until(lambda: dialog.pages.currentIndex() == 3, what="the new account form")
        assert form.edits["name"].text() == "Fromagerie du Marché"
        type_text(form.edits["credit_limit"], "abc", enter=True)
        await until(lambda: form.errors["credit_limit"].isVisible(), what="the field's problem")
        form.edits["credit_limit"].clear()
        type_text(form.edits["credit_limit"], "300", enter=True)
        panel = dialog.account_panel
        assert panel is not None
        await until(lambda: "created on this till" in panel.message.text(), what="kept")
        assert "POS-A1-0001" in panel.title.text()
        key(panel.use_button, Qt.Key.Key_Return)
        await until(lambda: till.session.account is not None, what="the account chosen")
        till.sandbox.set_down(False)
        report = await till.services.accounts.send_pending(waiting_too=True)
        assert report.created == ["POS-A1-0001"]
        await till.services.accounts.send_pending(waiting_too=True)
        numbers = [c.doc["number"] for c in till.sandbox.invoiced.store.all()]
        assert numbers.count("POS-A1-0001") == 1


async def test_offline_a_sale_on_account_within_the_copy_says_how_old_the_figures_are(
    open_till: TillFactory,
) -> None:
    async with open_till(invoiced=True) as till:
        await till.services.accounts.list_accounts()
        await till.services.accounts.show("CUST-0002")  # 480.00 of 500.00, read now
        till.sandbox.set_down(True)
        await till.scan(CHIPS)  # 5.16
        chosen = await _choose_account(till, "bistro")
        key(chosen.account_panel.use_button, Qt.Key.Key_Return)  # type: ignore[union-attr]
        await until(lambda: till.session.account is not None, what="the account chosen")
        till.press(Qt.Key.Key_F12)
        payment = await dialog_of(PaymentDialog)
        key(payment.amount_field, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        await until(payment.account_radio.isChecked, what="the on-account tender")
        key(payment.amount_field, Qt.Key.Key_Return)
        banner = till.window.sale.banner.label
        await until(lambda: "recorded" in banner.text(), what="the sale recorded")
        assert "Checked on the till's copy (figures read 0 min ago)" in banner.text()
