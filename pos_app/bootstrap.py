"""The composition root: builds adapters and services from settings, and starts the CLI or
the window. Nothing imports this module; `pos-app` and `python -m pos_app` start here."""

from __future__ import annotations

import asyncio
import logging
import secrets
import sys
import tempfile
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import platformdirs

from pos_app.adapters.api.auth import ClientCredentialsAuth, StaticTokenAuth
from pos_app.adapters.api.client import Language, SmartbillsClient, SmartbillsConfig
from pos_app.adapters.api.mapping import ApiReceiptEncoder
from pos_app.adapters.config.settings_file import SettingsFile
from pos_app.adapters.escpos import PROFILES, EscposPrinter, parse_connection, profile_named
from pos_app.adapters.invoiced import InvoicedClient, InvoicedConfig
from pos_app.adapters.printing import FolderPrinter, make_printer
from pos_app.adapters.receipt_pdf import ReportlabReceiptRenderer
from pos_app.adapters.receipt_pdf.shift_report import ReportlabShiftReportRenderer
from pos_app.adapters.store.accounts_repo import AccountsRepo
from pos_app.adapters.store.audit_repo import AuditLog
from pos_app.adapters.store.cache_repo import CustomersCache, LocationsCache
from pos_app.adapters.store.catalog_repo import CatalogRepo
from pos_app.adapters.store.corrections_repo import CorrectionsRepo
from pos_app.adapters.store.data_version import DataVersionWatch
from pos_app.adapters.store.database import Database
from pos_app.adapters.store.held_carts_repo import HeldCartsRepo
from pos_app.adapters.store.outbox_repo import OutboxRepo
from pos_app.adapters.store.sales_repo import SalesRepo
from pos_app.adapters.store.sender_lock import FileSenderLock
from pos_app.adapters.store.shifts_repo import ShiftsRepo
from pos_app.resources import resource_path
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
from pos_app.services.runtime import AppServices, RuntimeOptions
from pos_app.services.sale_session import SaleSession
from pos_app.services.settings import (
    Secrets,
    Settings,
    check_settings,
    read_settings,
    settings_to_dict,
)
from pos_app.services.shifts import ReportOutput, ShiftService
from pos_app.services.sync import SyncWorker

if TYPE_CHECKING:
    # Only demo mode runs the sandbox: a till with an API never loads it (nor uvicorn and
    # starlette), which keeps its start-up lighter.
    from pos_app.sandbox.server import SandboxServer

log = logging.getLogger("pos_app")

DATABASE_FILE = "pos.db"
SANDBOX_DATABASE_FILE = "sandbox.db"
RECEIPTS_DIR = "receipts"
SAMPLE_CATALOG = "sample_catalog.csv"


class LiveClient:
    """The API client the services hold while they are open. It forwards every call to the
    client built from the current connection settings, so a new API URL, token or business
    id applies at the next request, without a restart."""

    def __init__(self, client: SmartbillsClient):
        self.current = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self.current, name)


@dataclass
class _Connection:
    """What open_services connected, for save_settings to change it."""

    sandbox: SandboxServer | None = None
    client: LiveClient | None = None
    invoiced: InvoicedClient | None = None
    services: AppServices | None = None
    # Clients the settings replaced: closed with the services (a request may still be using
    # one; a close on a task of its own would be cancelled with the window's tasks).
    retired: list[SmartbillsClient | InvoicedClient] = field(default_factory=list)


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("pos-app", appauthor=False))


def thermal_printer(settings: Settings) -> EscposPrinter:
    """The ESC/POS printer `settings` name: connected when the till's printer is a thermal
    one, else only a renderer (files, previews). ValueError for a connection or profile that
    names no printer."""
    connector = None
    if settings.printer == "escpos":
        connector = parse_connection(settings.printer_target or "")
    return EscposPrinter(
        profile_named(settings.printer_profile),
        connector,
        logo_path=Path(settings.receipt_logo) if settings.receipt_logo else None,
        timeout=settings.printer_timeout,
    )


def _pdf_printer(settings: Settings) -> tuple[str, str | None]:
    if settings.printer == "escpos":
        return "none", None
    return settings.printer, settings.printer_target


