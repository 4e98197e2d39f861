"""The sandbox's request schemas, written from ../shared/reference on their own (never from
the client's wire models): a client that drifts from the reference must fail against them.

`check(SHAPE, body)` lists every problem, one `FieldError` per field, in the order of the body.
"""

from pos_app.sandbox.reference.customers import CUSTOMER_CREATE, CUSTOMER_UPDATE
from pos_app.sandbox.reference.kinds import FieldError, Shape, check
from pos_app.sandbox.reference.locations import LOCATION_REQUEST
from pos_app.sandbox.reference.receipts import RECEIPT_CREATE

__all__ = [
    "CUSTOMER_CREATE",
    "CUSTOMER_UPDATE",
    "LOCATION_REQUEST",
    "RECEIPT_CREATE",
    "FieldError",
    "Shape",
    "check",
]
