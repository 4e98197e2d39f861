"""Worked examples from public sources, each naming where its figures come from.

Every example runs through the JSON cart format and the totals document, the way the command
line (`pos-app totals`) sees it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pos_app.domain.cart_format import parse_cart
from pos_app.domain.totals import Totals, compute_totals
from pos_app.domain.totals_format import totals_document

GST = {"name": "GST", "percentage": "5"}
QST = {"name": "QST", "percentage": "9.975"}
QST_BEFORE_2013 = {"name": "QST", "percentage": "7.5", "compound": True}


def totals(
    currency: str,
    items: list[dict[str, Any]],
    *,
    policy: dict[str, str] | None = None,
    included: bool = False,
    **extra: Any,
) -> tuple[Totals, dict[str, Any]]:
    cart = {"currency": currency, "taxesIncluded": included, "items": items, **extra}
    if policy:
        cart["policy"] = policy
    result = compute_totals(parse_cart(cart))
    return result, totals_document(result)


def item(price: str, *taxes: dict[str, Any], quantity: str = "1", name: str = "x") -> dict:
    return {"name": name, "unitPrice": price, "quantity": quantity, "taxes": list(taxes)}


def tax_figures(doc: dict[str, Any]) -> dict[str, str]:
    return {t["name"]: t["total"] for t in doc["taxes"]}


# --- Québec: GST and QST ---------------------------------------------------------------------


@pytest.mark.parametrize("rounding", ["per_line", "global"])
@pytest.mark.parametrize("mode", ["HALF_UP", "HALF_EVEN"])
def test_revenu_quebec_100_dollar_sale(rounding: str, mode: str) -> None:
    """Revenu Québec, "Calculating the Taxes"
    (revenuquebec.ca/en/entreprise/taxes/tvq_tps/calcul-taxes.aspx): "You sell a taxable good
    for $100. [...] GST ($100 x 5%) $5.00, QST ($100 x 9.975%) $9.98, Total $114.98"."""
    _, doc = totals(
        "CAD", [item("100.00", GST, QST)], policy={"taxRounding": rounding, "roundingMode": mode}
    )
    assert tax_figures(doc) == {"GST": "5.00", "QST": "9.98"}
    assert doc["subTotal"] == "100.00"
    assert doc["totalTaxes"] == "14.98"
    assert doc["total"] == "114.98"
    assert doc["totalNet"] is None


def test_revenu_quebec_half_a_cent_counts_as_a_cent() -> None:
    """Same page: "Only fractions equal to or greater than one-half of a cent ($0.005) are
    counted as a whole cent ($0.01) of sales tax" -- the store default HALF_UP. $0.10 at 5 %
    is exactly half a cent."""
    _, doc = totals("CAD", [item("0.10", GST)])
    assert doc["totalTaxes"] == "0.01"
    _, doc = totals("CAD", [item("0.09", GST)])  # 0.0045: under half a cent
    assert doc["totalTaxes"] == "0.00"


def test_revenu_quebec_cash_rounding_never_touches_the_taxes() -> None:
    """Same page: "Rounding off sales totals applies to cash payments only. [...] rounding off
    amounts must not impact GST and QST amounts." 114.98 in cash is 115.00 (8 rounds up)."""
    lines = [item("100.00", GST, QST)]
    card, card_doc = totals("CAD", lines, payments=[{"type": "CARD", "amount": "114.98"}])
    cash, cash_doc = totals("CAD", lines, payments=[{"type": "CASH", "amount": "120.00"}])
    assert card_doc["total"] == cash_doc["total"] == "114.98"
    assert card.taxes == cash.taxes
    assert (card_doc["cashDue"], card_doc["totalPayments"]) == ("0.00", "114.98")
    assert cash_doc["cashDue"] == "115.00"
    assert cash_doc["cashRounding"] == "0.02"
    assert cash_doc["changeDue"] == "5.00"
    assert cash_doc["totalPayments"] == "115.00"
    assert cash_doc["balanceDue"] == "0.00"


