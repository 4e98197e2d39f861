"""Every repository of the store over one database, for the store's own tests (the app's
composition root, bootstrap.py, builds the repositories its services use)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pos_app.adapters.store.audit_repo import AuditLog
from pos_app.adapters.store.cache_repo import CustomersCache, LocationsCache
from pos_app.adapters.store.catalog_repo import CatalogRepo
from pos_app.adapters.store.corrections_repo import CorrectionsRepo
from pos_app.adapters.store.database import Database
from pos_app.adapters.store.held_carts_repo import HeldCartsRepo
from pos_app.adapters.store.outbox_repo import OutboxRepo
from pos_app.adapters.store.sales_repo import SalesRepo
from pos_app.adapters.store.shifts_repo import ShiftsRepo
from pos_app.adapters.store.timestamps import utc_now


@dataclass(frozen=True, slots=True)
class Store:
    db: Database
    sales: SalesRepo
    outbox: OutboxRepo
    catalog: CatalogRepo
    customers: CustomersCache
    locations: LocationsCache
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
