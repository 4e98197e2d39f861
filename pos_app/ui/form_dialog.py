"""A small form of text fields and one action (open a shift, pay cash in or out, void a sale):
Enter submits; the action runs against the services and, when they refuse, the reasons show in
the dialog, which stays open with what was typed so the cashier can correct it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from decimal import Decimal

import qasync
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import AmountError, to_decimal
from pos_app.ui.i18n import _
from pos_app.ui.naming import named

log = logging.getLogger("pos_app.ui")

# What a form's action answers: the problems, one line each; empty when it was done.
Submit = Callable[[Mapping[str, str]], Awaitable[Sequence[str]]]


class FormProblem(ValueError):
    """A field that cannot be read; its message names the field."""


def typed_decimal(text: str, field: str) -> Decimal:
    """An amount as a person types it ("15.45" or "15,45")."""
    try:
        return to_decimal(text.strip().replace(",", "."))
    except AmountError:
        raise FormProblem(
            _("{field}: {text!r} is not an amount").format(field=field, text=text)
        ) from None


async def submitted(
    dialog: QDialog,
    button: QPushButton,
    error: QLabel,
    work: Callable[[], Awaitable[Sequence[str]]],
) -> None:
    """Runs a dialog's action with its button disabled (a second Enter records nothing twice):
    the dialog closes once it is done, or shows the problems and stays open."""
    button.setEnabled(False)
    try:
        problems = list(await work())
    except Exception as failure:  # the disk is full, the database is locked...
        log.exception("%s failed", dialog.windowTitle())
        problems = [str(failure)]
    finally:
        button.setEnabled(True)
    if problems:
        error.setText("\n".join(problems))
        error.show()
        return
    dialog.accept()


class FormDialog(QDialog):
    def __init__(
        self,
        title: str,
        fields: Sequence[tuple[str, str]],  # (name, label), in order
        button: str,
        submit: Submit,
        parent: QWidget | None = None,
        *,
        intro: str = "",
        values: Mapping[str, str] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("formDialog")
        self.setWindowTitle(title)
        self._submit = submit
        layout = QVBoxLayout(self)
        if intro:
            text = named(QLabel(intro), "formIntro")
            text.setWordWrap(True)
            layout.addWidget(text)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for name, label in fields:
            field = named(QLineEdit((values or {}).get(name, "")), f"{name}Field")
            form.addRow(label, field)
            self.fields[name] = field
        layout.addLayout(form)
        self.error = named(QLabel(), "formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#b71c1c;")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.submit_button = named(
            buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole), "formSubmit"
        )
        self.submit_button.setDefault(True)
        cancel = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
        buttons.accepted.connect(self._go)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        first_empty = next((f for f in self.fields.values() if not f.text()), None)
        (first_empty or next(iter(self.fields.values()))).setFocus()

    @qasync.asyncSlot()
    async def _go(self) -> None:
        if not self.submit_button.isEnabled():
            return  # already running: a second Enter does not record twice
        values = {k: f.text() for k, f in self.fields.items()}
        await submitted(self, self.submit_button, self.error, lambda: self._submit(values))