@pytest.mark.parametrize("rounding", ["per_line", "global"])
def test_quebec_before_2013_qst_was_compound(rounding: str) -> None:
    """Ministère du Revenu du Québec, "General information" (2008 page preserved by Library and
    Archives Canada, webarchiveweb.wayback.bac-lac.canada.ca/web/20080209162021/
    http://www.revenu.gouv.qc.ca/eng/entreprise/taxes/tvq_tps/info.asp): "The QST is calculated
    on the selling price (including the GST) at the rate of 7.5%. [...] Selling price $100.00,
    GST ($100 x 5%) $5.00, QST ([$100 + $5] X 7.5%) $7.88, Total $112.88"."""
    _, doc = totals("CAD", [item("100.00", GST, QST_BEFORE_2013)], policy={"taxRounding": rounding})
    assert tax_figures(doc) == {"GST": "5.00", "QST": "7.88"}
    assert doc["total"] == "112.88"


def test_compound_tax_included_backs_out_to_the_same_figures() -> None:
    """The 2008 example read backwards: a $112.88 shelf price with GST and compound QST is
    $100.00 + $5.00 + $7.88 (base = 112.88 / (1 + 0.05 + 1.05 x 0.075))."""
    t, doc = totals("CAD", [item("112.88", GST, QST_BEFORE_2013)], included=True)
    assert tax_figures(doc) == {"GST": "5.00", "QST": "7.88"}
    assert doc["totalNet"] == "100.00"
    assert t.lines[0].net == Decimal("100.00")


# --- Tax-included prices -----------------------------------------------------------------


@pytest.mark.parametrize("target", ["tax", "net"])
@pytest.mark.parametrize("rounding", ["per_line", "global"])
def test_quebec_price_with_taxes_backs_out_to_100(target: str, rounding: str) -> None:
    """Reverse GST/QST calculation (calendrier.live, "Reverse sales tax calculator GST QST"):
    "take the amount with taxes and divided by the combined rate of 1.14975 to obtain the
    original amount without the two taxes. [...] multiply the amount before taxes obtained by 5%
    for the amount of GST and [...] by 9.975% for the amount of QST" -- with Revenu Québec's
    figures above: 114.98 $ = 100.00 + 5.00 + 9.98."""
    policy = {"inclusiveTarget": target, "taxRounding": rounding}
    t, doc = totals("CAD", [item("114.98", GST, QST)], included=True, policy=policy)
    assert tax_figures(doc) == {"GST": "5.00", "QST": "9.98"}
    assert doc["total"] == "114.98"  # the shelf price is what the customer pays
    assert doc["totalNet"] == "100.00"
    assert t.lines[0].net + t.lines[0].total_taxes == Decimal("114.98")


@pytest.mark.parametrize(
    ("gross", "net", "vat"),
    [("119.00", "100.00", "19.00"), ("476.00", "400.00", "76.00")],
)
def test_german_vat_19_percent_included(gross: str, net: str, vat: str) -> None:
    """rechenportal.de, "VAT calculation: net and gross": "Net = Gross / (1 + VAT rate / 100)
    [...] From EUR 119 gross: 119 x 19 / 119 = EUR 19 VAT" and "An invoice reads EUR 476 gross.
    Net: 476 / 1.19 = EUR 400"."""
    _, doc = totals("EUR", [item(gross, {"name": "MwSt", "percentage": "19"})], included=True)
    assert (doc["totalNet"], doc["totalTaxes"], doc["total"]) == (net, vat, gross)


@pytest.mark.parametrize(
    ("gross", "rate", "net", "vat"),
    [
        ("24.00", "20", "20.00", "4.00"),  # vatark.co.uk: "the VAT in £24 is £4.00"
        ("60.00", "20", "50.00", "10.00"),  # itsrelative.co.uk: £60 of petrol, VAT £10.00
        ("12.00", "20", "10.00", "2.00"),  # the same 1/6 fraction
        ("80.00", "5", "76.19", "3.81"),  # itsrelative.co.uk: reduced rate 1/21, £80 -> £3.81
    ],
)
def test_uk_vat_fraction_on_vat_inclusive_prices(gross: str, rate: str, net: str, vat: str) -> None:
    """UK VAT fraction for VAT-inclusive amounts: 1/6 at 20 % and 1/21 at 5 %
    (vatark.co.uk "What's the new VAT fraction?": "You pay £24.00 [...] So, what's the VAT?
    24 / 6 = 4"; itsrelative.co.uk "VAT fraction": "£60 of petrol the VAT you will have paid
    is £10.00 (£60 x 1/6). At the reduced 5% rate the fraction is 1/21. Eg if you spent £80
    [...] the VAT element is £3.81")."""
    for target in ("tax", "net"):
        _, doc = totals(
            "GBP",
            [item(gross, {"name": "VAT", "percentage": rate})],
            included=True,
            policy={"inclusiveTarget": target},
        )
        assert (doc["totalNet"], doc["totalTaxes"], doc["total"]) == (net, vat, gross)


