"""Shapes the reference uses in several places: SBMoney, the addresses, an image.

The receipts page shows two addresses: the short one (8 fields) inside a location and inside
the receipt's own billing and shipping addresses, and a longer one (with `location`,
`googlePlaceId`, `formattedAddress`) inside an inline customer and a payment's addresses. Each
place takes the one its example shows.
"""

from __future__ import annotations

from pos_app.sandbox.reference.kinds import CURRENCY, NUMBER, STRING, Required, Shape

SB_MONEY = Shape("SBMoney", {"amount": Required(NUMBER), "currency": Required(CURRENCY)})

ADDRESS = Shape(
    "Address",
    {
        "line1": STRING,
        "line2": STRING,
        "city": STRING,
        "state": STRING,
        "country": STRING,
        "stateCode": STRING,
        "countryCode": STRING,
        "postalCode": STRING,
    },
)

COORDINATES = Shape("Coordinates", {"longitude": NUMBER, "latitude": NUMBER})

PLACE_ADDRESS = Shape(
    "Address",
    {
        **ADDRESS.fields,
        "location": COORDINATES,
        "googlePlaceId": STRING,
        "formattedAddress": STRING,
    },
)


def billing_address(address: Shape) -> Shape:
    """BillingAddressRequest around one of the two addresses (`comapny` is the API's spelling)."""
    return Shape(
        "BillingAddressRequest",
        {
            "firstName": STRING,
            "lastName": STRING,
            "name": STRING,
            "address": address,
            "comapny": STRING,
            "phoneNumber": STRING,
            "email": STRING,
        },
    )


BILLING_ADDRESS = billing_address(ADDRESS)
PLACE_BILLING_ADDRESS = billing_address(PLACE_ADDRESS)

IMAGE = Shape("ImageRequest", {"name": STRING, "url": STRING, "base64": STRING, "stream": STRING})
