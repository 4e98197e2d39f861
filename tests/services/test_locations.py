"""LocationService against a real sandbox and a real SQLite cache: listing (kept for offline
use), showing one, and choosing the till's location for the settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pos_app.domain.receipt import Address
from pos_app.domain.remote import RemoteUnavailable
from pos_app.sandbox import SandboxServer
from pos_app.services.locations import (
    InactiveLocation,
    LocationDraft,
    UnknownLocation,
)
from pos_app.services.settings import DEMO_STORE, Settings
from tests.services.locations_setup import Setup, location_setup

PLATEAU = LocationDraft(
    name="Dépanneur du Plateau",
    currency="CAD",
    timezone="America/Toronto",
    phone="514 555-0199",
    email="plateau@example.ca",
    address=Address(
        line1="4321, avenue du Mont-Royal Est",
        city="Montréal",
        state="Québec",
        state_code="QC",
        country="Canada",
        country_code="CA",
        postal_code="H2J 1X6",
    ),
    is_active=True,
)
GASPE = LocationDraft(
    name="Dépanneur de Gaspé",
    timezone="America/Toronto",
    phone="418 555-0101",
    address=Address(line1="12, rue de la Reine", city="Gaspé", state_code="QC"),
)
CLOSED = LocationDraft(name="Ancien local", phone="819 555-0000", is_active=False)


@pytest.fixture
async def setup(tmp_path: Path, sandbox: SandboxServer) -> AsyncIterator[Setup]:
    async with location_setup(tmp_path, sandbox, page_size=2) as made:
        yield made


async def test_list_show_and_offline_copy(setup: Setup) -> None:
    plateau = await setup.client.create_location(PLATEAU)
    gaspe = await setup.client.create_location(GASPE)
    closed = await setup.client.create_location(CLOSED)

    listing = await setup.service.list_locations()
    assert not listing.from_cache
    assert [loc.id for loc in listing.locations] == [closed.id, gaspe.id, plateau.id]
    shown = await setup.service.show(str(plateau.id))
    assert shown == listing.locations[2]
    assert (shown.name, shown.phone, shown.email, shown.timezone) == (
        "Dépanneur du Plateau",
        "514 555-0199",
        "plateau@example.ca",
        "America/Toronto",
    )
    assert shown.address.lines() == ["4321, avenue du Mont-Royal Est", "Montréal, QC  H2J 1X6"]

    setup.sandbox.set_down(True)
    offline = await setup.service.list_locations()
    assert offline.from_cache and offline.error
    assert offline.locations == listing.locations
    with pytest.raises(RemoteUnavailable):
        await setup.service.show(str(plateau.id))


async def test_unknown_location(setup: Setup) -> None:
    with pytest.raises(UnknownLocation):
        await setup.service.show("no-such-location")
    with pytest.raises(UnknownLocation):
        await setup.service.choose("no-such-location")


async def test_using_a_location_for_this_till_saves_it(setup: Setup) -> None:
    plateau = await setup.client.create_location(PLATEAU)
    choice = await setup.service.use_for_this_till(str(plateau.id))
    assert setup.settings().location_id == plateau.id == choice.location_id
    assert setup.settings().store == choice.store
    assert setup.settings().store.phone == "514 555-0199"


async def test_choose_fills_the_store_block(setup: Setup) -> None:
    plateau = await setup.client.create_location(PLATEAU)
    choice = await setup.service.choose(str(plateau.id))
    store = choice.store
    assert choice.location_id == plateau.id == store.location_id
    assert (store.location_name, store.phone, store.email, store.timezone) == (
        "Dépanneur du Plateau",
        "514 555-0199",
        "plateau@example.ca",
        "America/Toronto",
    )
    assert store.address == Address(
        line1="4321, avenue du Mont-Royal Est",
        city="Montréal",
        state="Québec",
        state_code="QC",
        country="Canada",
        country_code="CA",
        postal_code="H2J 1X6",
    )
    # What the location does not say stays as the owner set it.
    assert store.business_name == DEMO_STORE.business_name
    assert store.tax_numbers == DEMO_STORE.tax_numbers
    settings = choice.apply(Settings())
    assert settings.location_id == plateau.id and settings.store == store


async def test_choose_offline_uses_the_cached_copy(setup: Setup) -> None:
    gaspe = await setup.client.create_location(GASPE)
    await setup.service.list_locations()
    setup.sandbox.set_down(True)
    choice = await setup.service.choose(str(gaspe.id))
    assert choice.store.location_name == "Dépanneur de Gaspé"
    assert choice.store.address.city == "Gaspé"
    with pytest.raises(RemoteUnavailable):
        await setup.service.choose(str(gaspe.id), allow_cached=False)


async def test_an_inactive_location_cannot_be_chosen(setup: Setup) -> None:
    closed = await setup.client.create_location(CLOSED)
    with pytest.raises(InactiveLocation):
        await setup.service.choose(str(closed.id))
