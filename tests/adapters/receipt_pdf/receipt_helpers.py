"""Receipts built the way the till builds them (cart JSON -> parse_cart -> issue_receipt), and
PDFs read back: text with pypdf, images with pdftoppm, barcodes with zbar."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PIL import Image
from pypdf import PdfReader
from pyzbar import pyzbar

from pos_app.domain.cart_format import parse_cart
from pos_app.domain.receipt import Address, Receipt, StoreInfo, issue_receipt

ORDER = "A1-000042"
URL = "https://receipts.example.com/r/8f14e45f-ceea-467f-a0e6-8b3b6c2e9d3a"
# 18:54 UTC is 13:54 in Montréal (EST, UTC-5) and 10:54 in Vancouver (PST, UTC-8).
ISSUED_AT = datetime(2025, 1, 21, 18, 54, 48, tzinfo=UTC)
GST = {"name": "GST", "percentage": "5"}
QST = {"name": "QST", "percentage": "9.975"}

STORE = StoreInfo(
    business_name="Café Éloïse & Fils",
    location_name="Succursale Plateau",
    address=Address(
        line1="123, rue Saint-Denis", city="Montréal", state_code="QC", postal_code="H2X 1Y4"
    ),
    phone="514 555-0199",
    timezone="America/Toronto",
    tax_numbers={"GST": "123456789 RT0001", "QST": "1234567890 TQ0001"},
    return_policy="Retours acceptés sous 30 jours avec le reçu.",
    thank_you="Merci de votre visite !",
)


def item(name: str, price: str = "2.49", quantity: str = "1", **extra: Any) -> dict[str, Any]:
    return {"name": name, "unitPrice": price, "quantity": quantity, "taxes": [GST, QST], **extra}


def full_cart() -> dict[str, Any]:
    """Every kind of figure a receipt prints: item and receipt discounts, two taxes, fees,
    tip, shipping, duties, a card and cash with rounding and change."""
    return {
        "currency": "CAD",
        "items": [
            item(
                "Café filtre",
                "2.49",
                "2",
                description={"fr-CA": "Café filtre", "en-CA": "Drip coffee"},
                discounts=[{"name": "Happy hour", "percentage": "10"}],
            ),
            item("Pommes Honeycrisp", "8.99", "0.735", unit="kg", taxes=[]),
            item("Crème brûlée façon Élise", "6.75", "1"),
            item("Thé vert", "3.10", "3", discounts=[{"name": "Fidélité", "amount": "0.50"}]),
        ],
        "discounts": [
            {"name": "Membre", "percentage": "5"},
            {"name": "Coupon", "amount": "1.00"},
        ],
        "fees": [{"name": "Sac", "amount": "0.10"}, {"name": "Service", "percentage": "15"}],
        "tip": "2.02",
        "shipping": "4.00",
        "duties": "1.25",
        "payments": [
            {"type": "CARD", "amount": "10.00", "brand": "VISA", "last4": "4242"},
            {"type": "CASH", "amount": "50.00"},
        ],
    }


def lines_cart(count: int) -> dict[str, Any]:
    return {
        "currency": "CAD",
        "items": [item(f"Article {i}", f"{1 + i % 20}.{i % 100:02d}") for i in range(count)],
        "payments": [{"type": "CASH", "amount": "100000.00"}],
    }


def make_receipt(
    cart: dict[str, Any],
    *,
    url: str | None = URL,
    store: StoreInfo = STORE,
    cashier: str = "Élodie",
) -> Receipt:
    receipt = issue_receipt(
        parse_cart(cart),
        receipt_id="0b5c3f1e-2d4a-4c8e-9f1a-7e6d5c4b3a29",
        order_number=ORDER,
        store=store,
        issued_at=ISSUED_AT,
        cashier=cashier,
    )
    return replace(receipt, url=url)


def normalise_spaces(text: str) -> str:
    """Babel writes no-break and narrow no-break spaces ("12,34\u00a0$"); compare them as
    spaces whatever the PDF text extractor returns for them."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def pages_text(pdf: bytes) -> list[str]:
    return [normalise_spaces(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pages_text(pdf))


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [
        (float(page.mediabox.width), float(page.mediabox.height))
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def rasterise(pdf: bytes, dpi: int, folder: Path) -> list[Path]:
    """Each page as a PNG at `dpi`, as a printer driver would rasterise it."""
    source = folder / f"receipt-{dpi}.pdf"
    source.write_bytes(pdf)
    prefix = folder / f"page-{dpi}"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(source), str(prefix)], check=True, timeout=60
    )
    return sorted(folder.glob(f"page-{dpi}-*.png"))


def decode(png: Path) -> dict[str, list[str]]:
    """Symbol type ("CODE128", "QRCODE") -> the data zbar reads from the image."""
    found: dict[str, list[str]] = {}
    with Image.open(png) as image:
        for symbol in pyzbar.decode(image):
            found.setdefault(symbol.type, []).append(symbol.data.decode("utf-8"))
    return found
