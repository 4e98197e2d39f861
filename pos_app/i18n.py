"""Text for people: the gettext catalogs bundled under resources/i18n, shared by the PDF receipt
and the Qt UI (which must not be needed to print a receipt).

Layout: resources/i18n/<lang>/LC_MESSAGES/pos_app.po holds English msgids and the language's
translations (en leaves them empty: English is the source language); the compiled pos_app.mo
sits next to each .po and is committed, so a till never needs msgfmt. After editing a .po:

    python -m pos_app.i18n tidy      # sort the entries (keeps diffs small when several edit)
    python -m pos_app.i18n compile   # .po -> .mo with babel, no msgfmt needed
"""

from __future__ import annotations

import functools
import gettext
import io
import sys
from collections.abc import Callable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from pos_app.resources import resource_path

DOMAIN = "pos_app"
LANGUAGES = ("en", "fr")
# Line width babel wraps long msgids at when tidying; 0 would never wrap, which makes diffs of
# long UI sentences hard to read.
_PO_WIDTH = 96


def language_of(lang: str) -> str:
    """The catalog language of a locale or language tag: "fr-CA", "fr_CA" and "FR" give "fr"."""
    return lang.replace("_", "-").split("-", 1)[0].strip().lower()


def catalog_dir() -> Path:
    """The `localedir` holding <lang>/LC_MESSAGES/pos_app.{po,mo}."""
    return resource_path("i18n")


@functools.cache
def _translator_for(language: str) -> gettext.NullTranslations:
    # fallback=True: a language without a catalog prints the English msgids rather than failing
    # a sale's receipt.
    return gettext.translation(
        DOMAIN, localedir=str(catalog_dir()), languages=[language], fallback=True
    )


def translator(lang: str) -> gettext.NullTranslations:
    """The translations for `lang` ("fr", "en", "fr-CA"...), loaded once per process.

    A GNUTranslations when the language has a compiled catalog, else NullTranslations."""
    return _translator_for(language_of(lang))


def gettext_for(lang: str) -> Callable[[str], str]:
    """The `gettext` function of `lang`, conventionally bound to `_`."""
    return translator(lang).gettext


def po_files(root: Path | None = None) -> list[Path]:
    """Every catalog source under `root` (the bundled catalogs by default), sorted."""
    base = root or catalog_dir()
    return sorted(base.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read_catalog(po_path: Path) -> Catalog:
    language = po_path.parent.parent.name
    with po_path.open("rb") as stream:
        return read_po(stream, locale=language, domain=DOMAIN)


def compile_catalog(po_path: Path) -> bytes:
    """The .mo bytes of one .po (fuzzy entries left out, as msgfmt does)."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(po_path))
    return buffer.getvalue()


def compile_catalogs(root: Path | None = None) -> list[Path]:
    """Write the .mo next to every .po; returns the .mo paths written."""
    written = []
    for po_path in po_files(root):
        mo_path = po_path.with_suffix(".mo")
        mo_path.write_bytes(compile_catalog(po_path))
        written.append(mo_path)
    return written


def tidy_catalogs(root: Path | None = None) -> list[Path]:
    """Rewrite every .po sorted by msgid (then context), in babel's canonical layout."""
    tidied = []
    for po_path in po_files(root):
        catalog = read_catalog(po_path)
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=_PO_WIDTH, sort_output=True, omit_header=False)
        po_path.write_bytes(buffer.getvalue())
        tidied.append(po_path)
    return tidied


def main(argv: list[str]) -> int:
    commands = {"compile": compile_catalogs, "tidy": tidy_catalogs}
    if len(argv) != 1 or argv[0] not in commands:
        print("usage: python -m pos_app.i18n {compile|tidy}", file=sys.stderr)
        return 2
    for path in commands[argv[0]]():
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
