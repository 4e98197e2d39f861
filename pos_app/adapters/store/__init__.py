"""The SQLite store: sales and their delivery queue, catalog, caches, held carts and
the audit log, in one database file written by one thread (see database.py)."""

from .audit_repo import AuditEntry, AuditEvent, AuditLog
from .cache_repo import CachedDocument, CustomersCache, LocationsCache
from .catalog_repo import CatalogRepo, Product
from .database import Database
from .errors import OutboxStateError, UnknownSaleError
from .held_carts_repo import HeldCart, HeldCartsRepo
from .migrations import SchemaTooNewError
from .outbox_repo import ClaimedReceipt, OutboxEntry, OutboxRepo, OutboxState
from .sales_repo import Sale, SalesRepo, SaleSummary

__all__ = [
    "AuditEntry",
    "AuditEvent",
    "AuditLog",
    "CachedDocument",
    "CatalogRepo",
    "ClaimedReceipt",
    "CustomersCache",
    "Database",
    "HeldCart",
    "HeldCartsRepo",
    "LocationsCache",
    "OutboxEntry",
    "OutboxRepo",
    "OutboxState",
    "OutboxStateError",
    "Product",
    "Sale",
    "SaleSummary",
    "SalesRepo",
    "SchemaTooNewError",
    "UnknownSaleError",
]
