"""Benchmark: rendering the same 30-line 80 mm receipt as an ESC/POS byte stream (48 columns,
PC858, native Code 128 and QR) and as a PDF, to compare the two paths to paper.

A plain script (no pytest); it reports figures and never fails on time. Prints exactly:

    escpos_30_lines_ms=<median>
    escpos_vs_pdf_ratio=<median ESC/POS time / median PDF time>

Aim: under 5 ms for the ESC/POS stream. Every run uses a fresh URL, as every sale does.
Run: .venv/bin/python bench/receipt_escpos.py [repeats]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.receipt_pdf import build_receipt
from pos_app.adapters.escpos import PROFILES, EscposPrinter
from pos_app.adapters.receipt_pdf import render_receipt
from pos_app.domain.paper import Paper, ReceiptLanguage
from pos_app.domain.receipt import Receipt


def median_ms(render: Callable[[Receipt], bytes], receipt: Receipt, repeats: int) -> float:
    times: list[float] = []
    clock = time.perf_counter
    for n in range(repeats + 5):
        with_url = replace(receipt, url=f"https://receipts.example.com/r/{n:08d}-bench-receipt")
        t0 = clock()
        render(with_url)
        elapsed = clock() - t0
        if n >= 5:  # the first renders fill caches (fonts, formats, code page)
            times.append(elapsed)
    return statistics.median(times) * 1000


def main(repeats: int = 60) -> None:
    receipt = build_receipt(30)
    printer = EscposPrinter(PROFILES["80mm-48"])

    def escpos(r: Receipt) -> bytes:
        return printer.render(r, language=ReceiptLanguage.FR)

    def pdf(r: Receipt) -> bytes:
        return render_receipt(r, paper=Paper.ROLL_80MM, language=ReceiptLanguage.FR)

    escpos_ms = median_ms(escpos, receipt, repeats)
    pdf_ms = median_ms(pdf, receipt, repeats)
    print(f"escpos_30_lines_ms={escpos_ms:.2f}")
    print(f"escpos_vs_pdf_ratio={escpos_ms / pdf_ms:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