# --- Rounding per line or per receipt ------------------------------------------------------


def test_per_line_and_global_rounding_differ_by_a_cent() -> None:
    """Rounding each line's tax, then adding, can differ by pennies from rounding the tax of
    the total: Tally Accounts, "VAT Calculations & Rounding" (tallyaccounts.co.uk): "VAT is
    calculated on each line and rounded to two decimal places. [...] the sum of these rounded
    figures can sometimes be different to if you add up the total of the NET figures for each
    line and calculate the relevant percentage of that. This is expected and correct as per
    Section 17.5 of the HMRC VAT Guide"; and Revenu Québec (calcul-taxes.aspx): "If more than
    one good or service is being sold, you can calculate the taxes on the total price of all
    the goods or services purchased before rounding off the fractions."

    Three 0.10 $ items at 5 % GST: each line's tax is 0.005 -> 0.01, so 0.03 per line; the
    receipt's 0.015 rounds once to 0.02 in `global` mode, shared back to the lines."""
    lines = [item("0.10", GST, name=f"Gomme {n}") for n in range(3)]
    _, doc_line = totals("CAD", lines, policy={"taxRounding": "per_line"})
    whole, doc_global = totals("CAD", lines, policy={"taxRounding": "global"})
    assert (doc_line["totalTaxes"], doc_line["total"]) == ("0.03", "0.33")
    assert (doc_global["totalTaxes"], doc_global["total"]) == ("0.02", "0.32")
    assert [ln["totalTaxes"] for ln in doc_line["lines"]] == ["0.01", "0.01", "0.01"]
    # The global 0.02 is shared back so that the lines still add up to the receipt.
    assert sorted(ln["totalTaxes"] for ln in doc_global["lines"]) == ["0.00", "0.01", "0.01"]
    assert sum(ln.total_taxes for ln in whole.lines) == whole.total_taxes
    # With banker's rounding the per-line halves go to even (0.00) and the gap reverses.
    _, even_line = totals(
        "CAD", lines, policy={"taxRounding": "per_line", "roundingMode": "HALF_EVEN"}
    )
    _, even_global = totals(
        "CAD", lines, policy={"taxRounding": "global", "roundingMode": "HALF_EVEN"}
    )
    assert (even_line["totalTaxes"], even_global["totalTaxes"]) == ("0.00", "0.02")


# --- Canadian cash rounding ------------------------------------------------------------------


def test_finance_canada_penny_example() -> None:
    """Department of Finance Canada, Budget 2012, "Rounding" (budget.canada.ca/2012/themes/
    rounding-arrondissement-eng.html): "A 1 dollar and 83 cent coffee and a 2 dollar and 86
    cent sandwich would be 4 dollars and 92 cents after the 5 percent Goods and Services Tax.
    [...] If the customer chooses to pay by cheque, credit card or debit card, no rounding is
    applied and the final payment is 4 dollars and 92 cents. However, if the customer pays with
    cash, the final total is rounded down 2 cents to a final payment of 4 dollars and 90 cents."""
    lines = [item("1.83", GST, name="Coffee"), item("2.86", GST, name="Sandwich")]
    for rounding in ("per_line", "global"):
        policy = {"taxRounding": rounding}
        _, card = totals("CAD", lines, policy=policy, payments=[{"type": "CARD", "amount": "4.92"}])
        _, cash = totals("CAD", lines, policy=policy, payments=[{"type": "CASH", "amount": "5.00"}])
        assert card["total"] == cash["total"] == "4.92"
        assert card["totalTaxes"] == cash["totalTaxes"] == "0.23"
        assert (card["totalPayments"], card["cashRounding"], card["balanceDue"]) == (
            "4.92",
            "0.00",
            "0.00",
        )
        assert (cash["cashDue"], cash["cashRounding"], cash["changeDue"]) == (
            "4.90",
            "-0.02",
            "0.10",
        )
        assert (cash["totalPayments"], cash["balanceDue"]) == ("4.90", "0.00")


