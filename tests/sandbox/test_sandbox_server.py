"""The sandbox over plain HTTP: envelopes, duplicates, batch, tokens, admin surface, down/up.

Requests are built in the reference's shape here (tests/fixtures/reference.py), never with the
client's models: these tests hold the sandbox to the reference, not to the client."""

from __future__ import annotations

import base64
import socket
import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from pos_app.sandbox import SandboxServer
from pos_app.sandbox.jsontext import parse
from tests.fixtures.reference import body, money, receipt_example, small_receipt, with_currency
from tests.fixtures.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET


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
    request = small_receipt()

    created = post_receipt(http, body(request))

    assert created.status_code == 201
    document = parse(created.content)
    assert document["receiptId"] == request["receiptId"]
    assert isinstance(document["id"], int)  # a long, as on the reference's SBReceipt
    assert document["url"] == f"{sandbox.url}/r/{document['id']}"
    assert document["createdAt"].endswith("Z")
    assert '"totalTip":{"amount":0.00,"currency":"CAD"}' in created.text
    fetched = http.get(f"/v1/receipts/{document['id']}")
    assert fetched.status_code == 200 and fetched.content == created.content
    page = http.get(f"/r/{document['id']}")
    assert page.status_code == 200 and "A1-000042" in page.text and "5.73 CAD" in page.text
    assert http.get("/v1/receipts/not-a-long").status_code == 404


def test_the_reference_example_itself_is_accepted(http: httpx.Client):
    created = post_receipt(http, body(with_currency(receipt_example())))

    assert created.status_code == 201, created.text


def test_an_invalid_receipt_gets_the_dotnet_envelope_one_error_per_field(
    http: httpx.Client, sandbox: SandboxServer
):
    data = small_receipt()
    del data["totalTip"]
    data["items"][0]["unitPrice"] = data["items"][0].pop("price")
    data["items"][0]["quantity"] = "2"
    data["receiptMetadata"]["referringSite"] = "till-1"  # the server spells it refferingSite

    response = post_receipt(http, body(data))

    assert response.status_code == 400
    answer = response.json()
    assert answer["statusCode"] == "400"
    assert [(e["parameter"], e["code"]) for e in answer["errors"]] == [
        ("items[0].unitPrice", "UNKNOWN_PARAMETER"),
        ("items[0].quantity", "INVALID_PARAMETER"),
        ("totalTip", "MISSING_PARAMETER"),
        ("receiptMetadata.referringSite", "UNKNOWN_PARAMETER"),
    ]
    assert all(e["message"] for e in answer["errors"])
    assert sandbox.state.store.receipt_count() == 0


def test_bad_json_and_non_objects_are_400(http: httpx.Client):
    assert post_receipt(http, b"{nope").json()["errors"][0]["code"] == "INVALID_JSON"
    assert post_receipt(http, b"[]").status_code == 400
    assert post_receipt(http, b'{"total": NaN}').json()["errors"][0]["code"] == "INVALID_JSON"
    twice = post_receipt(http, b'{"currency": "CAD", "currency": "JPY"}').json()
    assert "twice" in twice["errors"][0]["message"]


def test_text_a_dotnet_server_cannot_read_is_a_400_never_a_500(http: httpx.Client):
    lone = body(small_receipt()).replace(b'"orderNumber":"A1-000042"', b'"orderNumber":"\\ud800"')
    unknown_name = body(small_receipt())[:-1] + b',"\\udc00":1}'
    utf16 = body(small_receipt()).decode().encode("utf-16")

    answers = [post_receipt(http, content) for content in (lone, unknown_name, utf16)]
    batch = http.post(
        "/v1/receipts/batch",
        content=b"[" + lone + b"]",
        headers={"Content-Type": "application/json"},
    )

    assert [a.status_code for a in answers] == [400, 400, 400]
    assert answers[0].json()["errors"][0]["parameter"] == "orderNumber"
    assert answers[1].json()["errors"][0]["code"] == "UNKNOWN_PARAMETER"
    assert answers[2].json()["errors"][0]["code"] == "INVALID_JSON"
    assert batch.status_code == 400 and batch.json()["errors"][0]["parameter"] == "[0].orderNumber"


