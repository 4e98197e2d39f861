"""The Invoiced customers API, as the reference (reference/invoiced-customers.txt) describes
it, under the sandbox's `/invoiced` prefix: HTTP Basic with the API key as user name and an
empty password; customers create, retrieve, update (PATCH), delete and list (bare JSON array,
`page`/`per_page`, `Link` and `X-Total-Count`, `filter[...]`, `metadata[...]`,
`updated_after`, `sort`); the balance; the statement e-mail. Errors are `{type, message,
param}`. Bodies are checked against the reference's own field table (written here, not taken
from the client): unknown fields and wrong JSON kinds are refused.

The same fault injection as the Smartbills side (the `Faults` dice, `fail_next`, `drop_next`
on creates), with its own settings so a test can fail one API and not the other.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import secrets
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from pos_app.sandbox import jsontext
from pos_app.sandbox.faults import (
    TRANSPORT_KEY,
    Faults,
    FaultSettings,
    FaultUpdate,
    _transport_of,
    drop_connection,
)
from pos_app.sandbox.invoiced_store import InvoicedStore, StoredCustomer

PREFIX = "/invoiced"
DEFAULT_KEY = "invoiced-sandbox-key"
MAX_PER_PAGE = 100

# The reference's create/update table: field -> accepted JSON kinds (every field may be null,
# except name on create). "number" is a JSON number (int or Decimal), never a boolean.
_STR, _BOOL, _INT, _NUM, _ARR, _OBJ = "string", "boolean", "integer", "number", "array", "object"
CUSTOMER_FIELDS: dict[str, str] = {
    "name": _STR,
    "number": _STR,
    "email": _STR,
    "autopay": _BOOL,
    "autopay_delay_days": _INT,
    "payment_terms": _STR,
    "attention_to": _STR,
    "address1": _STR,
    "address2": _STR,
    "city": _STR,
    "state": _STR,
    "postal_code": _STR,
    "country": _STR,
    "language": _STR,
    "currency": _STR,
    "chase": _BOOL,
    "chasing_cadence": _INT,
    "next_chase_step": _INT,
    "phone": _STR,
    "credit_hold": _BOOL,
    "credit_limit": _NUM,
    "owner": _INT,
    "taxable": _BOOL,
    "taxes": _ARR,
    "tax_id": _STR,
    "avalara_entity_use_code": _STR,
    "avalara_exemption_number": _STR,
    "type": _STR,
    "parent_customer": _INT,
    "notes": _STR,
    "sign_up_page": _INT,
    "metadata": _OBJ,
    "disabled_payment_methods": _ARR,
    "ach_gateway": _INT,
    "cc_gateway": _INT,
}
_TYPES = ("company", "person")
# The statement e-mail's parameters.
EMAIL_FIELDS: dict[str, str] = {
    "to": _ARR,
    "bcc": _STR,
    "template": _STR,
    "subject": _STR,
    "message": _STR,
    "type": _STR,
    "start": _INT,
    "end": _INT,
    "items": _STR,
}
_STATEMENT_TYPES = ("balance_forward", "open_item")
_FILTERABLE = ("number", "name", "email", "phone", "type", "currency", "credit_hold", "country")
_SORTABLE = ("id", "name", "number", "created_at", "updated_at")


@dataclass
class InvoicedSandbox:
    """The Invoiced side's state: its store, key, faults and counters (they survive down/up)."""

    store: InvoicedStore
    api_key: str = DEFAULT_KEY
    faults: Faults = field(default_factory=lambda: Faults(FaultSettings()))
    counters: Counter[str] = field(default_factory=Counter)
    # The body of the last PATCH, as received: what a client sent, for tests to look at.
    last_patch: dict[str, Any] | None = None


# --------------------------------------------------------------------------------------------
# Answers


