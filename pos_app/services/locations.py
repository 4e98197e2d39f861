"""The business's locations on Smartbills: listed for the settings screen (and kept for
offline use), and the one this till belongs to chosen, which fills the store block printed on
receipts (name, address, phone, timezone)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from pos_app.domain.receipt import Address, StoreInfo
from pos_app.domain.remote import RemoteNotFound, RemoteUnavailable
from pos_app.services.cached_docs import CachedList, is_listing
from pos_app.services.ports_catalog import (
    AddressDoc,
    CachedDoc,
    CacheEntry,
    DocumentCache,
    LocationDoc,
    LocationsApi,
)
from pos_app.services.settings import Settings

PAGE_SIZE = 100
_ADDRESS_FIELDS = (
    "line1",
    "line2",
    "city",
    "state",
    "state_code",
    "country",
    "country_code",
    "postal_code",
)


class UnknownLocation(LookupError):
    def __init__(self, location_id: str):
        super().__init__(f"no location with id {location_id}")
        self.location_id = location_id


class InactiveLocation(ValueError):
    def __init__(self, location_id: str):
        super().__init__(f"location {location_id} is not active")
        self.location_id = location_id


@dataclass(frozen=True)
class LocationRecord:
    id: str
    name: str
    address: Address = Address()
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    timezone: str | None = None
    currency: str | None = None
    locale: str | None = None
    description: str | None = None
    is_active: bool | None = None


@dataclass(frozen=True)
class LocationListing:
    locations: list[LocationRecord]
    from_cache: bool = False  # the server could not be reached: the till's last copy
    error: str | None = None


@dataclass(frozen=True)
class LocationChoice:
    """What choosing a location changes in the settings."""

    location_id: str
    store: StoreInfo

    def apply(self, settings: Settings) -> Settings:
        return settings.with_changes(location_id=self.location_id, store=self.store)


def _address(doc: AddressDoc | None) -> Address:
    if doc is None:
        return Address()
    return Address(**{name: getattr(doc, name) or "" for name in _ADDRESS_FIELDS})


def _from_api(doc: LocationDoc) -> LocationRecord:
    if not doc.id:
        raise RemoteUnavailable("the server answered without a location id", maybe_delivered=True)
    return LocationRecord(
        id=doc.id,
        name=doc.name or "",
        address=_address(doc.address),
        phone=doc.phone_number,
        email=doc.email,
        website=doc.website,
        timezone=doc.timezone,
        currency=doc.currency,
        locale=doc.locale,
        description=doc.description,
        is_active=doc.is_active,
    )


def _entry(record: LocationRecord) -> CacheEntry:
    doc: dict[str, Any] = {
        "name": record.name,
        "address": {name: getattr(record.address, name) for name in _ADDRESS_FIELDS},
        "phone": record.phone,
        "email": record.email,
        "website": record.website,
        "timezone": record.timezone,
        "currency": record.currency,
        "locale": record.locale,
        "description": record.description,
        "is_active": record.is_active,
    }
    return CacheEntry(record.id, doc, record.name, record.email or "", record.phone or "")


def _from_cache(cached: CachedDoc) -> LocationRecord:
    d = cached.doc
    address = d.get("address") or {}
    return LocationRecord(
        id=cached.id,
        name=str(d.get("name") or ""),
        address=Address(**{name: str(address.get(name) or "") for name in _ADDRESS_FIELDS}),
        phone=d.get("phone"),
        email=d.get("email"),
        website=d.get("website"),
        timezone=d.get("timezone"),
        currency=d.get("currency"),
        locale=d.get("locale"),
        description=d.get("description"),
        is_active=d.get("is_active"),
    )


class LocationService:
    def __init__(
        self,
        api: LocationsApi,
        cache: DocumentCache,
        settings: Callable[[], Settings],
        *,
        page_size: int = PAGE_SIZE,
    ):
        self._api = api
        self._cache = cache
        self._listing = CachedList(cache)
        self._settings = settings
        self._page_size = page_size

    async def list_locations(self) -> LocationListing:
        """Every location from the server (kept for offline use); offline, the last copy.
        Other API errors (credentials, scopes) raise."""
        try:
            records: list[LocationRecord] = []
            async for page in self._api.iter_pages(
                self._api.list_locations, page_size=self._page_size
            ):
                records.extend(_from_api(doc) for doc in page.data if getattr(doc, "id", None))
        except RemoteUnavailable as error:
            cached = [_from_cache(doc) for doc in await self._listing.docs()]
            return LocationListing(cached, True, error.message)
        await self._listing.replace([_entry(r) for r in records])
        return LocationListing(records)

    async def show(self, location_id: str) -> LocationRecord:
        """The server's current location (refreshing the copy). Raises UnknownLocation or a
        RemoteError; offline, `get_cached` has the last copy."""
        if is_listing(location_id):
            raise UnknownLocation(location_id)
        try:
            record = _from_api(await self._api.get_location(location_id))
        except RemoteNotFound:
            await self._listing.discard(location_id)
            raise UnknownLocation(location_id) from None
        await self._listing.put(_entry(record))
        return record

    async def get_cached(self, location_id: str) -> LocationRecord | None:
        if is_listing(location_id):
            return None
        cached = await self._cache.get(location_id)
        return None if cached is None else _from_cache(cached)

    async def choose(self, location_id: str, *, allow_cached: bool = True) -> LocationChoice:
        """The settings change that makes this till belong to the location: its id, and the
        store block with the location's name, address, phone, email, website and timezone
        (business name, tax numbers and receipt texts stay as they are). Apply it with
        `choice.apply(settings)` and save. Offline, the cached copy serves when allowed."""
        try:
            record = await self.show(location_id)
        except RemoteUnavailable:
            cached = await self.get_cached(location_id) if allow_cached else None
            if cached is None:
                raise
            record = cached
        if record.is_active is False:
            raise InactiveLocation(location_id)
        current = self._settings().store
        store = replace(
            current,
            location_id=record.id,
            location_name=record.name,
            address=record.address,
            phone=record.phone or "",
            email=record.email or "",
            website=record.website or "",
            timezone=record.timezone or current.timezone,
        )
        return LocationChoice(record.id, store)
