"""CupsPrinter: a real print through a cups-pdf queue, read back from the file cups-pdf writes;
and, with stand-in `lp`/`lpstat` commands, the exact command line and every failure path."""

from __future__ import annotations

import io
import re
import stat
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cups_helpers import CupsPdfQueue, poll, run
from pypdf import PdfReader

from pos_app.adapters.printing import CupsPrinter, list_cups_queues
from pos_app.adapters.receipt_pdf import render_receipt
from pos_app.domain.cart_format import parse_cart
from pos_app.domain.paper import Paper, PrintError, ReceiptLanguage
from pos_app.domain.receipt import StoreInfo, issue_receipt

PDF = b"%PDF-1.4\n% a receipt\n"


def receipt_pdf(order_number: str) -> bytes:
    cart = parse_cart(
        {
            "currency": "CAD",
            "items": [{"name": "Café filtre", "unitPrice": "2.49", "quantity": "2"}],
            "payments": [{"type": "CASH", "amount": "5.00"}],
        }
    )
    receipt = issue_receipt(
        cart,
        receipt_id=str(uuid.uuid4()),
        order_number=order_number,
        store=StoreInfo(business_name="Café Éloïse"),
        issued_at=datetime(2025, 1, 21, 18, 54, tzinfo=UTC),
    )
    return render_receipt(receipt, paper=Paper.ROLL_80MM, language=ReceiptLanguage.FR)


def _pdf_text(path: Path) -> str:
    try:
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    except Exception:  # cups-pdf may still be writing it: read it again on the next poll
        return ""


def _wait_for_completion(queue: str, job: str, timeout: float = 90) -> None:
    def completed() -> bool | None:
        listing = run("lpstat", "-W", "completed", "-o", queue).stdout
        return True if re.search(rf"^{re.escape(job)}\s", listing, re.M) else None

    if poll(completed, timeout):
        return
    state = run("lpstat", "-l", "-o", queue).stdout + run("lpstat", "-l", "-p", queue).stdout
    pytest.fail(f"job {job} did not complete within {timeout:g} s:\n{state}")


def _find_output(dirs: tuple[Path, ...], since: float, needle: str, timeout: float = 30) -> Path:
    def written() -> Path | None:
        for folder in dirs:
            for path in folder.glob("*.pdf") if folder.is_dir() else ():
                if path.stat().st_mtime >= since and needle in _pdf_text(path):
                    return path
        return None

    if (path := poll(written, timeout)) is not None:
        return path
    pytest.fail(f"cups-pdf wrote no PDF containing {needle!r} in {[str(d) for d in dirs]}")


def test_prints_through_a_real_cups_pdf_queue(cups_pdf_queue: CupsPdfQueue) -> None:
    order = f"Z9-{uuid.uuid4().int % 10**9:09d}"  # unique, to find this run's file
    since = time.time() - 1
    printer = CupsPrinter(cups_pdf_queue.name)
    where = printer.print_pdf(receipt_pdf(order), job_name=f"receipt-{order}")
    match = re.fullmatch(rf"sent to CUPS queue {cups_pdf_queue.name} as job (\S+)", where)
    assert match, where
    _wait_for_completion(cups_pdf_queue.name, match.group(1))
    output = _find_output(cups_pdf_queue.output_dirs, since, order)
    assert output.read_bytes().startswith(b"%PDF-")
    output.unlink()  # the test's own print: do not pile them up


def test_lists_the_real_queues(cups_pdf_queue: CupsPdfQueue) -> None:
    assert cups_pdf_queue.name in list_cups_queues()


def test_a_queue_that_does_not_exist_is_a_print_error(cups_pdf_queue: CupsPdfQueue) -> None:
    printer = CupsPrinter("no-such-queue-4242")
    with pytest.raises(PrintError, match=r"CUPS queue no-such-queue-4242 refused the job: .*exist"):
        printer.print_pdf(receipt_pdf("A1-000042"), job_name="receipt")


# --- stand-in commands: the command line and the failure paths, with or without CUPS ---------


def _command(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def fake_bin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    return folder


def test_lp_gets_the_queue_the_title_and_the_pdf_on_stdin(fake_bin: Path, tmp_path: Path) -> None:
    _command(
        fake_bin,
        "lp",
        f'printf "%s\\n" "$@" > {tmp_path}/args; cat > {tmp_path}/stdin; '
        'echo "request id is Caisse-12 (1 file(s))"',
    )
    # No shell between us and lp: quotes and semicolons in a job name are just text.
    where = CupsPrinter("Caisse").print_pdf(PDF, job_name='receipt "A1"; rm -rf /\n(copy)')
    assert where == "sent to CUPS queue Caisse as job Caisse-12"
    args = (tmp_path / "args").read_text().splitlines()
    assert args == ["-d", "Caisse", "-t", 'receipt "A1"; rm -rf / (copy)', "--", "-"]
    assert (tmp_path / "stdin").read_bytes() == PDF


def test_default_destination_when_no_queue_is_named(fake_bin: Path, tmp_path: Path) -> None:
    _command(fake_bin, "lp", f'printf "%s\\n" "$@" > {tmp_path}/args; cat > /dev/null')
    printer = CupsPrinter(None)
    assert printer.name == "CUPS default printer"
    # No request id in lp's answer: the job is queued all the same.
    assert printer.print_pdf(PDF, job_name="r") == "sent to CUPS default printer"
    assert "-d" not in (tmp_path / "args").read_text().splitlines()


def test_lp_refusing_the_job_is_a_print_error(fake_bin: Path) -> None:
    _command(fake_bin, "lp", 'cat > /dev/null; echo "lp: Error - Printer is stopped." >&2; exit 1')
    with pytest.raises(
        PrintError, match=r"CUPS queue Caisse refused the job: .*Printer is stopped"
    ):
        CupsPrinter("Caisse").print_pdf(PDF, job_name="r")


def test_lp_hanging_is_a_print_error(fake_bin: Path) -> None:
    _command(fake_bin, "lp", "exec sleep 30")
    started = time.monotonic()
    with pytest.raises(PrintError, match=r"did not take the job within 0\.5 s"):
        CupsPrinter("Caisse", timeout=0.5).print_pdf(PDF, job_name="r")
    assert time.monotonic() - started < 10


def test_missing_cups_is_a_print_error(fake_bin: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(fake_bin))  # an empty folder: no lp anywhere
    with pytest.raises(PrintError, match="CUPS is not installed"):
        CupsPrinter("Caisse").print_pdf(PDF, job_name="r")
    assert list_cups_queues() == []


def test_only_pdf_bytes_are_printed() -> None:
    with pytest.raises(ValueError, match="PDF"):
        CupsPrinter("Caisse").print_pdf(b"hello", job_name="r")


def test_queue_listing(fake_bin: Path) -> None:
    _command(fake_bin, "lpstat", 'printf "Caisse-1\\nPDF\\n"')
    assert list_cups_queues() == ["Caisse-1", "PDF"]
    _command(fake_bin, "lpstat", 'echo "lpstat: No destinations added." >&2; exit 1')
    assert list_cups_queues() == []
