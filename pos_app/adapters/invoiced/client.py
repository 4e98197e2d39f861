"""The Invoiced client (customers, their balance, statement e-mails): one httpx.AsyncClient.

Why not the official `invoiced` Python package: it is synchronous (requests), so every call
would need a thread of its own to keep the till's window responsive, and it retries nothing
and maps nothing; here the till gets the same awaited I/O, the same remote errors and the same
backoff as its Smartbills client, and amounts stay Decimal end to end.

HTTP Basic with the API key as user name and an empty password. The key lives only in the
Authorization header: it is never logged, and removed (in both its forms) from any message.

Retries: 429 waits Retry-After (or backs off) for every request; 5xx and a lost answer are
retried, with backoff, only where a resend cannot do anything twice (GET, PATCH, DELETE). A
create that may have landed is looked up by its number before it is sent again.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from ipaddress import ip_address
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ValidationError

import pos_app
from pos_app.adapters.invoiced.errors import (
    error_for_response,
    error_for_transport,
    key_forms,
)
from pos_app.adapters.invoiced.wire import (
    InvoicedBalance,
    InvoicedCustomer,
    InvoicedEmail,
    customer_body,
    encode_json,
    parse_json,
)
from pos_app.domain.accounts import Account, AccountBalance, AccountPage, account_fields
from pos_app.domain.remote import (
    RemoteError,
    RemoteRateLimited,
    RemoteUnavailable,
)

log = logging.getLogger("pos_app.invoiced")

MAX_PER_PAGE = 100
_IDEMPOTENT = frozenset({"GET", "PATCH", "DELETE"})
_JSON = {"Content-Type": "application/json"}

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class InvoicedConfig:
    base_url: str
    api_key: str = field(repr=False)
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 20.0
    max_retries: int = 3
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 8.0
    # A Retry-After longer than this is not waited out at the counter: the error goes up.
    max_wait_s: float = 30.0

    def __post_init__(self) -> None:
        if urlsplit(self.base_url).scheme not in ("http", "https"):
            raise ValueError("the Invoiced URL must be an http(s) URL")


Sleep = Callable[[float], Awaitable[None]]


class InvoicedClient:
    def __init__(self, config: InvoicedConfig, *, sleep: Sleep = asyncio.sleep):
        self._config = config
        self._secrets = key_forms(config.api_key)
        self._sleep = sleep
        self._random = random.Random()
        self._http = httpx.AsyncClient(
            base_url=config.base_url,
            auth=httpx.BasicAuth(config.api_key, ""),
            headers={"Accept": "application/json", "User-Agent": f"pos-app/{pos_app.__version__}"},
            timeout=httpx.Timeout(
                config.read_timeout_s,
                connect=config.connect_timeout_s,
                pool=config.connect_timeout_s,
            ),
            follow_redirects=False,
            # A sandbox on this machine is never behind the shop's proxy.
            trust_env=not _is_loopback(config.base_url),
        )

    def __repr__(self) -> str:
        return f"InvoicedClient(base_url={self._config.base_url!r})"

    @property
    def base_url(self) -> str:
        return self._config.base_url

    async def __aenter__(self) -> InvoicedClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # ----------------------------------------------------------------------------------------
    # Customers

    async def create_customer(self, values: Mapping[str, object]) -> Account:
        """POST /customers once (429 waited out; nothing else resent)."""
        response = await self._request("POST", "/customers", body=customer_body(values))
        return _model(response, InvoicedCustomer).to_account()

    async def create_account(self, account: Account) -> Account:
        """Create `account` under its own number, exactly once: after an answer that was lost
        (the server may have created it), look the number up before posting again."""
        attempt = 0
        while True:
            try:
                return await self.create_customer(account_fields(account))
            except RemoteUnavailable as error:
                if not error.maybe_delivered:
                    raise
                found = await self.find_by_number(account.number)
                if found is not None:
                    log.info("create of %s: found on Invoiced after a lost answer", account.number)
                    return found
                attempt += 1
                if attempt > self._config.max_retries:
                    raise
                await self._sleep(self._backoff(attempt))

    async def get_customer(self, customer_id: int) -> Account:
        response = await self._request("GET", f"/customers/{int(customer_id)}")
        return _model(response, InvoicedCustomer).to_account()

    async def update_customer(self, customer_id: int, changes: Mapping[str, object]) -> Account:
        """PATCH only `changes` (the fields that changed, see domain.accounts.account_changes)."""
        if not changes:
            raise ValueError("nothing to change")
        response = await self._request(
            "PATCH", f"/customers/{int(customer_id)}", body=customer_body(changes)
        )
        return _model(response, InvoicedCustomer).to_account()

    async def delete_customer(self, customer_id: int) -> None:
        await self._request("DELETE", f"/customers/{int(customer_id)}")

    async def list_customers(
        self,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        filters: Mapping[str, str | int | bool] | None = None,
        updated_after: datetime | int | None = None,
        sort: str | None = None,
    ) -> AccountPage:
        params = _list_params(per_page, filters, updated_after, sort)
        params["page"] = str(page)
        return self._page(await self._request("GET", "/customers", params=params))

    async def iter_customers(
        self,
        *,
        per_page: int = MAX_PER_PAGE,
        filters: Mapping[str, str | int | bool] | None = None,
        updated_after: datetime | int | None = None,
        sort: str | None = None,
    ) -> AsyncIterator[AccountPage]:
        """Every page in order, following the Link header's rel="next" to the end."""
        page = await self.list_customers(
            per_page=per_page, filters=filters, updated_after=updated_after, sort=sort
        )
        yield page
        seen: set[str | None] = {None}
        while page.next_url not in seen:
            seen.add(page.next_url)
            next_url = self._own_url(page.next_url)
            page = self._page(await self._request("GET", next_url))
            yield page

    async def all_customers(self, **query: Any) -> list[Account]:
        """Every customer the list holds, across all pages (`query` as iter_customers)."""
        accounts: list[Account] = []
        async for page in self.iter_customers(**query):
            accounts.extend(page.accounts)
        return accounts

    async def find_by_number(self, number: str) -> Account | None:
        page = await self.list_customers(per_page=1, filters={"number": number})
        return next((a for a in page.accounts if a.number == number), None)

    async def get_balance(self, customer_id: int, currency: str | None = None) -> AccountBalance:
        params = {"currency": currency.lower()} if currency else None
        response = await self._request(
            "GET", f"/customers/{int(customer_id)}/balance", params=params
        )
        return _model(response, InvoicedBalance).to_balance()

    async def send_statement(
        self, customer_id: int, *, to: Sequence[tuple[str, str]] = (), kind: str = "open_item"
    ) -> int:
        """E-mail the account statement (to its contacts, or to `to`: (name, e-mail) pairs).
        Returns how many e-mails Invoiced says it sent. Never resent after a lost answer: a
        second statement in someone's inbox is worse than asking the cashier to try again."""
        body: dict[str, object] = {"type": kind}
        if to:
            body["to"] = [{"name": name, "email": email} for name, email in to]
        response = await self._request("POST", f"/customers/{int(customer_id)}/emails", body=body)
        data = _read_json(response.content)
        if not isinstance(data, list):
            return 0
        return sum(1 for item in data if _validate(item, InvoicedEmail) is not None)

    # ----------------------------------------------------------------------------------------
    # Plumbing

    def _own_url(self, url: str | None) -> str:
        """A Link target, if it is on the configured server (the key goes with it)."""
        base, link = urlsplit(self._config.base_url), urlsplit(url or "")
        if (link.scheme, link.netloc) != (base.scheme, base.netloc):
            raise RemoteUnavailable(
                "Invoiced's next-page link points elsewhere", maybe_delivered=False
            )
        return url or ""

    def _page(self, response: httpx.Response) -> AccountPage:
        data = _read_json(response.content)
        if not isinstance(data, list):
            raise _unreadable(response)
        customers = [_validate(item, InvoicedCustomer) for item in data]
        total = response.headers.get("x-total-count", "")
        next_link = response.links.get("next", {}).get("url")
        return AccountPage(
            accounts=tuple(c.to_account() for c in customers if c is not None),
            total_count=int(total) if total.isdigit() else None,
            next_url=next_link or None,
        )

    async def _request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, object] | None = None,
    ) -> httpx.Response:
        content = None if body is None else encode_json(body)
        attempt = 0
        while True:
            try:
                return await self._send_once(method, url, params, content)
            except RemoteRateLimited as error:
                wait = error.retry_after
                if wait is None:
                    wait = self._backoff(attempt + 1)
                if attempt >= self._config.max_retries or wait > self._config.max_wait_s:
                    raise
            except RemoteUnavailable as error:
                if (
                    not error.maybe_delivered
                    or method not in _IDEMPOTENT
                    or attempt >= self._config.max_retries
                ):
                    raise
                wait = self._backoff(attempt + 1)
            attempt += 1
            log.info("%s %s: retry %d in %.1f s", method, _path_of(url), attempt, wait)
            await self._sleep(wait)

    async def _send_once(
        self,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        content: bytes | None,
    ) -> httpx.Response:
        headers = _JSON if content is not None else None
        try:
            response = await self._http.request(
                method, url, params=params, content=content, headers=headers
            )
        except httpx.HTTPError as exc:
            error = error_for_transport(exc, self._secrets)
            log.warning("%s %s failed: %s", method, _path_of(url), error.message)
            raise error from None
        log.debug("%s %s -> %d", method, _path_of(url), response.status_code)
        if not response.is_success:
            raise error_for_response(
                response.status_code,
                response.headers,
                response.content,
                is_create=method == "POST",
                secrets=self._secrets,
            )
        return response

    def _backoff(self, attempt: int) -> float:
        config = self._config
        delay = min(config.backoff_cap_s, config.backoff_base_s * 2 ** (attempt - 1))
        return delay * (0.5 + self._random.random() / 2)  # jitter: tills never retry in step


def _list_params(
    per_page: int,
    filters: Mapping[str, str | int | bool] | None,
    updated_after: datetime | int | None,
    sort: str | None,
) -> dict[str, str]:
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")
    params = {"per_page": str(per_page)}
    for name, value in (filters or {}).items():
        params[f"filter[{name}]"] = _query_value(value)
    if updated_after is not None:
        moment = updated_after if isinstance(updated_after, int) else updated_after.timestamp()
        params["updated_after"] = str(int(moment))
    if sort:
        params["sort"] = sort
    return params


def _query_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _path_of(url: str) -> str:
    # Log lines name the path only: a query may hold an e-mail address searched for.
    return urlsplit(url).path or url


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _read_json(content: bytes) -> Any:
    try:
        return parse_json(content)
    except ValueError:
        return None


def _validate(data: Any, model: type[M]) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


def _unreadable(response: httpx.Response) -> RemoteError:
    return RemoteUnavailable(
        f"unreadable answer from Invoiced (HTTP {response.status_code})",
        maybe_delivered=True,
        status=response.status_code,
    )


def _model(response: httpx.Response, model: type[M]) -> M:
    parsed = _validate(_read_json(response.content), model)
    if parsed is None:
        raise _unreadable(response)
    return parsed
