"""Attribute table: a lazy Qt table model over a GeoDataFrame, and the table window.

The model never copies the frame into Qt: it keeps an ``order`` array of positional row
numbers (after filter and sort, both done vectorised with pandas) and formats a cell
only when the view asks for it. Rows arrive in chunks (``canFetchMore``/``fetchMore``)
so opening a table of 50,000 buildings is instant.

Selection works both ways through positional indices (``iloc`` numbers), the same
numbers ``MapCanvas.set_selection(layer, indices)`` takes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gisapp.i18n import language, tr
from gisapp.layer_names import layer_title
from styles.field_labels import field_label, format_field
from styles.numbers import format_number, is_missing

CHUNK = 2000


def format_value(value: object, column: str = "", *, unit: bool = False) -> str:
    """Display text of one cell of ``column``: empty for missing values, numbers in the UI language.

    Numbers get the separators of the language (nl 1.234,5; en 1,234.5) and the decimals of the
    column (``styles.field_labels``); years and codes no thousands separators; ``unit`` adds the
    column's unit ("3,5 m").
    """
    if is_missing(value):
        return ""
    if isinstance(value, str) and (not column or column.endswith(("_reden", "_bron"))):
        from gisapp.i18n import translate_reason

        return translate_reason(value)  # a scan's reason or source (a Dutch template) in the interface language
    return format_field(column, value, language(), unit=unit)


def header_text(column: str) -> str:
    """The header of ``column``: its readable label with the unit ("Hoogte maaiveld (m)")."""
    return field_label(column, language(), with_unit=True)


class DataFrameModel(QAbstractTableModel):
    """Read-only, lazily fetched, sortable and filterable table over a (Geo)DataFrame.

    The geometry column is left out. ``row_positions(rows)`` and ``rows_for_positions``
    translate between view rows and positional indices of the frame.
    """

    def __init__(self, frame: pd.DataFrame | None = None, parent=None) -> None:
        super().__init__(parent)
        self._frame = pd.DataFrame()
        self._columns: list[str] = []
        self._arrays: list[np.ndarray] = []
        self._right_aligned: list[bool] = []
        self._order = np.zeros(0, dtype="int64")
        self._loaded = 0
        self._filter = ""
        self._sort: tuple[int, Qt.SortOrder] | None = None
        if frame is not None:
            self.set_frame(frame)

    # --- data -----------------------------------------------------------------------
    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        geometry = getattr(frame, "_geometry_column_name", None)
        self._frame = frame
        self._columns = [str(c) for c in frame.columns if c != geometry]
        # Column arrays and alignment looked up once: data() runs for every visible cell.
        self._arrays = [frame[c].to_numpy() for c in self._columns]
        self._right_aligned = [
            pd.api.types.is_numeric_dtype(frame[c].dtype) and not pd.api.types.is_bool_dtype(frame[c].dtype)
            for c in self._columns
        ]
        self._compute_order()
        self.endResetModel()

    def frame(self) -> pd.DataFrame:
        return self._frame

    def columns(self) -> list[str]:
        return list(self._columns)

    def set_filter(self, text: str) -> None:
        """Keep rows where any column contains ``text`` (case-insensitive)."""
        self.beginResetModel()
        self._filter = text.strip()
        self._compute_order()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``; a column of -1 restores the frame's own order."""
        if column >= len(self._columns):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order) if column >= 0 else None
        self._compute_order()
        self.layoutChanged.emit()

    def _compute_order(self) -> None:
        frame = self._frame
        keep = np.ones(len(frame), dtype=bool)
        if self._filter and len(frame):
            needle = self._filter.lower()
            keep[:] = False
            for name in self._columns:
                text = frame[name].astype("string").str.lower()
                keep |= text.str.contains(needle, regex=False).fillna(False).to_numpy(dtype=bool)
        order = np.flatnonzero(keep)
        if self._sort is not None and len(order):
            column, direction = self._sort
            values = frame[self._columns[column]].iloc[order]
            ranks = np.argsort(_sort_key(values), kind="stable")
            if direction == Qt.SortOrder.DescendingOrder:
                # Missing values stay last in both directions, as in QGIS.
                missing = values.isna().to_numpy()[ranks]
                ranks = np.concatenate([ranks[~missing][::-1], ranks[missing]])
            order = order[ranks]
        self._order = order.astype("int64", copy=False)
        self._loaded = min(CHUNK, len(self._order))

    def total_rows(self) -> int:
        return len(self._frame)

    def filtered_rows(self) -> int:
        return len(self._order)

    def row_positions(self, rows) -> np.ndarray:
        """Positional indices (``iloc``) of view rows."""
        rows = np.asarray(list(rows), dtype="int64")
        return self._order[rows] if len(rows) else np.zeros(0, dtype="int64")

    def rows_for_positions(self, positions) -> np.ndarray:
        """View rows showing the given positional indices (hidden ones are left out), sorted."""
        positions = np.asarray(positions, dtype="int64")
        return np.flatnonzero(np.isin(self._order, positions))

    def ensure_loaded(self, row: int) -> None:
        """Fetch rows up to and including ``row``, so the view can select or scroll to it."""
        if row >= self._loaded and row < len(self._order):
            self.beginInsertRows(QModelIndex(), self._loaded, row)
            self._loaded = row + 1
            self.endInsertRows()

    # --- Qt model interface ---------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and self._loaded < len(self._order)

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid():
            return
        end = min(self._loaded + CHUNK, len(self._order))
        if end > self._loaded:
            self.beginInsertRows(QModelIndex(), self._loaded, end - 1)
            self._loaded = end
            self.endInsertRows()

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            return format_value(self._arrays[column][int(self._order[index.row()])], self._columns[column])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self._right_aligned[index.column()]:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._columns):
                return None
            column = self._columns[section]
            # the readable label on the header, the field name (as in QGIS and the files) in its tooltip
            return header_text(column) if role == Qt.ItemDataRole.DisplayRole else column
        return format_number(section + 1, 0, language()) if role == Qt.ItemDataRole.DisplayRole else None


