"""`pos-app customers ...` and `pos-app locations ...` as a person or a script runs them: a
real process against a sandbox started by the test."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from pos_app.adapters.api.schemas import SBAddress, SBLocationCreate, dump_request_json
from pos_app.sandbox import SandboxServer
from tests.fixtures.sandbox import SANDBOX_TOKEN

ROOT = Path(__file__).resolve().parents[2]


def pos_app(data_dir: Path, url: str, *args: str, token: str = SANDBOX_TOKEN) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POS_")}
    env["PYTHONPATH"] = str(ROOT)
    options = ["--data-dir", str(data_dir), "--api-url", url, "--api-token", token]
    return subprocess.run(
        [sys.executable, "-m", "pos_app", *options, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def closed_port_url() -> str:
    """An address where nothing listens: the port was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "till"


def test_create_list_show_update_delete(data_dir: Path, sandbox: SandboxServer) -> None:
    url = sandbox.url
    created = pos_app(
        data_dir,
        url,
        *("customers", "create", "--first-name", "Léa", "--last-name", "Roy"),
        *("--locale", "fr-CA", "--email", "lea@example.ca", "--json"),
    )
    assert created.returncode == 0, created.stderr
    lea = json.loads(created.stdout)
    assert (lea["firstName"], lea["email"], lea["pending"]) == ("Léa", "lea@example.ca", False)

    listed = pos_app(data_dir, url, "customers", "list", "--json")
    assert listed.returncode == 0 and [c["id"] for c in json.loads(listed.stdout)] == [lea["id"]]
    searched = pos_app(data_dir, url, "customers", "list", "--search", "roy")
    assert searched.returncode == 0
    assert searched.stdout.splitlines() == [f"{lea['id']}  Léa Roy  lea@example.ca  -  fr-CA"]

    updated = pos_app(
        data_dir, url, "customers", "update", lea["id"], "--phone", "514 555-0134", "--json"
    )
    assert updated.returncode == 0, updated.stderr
    assert json.loads(updated.stdout)["phone"] == "514 555-0134"
    shown = pos_app(data_dir, url, "customers", "show", lea["id"])
    assert shown.returncode == 0
    assert "phone    514 555-0134" in shown.stdout.splitlines()

    deleted = pos_app(data_dir, url, "customers", "delete", lea["id"])
    assert (deleted.returncode, deleted.stdout) == (0, f"deleted {lea['id']}\n")
    gone = pos_app(data_dir, url, "customers", "show", lea["id"])
    assert (gone.returncode, gone.stderr) == (1, f"no customer with id {lea['id']}\n")


def test_local_validation_answers_before_any_request(
    data_dir: Path, sandbox: SandboxServer
) -> None:
    # The next /v1 request would fail: still pending afterwards means none was made.
    sandbox.set_faults(fail_next=[503])
    refused = pos_app(
        data_dir,
        sandbox.url,
        *("customers", "create", "--first-name", "Léa", "--last-name", "Roy", "--locale", "fr-CA"),
    )
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert refused.stderr == "email or phone: an email or a phone number is required\n"

    several = pos_app(
        data_dir,
        sandbox.url,
        *("customers", "create", "--last-name", "Roy", "--locale", "fr", "--email", "lea@"),
    )
    assert several.returncode == 2
    assert several.stderr.splitlines() == [
        "first_name: is required",
        "locale: 'fr' is not one of fr-CA, en-CA, en-US",
        "email: 'lea@' is not an email address",
    ]
    bad_update = pos_app(data_dir, sandbox.url, "customers", "update", "some-id", "--email", "x")
    assert (bad_update.returncode, bad_update.stderr) == (
        2,
        "email: 'x' is not an email address\n",
    )
    assert sandbox.faults()["failNext"] == [503]


def test_unreachable_api_exits_4_and_keeps_a_new_customer(
    data_dir: Path, sandbox: SandboxServer
) -> None:
    offline = closed_port_url()
    shown = pos_app(data_dir, offline, "customers", "show", "any-id")
    assert shown.returncode == 4
    [line] = shown.stderr.splitlines()  # one line, no log noise
    assert line.startswith("API unreachable: cannot reach the server")

    created = pos_app(
        data_dir,
        offline,
        *("customers", "create", "--first-name", "Zoé", "--last-name", "Gagnon"),
        *("--locale", "fr-CA", "--phone", "438 555-0000", "--json"),
    )
    assert created.returncode == 4
    local = json.loads(created.stdout)
    assert local["pending"] and local["id"].startswith("local-")
    assert "customers sync" in created.stderr

    listed = pos_app(data_dir, offline, "customers", "list", "--json")
    assert listed.returncode == 4
    assert [c["id"] for c in json.loads(listed.stdout)] == [local["id"]]
    assert "this is the till's copy" in listed.stderr

    synced = pos_app(data_dir, sandbox.url, "customers", "sync")
    assert synced.returncode == 0, synced.stderr
    lines = synced.stdout.splitlines()
    assert lines[-1] == "sent 1 customer(s)"
    server_id = lines[0].split(" -> ")[1]
    shown = pos_app(data_dir, sandbox.url, "customers", "show", server_id, "--json")
    assert json.loads(shown.stdout)["firstName"] == "Zoé"


def test_api_error_is_one_line_exit_1(data_dir: Path, sandbox: SandboxServer) -> None:
    refused = pos_app(data_dir, sandbox.url, "customers", "list", token="not-the-token")
    assert refused.returncode == 1
    assert refused.stderr == "API error (HTTP 401): Missing or invalid access token\n"


def test_locations_list_and_show(data_dir: Path, sandbox: SandboxServer) -> None:
    plateau = SBLocationCreate(
        name="Dépanneur du Plateau",
        phone_number="514 555-0199",
        timezone="America/Toronto",
        address=SBAddress(line1="4321, av. du Mont-Royal Est", city="Montréal"),
    )
    answer = httpx.post(
        f"{sandbox.url}/v1/locations",
        content=dump_request_json(plateau),
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 201
    location_id = str(answer.json()["id"])

    listed = pos_app(data_dir, sandbox.url, "locations", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == (
        f"{location_id}  Dépanneur du Plateau  4321, av. du Mont-Royal Est, Montréal"
        "  514 555-0199\n"
    )
    shown = pos_app(data_dir, sandbox.url, "locations", "show", location_id, "--json")
    assert json.loads(shown.stdout)["address"] == {
        "line1": "4321, av. du Mont-Royal Est",
        "city": "Montréal",
    }
    missing = pos_app(data_dir, sandbox.url, "locations", "show", "loc-2")
    assert (missing.returncode, missing.stderr) == (1, "no location with id loc-2\n")

    offline = pos_app(data_dir, closed_port_url(), "locations", "list", "--json")
    assert offline.returncode == 4
    assert [loc["id"] for loc in json.loads(offline.stdout)] == [location_id]


@pytest.mark.parametrize("resource", ["customers", "locations"])
def test_a_5xx_on_a_list_is_the_servers_error_not_unreachable(
    data_dir: Path, sandbox: SandboxServer, resource: str
) -> None:
    # Issue 14 item 10: the server answered, with an error: not "API unreachable" (4).
    sandbox.set_faults(error_rate=1.0)
    listed = pos_app(data_dir, sandbox.url, resource, "list")
    assert listed.returncode == 1, listed.stderr
    [line] = listed.stderr.splitlines()
    assert line.startswith("API error (HTTP 503): ")
    assert line.endswith("; this is the till's copy")
