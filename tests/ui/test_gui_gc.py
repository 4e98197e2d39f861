"""While the window runs, cycles are collected on the GUI thread only, however many another
thread leaves behind (a Qt object freed on another thread is a crash later)."""

from __future__ import annotations

import gc
import threading
from typing import Any

from pos_app.ui.gui_gc import GuiThreadCollector
from tests.ui.conftest import until


class Cycle:
    def __init__(self) -> None:
        self.me = self


async def test_garbage_made_on_another_thread_is_collected_on_the_gui_thread(qapp) -> None:
    collected_on: list[threading.Thread] = []

    def on_collection(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            collected_on.append(threading.current_thread())

    collector = GuiThreadCollector(interval_ms=10)
    gc.callbacks.append(on_collection)
    try:
        assert not gc.isenabled()
        worker = threading.Thread(target=lambda: [Cycle() for _ in range(50_000)])
        worker.start()
        worker.join()
        await until(lambda: bool(collected_on), what="a collection")
        assert set(collected_on) == {threading.main_thread()}
    finally:
        gc.callbacks.remove(on_collection)
        collector.stop()
