"""The Smartbills v1 client: one httpx.AsyncClient, kept open for the life of the app.

Every failure leaves here as a pos_app.domain.remote error (the services decide what it means
for a sale). Receipts are posted as the exact bytes the caller stored, with their receiptId as
the Idempotency-Key, so every attempt of one sale is the same request.

On 409 DUPLICATE_RECEIPT, `create_receipt` does not raise: it returns
SubmittedReceipt(duplicate=True), after one GET of the server's id when the 409 names it (for
the receipt's url). The server holding the receipt is the outcome the queue wants.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from ipaddress import ip_address
from typing import Any, Literal, TypeVar
from urllib.parse import quote, urlsplit

import httpx
from pydantic import BaseModel, ValidationError

import pos_app
from pos_app.adapters.api.auth import AuthConfig, make_token_provider
from pos_app.adapters.api.errors import (
    ConflictError,
    error_for_response,
    error_for_transport,
)
from pos_app.adapters.api.mapping import (
    customer_create_request,
    customer_update_request,
    location_request,
)
from pos_app.adapters.api.schemas import (
    SBCustomer,
    SBList,
    SBLocation,
    SBReceipt,
    WireModel,
    dump_request_json,
    parse_json,
)
from pos_app.domain.customers import CustomerDraft
from pos_app.domain.locations import LocationDraft
from pos_app.domain.remote import RemoteError, RemoteUnavailable, SubmittedReceipt

log = logging.getLogger("pos_app.api")

RouteMode = Literal["unscoped", "scoped"]
Language = Literal["fr-CA", "en-CA", "en-US"]
LANGUAGES: tuple[Language, ...] = ("fr-CA", "en-CA", "en-US")
SortOrder = Literal["asc", "desc"]
# Beyond 8 connections throughput falls on these machines (../shared/qt-facts.md).
MAX_CONNECTIONS = 8
_JSON = {"Content-Type": "application/json"}

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class SmartbillsConfig:
    base_url: str
    auth: AuthConfig
    business_id: str | None = None
    route_mode: RouteMode | None = None  # None: scoped when business_id is set
    language: Language = "fr-CA"
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0
    max_connections: int = MAX_CONNECTIONS

    def __post_init__(self) -> None:
        if urlsplit(self.base_url).scheme not in ("http", "https"):
            raise ValueError("base_url must be an http(s) URL")
        if self.route_mode not in (None, "unscoped", "scoped"):
            raise ValueError(f"unknown route mode {self.route_mode!r}")
        if self.effective_route_mode == "scoped" and not self.business_id:
            raise ValueError("scoped routes need a business_id")
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
        if not 1 <= self.max_connections <= MAX_CONNECTIONS:
            raise ValueError(f"max_connections must be between 1 and {MAX_CONNECTIONS}")

    @property
    def effective_route_mode(self) -> RouteMode:
        if self.route_mode:
            return self.route_mode
        return "scoped" if self.business_id else "unscoped"


@dataclass(frozen=True)
class ServerReceipt:
    """A receipt as a server list shows it, reduced to what the sync worker's look-up needs."""

    receipt_id: str | None
    server_id: str | None
    url: str | None
    created_at: datetime | None


@dataclass(frozen=True)
class RecentReceipts:
    receipts: list[ServerReceipt]
    is_last: bool  # no older receipts after these


# A list method of this client, e.g. `client.list_customers`: called with page= and page_size=.
PageFetcher = Callable[..., Awaitable[SBList[M]]]


