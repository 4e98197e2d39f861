"""The outbox's sender lock: one process at a time sends a data folder's receipts.

An OS lock on a file beside the database (`flock` on POSIX, `msvcrt.locking` on Windows). The
kernel drops it when its holder exits, however it exits (kill -9 included), so a crash never
leaves the queue locked and there is no stale-lock cleanup to get wrong. The file keeps the
holder's pid, only to name it in the message a second sender prints.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

LOCK_FILE = "outbox.lock"


def _lock(handle: IO[str]) -> bool:
    """Takes the lock without waiting; False if another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        return False
    return True


class FileSenderLock:
    """`try_acquire` / `release`; the file is opened once and kept while held."""

    def __init__(self, data_dir: Path):
        self.path = data_dir / LOCK_FILE
        self._handle: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def try_acquire(self) -> bool:
        if self._handle is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        handle = os.fdopen(fd, "r+", encoding="ascii")
        if not _lock(handle):
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle
        return True

    def holder(self) -> str:
        """Who holds it, for a message: `pid N`, or '' when the file says nothing."""
        try:
            pid = self.path.read_text(encoding="ascii").strip()
        except OSError:
            return ""
        return f"pid {pid}" if pid.isdigit() else ""

    def release(self) -> None:
        # Closing the descriptor drops the lock; the file stays (removing it would race with
        # a process that has just opened it and is about to lock it).
        if self._handle is not None:
            handle, self._handle = self._handle, None
            handle.close()
