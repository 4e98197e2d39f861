"""A form field with its problem shown under it (hidden until there is one), as the customer
and account forms use."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pos_app.ui.naming import named

ERROR_STYLE = "color:#b71c1c;"


def with_error(widget: QWidget, error_name: str) -> tuple[QVBoxLayout, QLabel]:
    """`widget` over an empty red label (object name `error_name`); put the box in the form."""
    error = named(QLabel(), error_name)
    error.setStyleSheet(ERROR_STYLE)
    error.hide()
    box = QVBoxLayout()
    box.setSpacing(0)
    box.addWidget(widget)
    box.addWidget(error)
    return box, error
