"""pos-app: a point-of-sale desktop app that prints receipts and syncs them to Smartbills."""

__version__ = "0.1.0"
