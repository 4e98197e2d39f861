"""Cycles are collected on the GUI thread only.

Python's cycle collector runs in whichever thread happens to allocate past its threshold: the
database's, the HTTP client's. A Qt object it frees there (a dialog's wrapper, a timer) cannot
unregister itself from the GUI thread's lists, and a later event reaches freed memory: a crash
much later, far from its cause (seen in the UI tests before their collections moved to the GUI
thread). While the window runs, automatic collection is off, and a timer on the GUI thread
collects each generation once Python's own thresholds are passed, as Python would have."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_EVERY_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_EVERY_MS):
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Collects the oldest generation whose count passed its threshold (and the younger
        ones with it), on this, the GUI, thread."""
        counts = gc.get_count()
        generation = -1
        for number, (count, threshold) in enumerate(zip(counts, self._thresholds, strict=True)):
            if threshold and count > threshold:
                generation = number
            else:
                break
        if generation >= 0:
            gc.collect(generation)

    def stop(self) -> None:
        """The window is closing: collection goes back to how it was."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
