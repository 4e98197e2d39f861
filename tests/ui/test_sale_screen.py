"""The sale screen driven with the keyboard, as a cashier does: scans (known, unknown, with a
quantity), live search, line edits and voids, customers, hold/resume and cancel."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from pos_app.ui.customer_dialog import CustomerDialog
from pos_app.ui.held_dialog import HeldCartsDialog
from tests.ui.conftest import (
    BANANAS,
    CHIPS,
    COLA_SKU,
    MILK,
    TillFactory,
    dialog_of,
    key,
    type_text,
    until,
)


async def test_scans_add_lines_and_unknown_codes_add_nothing(open_till: TillFactory) -> None:
    async with open_till() as till:
        sale = till.window.sale
        assert sale.scan.field.hasFocus()
        await till.scan(CHIPS)
        await till.scan(f"3*{COLA_SKU}")
        await till.scan("0,735*" + BANANAS)
        assert [str(i.quantity) for i in till.session.items] == ["1", "3", "0.735"]
        assert sale.model.rowCount() == 3
        assert sale.model.index(1, 1).data() == "3"
        assert sale.model.index(2, 1).data() == "0.735 kg"
        assert sale.model.index(1, 4).data() == "$4.47"
        # Selection follows the last scan, so F3/F4/F5 act on what was just rung up.
        assert sale.selected_row() == 2

        await till.scan("999999")
        assert len(till.session.items) == 3
        assert sale.scan.field.property("error") is True
        assert sale.scan.message.text() == "Unknown code: 999999"
        assert sale.scan.field.text() == "999999"  # kept, selected: the next scan replaces it

        await till.scan("1.5*" + MILK)
        assert "whole number" in sale.scan.message.text()
        assert len(till.session.items) == 3
        # Typing again clears the error.
        type_text(sale.scan.field, "0")
        assert sale.scan.field.property("error") is False
        # 5.16 + 3 x 1.71 (per line: 4.47 + 0.22 + 0.45 = 5.14) + 1.28 bananas
        assert "Total: $11.58" in sale.totals.text()


async def test_live_search_then_down_and_enter(open_till: TillFactory) -> None:
    async with open_till() as till:
        scan = till.window.sale.scan
        type_text(scan.field, "2*crou nat")
        await until(lambda: scan.results.isVisible() and scan.results.count() >= 1, what="results")
        assert (
            "Croustilles nature" in scan.results.item(0).text()
            or "potato" in scan.results.item(0).text()
        )
        key(scan.field, Qt.Key.Key_Down)
        assert scan.results.currentRow() == 0
        key(scan.field, Qt.Key.Key_Return)
        await until(lambda: len(till.session.items) == 1)
        assert till.session.items[0].sku == "CRO-NAT-235"
        assert till.session.items[0].quantity == 2
        assert not scan.results.isVisible() and scan.field.text() == ""


async def test_edit_quantity_price_discount_in_place_and_void(open_till: TillFactory) -> None:
    async with open_till() as till:
        sale = till.window.sale
        await till.scan(CHIPS)
        await till.scan(COLA_SKU)
        key(sale.scan.field, Qt.Key.Key_Up)  # select the chips
        assert sale.selected_row() == 0

        till.press(Qt.Key.Key_F3)
        editor = sale.table.findChild(QLineEdit, "cartEditorQuantity")
        assert editor is not None and editor.hasFocus()
        type_text(editor, "4", enter=True)
        await until(lambda: till.session.items[0].quantity == 4)
        assert sale.scan.field.hasFocus()

        till.press(Qt.Key.Key_F3)
        editor = sale.table.findChild(QLineEdit, "cartEditorQuantity")
        type_text(editor, "2.5", enter=True)  # chips are sold by the piece
        await until(lambda: "whole number" in sale.scan.message.text())
        assert till.session.items[0].quantity == 4

        till.press(Qt.Key.Key_F4)
        editor = sale.table.findChild(QLineEdit, "cartEditorPrice")
        type_text(editor, "abc")  # the validator refuses letters keystroke by keystroke
        assert editor.text() == "4.49"  # pre-filled and selected: the next digits replace it
        type_text(editor, "3,99", enter=True)
        await until(lambda: till.session.items[0].unit_price == Decimal("3.99"))

        till.press(Qt.Key.Key_F5)
        editor = sale.table.findChild(QLineEdit, "cartEditorDiscount")
        type_text(editor, "10%", enter=True)
        await until(lambda: bool(till.session.items[0].discounts))
        assert sale.model.index(0, 3).data() == "10%"
        assert sale.model.index(0, 4).data() == "$14.36"  # 4 x 3.99 = 15.96, less 1.60

        till.press(Qt.Key.Key_F5)
        editor = sale.table.findChild(QLineEdit, "cartEditorDiscount")
        type_text(editor, "99", enter=True)  # more than the line
        await until(lambda: "cannot be more than" in sale.scan.message.text())

        key(sale.scan.field, Qt.Key.Key_Delete)
        await until(lambda: len(till.session.items) == 1)
        assert till.session.items[0].sku == COLA_SKU
        assert sale.model.rowCount() == 1


async def test_receipt_discount(open_till: TillFactory) -> None:
    async with open_till() as till:
        await till.scan(CHIPS)
        till.press(Qt.Key.Key_F6)
        dialog = till.window.sale.findChild(QLineEdit, "receiptDiscountField")
        await until(
            lambda: till.window.sale.findChild(QLineEdit, "receiptDiscountField") is not None
        )
        dialog = till.window.sale.findChild(QLineEdit, "receiptDiscountField")
        await until(dialog.isVisible)
        type_text(dialog, "1.00", enter=True)
        await until(lambda: till.session.totals.total_discounts == Decimal("1.00"))
        assert "Discounts: -$1.00" in till.window.sale.totals.text()


async def test_create_a_customer_then_find_and_attach_one(open_till: TillFactory) -> None:
    async with open_till() as till:
        await till.scan(CHIPS)
        till.press(Qt.Key.Key_F2)
        dialog = await dialog_of(CustomerDialog)
        type_text(dialog.search, "Éloïse Tremblay")
        key(dialog.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: dialog.pages.currentIndex() == 1)
        form = dialog.form
        assert form.edits["first_name"].text() == "Éloïse"
        assert form.edits["last_name"].text() == "Tremblay"
        # No email or phone: the service refuses, the form says so under the fields.
        key(form.edits["last_name"], Qt.Key.Key_Return)
        await until(lambda: form.errors["email"].isVisible(), what="the email error")
        type_text(form.edits["email"], "eloise@example.com", enter=True)
        await until(lambda: till.session.customer is not None, what="the customer attached")
        customer = till.session.customer
        assert customer is not None and customer.id and not customer.id.startswith("local-")
        assert till.window.sale.customer_label.text() == "Customer: Éloïse Tremblay"

        till.session.attach_customer(None)
        till.press(Qt.Key.Key_F2)
        dialog = await dialog_of(CustomerDialog)
        type_text(dialog.search, "trembl", enter=True)
        await until(lambda: till.session.customer is not None, what="the found customer attached")
        assert till.session.customer.email == "eloise@example.com"


async def test_a_customer_created_offline_is_kept_on_the_till(open_till: TillFactory) -> None:
    async with open_till() as till:
        till.sandbox.set_down(True)
        await till.scan(CHIPS)
        till.press(Qt.Key.Key_F2)
        dialog = await dialog_of(CustomerDialog)
        key(dialog.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        form = dialog.form
        type_text(form.edits["first_name"], "Marc")
        type_text(form.edits["last_name"], "Roy")
        type_text(form.edits["phone"], "514 555-0199", enter=True)
        await until(lambda: till.session.customer is not None, what="the offline customer")
        assert till.session.customer.id.startswith("local-")


async def test_hold_and_resume(open_till: TillFactory) -> None:
    async with open_till() as till:
        sale = till.window.sale
        await till.scan(CHIPS)
        await till.scan("2*" + COLA_SKU)
        till.press(Qt.Key.Key_F8)
        await until(lambda: till.session.is_empty, what="the cart held")
        assert "on hold" in sale.banner.label.text()
        await till.scan(MILK)  # the next customer
        assert len(till.session.items) == 1
        till.press(Qt.Key.Key_F8)
        await until(lambda: till.session.is_empty)
        till.press(Qt.Key.Key_F8)
        dialog = await dialog_of(HeldCartsDialog)
        await until(lambda: dialog.list.count() == 2, what="two held sales")
        key(dialog.list, Qt.Key.Key_Return)
        await until(lambda: len(till.session.items) == 2, what="the first held sale resumed")
        assert [i.sku for i in till.session.items] == ["CRO-NAT-235", COLA_SKU]
        assert sale.model.rowCount() == 2


async def test_escape_cancels_the_sale_after_confirmation(open_till: TillFactory) -> None:
    async with open_till() as till:
        await till.scan(CHIPS)
        key(till.scan_field, Qt.Key.Key_Escape)
        box = await dialog_of(QMessageBox)
        key(box, Qt.Key.Key_Return)  # No is the default: a stray Enter keeps the sale
        await until(lambda: not box.isVisible())
        assert len(till.session.items) == 1
        key(till.scan_field, Qt.Key.Key_Escape)
        box = await dialog_of(QMessageBox)
        yes = next(
            b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
        )
        yes.click()
        await until(lambda: till.session.is_empty, what="the cancelled sale")
        assert till.window.sale.model.rowCount() == 0
        assert QApplication.focusWidget() is till.scan_field
