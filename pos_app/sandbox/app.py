"""The sandbox's HTTP surface: Smartbills v1 (both route modes), the token endpoint, a page per
receipt, and the test-only admin routes under /_sandbox/.

Requests are checked against the sandbox's own reference schemas (`reference/`, written from
../shared/reference, never from the client's models) and refused with the .NET SDK's
envelope, one error per field: {"statusCode": "400", "errors": [{"code", "message",
"parameter"}]}. Ids are longs, as on the reference's SBReceipt, SBCustomer and SBLocation.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from math import ceil
from typing import Any
from urllib.parse import parse_qs

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from pos_app.sandbox import jsontext
from pos_app.sandbox.faults import (
    DownRequest,
    FaultInjector,
    Faults,
    FaultUpdate,
    drop_connection,
)
from pos_app.sandbox.reference import (
    CUSTOMER_CREATE,
    CUSTOMER_UPDATE,
    LOCATION_REQUEST,
    RECEIPT_CREATE,
    FieldError,
    Shape,
    check,
)
from pos_app.sandbox.store import Added, Collection, Kind, NewReceipt, SandboxStore
from pos_app.sandbox.tokens import (
    InvalidClient,
    InvalidScope,
    TokenRegistry,
    basic_credentials,
    bearer_token,
)

MAX_PAGE_SIZE = 100
MAX_BATCH = 100
LIST_PARAMETERS = frozenset({"page", "pageSize", "orderBy", "sortOrder"})
Handler = Callable[[Request], Awaitable[Response]]


@dataclass
class SandboxState:
    store: SandboxStore
    tokens: TokenRegistry
    faults: Faults
    counters: Counter[str]
    # Answer a second POST of a known receiptId with 409 instead of storing a second copy.
    dedupe: bool = False
    # Called by POST /_sandbox/down with how long to stay down (None: until told otherwise).
    on_down: Callable[[float | None], None] | None = None

    def stats(self) -> dict[str, int]:
        """The counters, as GET /_sandbox/stats answers them."""
        return {
            **self.counters,
            "tokens_issued": self.tokens.issued_count,
            "receipts_stored": self.store.receipt_count(),
        }


# --------------------------------------------------------------------------------------------
# Responses


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(jsontext.dumps(value), status, headers=headers, media_type="application/json")


def raw_json(document: str | bytes, status: int = 200) -> Response:
    return Response(document, status, media_type="application/json")


def error_item(code: str, message: str, parameter: str | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "parameter": parameter}


def envelope(
    status: int, errors: list[dict[str, Any]], headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    return json_response({"statusCode": str(status), "errors": errors, **extra}, status, headers)


def error(
    status: int, code: str, message: str, parameter: str | None = None, **extra: Any
) -> Response:
    return envelope(status, [error_item(code, message, parameter)], **extra)


def refused(problems: list[FieldError]) -> Response:
    return envelope(400, [problem.as_json() for problem in problems])


def _duplicate_receipt(existing_id: int) -> Response:
    return error(
        409,
        "DUPLICATE_RECEIPT",
        "A receipt with this receiptId already exists",
        "receiptId",
        existingId=existing_id,
    )


def _read_body(body: bytes) -> tuple[Any, Response | None]:
    try:
        return jsontext.parse(body), None
    except jsontext.JsonTextError as exc:
        return None, error(400, "INVALID_JSON", str(exc))


def _with_fields(document: str, added: dict[str, Any]) -> str:
    """A JSON object's text with server fields put in front of the client's own bytes.
    Re-encoding the whole receipt would cost more than the rest of the request; the object
    is known valid and these keys cannot be in it (the schema refuses unknown fields)."""
    return "{" + jsontext.dumps(added).decode("utf-8")[1:-1] + "," + document.strip()[1:]


def _now() -> str:
    """The API's date format: ISO-8601 UTC with milliseconds, 2025-01-21T18:54:48.245Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _path_id(request: Request) -> int | None:
    """The {id} of the path as the long the reference has; None when it is not one."""
    return _long(request.path_params["id"])


# --------------------------------------------------------------------------------------------
# The API


@dataclass(frozen=True)
class Resource:
    kind: Kind
    create: Shape
    update: Shape
    email: str  # the fields a location is known by
    phone: str


CUSTOMERS = Resource("customers", CUSTOMER_CREATE, CUSTOMER_UPDATE, "email", "phone")
LOCATIONS = Resource("locations", LOCATION_REQUEST, LOCATION_REQUEST, "email", "phoneNumber")


