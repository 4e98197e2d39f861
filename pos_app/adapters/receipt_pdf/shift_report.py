"""An X or Z shift report (the shift service's JSON document) as a PDF on the till's paper: a
roll as long as the report, or Letter/A4 sheets with "page x of y". Labels come from the
receipt catalogs, so a bilingual till prints "Ventes / Sales". It has its own small layout (rows
of a label and an amount) and shares only the paper geometry and fonts with the receipt."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, NamedTuple

from reportlab.pdfgen.canvas import Canvas

from pos_app.adapters.receipt_pdf.fonts import fonts, printable, text_width
from pos_app.adapters.receipt_pdf.page import PageSpec, page_spec
from pos_app.domain.paper import Paper, ReceiptLanguage
from pos_app.wording.labels import Labels

_CASH = (
    ("float", "Float"),
    ("cashSales", "Cash sales"),
    ("cashRefunds", "Cash refunds"),
    ("cashRounding", "Cash rounding"),
    ("paidIn", "Paid in"),
    ("paidOut", "Paid out"),
    ("expected", "Expected cash"),
    ("counted", "Counted cash"),
    ("overShort", "Over / short"),
)
_STRONG = {"Net sales", "Expected cash", "Counted cash", "Over / short"}


class Row(NamedTuple):
    label: str
    value: str = ""
    bold: bool = False
    size: str = "body"  # body, title, small


def report_rows(document: Mapping[str, Any], labels: Labels, business: str) -> list[Row]:
    """What the report says, row by row, from its document."""
    title = "Z REPORT" if document["kind"] == "Z" else "X REPORT"
    rows = [
        Row(business, bold=True, size="title"),
        Row(labels(title), bold=True),
        Row(labels("Shift"), str(document["shift"])),
        Row(labels("Register"), str(document["register"])),
        Row(labels("Opened at"), str(document["openedAt"])[:16].replace("T", " ")),
        Row(labels("Currency"), str(document["currency"])),
        Row(""),
    ]
    for key, label in (("sales", "Sales"), ("refunds", "Refunds"), ("voids", "Voids")):
        part = document[key]
        rows.append(Row(f"{labels(label)} ({part['count']})", part["total"]))
    rows += [
        Row(labels("Net sales"), document["netSales"], bold=True),
        Row(""),
        Row(labels("Taxes (net)"), bold=True),
    ]
    rows += [
        Row(f"  {labels.tax(t['name'])} {t['percentage']}%", t["net"]) for t in document["taxes"]
    ]
    rows.append(Row(labels("Payments (net)"), bold=True))
    rows += [Row(f"  {p['type']}", p["net"]) for p in document["payments"]]
    rows += [Row(labels("Discounts"), document["discounts"]), Row("")]
    cash = document["cash"]
    rows += [
        Row(labels(label), cash[key], bold=label in _STRONG)
        for key, label in _CASH
        if cash.get(key) is not None
    ]
    rows += [
        Row(""),
        Row(labels("Waiting to be sent"), str(document["waiting"]), size="small"),
        Row(labels("Needing attention"), str(document["needsAttention"]), size="small"),
    ]
    return rows


def _size(row: Row, spec: PageSpec) -> float:
    return {"title": spec.title_size, "small": spec.small_size}.get(row.size, spec.size)


def _pages(rows: list[Row], spec: PageSpec) -> tuple[float, list[list[Row]]]:
    """The page height and the rows of each page."""
    if spec.height is None:
        height = (
            spec.margin_top + spec.margin_bottom + sum(spec.leading(_size(r, spec)) for r in rows)
        )
        return height, [rows]
    room = spec.height - spec.margin_top - spec.margin_bottom
    pages: list[list[Row]] = [[]]
    used = 0.0
    for row in rows:
        step = spec.leading(_size(row, spec))
        if pages[-1] and used + step > room:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += step
    return spec.height, pages


def _draw_row(canvas: Canvas, spec: PageSpec, row: Row, y: float) -> None:
    size = _size(row, spec)
    face = fonts().face(row.bold).fontName
    canvas.setFont(face, size)
    label = printable(row.label)
    canvas.drawString(spec.left, y, label)
    if row.value:
        value = printable(row.value)
        canvas.drawString(spec.right - text_width(value, size, row.bold), y, value)


def render_shift_report(
    document: Mapping[str, Any], *, paper: Paper, language: ReceiptLanguage, business: str
) -> bytes:
    """The report as PDF bytes (the same document gives the same bytes)."""
    fonts()
    spec = page_spec(paper)
    labels = Labels(language)
    height, pages = _pages(report_rows(document, labels, business), spec)
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(spec.width, height),
        invariant=1,
        pageCompression=0,
        initialFontName=fonts().regular.fontName,
    )
    canvas.setTitle(printable(f"{business} {document['kind']} {document['shift']}"))
    canvas.setCreator("pos-app")
    for number, rows in enumerate(pages, start=1):
        y = height - spec.margin_top
        for row in rows:
            y -= spec.leading(_size(row, spec))
            _draw_row(canvas, spec, row, y + spec.leading(_size(row, spec)) * 0.2)
        if not spec.is_roll:
            footer = printable(labels.page(number, len(pages)))
            canvas.setFont(fonts().regular.fontName, spec.small_size)
            width = text_width(footer, spec.small_size)
            canvas.drawString((spec.width - width) / 2, spec.margin_bottom / 2, footer)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class ReportlabShiftReportRenderer:
    """The shift report renderer port: blocking, so services call it through to_thread."""

    def render_report(
        self,
        document: Mapping[str, Any],
        *,
        paper: Paper,
        language: ReceiptLanguage,
        business: str,
    ) -> bytes:
        return render_shift_report(document, paper=paper, language=language, business=business)
