"""What is kept of a sale besides its wire body: the cart, the store as printed, the cashier.

Enough to rebuild the very receipt for a reprint or a PDF, whatever the settings say today.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

from pos_app.domain.cart_format import cart_to_dict, parse_cart
from pos_app.domain.receipt import CorrectionKind, Receipt, issue_receipt
from pos_app.domain.refunds import RefundRecord, correction_receipt, refund_of_record
from pos_app.domain.totals import compute_totals
from pos_app.services.ports.shifts import RecordedRow
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


def correction_json(original: Receipt, correction: Receipt, record: RefundRecord) -> str:
    """A refund or void is kept as its original's cart and store (as sold) plus what it took
    back: its figures are rebuilt from them, exactly as they were first computed."""
    assert correction.correction is not None
    c = correction.correction
    document: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "cart": cart_to_dict(original.cart),
        "store": store_to_dict(original.store),
        "cashier": correction.cashier,
        "correction": {
            "kind": c.kind.value,
            "originalReceiptId": c.original_receipt_id,
            "originalOrderNumber": c.original_order_number,
            "reason": c.reason,
        },
        "refund": record_to_dict(record),
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def record_to_dict(record: RefundRecord) -> dict[str, Any]:
    return {
        "before": [f"{q:f}" for q in record.before],
        "after": [f"{q:f}" for q in record.after],
        "taken": [f"{a:f}" for a in record.taken],
        "cashExact": f"{record.cash_exact:f}",
        "cashHanded": f"{record.cash_handed:f}",
        "toCash": record.to_cash,
    }


def record_json(record: RefundRecord) -> str:
    return json.dumps(record_to_dict(record), separators=(",", ":"))


def record_from_json(text: str) -> RefundRecord:
    return record_from_dict(json.loads(text))


def record_from_dict(d: dict[str, Any]) -> RefundRecord:
    return RefundRecord(
        before=tuple(Decimal(q) for q in d["before"]),
        after=tuple(Decimal(q) for q in d["after"]),
        taken=tuple(Decimal(a) for a in d["taken"]),
        cash_exact=Decimal(d["cashExact"]),
        cash_handed=Decimal(d["cashHanded"]),
        to_cash=bool(d["toCash"]),
    )


def receipt_from_row(row: RecordedRow) -> Receipt:
    """The receipt of a recorded sale, refund or void, as it was issued (with its URL once
    the API gave one)."""
    document = json.loads(row.cart_json)
    if "correction" in document:
        return replace(_correction_from_document(row, document), url=row.server_url)
    receipt = issue_receipt(
        parse_cart(document["cart"]),
        receipt_id=row.receipt_id,
        order_number=row.order_number,
        store=store_from_dict(document["store"]),
        issued_at=row.created_at,
        cashier=document.get("cashier", ""),
    )
    return replace(receipt, url=row.server_url)


def _correction_from_document(row: RecordedRow, document: dict[str, Any]) -> Receipt:
    cart = parse_cart(document["cart"])
    totals = compute_totals(cart)
    record = record_from_dict(document["refund"])
    c = document["correction"]
    original = Receipt(
        receipt_id=c["originalReceiptId"],
        order_number=c["originalOrderNumber"],
        issued_at=row.created_at,
        cart=cart,
        totals=totals,
        store=store_from_dict(document["store"]),
    )
    return correction_receipt(
        original,
        refund_of_record(cart, totals, record),
        kind=CorrectionKind(c["kind"]),
        receipt_id=row.receipt_id,
        order_number=row.order_number,
        issued_at=row.created_at,
        store=original.store,
        cashier=document.get("cashier", ""),
        reason=c.get("reason", ""),
    )
