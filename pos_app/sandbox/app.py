"""The sandbox's HTTP surface: Smartbills v1 (both route modes), the token endpoint, a page per
receipt, and the test-only admin routes under /_sandbox/.

Requests are validated with the client's own wire models (adapters/api/schemas.py), read by
wire name only, and refused with the .NET SDK's envelope:
{"statusCode": "400", "errors": [{"code", "message", "parameter"}]}.
"""

from __future__ import annotations

import html
import uuid
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

from pos_app.adapters.api.schemas import (
    ReceiptCreateRequest,
    SBCustomerCreate,
    SBLocationCreate,
    WireModel,
    dump_request_json,
    encode_json,
    parse_json,
)
from pos_app.domain.receipt import iso_utc
from pos_app.sandbox.faults import FaultInjector, Faults, FaultUpdate, drop_connection
from pos_app.sandbox.store import Collection, Kind, NewReceipt, SandboxStore, StoredReceipt
from pos_app.sandbox.tokens import (
    InvalidClient,
    InvalidScope,
    TokenRegistry,
    basic_credentials,
    bearer_token,
)

MAX_PAGE_SIZE = 100
MAX_BATCH = 100
Handler = Callable[[Request], Awaitable[Response]]


@dataclass
class SandboxState:
    store: SandboxStore
    tokens: TokenRegistry
    faults: Faults
    counters: Counter[str]
    # Called by POST /_sandbox/down with how long to stay down (None: until told otherwise).
    on_down: Callable[[float | None], None] | None = None


# --------------------------------------------------------------------------------------------
# Responses


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(encode_json(value), status, headers=headers, media_type="application/json")


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


def validation_errors(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        error_item("INVALID_PARAMETER", _message(e["msg"]), wire_path(e["loc"]))
        for e in exc.errors(include_url=False)
    ]


def _message(text: str) -> str:
    # pydantic prefixes the messages of our own validators; a server would not.
    return text.removeprefix("Value error, ")


