"""What every section of the receipt writes with: the composer, the paper, the language."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pos_app.adapters.receipt_pdf.composer import Composer
from pos_app.adapters.receipt_pdf.formatting import LocaleFormat, locale_format
from pos_app.adapters.receipt_pdf.labels import Labels
from pos_app.adapters.receipt_pdf.page import PageSpec
from pos_app.domain.paper import ReceiptLanguage


@dataclass(frozen=True, slots=True)
class Writer:
    out: Composer
    spec: PageSpec
    label: Labels
    fmt: LocaleFormat  # amounts and dates follow the first language of a bilingual receipt
    locales: tuple[str, ...]

    @classmethod
    def create(cls, spec: PageSpec, language: ReceiptLanguage, currency: str) -> Writer:
        return cls(
            out=Composer(spec),
            spec=spec,
            label=Labels(language),
            fmt=locale_format(language.locales[0], currency),
            locales=language.locales,
        )

    @property
    def indent(self) -> float:
        """How far details (quantities, discounts) sit under their line."""
        return self.spec.size * 1.2

    def money(self, amount: Decimal) -> str:
        return self.fmt.money(amount)

    def minus(self, amount: Decimal) -> str:
        """A reduction (a discount) printed with its minus sign."""
        return self.fmt.money(-amount)
