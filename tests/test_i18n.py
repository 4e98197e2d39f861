"""The gettext catalogs: the committed .mo files say what their .po sources say, the sources stay
sorted, and the translator finds French and English for the receipt and the UI."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo

from pos_app.i18n import (
    LANGUAGES,
    compile_catalog,
    compile_catalogs,
    gettext_for,
    language_of,
    po_files,
    read_catalog,
    translator,
)
from pos_app.resources import resource_path


def _text(value: str | bytes | None) -> str | None:
    # babel's read_mo leaves msgctxt as bytes; read_po gives str.
    return value.decode() if isinstance(value, bytes) else value


def _messages(catalog: Catalog) -> dict[tuple[str | None, str], str]:
    """(context, msgid) -> translation, the header and untranslated entries left out (they
    are not in a .mo either)."""
    return {
        (_text(m.context), str(m.id)): str(m.string)
        for m in catalog
        if m.id and m.string and not m.fuzzy
    }


def test_every_language_has_a_source_and_a_compiled_catalog() -> None:
    for lang in LANGUAGES:
        assert resource_path("i18n", lang, "LC_MESSAGES", "pos_app.po").is_file()
        assert resource_path("i18n", lang, "LC_MESSAGES", "pos_app.mo").is_file()


@pytest.mark.parametrize("po_path", po_files(), ids=lambda p: p.parent.parent.name)
def test_committed_mo_matches_its_po(po_path: Path) -> None:
    # Compared message by message rather than byte for byte: babel writes its own version in
    # the .mo header, which must not make this test depend on the babel release installed.
    committed = read_mo(io.BytesIO(po_path.with_suffix(".mo").read_bytes()))
    fresh = read_mo(io.BytesIO(compile_catalog(po_path)))
    expected = _messages(read_catalog(po_path))
    assert _messages(fresh) == expected
    assert _messages(committed) == expected, (
        f"{po_path.with_suffix('.mo')} is stale: run `python -m pos_app.i18n compile`"
    )


@pytest.mark.parametrize("po_path", po_files(), ids=lambda p: p.parent.parent.name)
def test_po_entries_are_sorted(po_path: Path) -> None:
    keys = [(str(m.id), m.context or "") for m in read_catalog(po_path) if m.id]
    assert keys == sorted(keys), f"{po_path} is not sorted: run `python -m pos_app.i18n tidy`"


def test_languages_share_the_same_msgids() -> None:
    ids = {
        po.parent.parent.name: {(m.context, str(m.id)) for m in read_catalog(po) if m.id}
        for po in po_files()
    }
    assert ids["fr"] == ids["en"]


def test_french_is_complete() -> None:
    fr = read_catalog(resource_path("i18n", "fr", "LC_MESSAGES", "pos_app.po"))
    missing = [str(m.id) for m in fr if m.id and not m.string]
    assert missing == []


def test_translator_gives_french_and_english() -> None:
    fr = translator("fr")
    assert isinstance(fr, gettext.GNUTranslations)
    assert fr.gettext("Subtotal") == "Sous-total"
    assert fr.pgettext("tax", "GST") == "TPS"
    assert gettext_for("fr-CA")("COPY") == "DUPLICATA"
    assert gettext_for("en")("COPY") == "COPY"
    assert translator("en").pgettext("tax", "QST") == "QST"


def test_translator_is_cached_and_tolerant() -> None:
    assert translator("fr") is translator("fr_CA") is translator("FR-ca")
    # A language without a catalog falls back to the English msgids instead of failing.
    assert type(translator("de")) is gettext.NullTranslations
    assert gettext_for("de")("Subtotal") == "Subtotal"
    assert language_of("fr_CA") == "fr"


def test_compile_catalogs_writes_mo_files(tmp_path: Path) -> None:
    source = resource_path("i18n", "fr", "LC_MESSAGES", "pos_app.po")
    target = tmp_path / "fr" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "pos_app.po").write_bytes(source.read_bytes())
    written = compile_catalogs(tmp_path)
    assert written == [target / "pos_app.mo"]
    with written[0].open("rb") as stream:
        assert gettext.GNUTranslations(stream).gettext("Tip") == "Pourboire"


# Where people read the app's text, and the gettext calls that mark it.
# Receipts say what `domain/receipt_content.py` words with `w.label(...)`; the thermal printer's
# test page too.
TRANSLATED_SOURCES = (
    "pos_app/ui",
    "pos_app/adapters/receipt_pdf",
    "pos_app/adapters/escpos",
    "pos_app/domain",
)
KEYWORDS = {"_": None, "gettext": None, "pgettext": ((1, "c"), 2), "label": None}


def test_every_marked_string_has_a_french_translation() -> None:
    """A string marked in the code but missing from the French catalog would show in English
    on a French till: extract them (babel) and find each one translated."""
    from babel.messages.extract import extract_from_dir

    french = _messages(read_catalog(resource_path("i18n", "fr", "LC_MESSAGES", "pos_app.po")))
    root = Path(__file__).resolve().parents[1]
    missing = [
        f"{folder}/{filename}:{line}: {message!r}"
        for folder in TRANSLATED_SOURCES
        for filename, line, message, _comments, context in extract_from_dir(
            root / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        )
        if (context, message if isinstance(message, str) else message[0]) not in french
    ]
    assert not missing, "untranslated:\n" + "\n".join(missing)
