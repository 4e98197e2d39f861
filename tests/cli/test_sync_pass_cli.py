"""Issue 14 item 4: `sync --once` is one bounded pass. With the API answering 5xx to
everything, or taking the request and never answering, it gives up when the pass ends,
leaves each receipt queued with its backoff, says so in one line and exits 4."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.test_till_cli import sell, till


def _outbox(data_dir: Path) -> list[tuple[str, int, str | None]]:
    with sqlite3.connect(data_dir / "pos.db") as conn:
        return conn.execute("SELECT state, attempts, last_error FROM outbox").fetchall()


def test_sync_once_gives_up_on_5xx_for_everything(tmp_path, sandbox):
    sell(tmp_path, sandbox)
    sandbox.set_faults(error_rate=1.0)
    result = till(tmp_path, sandbox, "sync", "--once", "--within", "3")
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("1 receipt(s) not sent within 3 s: ")
    assert result.stderr.rstrip().endswith("they stay queued for the next sync")
    [(state, attempts, error)] = _outbox(tmp_path)
    assert state == "pending" and attempts >= 1 and error  # kept, with its backoff counted
    sandbox.set_faults(error_rate=0.0)
    assert till(tmp_path, sandbox, "sync", "--once").returncode == 0


def test_sync_once_gives_up_on_an_api_that_never_answers(tmp_path, sandbox):
    sell(tmp_path, sandbox)
    sandbox.set_faults(latency_ms=60_000)  # takes the request, answers after the pass
    result = till(tmp_path, sandbox, "sync", "--once", "--within", "2")
    assert result.returncode == 4, result.stderr
    assert result.stderr.startswith("1 receipt(s) not sent within 2 s")
    assert [row[0] for row in _outbox(tmp_path)] == ["pending"]


def test_sync_once_refuses_a_pass_length_that_is_not_seconds(tmp_path, sandbox):
    result = till(tmp_path, sandbox, "sync", "--once", "--within", "nan")
    assert result.returncode == 2
    assert "is not a number of seconds" in result.stderr