class Bootstrap:
    """The Runtime the CLI is given: settings storage (SettingsStore), the services
    (ServicesOpener) and the entry points (EntryPoints); the window gets the first two."""

    def __init__(self, options: RuntimeOptions):
        self.options = options
        self._files = SettingsFile(options.data_dir)
        # Read once, then kept: every sale asks for them, and only save_settings changes them.
        self._settings: Settings | None = None
        self._thermal: tuple[Settings, EscposPrinter] | None = None
        # The services opened with a connection, while they are (see save_settings).
        self._open: _Connection | None = None

    # -- settings ------------------------------------------------------------------------------

    def settings(self) -> Settings:
        if self._settings is None:
            settings = read_settings(self._files.load())
            if self.options.api_url:
                settings = settings.with_changes(api_url=self.options.api_url)
            if self.options.invoiced_url:
                settings = settings.with_changes(invoiced_url=self.options.invoiced_url)
            self._settings = settings
        return self._settings

    def secrets(self) -> Secrets:
        stored = self._files.load_secrets()
        return Secrets(
            api_token=self.options.api_token or stored.get("api_token"),
            client_secret=stored.get("client_secret"),
            invoiced_key=self.options.invoiced_key or stored.get("invoiced_key"),
        )

    def save_settings(self, settings: Settings, secrets: Secrets | None = None) -> None:
        """Raises SettingsInvalid, saving nothing, for settings that break a rule. A change of
        connection (API URL, credentials, business id...) applies at once to open services."""
        before = self._connection()
        self._files.save(settings_to_dict(check_settings(settings)))
        self._settings = None
        if secrets is not None:
            self._files.save_secrets(
                {
                    "api_token": secrets.api_token,
                    "client_secret": secrets.client_secret,
                    "invoiced_key": secrets.invoiced_key,
                }
            )
        if self._open is not None and self._connection() != before:
            self._reconnect(self._open)

    def _connection(self) -> tuple[object, ...]:
        """What the API clients are built from (the language too: the API is asked for its
        messages in it)."""
        s = self.settings()
        fields = (s.api_url, s.business_id, s.route_mode, s.token_url, s.client_id, s.scopes)
        return (*fields, s.ui_language, s.invoiced_url, s.demo_mode, self.secrets())

    def thermal(self) -> EscposPrinter:
        """The ESC/POS printer of the current settings, rebuilt when they change (a printer
        chosen in Settings prints the next receipt)."""
        settings = self.settings()
        if self._thermal is None or self._thermal[0] is not settings:
            try:
                printer = thermal_printer(settings)
            except ValueError as error:
                # A connection the settings file names wrongly must not stop the till:
                # receipts are still recorded and archived, and printing says why it fails.
                log.error("thermal printer settings not usable: %s", error)
                usable = settings.with_changes(
                    printer="none", printer_profile=Settings().printer_profile
                )
                printer = thermal_printer(usable)
                printer.problem = str(error)
            self._thermal = (settings, printer)
        return self._thermal[1]

    def _drawer_printer(self) -> EscposPrinter | None:
        return self.thermal() if self.settings().printer == "escpos" else None

    # -- services ------------------------------------------------------------------------------

    @asynccontextmanager
    async def open_services(self, *, connect: bool = True) -> AsyncIterator[AppServices]:
        data_dir = self.options.data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        settings = self.settings()
        db = await asyncio.to_thread(Database.open, data_dir / DATABASE_FILE)
        connection = _Connection()
        # Taken by the sync worker when it starts, dropped here or by the OS when we exit.
        sender_lock = FileSenderLock(data_dir)
        try:
            if connect and settings.demo_mode:
                connection.sandbox = await asyncio.to_thread(self._start_demo_sandbox)
            client = LiveClient(self._client(settings, connection.sandbox))
            connection.invoiced = self._invoiced(settings, connection.sandbox)
            try:
                # The services hold the live client: it forwards to whichever client the
                # current settings make (typed as the client it stands for).
                services = self._services(
                    settings,
                    db,
                    cast(SmartbillsClient, client),
                    connection.sandbox,
                    connection.invoiced,
                    sender_lock,
                )
                if connection.sandbox is not None:
                    # A demo till starts with the sample dépanneur products to ring up.
                    await services.catalog.ensure_sample_catalog()
                if settings.demo_mode:
                    await services.shifts.ensure_open()  # and needs no float to sell
                if connect:
                    connection.client, connection.services = client, services
                    self._open = connection
                yield services
            finally:
                self._open = None
                await client.current.aclose()
                if connection.invoiced is not None:
                    await connection.invoiced.aclose()
                for retired in connection.retired:
                    await retired.aclose()
        finally:
            sender_lock.release()
            if connection.sandbox is not None:
                await asyncio.to_thread(connection.sandbox.stop)
            await db.aclose()

    def _reconnect(self, connection: _Connection) -> None:
        """Points the open services at the APIs the settings now name: the next request goes
        there with the new credentials, and the sync worker tries its queue at once (a queue
        paused for the old credentials too). Turning demo mode on starts the sandbox (a second
        or less); the old clients are closed with the services."""
        assert connection.client is not None and connection.services is not None
        services = connection.services
        settings = self.settings()
        if settings.demo_mode and connection.sandbox is None:
            connection.sandbox = self._start_demo_sandbox()
        sandbox = connection.sandbox if settings.demo_mode else None
        new = self._client(settings, sandbox)
        new.on_new_token(services.sync.credentials_renewed)
        old, connection.client.current = connection.client.current, new
        connection.retired.append(old)
        old_invoiced, connection.invoiced = connection.invoiced, self._invoiced(settings, sandbox)
        services.accounts.connect(connection.invoiced)
        if old_invoiced is not None:
            connection.retired.append(old_invoiced)
        log.info("connection settings changed: the API is now %s", new.config.base_url)
        services.sync.credentials_renewed()
        services.sync.nudge()

    def _start_demo_sandbox(self) -> SandboxServer:
        from pos_app.sandbox.invoiced_app import seed_demo
        from pos_app.sandbox.server import SandboxServer

        token = secrets.token_urlsafe(24)
        server = SandboxServer(
            db_path=self.options.data_dir / SANDBOX_DATABASE_FILE,
            token=token,
            invoiced_key=secrets.token_urlsafe(24),
        )
        # ... and with sample business customers to sell to on account.
        seed_demo(server.invoiced.store)
        server.start()
        log.info("demo mode: sandbox API at %s", server.url)
        return server

    def _client(self, settings: Settings, sandbox: SandboxServer | None) -> SmartbillsClient:
        if sandbox is not None:
            assert sandbox.token is not None  # the demo sandbox is always started with one
            config = SmartbillsConfig(base_url=sandbox.url, auth=StaticTokenAuth(sandbox.token))
            return SmartbillsClient(config)
        secret = self.secrets()
        auth: StaticTokenAuth | ClientCredentialsAuth
        if secret.api_token or not settings.client_id:
            auth = StaticTokenAuth(secret.api_token or "")
        else:
            auth = ClientCredentialsAuth(
                client_id=settings.client_id,
                client_secret=secret.client_secret or "",
                token_url=settings.token_url,
                scopes=tuple(settings.scopes.split()),
            )
        # With connect=False nothing is sent; the URL only has to be well formed.
        base_url = settings.api_url or "http://127.0.0.1:9"
        language: Language = "fr-CA" if settings.ui_language == "fr" else "en-CA"
        return SmartbillsClient(
            SmartbillsConfig(
                base_url=base_url,
                auth=auth,
                business_id=settings.business_id,
                route_mode=settings.route_mode,
                language=language,
            )
        )

    def _invoiced(self, settings: Settings, sandbox: SandboxServer | None) -> InvoicedClient | None:
        """The Invoiced client: the demo sandbox's, the configured one, or None (no house
        accounts on this till)."""
        if sandbox is not None:
            config = InvoicedConfig(sandbox.invoiced_url, sandbox.invoiced.api_key)
        elif settings.invoiced_url:
            config = InvoicedConfig(settings.invoiced_url, self.secrets().invoiced_key or "")
        else:
            return None
        return InvoicedClient(config)

    def _services(
        self,
        settings: Settings,
        db: Database,
        client: SmartbillsClient,
        sandbox: SandboxServer | None,
        invoiced: InvoicedClient | None,
        sender_lock: FileSenderLock,
    ) -> AppServices:
        data_dir = self.options.data_dir
        sales = SalesRepo(db)
        outbox = OutboxRepo(db)
        encoder = ApiReceiptEncoder()
        sync = SyncWorker(
            outbox,
            client,
            sandbox=sandbox is not None,
            sender_lock=sender_lock,
            foreign_changes=DataVersionWatch(db),
        )
        client.on_new_token(sync.credentials_renewed)
        accounts = AccountService(invoiced, AccountsRepo(db), settings=self.settings)
        drawer = DrawerService(self._drawer_printer, AuditLog(db), settings=self.settings)
        # A thermal printer is driven by the ESC/POS printer below, not as a PDF printer.
        printer = make_printer(*_pdf_printer(settings))
        archive = FolderPrinter(data_dir / RECEIPTS_DIR)
        checkout = CheckoutService(
            sales,
            encoder,
            ReportlabReceiptRenderer(
                Path(settings.receipt_logo) if settings.receipt_logo else None
            ),
            printer,
            archive,
            settings=self.settings,
            on_committed=sync.nudge,
            escpos=self.thermal,
            drawer=drawer,
            require_shift=True,
            vet=accounts.vet_cart,
        )
        catalog = CatalogService(
            CatalogRepo(db), settings=self.settings, sample_catalog=resource_path(SAMPLE_CATALOG)
        )
        held_carts = HeldCartsService(HeldCartsRepo(db))
        return AppServices(
            settings=settings,
            checkout=checkout,
            sync=sync,
            queue=QueueService(outbox, sales, encoder, sync),
            data_dir=data_dir,
            catalog=catalog,
            # The services hand the client their own drafts; the wire names are the client's.
            customers=CustomerService(client, CustomersCache(db)),
            locations=LocationService(
                client,
                LocationsCache(db),
                settings=self.settings,
                save_settings=self.save_settings,
            ),
            history=HistoryService(sales, settings=self.settings),
            held_carts=held_carts,
            # The sale in progress: the settings' currency and rounding rules (the window
            # reconfigures it when they are saved), the catalog's products, holds.
            session=SaleSession(
                catalog, currency=settings.currency, policy=settings.policy, held_carts=held_carts
            ),
            accounts=accounts,
            drawer=drawer,
            printers=PrinterSetupService(
                thermal_printer, [(p.name, p.description) for p in PROFILES.values()]
            ),
            # Cash refunds and paid-in/out open the drawer once they are recorded.
            shifts=ShiftService(
                ShiftsRepo(db),
                settings=self.settings,
                drawer=drawer,
                output=ReportOutput(ReportlabShiftReportRenderer(), printer, archive),
            ),
            corrections=CorrectionService(
                sales,
                CorrectionsRepo(db),
                encoder,
                checkout,
                settings=self.settings,
                on_committed=sync.nudge,
                drawer=drawer,
            ),
            warm_up=lambda: client.warm_up(),
        )

    # -- entry points --------------------------------------------------------------------------

    def run_sandbox(self, argv: list[str]) -> int:
        from pos_app.sandbox.cli import run_from_args

        return run_from_args(argv)

    def run_virtual_printer(self, host: str, port: int, mode: str, save_to: Path | None) -> int:
        from pos_app.adapters.escpos.virtual import Mode, VirtualPrinter

        try:
            printer = VirtualPrinter(host, port, mode=cast(Mode, mode), save_to=save_to)
        except OSError as error:
            print(f"pos-app: cannot listen on {host}:{port}: {error.strerror}", file=sys.stderr)
            return 1
        with printer:
            print(f"virtual printer listening: {printer.target} ({mode})", flush=True)
            signal_wait()
        print(f"{len(printer.jobs)} job(s) received")
        return 0

    def run_window(self) -> int:
        from pos_app.ui.app import run_app

        return run_app(self, self)

    def self_test(self) -> int:
        from pos_app.ui.self_test import run_self_test

        # A throwaway folder and the default settings, whatever --data-dir, --api-url or the
        # POS_* variables say: the check must never touch a store's sales or reach its API
        # (demo mode runs the built-in sandbox on a loopback port instead).
        with tempfile.TemporaryDirectory(prefix="pos-app-self-test-") as tmp:
            throwaway = Bootstrap(RuntimeOptions(data_dir=Path(tmp)))
            return run_self_test(throwaway, throwaway)


def signal_wait() -> None:
    """Blocks until SIGINT or SIGTERM."""
    import signal

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


def main(argv: list[str] | None = None) -> int:
    from pos_app.cli.main import run

    return run(sys.argv[1:] if argv is None else argv, Bootstrap, default_data_dir())
