"""The business's locations on Smartbills: listed for the settings screen (and kept for
offline use), created, changed and deleted (checked field by field first, by the rules in
pos_app/domain/locations.py), and the one this till belongs to chosen, which fills the store
block printed on receipts (name, address, phone, timezone).

Unlike customers, a location is never created on the till while offline: it is the store
itself, other tills and the receipts' server copies name it by the server's id, and a local
one would print an address on receipts that the API may then refuse (a location is unique by
email or phone). Writing therefore needs the API, and says so when it cannot be reached.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from pos_app.domain.locations import (
    ADDRESS_FIELDS,
    EDITABLE_FIELDS,
    LocationDraft,
    LocationInvalid,
    LocationRecord,
    apply_changes,
    time_zones,
    validate_changes,
    validate_location,
)
from pos_app.domain.receipt import Address, StoreInfo
from pos_app.domain.remote import RemoteNotFound, RemoteUnavailable
from pos_app.services.cached_listing import CachedList, is_listing
from pos_app.services.copy_listing import FromCopyWhenUnavailable
from pos_app.services.ports.documents import CachedDoc, CacheEntry, DocumentCache
from pos_app.services.ports.locations import AddressDoc, LocationDoc, LocationsApi
from pos_app.services.settings import Settings

__all__ = [
    "EDITABLE_FIELDS",
    "InactiveLocation",
    "LocationChoice",
    "LocationDraft",
    "LocationInvalid",
    "LocationListing",
    "LocationRecord",
    "LocationService",
    "UnknownLocation",
    "time_zones",
    "validate_changes",
    "validate_location",
]

PAGE_SIZE = 100
T = TypeVar("T")


class UnknownLocation(LookupError):
    def __init__(self, location_id: str):
        super().__init__(f"no location with id {location_id}")
        self.location_id = location_id


class InactiveLocation(ValueError):
    def __init__(self, location_id: str):
        super().__init__(f"location {location_id} is not active")
        self.location_id = location_id


@dataclass(frozen=True)
class LocationListing(FromCopyWhenUnavailable):
    locations: list[LocationRecord]
    failure: RemoteUnavailable | None = None


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
    return Address(**{name: getattr(doc, name) or "" for name in ADDRESS_FIELDS})


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
        merchant_category_code=doc.merchant_category_code,
    )


def _entry(record: LocationRecord) -> CacheEntry:
    doc: dict[str, Any] = {
        "name": record.name,
        "address": {name: getattr(record.address, name) for name in ADDRESS_FIELDS},
        "phone": record.phone,
        "email": record.email,
        "website": record.website,
        "timezone": record.timezone,
        "currency": record.currency,
        "locale": record.locale,
        "description": record.description,
        "is_active": record.is_active,
        "merchant_category_code": record.merchant_category_code,
    }
    return CacheEntry(record.id, doc, record.name, record.email or "", record.phone or "")


def _from_cache(cached: CachedDoc) -> LocationRecord:
    d = cached.doc
    address = d.get("address") or {}
    return LocationRecord(
        id=cached.id,
        name=str(d.get("name") or ""),
        address=Address(**{name: str(address.get(name) or "") for name in ADDRESS_FIELDS}),
        phone=d.get("phone"),
        email=d.get("email"),
        website=d.get("website"),
        timezone=d.get("timezone"),
        currency=d.get("currency"),
        locale=d.get("locale"),
        description=d.get("description"),
        is_active=d.get("is_active"),
        merchant_category_code=d.get("merchant_category_code"),
    )


class LocationService:
    def __init__(
        self,
        api: LocationsApi,
        cache: DocumentCache,
        settings: Callable[[], Settings],
        *,
        save_settings: Callable[[Settings], None],
        page_size: int = PAGE_SIZE,
    ):
        self._api = api
        self._save_settings = save_settings
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
            return LocationListing(cached, error)
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

    async def use_for_this_till(self, location_id: str) -> LocationChoice:
        """Makes this till belong to the location: chooses it (see `choose`) and saves the
        settings, so the next receipt carries its details. Raises as `choose` does, and as
        saving settings does (SettingsInvalid, OSError)."""
        choice = await self.choose(location_id)
        self._save_settings(choice.apply(self._settings()))
        return choice

    # -- writing (needs the API) ----------------------------------------------------------

    async def create(self, draft: LocationDraft) -> LocationRecord:
        """Checks the location (LocationInvalid, before any request), creates it on the
        server and adds it to the till's copy. A location with the email or phone of another
        is refused by the server (RemoteConflict)."""
        clean = validate_location(draft)
        record = _from_api(await self._writing(self._api.create_location(clean)))
        await self._listing.put(_entry(record))
        return record

    async def update(self, location_id: str, draft: LocationDraft) -> LocationRecord:
        """Replaces the location's fields (the API's PUT takes the whole location: start
        from `record.draft()`). Raises LocationInvalid before any request, UnknownLocation
        when the server no longer has it."""
        clean = validate_location(draft)
        if is_listing(location_id):
            raise UnknownLocation(location_id)
        try:
            doc = await self._writing(self._api.update_location(location_id, clean))
        except RemoteNotFound:
            await self._listing.discard(location_id)
            raise UnknownLocation(location_id) from None
        record = _from_api(doc)
        await self._listing.put(_entry(record))
        return record

    async def patch(
        self, location_id: str, changes: Mapping[str, str | bool | None]
    ) -> LocationRecord:
        """Changes only the fields named in `changes` (flat names, see EDITABLE_FIELDS;
        None or "" clears an optional one): checked before any request, then merged into
        the server's current location, which is checked again and sent whole."""
        checked = validate_changes(changes)
        current = await self._writing(self.show(location_id))
        return await self.update(current.id, apply_changes(current.draft(), checked))

    async def delete(self, location_id: str) -> None:
        """Deletes on the server and from the till's copy. A till that belonged to it keeps
        the store block saved in its settings (its receipts are unchanged)."""
        if is_listing(location_id):
            raise UnknownLocation(location_id)
        try:
            await self._writing(self._api.delete_location(location_id))
        except RemoteNotFound:
            await self._listing.discard(location_id)
            raise UnknownLocation(location_id) from None
        await self._listing.discard(location_id)

    async def _writing(self, call: Awaitable[T]) -> T:
        """Awaits a request that changes locations, turning "unreachable" into a message that
        says what to do: there is no offline copy to fall back on for these. The adapter
        builds the wire request from the draft's plain fields; a ValueError from its shape's
        own checks (validate_location is stricter, so the two drifted apart) is still the
        caller's kind of error, not a crash."""
        try:
            return await call
        except ValueError as error:
            first_line = str(error).splitlines()[0] if str(error) else "invalid location"
            raise LocationInvalid([f"location: {first_line}"]) from None
        except RemoteUnavailable as error:
            raise RemoteUnavailable(
                f"the API is unreachable ({error.message}); locations are created, changed "
                "and deleted on the API only: try again once it answers",
                maybe_delivered=error.maybe_delivered,
                status=error.status,
            ) from error
