"""Import catalog (Ctrl+I) from the real window: a CSV with good and bad rows goes through the
file dialog (the one thing patched: a test cannot click in the desktop's file chooser), a
progress bar that ends at 100 %, and a summary listing every bad row with its line number;
the good products are then found by a scan."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressBar

from pos_app.services.catalog_csv import gtin_check_digit, parse_catalog
from pos_app.ui import i18n
from pos_app.ui.catalog_import import ImportSummaryDialog, bad_row_text
from pos_app.ui.payment_dialog import PaymentDialog
from tests.ui.conftest import TillFactory, dialog_of, key, until

HEADER = "barcode,sku,name_fr,name_en,unit_price,unit,taxes\n"
# Codes no sample product has, with their right check digit.
TEA = "77700000001" + gtin_check_digit("77700000001")
SOAP = "77700000002" + gtin_check_digit("77700000002")
BAD_CHECK = "77700000003" + str((int(gtin_check_digit("77700000003")) + 1) % 10)
FILLER_ROWS = 600  # enough rows for the service to report progress along the way


def _catalog_file(folder: Path) -> Path:
    lines = [
        HEADER,
        f"{TEA},THE-VERT,Thé vert 20 sachets,Green tea 20 bags,3.99,,GST+QST\n",  # line 2
        f"{BAD_CHECK},CAF-MOU,Café moulu,Ground coffee,8.99,,GST+QST\n",  # 3: check digit
        f"{SOAP},SAV-BAR,Savon en barre,Bar soap,2.49,,GST+QST\n",  # 4
        ",BON-REG,Bonbons,Candy,deux dollars,,GST+QST\n",  # 5: price
    ]
    lines += [f",VRAC-{n:04d},Vrac {n},Bulk {n},1.00,,\n" for n in range(FILLER_ROWS)]
    path = folder / "prix-été.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


async def test_import_from_the_window(
    open_till: TillFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csv_file = _catalog_file(tmp_path)
    asked: list[str] = []

    def choose(parent: object, caption: str, start: str, filters: str) -> tuple[str, str]:
        asked.append(filters)
        return str(csv_file), filters.split(";;")[0]

    monkeypatch.setattr("pos_app.ui.catalog_import.QFileDialog.getOpenFileName", choose)
    async with open_till() as till:
        till.press(Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
        summary: ImportSummaryDialog = await dialog_of(ImportSummaryDialog)
        assert asked and "*.csv" in asked[0]

        importer = till.window.catalog_import
        progress = importer.progress
        assert progress is not None
        assert (progress.value(), progress.maximum()) == (FILLER_ROWS + 4, FILLER_ROWS + 4)
        bar = progress.findChild(QProgressBar)
        assert bar is not None and bar.text() == "100%"
        assert not progress.isVisible()  # replaced by the summary
        # Not modal: a modal one's setValue() runs a nested event loop inside the import's
        # task, and the sync worker's wake-ups then went missing.
        assert not progress.isModal()

        assert summary.headline.text() == f"{FILLER_ROWS + 2} products imported"
        rows = [summary.bad_rows.item(i).text() for i in range(summary.bad_rows.count())]
        assert len(rows) == 2
        assert rows[0].startswith(f"Line 3: barcode: '{BAD_CHECK}' has a wrong check digit")
        assert rows[1].startswith("Line 5: unit_price: ")
        assert "2 rows left out" in summary.note.text()
        summary.accept()
        await until(lambda: not importer.running and not summary.isVisible())

        # The good rows are in the catalog: a scan finds them.
        await till.scan(TEA)
        await till.scan(SOAP)
        assert [item.name for item in till.session.items] == [
            "Thé vert 20 sachets",
            "Savon en barre",
        ]
        before = len(till.session.items)
        await till.scan(BAD_CHECK)
        assert len(till.session.items) == before  # the bad row was left out

        # The sync worker lived through the import: the sale reaches the server.
        till.press(Qt.Key.Key_F12)
        payment = await dialog_of(PaymentDialog)
        key(payment.amount_field, Qt.Key.Key_Return)
        await until(lambda: till.sandbox.state.store.receipt_count() == 1, what="the sale sent")


async def test_a_file_that_is_not_a_catalog_says_why(
    open_till: TillFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = tmp_path / "clients.csv"
    wrong.write_text("name,email\nLéa,lea@example.ca\n", encoding="utf-8")
    monkeypatch.setattr(
        "pos_app.ui.catalog_import.QFileDialog.getOpenFileName",
        lambda *args: (str(wrong), ""),
    )
    async with open_till() as till:
        count = await till.services.catalog.count()
        till.window.catalog_import.choose_and_import()
        box: QMessageBox = await dialog_of(QMessageBox)
        assert "clients.csv is not a catalog" in box.text()
        assert "missing column(s)" in box.text()
        box.accept()
        assert await till.services.catalog.count() == count


def test_bad_row_reasons_in_the_window_language() -> None:
    # The reasons come from the service as English msgids with their values: a French
    # window says them in French, the columns keep their names (as in the file).
    parsed = parse_catalog(
        HEADER
        + f"{BAD_CHECK},CAF-MOU,Café moulu,Ground coffee,8.99,,GST+QST\n"
        + ",BON-REG,Bonbons,Candy,deux dollars,,GST+QST\n"
        + ",SEUL\n",
        lambda code: code if code in ("", "GST+QST") else None,
    )
    expected = gtin_check_digit(BAD_CHECK[:-1])
    try:
        i18n.install("fr")
        assert [bad_row_text(row) for row in parsed.bad_rows] == [
            f"Ligne 2 : barcode : '{BAD_CHECK}' a un chiffre de contrôle erroné "
            f"({expected} attendu)",
            "Ligne 3 : unit_price : 'deux dollars' n’est pas un nombre décimal",
            "Ligne 4 : 7 champs attendus, 2 trouvés",
        ]
    finally:
        i18n.install("en")
    assert bad_row_text(parsed.bad_rows[2]) == "Line 4: expected 7 fields, found 2 fields"
