"""SmartbillsClient against the real sandbox on a loopback port."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from pos_app.adapters.api.auth import (
    DEFAULT_SCOPES,
    ClientCredentialsAuth,
    ClientCredentialsProvider,
    StaticTokenAuth,
)
from pos_app.adapters.api.client import SmartbillsClient, SmartbillsConfig
from pos_app.adapters.api.schemas import dump_request_json
from pos_app.domain.customers import CustomerDraft
from pos_app.domain.locations import LocationDraft
from pos_app.domain.remote import (
    RemoteAuthError,
    RemoteConfigError,
    RemoteError,
    RemoteNotFound,
    RemoteRateLimited,
    RemoteRejected,
    RemoteUnavailable,
    SubmittedReceipt,
)
from pos_app.sandbox import SandboxServer
from tests.fixtures.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, sample_receipt

BUSINESS = "biz-quebec-1"


def make_client(sandbox: SandboxServer, **overrides: object) -> SmartbillsClient:
    options: dict[str, object] = {
        "base_url": sandbox.url,
        "auth": StaticTokenAuth(sandbox.token or ""),
    }
    options.update(overrides)
    return SmartbillsClient(SmartbillsConfig(**options))  # type: ignore[arg-type]


def oauth(
    url: str, scopes: tuple[str, ...] = DEFAULT_SCOPES, secret: str = SANDBOX_CLIENT_SECRET
) -> ClientCredentialsAuth:
    return ClientCredentialsAuth(
        SANDBOX_CLIENT_ID, secret, token_url=f"{url}/connect/token", scopes=scopes
    )


@pytest.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[SmartbillsClient]:
    api = make_client(sandbox, business_id=BUSINESS)
    try:
        yield api
    finally:
        await api.aclose()


def customer(n: int) -> CustomerDraft:
    return CustomerDraft(
        first_name=f"Client{n}", last_name="Roy", locale="fr-CA", email=f"c{n}@example.com"
    )


def stored(sandbox: SandboxServer) -> list[str]:
    return [r.receipt_id for r in sandbox.state.store.all_receipts()]


# --------------------------------------------------------------------------------------------
# Receipts


async def test_create_then_get_and_list_receipts(client: SmartbillsClient, sandbox: SandboxServer):
    request = sample_receipt()
    body = dump_request_json(request)

    submitted = await client.create_receipt(request.receipt_id, body)

    assert submitted.receipt_id == request.receipt_id and not submitted.duplicate
    assert submitted.server_id and submitted.url == f"{sandbox.url}/r/{submitted.server_id}"
    fetched = await client.get_receipt(submitted.server_id)
    assert fetched.receipt_id == request.receipt_id and fetched.currency == "CAD"
    assert fetched.date == "2025-01-21T18:54:48.245Z" and fetched.created is not None
    assert fetched.items[0].price is not None
    assert fetched.total is not None and str(fetched.total.amount) == "5.83"
    listed = await client.list_receipts()
    assert [r.id for r in listed.data] == [submitted.server_id]
    recent = await client.recent_receipts(page=1)
    assert recent.is_last
    assert [(r.receipt_id, r.server_id, r.url) for r in recent.receipts] == [
        (request.receipt_id, submitted.server_id, submitted.url)
    ]
    # The bytes reached the server unchanged.
    assert sandbox.state.store.all_receipts()[0].body == body.decode()


async def test_duplicate_answer_of_a_deduplicating_server_is_a_duplicate_outcome(
    dedupe_sandbox: SandboxServer,
):
    client = make_client(dedupe_sandbox, business_id=BUSINESS)
    try:
        request = sample_receipt()
        first = await client.create_receipt(request.receipt_id, dump_request_json(request))
        again = await client.create_receipt(request.receipt_id, dump_request_json(request))
    finally:
        await client.aclose()
    assert again == SubmittedReceipt(request.receipt_id, first.server_id, first.url, duplicate=True)
    assert stored(dedupe_sandbox) == [request.receipt_id]


async def test_a_server_that_keeps_duplicates_stores_a_resend_twice(
    client: SmartbillsClient, sandbox: SandboxServer
):
    # What the sync worker's look-up before a resend is for (issue 9).
    request = sample_receipt()
    first = await client.create_receipt(request.receipt_id, dump_request_json(request))
    again = await client.create_receipt(request.receipt_id, dump_request_json(request))
    assert not again.duplicate and again.server_id != first.server_id
    assert stored(sandbox) == [request.receipt_id] * 2


async def test_rejected_receipt_names_the_wire_field(client: SmartbillsClient):
    request = sample_receipt()
    body = dump_request_json(request).replace(b'"quantity":2', b'"quantity":"two"')

    with pytest.raises(RemoteRejected) as caught:
        await client.create_receipt(request.receipt_id, body)

    assert caught.value.status == 400
    assert [e.field for e in caught.value.field_errors] == ["items[0].quantity"]


async def test_batch_is_read_as_a_plain_array_of_receipts_in_order(
    client: SmartbillsClient, sandbox: SandboxServer
):
    requests = [sample_receipt() for _ in range(3)]
    items = [(r.receipt_id, dump_request_json(r)) for r in requests]

    outcomes = await client.create_receipts_batch(items)

    assert [o.receipt_id for o in outcomes if isinstance(o, SubmittedReceipt)] == [
        r.receipt_id for r in requests
    ]
    assert all(isinstance(o, SubmittedReceipt) and o.server_id and o.url for o in outcomes)
    assert stored(sandbox) == [r.receipt_id for r in requests]
    assert await client.create_receipts_batch([]) == []


async def test_a_batch_with_one_invalid_receipt_is_refused_whole(
    client: SmartbillsClient, sandbox: SandboxServer
):
    good, bad = sample_receipt(), sample_receipt()
    bad_body = dump_request_json(bad).replace(
        b'"total":{"amount":5.83', b'"total":{"amount":"5.83"'
    )
    items = [(good.receipt_id, dump_request_json(good)), (bad.receipt_id, bad_body)]

    with pytest.raises(RemoteRejected) as caught:
        await client.create_receipts_batch(items)

    assert caught.value.field_errors[0].field == "[1].total.amount"
    assert stored(sandbox) == []


@pytest.mark.parametrize("route_mode", ["unscoped", "scoped"])
async def test_both_route_modes(sandbox: SandboxServer, route_mode: str):
    api = make_client(sandbox, business_id=BUSINESS, route_mode=route_mode)
    try:
        request = sample_receipt()
        submitted = await api.create_receipt(request.receipt_id, dump_request_json(request))
        created = await api.create_customer(customer(1))
        assert (await api.get_receipt(submitted.server_id or "")).receipt_id == request.receipt_id
        assert (await api.get_customer(created.id or "")).email == "c1@example.com"
    finally:
        await api.aclose()
    assert api._path("receipts") == (
        f"/v1/businesses/{BUSINESS}/receipts" if route_mode == "scoped" else "/v1/receipts"
    )


def test_route_mode_defaults_and_checks(sandbox: SandboxServer):
    auth = StaticTokenAuth("t")
    assert SmartbillsConfig(base_url=sandbox.url, auth=auth).effective_route_mode == "unscoped"
    assert (
        SmartbillsConfig(base_url=sandbox.url, auth=auth, business_id="b").effective_route_mode
        == "scoped"
    )
    with pytest.raises(ValueError):
        SmartbillsConfig(base_url=sandbox.url, auth=auth, route_mode="scoped")
    with pytest.raises(ValueError):
        SmartbillsConfig(base_url=sandbox.url, auth=auth, language="de-DE")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        SmartbillsConfig(base_url=sandbox.url, auth=auth, max_connections=32)


# --------------------------------------------------------------------------------------------
# Customers and locations


async def test_customers_crud(client: SmartbillsClient):
    created = await client.create_customer(
        CustomerDraft(
            first_name="Léa",
            last_name="Roy",
            locale="fr-CA",
            phone="+15145550100",
            company="Roy inc.",  # the customers page has no place for it: not sent
        )
    )
    assert created.id and created.company is None and created.phone == "+15145550100"

    updated = await client.update_customer(
        created.id,
        CustomerDraft(
            first_name="Léa", last_name="Tremblay", locale="fr-CA", email="lea@example.com"
        ),
    )
    assert (updated.last_name, updated.email, updated.created_at) == (
        "Tremblay",
        "lea@example.com",
        created.created_at,
    )
    assert (await client.get_customer(created.id)).last_name == "Tremblay"

    await client.delete_customer(created.id)
    with pytest.raises(RemoteNotFound):
        await client.get_customer(created.id)
    with pytest.raises(RemoteNotFound):
        await client.delete_customer(created.id)


async def test_customer_list_paginates_over_several_pages(client: SmartbillsClient):
    for n in range(23):
        await client.create_customer(customer(n))

    pages = [page async for page in client.iter_pages(client.list_customers, page_size=5)]

    assert [len(p.data) for p in pages] == [5, 5, 5, 5, 3]
    assert [p.page for p in pages] == [1, 2, 3, 4, 5]
    assert pages[0].metadata is not None and pages[0].metadata.count == 23
    emails = [c.email for p in pages for c in p.data]
    assert emails == [f"c{n}@example.com" for n in reversed(range(23))]  # newest first


async def test_iter_pages_stops_at_total_pages_on_an_exact_multiple(
    client: SmartbillsClient, sandbox: SandboxServer
):
    for n in range(10):
        await client.create_customer(customer(n))
    pages = [
        page
        async for page in client.iter_pages(client.list_customers, page_size=5, sort_order="asc")
    ]

    assert [len(p.data) for p in pages] == [5, 5]
    assert pages[0].data[0].email == "c0@example.com"
    assert sandbox.counters["list_requests"] == 2  # no third request for an empty page
    empty = [page async for page in client.iter_pages(client.list_locations)]
    assert empty == []


async def test_locations_crud_and_uniqueness(client: SmartbillsClient):
    location = LocationDraft(
        name="Café du Coin",
        merchant_category_code="5814",
        currency="CAD",
        email="coin@example.com",
        is_active=True,
    )
    created = await client.create_location(location)
    assert created.id and created.merchant_category_code == "5814" and created.is_active is True

    with pytest.raises(RemoteError) as caught:
        await client.create_location(LocationDraft(name="Other", email="coin@example.com"))
    assert caught.value.status == 409

    renamed = await client.update_location(created.id, replace(location, name="Café du Parc"))
    assert renamed.name == "Café du Parc"
    listed = await client.list_locations()
    assert [loc.name for loc in listed.data] == ["Café du Parc"]
    await client.delete_location(created.id)
    with pytest.raises(RemoteNotFound):
        await client.get_location(created.id)


async def test_businesses_do_not_see_each_other(sandbox: SandboxServer):
    first = make_client(sandbox, business_id="one")
    second = make_client(sandbox, business_id="two")
    try:
        created = await first.create_customer(customer(1))
        assert (await second.list_customers()).data == []
        with pytest.raises(RemoteNotFound):
            await second.get_customer(created.id or "")
    finally:
        await first.aclose()
        await second.aclose()


# --------------------------------------------------------------------------------------------
# Auth


async def test_oauth_token_is_cached_across_requests(sandbox: SandboxServer):
    api = make_client(sandbox, auth=oauth(sandbox.url))
    try:
        for n in range(5):
            await api.create_customer(customer(n))
        await api.list_customers()
    finally:
        await api.aclose()
    assert sandbox.state.tokens.issued_count == 1
    assert sandbox.counters["token_requests"] == 1


async def test_one_refresh_on_401_then_the_request_succeeds(sandbox: SandboxServer):
    api = make_client(sandbox, auth=oauth(sandbox.url))
    try:
        await api.list_customers()
        sandbox.revoke_tokens()

        # Eight requests find the token refused at once: exactly one new token is fetched.
        results = await asyncio.gather(*(api.create_customer(customer(n)) for n in range(8)))
    finally:
        await api.aclose()
    assert all(r.id for r in results)
    assert sandbox.state.tokens.issued_count == 2
    assert sandbox.counters["unauthorized"] == 8


async def test_a_second_401_raises_auth_error(sandbox: SandboxServer):
    # Tokens that die at once: the first attempt and the single retry are both refused.
    sandbox.state.tokens.lifetime_s = 0
    api = make_client(sandbox, auth=oauth(sandbox.url))
    try:
        with pytest.raises(RemoteAuthError):
            await api.list_customers()
    finally:
        await api.aclose()
    assert sandbox.counters["unauthorized"] == 2
    assert sandbox.counters["token_requests"] == 2


async def test_a_refused_static_token_is_not_retried(sandbox: SandboxServer):
    api = make_client(sandbox, auth=StaticTokenAuth("not-the-token"))
    try:
        with pytest.raises(RemoteAuthError) as caught:
            await api.list_receipts()
    finally:
        await api.aclose()
    assert caught.value.status == 401
    assert sandbox.counters["unauthorized"] == 1


async def test_wrong_client_secret_is_an_auth_error(sandbox: SandboxServer):
    api = make_client(sandbox, auth=oauth(sandbox.url, secret="wrong"))
    try:
        with pytest.raises(RemoteAuthError):
            await api.list_customers()
    finally:
        await api.aclose()


async def test_missing_scope_is_a_configuration_error(sandbox: SandboxServer):
    api = make_client(sandbox, auth=oauth(sandbox.url, ("receipts.write", "receipts.read")))
    try:
        request = sample_receipt()
        await api.create_receipt(request.receipt_id, dump_request_json(request))
        with pytest.raises(RemoteConfigError) as caught:
            await api.create_customer(customer(1))
    finally:
        await api.aclose()
    assert caught.value.status == 403


# --------------------------------------------------------------------------------------------
# Faults


@pytest.mark.parametrize("fmt", ["seconds", "http-date"])
async def test_429_carries_retry_after(client: SmartbillsClient, sandbox: SandboxServer, fmt: str):
    sandbox.set_faults(fail_next=[429], retry_after_s=30, retry_after_format=fmt)
    request = sample_receipt()

    with pytest.raises(RemoteRateLimited) as caught:
        await client.create_receipt(request.receipt_id, dump_request_json(request))

    assert caught.value.retry_after is not None and 28 <= caught.value.retry_after <= 30
    assert stored(sandbox) == []


async def test_5xx_may_have_been_delivered(client: SmartbillsClient, sandbox: SandboxServer):
    sandbox.set_faults(fail_next=[503])
    request = sample_receipt()

    with pytest.raises(RemoteUnavailable) as caught:
        await client.create_receipt(request.receipt_id, dump_request_json(request))

    assert caught.value.maybe_delivered is True and caught.value.status == 503


async def test_server_down_is_never_delivered(client: SmartbillsClient, sandbox: SandboxServer):
    await client.list_receipts()  # a keep-alive connection now exists
    sandbox.set_down(True)
    request = sample_receipt()
    try:
        with pytest.raises(RemoteUnavailable) as caught:
            await client.create_receipt(request.receipt_id, dump_request_json(request))
        assert caught.value.maybe_delivered is False and caught.value.status is None
    finally:
        sandbox.set_down(False)
    submitted = await client.create_receipt(request.receipt_id, dump_request_json(request))
    assert not submitted.duplicate and stored(sandbox) == [request.receipt_id]


async def test_lost_response_after_commit_is_maybe_delivered_and_found_among_recent(
    client: SmartbillsClient, sandbox: SandboxServer
):
    sandbox.set_faults(drop_next=1)
    request = sample_receipt()
    body = dump_request_json(request)

    with pytest.raises(RemoteUnavailable) as caught:
        await client.create_receipt(request.receipt_id, body)

    assert caught.value.maybe_delivered is True
    assert stored(sandbox) == [request.receipt_id]
    # What the sync worker does before a resend: the server's newest receipts have it.
    [found] = (await client.recent_receipts(page=1)).receipts
    assert (found.receipt_id, found.server_id) == (
        request.receipt_id,
        str(sandbox.state.store.all_receipts()[0].id),
    )


async def test_warm_up_reports_whether_the_server_answered(sandbox: SandboxServer):
    api = make_client(sandbox, auth=oauth(sandbox.url))
    try:
        assert await api.warm_up() is True
        assert sandbox.state.tokens.issued_count == 1
        sandbox.set_down(True)
        try:
            assert await api.warm_up() is False  # offline at start-up is not an error
        finally:
            sandbox.set_down(False)
    finally:
        await api.aclose()


# --------------------------------------------------------------------------------------------
# Secrets


async def test_no_secret_in_repr_exceptions_or_logs(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    static_secret = f"eyJhbGciOiJIUzI1NiJ9.{'x' * 40}.{uuid.uuid4().hex}"
    wrong_secret = "client-secret-" + uuid.uuid4().hex
    texts: list[str] = []

    async def collect(api: SmartbillsClient, call: object) -> None:
        try:
            await call  # type: ignore[misc]
        except RemoteError as exc:
            texts.extend(
                [
                    str(exc),
                    repr(exc),
                    exc.message,
                    *(e.message for e in getattr(exc, "field_errors", ())),
                ]
            )

    static = make_client(sandbox, auth=StaticTokenAuth(static_secret))
    bad_oauth = make_client(sandbox, auth=oauth(sandbox.url, secret=wrong_secret))
    good_oauth = make_client(sandbox, auth=oauth(sandbox.url))
    try:
        texts += [repr(static), repr(bad_oauth), repr(good_oauth), repr(good_oauth.config)]
        await collect(static, static.list_receipts())
        await collect(bad_oauth, bad_oauth.list_receipts())
        await good_oauth.list_receipts()
        sandbox.set_faults(fail_next=[500, 429])
        await collect(good_oauth, good_oauth.list_receipts())
        await collect(good_oauth, good_oauth.list_receipts())
        sandbox.revoke_tokens()
        await good_oauth.list_receipts()
        provider = good_oauth._auth
        assert isinstance(provider, ClientCredentialsProvider)
        issued = provider.secrets()[-1]
        sandbox.set_down(True)
        await collect(good_oauth, good_oauth.list_receipts())
        sandbox.set_down(False)
    finally:
        for api in (static, bad_oauth, good_oauth):
            await api.aclose()

    assert len(texts) >= 8
    everything = "\n".join(texts) + "\n" + caplog.text
    for secret in (static_secret, wrong_secret, SANDBOX_CLIENT_SECRET, issued):
        assert secret not in everything
    assert "pos_app.api" in {r.name for r in caplog.records}


async def test_token_endpoint_failures_mean_the_request_was_never_sent(sandbox: SandboxServer):
    # A token URL under /v1 gets the sandbox's injected faults: a 503, then a slow answer.
    broken = ClientCredentialsAuth(
        SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, token_url=f"{sandbox.url}/v1/token"
    )
    api = make_client(sandbox, auth=broken, read_timeout_s=0.2)
    request = sample_receipt()
    try:
        sandbox.set_faults(fail_next=[503])
        with pytest.raises(RemoteUnavailable) as unavailable:
            await api.create_receipt(request.receipt_id, dump_request_json(request))
        sandbox.set_faults(latency_ms=1000)
        with pytest.raises(RemoteUnavailable) as timed_out:
            await api.create_receipt(request.receipt_id, dump_request_json(request))
    finally:
        await api.aclose()
    assert unavailable.value.maybe_delivered is False and unavailable.value.status == 503
    assert timed_out.value.maybe_delivered is False
    assert stored(sandbox) == []


async def test_read_timeout_after_sending_may_have_been_delivered(sandbox: SandboxServer):
    api = make_client(sandbox, read_timeout_s=0.2)
    sandbox.set_faults(latency_ms=1000)
    request = sample_receipt()
    try:
        with pytest.raises(RemoteUnavailable) as caught:
            await api.create_receipt(request.receipt_id, dump_request_json(request))
    finally:
        await api.aclose()
    assert caught.value.maybe_delivered is True