@pytest.mark.parametrize(
    ("amount", "cash"),
    [
        # CTV News, "Phasing out penny causes consumer confusion" (bc.ctvnews.ca), quoting the
        # federal guideline: "$1.01 or $1.02 to $1.00 / $1.06 or $1.07 to $1.05" (round down),
        # "$1.03 or $1.04 to $1.05 / $1.08 or $1.09 to $1.10" (round up).
        ("1.00", "1.00"),
        ("1.01", "1.00"),
        ("1.02", "1.00"),
        ("1.03", "1.05"),
        ("1.04", "1.05"),
        ("1.05", "1.05"),
        ("1.06", "1.05"),
        ("1.07", "1.05"),
        ("1.08", "1.10"),
        ("1.09", "1.10"),
        # Office de la protection du consommateur (opc.gouv.qc.ca, "Phasing out of the penny"):
        # "$5,98 -> $6" and "$5,97 -> $5,95".
        ("5.98", "6.00"),
        ("5.97", "5.95"),
        # The Finance Canada example above, and the rounding of whole dollars.
        ("4.92", "4.90"),
        ("0.02", "0.00"),
        ("0.03", "0.05"),
        ("9.99", "10.00"),
    ],
)
def test_canadian_cash_rounding_table(amount: str, cash: str) -> None:
    """Canada Revenue Agency, "Phasing out the penny" (canada.ca/en/revenue-agency/programs/
    about-canada-revenue-agency-cra/phasing-penny.html): amounts ending in 1 and 2 cents are
    rounded down, 3 and 4 up to 5, 6 and 7 down to 5, 8 and 9 up; 0 and 5 stay."""
    _, doc = totals("CAD", [item(amount)], payments=[{"type": "CASH", "amount": "20.00"}])
    assert doc["total"] == amount
    assert doc["cashDue"] == cash
    assert Decimal(doc["cashRounding"]) == Decimal(cash) - Decimal(amount)
    _, none = totals(
        "CAD",
        [item(amount)],
        policy={"cashRounding": "none"},
        payments=[{"type": "CASH", "amount": "20.00"}],
    )
    assert (none["cashDue"], none["cashRounding"]) == (amount, "0.00")


def test_ctv_hst_invoice_paid_in_cash() -> None:
    """CTV News (same article): "Repairs to pipes $689.93, HST @ 12% $82.79, Total $772.72,
    Amount paid $772.70 (rounded)"."""
    _, doc = totals(
        "CAD",
        [item("689.93", {"name": "HST", "percentage": "12"})],
        payments=[{"type": "CASH", "amount": "772.70"}],
    )
    assert (doc["totalTaxes"], doc["total"]) == ("82.79", "772.72")
    assert (doc["cashDue"], doc["changeDue"], doc["balanceDue"]) == ("772.70", "0.00", "0.00")


def test_lexology_hst_example_with_quantity() -> None:
    """Lexology, "Phasing out the penny" (GST/HST example): "100 screws at CAD1.79 each
    CAD179.00, HST at 13 percent CAD23.27"; the 202.27 total ends in 7, so cash pays 202.25."""
    _, doc = totals(
        "CAD",
        [item("1.79", {"name": "HST", "percentage": "13"}, quantity="100")],
        payments=[{"type": "CASH", "amount": "202.25"}],
    )
    assert (doc["subTotal"], doc["totalTaxes"], doc["total"]) == ("179.00", "23.27", "202.27")
    assert (doc["cashDue"], doc["cashRounding"], doc["balanceDue"]) == ("202.25", "-0.02", "0.00")


