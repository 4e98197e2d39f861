"""The whole app in a real X window: Xvfb, `python -m pos_app` in demo mode (its sandbox
in-process), a barcode typed as a scanner types it, F12, Return; then the sale is in the
database, synced to the sandbox, and its PDF is in the receipts folder. Screenshots go to
test-reports/ for a person to look at.

Needs Xvfb, xdotool and imagemagick (`import`); skipped where they are missing.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "test-reports"
CHIPS = "060010001015"  # Croustilles nature 235 g, 5.16 with taxes, 5.15 in cash
TOOLS = ("Xvfb", "xdotool", "import")
# The payment dialog's title in either UI language (demo mode follows the system's).
PAYMENT_TITLE = "^(Payment|Paiement)$"


def _wait(predicate: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def _free_display() -> int:
    for number in range(90, 400):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    raise RuntimeError("no free X display number")


def _stop(process: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(grace)


@pytest.fixture
def display() -> Iterator[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"missing {', '.join(missing)}")
    number = _free_display()
    xvfb = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(lambda: Path(f"/tmp/.X11-unix/X{number}").exists(), 10, "Xvfb")
        yield f":{number}"
    finally:
        _stop(xvfb)


def _x(display: str, *args: str, timeout: float = 10) -> str:
    done = subprocess.run(
        args,
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return done.stdout.strip()


def _screenshot(display: str, name: str) -> Path:
    REPORTS.mkdir(exist_ok=True)
    path = REPORTS / name
    _x(display, "import", "-window", "root", str(path))
    return path


def _payment_dialog(display: str, press_f12: bool = False) -> str:
    """The id of the visible payment dialog ("" if none); `press_f12` presses F12 first when
    it is not open yet (F12 is ignored while it opens or is open)."""

    def find() -> str:
        found = _x(display, "xdotool", "search", "--onlyvisible", "--name", PAYMENT_TITLE)
        return found.splitlines()[0] if found else ""

    if press_f12 and not find():
        _x(display, "xdotool", "key", "F12")
    return find()


def _focused(display: str) -> str:
    """The id of the window with the keyboard focus (Qt focuses a dialog's own window)."""
    return _x(display, "xdotool", "getwindowfocus")


def _db(data_dir: Path, sql: str) -> list[tuple[object, ...]]:
    if not (data_dir / "pos.db").exists():
        return []
    with sqlite3.connect(f"file:{data_dir / 'pos.db'}?mode=ro", uri=True, timeout=5) as db:
        return db.execute(sql).fetchall()


def test_a_cash_sale_in_a_real_window(display: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "till"
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "POS_READY_MARKER": "print",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("POS_API_URL", None)  # demo mode: the app starts its own sandbox
    log = (tmp_path / "app.log").open("wb")
    app = subprocess.Popen(
        [sys.executable, "-m", "pos_app", "--data-dir", str(data_dir), "-v"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
    )
    try:
        assert app.stdout is not None
        ready = app.stdout.readline().decode()
        assert ready.startswith("pos-app ready"), (tmp_path / "app.log").read_text()
        window = _x(display, "xdotool", "search", "--sync", "--onlyvisible", "--name", "pos-app")
        assert window, "no window named pos-app"

        _x(display, "xdotool", "type", "--delay", "15", CHIPS)
        _x(display, "xdotool", "key", "Return")
        # F12 opens the payment dialog once the scan is in the cart (on an empty cart it only
        # says so): pressed until the dialog is there, as a cashier would.
        _wait(lambda: _payment_dialog(display, press_f12=True), 15, "the payment dialog")
        dialog = _payment_dialog(display)
        # It opens with cash for the amount due selected: Return pays once it has the focus.
        _wait(lambda: _focused(display) == dialog, 10, "the payment dialog's focus")
        _screenshot(display, "window-payment.png")
        _x(display, "xdotool", "key", "Return")

        _wait(lambda: _db(data_dir, "SELECT order_number, total FROM sales"), 15, "the sale")
        assert _db(data_dir, "SELECT order_number, total FROM sales") == [("A1-000001", "5.16")]
        _wait(
            lambda: _db(data_dir, "SELECT state FROM outbox") == [("done",)], 20, "the sale synced"
        )
        (server_id,) = _db(data_dir, "SELECT server_id FROM sales")[0]
        assert server_id
        pdf = data_dir / "receipts" / "A1-000001.pdf"
        _wait(pdf.is_file, 10, "the receipt PDF")
        assert pdf.read_bytes().startswith(b"%PDF")
        _wait(lambda: not _payment_dialog(display), 10, "the payment dialog closed")
        shot = _screenshot(display, "window.png")
        assert shot.is_file() and shot.stat().st_size > 10_000
    finally:
        _stop(app)
        log.close()
    assert app.returncode == 0, (tmp_path / "app.log").read_text()
