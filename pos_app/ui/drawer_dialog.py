"""F9: opening the cash drawer outside a sale asks why (change for the float, a count...): the
reason goes into the audit log with the time."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from pos_app.ui.i18n import _
from pos_app.ui.naming import named


class DrawerReasonDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("drawerReasonDialog")
        self.setWindowTitle(_("Open drawer"))
        self.field = named(QLineEdit(), "drawerReasonField")
        self.field.setPlaceholderText(_("Change for the float, a count…"))
        self.message = named(QLabel(), "drawerReasonMessage")
        self.message.setStyleSheet("color:#b71c1c;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept_with_reason)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Why is the drawer opened? (kept in the audit log)")))
        layout.addWidget(self.field)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    @property
    def reason(self) -> str:
        return self.field.text().strip()

    def _accept_with_reason(self) -> None:
        if not self.reason:
            self.message.setText(_("Say why the drawer is opened"))
            return
        self.accept()
