"""The store's settings, declared once: typed, versioned, with their JSON form.

Secrets (API token, OAuth client secret) are not here: they live in `Secrets`, stored apart
with owner-only permissions, and never printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pos_app.domain.cart import CashRounding, InclusiveTarget, Policy, Tax, TaxRounding
from pos_app.domain.invalid_input import InvalidInput
from pos_app.domain.money import CurrencyError, RoundingMode, minor_unit
from pos_app.domain.order_number import prefix_problem
from pos_app.domain.paper import Paper, ReceiptLanguage
from pos_app.domain.receipt import Address, StoreInfo

SETTINGS_VERSION = 1

# Invoiced's API (house accounts) and its sandbox; a local sandbox's URL is typed instead.
INVOICED_PRODUCTION = "https://api.invoiced.com"
INVOICED_SANDBOX = "https://api.sandbox.invoiced.com"

RouteMode = Literal["scoped", "unscoped"]

# The Québec defaults a new till starts with; the owner edits them in Settings.
DEFAULT_TAXES: dict[str, tuple[Tax, ...]] = {
    "GST+QST": (Tax("GST", Decimal("5")), Tax("QST", Decimal("9.975"))),
    "GST": (Tax("GST", Decimal("5")),),
    "QST": (Tax("QST", Decimal("9.975")),),
    "": (),
}


DEMO_STORE = StoreInfo(
    business_name="Dépanneur Démo",
    location_name="Plateau",
    address=Address(
        line1="1234, rue Saint-Denis",
        city="Montréal",
        state="Québec",
        state_code="QC",
        country="Canada",
        country_code="CA",
        postal_code="H2X 3J8",
    ),
    phone="514 555-0134",
    timezone="America/Toronto",
    tax_numbers={"GST": "123456789 RT0001", "QST": "1234567890 TQ0001"},
    return_policy="Retours sous 14 jours avec reçu. / Returns within 14 days with receipt.",
    thank_you="Merci et à bientôt ! / Thank you, see you soon!",
)


@dataclass(frozen=True)
class Secrets:
    api_token: str | None = None
    client_secret: str | None = None
    invoiced_key: str | None = None

    def __repr__(self) -> str:  # never show a secret, even in a traceback or a debugger
        return (
            f"Secrets(api_token={'set' if self.api_token else None}, "
            f"client_secret={'set' if self.client_secret else None}, "
            f"invoiced_key={'set' if self.invoiced_key else None})"
        )


@dataclass(frozen=True)
class Settings:
    version: int = SETTINGS_VERSION
    # API: no URL means demo mode, with the sandbox started inside the app.
    api_url: str | None = None
    business_id: str | None = None
    route_mode: RouteMode | None = None  # None: scoped when business_id is set
    # The .NET SDK's authority (https://api.smartbills.io/auth) + connect/token.
    token_url: str = "https://api.smartbills.io/auth/connect/token"
    client_id: str | None = None
    scopes: str = "receipts.write receipts.read customers:read customers:create customers:update"
    # Till and store
    currency: str = "CAD"
    register_prefix: str = "A1"
    location_id: str | None = None
    store: StoreInfo = DEMO_STORE
    tax_codes: dict[str, tuple[Tax, ...]] = field(default_factory=lambda: dict(DEFAULT_TAXES))
    policy: Policy = Policy()
    # Printing and language
    # Every receipt's PDF is kept under <data dir>/receipts whatever the printer; "none" means
    # that archive is the only output (demo mode).
    printer: str = "none"  # "cups" | "folder" | "escpos" | "none"
    # CUPS queue name, folder path, or a thermal printer's connection (tcp://HOST[:9100],
    # usb://VENDOR:PRODUCT, serial:///dev/ttyUSB0[?baud=N], /dev/usb/lp0)
    printer_target: str | None = None
    printer_profile: str = "80mm-48"  # a thermal printer's columns, code page, QR support
    printer_timeout: float = 5.0  # seconds a thermal printer has to take a job
    cash_drawer: bool = True  # pulse the drawer on the thermal printer for cash
    paper: Paper = Paper.ROLL_80MM
    receipt_language: ReceiptLanguage = ReceiptLanguage.FR_EN
    receipt_logo: str | None = None  # an image file printed at the top of each receipt
    ui_language: str = "fr"
    # House accounts (Invoiced): its API URL (production, sandbox or a local one); None: no
    # house accounts (in demo mode, the built-in sandbox's). The key is a secret.
    invoiced_url: str | None = None
    # Whether a sale may go on account on the till's copy of the figures when Invoiced
    # cannot be reached (the check then says how old they are).
    accounts_offline: bool = True

    @property
    def demo_mode(self) -> bool:
        return not self.api_url

    @property
    def effective_route_mode(self) -> str:
        return self.route_mode or ("scoped" if self.business_id else "unscoped")

    def taxes_for(self, code: str) -> tuple[Tax, ...]:
        """The taxes of a catalog tax code such as "GST+QST" (unknown codes raise KeyError)."""
        if code in self.tax_codes:
            return self.tax_codes[code]
        parts = [p for p in code.split("+") if p]
        return tuple(t for p in parts for t in self.tax_codes[p])

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)


# ---------------------------------------------------------------------------------------------
# Each setting's rule, once: every save goes through check_settings (the settings dialog, a
# location chosen for this till), and a form shows each message under its field. Messages are
# English msgids, translated where they are shown.


class SettingsInvalid(InvalidInput):
    """Settings that cannot be saved; `fields` maps a setting's name to what is wrong."""


