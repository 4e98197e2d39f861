"""The cashier's day in the window, each from one key: open the shift with its float (Ctrl+O),
a return (Ctrl+R), a void with its reason (Ctrl+Shift+V), paid-in and paid-out with a reason
(Ctrl+Shift+I, Ctrl+Shift+O), the X report (Ctrl+Shift+X) and the close with its count and Z
report (Ctrl+Shift+C; Ctrl+Shift+Z stays a text field's redo). A sale picked on the History
screen is the one returned or voided.

What was recorded is said on the sale screen's banner; a refusal stays in its dialog. While
no shift is open, the sale screen says so and offers to open one."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import qasync
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from pos_app.domain.refunds import RefundError
from pos_app.domain.shifts import ShiftError
from pos_app.services.checkout import UnknownOrderError
from pos_app.services.corrections import CorrectionService, RecordedCorrection
from pos_app.services.shifts import ShiftService, report_document
from pos_app.ui import i18n
from pos_app.ui.banner import Banner
from pos_app.ui.count_dialog import CountDialog
from pos_app.ui.dialogs import ask
from pos_app.ui.form_dialog import FormDialog, FormProblem, typed_decimal
from pos_app.ui.i18n import _
from pos_app.ui.report_dialog import ReportDialog
from pos_app.ui.return_dialog import ReturnDialog


def toolbar_actions() -> tuple[tuple[str, str, str, str], ...]:
    """(object name, label, keys, slot name) of each action, in toolbar order."""
    return (
        ("openShift", _("Open shift"), "Ctrl+O", "open_shift"),
        ("returnSale", _("Return"), "Ctrl+R", "return_sale"),
        ("voidSale", _("Void"), "Ctrl+Shift+V", "void_sale"),
        ("paidIn", _("Paid in"), "Ctrl+Shift+I", "paid_in"),
        ("paidOut", _("Paid out"), "Ctrl+Shift+O", "paid_out"),
        ("xReport", _("X report"), "Ctrl+Shift+X", "x_report"),
        ("closeShift", _("Close shift"), "Ctrl+Shift+C", "close_shift"),
    )


def _problems(error: Exception) -> list[str]:
    if isinstance(error, RefundError):
        return list(error.problems)
    if isinstance(error, UnknownOrderError):
        return [_("No sale {order} on this till").format(order=error.order_number)]
    return [str(error)]


class CashdayActions(QObject):
    def __init__(
        self,
        shifts: ShiftService,
        corrections: CorrectionService,
        currency: str,
        parent: QWidget,
        banner: Banner,
    ):
        """`currency`: the one the services opened with, for the amounts said; `banner`:
        the sale screen's, where what was recorded is said."""
        super().__init__(parent)
        self._shifts = shifts
        self._corrections = corrections
        self._currency = currency
        self._window = parent
        self._banner = banner
        # The sale selected on the History screen when an action was asked for, if any.
        self.picked_order: str | None = None

    def _money(self, amount: Decimal) -> str:
        return i18n.money(amount, self._currency)

    async def _form(
        self,
        title: str,
        fields: Sequence[tuple[str, str]],
        button: str,
        submit: Callable[[Mapping[str, str]], Any],
        *,
        intro: str = "",
        values: Mapping[str, str] | None = None,
    ) -> bool:
        dialog = FormDialog(title, fields, button, submit, self._window, intro=intro, values=values)
        try:
            return bool(await ask(dialog))
        finally:
            dialog.deleteLater()

    # -- the shift ----------------------------------------------------------------------------

    async def say_if_no_shift(self) -> bool:
        """Says on the sale screen that a shift must be opened, offering it; True if none is."""
        if await self._shifts.current() is not None:
            return False
        self._banner.say(
            _("No shift is open: open one with its float before selling."),
            "warning",
            (_("Open shift (Ctrl+O)"), self.open_shift),
        )
        return True

    @qasync.asyncSlot()
    async def check_shift(self) -> None:
        await self.say_if_no_shift()

    @qasync.asyncSlot()
    async def open_shift(self) -> None:
        async def submit(values: Mapping[str, str]) -> list[str]:
            try:
                amount = typed_decimal(values["float"], _("Float"))
                shift = await self._shifts.open(amount)
            except (FormProblem, ShiftError) as error:
                return [str(error)]
            self._banner.say(
                _("Shift {shift} opened with a float of {amount}.").format(
                    shift=shift.id, amount=self._money(amount)
                )
            )
            return []

        await self._form(
            _("Open shift"),
            [("float", _("Float in the drawer"))],
            _("Open shift"),
            submit,
            intro=_("Count the float put in the drawer to start the shift."),
        )

    @qasync.asyncSlot()
    async def paid_in(self) -> None:
        await self._move_cash(paid_in=True)

    @qasync.asyncSlot()
    async def paid_out(self) -> None:
        await self._move_cash(paid_in=False)

    async def _move_cash(self, *, paid_in: bool) -> None:
        title = _("Paid in") if paid_in else _("Paid out")

        async def submit(values: Mapping[str, str]) -> list[str]:
            try:
                amount = typed_decimal(values["amount"], _("Amount"))
                await self._shifts.move_cash(amount, values["reason"].strip(), paid_in=paid_in)
            except (FormProblem, ShiftError) as error:
                return [str(error)]
            self._banner.say(
                _("{what}: {amount} ({reason}).").format(
                    what=title, amount=self._money(amount), reason=values["reason"].strip()
                )
            )
            return []

        await self._form(title, [("amount", _("Amount")), ("reason", _("Reason"))], title, submit)

    @qasync.asyncSlot()
    async def x_report(self) -> None:
        try:
            report = await self._shifts.report()
        except ShiftError:
            await self.say_if_no_shift()
            return
        await self._show_report(report_document(report))

    @qasync.asyncSlot()
    async def close_shift(self) -> None:
        if await self.say_if_no_shift():
            return
        closed: list[dict[str, Any]] = []

        async def close_with(
            count: Mapping[Decimal, int] | None, counted: Decimal | None
        ) -> list[str]:
            try:
                report = await self._shifts.close(counted=counted, count=count)
            except ShiftError as error:
                return [str(error)]
            closed.append(report_document(report))
            return []

        dialog = CountDialog(self._currency, close_with, self._window)
        try:
            await ask(dialog)
        finally:
            dialog.deleteLater()
        if not closed:
            return
        document = closed[0]
        self._banner.say(
            _("Shift {shift} closed: expected {expected}, counted {counted}.").format(
                shift=document["shift"],
                expected=document["cash"]["expected"],
                counted=document["cash"]["counted"],
            ),
            "success",
            (_("Open shift (Ctrl+O)"), self.open_shift),
        )
        await self._show_report(document)

    async def _show_report(self, document: dict[str, Any]) -> None:
        dialog = ReportDialog(document, self._shifts.print_report, self._window)
        try:
            await ask(dialog)
        finally:
            dialog.deleteLater()

    # -- corrections --------------------------------------------------------------------------

    @qasync.asyncSlot()
    async def return_sale(self) -> None:
        corrections = self._corrections
        done: list[RecordedCorrection] = []

        async def refund(order: str, lines: Mapping[int, Decimal], to_cash: bool) -> list[str]:
            try:
                done.append(await corrections.refund(order, lines, to_cash=to_cash))
            except (RefundError, ShiftError, UnknownOrderError) as error:
                return _problems(error)
            return []

        dialog = ReturnDialog(
            corrections.refundable, refund, self._window, order_number=self.picked_order or ""
        )
        try:
            await ask(dialog)
        finally:
            dialog.deleteLater()
        if done:
            self._said(done[0], _("Refund {order} of {original} recorded: {amount} given back."))

    @qasync.asyncSlot()
    async def void_sale(self) -> None:
        async def submit(values: Mapping[str, str]) -> list[str]:
            try:
                done = await self._corrections.void(values["order"], values["reason"])
            except (RefundError, ShiftError, UnknownOrderError) as error:
                return _problems(error)
            self._said(done, _("Sale {original} voided by {order}: {amount} given back."))
            return []

        await self._form(
            _("Void a sale"),
            [("order", _("Order number")), ("reason", _("Reason (required)"))],
            _("Void"),
            submit,
            values={"order": self.picked_order or ""},
        )

    def _said(self, done: RecordedCorrection, template: str) -> None:
        receipt = done.receipt
        assert receipt.correction is not None
        text = template.format(
            order=receipt.order_number,
            original=receipt.correction.original_order_number,
            amount=self._money(receipt.totals.total_payments),
        )
        if done.printing.error:
            text += "\n" + _("The receipt was not printed: {error}").format(
                error=done.printing.error
            )
        self._banner.say(text, "warning" if done.printing.error else "success")
