"""Issue 14 item 8, "the sandbox is a door": the admin routes need the sandbox's own token and
JSON, bad admin values change nothing, the OAuth2 client gets only what it asks and may have,
and a host other than loopback needs an explicit flag and says so."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pos_app.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SandboxServer
from pos_app.sandbox.server import RemoteHostRefused
from pos_app.sandbox.tokens import ALL_SCOPES
from tests.fixtures.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET

ROOT = Path(__file__).resolve().parents[2]

ADMIN_POSTS = ["/_sandbox/faults", "/_sandbox/down", "/_sandbox/tokens/revoke"]
ADMIN_GETS = ["/_sandbox/stats", "/_sandbox/faults", "/_sandbox/receipts"]


@pytest.fixture
def anonymous(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, trust_env=False) as client:
        yield client


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def oauth_token(http: httpx.Client, scope: str) -> str:
    answer = http.post(
        "/connect/token",
        data={"grant_type": "client_credentials", "scope": scope},
        headers=basic(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET),
    )
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


def refuses_connections(server: SandboxServer) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=1):
            return False
    except ConnectionRefusedError:
        return True


# -- admin routes need the sandbox's own token


@pytest.mark.parametrize("path", ADMIN_GETS)
def test_admin_reads_need_the_sandbox_token(
    anonymous: httpx.Client, sandbox: SandboxServer, path: str
):
    full_scope = oauth_token(anonymous, " ".join(sorted(ALL_SCOPES)))

    assert anonymous.get(path).status_code == 401
    assert anonymous.get(path, headers=bearer("nope")).status_code == 401
    assert anonymous.get(path, headers=bearer(full_scope)).status_code == 401
    assert anonymous.get(path, headers=bearer(sandbox.token)).status_code == 200


@pytest.mark.parametrize("path", ADMIN_POSTS)
def test_admin_changes_need_the_token_and_change_nothing_without_it(
    anonymous: httpx.Client, sandbox: SandboxServer, path: str
):
    issued = oauth_token(anonymous, "receipts.read")
    before = sandbox.faults()

    refused = anonymous.post(path, json={"seconds": 1} if path.endswith("down") else {})

    assert refused.status_code == 401
    assert refused.json()["errors"][0]["code"] == "UNAUTHORIZED"
    assert sandbox.faults() == before and sandbox.is_up
    assert anonymous.get("/v1/receipts", headers=bearer(issued)).status_code == 200


@pytest.mark.parametrize("path", ADMIN_POSTS)
def test_admin_bodies_must_be_json_not_what_a_web_form_sends(
    anonymous: httpx.Client, sandbox: SandboxServer, path: str
):
    before = sandbox.faults()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = bearer(sandbox.token) | ({"Content-Type": content_type} if content_type else {})

        answer = anonymous.post(path, content=b'{"errorRate": 1, "seconds": 5}', headers=headers)

        assert answer.status_code == 415, (path, content_type)
    assert sandbox.faults() == before and sandbox.is_up and not refuses_connections(sandbox)


@pytest.mark.parametrize(
    "body",
    [
        b'{"seconds": "nan"}',
        b'{"seconds": NaN}',
        b'{"seconds": -1}',
        b'{"seconds": 0}',
        b'{"seconds": "5"}',
        b'{"seconds": true}',
        b'{"seconds": 1e400}',
        b'{"second": 5}',
        b"[5]",
    ],
)
def test_bad_down_values_are_400_and_the_sandbox_stays_up(
    anonymous: httpx.Client, sandbox: SandboxServer, body: bytes
):
    headers = bearer(sandbox.token) | {"Content-Type": "application/json"}

    answer = anonymous.post("/_sandbox/down", content=body, headers=headers)

    assert answer.status_code == 400, answer.text
    assert answer.json()["statusCode"] == "400"
    # The answer is written before a real "down" would start: still up means nothing began.
    assert anonymous.get("/", timeout=2).status_code == 200
    assert sandbox.is_up


@pytest.mark.parametrize(
    "change",
    [
        {"errorRate": "0.5"},
        {"errorRate": True},
        {"latencyMs": -1},
        {"retryAfterS": 1.5},
        {"failNext": [200]},
        {"dropNext": "1"},
        {"errorRate": 0.5, "unknown": 1},
    ],
)
def test_bad_fault_values_are_400_and_change_nothing(
    anonymous: httpx.Client, sandbox: SandboxServer, change: dict[str, object]
):
    before = sandbox.faults()

    answer = anonymous.post("/_sandbox/faults", json=change, headers=bearer(sandbox.token))

    assert answer.status_code == 400
    assert sandbox.faults() == before


# -- the OAuth2 client


def test_the_oauth_client_gets_only_the_scopes_it_asks_for(anonymous: httpx.Client):
    nothing = anonymous.post(
        "/connect/token",
        data={"grant_type": "client_credentials"},
        headers=basic(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET),
    )
    read_only = oauth_token(anonymous, "receipts.read")
    at_the_real_path = anonymous.post(
        "/auth/connect/token",
        data={"grant_type": "client_credentials", "scope": "receipts.read"},
        headers=basic(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET),
    )

    assert nothing.status_code == 400 and nothing.json() == {"error": "invalid_scope"}
    assert at_the_real_path.json()["scope"] == "receipts.read"
    assert anonymous.get("/v1/receipts", headers=bearer(read_only)).status_code == 200
    written = anonymous.post(
        "/v1/receipts",
        content=b"{}",
        headers=bearer(read_only) | {"Content-Type": "application/json"},
    )
    assert written.status_code == 403


def test_without_a_client_secret_there_is_no_oauth_client():
    with (
        SandboxServer(token="chosen-token") as server,
        httpx.Client(base_url=server.url, trust_env=False) as http,
    ):
        answer = http.post(
            "/connect/token",
            data={"grant_type": "client_credentials", "scope": "receipts.write"},
            headers=basic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        )
    assert answer.status_code == 401 and answer.json() == {"error": "invalid_client"}


def test_a_non_loopback_host_needs_allow_remote_in_process():
    with pytest.raises(RemoteHostRefused):
        SandboxServer(host="0.0.0.0")
    with pytest.raises(RemoteHostRefused):
        SandboxServer(host="example.com")
    SandboxServer(host="::1").stop()
    SandboxServer(host="localhost").stop()


# -- the command


def run_sandbox(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pos_app.sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_the_command_refuses_a_non_loopback_host_without_the_flag():
    process = run_sandbox("--host", "0.0.0.0", "--token", "chosen")
    out, err = process.communicate(timeout=20)

    assert process.returncode == 2 and out == ""
    assert "--host 0.0.0.0 is not a loopback address" in err and "--allow-remote" in err


def test_the_command_exposes_the_sandbox_only_with_its_own_token_and_a_warning():
    without_token = run_sandbox("--host", "0.0.0.0", "--allow-remote")
    _, err = without_token.communicate(timeout=20)
    assert without_token.returncode == 2 and "needs --token" in err

    process = run_sandbox("--host", "0.0.0.0", "--allow-remote", "--token", "chosen", "--port", "0")
    try:
        assert process.stdout is not None and process.stderr is not None
        line = process.stdout.readline()
        warning = process.stderr.readline()
        assert line.startswith("listening on http://0.0.0.0:")
        assert warning.startswith("warning: the sandbox listens on 0.0.0.0")
        url = line.split()[-1].replace("0.0.0.0", "127.0.0.1")
        # No OAuth2 client with the published secret: only the chosen token gets in.
        token = httpx.post(
            f"{url}/connect/token",
            data={"grant_type": "client_credentials", "scope": "receipts.read"},
            headers=basic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
            trust_env=False,
        )
        assert token.status_code == 401
        stats = httpx.get(f"{url}/_sandbox/stats", headers=bearer("chosen"), trust_env=False)
        assert stats.status_code == 200
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_the_command_keeps_the_default_client_only_when_nothing_was_chosen():
    process = run_sandbox("--client-scope", "receipts.read")
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[-1]
        with httpx.Client(base_url=url, trust_env=False) as http:

            def ask(scope: str) -> httpx.Response:
                return http.post(
                    "/connect/token",
                    data={"grant_type": "client_credentials", "scope": scope},
                    headers=basic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
                )

            granted = ask("receipts.read receipts.write")
            assert granted.status_code == 200 and granted.json()["scope"] == "receipts.read"
            assert ask("receipts.write").json() == {"error": "invalid_scope"}
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
