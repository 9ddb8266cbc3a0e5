"""F1 help: a short manual (a page per task) shown in a non-modal dialog.

The pages are Markdown files shipped in ``gisapp/help/<language>/`` (``index.md`` and one per
task: scan, locatiescan, informatieproduct, portfolio, export). The list on the left holds the
pages in :data:`PAGES` order, titled by their first heading; links between pages work in the
browser on the right.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QListWidget, QListWidgetItem, QTextBrowser, QVBoxLayout

from gisapp import i18n
from gisapp.i18n import tr

HELP_DIR = Path(__file__).resolve().parent / "help"
#: The manual's pages, in the order of the list.
PAGES = ("index", "scan", "locatiescan", "informatieproduct", "portfolio", "export")


def page_path(page: str, language: str | None = None) -> Path:
    """The Markdown file of ``page`` in ``language`` (the interface's when None); Dutch when absent."""
    language = language or i18n.language()
    path = HELP_DIR / language / f"{page}.md"
    return path if path.exists() else HELP_DIR / "nl" / f"{page}.md"


def page_title(path: Path) -> str:
    """The first ``# heading`` of a page (its file name when it has none)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


class HelpDialog(QDialog):
    """The manual: a list of pages and a browser; :meth:`show_page` opens one by name."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("help_dialog")
        self.setWindowTitle(tr("Handleiding"))
        self.pages = QListWidget(self)
        self.pages.setObjectName("help_pages")
        self.pages.setMaximumWidth(260)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("help_browser")
        self.browser.setOpenExternalLinks(True)
        self.browser.sourceChanged.connect(self._follow_source)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Sluiten"))
        body = QHBoxLayout()
        body.addWidget(self.pages)
        body.addWidget(self.browser, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.pages.currentItemChanged.connect(self._on_page)
        self.resize(900, 600)
        self.retranslate()

    def retranslate(self) -> None:
        """Fill the page list in the interface language (again after a language switch)."""
        current = self.current_page()
        self.setWindowTitle(tr("Handleiding"))
        self.pages.blockSignals(True)
        self.pages.clear()
        for page in PAGES:
            item = QListWidgetItem(page_title(page_path(page)))
            item.setData(Qt.ItemDataRole.UserRole, page)
            self.pages.addItem(item)
        self.pages.blockSignals(False)
        self.show_page(current or "index")

    def current_page(self) -> str | None:
        item = self.pages.currentItem() if self.pages.count() else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def show_page(self, page: str) -> None:
        """Show ``page`` (one of :data:`PAGES`) and select it in the list."""
        for row in range(self.pages.count()):
            if self.pages.item(row).data(Qt.ItemDataRole.UserRole) == page:
                self.pages.setCurrentRow(row)  # _on_page loads it
                if self.browser.source() != QUrl.fromLocalFile(str(page_path(page))):
                    self._on_page(self.pages.item(row), None)
                return

    def _on_page(self, item, _previous) -> None:
        if item is not None:
            self.browser.setSource(QUrl.fromLocalFile(str(page_path(item.data(Qt.ItemDataRole.UserRole)))))

    def _follow_source(self, url: QUrl) -> None:
        """A link to another page selects that page in the list."""
        stem = Path(url.toLocalFile()).stem
        for row in range(self.pages.count()):
            if self.pages.item(row).data(Qt.ItemDataRole.UserRole) == stem and self.pages.currentRow() != row:
                self.pages.blockSignals(True)
                self.pages.setCurrentRow(row)
                self.pages.blockSignals(False)


def show_help(parent, page: str = "index") -> HelpDialog:
    """Show the manual (one dialog per parent, non-modal) at ``page``; returns the dialog."""
    dialog = getattr(parent, "help_dialog", None)
    if dialog is None:
        dialog = HelpDialog(parent)
        parent.help_dialog = dialog
    dialog.show_page(page)
    dialog.show()
    dialog.raise_()
    return dialog
