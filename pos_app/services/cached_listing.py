"""The server's list of customers or locations as last seen, kept in the document cache so the
till can show it offline.

The cache finds documents by id or by search words, but cannot list them all; the listing is
therefore kept as one more document (the ids, in the server's order) next to the others. It
also tells which documents the server has dropped since: those are removed at each refresh.
"""

from __future__ import annotations

from collections.abc import Sequence

from pos_app.services.ports.documents import CachedDoc, CacheEntry, DocumentCache

# Not a server id (those are UUIDs) and with no searchable text, so no search can return it.
LISTING_ID = "pos-app:listing"


class CachedList:
    def __init__(self, cache: DocumentCache):
        self._cache = cache

    async def ids(self) -> list[str]:
        listing = await self._cache.get(LISTING_ID)
        ids = listing.doc.get("ids", []) if listing is not None else []
        return [str(doc_id) for doc_id in ids]

    async def replace(self, entries: Sequence[CacheEntry]) -> None:
        """A full list from the server: stores every document and the new listing in one
        transaction, then forgets the documents the server no longer lists."""
        before = set(await self.ids())
        ids = [entry.id for entry in entries]
        await self._cache.upsert_many([*entries, _listing(ids)])
        for gone in before.difference(ids):
            await self._cache.remove(gone)

    async def put(self, entry: CacheEntry) -> None:
        """One document the server just returned; a new one goes first (newest first, as
        the server lists them)."""
        ids = await self.ids()
        if entry.id in ids:
            await self._cache.upsert_many([entry])
        else:
            await self._cache.upsert_many([entry, _listing([entry.id, *ids])])

    async def discard(self, doc_id: str) -> None:
        """A document the server no longer has (deleted here, or answered 404)."""
        ids = await self.ids()
        if doc_id in ids:
            await self._cache.upsert_many([_listing([i for i in ids if i != doc_id])])
        await self._cache.remove(doc_id)

    async def docs(self, limit: int | None = None) -> list[CachedDoc]:
        """The cached documents in the server's order (at most `limit`)."""
        found: list[CachedDoc] = []
        for doc_id in await self.ids():
            if limit is not None and len(found) >= limit:
                break
            doc = await self._cache.get(doc_id)
            if doc is not None:
                found.append(doc)
        return found


def _listing(ids: list[str]) -> CacheEntry:
    return CacheEntry(LISTING_ID, {"ids": ids})


def is_listing(doc_id: str) -> bool:
    return doc_id == LISTING_ID
