"""A LocationService over a real SQLite cache and a real API client to the loopback sandbox,
shared by the location service tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from pos_app.adapters.api.auth import StaticTokenAuth
from pos_app.adapters.api.client import SmartbillsClient, SmartbillsConfig
from pos_app.adapters.store.cache_repo import LocationsCache
from pos_app.adapters.store.database import Database
from pos_app.sandbox import SandboxServer
from pos_app.services.locations import PAGE_SIZE, LocationService
from pos_app.services.settings import Settings
from tests.fixtures.sandbox import SANDBOX_TOKEN


@dataclass
class Setup:
    service: LocationService
    client: SmartbillsClient
    sandbox: SandboxServer
    saved: list[Settings]  # what the service saved, last one last

    def settings(self) -> Settings:
        return self.saved[-1] if self.saved else Settings()

    def faults(self) -> dict[str, object]:
        return self.sandbox.faults()

    async def server_ids(self) -> list[str]:
        page = await self.client.list_locations(page_size=100)
        return [loc.id for loc in page.data if loc.id]


@asynccontextmanager
async def location_setup(
    data_dir: Path, sandbox: SandboxServer, *, page_size: int = PAGE_SIZE
) -> AsyncIterator[Setup]:
    db = Database.open(data_dir / "pos.db")
    client = SmartbillsClient(
        SmartbillsConfig(base_url=sandbox.url, auth=StaticTokenAuth(SANDBOX_TOKEN))
    )
    try:
        saved: list[Settings] = []
        service = LocationService(
            client,
            LocationsCache(db),
            settings=lambda: saved[-1] if saved else Settings(),
            save_settings=saved.append,
            page_size=page_size,
        )
        yield Setup(service, client, sandbox, saved)
    finally:
        await client.aclose()
        await db.aclose()
