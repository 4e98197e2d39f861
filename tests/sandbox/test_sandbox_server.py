"""The sandbox over plain HTTP: envelopes, duplicates, batch, tokens, admin surface, down/up."""

from __future__ import annotations

import base64
import socket
import time
from pathlib import Path

import httpx
import pytest

from pos_app.adapters.api.schemas import dump_request_json, encode_json, parse_json
from pos_app.sandbox import SandboxServer
from tests.fixtures.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, sample_receipt


@pytest.fixture
def http(sandbox: SandboxServer):
    with httpx.Client(
        base_url=sandbox.url, headers={"Authorization": f"Bearer {sandbox.token}"}, trust_env=False
    ) as client:
        yield client


def post_receipt(http: httpx.Client, body: bytes, **headers: str) -> httpx.Response:
    return http.post(
        "/v1/receipts", content=body, headers={"Content-Type": "application/json", **headers}
    )


def test_a_created_receipt_is_served_with_id_url_and_exact_amounts(
    http: httpx.Client, sandbox: SandboxServer
):
    request = sample_receipt()

    created = post_receipt(http, dump_request_json(request))

    assert created.status_code == 201
    document = parse_json(created.content)
    assert document["receiptId"] == request.receipt_id
    assert document["url"] == f"{sandbox.url}/r/{document['id']}"
    assert '"totalTip":{"amount":0.00,"currency":"CAD"}' in created.text
    fetched = http.get(f"/v1/receipts/{document['id']}")
    assert fetched.status_code == 200 and fetched.content == created.content
    page = http.get(f"/r/{document['id']}")
    assert page.status_code == 200 and "A1-000042" in page.text and "5.83 CAD" in page.text


def test_invalid_receipt_gets_the_dotnet_envelope_with_camel_case_paths(http: httpx.Client):
    data = parse_json(dump_request_json(sample_receipt()))
    del data["totalTip"]
    data["items"][0]["price"]["amount"] = parse_json(b"2.495")
    data["receiptMetadata"]["referringSite"] = data["receiptMetadata"].pop("refferingSite")

    response = post_receipt(http, encode_json(data))

    assert response.status_code == 400
    body = response.json()
    assert body["statusCode"] == "400"
    assert {e["parameter"] for e in body["errors"]} == {
        "totalTip",
        "items[0].price",
        "receiptMetadata.referringSite",  # the correct spelling is not the server's
    }
    assert all(e["code"] == "INVALID_PARAMETER" and e["message"] for e in body["errors"])


def test_bad_json_and_non_objects_are_400(http: httpx.Client):
    assert post_receipt(http, b"{nope").json()["errors"][0]["code"] == "INVALID_JSON"
    assert post_receipt(http, b"[]").status_code == 400


def test_a_known_receipt_id_is_409_whatever_the_idempotency_key(
    http: httpx.Client, sandbox: SandboxServer
):
    request = sample_receipt()
    first = post_receipt(
        http, dump_request_json(request), **{"Idempotency-Key": request.receipt_id}
    )

    again = post_receipt(http, dump_request_json(request), **{"Idempotency-Key": "another-key"})
    changed = post_receipt(
        http, dump_request_json(request.model_copy(update={"order_number": "A1-9"}))
    )

    for response in (again, changed):
        assert response.status_code == 409
        body = response.json()
        assert body["statusCode"] == "409"
        assert body["errors"][0]["code"] == "DUPLICATE_RECEIPT"
        assert body["existingId"] == first.json()["id"]
    admin = http.get("/_sandbox/receipts").json()
    assert admin["count"] == 1
    assert admin["receipts"][0]["receiptId"] == request.receipt_id
    assert admin["receipts"][0]["attempts"] == 3
    assert sandbox.counters["duplicates"] == 2


def test_batch_answers_in_order_and_an_invalid_item_fails_alone(http: httpx.Client):
    good, bad = sample_receipt(), sample_receipt()
    bad_data = parse_json(dump_request_json(bad))
    bad_data["payments"][0]["type"] = "cash"
    items = [dump_request_json(good), encode_json(bad_data), dump_request_json(good)]

    response = http.post("/v1/receipts/batch", content=b"[" + b",".join(items) + b"]")

    assert response.status_code == 200
    results = response.json()
    assert [r["status"] for r in results] == [201, 400, 409]
    assert results[0]["data"]["receiptId"] == good.receipt_id
    assert results[1]["errors"][0]["parameter"] == "payments[0].type"
    assert results[2]["errors"][0]["code"] == "DUPLICATE_RECEIPT"
    assert results[2]["existingId"] == results[0]["data"]["id"]
    assert http.post("/v1/receipts/batch", content=b"{}").status_code == 400


