"""A receipt's words and figures in its language(s): gettext labels and babel formatting, shared
by every receipt renderer (PDF, ESC/POS) through the domain's `Wording` protocol."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pos_app.domain.paper import ReceiptLanguage
from pos_app.wording.formatting import LocaleFormat, locale_format
from pos_app.wording.labels import Labels


class ReceiptWording:
    """Labels in each language of the receipt; amounts and dates in its first language."""

    def __init__(self, language: ReceiptLanguage, currency: str) -> None:
        self.language = language
        self.labels = Labels(language)
        self.fmt: LocaleFormat = locale_format(language.locales[0], currency)

    @property
    def locales(self) -> tuple[str, ...]:
        return self.language.locales

    def label(self, msgid: str) -> str:
        return self.labels(msgid)

    def tax(self, name: str) -> str:
        return self.labels.tax(name)

    def money(self, amount: Decimal) -> str:
        return self.fmt.money(amount)

    def unit_price(self, amount: Decimal) -> str:
        return self.fmt.unit_price(amount)

    def quantity(self, value: Decimal) -> str:
        return self.fmt.quantity(value)

    def percent(self, value: Decimal) -> str:
        return self.fmt.percent(value)

    def moment(self, when: datetime, timezone: str) -> str:
        return self.fmt.moment(when, timezone)


__all__ = ["LocaleFormat", "ReceiptWording", "locale_format"]
