"""The `pos-app` command line: global options, then one subcommand (none opens the window)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pos_app
from pos_app.cli import (
    accounts_cmd,
    cashday_cmd,
    catalog_cmd,
    customers_cmd,
    locations_cmd,
    printer_cmd,
    queue_cmd,
    receipt_cmd,
    sale_cmd,
    sync_cmd,
    totals_cmd,
)
from pos_app.cli.io import EXIT_ERROR, CommandError
from pos_app.services.runtime import Runtime, RuntimeOptions
from pos_app.services.settings import SettingsInvalid

RuntimeFactory = Callable[[RuntimeOptions], Runtime]


def _parser(default_data_dir: Path) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pos-app",
        description="Point of sale: ring up sales, print receipts, sync them to Smartbills.",
    )
    parser.add_argument("--version", action="version", version=f"pos-app {pos_app.__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ["POS_DATA_DIR"])
        if os.environ.get("POS_DATA_DIR")
        else default_data_dir,
        help="where the database, settings and receipts live (env POS_DATA_DIR)",
    )
    parser.add_argument(
        "--api-url",
        default=os.environ.get("POS_API_URL") or None,
        help="Smartbills API base URL (env POS_API_URL); none: the built-in sandbox (demo mode)",
    )
    parser.add_argument(
        "--api-token",
        default=os.environ.get("POS_API_TOKEN") or None,
        help="static bearer token (env POS_API_TOKEN; prefer the environment: flags show in ps)",
    )
    parser.add_argument(
        "--invoiced-url",
        default=os.environ.get("POS_INVOICED_URL") or None,
        help="Invoiced API URL for house accounts (env POS_INVOICED_URL; its key: env "
        "POS_INVOICED_KEY)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log to standard error")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check the installed app (window offscreen, totals, receipt PDF, sync) in a "
        "temporary folder, print one line per check, exit 0 if all pass",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (totals_cmd, receipt_cmd, sale_cmd, cashday_cmd, sync_cmd, queue_cmd):
        module.register(commands)
    for module in (catalog_cmd, customers_cmd, locations_cmd, printer_cmd, accounts_cmd):
        module.register(commands)
    commands.add_parser("sandbox", help="run the local Smartbills-compatible API (see sandbox -h)")
    return parser


_GLOBAL_OPTIONS_WITH_VALUE = {"--data-dir", "--api-url", "--api-token", "--invoiced-url"}


def _split_sandbox(argv: list[str]) -> tuple[list[str], list[str]]:
    """The sandbox has its own options: everything after the `sandbox` command is its own."""
    for i, token in enumerate(argv):
        if token.startswith("-"):
            continue
        if i > 0 and argv[i - 1] in _GLOBAL_OPTIONS_WITH_VALUE:
            continue
        if token == "sandbox":
            return argv[: i + 1], argv[i + 1 :]
        break
    return argv, []


def run(argv: list[str], make_runtime: RuntimeFactory, default_data_dir: Path) -> int:
    argv, sandbox_argv = _split_sandbox(argv)
    parser = _parser(default_data_dir)
    args = parser.parse_args(argv)
    if args.self_test and args.command is not None:
        parser.error("--self-test takes no command")
    if args.verbose:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s"
        )
    else:
        # Without -v a command reports what went wrong in its own one line; the app's log
        # warnings (a failed request, say) would otherwise reach stderr through Python's
        # last-resort handler and repeat it.
        logging.getLogger("pos_app").addHandler(logging.NullHandler())
    options = RuntimeOptions(
        data_dir=args.data_dir,
        api_url=args.api_url,
        api_token=args.api_token,
        invoiced_url=args.invoiced_url,
        invoiced_key=os.environ.get("POS_INVOICED_KEY") or None,
    )
    runtime = make_runtime(options)
    if args.self_test:
        return runtime.self_test()
    try:
        if args.command is None:
            return runtime.run_window()
        if args.command == "sandbox":
            return runtime.run_sandbox(sandbox_argv)
        code: int = args.handler(args, runtime)
    except CommandError as error:
        for line in error.lines:
            print(line, file=sys.stderr)
        return error.code
    except SettingsInvalid as error:
        # A settings file edited by hand into one no sale could use: say where and what.
        for line in error.problems:
            print(f"pos-app: {args.data_dir / 'settings.json'}: {line}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        # A data folder that cannot be written, a file that cannot be read: one line.
        print(f"pos-app: {error}", file=sys.stderr)
        return EXIT_ERROR
    return code
