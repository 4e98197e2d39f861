"""Issue 14 items 6 and 10: a data folder that cannot be written (read-only, full) is said in
one line by every command, with a non-zero exit and nothing half-written; pos.db is private."""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.cli.run import REPO, pos_app
from tests.fixtures.carts import FORMAT_EXAMPLE

# linux/prctl.h and linux/capability.h
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3
COMMANDS = [
    [],  # the window
    ["sale", "-"],
    ["sale", "-", "--no-print"],
    ["queue"],
    ["queue", "--json"],
    ["queue", "retry", "A1-000001"],
    ["receipt", "pdf", "A1-000001", "-o", "{out}"],
    ["sync", "--once"],
    ["catalog", "search", "café"],
    ["customers", "list"],
]


def _run(data_dir: Path, args: list[str], preexec: Callable[[], None]):
    return subprocess.run(
        [sys.executable, "-m", "pos_app", "--data-dir", str(data_dir), "--api-url",
         "http://127.0.0.1:9", *args],
        input=json.dumps(FORMAT_EXAMPLE),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={**os.environ, "POS_API_TOKEN": "unused", "QT_QPA_PLATFORM": "offscreen"},
        preexec_fn=preexec,
    )  # fmt: skip


def _snapshot(data_dir: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data_dir.iterdir())
        if p.is_file() and not p.name.endswith("-shm")
    }


@pytest.fixture
def folder_with_a_sale(tmp_path_factory) -> Iterator[Path]:
    data_dir = tmp_path_factory.mktemp("till") / "data"
    made = pos_app(data_dir, "sale", "-", stdin=json.dumps(FORMAT_EXAMPLE))
    assert made.returncode == 0, made.stderr
    try:
        yield data_dir
    finally:  # so pytest can clean it up
        for path in (data_dir, *data_dir.rglob("*")):
            path.chmod(0o700 if path.is_dir() else 0o600)


def _read_only(data_dir: Path) -> Callable[[], None]:
    """Makes the folder and its files read-only for the command. Root is not bound by
    permissions: as root, the command runs without the capabilities that override them."""
    for path in (data_dir, *data_dir.rglob("*")):
        path.chmod(0o555 if path.is_dir() else 0o444)
    if os.geteuid() != 0:
        return lambda: None

    def without_override() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    return without_override


def _disk_full() -> None:
    # Files may not grow past 4 KiB: every write of a page fails as on a full disk.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "window")
def test_a_read_only_folder_is_said_in_one_line(folder_with_a_sale, tmp_path, args):
    data_dir = folder_with_a_sale
    before = _snapshot(data_dir)
    preexec = _read_only(data_dir)
    result = _run(data_dir, [a.format(out=tmp_path / "r.pdf") for a in args], preexec)
    assert result.returncode != 0
    [line] = result.stderr.splitlines()
    assert line.startswith(f"pos-app: {data_dir}")
    assert "read-only" in line or "Permission denied" in line
    assert _snapshot(data_dir) == before


@pytest.mark.parametrize("args", [["sale", "-"], ["sale", "-", "--no-print"]])
def test_a_full_disk_is_said_in_one_line_and_nothing_is_half_written(folder_with_a_sale, args):
    data_dir = folder_with_a_sale
    result = _run(data_dir, args, _disk_full)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"pos-app: {data_dir / 'pos.db'}: ")
    assert "full" in line
    with sqlite3.connect(data_dir / "pos.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM sales").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM outbox").fetchone() == (1,)


def test_the_database_is_readable_by_its_owner_only(tmp_path):
    made = pos_app(tmp_path, "sale", "-", "--no-print", stdin=json.dumps(FORMAT_EXAMPLE))
    assert made.returncode == 0, made.stderr
    for name in ("pos.db", "pos.db-wal", "pos.db-shm"):
        path = tmp_path / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
