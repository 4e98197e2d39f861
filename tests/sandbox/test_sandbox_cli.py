"""`pos-app sandbox` as a process: the ready line, requests, faults from flags, clean stops."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pos_app.sandbox.cli import build_parser
from tests.fixtures.reference import body, small_receipt

ROOT = Path(__file__).resolve().parents[2]


def start(*args: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "pos_app.sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline().rstrip("\n")
    return process, line


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process, line = start("--db", str(tmp_path / "cli.sqlite"), "--token", "cli-token")
    try:
        yield process, line
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def url_of(line: str) -> str:
    assert line.startswith("listening on http://127.0.0.1:"), line
    return line.removeprefix("listening on ")


def _post(url: str, body: bytes) -> int:
    headers = {"Authorization": "Bearer cli-token", "Content-Type": "application/json"}
    return httpx.post(
        f"{url}/v1/receipts", content=body, headers=headers, trust_env=False
    ).status_code


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_prints_the_ready_line_serves_and_stops_cleanly(running, stop_signal):
    process, line = running
    url = url_of(line)

    assert _post(url, body(small_receipt())) == 201

    process.send_signal(stop_signal)
    assert process.wait(timeout=10) == 0
    assert process.stdout is not None and process.stdout.read() == ""


def test_down_over_http_then_sigusr1_brings_it_back(running):
    process, line = running
    url = url_of(line)

    down = httpx.post(
        f"{url}/_sandbox/down",
        json={},
        headers={"Authorization": "Bearer cli-token"},
        trust_env=False,
    )
    assert down.status_code == 202
    deadline = time.monotonic() + 5
    while True:
        try:
            httpx.get(url, trust_env=False)
        except httpx.ConnectError:
            break
        assert time.monotonic() < deadline
        time.sleep(0.02)

    process.send_signal(signal.SIGUSR1)
    while True:
        try:
            assert httpx.get(url, trust_env=False).status_code == 200
            break
        except httpx.ConnectError:
            assert time.monotonic() < deadline
            time.sleep(0.02)


def test_fault_flags_reach_the_server(tmp_path: Path):
    process, line = start("--error-rate", "1", "--token", "cli-token")
    try:
        url = url_of(line)
        assert _post(url, body(small_receipt())) == 503
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_a_busy_port_is_reported(running):
    _, line = running
    port = url_of(line).rsplit(":", 1)[1]

    process, first_line = start("--port", port)

    assert process.wait(timeout=10) == 1
    assert first_line == ""
    assert process.stderr is not None and "cannot listen" in process.stderr.read()


def test_a_second_copy_is_stored_unless_started_with_dedupe():
    for flags, second in (((), 201), (("--dedupe",), 409)):
        process, line = start("--token", "cli-token", *flags)
        try:
            content = body(small_receipt())
            assert [_post(url_of(line), content) for _ in range(2)] == [201, second]
        finally:
            process.terminate()
            assert process.wait(timeout=10) == 0


def test_flags_and_defaults():
    args = build_parser().parse_args([])
    assert (args.host, args.port, args.db, args.dedupe) == ("127.0.0.1", 0, None, False)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--error-rate", "1.5"])
