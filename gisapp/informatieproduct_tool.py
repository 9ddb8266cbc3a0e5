"""The informatieproduct map tool: click on the map, get the water/bodem picture there.

The tool activates the canvas's ``point`` tool; a click builds the waterschap
informatieproduct (``gisapp.reports.informatieproduct.build_informatieproduct``, the code of
``gisapp informatieproduct``) in the worker thread and shows it in a dock: the final class,
the conditions (mitsen), the class per source zone and the raster values with their class.
From the dock the product is saved as PDF and as GeoPackage (also in the worker thread).
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.export_actions import ask_save_path, cancelled_export_message
from gisapp.i18n import tr, translate_reason
from gisapp.numbers import display_number
from layers.errors import USER_ERRORS

TOOL = "point"
#: Background colour of the class label (the water/bodem legend colours).
KLASSE_COLOURS = {"ja": "#1a9850", "ja_mits": "#f0a30a", "nee_tenzij": "#d73027"}
_SOURCE_COLUMNS = (
    ("laag", "Laag"),
    ("klasse", "Klasse"),
    ("thema", "Thema"),
    ("bron", "Bron"),
    ("scenario", "Scenario"),
    ("zichtjaar", "Zichtjaar"),
    ("omschrijving", "Voorwaarde"),
)
_RASTER_COLUMNS = (
    ("raster", "Raster"),
    ("waarde", "Waarde"),
    ("eenheid", "Eenheid"),
    ("zichtjaar", "Zichtjaar"),
    ("klasse", "Klasse"),
    ("toelichting", "Toelichting"),
)


def klasse_label(klasse: str) -> str:
    """``ja_mits`` → ``ja, mits`` (the words of the informatieproduct) in the interface language."""
    from gisapp.reports.informatieproduct import KLASSE_LABELS

    return tr(KLASSE_LABELS.get(str(klasse), str(klasse)))


def _cell_text(value) -> str:
    """A cell of the tables: a measured value with two decimals in the interface language
    (nl 0,57, en 0.57); a whole number (a year) and a text as they are; nothing when missing."""
    if value is None:
        return ""
    if isinstance(value, Real) and not isinstance(value, Integral):
        return "" if math.isnan(value) else display_number(value, 2)
    return str(value)


def _fill_table(table: QTableWidget, frame, columns) -> None:
    table.clearContents()
    table.setRowCount(0 if frame is None else len(frame))
    if frame is None:
        return
    for row, record in enumerate(frame.to_dict("records")):
        for col, (name, _label) in enumerate(columns):
            value = record.get(name)
            if name == "klasse":
                value = klasse_label(value)
            elif name == "toelichting":
                value = translate_reason(value)  # the conditions of the rasters, made from Dutch templates
            elif name == "waarde" and (value is None or (isinstance(value, float) and math.isnan(value))):
                value = record.get("gemiddelde")  # a gebied: the mean
            item = QTableWidgetItem(_cell_text(value))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(row, col, item)


def _table(columns) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels([tr(label) for _name, label in columns])
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(True)
    return table


class InformatieproductPanel(QWidget):
    """Shows one :class:`~gisapp.reports.informatieproduct.Informatieproduct`."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.product = None
        self.title_label = QLabel(tr("Kies het informatieproduct-gereedschap en klik op de kaart."), self)
        self.title_label.setWordWrap(True)
        self.klasse_label = QLabel("", self)
        self.klasse_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.mitsen_label = QLabel("", self)
        self.mitsen_label.setWordWrap(True)
        self.mitsen_label.setTextFormat(Qt.TextFormat.RichText)
        self.sources_table = _table(_SOURCE_COLUMNS)
        self.rasters_table = _table(_RASTER_COLUMNS)
        self.status_label = QLabel("", self)
        self.status_label.setWordWrap(True)
        self.save_pdf_button = QPushButton(tr("Opslaan als PDF…"), self)
        self.save_gpkg_button = QPushButton(tr("Opslaan als GeoPackage…"), self)
        for button in (self.save_pdf_button, self.save_gpkg_button):
            button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_pdf_button)
        buttons.addWidget(self.save_gpkg_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.klasse_label)
        layout.addWidget(self.mitsen_label)
        layout.addWidget(QLabel(tr("Water en bodem per bron"), self))
        layout.addWidget(self.sources_table, 1)
        layout.addWidget(QLabel(tr("Rasterwaarden"), self))
        layout.addWidget(self.rasters_table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)

    def show_busy(self, x: float, y: float) -> None:
        self.status_label.setText(tr("Informatieproduct voor x = {x}, y = {y} wordt gemaakt…", x=f"{x:.0f}", y=f"{y:.0f}"))

    def set_product(self, product) -> None:
        self.product = product
        self.title_label.setText(f"<b>{translate_reason(product.titel)}</b> · {tr('scenario')} {product.scenario}")
        colour = KLASSE_COLOURS.get(product.klasse, "#777777")
        self.klasse_label.setText(tr("Water en bodem: {klasse}", klasse=klasse_label(product.klasse)))
        self.klasse_label.setStyleSheet(f"background: {colour}; color: white; font-weight: bold; padding: 6px;")
        lines = [f"<b>{tr('mits')}:</b> {_html(translate_reason(text))}" for text in product.mitsen]
        lines += [f"<b>{tr('nee, tenzij')}:</b> {_html(translate_reason(text))}" for text in product.nee_tenzij]
        self.mitsen_label.setText("<br>".join(lines) if lines else tr("Geen voorwaarden op deze plek."))
        _fill_table(self.sources_table, product.bronnen, _SOURCE_COLUMNS)
        _fill_table(self.rasters_table, product.rasters, _RASTER_COLUMNS)
        self.status_label.setText("")
        for button in (self.save_pdf_button, self.save_gpkg_button):
            button.setEnabled(True)

    def mitsen_text(self) -> str:
        """The conditions as shown (plain text; for tests and the clipboard)."""
        from PySide6.QtGui import QTextDocument

        document = QTextDocument()
        document.setHtml(self.mitsen_label.text())
        return document.toPlainText()


