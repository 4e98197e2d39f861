"""`pos-app --self-test` from the checkout: what the bundle test runs from the bundle, here in
seconds so a change that breaks it shows up without building anything."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OK_LINES = [
    r"ok window",
    r"ok totals 114\.98",
    r"ok receipt pdf \(\d+ bytes\)",
    r"ok sync",
]


def run(
    tmp_path: Path, *args: str, code: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m pos_app ARGS` (or `python -c CODE`) with its own HOME and TMPDIR, so what it
    leaves behind can be seen."""
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir(exist_ok=True)
    tmp.mkdir(exist_ok=True)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("POS_", "QT_QPA"))}
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "pos_app", *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={**base, "HOME": str(home), "TMPDIR": str(tmp), **(env or {})},
    )


def test_self_test_passes_offscreen_in_a_temporary_folder(tmp_path: Path) -> None:
    store = tmp_path / "store-data"
    # The store's own folder and API are ignored: an unreachable API would fail the sync check,
    # and the store's folder must not even be created.
    result = run(
        tmp_path,
        "--data-dir",
        str(store),
        "--self-test",
        env={"POS_API_URL": "http://127.0.0.1:9", "DISPLAY": ":no-such-display"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(OK_LINES), result.stdout
    for line, pattern in zip(lines, OK_LINES, strict=True):
        assert re.fullmatch(pattern, line), line
    assert not store.exists()
    assert not (tmp_path / "home" / ".local" / "share" / "pos-app").exists()
    assert list((tmp_path / "tmp").iterdir()) == []  # the temporary data folder is removed


def test_a_failing_check_says_which_and_exits_1(tmp_path: Path) -> None:
    # The same run with the expected total made wrong: the totals check must fail, say why, and
    # stop there.
    code = (
        "from decimal import Decimal\n"
        "import pos_app.ui.self_test as self_test\n"
        "self_test.EXPECTED_TOTAL = Decimal('114.99')\n"
        "from pos_app.bootstrap import main\n"
        "raise SystemExit(main(['--self-test']))\n"
    )
    result = run(tmp_path, code=code)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "ok window"
    assert lines[1].startswith("FAIL totals: a $100 sale gives GST 5.00, QST 9.98, total 114.98")
    assert len(lines) == 2
    assert list((tmp_path / "tmp").iterdir()) == []


def test_self_test_takes_no_command(tmp_path: Path) -> None:
    result = run(tmp_path, "--self-test", "totals", "-")
    assert result.returncode == 2
    assert "--self-test takes no command" in result.stderr