class SmartbillsClient:
    def __init__(self, config: SmartbillsConfig):
        self._config = config
        self._http = httpx.AsyncClient(
            base_url=config.base_url,
            headers=self._default_headers(),
            timeout=httpx.Timeout(
                config.read_timeout_s,
                connect=config.connect_timeout_s,
                pool=config.connect_timeout_s,
            ),
            limits=httpx.Limits(
                max_connections=config.max_connections,
                max_keepalive_connections=config.max_connections,
            ),
            verify=True,
            follow_redirects=False,
            # A sandbox on this machine is never behind the shop's proxy.
            trust_env=not _is_loopback(config.base_url),
        )
        self._auth = make_token_provider(config.auth, self._http)

    def __repr__(self) -> str:
        return f"SmartbillsClient({self._config!r})"

    @property
    def config(self) -> SmartbillsConfig:
        return self._config

    def _default_headers(self) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "Accept-Language": self._config.language,
            "User-Agent": f"pos-app/{pos_app.__version__}",
        }
        if self._config.business_id:
            headers["x-tenant-id"] = self._config.business_id
        return headers

    async def __aenter__(self) -> SmartbillsClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def on_new_token(self, callback: Callable[[], None]) -> None:
        """`callback()` after each access token the token endpoint issues: proof that the
        credentials work (the sync worker ends a pause with it)."""
        self._auth.on_new_token = callback

    async def warm_up(self) -> bool:
        """Open a connection (and fetch a token) before the first real request needs one.
        Returns whether the server answered; being offline now is not an error."""
        try:
            await self._auth.token()
            await self._http.get("/")
        except (RemoteError, httpx.HTTPError) as exc:
            log.info("warm-up did not reach the server (%s)", type(exc).__name__)
            return False
        return True

    # ----------------------------------------------------------------------------------------
    # Receipts

    async def create_receipt(self, receipt_id: str, body: bytes) -> SubmittedReceipt:
        """POST the stored bytes unchanged. A duplicate is a success (see the module doc)."""
        headers = {**_JSON, "Idempotency-Key": receipt_id}
        try:
            response = await self._request(
                "POST", self._path("receipts"), content=body, headers=headers, is_create=True
            )
        except ConflictError as conflict:
            if not conflict.is_duplicate_receipt:
                raise
            return await self._duplicate(receipt_id, conflict.existing_id)
        return _submitted(receipt_id, _read_model(response.content, SBReceipt))

    async def create_receipts_batch(
        self, items: Sequence[tuple[str, bytes]]
    ) -> list[SubmittedReceipt | RemoteError]:
        """POST many stored bodies as one JSON array. The answer is read as both official SDKs
        read it: a plain array of SBReceipt, in the order sent. One outcome per item; an item
        whose answer cannot be matched to it (unreadable, or another receiptId) is ambiguous.
        A refusal of the batch (400: one invalid item refuses all of it) raises, and nothing
        of it was stored."""
        if not items:
            return []
        body = b"[" + b",".join(payload for _, payload in items) + b"]"
        response = await self._request(
            "POST", self._path("receipts", "batch"), content=body, headers=_JSON, is_create=True
        )
        results = _read_json(response.content)
        if not isinstance(results, list) or len(results) != len(items):
            raise RemoteUnavailable(
                "the batch answer does not match the request",
                maybe_delivered=True,
                status=response.status_code,
            )
        return [
            _batch_outcome(receipt_id, result)
            for (receipt_id, _), result in zip(items, results, strict=True)
        ]

    async def get_receipt(self, server_id: str) -> SBReceipt:
        response = await self._request("GET", self._path("receipts", server_id))
        return _model(response, SBReceipt)

    async def list_receipts(
        self,
        *,
        page: int = 1,
        page_size: int = 100,
        order_by: str = "createdAt",
        sort_order: SortOrder = "desc",
    ) -> SBList[SBReceipt]:
        return await self._list(
            "receipts", SBList[SBReceipt], page, page_size, order_by, sort_order
        )

    async def recent_receipts(self, *, page: int, page_size: int = 100) -> RecentReceipts:
        """One page of the server's receipts, newest first (orderBy=createdAt, desc): what the
        sync worker reads to find out whether a receipt it may have sent is already there."""
        listed = await self.list_receipts(
            page=page, page_size=page_size, order_by="createdAt", sort_order="desc"
        )
        return RecentReceipts(
            receipts=[ServerReceipt(r.receipt_id, r.id, r.url, r.created) for r in listed.data],
            is_last=_is_last_page(listed, page, page_size),
        )

    async def _duplicate(self, receipt_id: str, server_id: str | None) -> SubmittedReceipt:
        url = None
        if server_id:
            try:
                url = (await self.get_receipt(server_id)).url
            except RemoteError as exc:
                # The server has the receipt either way; the url can be fetched later.
                log.info(
                    "duplicate receipt %s: could not fetch its url (%s)",
                    receipt_id,
                    type(exc).__name__,
                )
        return SubmittedReceipt(receipt_id=receipt_id, server_id=server_id, url=url, duplicate=True)

    # ----------------------------------------------------------------------------------------
    # Customers

    async def create_customer(self, customer: CustomerDraft) -> SBCustomer:
        """Creates a customer from its plain fields (first_name, last_name, locale, email,
        phone). A ValueError (pydantic's) says what the request shape refused, before sending."""
        request = customer_create_request(customer)
        return await self._write(
            "POST", self._path("customers"), request, SBCustomer, is_create=True
        )

    async def get_customer(self, customer_id: str) -> SBCustomer:
        return _model(await self._request("GET", self._path("customers", customer_id)), SBCustomer)

    async def update_customer(self, customer_id: str, customer: CustomerDraft) -> SBCustomer:
        request = customer_update_request(customer)
        return await self._write("PUT", self._path("customers", customer_id), request, SBCustomer)

    async def delete_customer(self, customer_id: str) -> None:
        await self._request("DELETE", self._path("customers", customer_id))

    async def list_customers(
        self,
        *,
        page: int = 1,
        page_size: int = 100,
        order_by: str = "createdAt",
        sort_order: SortOrder = "desc",
    ) -> SBList[SBCustomer]:
        return await self._list(
            "customers", SBList[SBCustomer], page, page_size, order_by, sort_order
        )

    # ----------------------------------------------------------------------------------------
    # Locations

    async def create_location(self, location: LocationDraft) -> SBLocation:
        """Creates a location from its plain fields (a LocationDraft)."""
        request = location_request(location)
        return await self._write(
            "POST", self._path("locations"), request, SBLocation, is_create=True
        )

    async def get_location(self, location_id: str) -> SBLocation:
        return _model(await self._request("GET", self._path("locations", location_id)), SBLocation)

    async def update_location(self, location_id: str, location: LocationDraft) -> SBLocation:
        request = location_request(location)
        return await self._write("PUT", self._path("locations", location_id), request, SBLocation)

    async def delete_location(self, location_id: str) -> None:
        await self._request("DELETE", self._path("locations", location_id))

    async def list_locations(
        self,
        *,
        page: int = 1,
        page_size: int = 100,
        order_by: str = "createdAt",
        sort_order: SortOrder = "desc",
    ) -> SBList[SBLocation]:
        return await self._list(
            "locations", SBList[SBLocation], page, page_size, order_by, sort_order
        )

    # ----------------------------------------------------------------------------------------
    # Pages

    async def iter_pages(
        self, fetch: PageFetcher[M], *, page_size: int = 100, **params: Any
    ) -> AsyncIterator[SBList[M]]:
        """Every non-empty page of a list, e.g. `iter_pages(client.list_customers)`. Stops on a
        short or empty page, or once `page >= totalPages`."""
        page = 1
        while True:
            result = await fetch(page=page, page_size=page_size, **params)
            if result.data:
                yield result
            if _is_last_page(result, page, page_size):
                return
            page += 1

    # ----------------------------------------------------------------------------------------
    # Plumbing

    def _path(self, resource: str, *parts: str) -> str:
        config = self._config
        if config.effective_route_mode == "scoped":
            base = f"/v1/businesses/{quote(config.business_id or '', safe='')}/{resource}"
        else:
            base = f"/v1/{resource}"
        return "/".join([base, *(quote(part, safe="") for part in parts)])

    async def _list(
        self,
        resource: str,
        model: type[M],
        page: int,
        page_size: int,
        order_by: str,
        sort_order: SortOrder,
    ) -> M:
        params: dict[str, str | int] = {
            "page": page,
            "pageSize": page_size,
            "orderBy": order_by,
            "sortOrder": sort_order,
        }
        return _model(await self._request("GET", self._path(resource), params=params), model)

    async def _write(
        self, method: str, path: str, body: WireModel, model: type[M], *, is_create: bool = False
    ) -> M:
        content = dump_request_json(body)
        response = await self._request(
            method, path, content=content, headers=_JSON, is_create=is_create
        )
        return _model(response, model)

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        is_create: bool = False,
    ) -> httpx.Response:
        """Send once; on 401 renew the token once and send again. Non-2xx raises."""
        token = await self._auth.token()
        response = await self._send(method, path, token, params, content, headers)
        if response.status_code == 401 and self._auth.can_refresh:
            log.info("%s %s: token refused, renewing it once", method, path)
            token = await self._auth.refresh(token)
            response = await self._send(method, path, token, params, content, headers)
        if not response.is_success:
            raise error_for_response(
                response.status_code,
                response.headers,
                response.content,
                is_create=is_create,
                secrets=self._auth.secrets(),
            )
        return response

    async def _send(
        self,
        method: str,
        path: str,
        token: str,
        params: Mapping[str, str | int] | None,
        content: bytes | None,
        headers: Mapping[str, str] | None,
    ) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = await self._http.request(
                method,
                path,
                params=params,
                content=content,
                headers={**(headers or {}), "Authorization": f"Bearer {token}"},
            )
        except httpx.HTTPError as exc:
            error = error_for_transport(exc, self._auth.secrets())
            log.warning("%s %s failed: %s", method, path, error.message)
            raise error from None
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.debug("%s %s -> %d in %.1f ms", method, path, response.status_code, elapsed_ms)
        return response


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _is_last_page(result: SBList[Any], page: int, page_size: int) -> bool:
    total_pages = result.total_pages
    return len(result.data) < page_size or (total_pages is not None and page >= total_pages)


