"""The sale screen: scan, see the cart and its totals, edit lines, take payment, finish.

Keyboard first (the scan field keeps the focus):
  Return add the code   Up/Down pick a line   Delete void it   F3/F4/F5 its quantity/price/discount
  F6 receipt discount   F2 customer   F8 hold / resume   F9 open the drawer   F12 pay
  Esc cancel the sale
Every action is also a button. The screen forwards to the SaleSession and shows what it says;
finishing awaits `checkout.finish_sale` with the screen locked against a second F12. Printing
runs off the loop: a printer that is off or stalled delays only the receipt, never the window;
what it said goes to the banner (with Reprint) and to the status bar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import qasync
from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.cart import Cart
from pos_app.domain.receipt import Receipt, SaleError
from pos_app.services.accounts import AccountService
from pos_app.services.catalog import CatalogService
from pos_app.services.checkout import CheckoutService
from pos_app.services.customers import CustomerService
from pos_app.services.drawer import DrawerService
from pos_app.services.held_carts import HeldCartsService
from pos_app.services.sale_session import AddResult, CartChange, SaleInputError, SaleSession
from pos_app.services.shifts import ShiftService
from pos_app.ui import i18n
from pos_app.ui.banner import Banner
from pos_app.ui.bridge import Bridge
from pos_app.ui.cart_model import CartDelegate, CartModel, Column
from pos_app.ui.customer_dialog import CustomerDialog
from pos_app.ui.dialogs import ask, confirm
from pos_app.ui.drawer_dialog import DrawerReasonDialog
from pos_app.ui.held_dialog import HeldCartsDialog
from pos_app.ui.i18n import _
from pos_app.ui.naming import named
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.receipt_discount_dialog import ReceiptDiscountDialog
from pos_app.ui.scan_box import ScanBox
from pos_app.ui.tasks import spawn
from pos_app.ui.totals_panel import TotalsPanel

log = logging.getLogger("pos_app.ui")


class SaleScreen(QWidget):
    saleFinished = Signal(str)  # the order number, once recorded
    shiftNeeded = Signal()  # payment was asked with no shift open: say so and offer one
    printerStatus = Signal(str)  # why the last receipt did not print; "" once one did

    def __init__(
        self,
        session: SaleSession,
        bridge: Bridge,
        *,
        catalog: CatalogService,
        checkout: CheckoutService,
        customers: CustomerService,
        accounts: AccountService,
        held_carts: HeldCartsService,
        shifts: ShiftService,
        drawer: DrawerService,
        parent: QWidget | None = None,
    ):
        """`session`: the sale in progress, whose changes reach the screen through `bridge`;
        `catalog` answers the scan field's searches; `checkout` records and prints;
        `customers` and `accounts` (F2), `held_carts` (F8), `drawer` (F9); `shifts` says
        whether a sale may be paid."""
        super().__init__(parent)
        self.setObjectName("saleScreen")
        self._session = session
        self._bridge = bridge
        self._checkout = checkout
        self._customers = customers
        self._accounts = accounts
        self._held_carts = held_carts
        self._shifts = shifts
        self._drawer = drawer
        self._busy = False
        lang = "fr-CA" if i18n.language() == "fr" else "en-CA"

        def describe(product: Any) -> str:
            name = product.name_fr if lang == "fr-CA" else (product.name_en or product.name_fr)
            price = i18n.money(product.unit_price, self._session.currency)
            unit = f" / {product.unit}" if product.unit else ""
            return f"{name}  —  {price}{unit}   [{product.barcode or product.sku}]"

        self.scan = ScanBox(catalog.search, describe)
        self.customer_label = named(QLabel(), "customerLabel")
        self.banner = Banner(name="saleBanner")

        self.model = CartModel(self._session, bridge)
        self.table = named(QTableView(), "cartTable")
        self.table.setModel(self.model)
        self.table.setItemDelegate(CartDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked)
        # Clicking a line selects it without taking the focus from the scan field.
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        for column in (Column.QUANTITY, Column.PRICE, Column.DISCOUNT, Column.AMOUNT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, 110)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.totals = TotalsPanel()

        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.totals)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        top = QHBoxLayout()
        top.addWidget(self.scan, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.customer_label)
        layout.addWidget(splitter, 1)
        layout.addLayout(self._buttons())

        self.scan.codeEntered.connect(self._scanned)
        self.scan.productPicked.connect(self._picked)
        self.scan.moveSelection.connect(self._move_selection)
        self.scan.deletePressed.connect(self.void_selected)
        self.scan.escapePressed.connect(self.cancel_sale)
        self.model.inputRefused.connect(lambda text: self.scan.show_error(text))
        self.table.itemDelegate().closeEditor.connect(lambda *_: self.scan.take_focus())
        bridge.cartChanged.connect(self._cart_changed)
        self._cart_changed(CartChange(reset=True))

    # -- layout ----------------------------------------------------------------------------

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        actions: list[tuple[str, str, str, Callable[[], object]]] = [
            ("F2", _("Customer"), "customerButton", self.choose_customer),
            ("F3", _("Quantity"), "quantityButton", lambda: self.edit_selected(Column.QUANTITY)),
            ("F4", _("Price"), "priceButton", lambda: self.edit_selected(Column.PRICE)),
            (
                "F5",
                _("Line discount"),
                "lineDiscountButton",
                lambda: self.edit_selected(Column.DISCOUNT),
            ),
            ("F6", _("Receipt discount"), "receiptDiscountButton", self.receipt_discount),
            ("Del", _("Void line"), "voidButton", self.void_selected),
            ("F8", _("Hold / resume"), "holdButton", self.hold_or_resume),
            ("F9", _("Open drawer"), "drawerButton", self.open_drawer),
            ("Esc", _("Cancel sale"), "cancelButton", self.cancel_sale),
            ("F12", _("Pay"), "payButton", self.pay),
        ]
        self.action_buttons: dict[str, QPushButton] = {}
        for key, label, name, slot in actions:
            button = named(QPushButton(f"{label}\n{key}"), name)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(48)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            row.addWidget(button)
            self.action_buttons[name] = button
            if key not in ("Del", "Esc"):  # those two go through the scan field (ScanBox)
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
        self.action_buttons["payButton"].setStyleSheet("font-weight:bold;")
        return row

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.scan.take_focus()

    @property
    def busy(self) -> bool:
        """Taking payment or recording the sale: the cart must not be held or dropped now."""
        return self._busy

    # -- following the cart ----------------------------------------------------------------

    def _cart_changed(self, change: CartChange) -> None:
        s = self._session
        self.totals.show_totals(s.totals, s.tendered())
        customer = s.customer
        self.customer_label.setText(
            _("Customer: {name}").format(name=customer.display_name or customer.email or "")
            if customer is not None
            else ""
        )
        self.customer_label.setVisible(customer is not None)
        if change.reset:
            self.table.clearSelection()

    def _select_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _move_selection(self, step: int) -> None:
        count = self.model.rowCount()
        if count:
            current = self.selected_row()
            start = count if current < 0 and step < 0 else current
            self._select_row(max(0, min(start + step, count - 1)))

    # -- scanning --------------------------------------------------------------------------

    @qasync.asyncSlot(str)
    async def _scanned(self, text: str) -> None:
        if self._busy:
            self.scan.show_error(_("Wait: the sale is being finished"), text)
            return
        result: AddResult = await self._session.add_by_code(text)
        if result.error is not None:
            self.scan.show_error(i18n.tr_error(result.error), text)
            return
        self._added(result.row)

    def _picked(self, product: Any, prefix: str) -> None:
        try:
            row = self._session.add_product(product, prefix)
        except SaleInputError as error:
            self.scan.show_error(i18n.tr_error(error))
            return
        self._added(row)

    def _added(self, row: int | None) -> None:
        if row is None:
            return
        self._select_row(row)
        if not self.banner.offers_action:  # a receipt still to reprint stays said
            self.banner.hide()
        item = self._session.items[row]
        self.scan.show_info(
            f"{self.model.data(self.model.index(row, Column.NAME))} × {i18n.number(item.quantity)}"
        )

    # -- line actions ----------------------------------------------------------------------

    def _need_line(self) -> int:
        row = self.selected_row()
        if row < 0:
            if self.model.rowCount():
                self.scan.show_error(_("Select a line first (Up/Down)"))
            else:
                self.scan.show_error(_("The cart is empty"))
        return row

    def edit_selected(self, column: Column) -> None:
        row = self._need_line()
        if row >= 0:
            index = self.model.index(row, column)
            self.table.setCurrentIndex(index)
            self.table.edit(index)

    def void_selected(self) -> None:
        row = self._need_line()
        if row < 0:
            return
        try:
            item = self._session.void_line(row)
        except SaleInputError as error:
            self.scan.show_error(i18n.tr_error(error))
            return
        self.scan.show_info(_("Voided: {name}").format(name=item.name))
        self._select_row(min(row, self.model.rowCount() - 1))

    @qasync.asyncSlot()
    async def receipt_discount(self) -> None:
        if self._session.is_empty:
            self.scan.show_error(_("The cart is empty"))
            return
        dialog = ReceiptDiscountDialog(self._session, self)
        try:
            await ask(dialog)
        finally:
            dialog.deleteLater()
            self.scan.take_focus()

    # -- customer, hold, cancel ------------------------------------------------------------

    @qasync.asyncSlot()
    async def choose_customer(self) -> None:
        dialog = CustomerDialog(
            self._customers,
            self,
            current=self._session.customer,
            accounts=self._accounts,
            currency=self._session.currency,
        )
        try:
            accepted = await ask(dialog)
            if accepted and dialog.result_account is not None:
                number, name = dialog.result_account
                self._session.attach_account(number, name)
                self.banner.say(
                    _("Account {number} {name}: “On account” is offered at payment").format(
                        number=number, name=name
                    ),
                    "success",
                )
            elif accepted and dialog.result_customer is not None:
                self._session.attach_customer(dialog.result_customer)
            elif dialog.detach:
                self._session.attach_customer(None)
        finally:
            dialog.deleteLater()
            self.scan.take_focus()

    @qasync.asyncSlot()
    async def hold_or_resume(self) -> None:
        if self._busy:
            return
        try:
            if not self._session.is_empty:
                held = await self._session.hold()
                self.banner.say(_("Sale put on hold: {label}").format(label=held.label), "success")
                return
            dialog = HeldCartsDialog(self._held_carts, self)
            try:
                if await ask(dialog) and dialog.chosen is not None:
                    await self._session.resume(dialog.chosen)
                    self.banner.say(_("Held sale resumed"), "success")
            finally:
                dialog.deleteLater()
        except SaleInputError as error:
            self.scan.show_error(i18n.tr_error(error))
        finally:
            self.scan.take_focus()

    @qasync.asyncSlot()
    async def cancel_sale(self) -> None:
        if self._session.is_empty or self._busy:
            return
        try:
            if await confirm(
                self, _("Cancel sale"), _("Cancel this sale and empty the cart?"), _("Cancel sale")
            ):
                self._session.clear()
                self.banner.hide()
                self.scan.show_info(_("Sale cancelled"))
        finally:
            self.scan.take_focus()

    def load_cart(self, cart: Cart, note: str) -> bool:
        """Opens a recorded sale's cart for correction (from the queue screen)."""
        if not self._session.is_empty:
            self.scan.show_error(_("Finish or hold the current sale first"))
            return False
        self._session.load(cart)
        self.banner.say(note, "warning")
        return True

    # -- paying and finishing --------------------------------------------------------------

    @qasync.asyncSlot()
    async def pay(self) -> None:
        if self._busy:
            return
        if self._session.is_empty:
            self.scan.show_error(_("The cart is empty"))
            return
        if await self._shifts.current() is None:
            self.shiftNeeded.emit()
            return
        self._busy = True
        dialog = PaymentDialog(self._session, self._bridge, self, accounts=self._accounts)
        try:
            accepted = await ask(dialog)
            note = dialog.account_note
            dialog.deleteLater()
            if accepted and self._session.can_finish:
                await self._finish(note)
        finally:
            self._busy = False
            self.scan.setEnabled(True)
            self.scan.take_focus()

    async def _finish(self, note: str = "") -> None:
        """Records the sale; `note` (an on-account check made on the till's copy) is added to
        what the banner says."""
        session = self._session
        change = session.totals.change_due
        currency = session.currency
        self.scan.setEnabled(False)  # nothing may join this cart while it is being recorded
        try:
            finished = await self._checkout.finish_sale(session.cart, print_receipt=False)
        except SaleError as error:
            self.banner.say("\n".join(error.problems), "error")
            return
        except Exception as error:  # the disk is full, the database is locked...
            log.exception("sale could not be recorded")
            self.banner.say(
                _("The sale could not be recorded: {error}").format(error=error), "error"
            )
            return
        # Recorded: the next customer can be rung up while the receipt prints.
        session.clear()
        self.scan.show_info("")
        order = finished.order_number
        change_text = _("Change: {amount}").format(amount=i18n.money(change, currency))
        text = _("Sale {order} recorded.").format(order=order)
        if change:
            text += "  " + change_text
        if note:
            text += "\n" + note
        pending = _("Printing the receipt of {order}…").format(order=order)
        self.banner.say(f"{pending}  {change_text}" if change else pending, "success")
        self.saleFinished.emit(order)
        spawn(self._print(finished.receipt, text, pending), name=f"print {order}")

    async def _print(self, receipt: Receipt, text: str, pending: str) -> None:
        """Prints off the loop, then says how it went: a failure always (with Reprint), a
        success only if the banner still speaks of this sale."""
        order = receipt.order_number
        outcome = await self._checkout.print(receipt)
        self.printerStatus.emit(outcome.error or "")
        if outcome.error:
            text += "\n" + _("The receipt was not printed: {error}").format(error=outcome.error)
            self.banner.say(text, "warning", (_("Reprint"), lambda: self.reprint(order)))
        elif self.banner.label.text().startswith(pending):
            self.banner.say(text, "success")

    @qasync.asyncSlot(str)
    async def reprint(self, order_number: str) -> None:
        self.banner.action.setEnabled(False)
        try:
            outcome = await self._checkout.reprint(order_number)
        finally:
            self.banner.action.setEnabled(True)
        self.printerStatus.emit(outcome.error or "")
        if outcome.error:
            self.banner.say(
                _("Reprint of {order} failed: {error}").format(
                    order=order_number, error=outcome.error
                ),
                "warning",
                (_("Reprint"), lambda: self.reprint(order_number)),
            )
        else:
            self.banner.say(_("Copy of {order} printed").format(order=order_number), "success")

    # -- the cash drawer -------------------------------------------------------------------

    @qasync.asyncSlot()
    async def open_drawer(self) -> None:
        """F9: opens the drawer for a reason the cashier gives (audited)."""
        if self._busy:
            return
        drawer = self._drawer
        if not drawer.enabled:
            self.banner.say(
                _("No cash drawer: choose a thermal printer and the cash drawer in Settings"),
                "warning",
            )
            return
        dialog = DrawerReasonDialog(self)
        try:
            if not await ask(dialog):
                return
            reason = dialog.reason
        finally:
            dialog.deleteLater()
            self.scan.take_focus()
        outcome = await drawer.open(reason)
        if outcome.opened:
            self.banner.say(_("Drawer opened"), "success")
        else:
            self.banner.say(
                _("The drawer did not open: {error}").format(error=outcome.message), "warning"
            )