class SandboxApi:
    def __init__(self, state: SandboxState):
        self.state = state
        self.store = state.store
        self.counters = state.counters

    # -- access

    def _authorize(self, request: Request, scope: str) -> Response | None:
        token = bearer_token(request.headers.get("authorization"))
        scopes = self.state.tokens.scopes_for(token) if token else None
        if scopes is None:
            self.counters["unauthorized"] += 1
            return envelope(
                401,
                [error_item("UNAUTHORIZED", "Missing or invalid access token")],
                headers={"WWW-Authenticate": 'Bearer realm="sandbox"'},
            )
        if scope not in scopes:
            self.counters["forbidden"] += 1
            return error(403, "FORBIDDEN", f"The access token lacks the {scope} scope")
        return None

    @staticmethod
    def _business(request: Request) -> str:
        # Scoped routes name the business; unscoped ones rely on x-tenant-id.
        return request.path_params.get("businessId") or request.headers.get("x-tenant-id") or ""

    # -- tokens

    async def token(self, request: Request) -> Response:
        self.counters["token_requests"] += 1
        form = {
            k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()
        }
        if form.get("grant_type") != "client_credentials":
            return json_response({"error": "unsupported_grant_type"}, 400)
        credentials = basic_credentials(request.headers.get("authorization")) or (
            form.get("client_id", ""),
            form.get("client_secret", ""),
        )
        try:
            issued = self.state.tokens.issue(*credentials, form.get("scope", "").split())
        except InvalidClient:
            return json_response(
                {"error": "invalid_client"}, 401, {"WWW-Authenticate": 'Basic realm="sandbox"'}
            )
        except InvalidScope:
            return json_response({"error": "invalid_scope"}, 400)
        return json_response(
            {
                "access_token": issued.access_token,
                "expires_in": issued.expires_in,
                "token_type": "Bearer",
                "scope": " ".join(sorted(issued.scopes)),
            }
        )

    # -- receipts

    async def create_receipt(self, request: Request) -> Response:
        if denied := self._authorize(request, "receipts.write") or _not_json(request):
            return denied
        self.counters["receipt_posts"] += 1
        body = await request.body()
        data, problem = _read_body(body)
        if problem:
            return problem
        if problems := check(RECEIPT_CREATE, data):
            self.counters["rejected"] += 1
            return refused(problems)
        added = self._store([(data, body.decode("utf-8"))], request)[0]
        if not added.created:
            return _duplicate_receipt(added.receipt.id)
        return await self._answer_or_drop(request, raw_json(added.receipt.document, 201))

    async def create_batch(self, request: Request) -> Response:
        """A JSON array of receipts in, a plain array of SBReceipt out, in the same order (as
        both official SDKs read it). One invalid item refuses the whole batch, naming its
        index (`[3].total`), and nothing of it is stored."""
        if denied := self._authorize(request, "receipts.write") or _not_json(request):
            return denied
        items, problem = _read_body(await request.body())
        if problem:
            return problem
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
            return error(
                400, "INVALID_PARAMETER", f"the body must be an array of 1 to {MAX_BATCH} receipts"
            )
        self.counters["receipt_posts"] += len(items)
        checked = [check(RECEIPT_CREATE, item, f"[{n}]") for n, item in enumerate(items)]
        if any(checked):
            self.counters["rejected"] += sum(1 for problems in checked if problems)
            return refused([problem for problems in checked for problem in problems])
        added = self._store(
            [(item, jsontext.dumps(item).decode("utf-8")) for item in items], request
        )
        body = b"[" + b",".join(a.receipt.document.encode("utf-8") for a in added) + b"]"
        return await self._answer_or_drop(request, raw_json(body))

    def _store(self, receipts: list[tuple[dict[str, Any], str]], request: Request) -> list[Added]:
        """Store checked receipts (data, body text) in one transaction, counting what became
        of each."""
        base = str(request.base_url).rstrip("/")
        now = _now()

        def render(body: str) -> Callable[[int], str]:
            return lambda doc_id: _with_fields(
                body, {"id": doc_id, "url": f"{base}/r/{doc_id}", "createdAt": now}
            )

        business = self._business(request)
        added = self.store.add_receipts(
            [
                NewReceipt(data.get("receiptId"), business, body, render(body))
                for data, body in receipts
            ],
            dedupe=self.state.dedupe,
        )
        for outcome in added:
            if not outcome.created:
                self.counters["duplicates"] += 1
                continue
            self.counters["created"] += 1
            if outcome.copies_before:
                self.counters["duplicates_stored"] += 1
        return added

    async def _answer_or_drop(self, request: Request, response: Response) -> Response:
        """The answer to a committed create, unless a fault says to lose it on the way."""
        if not self.state.faults.take_drop():
            return response
        self.counters["dropped"] += 1
        if await drop_connection(request.scope):
            return response  # never written: the connection is gone
        # No transport to cut: promise more bytes than we send, so the answer is still lost.
        return Response(
            b"{", 201, headers={"content-length": "1000"}, media_type="application/json"
        )

    async def get_receipt(self, request: Request) -> Response:
        if denied := self._authorize(request, "receipts.read"):
            return denied
        return self._document("receipts", request)

    async def list_receipts(self, request: Request) -> Response:
        if denied := self._authorize(request, "receipts.read"):
            return denied
        return self._page("receipts", request)

    # -- customers and locations

    def _document(self, kind: Collection, request: Request) -> Response:
        doc_id = _path_id(request)
        document = (
            None
            if doc_id is None
            else self.store.get_document(kind, self._business(request), doc_id)
        )
        if document is None:
            return error(404, "NOT_FOUND", f"No such {kind[:-1]}")
        return raw_json(document)

    def _page(self, kind: Collection, request: Request) -> Response:
        self.counters["list_requests"] += 1
        params, problem = _page_params(request)
        if problem:
            return problem
        page, size, newest_first = params
        result = self.store.page(
            kind,
            self._business(request),
            offset=(page - 1) * size,
            limit=size,
            newest_first=newest_first,
        )
        metadata = {
            "page": page,
            "pageSize": size,
            "totalPages": ceil(result.count / size),
            "count": result.count,
        }
        body = (
            b'{"data":['
            + ",".join(result.documents).encode()
            + b'],"metadata":'
            + jsontext.dumps(metadata)
            + b"}"
        )
        return raw_json(body)

    async def _checked(self, request: Request, shape: Shape) -> dict[str, Any] | Response:
        """The body, checked against its reference shape, or the 400 answer."""
        data, problem = _read_body(await request.body())
        if problem:
            return problem
        if problems := check(shape, data):
            self.counters["rejected"] += 1
            return refused(problems)
        assert isinstance(data, dict)  # the shape takes objects only
        return data

    def _location_taken(
        self, request: Request, resource: Resource, data: dict[str, Any], doc_id: int | None
    ) -> Response | None:
        email, phone = data.get(resource.email), data.get(resource.phone)
        if resource.kind == "locations" and self.store.location_taken(
            self._business(request), email, phone, doc_id
        ):
            return error(
                409, "DUPLICATE_LOCATION", "A location with this email or phone exists", "email"
            )
        return None

    async def create_document(self, request: Request, resource: Resource) -> Response:
        if denied := self._authorize(request, f"{resource.kind}:create") or _not_json(request):
            return denied
        data = await self._checked(request, resource.create)
        if isinstance(data, Response):
            return data
        if taken := self._location_taken(request, resource, data, None):
            return taken
        now = _now()
        document = self.store.add_document(
            resource.kind,
            self._business(request),
            lambda doc_id: _document_text(data, doc_id, now, now),
            data.get(resource.email),
            data.get(resource.phone),
        )
        return raw_json(document, 201)

    async def read_document(self, request: Request, resource: Resource) -> Response:
        if denied := self._authorize(request, f"{resource.kind}:read"):
            return denied
        return self._document(resource.kind, request)

    async def list_documents(self, request: Request, resource: Resource) -> Response:
        if denied := self._authorize(request, f"{resource.kind}:read"):
            return denied
        return self._page(resource.kind, request)

    async def update_document(self, request: Request, resource: Resource) -> Response:
        if denied := self._authorize(request, f"{resource.kind}:update") or _not_json(request):
            return denied
        doc_id = _path_id(request)
        business = self._business(request)
        current = (
            None if doc_id is None else self.store.get_document(resource.kind, business, doc_id)
        )
        if doc_id is None or current is None:
            return error(404, "NOT_FOUND", f"No such {resource.kind[:-1]}")
        data = await self._checked(request, resource.update)
        if isinstance(data, Response):
            return data
        if taken := self._location_taken(request, resource, data, doc_id):
            return taken
        document = _document_text(data, doc_id, jsontext.parse(current)["createdAt"], _now())
        self.store.replace_document(
            resource.kind,
            business,
            doc_id,
            document,
            data.get(resource.email),
            data.get(resource.phone),
        )
        return raw_json(document)

    async def delete_document(self, request: Request, resource: Resource) -> Response:
        if denied := self._authorize(request, f"{resource.kind}:delete"):
            return denied
        doc_id = _path_id(request)
        if doc_id is None or not self.store.delete_document(
            resource.kind, self._business(request), doc_id
        ):
            return error(404, "NOT_FOUND", f"No such {resource.kind[:-1]}")
        return Response(status_code=204)

    # -- pages for people

    async def home(self, request: Request) -> Response:
        return json_response({"name": "pos-app sandbox", "api": "smartbills v1"})

    async def receipt_page(self, request: Request) -> Response:
        doc_id = _path_id(request)
        document = None if doc_id is None else self.store.find_receipt(doc_id)
        if document is None:
            return HTMLResponse("<h1>Receipt not found</h1>", 404)
        receipt = jsontext.parse(document)
        total = receipt["total"]
        title = html.escape(str(receipt.get("orderNumber") or receipt.get("receiptId") or doc_id))
        amount = html.escape(f"{total.get('amount')} {total.get('currency')}")
        return HTMLResponse(
            f"<!doctype html><title>Receipt {title}</title>"
            f"<h1>Receipt {title}</h1><p>Total: {amount}</p>"
        )

    # -- admin (tests and demos only): the sandbox's own token and JSON bodies, so that no web
    # page can reach them (a cross-site request can send neither without a preflight)

    def _admin_refusal(self, request: Request) -> Response | None:
        if not self.state.tokens.is_static(bearer_token(request.headers.get("authorization"))):
            self.counters["admin_refused"] += 1
            return envelope(
                401,
                [error_item("UNAUTHORIZED", "The admin routes need the sandbox's own token")],
                headers={"WWW-Authenticate": 'Bearer realm="sandbox"'},
            )
        if request.method == "POST" and (refusal := _not_json(request)):
            self.counters["admin_refused"] += 1
            return refusal
        return None

    async def _admin_body(self, request: Request) -> tuple[dict[str, Any], Response | None]:
        """An admin request's JSON object ({} when empty); rates are plain floats here."""
        try:
            data = jsontext.parse(await request.body() or b"{}", exact=False)
        except jsontext.JsonTextError as exc:
            return {}, error(400, "INVALID_JSON", str(exc))
        if not isinstance(data, dict):
            return {}, error(400, "INVALID_PARAMETER", "the body must be a JSON object")
        return data, None

    async def admin_receipts(self, request: Request) -> Response:
        if refusal := self._admin_refusal(request):
            return refusal
        receipts = self.store.all_receipts()
        return JSONResponse(
            {
                "count": len(receipts),
                "receipts": [
                    {"id": r.id, "receiptId": r.receipt_id, "attempts": r.attempts, "body": r.body}
                    for r in receipts
                ],
            }
        )

    async def admin_stats(self, request: Request) -> Response:
        if refusal := self._admin_refusal(request):
            return refusal
        return JSONResponse(self.state.stats())

    async def admin_faults(self, request: Request) -> Response:
        if refusal := self._admin_refusal(request):
            return refusal
        if request.method == "POST":
            data, problem = await self._admin_body(request)
            if problem:
                return problem
            try:
                change = FaultUpdate.model_validate(data)
            except ValidationError as exc:
                return envelope(400, _admin_errors(exc))
            self.state.faults.update(change)
        return JSONResponse(self.state.faults.snapshot())

    async def admin_down(self, request: Request) -> Response:
        if refusal := self._admin_refusal(request):
            return refusal
        data, problem = await self._admin_body(request)
        if problem:
            return problem
        try:
            seconds = DownRequest.model_validate(data).seconds
        except ValidationError as exc:
            return envelope(400, _admin_errors(exc))
        if self.state.on_down is None:
            return error(409, "NOT_SUPPORTED", "this sandbox cannot go down")
        self.state.on_down(seconds)
        return JSONResponse({"down": True, "seconds": seconds}, 202)

    async def admin_revoke_tokens(self, request: Request) -> Response:
        if refusal := self._admin_refusal(request):
            return refusal
        return JSONResponse({"revoked": self.state.tokens.revoke_issued()})


