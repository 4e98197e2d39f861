"""`pos-app sync [--once]`: drain the outbox to the API.

With --once: 0 when everything is sent, 3 when some receipts need attention (or the queue is
paused), 4 when the API cannot be reached."""

from __future__ import annotations

import argparse
import sys

from pos_app.cli.services import run_with_services
from pos_app.services.runtime import AppServices, Runtime
from pos_app.services.sync import SyncOptions

EXIT_ALL_SENT = 0
EXIT_NEEDS_ATTENTION = 3
EXIT_UNREACHABLE = 4


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("sync", help="send queued receipts to the API")
    parser.add_argument("--once", action="store_true", help="exit when nothing sendable is left")
    parser.add_argument("--batch", type=int, default=0, metavar="N", help="send in batches of N")
    parser.set_defaults(handler=run)


async def _once(services: AppServices, batch: int) -> int:
    worker = services.sync
    worker.configure(SyncOptions(batch_size=batch))
    await worker.start()
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
            break
        # Receipts waiting out a backoff (ambiguous failures): wait for the earliest.
        await worker.wait_until_due()
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


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    if args.once:
        return run_with_services(runtime, lambda s: _once(s, args.batch))
    return run_with_services(runtime, lambda s: _forever(s, args.batch))
