"""The one way the UI starts background work: `spawn()` keeps a reference to every task (the
loop holds only weak ones, so an unreferenced task can vanish mid-flight) and logs a failure
the moment it happens instead of when the task object is garbage collected."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

log = logging.getLogger("pos_app.ui")

T = TypeVar("T")
_running: set[asyncio.Task[Any]] = set()


def spawn(coro: Coroutine[Any, Any, T], *, name: str | None = None) -> asyncio.Task[T]:
    task = asyncio.ensure_future(coro)
    if name:
        task.set_name(name)
    _running.add(task)
    task.add_done_callback(_finished)
    return task


def _finished(task: asyncio.Task[Any]) -> None:
    _running.discard(task)
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        log.error("background task %s failed", task.get_name(), exc_info=error)


def running() -> list[asyncio.Task[Any]]:
    return [t for t in _running if not t.done()]


async def cancel_all(timeout: float = 5.0) -> None:
    """On quit: cancels every task on the loop but the caller's (the spawned ones, and those
    `@asyncSlot` handlers started, which would otherwise resume on deleted widgets) and
    waits for them to unwind."""
    current = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=timeout)
