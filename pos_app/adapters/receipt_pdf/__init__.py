"""Paper receipts as PDF (reportlab + python-barcode): 80 mm and 58 mm rolls, Letter and A4."""

from pos_app.adapters.receipt_pdf.renderer import ReportlabReceiptRenderer, render_receipt

__all__ = ["ReportlabReceiptRenderer", "render_receipt"]
