"""What the receipt says, read back from the PDF: every figure of the totals engine in the
locale's format, the labels in the receipt's language(s), payments, taxes, dates."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from receipt_helpers import (
    ORDER,
    STORE,
    full_cart,
    item,
    lines_cart,
    make_receipt,
    normalise_spaces,
    pdf_text,
)

from pos_app.adapters.receipt_pdf import render_receipt
from pos_app.domain.paper import Paper, ReceiptLanguage
from pos_app.domain.receipt import Receipt, StoreInfo
from pos_app.domain.totals_format import totals_document

# Top-level figures a paid receipt does not print: what was paid in total is the total (plus
# the cash rounding, printed on its own line) and nothing is left to pay.
NOT_PRINTED = {"totalPayments", "balanceDue"}


def money(amount: str, locale: str) -> str:
    """The amount as babel writes it for the locale: what the receipt must show."""
    return normalise_spaces(format_currency(Decimal(amount), "CAD", locale=locale))


def render(receipt: Receipt, language: ReceiptLanguage, paper: Paper = Paper.ROLL_80MM) -> str:
    return pdf_text(render_receipt(receipt, paper=paper, language=language))


def printed_figures(receipt: Receipt) -> dict[str, str]:
    """Name -> decimal string of every figure the receipt must print."""
    doc = totals_document(receipt.totals)
    figures = {
        key: value
        for key, value in doc.items()
        if isinstance(value, str) and key != "currency" and key not in NOT_PRINTED
    }
    figures = {k: v for k, v in figures.items() if Decimal(v) != 0}
    for tax in doc["taxes"]:
        figures[f"tax {tax['name']}"] = tax["total"]
    for n, line in enumerate(doc["lines"]):
        figures[f"line {n} subTotal"] = line["subTotal"]
    return figures


@pytest.mark.parametrize("paper", [Paper.ROLL_80MM, Paper.ROLL_58MM, Paper.LETTER, Paper.A4])
@pytest.mark.parametrize(
    ("language", "locale"),
    [
        (ReceiptLanguage.FR, "fr_CA"),
        (ReceiptLanguage.EN, "en_CA"),
        (ReceiptLanguage.FR_EN, "fr_CA"),
    ],
)
def test_every_figure_of_the_engine_is_printed_in_the_locale_format(
    paper: Paper, language: ReceiptLanguage, locale: str
) -> None:
    receipt = make_receipt(full_cart())
    text = render(receipt, language, paper)
    figures = printed_figures(receipt)
    assert {"cashRounding", "cashDue", "totalTip", "totalFees"} <= set(figures)
    for name, amount in figures.items():
        assert money(amount, locale) in text, f"{name} = {amount} not printed as {locale}"
    total = money(receipt.totals.total.to_eng_string(), locale)
    assert re.search(rf"TOTAL\s+{re.escape(total)}", text)


def test_french_and_english_formats() -> None:
    receipt = make_receipt(full_cart())
    fr = render(receipt, ReceiptLanguage.FR)
    en = render(receipt, ReceiptLanguage.EN)
    assert "27,64 $" in fr and "$27.64" in en
    assert "-0,50 $" in fr and "-$0.50" in en  # the happy-hour discount, with its sign
    assert "-0,02 $" in fr and "-$0.02" in en  # cash rounding, signed as the engine says


def test_labels_follow_the_language() -> None:
    receipt = make_receipt(full_cart())
    fr = render(receipt, ReceiptLanguage.FR)
    en = render(receipt, ReceiptLanguage.EN)
    both = render(receipt, ReceiptLanguage.FR_EN)
    assert "Sous-total" in fr and "Subtotal" not in fr
    assert "Subtotal" in en and "Sous-total" not in en
    for label in (
        "Sous-total / Subtotal",
        "Pourboire / Tip",
        "Livraison / Shipping",
        "Droits de douane / Duties",
        "Monnaie rendue / Change",
        "Arrondi du comptant / Cash rounding",
    ):
        assert label in both
    # Spelled alike in both languages: printed once.
    assert "TOTAL / TOTAL" not in both


def test_bilingual_item_names_french_first_english_below() -> None:
    both = render(make_receipt(full_cart()), ReceiptLanguage.FR_EN)
    assert re.search(r"Café filtre [^\n]*\nDrip coffee\n", both)
    # A name with no English version is printed once.
    assert both.count("Pommes Honeycrisp") == 1
    en = render(make_receipt(full_cart()), ReceiptLanguage.EN)
    assert "Drip coffee" in en and "Café filtre" not in en


def test_quantities_weights_and_unit_prices() -> None:
    receipt = make_receipt(full_cart())
    fr = render(receipt, ReceiptLanguage.FR)
    en = render(receipt, ReceiptLanguage.EN)
    assert "0,735 kg @ 8,99 $/kg" in fr
    assert "0.735 kg @ $8.99/kg" in en
    assert "2 × 2,49 $" in fr and "3 × $3.10" in en


def test_prices_finer_than_a_cent_keep_their_digits() -> None:
    cart = lines_cart(1)
    cart["items"] = [item("Essence", "1.659", "40.5", unit="L")]
    fr = render(make_receipt(cart), ReceiptLanguage.FR)
    assert "40,5 L @ 1,659 $/L" in fr


def test_line_and_receipt_discounts_are_named() -> None:
    fr = render(make_receipt(full_cart()), ReceiptLanguage.FR)
    assert re.search(r"Happy hour \(10 %\) -0,50 \$", fr)
    assert re.search(r"Fidélité -0,50 \$", fr)
    assert re.search(r"Membre \(5 %\) -1,36 \$", fr)
    assert re.search(r"Coupon -1,00 \$", fr)
    # Receipt discounts listed with the totals, item discounts summed beside them.
    assert re.search(r"Rabais sur articles -1,00 \$", fr)


def test_each_tax_with_rate_and_registration_number() -> None:
    receipt = make_receipt(full_cart())
    sheet = render(receipt, ReceiptLanguage.FR_EN, Paper.LETTER)
    assert "TPS/GST 5 % — 123456789 RT0001 0,91 $" in sheet
    assert "TVQ/QST 9,975 % — 1234567890 TQ0001 1,82 $" in sheet
    en = render(receipt, ReceiptLanguage.EN, Paper.LETTER)
    assert "GST 5% — 123456789 RT0001 $0.91" in en
    # On a roll a long tax label wraps, but never inside the registration number.
    roll = render(receipt, ReceiptLanguage.FR_EN)
    assert "TPS/GST 5 % — 123456789 RT0001 0,91 $" in roll
    assert "TVQ/QST 9,975 % 1,82 $\n— 1234567890 TQ0001\n" in roll


def test_zero_extras_are_left_out() -> None:
    cart = lines_cart(2)
    cart["payments"] = [{"type": "CARD", "amount": str(make_receipt(cart).totals.total)}]
    fr = render(make_receipt(cart), ReceiptLanguage.FR)
    assert "Carte" in fr  # a card of unknown brand
    for label in ("Pourboire", "Livraison", "Droits", "Frais", "Rabais", "Arrondi", "Monnaie"):
        assert label not in fr


def test_payments_card_brand_last4_cash_and_change() -> None:
    receipt = make_receipt(full_cart())
    fr = render(receipt, ReceiptLanguage.FR)
    assert "VISA •••• 4242 10,00 $" in fr
    assert "Comptant 50,00 $" in fr
    assert "Arrondi du comptant -0,02 $" in fr
    assert "Comptant dû 28,00 $" in fr
    assert f"Monnaie rendue {money(str(receipt.totals.change_due), 'fr_CA')}" in fr


def test_other_payment_types_are_named() -> None:
    cart = lines_cart(1)
    total = str(make_receipt(cart).totals.total)
    cart["payments"] = [{"type": "GIFT_CARD", "amount": total, "last4": "9876"}]
    assert "Carte-cadeau •••• 9876" in render(make_receipt(cart), ReceiptLanguage.FR)
    cart["payments"] = [{"type": "CHEQUE", "amount": total}]
    assert "Other payment (CHEQUE)" in render(make_receipt(cart), ReceiptLanguage.EN)


def test_tax_included_prices_show_the_net_and_tax_breakdown() -> None:
    cart = lines_cart(3)
    cart["taxesIncluded"] = True
    receipt = make_receipt(cart)
    doc = totals_document(receipt.totals)
    fr = render(receipt, ReceiptLanguage.FR)
    assert "Taxes incluses" in fr
    assert f"Montant net {money(doc['totalNet'], 'fr_CA')}" in fr
    for tax in doc["taxes"]:
        assert money(tax["total"], "fr_CA") in fr
    # Included taxes are a breakdown of the total, printed after it, not added before it.
    assert fr.index("TOTAL") < fr.index("Taxes incluses") < fr.index("TPS 5 %")


def test_header_store_sale_and_footer() -> None:
    receipt = make_receipt(full_cart())
    fr = render(receipt, ReceiptLanguage.FR)
    for text in (
        STORE.business_name,
        STORE.location_name,
        "123, rue Saint-Denis",
        "Montréal, QC",
        "Tél. 514 555-0199",
        f"Commande {ORDER}",
        "Caissier Élodie",
        STORE.return_policy,
        STORE.thank_you,
    ):
        assert text in fr


def test_customer_name_is_printed() -> None:
    cart = full_cart()
    cart["customer"] = {"firstName": "Zoé", "lastName": "Lefèvre"}
    assert "Client Zoé Lefèvre" in render(make_receipt(cart), ReceiptLanguage.FR)


def test_date_and_time_in_the_store_timezone() -> None:
    receipt = make_receipt(full_cart())
    assert "21 janv. 2025 13 h 54" in render(receipt, ReceiptLanguage.FR)
    assert "Jan 21, 2025 1:54 p.m." in render(receipt, ReceiptLanguage.EN)
    west_store = StoreInfo(business_name="Ouest", timezone="America/Vancouver")
    west = make_receipt(full_cart(), store=west_store)
    assert "21 janv. 2025 10 h 54" in render(west, ReceiptLanguage.FR)


@pytest.mark.parametrize(
    ("language", "mark"),
    [
        (ReceiptLanguage.FR, "DUPLICATA"),
        (ReceiptLanguage.EN, "COPY"),
        (ReceiptLanguage.FR_EN, "DUPLICATA / COPY"),
    ],
)
def test_copy_mark_at_the_top(language: ReceiptLanguage, mark: str) -> None:
    receipt = make_receipt(full_cart())
    copy = pdf_text(render_receipt(receipt, paper=Paper.ROLL_80MM, language=language, copy=True))
    assert copy.startswith(mark)
    original = render(receipt, language)
    assert "DUPLICATA" not in original and "COPY" not in original