def _html(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class InformatieproductTool(QObject):
    """The map tool, its dock and the save actions.

    Signals
    -------
    product_ready(product): a product was built for a click and is shown.
    saved(kind, path): the product was written (``kind`` "pdf" or "geopackage").
    """

    product_ready = Signal(object)
    saved = Signal(str, object)

    def __init__(self, window, task, action: QAction) -> None:
        super().__init__(window)
        self._window = window
        self.task = task
        self.action = action
        self.panel = InformatieproductPanel(window)
        self.dock = window._dock("informatieproduct", tr("Informatieproduct"), self.panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.dock.hide()
        self.product = None
        self.panel.save_pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.panel.save_gpkg_button.clicked.connect(lambda: self.save("geopackage"))
        window.canvas.map_clicked.connect(self.on_map_clicked)
        window.project_changed.connect(self._clear)

    def activate(self) -> None:
        """Select the tool: the next click on the map builds an informatieproduct."""
        self._window.set_tool(TOOL)
        self.dock.show()
        self.dock.raise_()

    def is_active(self) -> bool:
        return self.action.isChecked() and self._window.canvas.tool() == TOOL

    def on_map_clicked(self, x: float, y: float) -> bool:
        """Build the informatieproduct at (x, y) in the worker thread (only while the tool is active)."""
        if not self.is_active():
            return False
        from gisapp.reports.informatieproduct import build_informatieproduct

        project = self._window.project
        scenario = self._scenario()
        self.dock.show()
        self.dock.raise_()
        self.panel.show_busy(x, y)
        return self.task.start(
            tr("Informatieproduct"),
            lambda feedback: build_informatieproduct(project, xy=(x, y), scenario=scenario),
            self._show,
        )

    def _scenario(self) -> str | None:
        dialog = self._window.scan_dialog
        return dialog.scenario() if dialog is not None else None

    def _show(self, product) -> None:
        self.product = product
        self.panel.set_product(product)
        self.product_ready.emit(product)

    def _clear(self, *_args) -> None:
        self.product = None
        self.panel.product = None
        for button in (self.panel.save_pdf_button, self.panel.save_gpkg_button):
            button.setEnabled(False)

    def suggested_path(self, kind: str) -> Path:
        x, y = self.product.geometry.x, self.product.geometry.y
        suffix = ".pdf" if kind == "pdf" else ".gpkg"
        return self._window.project.folder / f"informatieproduct_{x:.0f}_{y:.0f}{suffix}"

    def choose_output(self, kind: str) -> Path | None:
        """Ask where to write (a method so tests can answer it without a dialog)."""
        if kind == "pdf":
            return ask_save_path(self._window, tr("Opslaan als PDF…"), self.suggested_path(kind), tr("PDF-bestanden (*.pdf)"))
        return ask_save_path(self._window, tr("Opslaan als GeoPackage…"), self.suggested_path(kind), tr("GeoPackages (*.gpkg)"))

    def save(self, kind: str, path: str | Path | None = None) -> bool:
        """Write the shown product as ``"pdf"`` or ``"geopackage"`` in the worker thread."""
        from gisapp.reports.informatieproduct import write_informatieproduct_gpkg, write_informatieproduct_pdf

        product = self.product
        if product is None:
            return False
        target = Path(path) if path is not None else self.choose_output(kind)
        if target is None:
            return False
        project = self._window.project
        try:
            project.check_output_path(target)  # results never overwrite inputs
        except USER_ERRORS as exc:
            self._window.show_error(tr("Informatieproduct"), exc)
            return False
        name = project.name
        if kind == "pdf":
            function = lambda feedback: write_informatieproduct_pdf(  # noqa: E731
                product, target, project_name=name, feedback=feedback)
        else:
            function = lambda feedback: write_informatieproduct_gpkg(product, target, feedback=feedback)  # noqa: E731
        title = tr("Informatieproduct opslaan")
        return self.task.start(title, function, lambda written: self._saved(kind, written), cancellable=True, progress=True,
                               cancelled_message=cancelled_export_message(title))

    def _saved(self, kind: str, path) -> None:
        self.panel.status_label.setText(tr("Opgeslagen: {path}", path=path))
        self.saved.emit(kind, Path(path))
