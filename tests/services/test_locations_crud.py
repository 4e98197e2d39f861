"""LocationService create, update, patch and delete against a real sandbox on loopback and a
real SQLite cache: every field checked before any request, the till's copy kept in step, and
no offline writing (the API must answer)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from pos_app.domain.receipt import Address
from pos_app.domain.remote import RemoteConflict, RemoteUnavailable
from pos_app.sandbox import SandboxServer
from pos_app.services.locations import LocationDraft, LocationInvalid, UnknownLocation
from tests.services.locations_setup import Setup, location_setup

MILE_END = LocationDraft(
    name="Dépanneur Mile End",
    description="Le coin de la rue",
    merchant_category_code="5411",
    currency="cad",
    timezone="America/Toronto",
    phone="514 555-0199",
    email="mileend@example.ca",
    website="https://mileend.example.ca",
    address=Address(
        line1="5000 boul. Saint-Laurent",
        city="Montréal",
        state="Québec",
        state_code="qc",
        country="Canada",
        country_code="ca",
        postal_code="h2t 1r8",
    ),
)


@pytest.fixture
async def setup(tmp_path: Path, sandbox: SandboxServer) -> AsyncIterator[Setup]:
    async with location_setup(tmp_path, sandbox) as made:
        yield made


async def test_create_update_patch_delete(setup: Setup) -> None:
    service = setup.service
    created = await service.create(MILE_END)
    assert await setup.server_ids() == [created.id]
    # Codes written as people type them are sent as the API and receipts write them.
    assert (created.currency, created.address.state_code, created.address.country_code) == (
        "CAD",
        "QC",
        "CA",
    )
    assert created.address.postal_code == "H2T 1R8"
    assert (created.merchant_category_code, created.website, created.is_active) == (
        "5411",
        "https://mileend.example.ca",
        True,
    )
    # The till's copy has it at once, offline too.
    assert await service.get_cached(created.id) == created
    assert (await service.list_locations()).locations == [created]

    moved = await service.update(
        created.id,
        replace(
            created.draft(), address=replace(created.address, line1="5100 boul. Saint-Laurent")
        ),
    )
    assert moved.address.line1 == "5100 boul. Saint-Laurent"
    assert (await service.show(created.id)).address.line1 == "5100 boul. Saint-Laurent"

    patched = await service.patch(
        created.id, {"phone": "514 555-0100", "website": "", "is_active": False}
    )
    assert (patched.phone, patched.website, patched.is_active) == ("514 555-0100", None, False)
    assert patched.address == moved.address  # what was not named is kept
    assert await service.get_cached(created.id) == patched

    await service.delete(created.id)
    assert await setup.server_ids() == []
    assert await service.get_cached(created.id) is None
    with pytest.raises(UnknownLocation):
        await service.delete(created.id)
    with pytest.raises(UnknownLocation):
        await service.update(created.id, MILE_END)


async def test_invalid_location_is_refused_before_any_request(setup: Setup) -> None:
    # The next /v1 request would be answered 503: if it is still pending afterwards, no
    # request reached the server.
    setup.sandbox.set_faults(fail_next=[503])
    bad = LocationDraft(
        name="  ",
        merchant_category_code="54a1",
        currency="CDN",
        timezone="America/Montreal_",
        phone="call us",
        email="shop@",
        website="not a site",
        address=Address(state_code="QUEB", country_code="CAN"),
    )
    with pytest.raises(LocationInvalid) as refused:
        await setup.service.create(bad)
    assert refused.value.problems == [
        "name: is required",
        "merchant_category_code: '54a1' must be 4 digits (such as 5411)",
        "currency: 'CDN' is not an ISO 4217 currency code (such as CAD)",
        "timezone: 'America/Montreal_' is not a time zone name (such as America/Toronto)",
        "phone: 'call us' is not a phone number",
        "email: 'shop@' is not an email address",
        "website: 'not a site' is not a website address",
        "state_code: 'QUEB' must be 1 to 3 letters or digits",
        "country_code: 'CAN' must be 2 letters (such as CA)",
    ]
    assert set(refused.value.fields) == {
        "name",
        "merchant_category_code",
        "currency",
        "timezone",
        "phone",
        "email",
        "website",
        "state_code",
        "country_code",
    }
    with pytest.raises(LocationInvalid, match="currency: 'XYZ'"):
        await setup.service.update("any-id", replace(MILE_END, currency="XYZ"))
    with pytest.raises(LocationInvalid, match="timezone: 'Mars/Olympus'"):
        await setup.service.patch("any-id", {"timezone": "Mars/Olympus"})
    with pytest.raises(LocationInvalid, match="name: is required"):
        await setup.service.patch("any-id", {"name": ""})
    with pytest.raises(LocationInvalid, match="colour: not a location field"):
        await setup.service.patch("any-id", {"colour": "blue"})

    assert setup.faults()["failNext"] == [503]
    assert "rejected" not in setup.sandbox.counters


async def test_unreachable_api_says_locations_need_it(setup: Setup) -> None:
    created = await setup.service.create(MILE_END)
    setup.sandbox.set_down(True)
    for attempt in (
        setup.service.create(replace(MILE_END, email="other@example.ca", phone=None)),
        setup.service.update(created.id, created.draft()),
        setup.service.patch(created.id, {"phone": "514 555-0100"}),
        setup.service.delete(created.id),
    ):
        with pytest.raises(RemoteUnavailable) as unreachable:
            await attempt
        assert "the API is unreachable" in unreachable.value.message
        assert "on the API only" in unreachable.value.message
    # Nothing was kept on the till as if it had been done.
    assert await setup.service.get_cached(created.id) == created
    assert [r.id for r in (await setup.service.list_locations()).locations] == [created.id]


async def test_a_location_is_unique_by_email_or_phone(setup: Setup) -> None:
    await setup.service.create(MILE_END)
    with pytest.raises(RemoteConflict):
        await setup.service.create(replace(MILE_END, name="Autre", email=None))
    other = await setup.service.create(
        replace(MILE_END, name="Autre", email="autre@example.ca", phone="514 555-0200")
    )
    with pytest.raises(RemoteConflict):
        await setup.service.patch(other.id, {"email": "mileend@example.ca"})
    assert (await setup.service.get_cached(other.id)) == other
