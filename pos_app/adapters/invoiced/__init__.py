"""The Invoiced API (house accounts): customers, their balance and statement e-mails."""

from pos_app.adapters.invoiced.client import (
    PRODUCTION_URL,
    SANDBOX_URL,
    InvoicedClient,
    InvoicedConfig,
)

__all__ = ["PRODUCTION_URL", "SANDBOX_URL", "InvoicedClient", "InvoicedConfig"]
