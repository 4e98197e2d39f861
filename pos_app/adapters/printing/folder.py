"""Printing into a folder: each receipt becomes `<folder>/<job_name>.pdf`, for tills without a
printer, shared folders a back office collects, or kiosks that e-mail receipts.

The file appears whole or not at all: written to a temporary file in the same folder, flushed
to disk, then renamed over the target (atomic on POSIX and Windows), so a reader polling the
folder never picks up half a PDF, and a crash leaves at most a stray temporary file.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import suppress
from pathlib import Path

from pos_app.domain.paper import PrintError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_STEM = 120


def file_stem(job_name: str) -> str:
    """`job_name` as a file name that stays in its folder on every system: no separators, no
    leading dot, letters, digits, dot, dash and underscore only."""
    stem = _UNSAFE.sub("_", job_name).lstrip(".")[:_MAX_STEM]
    return stem or "receipt"


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk. Windows cannot open a
    # folder this way, and its rename is durable enough there.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FolderPrinter:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.name = f"PDF folder {self.folder}"

    def print_pdf(self, pdf: bytes, *, job_name: str) -> str:
        target = self.folder / f"{file_stem(job_name)}.pdf"
        temporary: str | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(
                prefix=f".{target.stem}.", suffix=".tmp", dir=self.folder
            )
            with os.fdopen(fd, "wb") as stream:
                stream.write(pdf)
                stream.flush()
                os.fsync(stream.fileno())
            # mkstemp makes the file private (0600); a receipt is an ordinary document.
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
            temporary = None
            _fsync_folder(self.folder)
        except OSError as error:
            reason = error.strerror or str(error)
            raise PrintError(f"could not save the receipt as {target}: {reason}") from error
        finally:
            if temporary is not None:
                with suppress(OSError):
                    os.unlink(temporary)
        return str(target)
