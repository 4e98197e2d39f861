"""A message strip across the top of a screen: what just happened (sale finished, change to
give back) or what went wrong (receipt not printed), with at most one action ("Reprint").
It stays until the next message or until closed, so a busy cashier can read it later."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from pos_app.ui.naming import named

_STYLES = {
    "success": "background:#e8f5e9; border:1px solid #66bb6a; color:#1b5e20;",
    "warning": "background:#fff8e1; border:1px solid #ffb300; color:#5d4037;",
    "error": "background:#ffebee; border:1px solid #e53935; color:#b71c1c;",
}


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None, *, name: str = "banner"):
        super().__init__(parent)
        self.setObjectName(name)
        self.label = named(QLabel(), f"{name}Text")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.label.setFont(font)
        self.action = named(QPushButton(), f"{name}Action")
        self.action.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.action.hide()
        close = named(QToolButton(), f"{name}Close")
        close.setText("×")
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action)
        layout.addWidget(close)
        self._callback: Callable[[], None] | None = None
        self.action.clicked.connect(self._act)
        self.hide()

    def say(
        self,
        text: str,
        kind: str = "success",
        action: tuple[str, Callable[[], None]] | None = None,
    ) -> None:
        self.setStyleSheet(f"#{self.objectName()} {{ {_STYLES[kind]} border-radius:4px; }}")
        self.setProperty("kind", kind)
        self.label.setText(text)
        if action is None:
            self._callback = None
            self.action.hide()
        else:
            self.action.setText(action[0])
            self._callback = action[1]
            self.action.show()
        self.show()

    @property
    def offers_action(self) -> bool:
        """Shown with an action still to take (a Reprint): the next sale must not hide it."""
        return not self.isHidden() and self._callback is not None

    def _act(self) -> None:
        if self._callback is not None:
            self._callback()
