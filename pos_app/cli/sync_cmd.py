"""`pos-app sync [--once]`: drain the outbox to the API.

With --once, one bounded pass: what cannot be sent within `--within` seconds (default 60)
stays queued with its own backoff for the next sync. Exit status: 0 when everything is sent,
3 when some receipts need attention (or the queue is paused), 4 when the API cannot be
reached or did not take everything in the pass, 5 when another pos-app process is already
sending this data folder's receipts (nothing done).

Without --once, a second sender waits for the first to stop, then takes over."""

from __future__ import annotations

import argparse
import asyncio
import sys

from pos_app.cli.services import run_with_services
from pos_app.services.runtime import AppServices, ServicesOpener
from pos_app.services.sync import SyncOptions, SyncWorker

EXIT_ALL_SENT = 0
EXIT_NEEDS_ATTENTION = 3
EXIT_UNREACHABLE = 4
EXIT_OTHER_SENDER = 5
DEFAULT_PASS_S = 60.0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("sync", help="send queued receipts to the API")
    parser.add_argument(
        "--once", action="store_true", help="one pass: exit when nothing sendable is left"
    )
    parser.add_argument(
        "--within",
        type=_seconds,
        default=DEFAULT_PASS_S,
        metavar="SECONDS",
        help=f"with --once: the pass ends after this long (default {DEFAULT_PASS_S:.0f})",
    )
    parser.add_argument("--batch", type=int, default=0, metavar="N", help="send in batches of N")
    parser.set_defaults(handler=run)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 86_400:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds from 0 to 86400")
    return value


async def _pass(worker: SyncWorker) -> int | None:
    """Drains, waiting for receipts whose backoff ends, until nothing is pending; an exit
    status if the pass ends early (unreachable, paused), else None."""
    while True:
        report = await worker.drain()
        status = worker.status.value
        if report.unreachable:
            print(f"API unreachable: {status.last_error}", file=sys.stderr)
            return EXIT_UNREACHABLE
        if report.paused:
            print(f"sync paused: {status.last_error}", file=sys.stderr)
            return EXIT_NEEDS_ATTENTION
        if status.pending == 0:
            return None
        # Receipts waiting out a backoff (ambiguous failures): wait for the earliest.
        await worker.wait_until_due()


async def _once(services: AppServices, batch: int, within: float) -> int:
    worker = services.sync
    worker.configure(SyncOptions(batch_size=batch))
    if not await worker.start(wait=False):
        print(f"{worker.other_sender()}: nothing done", file=sys.stderr)
        return EXIT_OTHER_SENDER
    try:
        async with asyncio.timeout(within):
            code = await _pass(worker)
    except TimeoutError:
        status = worker.status.value
        why = f": {status.last_error}" if status.last_error else ""
        print(
            f"{status.pending} receipt(s) not sent within {within:g} s{why};"
            " they stay queued for the next sync",
            file=sys.stderr,
        )
        return EXIT_UNREACHABLE
    if code is not None:
        return code
    status = worker.status.value
    if status.needs_attention:
        print(
            f"{status.needs_attention} receipt(s) need attention: see `pos-app queue`",
            file=sys.stderr,
        )
        return EXIT_NEEDS_ATTENTION
    return EXIT_ALL_SENT


async def _forever(services: AppServices, batch: int) -> int:
    services.sync.configure(SyncOptions(batch_size=batch))
    await services.sync.run_forever()
    return EXIT_ALL_SENT


def run(args: argparse.Namespace, runtime: ServicesOpener) -> int:
    if args.once:
        return run_with_services(runtime, lambda s: _once(s, args.batch, args.within))
    return run_with_services(runtime, lambda s: _forever(s, args.batch))
