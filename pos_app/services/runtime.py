"""What the composition root hands to the UI and the CLI: options, the running services, and
three narrow Protocols (settings storage, opening the services, the entry points) that
bootstrap implements. Each floor types what it takes with the narrowest one it needs, so
neither imports bootstrap and a screen cannot reach more than it is given."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pos_app.services.accounts import AccountService
from pos_app.services.catalog import CatalogService
from pos_app.services.checkout import CheckoutService
from pos_app.services.corrections import CorrectionService
from pos_app.services.customers import CustomerService
from pos_app.services.drawer import DrawerService
from pos_app.services.held_carts import HeldCartsService
from pos_app.services.history import HistoryService
from pos_app.services.locations import LocationService
from pos_app.services.printer_setup import PrinterSetupService
from pos_app.services.queue import QueueService
from pos_app.services.sale_session import SaleSession
from pos_app.services.settings import Secrets, Settings
from pos_app.services.shifts import ShiftService
from pos_app.services.sync import SyncWorker


@dataclass(frozen=True)
class RuntimeOptions:
    """Overrides for kiosk deployments: CLI flags, else POS_* environment variables."""

    data_dir: Path
    api_url: str | None = None
    api_token: str | None = None
    # House accounts: POS_INVOICED_URL and POS_INVOICED_KEY (the key is never a flag).
    invoiced_url: str | None = None
    invoiced_key: str | None = None


async def _no_warm_up() -> bool:
    return False


@dataclass
class AppServices:
    settings: Settings
    checkout: CheckoutService
    sync: SyncWorker
    queue: QueueService
    data_dir: Path
    # Catalog, customers, locations, sales history and held carts.
    catalog: CatalogService
    customers: CustomerService
    locations: LocationService
    history: HistoryService
    held_carts: HeldCartsService
    # The sale in progress on this till (the window's; a command may ignore it).
    session: SaleSession
    # The cashier's day: shifts and their reports, refunds and voids.
    shifts: ShiftService
    corrections: CorrectionService
    # The cash drawer (sales, refunds, the key) and the thermal printer's test page.
    drawer: DrawerService
    printers: PrinterSetupService
    # House accounts on Invoiced (its `configured` is False when no Invoiced is set up).
    accounts: AccountService
    # Opens the API connection (and fetches a token) before the first sale needs one; the
    # window calls it at start-up. Returns whether the server answered.
    warm_up: Callable[[], Awaitable[bool]] = _no_warm_up


class SettingsStore(Protocol):
    """Where the settings live: read (with the kiosk overrides applied), their secrets kept
    apart, and saved."""

    def settings(self) -> Settings: ...

    def secrets(self) -> Secrets:
        """The stored secrets, for the settings dialog to keep the ones not retyped."""
        ...

    def save_settings(self, settings: Settings, secrets: Secrets | None = None) -> None: ...


class ServicesOpener(Protocol):
    def open_services(self, *, connect: bool = True) -> AbstractAsyncContextManager[AppServices]:
        """Opens the database, the API client (or, in demo mode, the built-in sandbox) and the
        sync worker; closes them all on exit. `connect=False` opens no network side at all
        (the worker then has nothing to talk to and must not be run)."""
        ...


class EntryPoints(Protocol):
    """What the command line starts besides its commands."""

    def run_sandbox(self, argv: list[str]) -> int: ...

    def run_window(self) -> int: ...

    def run_virtual_printer(self, host: str, port: int, mode: str, save_to: Path | None) -> int:
        """Runs a virtual thermal printer until interrupted (demos, rehearsing failures)."""
        ...

    def self_test(self) -> int:
        """Checks the installed app end to end (window, totals, receipt PDF, sync) in a
        throwaway data folder, never the store's; prints one line per check and returns the
        exit status."""
        ...


class Runtime(SettingsStore, ServicesOpener, EntryPoints, Protocol):
    """The three together: what bootstrap implements and the command line's `run` is given,
    to start the window, the sandbox or the self-test, or to hand a command the part it
    needs."""
