"""Everything the app keeps on disk, behind one object built at start-up."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .audit_repo import AuditLog
from .cache_repo import CustomersCache, LocationsCache
from .catalog_repo import CatalogRepo
from .corrections_repo import CorrectionsRepo
from .database import Database
from .held_carts_repo import HeldCartsRepo
from .outbox_repo import OutboxRepo
from .sales_repo import SalesRepo
from .settings_repo import SettingsRepo
from .shifts_repo import ShiftsRepo
from .timestamps import utc_now


@dataclass(frozen=True, slots=True)
class Store:
    db: Database
    sales: SalesRepo
    outbox: OutboxRepo
    catalog: CatalogRepo
    customers: CustomersCache
    locations: LocationsCache
    settings: SettingsRepo
    held_carts: HeldCartsRepo
    audit: AuditLog
    shifts: ShiftsRepo
    corrections: CorrectionsRepo

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, clock: Callable[[], datetime] = utc_now
    ) -> Store:
        """Opens and migrates the database at `path` (blocking) and builds the repositories
        over its single connection. Call `outbox.recover_sending()` before starting the sync
        worker."""
        db = Database.open(path, clock=clock)
        return cls(
            db=db,
            sales=SalesRepo(db),
            outbox=OutboxRepo(db),
            catalog=CatalogRepo(db),
            customers=CustomersCache(db),
            locations=LocationsCache(db),
            settings=SettingsRepo(db),
            held_carts=HeldCartsRepo(db),
            audit=AuditLog(db),
            shifts=ShiftsRepo(db),
            corrections=CorrectionsRepo(db),
        )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def aclose(self) -> None:
        await self.db.aclose()