def _json(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(jsontext.dumps(value), status, headers=headers, media_type="application/json")


def _error(status: int, kind: str, message: str, param: str | None = None) -> Response:
    return _json({"type": kind, "message": message, "param": param}, status)


def _invalid(message: str, param: str | None = None) -> Response:
    return _error(400, "invalid_request", message, param)


def _not_found(customer_id: str) -> Response:
    return _error(404, "invalid_request", f"Customer was not found: {customer_id}")


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return _BOOL
    if isinstance(value, int):
        return _INT
    if isinstance(value, Decimal):
        return _NUM
    if isinstance(value, str):
        return _STR
    if isinstance(value, list):
        return _ARR
    if isinstance(value, dict):
        return _OBJ
    return "null"


def _kind_error(name: str, value: Any, table: dict[str, str]) -> Response | None:
    expected = table.get(name)
    if expected is None:
        return _invalid(f"Unknown parameter: {name}", name)
    if value is None:
        return None
    kind = _kind_of(value)
    if kind == expected or (expected == _NUM and kind == _INT):
        return None
    return _invalid(f"{name} must be a {expected}, not a {kind}", name)


def _checked_body(data: Any, table: dict[str, str]) -> Response | None:
    if not isinstance(data, dict):
        return _invalid("The request body must be a JSON object")
    for name, value in data.items():
        problem = _kind_error(name, value, table)
        if problem is not None:
            return problem
    return None


def _customer_rules(data: dict[str, Any], *, creating: bool) -> Response | None:
    name = data.get("name")
    if creating and (not isinstance(name, str) or not name.strip()):
        return _invalid("Name missing", "name")
    if "name" in data and not creating and (not isinstance(name, str) or not name.strip()):
        return _invalid("Name cannot be empty", "name")
    if data.get("type") is not None and data["type"] not in _TYPES:
        return _invalid("Type must be company or person", "type")
    limit = data.get("credit_limit")
    if limit is not None and limit < 0:
        return _invalid("Credit limit cannot be negative", "credit_limit")
    currency = data.get("currency")
    if currency is not None and (len(currency) != 3 or not currency.isalpha()):
        return _invalid("Currency must be a 3-letter ISO code", "currency")
    number = data.get("number")
    if number is not None and not number.strip():
        return _invalid("Number cannot be empty", "number")
    return None


# --------------------------------------------------------------------------------------------
# The API


class InvoicedApi:
    def __init__(self, sandbox: InvoicedSandbox):
        self.sandbox = sandbox
        self.store = sandbox.store

    def _authorized(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        scheme, _, encoded = header.partition(" ")
        user = password = None
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                user = None
        if user is None or not secrets.compare_digest(user, self.sandbox.api_key) or password:
            self.sandbox.counters["auth_refused"] += 1
            return _error(401, "authentication_error", "Invalid API key")
        return None

    async def _body(self, request: Request, table: dict[str, str]) -> dict[str, Any] | Response:
        raw = await request.body()
        if not request.headers.get("content-type", "").startswith("application/json"):
            return _invalid("Send the request body as application/json")
        try:
            data = jsontext.parse(raw or b"{}")
        except jsontext.JsonTextError as error:
            return _invalid(f"The request body is not accepted: {error}")
        problem = _checked_body(data, table)
        return problem if problem is not None else data

    def _customer(self, request: Request) -> StoredCustomer | Response:
        raw = request.path_params["id"]
        found = self.store.get(int(raw)) if raw.isdigit() else None
        return found if found is not None else _not_found(raw)

    # -- customers

    async def create(self, request: Request) -> Response:
        if (denied := self._authorized(request)) is not None:
            return denied
        data = await self._body(request, CUSTOMER_FIELDS)
        if isinstance(data, Response):
            return data
        if (problem := _customer_rules(data, creating=True)) is not None:
            return problem
        try:
            created = self.store.create(data)
        except KeyError:
            return _invalid("The given number has already been taken", "number")
        self.sandbox.counters["customers_created"] += 1
        if self.sandbox.faults.take_drop() and await drop_connection(request.scope):
            self.sandbox.counters["dropped_after_commit"] += 1
            return Response(status_code=500)  # never sent: the connection is gone
        return _json(created.doc, 201)

    async def retrieve(self, request: Request) -> Response:
        if (denied := self._authorized(request)) is not None:
            return denied
        found = self._customer(request)
        return found if isinstance(found, Response) else _json(found.doc)

    async def update(self, request: Request) -> Response:
        if (denied := self._authorized(request)) is not None:
            return denied
        found = self._customer(request)
        if isinstance(found, Response):
            return found
        data = await self._body(request, CUSTOMER_FIELDS)
        if isinstance(data, Response):
            return data
        if (problem := _customer_rules(data, creating=False)) is not None:
            return problem
        self.sandbox.last_patch = data
        self.sandbox.counters["customers_updated"] += 1
        try:
            updated = self.store.update(found.id, data)
        except KeyError:
            return _invalid("The given number has already been taken", "number")
        return _json(updated.doc) if updated is not None else _not_found(str(found.id))

    async def delete(self, request: Request) -> Response:
        if (denied := self._authorized(request)) is not None:
            return denied
        found = self._customer(request)
        if isinstance(found, Response):
            return found
        self.store.delete(found.id)
        return Response(status_code=204)

    async def list(self, request: Request) -> Response:
        if (denied := self._authorized(request)) is not None:
            return denied
        query = request.query_params
        page_text, per_page_text = query.get("page", "1"), query.get("per_page", "100")
        if not page_text.isdigit() or int(page_text) < 1:
            return _invalid("page must be a positive integer", "page")
        if not per_page_text.isdigit() or not 1 <= int(per_page_text) <= MAX_PER_PAGE:
            return _invalid(f"per_page must be between 1 and {MAX_PER_PAGE}", "per_page")
        chosen = _selected(self.store.all(), request)
        if isinstance(chosen, Response):
            return chosen
        page, per_page = int(page_text), int(per_page_text)
        last = max(1, -(-len(chosen) // per_page))
        docs = [c.doc for c in chosen[(page - 1) * per_page : page * per_page]]
        headers = {
            "X-Total-Count": str(len(chosen)),
            "Link": _links(request, page, last),
        }
        return _json(docs, headers=headers)

    async def balance(self, request: Request) -> Response:
        if (denied := self._authorized(request)) is not None:
            return denied
        found = self._customer(request)
        if isinstance(found, Response):
            return found
        currency = (
            request.query_params.get("currency") or found.doc.get("currency") or "usd"
        ).lower()
        return _json(
            {
                "available_credits": 0,
                "currency": currency,
                "due_now": found.outstanding,
                "history": [],
                "past_due": False,
                "total_outstanding": found.outstanding,
            }
        )

    async def send_statement(self, request: Request) -> Response:
        if (denied := self._authorized(request)) is not None:
            return denied
        found = self._customer(request)
        if isinstance(found, Response):
            return found
        data = await self._body(request, EMAIL_FIELDS)
        if isinstance(data, Response):
            return data
        if data.get("type") is not None and data["type"] not in _STATEMENT_TYPES:
            return _invalid("Statement type must be balance_forward or open_item", "type")
        recipients = _recipients(data.get("to"), found.doc.get("email"))
        if isinstance(recipients, Response):
            return recipients
        sent = self.store.record_emails(found.id, recipients)
        self.sandbox.counters["statements_sent"] += 1
        return _json(
            [
                {
                    "created_at": None,
                    "email": address,
                    "id": f"{email_id:032x}",
                    "message": data.get("message"),
                    "object": "email",
                    "opens": 0,
                    "opens_detail": [],
                    "reject_reason": None,
                    "state": "sent",
                    "subject": data.get("subject") or "Statement",
                    "template": "statement_email",
                    "updated_at": None,
                }
                for email_id, address in sent
            ],
            201,
        )

    # -- admin (tests and demos): the Invoiced side's own key and JSON bodies, so that no web
    # page can reach them (a cross-site request can send neither without a preflight)

    def _admin_refusal(self, request: Request) -> Response | None:
        if (denied := self._authorized(request)) is not None:
            return denied
        if request.method == "POST" and not request.headers.get("content-type", "").startswith(
            "application/json"
        ):
            return _invalid("Send the request body as application/json")
        return None

    async def admin_faults(self, request: Request) -> Response:
        if (refusal := self._admin_refusal(request)) is not None:
            return refusal
        if request.method == "POST":
            try:
                body = jsontext.parse(await request.body() or b"{}", exact=False)
                change = FaultUpdate.model_validate(body)
            except (ValueError, ValidationError):
                return _invalid("not a fault update")
            self.sandbox.faults.update(change)
        return _json(self.sandbox.faults.snapshot())

    async def admin_stats(self, request: Request) -> Response:
        if (refusal := self._admin_refusal(request)) is not None:
            return refusal
        return _json({**self.sandbox.counters, "customers": len(self.store.all())})


def _recipients(to: Any, default: Any) -> list[str] | Response:
    if to is None:
        if not isinstance(default, str) or not default:
            return _invalid("This customer has no e-mail address: give one in to", "to")
        return [default]
    addresses = []
    for item in to:
        email = item.get("email") if isinstance(item, dict) else None
        if not isinstance(email, str) or "@" not in email:
            return _invalid("Each recipient needs an email", "to")
        addresses.append(email)
    if not addresses:
        return _invalid("No recipients", "to")
    return addresses


def _selected(customers: list[StoredCustomer], request: Request) -> list[StoredCustomer] | Response:
    chosen = customers
    for key, value in request.query_params.multi_items():
        if key.startswith("filter[") and key.endswith("]"):
            name = key[7:-1]
            if name not in _FILTERABLE:
                return _invalid(f"Cannot filter on {name}", "filter")
            chosen = [c for c in chosen if _matches(c.doc.get(name), value)]
        elif key.startswith("metadata[") and key.endswith("]"):
            name = key[9:-1]
            chosen = [c for c in chosen if str((c.doc.get("metadata") or {}).get(name)) == value]
        elif key not in ("page", "per_page", "sort", "updated_after"):
            return _invalid(f"Unknown parameter: {key}", key)
    after = request.query_params.get("updated_after")
    if after is not None:
        if not after.isdigit():
            return _invalid("updated_after must be a Unix timestamp", "updated_after")
        chosen = [c for c in chosen if c.doc["updated_at"] > int(after)]
    return _sorted(chosen, request.query_params.get("sort"))


def _matches(value: Any, wanted: str) -> bool:
    if isinstance(value, bool):
        return value == (wanted in ("1", "true"))
    return value is not None and str(value) == wanted


def _sorted(customers: list[StoredCustomer], sort: str | None) -> list[StoredCustomer] | Response:
    if not sort:
        return customers
    column, _, direction = sort.strip().partition(" ")
    direction = direction.strip().lower() or "asc"
    if column not in _SORTABLE or direction not in ("asc", "desc"):
        return _invalid(f"Cannot sort by {sort}", "sort")

    def key(c: StoredCustomer) -> tuple[bool, Any]:
        value = c.doc.get(column)
        return (value is None, str(value).lower() if isinstance(value, str) else value)

    return sorted(customers, key=key, reverse=direction == "desc")


def _links(request: Request, page: int, last: int) -> str:
    params = dict(request.query_params)

    def link(number: int, rel: str) -> str:
        url = request.url.replace(query=urlencode({**params, "page": str(number)}))
        return f'<{url}>; rel="{rel}"'

    parts = [link(page, "self"), link(1, "first")]
    if page > 1:
        parts.append(link(page - 1, "previous"))
    if page < last:
        parts.append(link(page + 1, "next"))
    parts.append(link(last, "last"))
    return ", ".join(parts)


# --------------------------------------------------------------------------------------------
# Faults and mounting


class _InvoicedFaults:
    """Delays and fails API requests in Invoiced's error shape, as FaultInjector does for v1."""

    def __init__(self, app: ASGIApp, sandbox: InvoicedSandbox):
        self._app = app
        self._sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[TRANSPORT_KEY] = _transport_of(send)
        faults = self._sandbox.faults
        if scope["path"].startswith(f"{PREFIX}/customers"):
            self._sandbox.counters["requests"] += 1
            if faults.settings.latency_ms:
                await asyncio.sleep(faults.settings.latency_ms / 1000)
            status = faults.next_failure()
            if status is not None:
                self._sandbox.counters[f"injected_{status}"] += 1
                headers = {"Retry-After": faults.retry_after()} if status == 429 else None
                kind = "rate_limit_error" if status == 429 else "api_error"
                response = _json(
                    {"type": kind, "message": "Injected fault", "param": None}, status, headers
                )
                await response(scope, receive, send)
                return
        await self._app(scope, receive, send)


def build_invoiced_app(sandbox: InvoicedSandbox) -> ASGIApp:
    api = InvoicedApi(sandbox)
    base = f"{PREFIX}/customers"
    routes = [
        Route(base, api.create, methods=["POST"]),
        Route(base, api.list, methods=["GET"]),
        Route(f"{base}/{{id}}", api.retrieve, methods=["GET"]),
        Route(f"{base}/{{id}}", api.update, methods=["PATCH"]),
        Route(f"{base}/{{id}}", api.delete, methods=["DELETE"]),
        Route(f"{base}/{{id}}/balance", api.balance, methods=["GET"]),
        Route(f"{base}/{{id}}/emails", api.send_statement, methods=["POST"]),
        Route(f"{PREFIX}/_sandbox/faults", api.admin_faults, methods=["GET", "POST"]),
        Route(f"{PREFIX}/_sandbox/stats", api.admin_stats, methods=["GET"]),
    ]
    return _InvoicedFaults(Starlette(routes=routes), sandbox)


def with_invoiced(smartbills: ASGIApp, invoiced: ASGIApp) -> ASGIApp:
    """One server for both APIs: paths under /invoiced go to Invoiced, the rest to Smartbills."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if path == PREFIX or path.startswith(f"{PREFIX}/"):
            await invoiced(scope, receive, send)
        else:
            await smartbills(scope, receive, send)

    return app


# --------------------------------------------------------------------------------------------
# Demo customers


def _demo(number: str, name: str, email: str, phone: str, **more: Any) -> dict[str, Any]:
    return {"number": number, "name": name, "email": email, "phone": phone, **more}


DEMO_CUSTOMERS: tuple[tuple[dict[str, Any], Decimal], ...] = (
    (
        _demo(
            "CUST-0001",
            "Restaurant Chez Louis",
            "compta@chezlouis.example",
            "514 555-0101",
            credit_limit=Decimal("2000"),
            currency="cad",
            payment_terms="NET 30",
        ),
        Decimal("450.00"),
    ),
    (
        _demo(
            "CUST-0002",
            "Bistro Le Plateau",
            "factures@bistroplateau.example",
            "514 555-0102",
            credit_limit=Decimal("500"),
            currency="cad",
            payment_terms="NET 15",
        ),
        Decimal("480.00"),
    ),
    (
        _demo(
            "CUST-0003",
            "Traiteur Saint-Denis",
            "admin@traiteursd.example",
            "514 555-0103",
            credit_hold=True,
            credit_limit=Decimal("1500"),
            currency="cad",
        ),
        Decimal("1720.35"),
    ),
    (
        _demo(
            "CUST-0004",
            "Garage Mont-Royal",
            "garage@montroyal.example",
            "514 555-0104",
            currency="cad",
            payment_terms="NET 30",
        ),
        Decimal("0"),
    ),
    (
        _demo(
            "CUST-0005",
            "Café Fabrique",
            "bonjour@cafefabrique.example",
            "514 555-0105",
            credit_limit=Decimal("300"),
            currency="cad",
        ),
        Decimal("0"),
    ),
    (
        _demo(
            "CUST-0006",
            "Brasserie du Coin",
            "info@brasserieducoin.example",
            "514 555-0106",
            credit_hold=True,
            currency="cad",
        ),
        Decimal("95.10"),
    ),
)


def seed_demo(store: InvoicedStore) -> int:
    """The demo's business customers, once (a store that has customers is left alone)."""
    if store.all():
        return 0
    return store.create_many(DEMO_CUSTOMERS)
