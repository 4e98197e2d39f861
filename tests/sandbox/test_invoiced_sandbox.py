"""The sandbox's Invoiced side read with plain httpx: it must hold the client to the reference."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from pos_app.sandbox import SandboxServer
from pos_app.sandbox.invoiced_app import seed_demo

KEY = "sandbox-test-key"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(db_path=tmp_path / "s.sqlite", invoiced_key=KEY) as running:
        yield running


def _http(server: SandboxServer, key: str = KEY, password: str = "") -> httpx.Client:
    return httpx.Client(base_url=server.invoiced_url, auth=(key, password), trust_env=False)


def test_basic_auth_needs_the_key_and_an_empty_password(server):
    for key, password in (("wrong", ""), (KEY, "something")):
        with _http(server, key, password) as http:
            answer = http.get("/customers")
        assert answer.status_code == 401
        assert answer.json() == {
            "type": "authentication_error",
            "message": "Invalid API key",
            "param": None,
        }
    with httpx.Client(base_url=server.invoiced_url, trust_env=False) as anonymous:
        assert anonymous.get("/customers").status_code == 401


def test_unknown_fields_and_wrong_kinds_are_refused_one_field_named(server):
    with _http(server) as http:
        unknown = http.post("/customers", json={"name": "A", "nickname": "a"})
        kind = http.post("/customers", json={"name": "A", "credit_limit": "100"})
        missing = http.post("/customers", json={"email": "a@example.com"})
        created = http.post("/customers", json={"name": "A", "credit_limit": 100.5})
    assert (unknown.status_code, unknown.json()["param"]) == (400, "nickname")
    assert (kind.status_code, kind.json()["param"]) == (400, "credit_limit")
    assert missing.json() == {"type": "invalid_request", "message": "Name missing", "param": "name"}
    assert created.status_code == 201
    document = created.json()
    assert document["object"] == "customer" and document["number"] == "CUST-0001"
    assert document["credit_limit"] == 100.5 and "statement_pdf_url" in document


def test_lists_are_bare_arrays_with_link_and_total_count(server):
    server.invoiced.store.create_many(({"name": f"C{i}"}, Decimal(0)) for i in range(5))
    with _http(server) as http:
        first = http.get("/customers", params={"per_page": 2})
        last = http.get(first.links["last"]["url"])
    assert isinstance(first.json(), list) and len(first.json()) == 2
    assert first.headers["x-total-count"] == "5"
    assert set(first.links) == {"self", "first", "next", "last"}
    assert "page=2" in first.links["next"]["url"]
    assert [c["name"] for c in last.json()] == ["C4"]
    assert "next" not in last.links and "previous" in last.links


def test_demo_customers_include_holds_and_limits(server):
    assert seed_demo(server.invoiced.store) > 0
    with _http(server) as http:
        customers = http.get("/customers").json()
        held = http.get("/customers", params={"filter[credit_hold]": "1"}).json()
        balance = http.get(f"/customers/{held[0]['id']}/balance").json()
    assert any(c["credit_limit"] is not None for c in customers)
    assert held and all(c["credit_hold"] for c in held)
    assert set(balance) == {
        "available_credits",
        "currency",
        "due_now",
        "history",
        "past_due",
        "total_outstanding",
    }
    assert seed_demo(server.invoiced.store) == 0  # once