def test_split_tender_rounds_only_the_cash_part() -> None:
    """CRA, "Phasing out the penny: tax implications for consumers", Q2: paying "part cash and
    part debit or credit" does not change the GST/HST; only the cash is rounded. On the 4.92
    Finance Canada purchase, 1.00 by card leaves 3.92 in cash, paid 3.90."""
    lines = [item("1.83", GST), item("2.86", GST)]
    payments = [{"type": "CARD", "amount": "1.00"}, {"type": "CASH", "amount": "5.00"}]
    _, doc = totals("CAD", lines, payments=payments)
    assert (doc["total"], doc["totalTaxes"]) == ("4.92", "0.23")
    assert (doc["cashDue"], doc["cashRounding"], doc["changeDue"]) == ("3.90", "-0.02", "1.10")
    assert (doc["totalPayments"], doc["balanceDue"]) == ("4.90", "0.00")


# --- Currencies without cents, and with fils -----------------------------------------------


def test_jpy_service_charge_and_consumption_tax() -> None:
    """Shonan Tax Office newsletter No. 168 (shonantax.jp/english/bl200309.html), a receipt
    "in Japanese yen": Meal 3,000, 10% [service] 300, Subtotal 3,300, Tax 165, Total 3,465;
    with tax-included prices: Meal 3,150, 10% 315, Total 3,465. Yen have no minor unit."""
    five = {"name": "Consumption tax", "percentage": "5"}
    service = {"name": "Service", "percentage": "10", "taxes": [five]}
    t, doc = totals("JPY", [item("3000", five, name="Meal")], fees=[service])
    assert (doc["subTotal"], doc["totalFees"], doc["totalTaxes"], doc["total"]) == (
        "3000",
        "300",
        "165",
        "3465",
    )
    assert [x.amount for x in t.fees[0].taxes] == [Decimal("15")]
    t, doc = totals("JPY", [item("3150", five, name="Meal")], fees=[service], included=True)
    assert (doc["subTotal"], doc["totalFees"], doc["totalTaxes"], doc["total"]) == (
        "3150",
        "315",
        "165",
        "3465",
    )
    assert doc["totalNet"] == "3300"


@pytest.mark.parametrize(("mode", "tax"), [("HALF_UP", "8"), ("HALF_EVEN", "8")])
def test_jpy_fraction_of_a_yen(mode: str, tax: str) -> None:
    """The Japan Times, "New price tags split fractional tax hairs" (2004): "A chocolate bar
    that cost 150 yen minus the tax will now carry a price tag of 157 yen, after rounding down
    from 157.5 yen." The tax is 7.5 yen; the engine's modes round it to 8 (stores that round
    down are not a mode this engine offers). 250 yen at 5 % (12.5) tells the modes apart."""
    policy = {"roundingMode": mode}
    _, doc = totals("JPY", [item("150", {"name": "Tax", "percentage": "5"})], policy=policy)
    assert (doc["totalTaxes"], doc["total"]) == (tax, str(150 + int(tax)))
    _, doc = totals("JPY", [item("250", {"name": "Tax", "percentage": "5"})], policy=policy)
    assert doc["totalTaxes"] == {"HALF_UP": "13", "HALF_EVEN": "12"}[mode]


def test_jpy_cash_is_never_rounded_to_five() -> None:
    """Cash rounding to 0.05 is for cent currencies; yen are paid to the yen."""
    _, doc = totals("JPY", [item("1233")], payments=[{"type": "CASH", "amount": "2000"}])
    assert (doc["cashDue"], doc["cashRounding"], doc["changeDue"]) == ("1233", "0", "767")


@pytest.mark.parametrize(
    ("mode", "discount", "total"), [("HALF_UP", "0.113", "1.012"), ("HALF_EVEN", "0.112", "1.013")]
)
def test_kwd_three_decimals(mode: str, discount: str, total: str) -> None:
    """Kuwaiti dinar: 1,000 fils, three decimals (ISO 4217). 3 x KWD 0.375 = 1.125; a 10 %
    receipt discount is 0.1125, a tie at the fils, which the two modes round apart."""
    _, doc = totals(
        "KWD",
        [item("0.375", quantity="3")],
        policy={"roundingMode": mode},
        discounts=[{"name": "Promo", "percentage": "10"}],
        payments=[{"type": "CASH", "amount": "5.000"}],
    )
    assert (doc["subTotal"], doc["totalDiscounts"], doc["total"]) == ("1.125", discount, total)
    assert doc["cashDue"] == total  # no 0.05 rounding in dinars
    assert doc["changeDue"] == str(Decimal("5.000") - Decimal(total))