def _submitted(receipt_id: str, receipt: SBReceipt | None) -> SubmittedReceipt:
    if receipt is None:
        # Created, but the answer was unreadable: the receipt is done, the id can come later.
        return SubmittedReceipt(receipt_id=receipt_id)
    return SubmittedReceipt(receipt_id=receipt_id, server_id=receipt.id, url=receipt.url)


def _batch_outcome(receipt_id: str, result: object) -> SubmittedReceipt | RemoteError:
    receipt = _validate(result, SBReceipt)
    if receipt is None or (receipt.receipt_id not in (None, receipt_id)):
        return RemoteUnavailable("the batch answer has an unreadable item", maybe_delivered=True)
    return _submitted(receipt_id, receipt)


def _read_json(content: bytes) -> Any:
    try:
        return parse_json(content)
    except ValueError:
        return None


def _unwrap(data: Any) -> Any:
    # Some deployments wrap a single resource as {"data": {...}}.
    if isinstance(data, dict) and set(data) == {"data"} and isinstance(data["data"], dict):
        return data["data"]
    return data


def _validate(data: Any, model: type[M]) -> M | None:
    try:
        return model.model_validate(_unwrap(data))
    except ValidationError:
        return None


def _read_model(content: bytes, model: type[M]) -> M | None:
    return _validate(_read_json(content), model)


def _model(response: httpx.Response, model: type[M]) -> M:
    parsed = _read_model(response.content, model)
    if parsed is None:
        raise RemoteUnavailable(
            f"unreadable answer from the server (HTTP {response.status_code})",
            maybe_delivered=True,
            status=response.status_code,
        )
    return parsed