def settings_problems(settings: Settings) -> dict[str, str]:
    """What is wrong, by setting (empty when they can be saved)."""
    problems: dict[str, str] = {}
    if problem := prefix_problem(settings.register_prefix):
        problems["register_prefix"] = problem
    try:
        minor_unit(settings.currency)
    except CurrencyError:
        problems["currency"] = "is not an ISO 4217 currency code (such as CAD)"
    if not settings.store.business_name.strip():
        problems["business_name"] = "is required"
    for name in ("api_url", "token_url", "invoiced_url"):
        address = getattr(settings, name)
        if address and not _is_web_address(address):
            problems[name] = "is not a web address (such as https://api.example.com)"
    rates = (tax.percentage for taxes in settings.tax_codes.values() for tax in taxes)
    if any(not Decimal(0) <= rate <= Decimal(100) for rate in rates):
        problems["tax_codes"] = "a tax rate is not between 0 and 100"
    if settings.receipt_logo and not Path(settings.receipt_logo).is_file():
        problems["receipt_logo"] = "the file does not exist"
    return problems


# Without these every sale fails to record: a file that breaks them is refused when read.
_NEEDED_TO_SELL = ("currency", "register_prefix")


def read_settings(data: dict[str, Any]) -> Settings:
    """The settings a saved file holds. Raises SettingsInvalid for a file that is not settings
    (a hand edit gone wrong) or that breaks a rule every sale needs; the other rules are the
    save's (a receipt logo since removed must not stop the till)."""
    try:
        settings = settings_from_dict(data)
    except (AttributeError, KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise SettingsInvalid([f"not readable as settings ({error})"]) from None
    problems = settings_problems(settings)
    fatal = {name: problems[name] for name in _NEEDED_TO_SELL if name in problems}
    if fatal:
        raise SettingsInvalid([f"{name}: {message}" for name, message in fatal.items()], fatal)
    return settings


def check_settings(settings: Settings) -> Settings:
    """`settings` when they can be saved; raises SettingsInvalid naming each bad setting."""
    problems = settings_problems(settings)
    if problems:
        lines = [f"{name}: {message}" for name, message in problems.items()]
        raise SettingsInvalid(lines, problems)
    return settings


def _is_web_address(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# ---------------------------------------------------------------------------------------------
# JSON form (the settings file). Amounts as strings; enums by value.


def _tax_to_dict(tax: Tax) -> dict[str, Any]:
    return {
        "name": tax.name,
        "percentage": f"{tax.percentage:f}",
        "compound": tax.compound,
        "registrationNumber": tax.registration_number,
    }


def _tax_from_dict(data: dict[str, Any]) -> Tax:
    return Tax(
        name=data["name"],
        percentage=Decimal(str(data["percentage"])),
        compound=bool(data.get("compound", False)),
        registration_number=data.get("registrationNumber"),
    )


def store_to_dict(store: StoreInfo) -> dict[str, Any]:
    out = {f.name: getattr(store, f.name) for f in fields(store)}
    out["address"] = {f.name: getattr(store.address, f.name) for f in fields(store.address)}
    out["tax_numbers"] = dict(store.tax_numbers)
    return out


def store_from_dict(data: dict[str, Any]) -> StoreInfo:
    known = {f.name for f in fields(StoreInfo)}
    values = {k: v for k, v in data.items() if k in known}
    values["address"] = Address(**data.get("address", {}))
    values["tax_numbers"] = dict(data.get("tax_numbers", {}))
    return StoreInfo(**values)


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    p = settings.policy
    return {
        "version": settings.version,
        "api_url": settings.api_url,
        "business_id": settings.business_id,
        "route_mode": settings.route_mode,
        "token_url": settings.token_url,
        "client_id": settings.client_id,
        "scopes": settings.scopes,
        "currency": settings.currency,
        "register_prefix": settings.register_prefix,
        "location_id": settings.location_id,
        "store": store_to_dict(settings.store),
        "tax_codes": {
            code: [_tax_to_dict(t) for t in taxes] for code, taxes in settings.tax_codes.items()
        },
        "policy": {
            "taxRounding": p.tax_rounding.value,
            "roundingMode": p.rounding_mode.name,
            "inclusiveTarget": p.inclusive_target.value,
            "cashRounding": p.cash_rounding.value,
        },
        "printer": settings.printer,
        "printer_target": settings.printer_target,
        "printer_profile": settings.printer_profile,
        "printer_timeout": settings.printer_timeout,
        "cash_drawer": settings.cash_drawer,
        "paper": settings.paper.value,
        "receipt_language": settings.receipt_language.value,
        "receipt_logo": settings.receipt_logo,
        "ui_language": settings.ui_language,
        "invoiced_url": settings.invoiced_url,
        "accounts_offline": settings.accounts_offline,
    }


# The default of earlier versions, which the real API does not serve: saved files that still
# hold it get the current default.
_OLD_DEFAULT_TOKEN_URL = "https://api.smartbills.io/connect/token"


def _token_url(saved: str | None, default: str) -> str:
    return default if saved in (None, _OLD_DEFAULT_TOKEN_URL) else saved


def settings_from_dict(data: dict[str, Any]) -> Settings:
    """Settings from their JSON form; missing keys take their defaults (older files upgrade)."""
    d = Settings()
    pol = data.get("policy", {})
    taxes = data.get("tax_codes")
    return Settings(
        version=SETTINGS_VERSION,
        api_url=data.get("api_url", d.api_url),
        business_id=data.get("business_id", d.business_id),
        route_mode=data.get("route_mode", d.route_mode),
        token_url=_token_url(data.get("token_url"), d.token_url),
        client_id=data.get("client_id", d.client_id),
        scopes=data.get("scopes", d.scopes),
        currency=data.get("currency", d.currency),
        register_prefix=data.get("register_prefix", d.register_prefix),
        location_id=data.get("location_id", d.location_id),
        store=store_from_dict(data["store"]) if "store" in data else d.store,
        tax_codes=(
            {code: tuple(_tax_from_dict(t) for t in ts) for code, ts in taxes.items()}
            if taxes is not None
            else d.tax_codes
        ),
        policy=Policy(
            tax_rounding=TaxRounding(pol.get("taxRounding", d.policy.tax_rounding.value)),
            rounding_mode=RoundingMode[pol.get("roundingMode", d.policy.rounding_mode.name)],
            inclusive_target=InclusiveTarget(
                pol.get("inclusiveTarget", d.policy.inclusive_target.value)
            ),
            cash_rounding=CashRounding(pol.get("cashRounding", d.policy.cash_rounding.value)),
        ),
        printer=data.get("printer", d.printer),
        printer_target=data.get("printer_target", d.printer_target),
        printer_profile=data.get("printer_profile", d.printer_profile),
        printer_timeout=float(data.get("printer_timeout", d.printer_timeout)),
        cash_drawer=bool(data.get("cash_drawer", d.cash_drawer)),
        paper=Paper(data.get("paper", d.paper.value)),
        receipt_language=ReceiptLanguage(data.get("receipt_language", d.receipt_language.value)),
        receipt_logo=data.get("receipt_logo", d.receipt_logo),
        ui_language=data.get("ui_language", d.ui_language),
        invoiced_url=data.get("invoiced_url", d.invoiced_url),
        accounts_offline=bool(data.get("accounts_offline", d.accounts_offline)),
    )
