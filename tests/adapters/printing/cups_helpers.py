"""Getting a real CUPS queue backed by cups-pdf (a virtual printer that writes PDF files) the
way an installer would: start the scheduler, create the queue, find where cups-pdf writes."""

from __future__ import annotations

import os
import pwd
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

CUPSD = Path("/usr/sbin/cupsd")
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
QUEUE = "PDF"


@dataclass(frozen=True)
class CupsPdfQueue:
    name: str
    output_dirs: tuple[Path, ...]  # where cups-pdf may write the files it prints


def poll(found: Callable[[], T | None], timeout: float, every: float = 0.2) -> T | None:
    """What `found()` returns once it is something (a state CUPS reaches in its own time,
    asked again every `every` s), or None after `timeout` s."""
    deadline = time.monotonic() + timeout
    while (result := found()) is None and time.monotonic() < deadline:
        time.sleep(every)
    return result


def run(*command: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def scheduler_running() -> bool:
    return "scheduler is running" in run("lpstat", "-r").stdout


def start_scheduler() -> str | None:
    """Start cupsd; returns why it could not be started, or None."""
    if not CUPSD.exists():
        return f"the CUPS scheduler is not running and {CUPSD} is not installed"
    if os.geteuid() != 0:
        return "the CUPS scheduler is not running and only root may start it"
    started = run(str(CUPSD))  # daemonises: returns once the daemon is detached
    if poll(lambda: True if scheduler_running() else None, timeout=15):
        return None
    return f"cupsd did not start: {started.stderr.strip() or 'no scheduler after 15 s'}"


def cups_pdf_queues() -> list[str]:
    """Queues whose device is cups-pdf ("device for PDF: cups-pdf:/")."""
    found = re.findall(r"^device for (\S+): cups-pdf:", run("lpstat", "-v").stdout, re.MULTILINE)
    return sorted(found, key=lambda name: name != QUEUE)  # "PDF" first when there are several


def create_queue() -> str | None:
    """Create the PDF queue; returns why it could not be created, or None."""
    models = [line.split()[0] for line in run("lpinfo", "-m", timeout=60).stdout.splitlines()]
    drivers = [m for m in models if "cups-pdf" in m.lower()]
    if not drivers:
        return "no cups-pdf driver (install printer-driver-cups-pdf)"
    driver = next((d for d in drivers if d.endswith("_opt.ppd")), drivers[0])
    created = run("lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-m", driver)
    if created.returncode != 0:
        return f"could not create the {QUEUE} queue: {created.stderr.strip()}"
    return None


def output_dirs() -> tuple[Path, ...]:
    """cups-pdf's output folders: `Out` (default ${HOME}/PDF, for the submitting user) and
    `AnonDirName` (default /var/spool/cups-pdf/ANONYMOUS), from its configuration."""
    settings = {"Out": "${HOME}/PDF", "AnonDirName": "/var/spool/cups-pdf/ANONYMOUS"}
    if CUPS_PDF_CONF.exists():
        for line in CUPS_PDF_CONF.read_text(errors="replace").splitlines():
            key, _, value = line.strip().partition(" ")
            if key in settings and value.strip():
                settings[key] = value.strip()
    user = pwd.getpwuid(os.getuid())
    dirs = [
        Path(value.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name))
        for value in settings.values()
    ]
    return tuple(dict.fromkeys([*dirs, Path("/var/spool/cups-pdf/ANONYMOUS")]))
