"""What is kept of a sale besides its wire body: the cart, the store as printed, the cashier.

Enough to rebuild the very receipt for a reprint or a PDF, whatever the settings say today.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from pos_app.domain.cart_format import cart_to_dict, parse_cart
from pos_app.domain.receipt import Receipt, issue_receipt
from pos_app.services.ports import SaleRow
from pos_app.services.settings import store_from_dict, store_to_dict

FORMAT_VERSION = 1


def sale_json(receipt: Receipt) -> str:
    document: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "cart": cart_to_dict(receipt.cart),
        "store": store_to_dict(receipt.store),
        "cashier": receipt.cashier,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def receipt_from_row(row: SaleRow) -> Receipt:
    """The receipt of a recorded sale, as it was issued (with its URL once the API gave one)."""
    document = json.loads(row.cart_json)
    receipt = issue_receipt(
        parse_cart(document["cart"]),
        receipt_id=row.receipt_id,
        order_number=row.order_number,
        store=store_from_dict(document["store"]),
        issued_at=row.created_at,
        cashier=document.get("cashier", ""),
    )
    return replace(receipt, url=row.server_url)
