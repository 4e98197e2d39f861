"""Benchmark: reading a 500-line cart JSON (`loads_cart`), the strict reader every `pos-app
sale`, held cart and history reprint goes through: unknown and repeated keys, text and size
checks included.

A plain script (no pytest); it reports a figure and never fails on time. Prints exactly:

    cart_parse_500_lines_ms=<median>

Run: .venv/bin/python bench/cart_parse.py [repeats]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pos_app.domain.cart_format import loads_cart
from tests.fixtures.carts import format_example

LINES = 500


def cart_text() -> str:
    """The format's example cart with its first line repeated 500 times."""
    cart = format_example()
    line = cart["items"][0]
    cart["items"] = [{**line, "name": f"Article {n}"} for n in range(LINES)]
    cart["payments"] = [{"type": "CASH", "amount": "5000.00"}]
    return json.dumps(cart, ensure_ascii=False)


def main(repeats: int) -> None:
    text = cart_text()
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        loads_cart(text)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"cart_parse_{LINES}_lines_ms={statistics.median(timings):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
