"""`pos-app locations create|update|delete` as a person or a script runs them: a real process
against a sandbox started by the test. Bad fields exit 2 before any request, API refusals
exit 1, an unreachable API exits 4 (nothing is kept on the till for later)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import httpx
import pytest

from pos_app.cli import locations_cmd
from pos_app.sandbox import SandboxServer
from pos_app.services.locations import EDITABLE_FIELDS
from tests.cli.test_customers_cli import closed_port_url, pos_app

MILE_END = (
    *("--name", "Dépanneur Mile End", "--mcc", "5411", "--currency", "cad"),
    *("--timezone", "America/Toronto", "--phone", "514 555-0199"),
    *("--email", "mileend@example.ca", "--line1", "5000 boul. Saint-Laurent"),
    *("--city", "Montréal", "--state-code", "qc", "--country-code", "CA"),
    *("--postal-code", "H2T 1R8"),
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "till"


def test_every_location_field_has_an_option() -> None:
    parser = argparse.ArgumentParser()
    locations_cmd._field_options(parser, "")
    assert {action.dest for action in parser._actions} - {"help"} == set(EDITABLE_FIELDS)


def test_create_update_delete(data_dir: Path, sandbox: SandboxServer) -> None:
    url = sandbox.url
    created = pos_app(data_dir, url, "locations", "create", *MILE_END, "--json")
    assert created.returncode == 0, created.stderr
    location = json.loads(created.stdout)
    assert (location["name"], location["currency"], location["merchantCategoryCode"]) == (
        "Dépanneur Mile End",
        "CAD",
        "5411",
    )
    assert location["address"]["state_code"] == "QC"
    assert location["isActive"] is True

    listed = pos_app(data_dir, url, "locations", "list", "--json")
    assert [loc["id"] for loc in json.loads(listed.stdout)] == [location["id"]]

    updated = pos_app(
        data_dir,
        url,
        *("locations", "update", location["id"], "--phone", "514 555-0100"),
        *("--mcc", "", "--no-active"),
    )
    assert updated.returncode == 0, updated.stderr
    lines = updated.stdout.splitlines()
    assert "phone    514 555-0100" in lines
    assert "status   inactive" in lines
    assert not any(line.startswith("mcc") for line in lines)
    shown = pos_app(data_dir, url, "locations", "show", location["id"], "--json")
    document = json.loads(shown.stdout)
    assert (document["phone"], document["merchantCategoryCode"], document["isActive"]) == (
        "514 555-0100",
        None,
        False,
    )
    assert document["address"]["city"] == "Montréal"  # what was not named is kept

    nothing = pos_app(data_dir, url, "locations", "update", location["id"])
    assert nothing.returncode == 2 and nothing.stderr.startswith("nothing to change")

    deleted = pos_app(data_dir, url, "locations", "delete", location["id"])
    assert (deleted.returncode, deleted.stdout) == (0, f"deleted {location['id']}\n")
    gone = pos_app(data_dir, url, "locations", "delete", location["id"])
    assert (gone.returncode, gone.stderr) == (1, f"no location with id {location['id']}\n")


def test_bad_fields_exit_2_before_any_request(data_dir: Path, sandbox: SandboxServer) -> None:
    # The next /v1 request would fail: still pending afterwards means none was made.
    sandbox.set_faults(fail_next=[503])
    refused = pos_app(
        data_dir,
        sandbox.url,
        *("locations", "create", "--currency", "CDN", "--timezone", "Montreal"),
        *("--mcc", "54", "--email", "shop@"),
    )
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr.splitlines() == [
        "name: is required",
        "merchant_category_code: '54' must be 4 digits (such as 5411)",
        "currency: 'CDN' is not an ISO 4217 currency code (such as CAD)",
        "timezone: 'Montreal' is not a time zone name (such as America/Toronto)",
        "email: 'shop@' is not an email address",
    ]
    bad_update = pos_app(
        data_dir, sandbox.url, "locations", "update", "some-id", "--country-code", "CAN"
    )
    assert (bad_update.returncode, bad_update.stderr) == (
        2,
        "country_code: 'CAN' must be 2 letters (such as CA)\n",
    )
    assert httpx.get(f"{sandbox.url}/_sandbox/faults").json()["failNext"] == [503]


def test_api_refusal_exits_1_and_unreachable_exits_4(
    data_dir: Path, sandbox: SandboxServer
) -> None:
    first = pos_app(data_dir, sandbox.url, "locations", "create", *MILE_END)
    assert first.returncode == 0, first.stderr
    # A location is unique by email or phone: the server refuses a second with the same.
    again = pos_app(
        data_dir, sandbox.url, "locations", "create", "--name", "Autre", "--phone", "514 555-0199"
    )
    assert again.returncode == 1
    assert again.stderr == (
        "API error (HTTP 409): email: A location with this email or phone exists\n"
    )

    offline = pos_app(
        data_dir, closed_port_url(), "locations", "create", "--name", "Gaspé", "--json"
    )
    assert (offline.returncode, offline.stdout) == (4, "")
    [line] = offline.stderr.splitlines()
    assert line.startswith("API unreachable: the API is unreachable")
    assert "on the API only" in line
    # Nothing was kept to be sent later.
    listed = pos_app(data_dir, closed_port_url(), "locations", "list", "--json")
    assert [loc["name"] for loc in json.loads(listed.stdout)] == ["Dépanneur Mile End"]
