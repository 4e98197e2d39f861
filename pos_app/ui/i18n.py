"""The Qt side of the shared gettext catalogs: one `_()` for every screen, and the formats
people read (money, quantities, percentages, dates) in the UI language.

The language is chosen once at start-up (`install`) from the settings; a change in Settings
applies on the next start, so no widget ever has to retranslate itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal
from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from pos_app.i18n import gettext_for, language_of, translator
from pos_app.services.sale_session import SaleInputError

UI_LANGUAGES = {"fr": "Français", "en": "English"}
_LOCALES = {"fr": "fr_CA", "en": "en_CA"}

_state: dict[str, object] = {"language": "en", "gettext": gettext_for("en")}
# Keeps Qt's own translator (standard buttons, context menus) alive while it is installed.
_qt_translators: list[QTranslator] = []


def install(language: str) -> None:
    """Makes `language` ("fr", "en", "fr-CA"...) the UI language; unknown ones give English."""
    lang = language_of(language)
    if lang not in UI_LANGUAGES:
        lang = "en"
    _state["language"] = lang
    _state["gettext"] = gettext_for(lang)
    QLocale.setDefault(QLocale(_LOCALES[lang]))


def install_qt_translations(app: QApplication) -> None:
    """Qt's own strings (Yes/No/Cancel, the line edit's context menu) in the UI language."""
    for old in _qt_translators:
        app.removeTranslator(old)
    _qt_translators.clear()
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language()}", folder):
        app.installTranslator(translator)
        _qt_translators.append(translator)


def language() -> str:
    return str(_state["language"])


def locale() -> str:
    """The babel locale of the UI ("fr_CA" or "en_CA")."""
    return _LOCALES[language()]


def _(msgid: str) -> str:
    translate: Callable[[str], str] = _state["gettext"]  # type: ignore[assignment]
    return translate(msgid)


def tax_name(name: str) -> str:
    """A tax's short name as people know it here (GST is TPS in French)."""
    return translator(language()).pgettext("tax", name)


def tr_error(error: SaleInputError) -> str:
    """A service's input error in the UI language (its template is the msgid)."""
    return _(error.template).format(**error.params)


def pair(label: str, value: str) -> str:
    """ "Total: 5.00" in English, "Total : 5,00" in French (a space before the colon)."""
    return f"{label} : {value}" if language() == "fr" else f"{label}: {value}"


def typed_amount(text: str) -> str:
    """A plain amount ("15.45") as a person types it here: "15,45" in French. The session
    reads either mark."""
    return text.replace(".", ",") if language() == "fr" else text


def money(amount: Decimal, currency: str) -> str:
    """12,34 $ in French, $12.34 in English."""
    return _money(amount, currency, locale())


def number(value: Decimal) -> str:
    """A quantity or rate as people write it: 3, 0,735 (fr) or 0.735 (en)."""
    return _number(f"{value:f}", locale())


# babel takes ~60 µs per amount, and a repaint of the cart formats a hundred of them; a till
# shows the same few hundred prices all day. (Equal Decimals print alike once quantized to
# the currency, so "4.49" and "4.490" may share an entry.)
@functools.lru_cache(maxsize=4096)
def _money(amount: Decimal, currency: str, babel_locale: str) -> str:
    return format_currency(amount, currency, locale=babel_locale)


@functools.lru_cache(maxsize=1024)
def _number(digits: str, babel_locale: str) -> str:
    # Keyed on the digits, not the value: 0.735 and 0.7350 are equal Decimals but must each
    # keep the decimals they were typed with.
    return format_decimal(Decimal(digits), locale=babel_locale, decimal_quantization=False)


def percent(value: Decimal) -> str:
    return f"{number(value)} %" if language() == "fr" else f"{number(value)}%"


def when(moment: datetime) -> str:
    """A date and time in the till's local time zone, short."""
    return format_datetime(moment.astimezone(), "yyyy-MM-dd HH:mm", locale=locale())