def test_both_route_modes_share_one_business(http: httpx.Client):
    request = sample_receipt()
    created = http.post(
        "/v1/businesses/biz-1/receipts",
        content=dump_request_json(request),
        headers={"Content-Type": "application/json"},
    ).json()

    scoped = http.get(f"/v1/businesses/biz-1/receipts/{created['id']}")
    unscoped = http.get(f"/v1/receipts/{created['id']}", headers={"x-tenant-id": "biz-1"})
    elsewhere = http.get(f"/v1/receipts/{created['id']}")

    assert scoped.status_code == unscoped.status_code == 200
    assert elsewhere.status_code == 404
    assert elsewhere.json()["errors"][0]["code"] == "NOT_FOUND"


def test_lists_paginate_with_metadata(http: httpx.Client):
    for n in range(7):
        customer = {
            "firstName": f"C{n}",
            "lastName": "R",
            "locale": "fr-CA",
            "phone": f"+1514555010{n}",
        }
        assert http.post("/v1/customers", json=customer).status_code == 201

    page = http.get(
        "/v1/customers",
        params={"page": 2, "pageSize": 3, "orderBy": "createdAt", "sortOrder": "asc"},
    )

    body = page.json()
    assert [c["firstName"] for c in body["data"]] == ["C3", "C4", "C5"]
    assert body["metadata"] == {"page": 2, "pageSize": 3, "totalPages": 3, "count": 7}
    assert http.get("/v1/customers", params={"pageSize": 1000}).status_code == 400


def test_customer_create_is_validated_and_stored_with_wire_names(http: httpx.Client):
    refused = http.post(
        "/v1/customers", json={"firstName": "A", "lastName": "B", "locale": "fr-CA"}
    )
    assert refused.status_code == 400
    assert "email or a phone" in refused.json()["errors"][0]["message"]

    created = http.post(
        "/v1/customers",
        json={
            "firstName": "A",
            "lastName": "B",
            "locale": "fr-CA",
            "email": "a@b.c",
            "taxExempt": True,
        },
    )
    assert created.status_code == 201
    assert created.json()["taxExempt"] is True and created.json()["createdAt"].endswith("Z")


def test_requests_need_a_valid_token(sandbox: SandboxServer):
    with httpx.Client(base_url=sandbox.url, trust_env=False) as anonymous:
        missing = anonymous.get("/v1/receipts")
        wrong = anonymous.get("/v1/receipts", headers={"Authorization": "Bearer nope"})
    assert missing.status_code == wrong.status_code == 401
    assert missing.json()["errors"][0]["code"] == "UNAUTHORIZED"
    assert missing.headers["www-authenticate"].startswith("Bearer")


def _token(http: httpx.Client, scope: str, secret: str = SANDBOX_CLIENT_SECRET) -> httpx.Response:
    basic = base64.b64encode(f"{SANDBOX_CLIENT_ID}:{secret}".encode()).decode()
    return http.post(
        "/connect/token",
        data={"grant_type": "client_credentials", "scope": scope},
        headers={"Authorization": f"Basic {basic}"},
    )


def test_token_endpoint_grants_the_scopes_asked_and_enforces_them(
    http: httpx.Client, sandbox: SandboxServer
):
    issued = _token(http, "receipts.read customers:read admin:everything").json()

    assert issued["token_type"] == "Bearer" and issued["expires_in"] == 3600
    assert issued["scope"] == "customers:read receipts.read"  # limited to what may be granted
    assert issued["access_token"].startswith("eyJ") and issued["access_token"].count(".") == 2
    bearer = {"Authorization": f"Bearer {issued['access_token']}"}
    assert http.get("/v1/receipts", headers=bearer).status_code == 200
    forbidden = http.post("/v1/customers", json={}, headers=bearer)
    assert forbidden.status_code == 403 and forbidden.json()["errors"][0]["code"] == "FORBIDDEN"
    assert http.post("/_sandbox/tokens/revoke").json() == {"revoked": 1}
    assert http.get("/v1/receipts", headers=bearer).status_code == 401


