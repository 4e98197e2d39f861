"""`pos-app receipt escpos`, `pos-app printer test` and `pos-app drawer open` as an operator
runs them, against the virtual printer on loopback."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys

import pytest

from pos_app.adapters.escpos import PROFILES, VirtualPrinter, decode
from pos_app.bootstrap import Bootstrap
from pos_app.services.runtime import RuntimeOptions
from tests.cli.run import REPO, pos_app
from tests.fixtures.carts import FORMAT_EXAMPLE


def use_thermal(data_dir, target: str) -> None:
    runtime = Bootstrap(RuntimeOptions(data_dir=data_dir))
    runtime.save_settings(runtime.settings().with_changes(printer="escpos", printer_target=target))


@pytest.mark.parametrize(("paper", "columns"), [("80mm", 48), ("58mm", 32)])
def test_escpos_stream_of_a_cart(tmp_path, paper, columns):
    out = tmp_path / "receipt.bin"
    result = pos_app(
        tmp_path, "receipt", "escpos", "-", "-o", str(out), "--paper", paper, "--lang", "en",
        "--copy", stdin=json.dumps(FORMAT_EXAMPLE),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    printed = decode(out.read_bytes())
    assert printed.lines[0].text == "COPY"
    assert "$4.62" in printed.text  # the total
    assert max(line.columns for line in printed.lines) <= columns
    assert PROFILES[f"{paper}-{columns}"].code_page.number in printed.code_pages


def test_printer_test_and_drawer_open_on_the_configured_printer(tmp_path):
    with VirtualPrinter() as printer:
        use_thermal(tmp_path, printer.target)
        test = pos_app(tmp_path, "printer", "test")
        assert test.returncode == 0, test.stderr
        assert "test page printed" in test.stdout
        opened = pos_app(tmp_path, "drawer", "open", "--reason", "change for the float")
        assert opened.returncode == 0, opened.stderr
    pulses = [decode(job).drawer_pulses for job in printer.jobs]
    assert pulses == [0, 1]
    with sqlite3.connect(tmp_path / "pos.db") as conn:
        detail = conn.execute(
            "SELECT detail FROM audit_log WHERE event = 'drawer_opened'"
        ).fetchone()[0]
    assert json.loads(detail) == {"reason": "change for the float"}


def test_drawer_needs_a_reason_and_a_refusing_printer_is_an_error(tmp_path):
    use_thermal(tmp_path, "tcp://127.0.0.1:9")  # discard port: nothing listens there
    blank = pos_app(tmp_path, "drawer", "open", "--reason", " ")
    assert blank.returncode == 2 and "reason:" in blank.stderr
    refused = pos_app(tmp_path, "printer", "test")
    assert refused.returncode == 1 and "refused the connection" in refused.stderr


def test_virtual_printer_command_keeps_jobs_for_a_demo(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    save = tmp_path / "jobs"
    command = [sys.executable, "-m", "pos_app", "--data-dir", str(tmp_path), "printer",
               "virtual", "--port", str(port), "--save", str(save)]  # fmt: skip
    server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        assert f"tcp://127.0.0.1:{port}" in server.stdout.readline()
        use_thermal(tmp_path, f"tcp://127.0.0.1:{port}")
        assert pos_app(tmp_path, "printer", "test").returncode == 0
    finally:
        server.send_signal(signal.SIGTERM)
        out, _err = server.communicate(timeout=30)
    assert server.returncode == 0
    assert "1 job(s) received" in out
    assert "Printer test page" in (save / "job-1.txt").read_text(encoding="utf-8")
