"""Customers: found from the till's copy at once, kept in step with Smartbills when online,
and created offline when the network is down (sent later, their local id swapped for the
server's).

The records and the rules a customer is checked by are in pos_app/domain/customers.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from pos_app.domain.customers import (
    EDITABLE_FIELDS,
    LOCALES,
    CustomerDraft,
    CustomerInvalid,
    CustomerRecord,
    validate_changes,
    validate_customer,
)
from pos_app.domain.remote import (
    RemoteConflict,
    RemoteError,
    RemoteNotFound,
    RemoteRejected,
    RemoteUnavailable,
    is_local_id,
)
from pos_app.services.cached_listing import CachedList, is_listing
from pos_app.services.copy_listing import FromCopyWhenUnavailable
from pos_app.services.ports.customers import CustomerDoc, CustomerDocCache, CustomersApi
from pos_app.services.ports.documents import CachedDoc, CacheEntry

__all__ = [
    "EDITABLE_FIELDS",
    "LOCALES",
    "CustomerDraft",
    "CustomerInvalid",
    "CustomerListing",
    "CustomerRecord",
    "CustomerService",
    "PendingSyncReport",
    "UnknownCustomer",
    "validate_changes",
    "validate_customer",
]

log = logging.getLogger("pos_app.customers")
T = TypeVar("T")

PAGE_SIZE = 100


class UnknownCustomer(LookupError):
    def __init__(self, customer_id: str):
        super().__init__(f"no customer with id {customer_id}")
        self.customer_id = customer_id


@dataclass(frozen=True)
class CustomerListing(FromCopyWhenUnavailable):
    customers: list[CustomerRecord]
    failure: RemoteUnavailable | None = None


@dataclass(frozen=True)
class PendingSyncReport:
    created: list[tuple[str, str]] = field(default_factory=list)  # (local id, server id)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (local id, server message)
    stopped: RemoteError | None = None  # why sending stopped early (offline, credentials)


# ---------------------------------------------------------------------------------------------
# Conversions: API answers and cache documents to records, records to cache entries


def _from_api(doc: CustomerDoc) -> CustomerRecord:
    if not doc.id:
        raise RemoteUnavailable("the server answered without a customer id", maybe_delivered=True)
    return CustomerRecord(
        id=doc.id,
        first_name=doc.first_name or "",
        last_name=doc.last_name or "",
        locale=doc.locale,
        # An update sends an absent email or phone as "" (the API requires all five fields).
        email=doc.email or None,
        phone=doc.phone or None,
        company=doc.company or None,
    )


def _fields_doc(draft: CustomerDraft) -> dict[str, Any]:
    return {
        "first_name": draft.first_name,
        "last_name": draft.last_name,
        "locale": draft.locale or None,
        "email": draft.email,
        "phone": draft.phone,
        "company": draft.company,
    }


def _from_cache(cached: CachedDoc) -> CustomerRecord:
    d = cached.doc
    return CustomerRecord(
        id=cached.id,
        first_name=str(d.get("first_name") or ""),
        last_name=str(d.get("last_name") or ""),
        locale=d.get("locale"),
        email=d.get("email"),
        phone=d.get("phone"),
        company=d.get("company"),
        pending=cached.pending_create,
    )


def _entry(record: CustomerRecord) -> CacheEntry:
    return CacheEntry(
        id=record.id,
        doc=_fields_doc(record.draft()),
        name=record.display_name,
        email=record.email or "",
        phone=record.phone or "",
    )


# ---------------------------------------------------------------------------------------------


class CustomerService:
    def __init__(
        self,
        api: CustomersApi,
        cache: CustomerDocCache,
        *,
        page_size: int = PAGE_SIZE,
    ):
        self._api = api
        self._cache = cache
        self._listing = CachedList(cache)
        self._page_size = page_size
        # One push of offline customers at a time: two would create each one twice.
        self._sync_lock = asyncio.Lock()

    # -- reading --------------------------------------------------------------------------------

    async def search(self, text: str, limit: int = 20) -> list[CustomerRecord]:
        """Customers of the till's copy whose name, email or phone contain every word of
        `text` (case and accents ignored). Instant and offline: for type-ahead."""
        return [_from_cache(doc) for doc in await self._cache.search(text, limit)]

    async def get_cached(self, customer_id: str) -> CustomerRecord | None:
        if is_listing(customer_id):
            return None
        cached = await self._cache.get(customer_id)
        return None if cached is None else _from_cache(cached)

    async def list_customers(self, search: str | None = None, limit: int = 100) -> CustomerListing:
        """Brings the till's copy up to date from the server (sending offline creations
        first), then answers from it. Offline, answers from the copy as it is and says so.
        Other API errors (credentials, configuration) raise: someone must act on them."""
        try:
            fetched = await self.refresh()
        except RemoteUnavailable as error:
            return CustomerListing(await self._cached(search, limit), error)
        if search and search.strip():
            return CustomerListing(await self.search(search, limit))
        # Customers the server refused stay pending on the till: still shown, first.
        pending = [_from_cache(doc) for doc in await self._cache.list_pending()]
        return CustomerListing([*pending, *fetched][:limit])

    async def refresh(self) -> list[CustomerRecord]:
        """Sends customers created offline, then reads every page of the server's list into
        the till's copy (dropping those the server no longer has). Returns the list."""
        report = await self.sync_pending()
        if report.stopped:
            log.info("offline customers not sent yet: %s", report.stopped.message)
        records: list[CustomerRecord] = []
        async for page in self._api.iter_pages(self._api.list_customers, page_size=self._page_size):
            for doc in page.data:
                if getattr(doc, "id", None):
                    records.append(await self._with_till_fields(_from_api(doc)))
        await self._listing.replace([_entry(r) for r in records])
        return records

    async def get(self, customer_id: str) -> CustomerRecord:
        """The server's current customer (refreshing the till's copy); a customer created
        offline comes from the copy. Raises UnknownCustomer, or a RemoteError (offline:
        RemoteUnavailable, and `get_cached` has the last known copy)."""
        if is_local_id(customer_id) or is_listing(customer_id):
            cached = await self.get_cached(customer_id)
            if cached is None:
                raise UnknownCustomer(customer_id)
            return cached
        try:
            record = await self._with_till_fields(
                _from_api(await self._api.get_customer(customer_id))
            )
        except RemoteNotFound:
            await self._listing.discard(customer_id)
            raise UnknownCustomer(customer_id) from None
        await self._listing.put(_entry(record))
        return record

    async def _with_till_fields(self, record: CustomerRecord) -> CustomerRecord:
        """A customer read from the server, with the till-only fields of its cached copy."""
        if record.company:
            return record
        cached = await self._cache.get(record.id)
        return record if cached is None else _till_fields(record, _from_cache(cached).draft())

    async def _cached(self, search: str | None, limit: int) -> list[CustomerRecord]:
        if search and search.strip():
            return await self.search(search, limit)
        pending = [_from_cache(doc) for doc in await self._cache.list_pending()]
        listed = [_from_cache(doc) for doc in await self._listing.docs(limit)]
        return [*pending, *listed][:limit]

    # -- writing --------------------------------------------------------------------------------

    async def create(self, draft: CustomerDraft, *, offline_ok: bool = True) -> CustomerRecord:
        """Checks the customer (CustomerInvalid, before any request), then creates it on the
        server. When the server cannot be reached and `offline_ok`, it is kept on the till
        (id `local-...`, `pending=True`) and sent by the next `sync_pending` or `refresh`.

        A request that may have reached the server (timeout after sending) is not kept
        locally: customers have no idempotency key, so sending it again could make two."""
        clean = validate_customer(draft)
        try:
            record = _till_fields(_from_api(await _sent(self._api.create_customer(clean))), clean)
        except RemoteUnavailable as error:
            if error.maybe_delivered or not offline_ok:
                raise
            local = await self._cache.create_local(
                _fields_doc(clean),
                f"{clean.first_name} {clean.last_name}",
                clean.email or "",
                clean.phone or "",
            )
            log.info("customer kept offline as %s", local.id)
            return _from_cache(local)
        await self._listing.put(_entry(record))
        return record

    async def update(self, customer_id: str, draft: CustomerDraft) -> CustomerRecord:
        """Replaces the customer's fields (the API's PUT takes the whole customer). A customer
        still pending creation is sent first, so the update has a server id to go to."""
        clean = validate_customer(draft)
        if is_local_id(customer_id):
            customer_id = await self._send_pending_one(customer_id)
        try:
            doc = await _sent(self._api.update_customer(customer_id, clean))
            record = _till_fields(_from_api(doc), clean)
        except RemoteNotFound:
            await self._listing.discard(customer_id)
            raise UnknownCustomer(customer_id) from None
        await self._listing.put(_entry(record))
        return record

    async def patch(self, customer_id: str, changes: Mapping[str, str | None]) -> CustomerRecord:
        """Changes only the fields named in `changes` (see EDITABLE_FIELDS; None or "" clears
        an optional one). The changes are checked before any request; the merged customer
        is checked again before it is sent."""
        values: dict[str, Any] = validate_changes(changes)
        current = await self.get(customer_id)
        return await self.update(current.id, replace(current.draft(), **values))

    async def delete(self, customer_id: str) -> None:
        """Deletes on the server and from the till's copy. A customer still pending creation
        never reached the server: it is only forgotten here."""
        if is_local_id(customer_id):
            if not await self._cache.remove(customer_id):
                raise UnknownCustomer(customer_id)
            return
        try:
            await self._api.delete_customer(customer_id)
        except RemoteNotFound:
            await self._listing.discard(customer_id)
            raise UnknownCustomer(customer_id) from None
        await self._listing.discard(customer_id)

    async def sync_pending(self) -> PendingSyncReport:
        """Creates on the server every customer kept offline, oldest first, each swapped for
        the server's copy (new id) in one transaction. A customer the server refuses stays
        pending and is reported; being offline, or credentials refused, stops the round."""
        created: list[tuple[str, str]] = []
        refused: list[tuple[str, str]] = []
        async with self._sync_lock:
            for cached in await self._cache.list_pending():
                try:
                    record = await self._create_from_pending(cached)
                except CustomerInvalid as error:
                    refused.append((cached.id, str(error)))
                    continue
                except (RemoteRejected, RemoteConflict) as error:
                    refused.append((cached.id, error.message))
                    continue
                except RemoteError as error:
                    return PendingSyncReport(created, refused, error)
                created.append((cached.id, record.id))
        return PendingSyncReport(created, refused)

    async def _send_pending_one(self, local_id: str) -> str:
        async with self._sync_lock:
            cached = await self._cache.get(local_id)
            if cached is None or not cached.pending_create:
                raise UnknownCustomer(local_id)
            return (await self._create_from_pending(cached)).id

    async def _create_from_pending(self, cached: CachedDoc) -> CustomerRecord:
        draft = validate_customer(_from_cache(cached).draft())
        record = _till_fields(_from_api(await _sent(self._api.create_customer(draft))), draft)
        entry = _entry(record)
        await self._cache.replace_local_id(cached.id, entry)
        await self._listing.put(entry)
        log.info("offline customer %s created on the server as %s", cached.id, record.id)
        return record


def _till_fields(record: CustomerRecord, draft: CustomerDraft) -> CustomerRecord:
    """The server's customer with what only the till keeps: the customers page has no place
    for a company, so it is not sent and stays in the till's copy."""
    return replace(record, company=record.company or draft.company)


async def _sent(call: Awaitable[T]) -> T:
    """Awaits an API call given a checked draft. The adapter builds the wire request from the
    draft's plain fields and its shape's own checks may still refuse it (a ValueError);
    validate_customer is stricter, so that means the two drifted apart: still the caller's
    kind of error, not a crash."""
    try:
        return await call
    except ValueError as error:
        first_line = str(error).splitlines()[0] if str(error) else "invalid customer"
        raise CustomerInvalid([f"customer: {first_line}"]) from None