def wire_path(loc: tuple[str | int, ...]) -> str | None:
    """('items', 0, 'unitPrice', 'amount') -> 'items[0].unitPrice.amount'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part != "[key]":
            text += f".{part}" if text else part
    return text or None


def _duplicate_receipt(existing_id: str) -> dict[str, Any]:
    return {
        "statusCode": "409",
        "errors": [
            error_item(
                "DUPLICATE_RECEIPT", "A receipt with this receiptId already exists", "receiptId"
            )
        ],
        "existingId": existing_id,
    }


# --------------------------------------------------------------------------------------------
# Validation


def _checked_receipt(data: object) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    if not isinstance(data, dict):
        return None, [error_item("INVALID_PARAMETER", "a receipt must be a JSON object")]
    try:
        ReceiptCreateRequest.model_validate(data, by_alias=True, by_name=False)
    except ValidationError as exc:
        return None, validation_errors(exc)
    return data, []


def _read_body(body: bytes) -> tuple[Any, Response | None]:
    try:
        return parse_json(body), None
    except ValueError:
        return None, error(400, "INVALID_JSON", "the body is not valid JSON")


def _with_fields(document: str, added: dict[str, Any]) -> str:
    """A JSON object's text with server fields put in front of the client's own bytes.
    Re-encoding the whole receipt would cost more than the rest of the request; the object
    is known valid and these keys cannot be in it (the wire model forbids unknown fields)."""
    return "{" + encode_json(added).decode("utf-8")[1:-1] + "," + document.strip()[1:]


def _now() -> str:
    return iso_utc(datetime.now(UTC))


# --------------------------------------------------------------------------------------------
# The API


@dataclass(frozen=True)
class Resource:
    kind: Kind
    model: type[WireModel]


CUSTOMERS = Resource("customers", SBCustomerCreate)
LOCATIONS = Resource("locations", SBLocationCreate)


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
        if denied := self._authorize(request, "receipts.write"):
            return denied
        self.counters["receipt_posts"] += 1
        body = await request.body()
        data, problem = _read_body(body)
        if problem:
            return problem
        checked, errors = _checked_receipt(data)
        if checked is None:
            self.counters["rejected"] += 1
            return envelope(400, errors)
        outcome = self.store.add_receipts([self._new_receipt(request, checked, body)])[0]
        if isinstance(outcome, str):
            self.counters["duplicates"] += 1
            return json_response(_duplicate_receipt(outcome), 409)
        self.counters["created"] += 1
        return await self._answer_or_drop(request, raw_json(outcome.document, 201))

    async def create_batch(self, request: Request) -> Response:
        if denied := self._authorize(request, "receipts.write"):
            return denied
        items, problem = _read_body(await request.body())
        if problem:
            return problem
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
            return error(
                400, "INVALID_PARAMETER", f"the body must be an array of 1 to {MAX_BATCH} receipts"
            )
        self.counters["receipt_posts"] += len(items)
        checked = [_checked_receipt(item) for item in items]
        valid = [
            self._new_receipt(request, data, encode_json(data))
            for data, _ in checked
            if data is not None
        ]
        stored = iter(self.store.add_receipts(valid))
        parts = [
            self._batch_part(errors, next(stored) if data is not None else None)
            for data, errors in checked
        ]
        return await self._answer_or_drop(request, raw_json(b"[" + b",".join(parts) + b"]"))

    def _batch_part(
        self, errors: list[dict[str, Any]], outcome: StoredReceipt | str | None
    ) -> bytes:
        if outcome is None:
            self.counters["rejected"] += 1
            return encode_json({"status": 400, "errors": errors})
        if isinstance(outcome, str):
            self.counters["duplicates"] += 1
            return encode_json({"status": 409, **_duplicate_receipt(outcome)})
        self.counters["created"] += 1
        return b'{"data":' + outcome.document.encode() + b',"status":201}'

    def _new_receipt(self, request: Request, data: dict[str, Any], body: bytes) -> NewReceipt:
        server_id = str(uuid.uuid4())
        added: dict[str, Any] = {
            "id": server_id,
            "url": f"{str(request.base_url).rstrip('/')}/r/{server_id}",
            "receivedAt": _now(),
        }
        if "status" not in data:
            added["status"] = "APPROUVED"
        text = body.decode("utf-8")
        return NewReceipt(
            id=server_id,
            receipt_id=data["receiptId"],
            business=self._business(request),
            body=text,
            document=_with_fields(text, added),
        )

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
        document = self.store.get_document(kind, self._business(request), request.path_params["id"])
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
            + encode_json(metadata)
            + b"}"
        )
        return raw_json(body)

    async def _validated(self, request: Request, resource: Resource) -> dict[str, Any] | Response:
        """The body as canonical wire data (our names, typos included), or the 400 answer."""
        data, problem = _read_body(await request.body())
        if problem:
            return problem
        try:
            model = resource.model.model_validate(data, by_alias=True, by_name=False)
        except ValidationError as exc:
            self.counters["rejected"] += 1
            return envelope(400, validation_errors(exc))
        wire: dict[str, Any] = parse_json(dump_request_json(model))
        return wire

    def _location_taken(
        self, request: Request, resource: Resource, wire: dict[str, Any], doc_id: str | None
    ) -> bool:
        return resource.kind == "locations" and self.store.location_taken(
            self._business(request), wire.get("email"), wire.get("phoneNumber"), doc_id
        )

    async def create_document(self, request: Request, resource: Resource) -> Response:
        if denied := self._authorize(request, f"{resource.kind}:create"):
            return denied
        wire = await self._validated(request, resource)
        if isinstance(wire, Response):
            return wire
        if self._location_taken(request, resource, wire, None):
            return error(
                409, "DUPLICATE_LOCATION", "A location with this email or phone exists", "email"
            )
        now = _now()
        doc_id = str(uuid.uuid4())
        document = encode_json({**wire, "id": doc_id, "createdAt": now, "updatedAt": now}).decode()
        self.store.add_document(
            resource.kind,
            self._business(request),
            doc_id,
            document,
            wire.get("email"),
            wire.get("phoneNumber"),
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
        if denied := self._authorize(request, f"{resource.kind}:update"):
            return denied
        doc_id = request.path_params["id"]
        business = self._business(request)
        current = self.store.get_document(resource.kind, business, doc_id)
        if current is None:
            return error(404, "NOT_FOUND", f"No such {resource.kind[:-1]}")
        wire = await self._validated(request, resource)
        if isinstance(wire, Response):
            return wire
        if self._location_taken(request, resource, wire, doc_id):
            return error(
                409, "DUPLICATE_LOCATION", "A location with this email or phone exists", "email"
            )
        created_at = parse_json(current).get("createdAt")
        document = encode_json(
            {**wire, "id": doc_id, "createdAt": created_at, "updatedAt": _now()}
        ).decode()
        self.store.replace_document(
            resource.kind, business, doc_id, document, wire.get("email"), wire.get("phoneNumber")
        )
        return raw_json(document)

    async def delete_document(self, request: Request, resource: Resource) -> Response:
        if denied := self._authorize(request, f"{resource.kind}:delete"):
            return denied
        if not self.store.delete_document(
            resource.kind, self._business(request), request.path_params["id"]
        ):
            return error(404, "NOT_FOUND", f"No such {resource.kind[:-1]}")
        return Response(status_code=204)

    # -- pages for people

    async def home(self, request: Request) -> Response:
        return json_response({"name": "pos-app sandbox", "api": "smartbills v1"})

    async def receipt_page(self, request: Request) -> Response:
        document = self.store.find_receipt(request.path_params["id"])
        if document is None:
            return HTMLResponse("<h1>Receipt not found</h1>", 404)
        receipt = parse_json(document)
        total = receipt.get("total", {})
        title = html.escape(str(receipt.get("orderNumber") or receipt["receiptId"]))
        amount = html.escape(f"{total.get('amount')} {total.get('currency')}")
        return HTMLResponse(
            f"<!doctype html><title>Receipt {title}</title>"
            f"<h1>Receipt {title}</h1><p>Total: {amount}</p>"
        )

    # -- admin (tests and demos only; plain JSON, fault rates are floats)

    async def admin_receipts(self, request: Request) -> Response:
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
        return JSONResponse(
            {
                **dict(self.counters),
                "tokens_issued": self.state.tokens.issued_count,
                "receipts_stored": self.store.receipt_count(),
            }
        )

    async def admin_faults(self, request: Request) -> Response:
        if request.method == "POST":
            data, problem = _read_body(await request.body() or b"{}")
            if problem:
                return problem
            try:
                self.state.faults.update(FaultUpdate.model_validate(data))
            except ValidationError as exc:
                return envelope(400, validation_errors(exc))
        return JSONResponse(self.state.faults.snapshot())

    async def admin_down(self, request: Request) -> Response:
        data, problem = _read_body(await request.body() or b"{}")
        if problem:
            return problem
        given = data.get("seconds") if isinstance(data, dict) else None
        seconds = float(given) if given is not None else None
        if self.state.on_down is None:
            return error(409, "NOT_SUPPORTED", "this sandbox cannot go down")
        self.state.on_down(seconds)
        return JSONResponse({"down": True, "seconds": seconds}, 202)

    async def admin_revoke_tokens(self, request: Request) -> Response:
        return JSONResponse({"revoked": self.state.tokens.revoke_issued()})


def _page_params(request: Request) -> tuple[tuple[int, int, bool], Response | None]:
    query = request.query_params
    try:
        page = int(query.get("page", "1"))
        size = int(query.get("pageSize", str(MAX_PAGE_SIZE)))
    except ValueError:
        return (0, 0, False), error(
            400, "INVALID_PARAMETER", "page and pageSize must be integers", "page"
        )
    if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        return (0, 0, False), error(
            400,
            "INVALID_PARAMETER",
            f"page must be >= 1 and pageSize 1 to {MAX_PAGE_SIZE}",
            "pageSize",
        )
    if query.get("orderBy", "createdAt") != "createdAt":
        return (0, 0, False), error(
            400, "INVALID_PARAMETER", "only createdAt ordering is supported", "orderBy"
        )
    return (page, size, query.get("sortOrder", "desc").lower() != "asc"), None


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
