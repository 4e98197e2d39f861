"""Import catalog (Ctrl+I): the owner picks a CSV price list, a progress bar follows the
import while the window stays usable (the file is read in a worker thread by the catalog
service), then a summary says how many products came in and lists every row left out with
its line number and reason, so the file can be fixed and imported again (good rows are
upserted by SKU, so a second import is harmless)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.catalog import CatalogService, ImportReport, Progress
from pos_app.services.catalog_csv import COLUMNS, BadRow, CatalogFileError, FieldProblem
from pos_app.ui.dialogs import ask, inform
from pos_app.ui.i18n import _
from pos_app.ui.naming import named
from pos_app.ui.tasks import spawn


def imported_text(count: int) -> str:
    return (
        _("1 product imported")
        if count == 1
        else _("{count} products imported").format(count=count)
    )


def _reason(problem: FieldProblem) -> str:
    """One reason in the window's language; the column keeps its name, as in the file."""
    reason = _(problem.template).format(**dict(problem.params))
    if not problem.field:
        return reason
    return _("{column}: {reason}").format(column=problem.field, reason=reason)


def bad_row_text(row: BadRow) -> str:
    reasons = "; ".join(_reason(problem) for problem in row.problems)
    return _("Line {line}: {reasons}").format(line=row.line, reasons=reasons)


class ImportSummaryDialog(QDialog):
    """What an import did: the count, then the rows left out in a scrollable list."""

    def __init__(self, report: ImportReport, file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importSummaryDialog")
        self.setWindowTitle(_("Catalog import: {file}").format(file=file_name))
        self.setMinimumWidth(640)
        self.headline = named(QLabel(imported_text(report.imported)), "importHeadline")
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.headline.setFont(font)
        self.bad_rows = named(QListWidget(), "importBadRows")
        self.bad_rows.addItems([bad_row_text(row) for row in report.bad_rows])
        self.bad_rows.setVisible(bool(report.bad_rows))
        if report.bad_rows:
            note = _(
                "{count} rows left out. Fix these lines in the file and import it again: "
                "the products already imported are updated, not doubled."
            ).format(count=len(report.bad_rows))
        else:
            note = _("Every row of the file was imported.")
        self.note = named(QLabel(note), "importNote")
        self.note.setWordWrap(True)
        close = named(QPushButton(_("Close")), "closeImportSummary")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.note)
        layout.addWidget(self.bad_rows, 1)
        layout.addLayout(buttons)
        if report.bad_rows:
            self.resize(760, 420)


class CatalogImport(QObject):
    """The import flow, started from the window's action."""

    def __init__(self, catalog: CatalogService, parent: QWidget):
        super().__init__(parent)
        self._catalog = catalog
        self._window = parent
        self.running = False
        # The last import's progress dialog, kept (hidden) until the next one: what it
        # reached can still be read once the summary is up.
        self.progress: QProgressDialog | None = None
        self.report: ImportReport | None = None

    def choose_and_import(self) -> None:
        """A plain slot, not a coroutine: the file chooser runs its own event loop, and one
        run from inside an asyncio task re-entered the loop (the sync worker's wake-ups then
        went missing). The import itself runs as a task once the file is chosen."""
        if self.running:
            return
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _filter = QFileDialog.getOpenFileName(
            self._window,
            _("Import a catalog (CSV)"),
            start,
            _("Catalog CSV files (*.csv *.txt);;All files (*)"),
        )
        if path:
            spawn(self.run(Path(path)), name="catalog import")

    async def run(self, path: Path) -> ImportReport | None:
        """Imports `path` with a progress bar, then shows the summary (or why the file as a
        whole was refused). Returns the report, None when nothing was imported."""
        self.running = True
        progress = self._progress_dialog(path.name)
        try:
            self.report = await self._catalog.import_csv(path, self._follow(progress))
        except CatalogFileError as error:
            progress.hide()
            text = _("{file} is not a catalog: {error}\nExpected columns: {columns}").format(
                file=path.name, error=error, columns=",".join(COLUMNS)
            )
            inform(self._window, _("Catalog import"), text, error=True)
            return None
        except OSError as error:
            progress.hide()
            text = _("{file} cannot be read: {error}").format(
                file=path.name, error=error.strerror or error
            )
            inform(self._window, _("Catalog import"), text, error=True)
            return None
        finally:
            self.running = False
        # Hidden, not closed: closing a progress dialog cancels it, which resets the bar.
        progress.hide()
        summary = ImportSummaryDialog(self.report, path.name, self._window)
        try:
            await ask(summary)
        finally:
            summary.deleteLater()
        return self.report

    def _progress_dialog(self, file_name: str) -> QProgressDialog:
        if self.progress is not None:
            self.progress.deleteLater()
        progress = QProgressDialog(
            _("Importing {file}…").format(file=file_name), "", 0, 0, self._window
        )
        progress.setObjectName("importProgress")
        progress.setWindowTitle(_("Catalog import"))
        # No Cancel: the products are written in one transaction at the end, so there is
        # never a half-imported catalog to stop; the window stays usable meanwhile.
        progress.setCancelButton(None)
        # Not modal: a modal progress dialog's setValue() runs processEvents(), which would
        # re-enter the asyncio loop from inside the import's task.
        progress.setWindowModality(Qt.WindowModality.NonModal)
        progress.setMinimumDuration(0)
        # Kept at 100 % (not reset to empty) until the summary replaces it.
        progress.setAutoReset(False)
        progress.setAutoClose(False)
        progress.setMinimumWidth(420)
        progress.show()
        self.progress = progress
        return progress

    @staticmethod
    def _follow(progress: QProgressDialog) -> Progress:
        def report(done: int, total: int) -> None:
            # (0, 0) is a file with a header and no rows: done, so 100 %.
            progress.setMaximum(max(total, 1))
            progress.setValue(done if total else 1)

        return report
