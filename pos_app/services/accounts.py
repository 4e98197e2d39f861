"""House accounts: Invoiced customers who buy on credit, found in the till's copy at once,
kept in step with Invoiced when it can be reached, and checked before a sale goes on one.

- The copy is refreshed incrementally (`updated_after`) and wholly by `list_accounts`;
  searching it needs no network.
- An account created at the counter gets a number from the till (`POS-<register>-NNNN`), is
  stored first, and is sent from there (now, or later when Invoiced answers again). Invoiced
  numbers are unique, so after a lost answer the number is looked up before creating again.
- The credit check (domain.accounts.check_on_account) runs on live figures when Invoiced
  answers in time, else on the copy, saying how old it is; the store decides whether the copy
  is enough (Settings.accounts_offline).
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

from pos_app.domain.accounts import (
    Account,
    CachedAccount,
    CreditDecision,
    CreditFigures,
    check_on_account,
)
from pos_app.domain.cart import Cart, PaymentType
from pos_app.domain.customers import is_email
from pos_app.domain.invalid_input import InvalidInput
from pos_app.domain.money import MAX_MAGNITUDE, quantum
from pos_app.domain.receipt import SaleError
from pos_app.domain.remote import (
    RemoteError,
    RemoteNotFound,
    RemoteRejected,
    RemoteUnavailable,
)
from pos_app.services.ports.accounts import AccountsApi, AccountsStore
from pos_app.services.ports.clock import Clock
from pos_app.services.settings import Settings

log = logging.getLogger("pos_app.accounts")

MAX_NAME_LENGTH = 200
_PHONE = re.compile(r"^\+?[0-9 ().\-]+$")
_NOT_DIGIT = re.compile(r"\D")
# Waiting longer than this for Invoiced at the counter is worse than the till's copy.
LIVE_TIMEOUT_S = 4.0
RETRY_BASE_S = 5.0
REFRESH_INTERVAL_S = 300.0
RETRY_AFTER_FAILURE_S = 30.0
RETRY_CAP_S = 600.0


class AccountsNotConfigured(RuntimeError):
    def __init__(self) -> None:
        super().__init__("Invoiced is not set up: give its URL and API key in Settings")


class UnknownAccount(LookupError):
    def __init__(self, number: str):
        super().__init__(f"no account with number {number}")
        self.number = number


@dataclass(frozen=True)
class AccountListing:
    accounts: list[CachedAccount]
    from_cache: bool = False  # Invoiced could not be reached: this is the till's copy
    error: str | None = None


@dataclass(frozen=True)
class AccountView:
    """One account as the till can best tell: live from Invoiced when it answered."""

    cached: CachedAccount
    unsent: Decimal  # put on it by this till since its balance was read
    live: bool
    error: str | None = None  # why not live

    @property
    def account(self) -> Account:
        return self.cached.account


@dataclass(frozen=True)
class PendingReport:
    created: list[str] = field(default_factory=list)  # numbers Invoiced now has
    refused: list[tuple[str, str]] = field(default_factory=list)  # (number, Invoiced's message)
    stopped: str | None = None  # why sending stopped early (offline, credentials)


@dataclass(frozen=True)
class AccountDraft:
    name: str
    email: str | None = None
    phone: str | None = None
    credit_limit: str | None = None  # as typed


def validate_account(draft: AccountDraft, currency: str) -> Account:
    """The account a draft describes (its number still to be given), or InvalidInput with one
    line per wrong field (a credit limit is an amount in the store's currency)."""
    problems: list[str] = []
    fields: dict[str, str] = {}

    def refuse(name: str, message: str) -> None:
        problems.append(f"{name}: {message}")
        fields[name] = message

    name = draft.name.strip()
    if not name:
        refuse("name", "a name is required")
    elif len(name) > MAX_NAME_LENGTH:
        refuse("name", f"at most {MAX_NAME_LENGTH} characters")
    email = (draft.email or "").strip() or None
    if email is not None and not is_email(email):
        refuse("email", "not an e-mail address")
    phone = (draft.phone or "").strip() or None
    if phone is not None and not (
        _PHONE.match(phone) and 7 <= len(_NOT_DIGIT.sub("", phone)) <= 15
    ):
        refuse("phone", "not a phone number")
    limit = _credit_limit(draft.credit_limit, currency, refuse)
    if problems:
        raise InvalidInput(problems, fields)
    return Account(
        number="", name=name, email=email, phone=phone, credit_limit=limit, currency=currency
    )


def _credit_limit(
    text: str | None, currency: str, refuse: Callable[[str, str], None]
) -> Decimal | None:
    if text is None or not text.strip():
        return None
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        refuse("credit_limit", "not an amount")
        return None
    if (
        not value.is_finite()
        or not 0 <= value < MAX_MAGNITUDE
        or value != value.quantize(quantum(currency))
    ):
        refuse("credit_limit", f"an amount of 0 or more, in {currency}")
        return None
    return value


class AccountService:
    def __init__(
        self,
        api: AccountsApi | None,
        store: AccountsStore,
        *,
        settings: Callable[[], Settings],
        clock: Clock = lambda: datetime.now(UTC),
        live_timeout_s: float = LIVE_TIMEOUT_S,
    ):
        self._api = api
        self._store = store
        self._settings = settings
        self._clock = clock
        self._live_timeout_s = live_timeout_s
        # One push of counter-created accounts at a time: two could create one twice.
        self._send_lock = asyncio.Lock()
        self._random = random.Random()

    def connect(self, api: AccountsApi | None) -> None:
        """Invoiced's URL or key changed in Settings: requests go to `api` from now on (None:
        house accounts are off)."""
        self._api = api

    @property
    def configured(self) -> bool:
        return self._api is not None

    def _require_api(self) -> AccountsApi:
        if self._api is None:
            raise AccountsNotConfigured()
        return self._api

    # -- the till's copy ------------------------------------------------------------------------

    async def search(self, text: str, limit: int = 50) -> list[CachedAccount]:
        """Accounts whose name, number, e-mail or phone contain every word of `text`. Offline."""
        return await self._store.search(text, limit)

    async def get(self, number: str) -> CachedAccount | None:
        return await self._store.get(number)

    async def refresh(self) -> int:
        """Sends counter-created accounts, then brings the copy up to date with what changed in
        Invoiced since the last refresh (everything, the first time). Returns how many
        accounts were read. Raises RemoteError when Invoiced cannot be asked."""
        api = self._require_api()
        await self.send_pending()
        since = await self._store.updated_after()
        if since is None:
            return len(await self._read_all(api))
        accounts = await api.all_customers(updated_after=since, sort="updated_at asc")
        await self._store.upsert(accounts)
        await self._remember_clock(accounts)
        return len(accounts)

    async def run_forever(self, interval_s: float = REFRESH_INTERVAL_S) -> None:
        """For the window: keeps the copy fresh and sends counter-created accounts, every
        `interval_s` (sooner again after a failure, since the network may be back)."""
        while True:
            delay = interval_s
            try:
                await self.refresh()
            except RemoteError as error:
                log.info("accounts not refreshed: %s", error.message)
                delay = min(interval_s, RETRY_AFTER_FAILURE_S)
            await asyncio.sleep(delay)

    async def list_accounts(self, search: str | None = None) -> AccountListing:
        """Every account, across all of Invoiced's pages, into the copy (forgetting the ones
        Invoiced deleted), then answered from it. Offline: the copy, saying so."""
        api = self._require_api()
        try:
            await self.send_pending(waiting_too=True)
            await self._read_all(api)
        except RemoteUnavailable as error:
            return AccountListing(
                await self._store.search(search or "", 10_000), True, error.message
            )
        return AccountListing(await self._store.search(search or "", 10_000))

    async def _read_all(self, api: AccountsApi) -> list[Account]:
        accounts = await api.all_customers()
        await self._store.replace_all(accounts)
        await self._remember_clock(accounts)
        return accounts

    async def _remember_clock(self, accounts: list[Account]) -> None:
        stamps = [a.updated_at for a in accounts if a.updated_at is not None]
        if stamps:
            # updated_after is strict: ask from one second before the newest change seen, so
            # another change in that same second is not missed (a re-read is harmless).
            await self._store.set_updated_after(max(stamps) - 1)

    async def show(self, number: str) -> AccountView:
        """The account with its balance outstanding, read live when Invoiced answers."""
        cached = await self._known(number)
        return await self._view(cached)

    async def _known(self, number: str) -> CachedAccount:
        cached = await self._store.get(number)
        if cached is None:
            raise UnknownAccount(number)
        return cached

    async def _view(self, cached: CachedAccount) -> AccountView:
        error = None
        live = False
        account = cached.account
        if self._api is None:
            error = str(AccountsNotConfigured())
        elif account.invoiced_id is None:
            error = "not on Invoiced yet"
        else:
            try:
                cached = await asyncio.wait_for(self._read_live(cached), self._live_timeout_s)
                live = True
            except TimeoutError:
                error = "Invoiced did not answer in time"
            except RemoteNotFound:
                raise
            except RemoteError as failure:
                error = failure.message
        unsent = await self._store.on_account_since(cached.number, cached.balance_read_at)
        return AccountView(cached, unsent, live, error)

    async def _read_live(self, cached: CachedAccount) -> CachedAccount:
        api = self._require_api()
        invoiced_id = cached.account.invoiced_id
        assert invoiced_id is not None
        account = await api.get_customer(invoiced_id)
        balance = await api.get_balance(invoiced_id)
        now = self._clock()
        await self._store.upsert([account])
        await self._store.set_balance(account.number, balance.total_outstanding, now)
        fresh = await self._store.get(account.number)
        assert fresh is not None
        return fresh

    # -- the credit check -----------------------------------------------------------------------

    async def check(self, number: str, amount: Decimal, currency: str) -> CreditDecision:
        """May `amount` go on account `number` now? Live figures when Invoiced answers in time,
        else the till's copy (if the store allows it)."""
        cached = await self._store.get(number)
        if cached is None:
            if self._api is None:
                return CreditDecision(False, str(AccountsNotConfigured()), "not_configured")
            return CreditDecision(False, f"no account with number {number}", "unknown")
        try:
            view = await self._view(cached)
        except RemoteNotFound:
            return CreditDecision(False, f"account {number} no longer exists in Invoiced", "gone")
        figures = CreditFigures(
            account=view.account,
            outstanding=view.cached.outstanding,
            read_at=view.cached.balance_read_at,
            unsent=view.unsent,
            live=view.live,
        )
        if cached.pending and figures.outstanding is None:
            # Created at this counter: nothing can be outstanding yet but what it sold here.
            figures = CreditFigures(figures.account, Decimal(0), None, view.unsent, False)
        return check_on_account(
            figures,
            amount,
            currency,
            now=self._clock(),
            offline_allowed=self._settings().accounts_offline,
        )

    async def check_cart(self, cart: Cart) -> list[str]:
        """One line per ACCOUNT payment of `cart` that may not go on its account (empty: all
        may). Two payments to one account are checked as their sum."""
        amounts: dict[str, Decimal] = {}
        problems: list[str] = []
        for index, payment in enumerate(cart.payments):
            if payment.type != PaymentType.ACCOUNT:
                continue
            if not payment.account:
                problems.append(f"payments[{index}].account: which account is missing")
                continue
            amounts[payment.account] = amounts.get(payment.account, Decimal(0)) + payment.amount
        for number, amount in amounts.items():
            decision = await self.check(number, amount, cart.currency)
            if not decision.allowed:
                problems.append(f"account {number}: {decision.reason}")
        return problems

    async def vet_cart(self, cart: Cart) -> Cart:
        """The cart, its ACCOUNT payments checked (SaleError with every reason when one may
        not go on its account) and each given its account's name to print."""
        if not any(p.type == PaymentType.ACCOUNT for p in cart.payments):
            return cart
        problems = await self.check_cart(cart)
        if problems:
            raise SaleError(problems)
        payments = []
        for payment in cart.payments:
            if payment.type == PaymentType.ACCOUNT and payment.account:
                cached = await self._store.get(payment.account)
                name = cached.account.name if cached is not None else payment.reference
                payment = replace(payment, reference=name)
            payments.append(payment)
        return cart.with_payments(tuple(payments))

    # -- accounts created at the counter --------------------------------------------------------

    async def create(self, draft: AccountDraft) -> CachedAccount:
        """Stores the account under a number of this till's, then tries to send it at once.
        Raises InvalidInput (nothing stored) when a field is wrong. Offline, it stays queued."""
        account = validate_account(draft, self._settings().currency)
        prefix = f"POS-{self._settings().register_prefix}"
        local = await self._store.create_local(prefix, account)
        if self._api is not None:
            report = await self.send_pending()
            if report.stopped:
                log.info("account %s kept for later: %s", local.number, report.stopped)
        cached = await self._store.get(local.number)
        assert cached is not None
        return cached

    async def send_pending(self, *, waiting_too: bool = False) -> PendingReport:
        """Sends every counter-created account that is due (`waiting_too`: also those still
        backing off, when a person asks), oldest first, each exactly once:
        one that may already be on Invoiced (an earlier answer was lost) is looked up by its
        number first. Stops at the first failure to reach Invoiced; a refused account is set
        aside with Invoiced's message, and the rest carry on."""
        api = self._require_api()
        created: list[str] = []
        refused: list[tuple[str, str]] = []
        async with self._send_lock:
            due_by = None if waiting_too else self._clock()
            for cached in await self._store.unsent(due_by=due_by):
                try:
                    account = await self._send_one(api, cached)
                except RemoteRejected as error:
                    await self._store.mark_needs_attention(cached.number, error.message)
                    refused.append((cached.number, error.message))
                    continue
                except RemoteError as error:
                    delay = min(RETRY_CAP_S, RETRY_BASE_S * 2 ** min(cached.attempts, 20))
                    delay *= 0.5 + self._random.random() / 2
                    await self._store.mark_retry(
                        cached.number, self._clock() + timedelta(seconds=delay), error.message
                    )
                    return PendingReport(created, refused, error.message)
                await self._store.mark_created(account)
                created.append(account.number)
        return PendingReport(created, refused)

    async def _send_one(self, api: AccountsApi, cached: CachedAccount) -> Account:
        if cached.attempts:
            # An earlier attempt failed: it may have reached Invoiced all the same.
            found = await api.find_by_number(cached.number)
            if found is not None:
                return found
        return await api.create_account(cached.account)

    # -- statement ------------------------------------------------------------------------------

    async def send_statement(self, number: str) -> int:
        """E-mails the account's statement through Invoiced. Online only: raises
        RemoteUnavailable (nothing kept for later) when Invoiced cannot be reached."""
        api = self._require_api()
        cached = await self._known(number)
        if cached.account.invoiced_id is None:
            raise RemoteUnavailable(
                f"account {number} is not on Invoiced yet", maybe_delivered=False
            )
        return await api.send_statement(cached.account.invoiced_id)
