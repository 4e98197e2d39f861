"""Taking payment and finishing, from the keyboard: cash with change, split tender, the quick
cash buttons; then the sale is in the store, its PDF in <data dir>/receipts, and the
sandbox has the receipt."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt

from pos_app.ui.payment_dialog import PaymentDialog
from tests.ui.conftest import CHIPS, COLA_SKU, Till, TillFactory, dialog_of, key, type_text, until


async def _sent(till: Till, order: str) -> dict:
    """The body the sandbox received for `order` (waits for the sync worker)."""
    found: list[dict] = []

    def received() -> bool:
        bodies = [json.loads(r.body) for r in till.sandbox.state.store.all_receipts()]
        found[:] = [b for b in bodies if b.get("orderNumber") == order]
        return bool(found)

    await until(received, what=f"{order} at the sandbox")
    return found[0]


async def _finished_order(till: Till) -> str:
    sale = till.window.sale
    await until(lambda: "recorded" in sale.banner.label.text(), what="the sale recorded")
    return sale.banner.label.text().split()[1]


async def test_f12_then_enter_finishes_an_exact_cash_sale(open_till: TillFactory) -> None:
    async with open_till() as till:
        await till.scan(CHIPS)  # 5.16
        till.press(Qt.Key.Key_F12)
        dialog = await dialog_of(PaymentDialog)
        assert dialog.amount_field.text() == "5.15"  # cash due, rounded to 0.05
        assert dialog.due_label.text() == "$5.15"
        key(dialog.amount_field, Qt.Key.Key_Return)
        order = await _finished_order(till)
        assert order == "A1-000001"
        assert till.session.is_empty and till.window.sale.model.rowCount() == 0
        assert till.scan_field.hasFocus()
        sale = await till.services.history.get(order)
        assert sale is not None and sale.total == Decimal("5.16")
        assert (till.data_dir / "receipts" / f"{order}.pdf").is_file()
        body = await _sent(till, order)
        assert body["total"]["amount"] == 5.16


async def test_cash_with_change(open_till: TillFactory) -> None:
    async with open_till() as till:
        await till.scan(CHIPS)
        await till.scan(f"2*{COLA_SKU}")  # 5.16 + 3.43 (2.98 + 0.15 + 0.30) = 8.59
        till.press(Qt.Key.Key_F12)
        dialog = await dialog_of(PaymentDialog)
        assert dialog.amount_field.text() == "8.60"
        type_text(dialog.amount_field, "20", enter=True)
        order = await _finished_order(till)
        assert "Change: $11.40" in till.window.sale.banner.label.text()
        receipt = await till.services.checkout.receipt(order)
        assert receipt.totals.change_due == Decimal("11.40")
        assert receipt.totals.cash_rounding == Decimal("0.01")
        await _sent(till, order)


async def test_quick_cash_button(open_till: TillFactory) -> None:
    async with open_till() as till:
        await till.scan(CHIPS)
        till.press(Qt.Key.Key_F12)
        dialog = await dialog_of(PaymentDialog)
        labels = [b.text() for b in dialog.quick_buttons if b.isVisible()]
        assert labels == ["Exact $5.15", "$10.00", "$20.00", "$50.00", "$100.00"]
        dialog.quick_buttons[2].click()  # a 20 note
        await _finished_order(till)
        assert "Change: $14.85" in till.window.sale.banner.label.text()


async def test_split_tender_card_then_cash(open_till: TillFactory) -> None:
    async with open_till() as till:
        await till.scan(f"3*{CHIPS}")  # 3 x 4.49 = 13.47 + 0.67 + 1.34 = 15.48
        till.press(Qt.Key.Key_F12)
        dialog = await dialog_of(PaymentDialog)
        key(dialog.amount_field, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # Ca&rd
        await until(dialog.card_radio.isChecked, what="the card tender")
        assert dialog.amount_field.text() == "15.48"  # a card pays the exact amount
        type_text(dialog.amount_field, "20.00", enter=True)  # more than owed: refused
        await until(lambda: "at most what is owed" in dialog.message.text())
        dialog.amount_field.selectAll()
        type_text(dialog.amount_field, "10")
        key(dialog.amount_field, Qt.Key.Key_Tab)
        dialog.brand_combo.setCurrentText("MASTERCARD")
        type_text(dialog.last4_field, "4242", enter=True)
        # The card took 10; the rest is pre-filled in cash, rounded: 5.48 -> 5.50.
        await until(dialog.cash_radio.isChecked, what="back to cash")
        assert dialog.amount_field.text() == "5.50"
        assert [
            dialog.payments_list.item(i).text() for i in range(dialog.payments_list.count())
        ] == ["Card MASTERCARD •••• 4242 — $10.00"]
        key(dialog.amount_field, Qt.Key.Key_Return)
        order = await _finished_order(till)
        receipt = await till.services.checkout.receipt(order)
        payments = receipt.cart.payments
        assert [(p.type, p.amount, p.card_last4) for p in payments] == [
            ("CARD", Decimal("10"), "4242"),
            ("CASH", Decimal("5.50"), None),
        ]
        assert receipt.totals.balance_due == 0
        body = await _sent(till, order)
        assert {p["type"] for p in body["payments"]} == {"CARD", "CASH"}


async def test_escape_leaves_payment_and_keeps_the_sale(open_till: TillFactory) -> None:
    async with open_till() as till:
        await till.scan(CHIPS)
        till.press(Qt.Key.Key_F12)
        dialog = await dialog_of(PaymentDialog)
        key(dialog.amount_field, Qt.Key.Key_Escape)
        await until(lambda: not dialog.isVisible())
        assert len(till.session.items) == 1
        assert await till.services.history.recent() == []
        await till.scan(CHIPS)  # the screen takes scans again
        assert len(till.session.items) == 2


async def test_a_printer_failure_keeps_the_sale_and_offers_a_reprint(
    open_till: TillFactory, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the printer's folder should be")
    async with open_till(printer="folder", printer_target=str(blocker / "out")) as till:
        await till.scan(CHIPS)
        till.press(Qt.Key.Key_F12)
        dialog = await dialog_of(PaymentDialog)
        key(dialog.amount_field, Qt.Key.Key_Return)
        banner = till.window.sale.banner
        await until(lambda: "not printed" in banner.label.text(), what="the print error")
        order = banner.label.text().split()[1]
        assert banner.action.isVisible() and banner.action.text() == "Reprint"
        # The sale stands, its PDF is archived, and it is on its way to the server.
        assert await till.services.history.get(order) is not None
        assert (till.data_dir / "receipts" / f"{order}.pdf").is_file()
        await _sent(till, order)

        blocker.unlink()  # the printer is back
        banner.action.click()
        await until(lambda: f"Copy of {order} printed" in banner.label.text(), what="reprint")
        assert (blocker / "out" / f"{order}-copy.pdf").is_file()
