"""Printing through CUPS with its own commands (`lp`, `lpstat`): no Qt, no libcups binding, the
same spooler every Linux and macOS till has. The PDF goes to `lp` on standard input, so no
temporary file is left behind when a job fails.
"""

from __future__ import annotations

import logging
import re
import subprocess

from pos_app.domain.paper import PrintError

log = logging.getLogger(__name__)

# "request id is PDF-12 (1 file(s))"
_REQUEST_ID = re.compile(r"request id is (\S+)")
# A job name is shown in queues and by cups-pdf in file names: one plain line, not too long.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]+")
_MAX_JOB_NAME = 120


def _job_title(job_name: str) -> str:
    return _UNPRINTABLE.sub(" ", job_name).strip()[:_MAX_JOB_NAME] or "receipt"


class CupsPrinter:
    """A CUPS queue, or the system's default destination when `queue` is None."""

    def __init__(self, queue: str | None = None, *, timeout: float = 30.0) -> None:
        self.queue = queue
        self.timeout = timeout
        self.name = f"CUPS queue {queue}" if queue else "CUPS default printer"

    def _command(self, job_name: str) -> list[str]:
        command = ["lp"]
        if self.queue:
            command += ["-d", self.queue]
        # "--" before the stdin marker: nothing after it is taken for an option.
        return [*command, "-t", _job_title(job_name), "--", "-"]

    def print_pdf(self, pdf: bytes, *, job_name: str) -> str:
        if not pdf.startswith(b"%PDF-"):
            raise ValueError("print_pdf needs PDF bytes")
        try:
            result = subprocess.run(
                self._command(job_name),
                input=pdf,
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except FileNotFoundError:
            raise PrintError(
                "CUPS is not installed on this till (the `lp` command is missing)"
            ) from None
        except subprocess.TimeoutExpired:
            raise PrintError(
                f"{self.name} did not take the job within {self.timeout:g} s "
                "(is the CUPS service running?)"
            ) from None
        output = result.stdout.decode(errors="replace")
        if result.returncode != 0:
            detail = result.stderr.decode(errors="replace").strip() or f"exit {result.returncode}"
            raise PrintError(f"{self.name} refused the job: {detail}")
        match = _REQUEST_ID.search(output)
        if match is None:
            # lp succeeded but spoke differently (another CUPS version or locale): the job is
            # queued all the same, so say so rather than fail a printed receipt.
            log.info("lp gave no request id: %r", output)
            return f"sent to {self.name}"
        return f"sent to {self.name} as job {match.group(1)}"


def list_cups_queues(timeout: float = 10.0) -> list[str]:
    """The CUPS destinations this till can print to (for the settings screen); empty when CUPS
    is missing or its scheduler is not running."""
    try:
        result = subprocess.run(
            ["lpstat", "-e"], capture_output=True, timeout=timeout, check=False, text=True
        )
    except (FileNotFoundError, subprocess.TimeoutExpired) as error:
        log.info("no CUPS queues listed: %s", error)
        return []
    if result.returncode != 0:
        log.info("no CUPS queues listed: %s", result.stderr.strip())
        return []
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]