def test_numbers_are_read_exactly(http: httpx.Client):
    exact = small_receipt(total=money("12345678901234567.89"))

    created = post_receipt(http, body(exact))

    assert '"total":{"amount":12345678901234567.89,"currency":"CAD"}' in created.text


def test_by_default_a_known_receipt_id_is_stored_again_like_the_documented_api(
    http: httpx.Client, sandbox: SandboxServer
):
    request = small_receipt()

    first = post_receipt(http, body(request), **{"Idempotency-Key": request["receiptId"]})
    again = post_receipt(http, body(request), **{"Idempotency-Key": request["receiptId"]})

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] != again.json()["id"]
    listed = http.get("/v1/receipts").json()["data"]
    assert [r["receiptId"] for r in listed] == [request["receiptId"]] * 2
    stats = http.get("/_sandbox/stats").json()
    assert stats == sandbox.stats()
    assert stats["duplicates_stored"] == 1 and stats["receipts_stored"] == 2
    assert "duplicates" not in stats  # nothing was answered 409


def test_with_dedupe_a_known_receipt_id_is_409_whatever_the_idempotency_key(
    dedupe_sandbox: SandboxServer,
):
    request = small_receipt()
    headers = {"Authorization": f"Bearer {dedupe_sandbox.token}"}
    with httpx.Client(base_url=dedupe_sandbox.url, headers=headers, trust_env=False) as http:
        first = post_receipt(http, body(request), **{"Idempotency-Key": request["receiptId"]})
        again = post_receipt(http, body(request), **{"Idempotency-Key": "another-key"})
        changed = post_receipt(http, body({**request, "orderNumber": "A1-9"}))
        admin = http.get("/_sandbox/receipts").json()

    for response in (again, changed):
        assert response.status_code == 409
        answer = response.json()
        assert answer["statusCode"] == "409"
        assert answer["errors"][0]["code"] == "DUPLICATE_RECEIPT"
        assert answer["existingId"] == first.json()["id"]
    assert admin["count"] == 1
    assert admin["receipts"][0]["receiptId"] == request["receiptId"]
    assert admin["receipts"][0]["attempts"] == 3
    assert dedupe_sandbox.counters["duplicates"] == 2


def post_batch(http: httpx.Client, items: list[dict[str, object]]) -> httpx.Response:
    return http.post(
        "/v1/receipts/batch", content=body(items), headers={"Content-Type": "application/json"}
    )


def test_batch_answers_a_plain_array_of_receipts_in_input_order(
    http: httpx.Client, sandbox: SandboxServer
):
    items = [small_receipt(orderNumber=f"A1-{n}") for n in range(5)]

    response = post_batch(http, items)

    assert response.status_code == 200
    answer = response.json()
    assert [r["receiptId"] for r in answer] == [i["receiptId"] for i in items]
    assert [r["orderNumber"] for r in answer] == [f"A1-{n}" for n in range(5)]
    assert all(isinstance(r["id"], int) and r["url"].endswith(f"/r/{r['id']}") for r in answer)
    assert sandbox.counters["created"] == 5


def test_an_invalid_item_refuses_the_whole_batch_naming_its_index(
    http: httpx.Client, sandbox: SandboxServer
):
    items = [small_receipt() for _ in range(5)]
    items[3]["payments"][0]["type"] = "cash"
    del items[3]["total"]
    items[1]["status"] = "APPROUVED"

    response = post_batch(http, items)

    assert response.status_code == 400
    assert [(e["parameter"], e["code"]) for e in response.json()["errors"]] == [
        ("[1].status", "UNKNOWN_PARAMETER"),
        ("[3].total", "MISSING_PARAMETER"),
        ("[3].payments[0].type", "INVALID_PARAMETER"),
    ]
    assert sandbox.state.store.receipt_count() == 0  # nothing of a refused batch is kept
    assert post_batch(http, []).status_code == 400
    json_type = {"Content-Type": "application/json"}
    assert http.post("/v1/receipts/batch", content=b"{}", headers=json_type).status_code == 400
    not_json = http.post(
        "/v1/receipts/batch", content=body(items), headers={"Content-Type": "text/plain"}
    )
    assert not_json.status_code == 415


