"""Benchmark: rendering an 80 mm receipt to PDF bytes (DejaVu Sans embedded, Code 128 of the
order number as vector bars, QR code of the receipt URL), 30 lines and 300 lines.

A plain script (no pytest); it reports figures and never fails on time. Prints exactly:

    receipt_30_lines_ms=<median>
    receipt_300_lines_ms=<median>

Aims: under 10 ms and 30 ms (../shared/qt-facts.md baselines with DejaVu embedded: ~7 ms for
30 lines with the barcode, ~15 ms for 300 lines). Every run uses a fresh URL, as every sale
does, so the QR code is encoded each time. Run: .venv/bin/python bench/receipt_pdf.py [repeats]
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pos_app.adapters.receipt_pdf import render_receipt
from pos_app.domain.cart_format import parse_cart
from pos_app.domain.paper import Paper, ReceiptLanguage
from pos_app.domain.receipt import Address, Receipt, StoreInfo, issue_receipt

TAXES = [{"name": "GST", "percentage": "5"}, {"name": "QST", "percentage": "9.975"}]
STORE = StoreInfo(
    business_name="Épicerie Éloïse",
    location_name="Plateau",
    address=Address(line1="123, rue Saint-Denis", city="Montréal", state_code="QC"),
    phone="514 555-0199",
    tax_numbers={"GST": "123456789 RT0001", "QST": "1234567890 TQ0001"},
    return_policy="Retours acceptés sous 30 jours avec le reçu.",
    thank_you="Merci de votre visite !",
)


def build_receipt(lines: int) -> Receipt:
    items: list[dict[str, Any]] = []
    for i in range(lines):
        item: dict[str, Any] = {
            "name": f"Article n° {i} — crème brûlée",
            "unitPrice": f"{1 + (i * 37) % 50}.{i % 100:02d}",
            "quantity": "0.735" if i % 7 == 0 else str(1 + i % 3),
            "taxes": TAXES,
        }
        if i % 7 == 0:
            item["unit"] = "kg"
        if i % 4 == 0:
            item["discounts"] = [{"name": "Happy hour", "percentage": "10"}]
        items.append(item)
    cart = parse_cart(
        {
            "currency": "CAD",
            "items": items,
            "discounts": [{"name": "Coupon", "amount": "1.00"}],
            "payments": [
                {"type": "CARD", "amount": "5.00", "brand": "VISA", "last4": "4242"},
                {"type": "CASH", "amount": "100000.00"},
            ],
        }
    )
    return issue_receipt(
        cart,
        receipt_id="bench",
        order_number="A1-000042",
        store=STORE,
        issued_at=datetime(2025, 1, 21, 18, 54, tzinfo=UTC),
        cashier="Élodie",
    )


def median_ms(receipt: Receipt, repeats: int) -> float:
    times: list[float] = []
    clock = time.perf_counter
    for n in range(repeats + 5):
        with_url = replace(receipt, url=f"https://receipts.example.com/r/{n:08d}-bench-receipt")
        t0 = clock()
        render_receipt(with_url, paper=Paper.ROLL_80MM, language=ReceiptLanguage.FR)
        elapsed = clock() - t0
        if n >= 5:  # the first renders register the font and fill caches
            times.append(elapsed)
    return statistics.median(times) * 1000


def main(repeats: int = 60) -> None:
    short, long = build_receipt(30), build_receipt(300)
    print(f"receipt_30_lines_ms={median_ms(short, repeats):.2f}")
    print(f"receipt_300_lines_ms={median_ms(long, repeats):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
