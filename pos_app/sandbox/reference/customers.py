"""CustomerCreateRequest and CustomerUpdateRequest, the bodies of POST and PUT /v1/customers,
as the customers page has them (its tables for what is required, its examples for the rest).

This is not the receipt's inline `customer`: the receipts page shows another shape under the
same name (`phoneNumber`, `isTaxExempt`...), which `receipts.py` holds.
"""

from __future__ import annotations

from pos_app.sandbox.reference.kinds import BOOLEAN, STRING, Required, Shape, either

CUSTOMER_CREATE = Shape(
    "CustomerCreateRequest",
    {
        "firstName": Required(STRING),
        "lastName": Required(STRING),
        "email": STRING,  # required if no phone
        "taxExempt": BOOLEAN,
        "phone": STRING,  # required if no email
        "locale": Required(STRING),
        "acceptsMarketing": BOOLEAN,
    },
    rules=(either("email", "phone"),),
)

# The update table marks all five fields required; an empty email or phone says "none", but
# not both (the create rule still holds).
CUSTOMER_UPDATE = Shape(
    "CustomerUpdateRequest",
    {
        "firstName": Required(STRING),
        "lastName": Required(STRING),
        "email": Required(STRING),
        "taxExempt": BOOLEAN,
        "phone": Required(STRING),
        "locale": Required(STRING),
        "acceptsMarketing": BOOLEAN,
    },
    rules=(either("email", "phone"),),
)
