"""What the customers and locations services share: the API's lists read page by page, and the
till's copy of the server's documents (SQLite), searchable and kept for offline use.

Documents to cache are passed as `Any`: the cache reads the fields it needs by attribute (the
shape is `CacheEntry` below), and a Protocol parameter would make every adapter's narrower
concrete type look incompatible.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

T_co = TypeVar("T_co", covariant=True)


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
