"""Identify: which features lie under a map click, and a panel that shows their attributes.

For a building with scan results (a layer with ``<scan>_woningen`` and ``<scan>_reden``
columns, such as ``gebouwen_potentie``) the panel adds a table "Resultaat per scan": the
extra homes and the reason per scan, so a planner sees *why* a building is or is not a
candidate.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from gisapp.attribute_table import format_value

#: What identify shows for an empty text value (a known "nothing"); a missing one is "onbekend".
EMPTY_TEXT = "–"
from gisapp.i18n import language, section_text, tr
from gisapp.layer_names import layer_title
from styles.field_labels import field_label
from styles.numbers import format_number


def features_at(layer, x: float, y: float, tolerance: float = 0.0) -> np.ndarray:
    """Positional indices of the features of vector ``layer`` at (x, y).

    Polygons must contain the point (or lie within ``tolerance``); points and lines must lie
    within ``tolerance`` map units. Nearest first for points and lines.
    """
    data = getattr(layer, "data", None)
    if data is None or len(data) == 0 or getattr(layer, "geometry_kind", "table") == "table":
        return np.zeros(0, dtype="int64")
    point = shapely.Point(float(x), float(y))
    kind = getattr(layer, "geometry_kind", "polygon")
    # the layer's chunked index: a large layer's is built by the loader thread (see
    # gisapp.project_loading.prepare_for_map), so the first click does not freeze the window
    tree = layer.spatial_index()
    if kind == "polygon":
        hits = tree.query(point, predicate="intersects")
        if len(hits) == 0 and tolerance > 0:
            hits = tree.query(point, predicate="dwithin", distance=tolerance)
        return np.sort(np.asarray(hits, dtype="int64"))
    hits = np.asarray(tree.query(point, predicate="dwithin", distance=max(tolerance, 1e-9)), dtype="int64")
    if len(hits) > 1:
        distances = shapely.distance(data.geometry.values[hits], point)
        hits = hits[np.argsort(distances, kind="stable")]
    return hits


def identify(layers, x: float, y: float, tolerance: float = 0.0) -> tuple[object, int] | None:
    """The top-most visible vector layer with a feature at (x, y), and that feature's position.

    ``layers`` is in drawing order (index 0 drawn first), so it is searched from the end.
    """
    for layer in list(layers)[::-1]:
        if not getattr(layer, "visible", True) or not hasattr(layer, "data"):
            continue
        hits = features_at(layer, x, y, tolerance)
        if len(hits):
            return layer, int(hits[-1] if getattr(layer, "geometry_kind", "polygon") == "polygon" else hits[0])
    return None


def scan_results(row) -> list[tuple[str, str, object, str]]:
    """``[(scan name, label, homes, reason), ...]`` for a row with per-scan result columns."""
    names = [c[: -len("_woningen")] for c in row.index if str(c).endswith("_woningen") and f"{str(c)[:-len('_woningen')]}_reden" in row.index]
    labels = _scan_labels()
    return [(name, labels.get(name, name), row[f"{name}_woningen"], row[f"{name}_reden"]) for name in names]


def _scan_labels() -> dict[str, str]:
    """The scans' names in the interface language ("Optoppen", "Adding storeys")."""
    from scans.registry import SCANS

    return {name: section_text(name, spec.label) for name, spec in SCANS.items()}


#: The attribute names take at most this share of the panel's width, so the values stay readable
#: in a narrow dock (a longer name is shortened with an ellipsis; its tooltip is the field name).
MAX_NAME_SHARE = 0.55


