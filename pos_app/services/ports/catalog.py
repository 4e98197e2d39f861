"""Ports of the catalog, customers, locations, history and held-carts services.

Like the other ports, row and document shapes are Protocols: the services read adapter objects
by attribute and never import them.

Where a service hands an object *to* an adapter (products to import, documents to cache), the
parameter is typed `Any`: the adapter reads the fields it needs by attribute (the shapes are
`ProductFields` and `CacheEntry` below), and a Protocol parameter would make every adapter's
narrower concrete type look incompatible.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol, TypeVar

T_co = TypeVar("T_co", covariant=True)

# ---------------------------------------------------------------------------------------------
# Catalog (SQLite)


class ProductRow(Protocol):
    """A catalog product as the store returns it."""

    @property
    def sku(self) -> str: ...
    @property
    def name_fr(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def barcode(self) -> str: ...
    @property
    def unit(self) -> str: ...  # "kg" for a product sold by weight, "" for pieces
    @property
    def taxes(self) -> str: ...  # a tax code such as "GST+QST"; "" when zero-rated


class CatalogStore(Protocol):
    def import_rows(self, rows: Iterable[Any], *, replace_all: bool = False) -> Awaitable[int]: ...
    def find_by_code(self, code: str) -> Awaitable[ProductRow | None]: ...
    def barcode_owners(self, barcodes: Sequence[str]) -> Awaitable[dict[str, str]]:
        """The SKU holding each of `barcodes` that some product has."""
        ...

    def search(self, text: str, limit: int = 20) -> Awaitable[Sequence[ProductRow]]: ...
    def count(self) -> Awaitable[int]: ...


# ---------------------------------------------------------------------------------------------
# Local copies of server documents (SQLite)


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """What the services give a document cache to keep: the document (in the services' own
    plain names, never wire names) and the texts it is searched by."""

    id: str
    doc: Mapping[str, Any]
    name: str = ""
    email: str = ""
    phone: str = ""


class CachedDoc(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def doc(self) -> Mapping[str, Any]: ...
    @property
    def pending_create(self) -> bool: ...
    @property
    def updated_at(self) -> datetime | None: ...


class DocumentCache(Protocol):
    def upsert_many(self, docs: Iterable[Any]) -> Awaitable[int]: ...
    def get(self, doc_id: str) -> Awaitable[CachedDoc | None]: ...
    def search(self, text: str, limit: int = 20) -> Awaitable[Sequence[CachedDoc]]: ...
    def remove(self, doc_id: str) -> Awaitable[bool]: ...


class CustomerDocCache(DocumentCache, Protocol):
    def create_local(
        self, doc: Mapping[str, Any], name: str = "", email: str = "", phone: str = ""
    ) -> Awaitable[CachedDoc]: ...
    def list_pending(self) -> Awaitable[Sequence[CachedDoc]]: ...
    def replace_local_id(self, local_id: str, created: Any) -> Awaitable[None]: ...


# ---------------------------------------------------------------------------------------------
# The Smartbills API: customers and locations


class Page(Protocol[T_co]):
    """One page of a server list."""

    @property
    def data(self) -> Sequence[T_co]: ...


class Pager(Protocol):
    def iter_pages(
        self, fetch: Callable[..., Awaitable[Any]], *, page_size: int = 100
    ) -> AsyncIterator[Page[Any]]:
        """Every non-empty page of `fetch`'s list, stopping where the contract says."""
        ...


class AddressDoc(Protocol):
    @property
    def line1(self) -> str | None: ...
    @property
    def line2(self) -> str | None: ...
    @property
    def city(self) -> str | None: ...
    @property
    def state(self) -> str | None: ...
    @property
    def state_code(self) -> str | None: ...
    @property
    def country(self) -> str | None: ...
    @property
    def country_code(self) -> str | None: ...
    @property
    def postal_code(self) -> str | None: ...


class CustomerDoc(Protocol):
    """A customer as the API returns it (read by attribute, in plain names)."""

    @property
    def id(self) -> str | None: ...
    @property
    def first_name(self) -> str | None: ...
    @property
    def last_name(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def company(self) -> str | None: ...
    @property
    def locale(self) -> str | None: ...


class CustomersApi(Pager, Protocol):
    """Requests are given as the service's own drafts (plain field names); the adapter maps
    them to the API's shapes."""

    def create_customer(self, customer: Any) -> Awaitable[CustomerDoc]: ...
    def get_customer(self, customer_id: str) -> Awaitable[CustomerDoc]: ...
    def update_customer(self, customer_id: str, customer: Any) -> Awaitable[CustomerDoc]: ...
    def delete_customer(self, customer_id: str) -> Awaitable[None]: ...
    def list_customers(self, *, page: int = 1, page_size: int = 100) -> Awaitable[Page[Any]]: ...


class LocationDoc(Protocol):
    @property
    def id(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def description(self) -> str | None: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def timezone(self) -> str | None: ...
    @property
    def phone_number(self) -> str | None: ...
    @property
    def website(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def locale(self) -> str | None: ...
    @property
    def is_active(self) -> bool | None: ...
    @property
    def merchant_category_code(self) -> str | None: ...
    @property
    def address(self) -> AddressDoc | None: ...


class LocationsApi(Pager, Protocol):
    """Like CustomersApi: given drafts, the adapter maps them."""

    def create_location(self, location: Any) -> Awaitable[LocationDoc]: ...
    def get_location(self, location_id: str) -> Awaitable[LocationDoc]: ...
    def update_location(self, location_id: str, location: Any) -> Awaitable[LocationDoc]: ...
    def delete_location(self, location_id: str) -> Awaitable[None]: ...
    def list_locations(self, *, page: int = 1, page_size: int = 100) -> Awaitable[Page[Any]]: ...


# ---------------------------------------------------------------------------------------------
# Held carts (SQLite)


class HeldCartRow(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def cart_json(self) -> str: ...


class HeldCartStore(Protocol):
    def hold(self, label: str, cart_json: str) -> Awaitable[HeldCartRow]: ...
    def get(self, cart_id: int) -> Awaitable[HeldCartRow | None]: ...
    def take(self, cart_id: int) -> Awaitable[HeldCartRow | None]: ...
    def delete(self, cart_id: int) -> Awaitable[bool]: ...
    def list_all(self) -> Awaitable[Sequence[HeldCartRow]]: ...


# ---------------------------------------------------------------------------------------------
# Shapes the services hand to adapters


@dataclass(frozen=True, slots=True)
class ProductFields:
    """A product to import, in the attribute names the catalog store reads."""

    sku: str
    name_fr: str
    name_en: str
    unit_price: Decimal
    barcode: str = ""
    unit: str = ""
    taxes: str = ""
