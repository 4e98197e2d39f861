"""Quitting with a sale in progress: the cart is not thrown away silently. The cashier chooses
Hold it (put aside in the held carts, resumed with F8 after the next start), Discard, or
Cancel (stay). A quit nobody can answer (SIGTERM at shutdown) holds the cart."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QMessageBox, QWidget

from pos_app.services.sale_session import SaleInputError, SaleSession
from pos_app.ui import i18n
from pos_app.ui.dialogs import ask
from pos_app.ui.i18n import _


class QuitChoice(Enum):
    HOLD = "hold"
    DISCARD = "discard"
    CANCEL = "cancel"


async def ask_about_sale(parent: QWidget, session: SaleSession) -> QuitChoice:
    """Asks what becomes of the sale in progress. Hold it is the default (Enter keeps the
    cart); Escape or closing the question cancels the quit."""
    text = _("A sale is in progress ({lines} lines, {total}). Hold it before quitting?").format(
        lines=len(session.items), total=i18n.money(session.totals.total, session.currency)
    )
    box = QMessageBox(QMessageBox.Icon.Question, _("Quit"), text, parent=parent)
    box.setObjectName("quitWithSaleBox")
    box.setInformativeText(_("A held sale is resumed with F8 after the next start."))
    hold = box.addButton(_("Hold it"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_("Discard"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    hold.setObjectName("quitHold")
    discard.setObjectName("quitDiscard")
    cancel.setObjectName("quitCancel")
    box.setDefaultButton(hold)
    box.setEscapeButton(cancel)
    try:
        await ask(box)
        clicked = box.clickedButton()
    finally:
        box.deleteLater()
    if clicked is hold:
        return QuitChoice.HOLD
    if clicked is discard:
        return QuitChoice.DISCARD
    return QuitChoice.CANCEL


async def settle_sale(session: SaleSession, choice: QuitChoice) -> str | None:
    """Does what was chosen (Hold it or Discard; Cancel changes nothing). Returns why the
    quit must not go on (the cart could not be held), or None when the window may close."""
    if choice is QuitChoice.CANCEL:
        return None
    if choice is QuitChoice.DISCARD:
        session.clear()
        return None
    try:
        await session.hold(_("Held when the till was closed"))
    except SaleInputError as error:
        return i18n.tr_error(error)
    except Exception as error:  # the database is locked, the disk is full...
        return _("The sale could not be held: {error}").format(error=error)
    return None
