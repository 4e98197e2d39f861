"""House accounts: business customers who buy on credit (kept in Invoiced), and the rule that
decides whether the till may put a sale on one.

Plain values and one pure check, so the till, the CLI and the tests all judge a sale alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from pos_app.domain.money import format_amount

# The fields a till may change on an account (the rest is the back office's business).
EDITABLE_FIELDS = ("name", "email", "phone", "credit_hold", "credit_limit", "currency")


@dataclass(frozen=True, slots=True)
class Account:
    """An Invoiced customer as the till knows it. `invoiced_id` is None until Invoiced has it
    (an account created at the counter while offline)."""

    number: str
    name: str
    email: str | None = None
    phone: str | None = None
    credit_hold: bool = False
    credit_limit: Decimal | None = None  # None: no limit set
    currency: str | None = None  # None: the store's currency
    invoiced_id: int | None = None
    updated_at: int | None = None  # Invoiced's own clock (Unix seconds), for updated_after


@dataclass(frozen=True, slots=True)
class AccountBalance:
    """GET /customers/{id}/balance, the parts the till uses."""

    total_outstanding: Decimal
    currency: str | None = None
    past_due: bool = False
    due_now: Decimal = Decimal(0)
    available_credits: Decimal = Decimal(0)


def account_changes(before: Account, after: Account) -> dict[str, object]:
    """The editable fields whose value differs, by field name (what a PATCH sends)."""
    return {
        name: getattr(after, name)
        for name in EDITABLE_FIELDS
        if getattr(after, name) != getattr(before, name)
    }


def account_fields(account: Account) -> dict[str, object]:
    """What a create sends: the number and name, and each other editable field that is set."""
    out: dict[str, object] = {"number": account.number, "name": account.name}
    for name in EDITABLE_FIELDS:
        value = getattr(account, name)
        if name not in out and value is not None and value is not False:
            out[name] = value
    return out


# ---------------------------------------------------------------------------------------------
# The credit check


@dataclass(frozen=True, slots=True)
class CreditFigures:
    """What the check is run on: the account, its balance outstanding and when it was read,
    and the on-account sales this till recorded since then (which that balance cannot hold)."""

    account: Account
    outstanding: Decimal | None  # None: never read
    read_at: datetime | None
    unsent: Decimal = Decimal(0)
    live: bool = False  # read from Invoiced just now (False: the till's copy)


@dataclass(frozen=True, slots=True)
class CreditDecision:
    allowed: bool
    reason: str = ""  # why not (or, when allowed on cached figures, how old they are)
    # Stable words for programs (tests, the CLI's JSON): held, over_limit, currency, stale...
    code: str = ""
    details: Mapping[str, str] = field(default_factory=dict)


def check_on_account(
    figures: CreditFigures,
    amount: Decimal,
    currency: str,
    *,
    now: datetime,
    offline_allowed: bool = True,
) -> CreditDecision:
    """May `amount` go on the account? Refused when the account is on credit hold, is kept in
    another currency, or when outstanding + unsent + amount would pass its credit limit. On the
    till's copy (not live) the answer says how old the figures are, and is a refusal when the
    store does not allow on-account sales offline."""
    account = figures.account
    age = _age_text(figures.read_at, now) if not figures.live else ""
    # What a screen needs to say it in its own words (the reason is the English sentence).
    base = {"number": account.number}
    if not figures.live:
        base["age_minutes"] = (
            str(max(int((now - figures.read_at) / timedelta(minutes=1)), 0))
            if figures.read_at is not None
            else ""
        )
    if account.credit_hold:
        return CreditDecision(False, f"account {account.number} is on credit hold", "held", base)
    if account.currency and account.currency.upper() != currency.upper():
        return CreditDecision(
            False,
            f"account {account.number} is kept in {account.currency.upper()}, "
            f"this sale is in {currency}",
            "currency",
            {**base, "account_currency": account.currency.upper(), "currency": currency},
        )
    if not figures.live and not offline_allowed:
        return CreditDecision(
            False,
            "Invoiced cannot be reached and on-account sales offline are off",
            "offline",
            base,
        )
    if account.credit_limit is not None:
        outstanding = figures.outstanding if figures.outstanding is not None else Decimal(0)
        total = outstanding + figures.unsent + amount
        if total > account.credit_limit:
            available = max(account.credit_limit - outstanding - figures.unsent, Decimal(0))
            reason = (
                f"over the credit limit of account {account.number}: "
                f"{format_amount(outstanding, currency)} outstanding"
                f" + {format_amount(figures.unsent, currency)} not yet on it"
                f" + {format_amount(amount, currency)} this sale"
                f" > {format_amount(account.credit_limit, currency)}"
                f" (available {format_amount(available, currency)})"
            )
            figures_text = {
                "outstanding": format_amount(outstanding, currency),
                "unsent": format_amount(figures.unsent, currency),
                "amount": format_amount(amount, currency),
                "limit": format_amount(account.credit_limit, currency),
                "available": format_amount(available, currency),
            }
            return CreditDecision(False, _with_age(reason, age), "over_limit", base | figures_text)
    if age:
        return CreditDecision(True, f"checked on the till's copy {age}", "cached", base)
    return CreditDecision(True, details=base)


def _with_age(reason: str, age: str) -> str:
    return f"{reason}; figures from the till's copy {age}" if age else reason


def _age_text(read_at: datetime | None, now: datetime) -> str:
    if read_at is None:
        return "(balance never read)"
    seconds = max(int((now - read_at) / timedelta(seconds=1)), 0)
    if seconds < 120:
        return f"read {seconds} s ago"
    if seconds < 2 * 3600:
        return f"read {seconds // 60} min ago"
    if seconds < 2 * 86400:
        return f"read {seconds // 3600} h ago"
    return f"read {seconds // 86400} days ago"


@dataclass(frozen=True, slots=True)
class AccountPage:
    """One page of a customer list, with what the server said about the whole list."""

    accounts: tuple[Account, ...]
    total_count: int | None = None  # X-Total-Count
    next_url: str | None = None  # the Link header's rel="next", None on the last page


class CreateState:
    """Where an account created at the counter stands with Invoiced."""

    SYNCED = "synced"  # Invoiced has it (or it came from Invoiced)
    PENDING = "pending"  # waiting to be sent (again)
    NEEDS_ATTENTION = "needs_attention"  # Invoiced refused it; a person must act


@dataclass(frozen=True, slots=True)
class CachedAccount:
    """The till's copy of an account: the account, its balance outstanding as last read, and,
    for one created at the counter, how sending it is going."""

    account: Account
    outstanding: Decimal | None = None
    balance_read_at: datetime | None = None
    create_state: str = CreateState.SYNCED
    attempts: int = 0
    last_error: str | None = None

    @property
    def number(self) -> str:
        return self.account.number

    @property
    def pending(self) -> bool:
        return self.create_state != CreateState.SYNCED