class IdentifyPanel(QWidget):
    """Attributes of the identified feature; for buildings also the result per scan."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(tr("Klik met het informatiegereedschap op een object."), self)
        self.title.setWordWrap(True)
        self.results = QTreeWidget(self)
        self.results.setColumnCount(3)
        self.results.setHeaderLabels([tr("Scan"), tr("Woningen"), tr("Reden")])
        self.results.setRootIsDecorated(False)
        # scan and homes as wide as their texts, the reason the rest (shortened, in full as tooltip)
        header = self.results.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results_label = QLabel(tr("Resultaat per scan"), self)
        bold = QFont(self.results_label.font())
        bold.setBold(True)
        self.results_label.setFont(bold)
        self.attributes = QTreeWidget(self)
        self.attributes.setColumnCount(2)
        self.attributes.setHeaderLabels([tr("Attribuut"), tr("Waarde")])
        self.attributes.setRootIsDecorated(False)
        self.attributes.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.attributes.header().setStretchLastSection(True)
        self.attributes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.results_label)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.attributes, 2)
        self.layer = None
        self.position: int | None = None
        self._show_results(False)

    def _show_results(self, visible: bool) -> None:
        self.results_label.setVisible(visible)
        self.results.setVisible(visible)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_name_column()

    def _fit_name_column(self) -> None:
        """The attribute names as wide as the longest, up to :data:`MAX_NAME_SHARE` of the view."""
        tree = self.attributes
        limit = int(tree.viewport().width() * MAX_NAME_SHARE)
        widest = tree.sizeHintForColumn(0) + 8 if tree.topLevelItemCount() else limit // 2
        tree.setColumnWidth(0, max(60, min(widest, limit)))

    def _fit_results_height(self) -> None:
        """The results table as high as its rows (four scans and the total), no empty area below."""
        tree = self.results
        rows = tree.topLevelItemCount()
        row_height = tree.sizeHintForRow(0) if rows else 0
        tree.setMaximumHeight(tree.header().sizeHint().height() + rows * row_height + 2 * tree.frameWidth() + 2)

    def clear(self, message: str | None = None) -> None:
        self.layer, self.position = None, None
        self.title.setText(message or tr("Klik met het informatiegereedschap op een object."))
        self.attributes.clear()
        self.results.clear()
        self._show_results(False)

    def show_feature(self, layer, position: int) -> None:
        """Show feature ``position`` (iloc) of ``layer``."""
        self.layer, self.position = layer, int(position)
        data = layer.data
        row = data.iloc[int(position)]
        geometry = getattr(data, "_geometry_column_name", None)
        self.title.setText(f"{tr('Laag')}: <b>{layer_title(layer)}</b> · #{int(position) + 1}")
        self.attributes.clear()
        lang = language()
        for column, value in row.items():
            if column == geometry:
                continue
            # the readable label, the field name in its tooltip; a value with its unit ("2,74 cm");
            # a missing value is "onbekend", an empty text (no conditions, no zone, not a candidate's
            # source) is "–": nothing to say, which is not the same as not knowing
            text = format_value(value, str(column), unit=True) or (
                EMPTY_TEXT if isinstance(value, str) else format_number(None, locale=lang))
            item = QTreeWidgetItem([field_label(str(column), lang), text])
            item.setToolTip(0, str(column))
            item.setToolTip(1, text)
            self.attributes.addTopLevelItem(item)
        self._fit_name_column()
        self.results.clear()
        results = scan_results(row)
        for _name, label, homes, reason in results:
            item = QTreeWidgetItem([label, format_value(homes, f"{_name}_woningen"), format_value(reason)])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(2, format_value(reason))
            self.results.addTopLevelItem(item)
        if results and "totaal_woningen" in row.index:
            total = QTreeWidgetItem([tr("Totaal extra woningen"), format_value(row["totaal_woningen"], "totaal_woningen"), ""])
            font = QFont(total.font(0))
            font.setBold(True)
            total.setFont(0, font)
            total.setFont(1, font)
            total.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.results.addTopLevelItem(total)
        self._fit_results_height()
        self._show_results(bool(results))

    def retranslate(self) -> None:
        """After a language switch: the feature shown again (layer name, labels, values, reasons)."""
        layer, position = self.layer, self.position
        if layer is not None and position is not None and position < len(getattr(layer, "data", ())):
            self.show_feature(layer, position)

    def result_rows(self) -> list[tuple[str, str, str]]:
        """The texts of the result table (for tests and copy)."""
        return [
            tuple(self.results.topLevelItem(i).text(c) for c in range(3))  # type: ignore[misc]
            for i in range(self.results.topLevelItemCount())
        ]
