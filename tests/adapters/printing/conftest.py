"""A real CUPS queue for the printing tests.

When CUPS is installed but its scheduler is not running (a fresh container has no init system
to start it), the fixture starts `cupsd` if it may (root); cupsd detaches and keeps running as
the machine's print service. When no cups-pdf queue exists it creates one named PDF with the
cups-pdf driver. The tests are skipped, saying why, only when CUPS really cannot be had.
"""

from __future__ import annotations

import shutil

import pytest
from cups_helpers import (
    CupsPdfQueue,
    create_queue,
    cups_pdf_queues,
    output_dirs,
    scheduler_running,
    start_scheduler,
)


@pytest.fixture(scope="session")
def cups_pdf_queue() -> CupsPdfQueue:
    if shutil.which("lp") is None or shutil.which("lpstat") is None:
        pytest.skip("CUPS client commands (lp, lpstat) are not installed")
    if not scheduler_running() and (reason := start_scheduler()):
        pytest.skip(reason)
    if not cups_pdf_queues() and (reason := create_queue()):
        pytest.skip(reason)
    queues = cups_pdf_queues()
    if not queues:
        pytest.skip("no cups-pdf queue could be found or created")
    return CupsPdfQueue(queues[0], output_dirs())