def _not_json(request: Request) -> Response | None:
    """415 for a body that does not say it is JSON (text/plain is what a web form can send)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/json":
        return None
    return error(415, "UNSUPPORTED_MEDIA_TYPE", "the body must be sent as application/json")


def _document_text(data: dict[str, Any], doc_id: int, created_at: str, updated_at: str) -> str:
    """A customer or location as GET answers it: what was sent, with the server's fields."""
    fields = {**data, "id": doc_id, "createdAt": created_at, "updatedAt": updated_at}
    return jsontext.dumps(fields).decode("utf-8")


def _admin_errors(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        error_item("INVALID_PARAMETER", e["msg"], ".".join(map(str, e["loc"])) or None)
        for e in exc.errors(include_url=False)
    ]


def _page_params(request: Request) -> tuple[tuple[int, int, bool], Response | None]:
    """page, pageSize, newest first: the list request of the reference (ReceiptListRequest,
    CustomerListRequest), which has no other parameter; one it does not have is refused
    rather than ignored, so a client cannot count on a filter the API does not document."""
    query = request.query_params
    for name in query:
        if name not in LIST_PARAMETERS:
            return (0, 0, False), error(400, "UNKNOWN_PARAMETER", "unknown query parameter", name)
    page, size = _long(query.get("page", "1")), _long(query.get("pageSize", str(MAX_PAGE_SIZE)))
    if page is None or page < 1:
        return (0, 0, False), error(400, "INVALID_PARAMETER", "must be an integer >= 1", "page")
    if size is None or not 1 <= size <= MAX_PAGE_SIZE:
        return (0, 0, False), error(
            400, "INVALID_PARAMETER", f"must be an integer from 1 to {MAX_PAGE_SIZE}", "pageSize"
        )
    if query.get("orderBy", "createdAt") != "createdAt":
        return (0, 0, False), error(
            400, "INVALID_PARAMETER", "only createdAt ordering is supported", "orderBy"
        )
    order = query.get("sortOrder", "desc")
    if order not in ("asc", "desc"):
        return (0, 0, False), error(400, "INVALID_PARAMETER", "must be asc or desc", "sortOrder")
    return (page, size, order == "desc"), None


