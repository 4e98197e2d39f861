"""Receipt labels in the receipt's language, or in both for a bilingual receipt
("Sous-total / Subtotal"), from the gettext catalogs shared with the UI."""

from __future__ import annotations

from pos_app.domain.paper import ReceiptLanguage
from pos_app.i18n import translator


def _unique(texts: list[str]) -> list[str]:
    # "TOTAL / TOTAL" says nothing twice: a label spelled alike in both languages prints once.
    return list(dict.fromkeys(texts))


class Labels:
    def __init__(self, language: ReceiptLanguage) -> None:
        self.language = language
        self._translators = [translator(locale) for locale in language.locales]
        self._cache: dict[str, str] = {}

    def __call__(self, msgid: str) -> str:
        text = self._cache.get(msgid)
        if text is None:
            text = " / ".join(_unique([t.gettext(msgid) for t in self._translators]))
            self._cache[msgid] = text
        return text

    def tax(self, name: str) -> str:
        """A tax's name: known Canadian abbreviations in each language ("TPS/GST"), any other
        name as the store entered it."""
        return "/".join(_unique([t.pgettext("tax", name) for t in self._translators]))

    def page(self, page: int, pages: int) -> str:
        texts = [t.gettext("Page {page} of {pages}") for t in self._translators]
        return " / ".join(_unique([t.format(page=page, pages=pages) for t in texts]))