def _sort_key(values: pd.Series) -> np.ndarray:
    """An array ``np.argsort`` orders like the column, missing values last."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        array = values.to_numpy(dtype="float64", na_value=np.nan)
        return np.where(np.isnan(array), np.inf, array)
    codes, _ = pd.factorize(values.astype("string"), sort=True, use_na_sentinel=True)
    codes = np.asarray(codes, dtype="int64")
    return np.where(codes < 0, np.iinfo("int64").max, codes)


class AttributeTable(QWidget):
    """The attribute table window of one vector layer.

    Signals
    -------
    selection_changed(layer, indices): the user selected rows (positional indices).
    zoom_requested(layer): the user asked to zoom to the selection.
    """

    selection_changed = Signal(object, object)
    zoom_requested = Signal(object)

    def __init__(self, layer, parent=None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.layer = layer
        self.setWindowTitle(tr("Attribuuttabel – {name}", name=layer_title(layer)))
        self.resize(900, 500)
        if parent is not None:
            from gisapp.window_layout import place_over_lower_part

            # over the lower part of the map, wider on a wide screen; the main action stays in view
            place_over_lower_part(self, parent, max(900, parent.window().width() * 2 // 3), 500)
        self.model = DataFrameModel(layer.data, self)
        self._syncing = False

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(tr("Filter (tekst in een kolom)…"))
        self.filter_edit.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self, singleShot=True, interval=250)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())

        self.zoom_button = QPushButton(tr("Zoom naar selectie"), self)
        self.zoom_button.clicked.connect(lambda: self.zoom_requested.emit(self.layer))
        self.clear_button = QPushButton(tr("Selectie wissen"), self)
        self.clear_button.clicked.connect(self.clear_selection)
        self.expression_button = QPushButton(tr("Selecteren met expressie…"), self)
        self.expression_button.clicked.connect(self.open_expression_dialog)

        self.view = QTableView(self)
        self.view.setModel(self.model)
        # Unsorted until the user clicks a header (enabling sorting would sort by column 0).
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.verticalHeader().setDefaultSectionSize(22)
        from gisapp.window_layout import size_columns

        self.view.horizontalHeader().setResizeContentsPrecision(50)  # measure the first rows only
        size_columns(self.view)  # as wide as the contents, long texts capped (their tooltip shows all)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection)
        self.status = QLabel(self)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.expression_button)
        top.addWidget(self.zoom_button)
        top.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self._selected = np.zeros(0, dtype="int64")
        self.model.modelReset.connect(self._restore_selection)
        self.model.layoutChanged.connect(self._restore_selection)
        layer.events.data_changed.connect(self._on_data_changed)
        layer.events.name_changed.connect(self._on_name_changed)
        self._update_status()

    def closeEvent(self, event) -> None:
        self.layer.events.data_changed.disconnect(self._on_data_changed)
        self.layer.events.name_changed.disconnect(self._on_name_changed)
        super().closeEvent(event)

    def _on_data_changed(self, *args) -> None:
        self._selected = np.zeros(0, dtype="int64")
        self.model.set_frame(self.layer.data)

    def _on_name_changed(self, *args) -> None:
        self.setWindowTitle(tr("Attribuuttabel – {name}", name=layer_title(self.layer)))

    def retranslate(self) -> None:
        """After a language switch: the title (a result layer's name) and the column headers."""
        self._on_name_changed()
        columns = self.model.columnCount()
        if columns:
            self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)

    def open_expression_dialog(self):
        """Select rows with an expression on the columns (``gisapp.select_expression_dialog``)."""
        from gisapp.select_expression_dialog import SelectExpressionDialog

        dialog = SelectExpressionDialog(self.layer, self)
        dialog.selected.connect(self._select_from_expression)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _select_from_expression(self, _layer, positions) -> None:
        self.select_positions(positions)
        self.selection_changed.emit(self.layer, self._selected.copy())

    def _apply_filter(self) -> None:
        self.model.set_filter(self.filter_edit.text())

    def selected_positions(self) -> np.ndarray:
        return self._selected.copy()

    def select_positions(self, positions) -> None:
        """Select the rows of these positional indices (from the map); emits nothing."""
        self._selected = np.unique(np.asarray(positions, dtype="int64"))
        self._restore_selection()

    def clear_selection(self) -> None:
        self._selected = np.zeros(0, dtype="int64")
        self._restore_selection()
        self.selection_changed.emit(self.layer, self._selected.copy())

    def _restore_selection(self) -> None:
        rows = self.model.rows_for_positions(self._selected)
        if len(rows):
            self.model.ensure_loaded(int(rows[-1]))
        selection = QItemSelection()
        last_column = max(0, self.model.columnCount() - 1)
        for start, stop in _runs(rows):
            selection.select(self.model.index(start, 0), self.model.index(stop, last_column))
        self._syncing = True
        try:
            self.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            if len(rows):
                self.view.scrollTo(self.model.index(int(rows[0]), 0))
        finally:
            self._syncing = False
        self._update_status()

    def _on_view_selection(self, *_args) -> None:
        if self._syncing:
            return
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        self._selected = np.unique(self.model.row_positions(rows))
        self._update_status()
        self.selection_changed.emit(self.layer, self._selected.copy())

    def _update_status(self) -> None:
        self.status.setText(
            tr(
                "{shown} van {total} rijen, {selected} geselecteerd",
                shown=format_number(self.model.filtered_rows(), 0, language()),
                total=format_number(self.model.total_rows(), 0, language()),
                selected=format_number(len(self._selected), 0, language()),
            )
        )


def _runs(rows: np.ndarray) -> list[tuple[int, int]]:
    """Contiguous (start, stop) runs of sorted row numbers, for compact QItemSelections."""
    if len(rows) == 0:
        return []
    breaks = np.flatnonzero(np.diff(rows) != 1)
    starts = np.concatenate([[rows[0]], rows[breaks + 1]])
    stops = np.concatenate([rows[breaks], [rows[-1]]])
    return [(int(a), int(b)) for a, b in zip(starts, stops)]
