"""LocationCreateRequest: the body of POST and PUT /v1/locations, and a receipt's `location`.

The locations page's own table is a copy of the customers page (a location with a first and a
last name). The receipts page names the same type, LocationCreateRequest, for the receipt's
inline `location` and shows its fields: that example is the shape taken here. From the
locations page two rules are kept, both of which fit a location: it is known by its email or
its phone ("a location should be unique by email or by phone number", so one of the two is
needed), and the sandbox refuses a second location with the same email or phone (409). A
location also needs its `name`: every screen and receipt shows it.
"""

from __future__ import annotations

from pos_app.sandbox.reference.common import ADDRESS, IMAGE
from pos_app.sandbox.reference.kinds import (
    BOOLEAN,
    CURRENCY,
    STRING,
    Kind,
    ListOf,
    Required,
    Shape,
    either,
)

LOCATION_FIELDS: dict[str, Kind | Required] = {
    "name": STRING,
    "description": STRING,
    "merchantCategoryCode": STRING,
    "currency": CURRENCY,
    "timezone": STRING,
    "phoneNumber": STRING,
    "website": STRING,
    "address": ADDRESS,
    "facebookUrl": STRING,
    "instagramUsername": STRING,
    "twitterUsername": STRING,
    "isActive": BOOLEAN,
    "locale": STRING,
    "email": STRING,
    "logo": STRING,
    "images": ListOf(IMAGE),
}

# Inside a receipt: every field optional, as the receipts page has it.
RECEIPT_LOCATION = Shape("LocationCreateRequest", LOCATION_FIELDS)


LOCATION_REQUEST = Shape(
    "LocationCreateRequest",
    {**LOCATION_FIELDS, "name": Required(STRING)},
    rules=(either("email", "phoneNumber"),),
)