def test_token_endpoint_refuses_bad_clients_grants_and_scopes(http: httpx.Client):
    assert _token(http, "receipts.read", secret="wrong").status_code == 401
    assert _token(http, "admin:everything").json() == {"error": "invalid_scope"}
    refused = http.post("/connect/token", data={"grant_type": "password"})
    assert refused.json() == {"error": "unsupported_grant_type"}


def test_faults_can_be_read_and_changed_over_http(http: httpx.Client, sandbox: SandboxServer):
    changed = http.post(
        "/_sandbox/faults", json={"latencyMs": 30, "failNext": [502, 429], "retryAfterS": 4}
    )
    assert changed.status_code == 200
    assert changed.json()["failNext"] == [502, 429] and changed.json()["latencyMs"] == 30

    started = time.perf_counter()
    first = http.get("/v1/receipts")
    second = http.get("/v1/receipts")
    third = http.get("/v1/receipts")
    assert time.perf_counter() - started >= 0.09
    assert (first.status_code, second.status_code, third.status_code) == (502, 429, 200)
    assert second.headers["retry-after"] == "4"
    assert first.json()["statusCode"] == "502"
    assert http.post("/_sandbox/faults", json={"errorRate": 2}).status_code == 400
    stats = http.get("/_sandbox/stats").json()
    assert stats["injected_502"] == 1 and stats["injected_429"] == 1


def test_random_faults_follow_their_rates(sandbox: SandboxServer, http: httpx.Client):
    sandbox.set_faults(error_rate=0.5, rate_limit_rate=0.25, seed=1)

    statuses = [http.get("/v1/receipts").status_code for _ in range(200)]

    assert 70 <= statuses.count(503) <= 130
    assert 25 <= statuses.count(429) <= 75
    assert statuses.count(200) > 20


def test_drop_after_commit_stores_then_cuts_the_connection(
    http: httpx.Client, sandbox: SandboxServer
):
    sandbox.set_faults(drop_next=1)
    request = sample_receipt()

    with pytest.raises(httpx.RemoteProtocolError):
        post_receipt(http, dump_request_json(request))

    assert [r.receipt_id for r in sandbox.state.store.all_receipts()] == [request.receipt_id]
    assert sandbox.counters["dropped"] == 1


def _refused(url: str) -> bool:
    host, port = url.removeprefix("http://").split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return False
    except ConnectionRefusedError:
        return True


def test_down_refuses_connections_and_up_listens_on_the_same_port(
    sandbox: SandboxServer, http: httpx.Client
):
    url, port = sandbox.url, sandbox.port
    assert http.get("/").status_code == 200

    sandbox.set_down(True)
    assert _refused(url)
    with pytest.raises(httpx.ConnectError):
        http.get("/")

    sandbox.set_down(False)
    assert sandbox.port == port and sandbox.url == url
    assert http.get("/").status_code == 200


def test_down_for_some_seconds_over_http(http: httpx.Client, sandbox: SandboxServer):
    assert http.post("/_sandbox/down", json={"seconds": 0.5}).status_code == 202
    deadline = time.monotonic() + 5
    while not _refused(sandbox.url):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    while _refused(sandbox.url):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert http.get("/").status_code == 200


def _status_of_post(server: SandboxServer, body: bytes) -> int:
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, trust_env=False) as http:
        return post_receipt(http, body).status_code


def test_data_survives_a_restart_on_the_same_database(tmp_path: Path):
    db = tmp_path / "kept.sqlite"
    body = dump_request_json(sample_receipt())
    with SandboxServer(db_path=db, token="t") as first:
        assert _status_of_post(first, body) == 201
    with SandboxServer(db_path=db, token="t") as second:
        assert _status_of_post(second, body) == 409


def test_a_temporary_database_is_removed_on_stop():
    server = SandboxServer().start()
    path = Path(server.state.store.path)
    assert path.exists()
    server.stop()
    assert not path.exists()
    with pytest.raises(RuntimeError):
        server.start()
