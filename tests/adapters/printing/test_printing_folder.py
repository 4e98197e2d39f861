"""FolderPrinter writes whole files atomically; NoPrinter and make_printer."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pos_app.adapters.printing import (
    CupsPrinter,
    FolderPrinter,
    NoPrinter,
    make_printer,
)
from pos_app.adapters.printing import folder as folder_module
from pos_app.domain.paper import PrintError

PDF = b"%PDF-1.4\n% a receipt\n" + bytes(range(256)) * 100


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_the_pdf_under_the_job_name(tmp_path: Path) -> None:
    printer = FolderPrinter(tmp_path / "receipts")  # created on first print
    where = printer.print_pdf(PDF, job_name="receipt-A1-000042")
    target = tmp_path / "receipts" / "receipt-A1-000042.pdf"
    assert where == str(target)
    assert target.read_bytes() == PDF
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert leftovers(target.parent) == []
    assert printer.name == f"PDF folder {tmp_path / 'receipts'}"


def test_a_reprint_replaces_the_file_whole(tmp_path: Path) -> None:
    printer = FolderPrinter(tmp_path)
    printer.print_pdf(b"%PDF-old", job_name="r")
    printer.print_pdf(PDF, job_name="r")
    assert (tmp_path / "r.pdf").read_bytes() == PDF
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("job_name", "file_name"),
    [
        ("../../etc/passwd", "_.._etc_passwd.pdf"),
        ("reçu A1/000042 (copie)", "re_u_A1_000042_copie_.pdf"),
        ("...", "receipt.pdf"),
        ("x" * 500, "x" * 120 + ".pdf"),
    ],
)
def test_job_names_cannot_leave_the_folder(tmp_path: Path, job_name: str, file_name: str) -> None:
    where = Path(FolderPrinter(tmp_path).print_pdf(PDF, job_name=job_name))
    assert where == tmp_path / file_name
    assert [p.name for p in tmp_path.iterdir()] == [file_name]


def test_an_unwritable_folder_is_a_print_error(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    with pytest.raises(PrintError, match=r"could not save the receipt as .*file/r\.pdf"):
        FolderPrinter(not_a_folder).print_pdf(PDF, job_name="r")


def test_a_failed_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(folder_module.os, "replace", disk_full)
    with pytest.raises(PrintError, match="No space left on device"):
        FolderPrinter(tmp_path).print_pdf(PDF, job_name="r")
    assert os.listdir(tmp_path) == []


def test_no_printer_says_nothing_was_printed() -> None:
    printer = NoPrinter()
    assert printer.name == "no printer"
    assert printer.print_pdf(PDF, job_name="receipt-A1") == (
        "receipt-A1 not printed: no printer is configured"
    )


def test_make_printer_kinds(tmp_path: Path) -> None:
    cups = make_printer("cups", "Caisse-1")
    assert isinstance(cups, CupsPrinter) and cups.queue == "Caisse-1"
    default = make_printer("cups", None)
    assert isinstance(default, CupsPrinter) and default.queue is None
    folder = make_printer("folder", str(tmp_path))
    assert isinstance(folder, FolderPrinter) and folder.folder == tmp_path
    assert isinstance(make_printer("none", None), NoPrinter)


def test_make_printer_refuses_unusable_settings() -> None:
    with pytest.raises(ValueError, match="needs a folder"):
        make_printer("folder", None)
    with pytest.raises(ValueError, match="unknown printer kind 'laser'"):
        make_printer("laser", "x")
