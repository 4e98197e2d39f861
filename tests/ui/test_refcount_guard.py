"""The guard from ../shared/qt-facts.md: PySide6 6.12.0 on CPython 3.11 loses a reference to
None on every call of a Python override such as paintEvent, and the process dies after a few
thousand repaints. The pinned version must not."""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget


class Painted(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawText(10, 20, "pos-app")
        painter.end()
        self.paints += 1


def test_none_refcount_survives_500_repaints(qapp: QApplication) -> None:
    widget = Painted()
    widget.resize(120, 40)
    widget.show()
    qapp.processEvents()
    before = sys.getrefcount(None)
    for _ in range(500):
        widget.repaint()
    qapp.processEvents()
    after = sys.getrefcount(None)
    widget.close()
    assert widget.paints >= 500
    # Other code may take a few references meanwhile; a leak would lose about 500.
    assert after >= before - 50, (PySide6.__version__, before, after)
