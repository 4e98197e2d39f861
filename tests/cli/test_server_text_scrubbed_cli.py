"""Issue 14 item 9: every string a server sends is scrubbed before it is kept or shown. A
server that echoes our token in an error's field name (`parameter`), code and message: the
token reaches neither the outbox, the append-only audit log, `queue --json`, nor the log."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.cli.run import pos_app
from tests.fixtures.carts import FORMAT_EXAMPLE
from tests.fixtures.shift import open_shift

TOKEN = "tok-live-9f8e7d6c5b4a39281706f5e4d3c2b1a0"


class _EchoingServer(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        echoed = self.headers.get("Authorization", "").removeprefix("Bearer ")
        body = json.dumps(
            {
                "errors": [
                    {
                        "code": f"BAD_{echoed}",
                        "message": f"cannot use {echoed}",
                        "parameter": f"headers.{echoed}",
                    }
                ]
            }
        ).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echoing_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoingServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_token_echoed_in_a_field_name_is_kept_nowhere(tmp_path, echoing_api):
    def till(*args: str, stdin: str | None = None):
        return pos_app(
            tmp_path, "-v", "--api-url", echoing_api, *args, stdin=stdin,
            env={"POS_API_TOKEN": TOKEN},
        )  # fmt: skip

    open_shift(tmp_path)  # a sale needs an open shift
    assert till("sale", "-", "--no-print", stdin=json.dumps(FORMAT_EXAMPLE)).returncode == 0
    synced = till("sync", "--once")
    assert synced.returncode == 3, synced.stderr
    shown = till("queue", "--json")
    [row] = json.loads(shown.stdout)["needsAttention"]
    assert row["fieldErrors"] and row["fieldErrors"][0]["field"].startswith("headers.")
    with sqlite3.connect(tmp_path / "pos.db") as conn:
        stored = [
            *(str(r) for r in conn.execute("SELECT last_error, field_errors FROM outbox")),
            *(str(r) for r in conn.execute("SELECT * FROM audit_log")),
        ]
    everything = "\n".join([synced.stdout, synced.stderr, shown.stdout, shown.stderr, *stored])
    assert "cannot use" in everything  # the server's words are there, scrubbed
    assert TOKEN not in everything
