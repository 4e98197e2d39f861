"""`pos-app sandbox`: run the local Smartbills-compatible API until SIGINT or SIGTERM.

Prints exactly `listening on http://HOST:PORT` once connections are accepted, so a script can
wait for that line; the Invoiced API (house accounts) is on the same port under /invoiced, said
on standard error. SIGUSR1 brings the sandbox back up after POST /_sandbox/down.

It listens on loopback only, unless --allow-remote (with a --token of one's own, and a warning).
The OAuth2 client with the published default secret exists only when every credential is left
at its default: with --token set, an OAuth2 client needs its own --client-secret, else anyone
could trade the public default secret for a token and get past the token one chose.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from pos_app.sandbox.invoiced_app import DEFAULT_KEY as DEFAULT_INVOICED_KEY
from pos_app.sandbox.invoiced_app import seed_demo
from pos_app.sandbox.server import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_TOKEN,
    SandboxServer,
    is_loopback,
)
from pos_app.sandbox.tokens import ALL_SCOPES


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pos-app sandbox", description="Local Smartbills-compatible API."
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: loopback only)"
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other than loopback (needs --token; the sandbox is for tests)",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--db", default=None, help="SQLite file (default: a temporary file)")
    parser.add_argument(
        "--token",
        default=None,
        help=f"static bearer token: every scope, and /_sandbox/ (default {DEFAULT_TOKEN})",
    )
    parser.add_argument("--client-id", default=DEFAULT_CLIENT_ID, help="OAuth2 client id")
    parser.add_argument(
        "--client-secret",
        default=None,
        help=f"OAuth2 client secret (default {DEFAULT_CLIENT_SECRET}, only without --token)",
    )
    parser.add_argument(
        "--client-scope",
        action="append",
        choices=sorted(ALL_SCOPES),
        default=None,
        help="a scope the OAuth2 client may be granted (repeat; default: every scope)",
    )
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="delay added to every API request"
    )
    parser.add_argument(
        "--error-rate", type=_rate, default=0.0, help="share of API requests answered 503"
    )
    parser.add_argument("--rate-limit-rate", type=_rate, default=0.0, help="share answered 429")
    parser.add_argument(
        "--drop-after-commit-rate",
        type=_rate,
        default=0.0,
        help="share of receipt creates stored, then cut off",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed for the fault dice")
    parser.add_argument(
        "--invoiced-key", default=DEFAULT_INVOICED_KEY, help="API key of the Invoiced side"
    )
    parser.add_argument(
        "--demo-accounts", action="store_true", help="start Invoiced with sample business customers"
    )
    parser.add_argument(
        "--dedupe",
        action="store_true",
        help="answer 409 to a second POST of a known receiptId (the documented API stores a"
        " second copy, and so does the sandbox by default)",
    )
    return parser


def _client_secret(args: argparse.Namespace) -> str | None:
    """The published default secret only when nothing else was chosen, on loopback."""
    if args.client_secret is not None:
        return str(args.client_secret)
    if args.token is None and not args.allow_remote:
        return DEFAULT_CLIENT_SECRET
    return None


def run_from_args(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not is_loopback(args.host):
        if not args.allow_remote:
            parser.error(
                f"--host {args.host} is not a loopback address; the sandbox is for tests and"
                " demos (add --allow-remote to expose it anyway)"
            )
        if args.token is None:
            parser.error("--allow-remote needs --token with a secret of your own")
        print(
            f"warning: the sandbox listens on {args.host}: whoever reaches it with the token"
            " can read and change its data, faults and tokens",
            file=sys.stderr,
            flush=True,
        )
    stop = threading.Event()
    server = SandboxServer(
        host=args.host,
        port=args.port,
        db_path=args.db,
        token=args.token or DEFAULT_TOKEN,
        client_id=args.client_id,
        client_secret=_client_secret(args),
        allowed_scopes=frozenset(args.client_scope or ALL_SCOPES),
        allow_remote=args.allow_remote,
        latency_ms=args.latency_ms,
        error_rate=args.error_rate,
        drop_after_commit_rate=args.drop_after_commit_rate,
        rate_limit_rate=args.rate_limit_rate,
        seed=args.seed,
        invoiced_key=args.invoiced_key,
        dedupe=args.dedupe,
    )
    if args.demo_accounts:
        seed_demo(server.invoiced.store)

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    def come_back_up(signum: int, frame: FrameType | None) -> None:
        # The handler runs on the main thread between waits; starting uvicorn here is safe.
        server.set_down(False)

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    if hasattr(signal, "SIGUSR1"):
        signal.signal(signal.SIGUSR1, come_back_up)
    try:
        server.start()
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        server.stop()
        return 1
    print(f"listening on {server.url}", flush=True)
    # The ready line stays the only line on stdout (scripts wait for it); the Invoiced side's
    # address is for the person at the terminal.
    print(f"invoiced on {server.invoiced_url} (API key {server.invoiced.api_key})", file=sys.stderr)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0