def test_a_batch_stores_copies_by_default_and_answers_the_held_receipt_with_dedupe(
    http: httpx.Client, dedupe_sandbox: SandboxServer
):
    item = small_receipt()
    assert [r["receiptId"] for r in post_batch(http, [item, item]).json()] == [
        item["receiptId"]
    ] * 2

    headers = {"Authorization": f"Bearer {dedupe_sandbox.token}"}
    with httpx.Client(base_url=dedupe_sandbox.url, headers=headers, trust_env=False) as deduping:
        first = post_batch(deduping, [item]).json()
        again = post_batch(deduping, [small_receipt(), item]).json()
    assert again[1]["id"] == first[0]["id"]
    assert dedupe_sandbox.state.store.receipt_count() == 2
    assert dedupe_sandbox.counters["duplicates"] == 1


def test_both_route_modes_share_one_business(http: httpx.Client):
    created = http.post(
        "/v1/businesses/biz-1/receipts",
        content=body(small_receipt()),
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

    answer = page.json()
    assert [c["firstName"] for c in answer["data"]] == ["C3", "C4", "C5"]
    assert answer["metadata"] == {"page": 2, "pageSize": 3, "totalPages": 3, "count": 7}
    assert http.get("/v1/customers", params={"pageSize": 1000}).status_code == 400


def test_receipts_are_listed_newest_first_by_default_and_pages_say_how_many(http: httpx.Client):
    sent = [small_receipt()["receiptId"] for _ in range(5)]
    for receipt_id in sent:
        assert post_receipt(http, body(small_receipt(receipt_id))).status_code == 201

    first = http.get(
        "/v1/receipts",
        params={"page": 1, "pageSize": 2, "orderBy": "createdAt", "sortOrder": "desc"},
    ).json()
    last = http.get("/v1/receipts", params={"page": 3, "pageSize": 2}).json()

    assert [r["receiptId"] for r in first["data"]] == sent[::-1][:2]
    assert first["metadata"] == {"page": 1, "pageSize": 2, "totalPages": 3, "count": 5}
    assert [r["receiptId"] for r in last["data"]] == sent[:1]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"receiptId": "x"}, "receiptId"),  # not a filter the reference documents
        ({"page": "0"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"pageSize": "-1"}, "pageSize"),
        ({"sortOrder": "up"}, "sortOrder"),
        ({"orderBy": "total"}, "orderBy"),
    ],
)
def test_list_parameters_the_reference_does_not_have_are_refused(
    http: httpx.Client, params: dict[str, str], parameter: str
):
    refused = http.get("/v1/receipts", params=params)

    assert refused.status_code == 400
    assert refused.json()["errors"][0]["parameter"] == parameter


def test_customer_create_and_update_follow_the_customers_page(http: httpx.Client):
    refused = http.post(
        "/v1/customers",
        json={"firstName": "A", "locale": "fr-CA", "phoneNumber": "1", "taxExempt": "no"},
    )
    assert refused.status_code == 400
    assert [(e["parameter"], e["code"]) for e in refused.json()["errors"]] == [
        ("phoneNumber", "UNKNOWN_PARAMETER"),  # the customers page calls it phone
        ("lastName", "MISSING_PARAMETER"),
        ("taxExempt", "INVALID_PARAMETER"),
        ("email", "MISSING_PARAMETER"),  # email or phone
    ]

    # The page's own example, as printed (its trailing comma aside).
    example = {
        "firstName": "John",
        "lastName": "Doe",
        "email": "john@example.com",
        "taxExempt": True,
        "phone": "(555) 555-5555",
        "locale": "fr-CA",
        "acceptsMarketing": True,
    }
    created = http.post("/v1/customers", json=example)
    assert created.status_code == 201
    customer = created.json()
    assert isinstance(customer["id"], int) and customer["createdAt"].endswith("Z")
    assert {k: customer[k] for k in example} == example

    partial = http.put(f"/v1/customers/{customer['id']}", json={"firstName": "Jane"})
    assert {e["parameter"] for e in partial.json()["errors"]} == {
        "lastName",
        "email",
        "phone",
        "locale",
    }
    updated = http.put(f"/v1/customers/{customer['id']}", json={**example, "firstName": "Jane"})
    assert updated.status_code == 200 and updated.json()["firstName"] == "Jane"
    assert updated.json()["createdAt"] == customer["createdAt"]
    assert http.get(f"/v1/customers/{customer['id']}").json()["firstName"] == "Jane"
    assert http.delete(f"/v1/customers/{customer['id']}").status_code == 204
    assert http.get(f"/v1/customers/{customer['id']}").status_code == 404


