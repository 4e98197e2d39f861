"""Benchmark: how fast the cashier's window is ready, and how fast a scan shows in a long cart.

A plain script (no pytest); it reports figures and never fails on time. Prints:

    startup_to_ready_s=<median>           fresh data folder (first start: migrations, sample
                                          catalog import), demo mode with its sandbox
    startup_to_ready_existing_s=<median>  the same folder again (a till's every morning)
    add_item_500_cart_ms=<median>         one scan (catalog lookup on the database thread,
                                          session, totals, row insert) and the table's repaint,
                                          with 500 lines already in the cart
    add_item_500_cart_p95_ms=<95th percentile>
    session_add_500_cart_ms=<median>      the scan alone (lookup, session, totals), no repaint

Startup is measured from outside: `python -m pos_app` offscreen with POS_READY_MARKER=quit,
from spawning the process to the "ready" line (the window shown, the scan field focused).

Aims (issue 5): startup under 1.5 s, a scan in a 500-line cart under 16 ms (one frame), of
which the session's share under 12 ms.
Run: .venv/bin/python bench/ui.py [startup runs] [scans]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CHIPS = "060010001015"  # a product of the bundled sample catalog
LINES = 500


def startup_once(data_dir: Path) -> float:
    env = {**os.environ, "POS_READY_MARKER": "quit", "PYTHONPATH": str(ROOT)}
    env.pop("POS_API_URL", None)
    started = time.perf_counter()
    app = subprocess.Popen(
        [sys.executable, "-m", "pos_app", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert app.stdout is not None
    line = app.stdout.readline().decode()
    ready = time.perf_counter() - started
    app.wait(30)
    if not line.startswith("pos-app ready"):
        raise RuntimeError(f"the app did not report ready (exit {app.returncode})")
    return ready


def startup(runs: int) -> tuple[float, float]:
    fresh: list[float] = []
    again: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp) / "till"
            fresh.append(startup_once(data_dir))
            again.append(startup_once(data_dir))
    return statistics.median(fresh), statistics.median(again)


async def scans(count: int) -> tuple[list[float], list[float]]:
    """Per scan: the whole (with the repaint) and the session's share."""
    from pos_app.bootstrap import Bootstrap
    from pos_app.services.runtime import RuntimeOptions
    from pos_app.ui import i18n
    from pos_app.ui.app import close_window, open_window

    timings: list[float] = []
    session_timings: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        runtime = Bootstrap(RuntimeOptions(data_dir=Path(tmp) / "till"))
        i18n.install(runtime.settings().ui_language)
        async with runtime.open_services() as services:
            window = await open_window(runtime, services)
            session = window.session
            table = window.sale.table
            first = await session.add_by_code(CHIPS)
            assert first.item is not None
            for _ in range(LINES - 1):
                session.add_item(first.item)
            await asyncio.sleep(0.05)
            for _ in range(count):
                started = time.perf_counter()
                result = await session.add_by_code(CHIPS)
                session_timings.append(time.perf_counter() - started)
                table.viewport().repaint()
                window.sale.totals.repaint()
                timings.append(time.perf_counter() - started)
                assert result.ok
                session.void_line(len(session.items) - 1)  # back to 500 lines
                # Let Qt paint what the void left pending, outside the measurement (calling
                # processEvents from inside a task would re-enter qasync's loop).
                await asyncio.sleep(0.005)
            await close_window(window)
    return timings, session_timings


def add_item(count: int) -> tuple[float, float, float]:
    import qasync

    from pos_app.ui.app import make_application

    loop = qasync.QEventLoop(make_application())
    asyncio.set_event_loop(loop)
    try:
        timings, session_timings = loop.run_until_complete(scans(count))
    finally:
        loop.close()
    timings = sorted(timings[5:])  # the first few warm caches (fonts, babel, the lookup path)
    session_median = statistics.median(session_timings[5:])
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], session_median


def main(runs: int = 5, count: int = 200) -> None:
    fresh, again = startup(runs)
    print(f"startup_to_ready_s={fresh:.3f}")
    print(f"startup_to_ready_existing_s={again:.3f}")
    median, p95, session_median = add_item(count)
    print(f"add_item_500_cart_ms={median * 1000:.2f}")
    print(f"add_item_500_cart_p95_ms={p95 * 1000:.2f}")
    print(f"session_add_500_cart_ms={session_median * 1000:.2f}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
