"""The cashier's day from the keyboard: a till with no shift says so and opens one (Ctrl+O); a
return (Ctrl+R: the order typed as a scanner types it, a quantity, Enter); a void whose
reason is required (Ctrl+Shift+V); paid-in; the close (Ctrl+Shift+C) with the count per
note and coin, the Z report on screen, then printed (Ctrl+P) on the till's printer."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt

from pos_app.ui.count_dialog import CountDialog, denomination_name
from pos_app.ui.form_dialog import FormDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.report_dialog import ReportDialog
from pos_app.ui.return_dialog import ReturnDialog
from tests.ui.conftest import CHIPS, COLA_SKU, Till, TillFactory, dialog_of, key, type_text, until

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def banner(till: Till) -> str:
    return till.window.sale.banner.label.text()


async def cash_sale(till: Till, *codes: str, given: str = "") -> str:
    """Scans `codes`, pays cash (exact, or `given`) and returns the order number."""
    for code in codes:
        await till.scan(code)
    till.press(Qt.Key.Key_F12)
    dialog = await dialog_of(PaymentDialog)
    if given:
        dialog.amount_field.clear()
        type_text(dialog.amount_field, given)
    key(dialog.amount_field, Qt.Key.Key_Return)
    await until(lambda: "recorded" in banner(till), what="the sale recorded")
    return banner(till).split()[1]


async def test_a_till_without_a_shift_says_so_and_opens_one_from_the_keyboard(
    open_till: TillFactory,
) -> None:
    async with open_till(shift=False) as till:
        await until(lambda: "No shift is open" in banner(till), what="the no-shift warning")
        assert till.window.sale.banner.action.text() == "Open shift (Ctrl+O)"
        await till.scan(CHIPS)
        till.press(Qt.Key.Key_F12)  # no payment without a shift: the warning again
        await until(lambda: "No shift is open" in banner(till))
        till.press(Qt.Key.Key_O, CTRL)
        form = await dialog_of(FormDialog)
        type_text(form.fields["float"], "-5", enter=True)
        await until(lambda: "negative" in form.error.text(), what="the refused float")
        form.fields["float"].clear()
        type_text(form.fields["float"], "150", enter=True)
        await until(lambda: "opened with a float of $150.00" in banner(till))
        shift = await till.services.shifts.current()
        assert shift is not None and shift.opening_float == Decimal("150")
        till.press(Qt.Key.Key_F12)
        dialog = await dialog_of(PaymentDialog)
        key(dialog.amount_field, Qt.Key.Key_Return)
        await until(lambda: "Sale A1-000001 recorded" in banner(till))


async def test_a_return_typed_from_the_receipt(open_till: TillFactory) -> None:
    async with open_till() as till:
        order = await cash_sale(till, CHIPS, f"2*{COLA_SKU}", given="20")
        till.press(Qt.Key.Key_R, CTRL)
        dialog = await dialog_of(ReturnDialog)
        type_text(dialog.order, order, enter=True)  # as the barcode scanner types it
        await until(lambda: len(dialog.quantities) == 2, what="the sale's lines")
        assert dialog.quantities[0].hasFocus()
        type_text(dialog.quantities[1], "3", enter=True)  # only 2 colas were sold
        await until(lambda: "only 2 left" in dialog.error.text(), what="the over-return refused")
        assert "only 2 left" in dialog.preview.text()  # said as it was typed
        dialog.quantities[1].clear()
        type_text(dialog.quantities[1], "1")
        assert dialog.preview.text() == "To give back: $1.70 (Cash: $1.70)"
        key(dialog.quantities[1], Qt.Key.Key_Return)
        await until(lambda: "Refund A1-000002 of A1-000001 recorded" in banner(till))
        assert "$1.70 given back" in banner(till)  # 1.71 in cash, to the nickel
        sale = await till.services.corrections.refundable(order)
        assert sale.left == (Decimal(1), Decimal(1))
        assert sale.corrections == ("A1-000002",)


async def test_a_return_picked_from_history_in_cash(open_till: TillFactory) -> None:
    async with open_till() as till:
        order = await cash_sale(till, CHIPS)
        till.press(Qt.Key.Key_2, CTRL)  # History
        history = till.window.history
        await until(lambda: history.selected_order() == order, what="the sale in history")
        key(history, Qt.Key.Key_R, CTRL)
        dialog = await dialog_of(ReturnDialog)
        await until(lambda: len(dialog.quantities) == 1, what="the picked sale's lines")
        key(dialog.quantities[0], Qt.Key.Key_F9)  # everything left
        assert dialog.quantities[0].text() == "1"
        key(dialog.quantities[0], Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
        assert dialog.to_cash.isChecked()
        key(dialog.quantities[0], Qt.Key.Key_Return)
        await until(lambda: "Refund A1-000002" in banner(till))
        sale = await till.services.corrections.refundable(order)
        assert sale.left == (Decimal(0),)


async def test_a_void_needs_its_reason(open_till: TillFactory) -> None:
    async with open_till() as till:
        order = await cash_sale(till, CHIPS)
        till.press(Qt.Key.Key_V, CTRL_SHIFT)
        form = await dialog_of(FormDialog)
        type_text(form.fields["order"], order, enter=True)
        await until(lambda: "reason" in form.error.text(), what="the reason asked for")
        assert (
            await till.services.corrections.refundable(order)
            and not (await till.services.corrections.refundable(order)).voided
        )
        type_text(form.fields["reason"], "wrong customer", enter=True)
        await until(lambda: f"Sale {order} voided by A1-000002" in banner(till))
        assert (await till.services.corrections.refundable(order)).voided


async def test_a_shift_closes_on_its_count_and_shows_the_z_report_before_printing(
    open_till: TillFactory, tmp_path: Path
) -> None:
    printed = tmp_path / "printed"
    async with open_till(printer="folder", printer_target=str(printed)) as till:
        await cash_sale(till, CHIPS)  # 5.15 in cash
        till.press(Qt.Key.Key_I, CTRL_SHIFT)
        form = await dialog_of(FormDialog)
        type_text(form.fields["amount"], "20")
        type_text(form.fields["reason"], "change from the bank", enter=True)
        await until(lambda: "Paid in: $20.00" in banner(till))
        till.press(Qt.Key.Key_C, CTRL_SHIFT)
        count = await dialog_of(CountDialog)
        for value, how_many in (("20", "1"), ("5", "1"), ("0.05", "3")):
            type_text(count.counts[Decimal(value)], how_many)
        assert count.counts[Decimal(20)].objectName() == denomination_name(Decimal(20))
        await until(lambda: "$25.15" in count.sum_label.text(), what="the count's sum")
        key(count.total, Qt.Key.Key_Return)
        report = await dialog_of(ReportDialog)
        text = report.text.toPlainText()
        assert "Z report" in text and "Expected cash" in text
        assert report.document["cash"]["expected"] == "25.15"
        assert report.document["cash"]["overShort"] == "0.00"
        assert not any(printed.glob("Z-report*"))  # shown first, printed when asked
        key(report.text, Qt.Key.Key_P, CTRL)
        await until(lambda: report.status.text() == "Report printed", what="the report printed")
        assert [p.name for p in printed.glob("Z-report*")] == [
            f"Z-report-shift-{report.document['shift']}.pdf"
        ]
        assert await till.services.shifts.current() is None
        assert "closed: expected 25.15, counted 25.15" in banner(till)
