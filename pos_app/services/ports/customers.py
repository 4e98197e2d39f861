"""The ports of the customers service: customers on the API (Smartbills) and the till's copy
of them, where a customer created offline waits to be sent."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, Protocol

from pos_app.domain.customers import CustomerDraft
from pos_app.services.ports.documents import CachedDoc, DocumentCache, Page, Pager


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
    """Requests are given as the domain's drafts (plain field names); the adapter maps them to
    the API's shapes."""

    def create_customer(self, customer: CustomerDraft) -> Awaitable[CustomerDoc]: ...
    def get_customer(self, customer_id: str) -> Awaitable[CustomerDoc]: ...
    def update_customer(
        self, customer_id: str, customer: CustomerDraft
    ) -> Awaitable[CustomerDoc]: ...
    def delete_customer(self, customer_id: str) -> Awaitable[None]: ...
    def list_customers(self, *, page: int = 1, page_size: int = 100) -> Awaitable[Page[Any]]: ...


class CustomerDocCache(DocumentCache, Protocol):
    def create_local(
        self, doc: Mapping[str, Any], name: str = "", email: str = "", phone: str = ""
    ) -> Awaitable[CachedDoc]: ...
    def list_pending(self) -> Awaitable[Sequence[CachedDoc]]: ...
    def replace_local_id(self, local_id: str, created: Any) -> Awaitable[None]: ...