def _long(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def _bind(
    handler: Callable[[Request, Resource], Awaitable[Response]], resource: Resource
) -> Handler:
    async def endpoint(request: Request) -> Response:
        return await handler(request, resource)

    return endpoint


def _api_routes(api: SandboxApi, prefix: str) -> list[BaseRoute]:
    routes: list[BaseRoute] = [
        Route(f"{prefix}/receipts/batch", api.create_batch, methods=["POST"]),
        Route(f"{prefix}/receipts", api.create_receipt, methods=["POST"]),
        Route(f"{prefix}/receipts", api.list_receipts, methods=["GET"]),
        Route(f"{prefix}/receipts/{{id}}", api.get_receipt, methods=["GET"]),
    ]
    for resource in (CUSTOMERS, LOCATIONS):
        base = f"{prefix}/{resource.kind}"
        routes += [
            Route(base, _bind(api.create_document, resource), methods=["POST"]),
            Route(base, _bind(api.list_documents, resource), methods=["GET"]),
            Route(f"{base}/{{id}}", _bind(api.read_document, resource), methods=["GET"]),
            Route(f"{base}/{{id}}", _bind(api.update_document, resource), methods=["PUT"]),
            Route(f"{base}/{{id}}", _bind(api.delete_document, resource), methods=["DELETE"]),
        ]
    return routes


def build_app(state: SandboxState) -> FaultInjector:
    api = SandboxApi(state)
    routes: list[BaseRoute] = [
        Route("/", api.home, methods=["GET"]),
        Route("/connect/token", api.token, methods=["POST"]),
        # Where the real API has it: the .NET SDK's authority .../auth + connect/token.
        Route("/auth/connect/token", api.token, methods=["POST"]),
        Route("/r/{id}", api.receipt_page, methods=["GET"]),
        Route("/_sandbox/receipts", api.admin_receipts, methods=["GET"]),
        Route("/_sandbox/stats", api.admin_stats, methods=["GET"]),
        Route("/_sandbox/faults", api.admin_faults, methods=["GET", "POST"]),
        Route("/_sandbox/down", api.admin_down, methods=["POST"]),
        Route("/_sandbox/tokens/revoke", api.admin_revoke_tokens, methods=["POST"]),
        *_api_routes(api, "/v1"),
        *_api_routes(api, "/v1/businesses/{businessId}"),
    ]
    return FaultInjector(Starlette(routes=routes), state.faults, state.counters)
