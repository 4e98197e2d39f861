"""The Invoiced API (house accounts): customers, their balance and statement e-mails."""

from pos_app.adapters.invoiced.client import InvoicedClient, InvoicedConfig

__all__ = ["InvoicedClient", "InvoicedConfig"]
