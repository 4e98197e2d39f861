"""Receipt -> PDF bytes with the reportlab canvas.

Measure first, then draw: the display list is built and measured, then a roll gets one page
exactly as long as its content (no blank tail, no page break even at 300 lines) and a sheet is
cut into pages that each end with "page x of y".
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from pos_app.adapters.receipt_pdf.blocks import Block, Pen
from pos_app.adapters.receipt_pdf.content import layout_content
from pos_app.adapters.receipt_pdf.fonts import fonts, printable, text_width
from pos_app.adapters.receipt_pdf.page import PageSpec, page_spec
from pos_app.domain.paper import Paper, ReceiptLanguage
from pos_app.domain.receipt import Receipt
from pos_app.domain.receipt_content import Content, receipt_content
from pos_app.wording import ReceiptWording


def _height(blocks: Sequence[Block]) -> float:
    return sum(block.height for block in blocks)


def paginate(chunks: Sequence[Sequence[Block]], room: float) -> list[list[Block]]:
    """Blocks per page: a chunk that does not fit what is left of a page starts the next one;
    a chunk taller than a whole page is split between blocks."""
    pages: list[list[Block]] = [[]]
    used = 0.0
    for chunk in chunks:
        if pages[-1] and used + _height(chunk) > room:
            pages.append([])
            used = 0.0
        for block in chunk:
            if pages[-1] and used + block.height > room:
                pages.append([])
                used = 0.0
            pages[-1].append(block)
            used += block.height
    return pages


def _draw_blocks(pen: Pen, blocks: Sequence[Block], top: float) -> None:
    for block in blocks:
        block.draw(pen, top)
        top -= block.height


def _page_footer(pen: Pen, spec: PageSpec, text: str) -> None:
    size = spec.small_size
    width = text_width(text, size)
    pen.text((spec.width - width) / 2, spec.margin_bottom / 2, text, size, False)


def render_content(
    content: Content,
    *,
    paper: Paper,
    page_label: Callable[[int, int], str],
    logo_path: Path | None = None,
) -> bytes:
    """A document's content (a receipt, or any other built from the same elements) as a PDF on
    `paper`; a sheet's pages end with the order number and `page_label(page, pages)`."""
    fonts()  # registered before any width is measured
    spec = page_spec(paper)
    chunks = layout_content(content, spec, logo_path=logo_path)
    buffer = io.BytesIO()
    if spec.height is None:
        blocks = [block for chunk in chunks for block in chunk]
        height = spec.margin_top + _height(blocks) + spec.margin_bottom
        pages = [blocks]
    else:
        height = spec.height
        pages = paginate(chunks, height - spec.margin_top - spec.margin_bottom)
    # invariant=1: identical receipts give identical bytes (no timestamp or random document
    # id), so reprints and tests compare; no page compression: zlib would cost more time
    # than the bytes it saves on a local print.
    canvas = Canvas(
        buffer,
        pagesize=(spec.width, height),
        invariant=1,
        pageCompression=0,
        initialFontName=fonts().regular.fontName,
    )
    canvas.setTitle(printable(content.title))
    canvas.setCreator("pos-app")
    for number, blocks in enumerate(pages, start=1):
        pen = Pen(canvas)
        _draw_blocks(pen, blocks, height - spec.margin_top)
        if not spec.is_roll:
            footer = f"{content.order_number} — {page_label(number, len(pages))}"
            _page_footer(pen, spec, printable(footer))
        pen.finish()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_receipt(
    receipt: Receipt,
    *,
    paper: Paper,
    language: ReceiptLanguage,
    copy: bool = False,
    logo_path: Path | None = None,
) -> bytes:
    """The receipt as a PDF on `paper`, in `language` ("fr+en": bilingual labels), marked as a
    copy when `copy`. Raises ValueError for a receipt with no lines."""
    wording = ReceiptWording(language, receipt.cart.currency)
    content = receipt_content(receipt, wording, copy=copy)
    return render_content(content, paper=paper, page_label=wording.labels.page, logo_path=logo_path)


class ReportlabReceiptRenderer:
    """The receipt renderer port: blocking and CPU-bound, so services call `render` through
    asyncio.to_thread. The store's logo, if any, is part of the till's setup."""

    def __init__(self, logo_path: Path | None = None) -> None:
        self.logo_path = logo_path

    def render(
        self,
        receipt: Receipt,
        *,
        paper: Paper,
        language: ReceiptLanguage,
        copy: bool = False,
    ) -> bytes:
        return render_receipt(
            receipt, paper=paper, language=language, copy=copy, logo_path=self.logo_path
        )