@pytest.mark.parametrize(("mode", "vat"), [("HALF_UP", "1.235"), ("HALF_EVEN", "1.234")])
def test_bahrain_vat_to_the_nearest_fils(mode: str, vat: str) -> None:
    """Bahrain VAT invoices (narayanandnarayan.com, "Tax Invoice"): "Where the VAT amount due
    on a tax invoice is a fraction of a Fils of Bahraini Dinar, the value may be rounded to the
    nearest Fils". 10 % of BHD 12.345 is 1.2345, half a fils."""
    _, doc = totals(
        "BHD", [item("12.345", {"name": "VAT", "percentage": "10"})], policy={"roundingMode": mode}
    )
    assert doc["totalTaxes"] == vat
    assert doc["total"] == str(Decimal("12.345") + Decimal(vat))


def test_receipt_fixed_discount_shared_in_proportion_to_the_lines() -> None:
    """Rule 2 (formats/cart.md) on a small receipt: a 1.00 $ coupon over 3.00 $ and 1.00 $
    lines takes 0.75 and 0.25 (the last line takes the rest), then the taxes are on what is
    left: 2.25 and 0.75 at 5 % -> 0.11 and 0.04."""
    t, doc = totals(
        "CAD",
        [item("3.00", GST), item("1.00", GST)],
        discounts=[{"name": "Coupon", "amount": "1.00"}],
    )
    assert [ln["totalDiscounts"] for ln in doc["lines"]] == ["0.75", "0.25"]
    assert [ln["totalTaxes"] for ln in doc["lines"]] == ["0.11", "0.04"]
    assert (doc["totalDiscounts"], doc["totalTaxes"], doc["total"]) == ("1.00", "0.15", "3.15")
    assert t.receipt_discounts[0].amount == Decimal("1.00")


def test_global_rounding_gives_an_exact_tie_to_the_earlier_line() -> None:
    """Found by Hypothesis (test_big_carts_worked_a_column_at_a_time_agree_with_the_spec).
    Tax-included, `global`: 7 x 9.39 = 65.73 less 6.98 is 58.75; 2 x 2.38 = 4.76 less 16 %
    (0.7616 -> 0.76) is 4.00. Rule 4, exactly (1.14975 = 1 + 5 % + 9.975 %):

        QST  58.75 x 0.09975 / 1.14975 = 4465/876 = 5.0970319...  (5.09 + 154/219 of a cent)
              4.00 x 0.09975 / 1.14975 =   76/219 = 0.3470319...  (0.34 + 154/219 of a cent)
             sum 4769/876 = 5.4440639... -> 5.44: floors 5.09 + 0.34 = 5.43, one cent to share
        GST  58.75 x 0.05 / 1.14975 = 2.5549...,  4.00 x 0.05 / 1.14975 = 0.1739...
             sum 2.7288... -> 2.73: floors 2.55 + 0.17 = 2.72, the cent goes to 2.5549...

    Both QST remainders are exactly 154/219 of a cent (the lines differ by 4.75 cents of QST),
    so by largest remainder with the earlier line first on a tie, line 3 gets 5.10. The engine
    used to divide at 60 digits, and the last digit of 0.3470...3471 made line 4 look larger."""
    taxes = [GST, QST]
    free = {**item("0.00", *taxes), "taxable": False}
    lines = [
        free,
        free,
        {**item("9.39", *taxes, quantity="7"), "discounts": [{"name": "P", "amount": "6.98"}]},
        {**item("2.38", *taxes, quantity="2"), "discounts": [{"name": "P", "percentage": "16"}]},
    ]
    result, doc = totals("CAD", lines, policy={"taxRounding": "global"}, included=True)
    assert tax_figures(doc) == {"GST": "2.73", "QST": "5.44"}
    figures = [(ln.total, [str(t.amount) for t in ln.taxes], ln.net) for ln in result.lines]
    assert figures[2:] == [
        (Decimal("58.75"), ["2.56", "5.10"], Decimal("51.09")),
        (Decimal("4.00"), ["0.17", "0.34"], Decimal("3.49")),
    ]
    assert (doc["total"], doc["totalTaxes"], doc["totalNet"]) == ("62.75", "8.17", "54.58")
