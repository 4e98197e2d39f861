"""Quitting the real window with a sale in progress asks first: Cancel stays, Hold it puts
the cart in the held carts (resumed with F8 later), Discard drops it; a quit nobody can
answer (SIGTERM) holds it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from pos_app.domain.cart_format import dumps_cart
from tests.ui.conftest import CHIPS, MILK, Till, TillFactory, dialog_of, until


def _questions() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


async def _answer(till: Till, button: str) -> None:
    """Ctrl+Q, then the named button of the question."""
    till.press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    box: QMessageBox = await dialog_of(QMessageBox)
    assert box.objectName() == "quitWithSaleBox"
    chosen = box.findChild(QPushButton, button)
    assert chosen is not None
    chosen.click()


async def test_hold_it_keeps_the_cart_in_held_carts(open_till: TillFactory) -> None:
    async with open_till() as till:
        closed: list[bool] = []
        till.window.closed.connect(lambda: closed.append(True))
        await till.scan(CHIPS)
        await till.scan(MILK)
        cart = dumps_cart(till.session.cart)

        await _answer(till, "quitCancel")
        await until(lambda: not _questions(), what="the question gone")
        assert till.window.isVisible() and not closed
        assert dumps_cart(till.session.cart) == cart  # nothing changed
        await until(till.scan_field.hasFocus, what="the scan field's focus back")

        till.press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        box: QMessageBox = await dialog_of(QMessageBox)
        assert "2 lines" in box.text() and "$10.45" in box.text()
        assert box.defaultButton().objectName() == "quitHold"  # Enter keeps the cart
        box.defaultButton().click()
        await until(lambda: closed, what="the window closed")
        assert not till.window.isVisible()
        [held] = await till.services.held_carts.list_held()
        assert (held.lines, str(held.total)) == (2, "10.45")
        assert dumps_cart(await till.services.held_carts.peek(held.id)) == cart
        assert till.session.is_empty


async def test_discard_drops_the_cart_and_sigterm_holds_it(open_till: TillFactory) -> None:
    async with open_till() as till:
        closed: list[bool] = []
        till.window.closed.connect(lambda: closed.append(True))
        await till.scan(CHIPS)
        await till.window.close_holding_sale()  # what SIGTERM does
        assert closed and [h.lines for h in await till.services.held_carts.list_held()] == [1]

    async with open_till() as till:
        closed.clear()
        till.window.closed.connect(lambda: closed.append(True))
        await till.scan(MILK)
        await _answer(till, "quitDiscard")
        await until(lambda: closed, what="the window closed")
        assert till.session.is_empty
        assert len(await till.services.held_carts.list_held()) == 1  # only SIGTERM's


async def test_an_empty_sale_quits_without_a_question(open_till: TillFactory) -> None:
    async with open_till() as till:
        closed: list[bool] = []
        till.window.closed.connect(lambda: closed.append(True))
        till.press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: closed, what="the window closed")
        assert await till.services.held_carts.list_held() == []