def test_locations_take_the_shape_the_receipts_page_shows_for_a_location(http: httpx.Client):
    location = with_currency(receipt_example()["location"])
    location["email"] = "mile-end@example.com"

    created = http.post("/v1/locations", json=location)
    copied = http.post(
        "/v1/locations", json={"firstName": "A", "lastName": "B", "locale": "fr-CA", "phone": "1"}
    )
    same_email = http.post("/v1/locations", json={"name": "Other", "email": location["email"]})

    assert created.status_code == 201, created.text
    assert isinstance(created.json()["id"], int)
    assert copied.status_code == 400  # the locations page's table is the customers page's
    assert {e["parameter"] for e in copied.json()["errors"]} == {
        "firstName",
        "lastName",
        "phone",
        "name",
        "email",
    }
    assert same_email.status_code == 409
    assert same_email.json()["errors"][0]["code"] == "DUPLICATE_LOCATION"


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
    assert http.post("/_sandbox/tokens/revoke", json={}).json() == {"revoked": 1}
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
    request = small_receipt()

    with pytest.raises(httpx.RemoteProtocolError):
        post_receipt(http, body(request))

    assert [r.receipt_id for r in sandbox.state.store.all_receipts()] == [request["receiptId"]]
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


def _status_of_post(server: SandboxServer, content: bytes) -> int:
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, trust_env=False) as http:
        return post_receipt(http, content).status_code


def test_data_survives_a_restart_on_the_same_database(tmp_path: Path):
    db = tmp_path / "kept.sqlite"
    content = body(small_receipt())
    with SandboxServer(db_path=db, token="t", dedupe=True) as first:
        assert _status_of_post(first, content) == 201
    with SandboxServer(db_path=db, token="t", dedupe=True) as second:
        assert _status_of_post(second, content) == 409


def test_a_database_of_an_older_sandbox_is_set_aside_not_lost(tmp_path: Path):
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as old:
        old.execute(
            "CREATE TABLE receipts (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
            " receipt_id TEXT NOT NULL UNIQUE, business TEXT NOT NULL, body TEXT NOT NULL,"
            " document TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1)"
        )
        old.execute("CREATE INDEX receipts_business ON receipts (business, seq)")
        old.execute("INSERT INTO receipts VALUES (1, 'uuid-1', 'r-1', '', '{}', '{}', 1)")
    old.close()

    content = body(small_receipt("r-1"))
    with SandboxServer(db_path=db, token="t") as server:
        assert _status_of_post(server, content) == 201
        assert _status_of_post(server, content) == 201

    with sqlite3.connect(db) as kept:
        assert kept.execute("SELECT receipt_id FROM receipts_v0").fetchall() == [("r-1",)]
        assert kept.execute("SELECT COUNT(*) FROM receipts").fetchone() == (2,)
    kept.close()


def test_a_temporary_database_is_removed_on_stop():
    server = SandboxServer().start()
    path = Path(server.state.store.path)
    assert path.exists()
    server.stop()
    assert not path.exists()
    with pytest.raises(RuntimeError):
        server.start()
