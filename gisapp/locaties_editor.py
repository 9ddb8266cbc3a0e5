"""Drawing, editing and scanning woningbouwlocaties on the map.

:class:`LocatiesEditor` is the controller: it owns the project's ``locaties`` layer data
while editing, a ``QUndoStack`` of snapshot commands (add, move vertex, edit attributes,
delete) and the vertex handles drawn on the canvas's ViewBox. :class:`LocatiesDock` is the
view: a list of the locations, the attribute form, the buttons, and the ranked results of
the locatiescan (sub-scores with their reasons).

Saving: **on every change** (each push, undo and redo) the layer is written to its
GeoPackage atomically (a copy of the file in the same folder, the layer replaced there,
``os.replace``), so an edit is never lost. A project without a ``locaties`` source gets
``locaties.gpkg`` beside the project file, registered in ``project.sources``; the project
file is then saved once so the new layer is found on the next load. A project that has no
file yet keeps the locations in memory until :meth:`LocatiesEditor.save` is called after
the project is saved (the main window calls it from its save action).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyqtgraph as pg
import shapely
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Signal

from gisapp.i18n import error_text, tr, translate_reason
from gisapp.numbers import display_number
from layers.io import geopackage
from scans import locatiescan

LAYER_ROLE = "locaties"
DEFAULT_FILE = "locaties.gpkg"
DEFAULT_GPKG_LAYER = "locaties"
COLUMNS = ("naam", "geplande_woningen", "betaalbaar_aandeel", "start_bouw", "planstatus")
_UNKNOWN_YEAR = 1999


# ------------------------------------------------------------------------------ geometry


def polygon_from_vertices(vertices) -> shapely.Geometry:
    """A valid polygon from drawn vertices; ``ValueError`` when it has no area."""
    coords = np.asarray(vertices, dtype="float64")
    if coords.ndim != 2 or len(coords) < 3:
        raise ValueError(tr("een locatie heeft minstens drie hoekpunten nodig"))
    geom = shapely.make_valid(shapely.Polygon(coords))
    if geom.geom_type == "GeometryCollection":
        geom = shapely.union_all([g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    if geom.is_empty or geom.area <= 0 or geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(tr("de getekende locatie heeft geen oppervlakte"))
    return geom


def vertex_layout(geom) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All coordinates of ``geom``, the positions of the editable vertices (every ring's
    closing point left out) and, per editable vertex, the position of its closing twin
    (−1 when none)."""
    coords = shapely.get_coordinates(geom)
    rings = shapely.get_rings(shapely.get_parts(geom))
    lengths = shapely.get_num_coordinates(rings)
    starts = np.cumsum(lengths) - lengths
    ends = starts + lengths - 1
    editable = np.setdiff1d(np.arange(len(coords)), ends)
    twin = np.full(len(editable), -1, dtype="int64")
    twin[np.searchsorted(editable, starts)] = ends
    return coords, editable, twin


def move_vertex(geom, vertex: int, x: float, y: float):
    """``geom`` with editable vertex ``vertex`` (see :func:`vertex_layout`) moved to (x, y)."""
    coords, editable, twin = vertex_layout(geom)
    coords = coords.copy()
    coords[editable[vertex]] = (x, y)
    if twin[vertex] >= 0:
        coords[twin[vertex]] = (x, y)
    return shapely.set_coordinates(shapely.from_wkb(shapely.to_wkb(geom)), coords)


def empty_locaties() -> gpd.GeoDataFrame:
    """An empty locations frame with the canonical columns."""
    return gpd.GeoDataFrame(
        {
            "naam": pd.Series([], dtype=object),
            "geplande_woningen": pd.Series([], dtype="float64"),
            "betaalbaar_aandeel": pd.Series([], dtype="float64"),
            "start_bouw": pd.Series([], dtype="float64"),
            "planstatus": pd.Series([], dtype=object),
        },
        geometry=gpd.GeoSeries([], crs="EPSG:28992"),
    )


# ------------------------------------------------------------------------ undo commands


class _SnapshotCommand(QtGui.QUndoCommand):
    """Replaces the whole locations frame (locations are few: snapshots are cheap and exact)."""

    def __init__(self, editor: "LocatiesEditor", text: str, before: gpd.GeoDataFrame, after: gpd.GeoDataFrame, current):
        super().__init__(text)
        self._editor = editor
        self._before = before.copy()
        self._after = after.copy()
        self._current_before = editor.current
        self._current_after = current

    def redo(self) -> None:
        self._editor._apply_frame(self._after, self._current_after)

    def undo(self) -> None:
        self._editor._apply_frame(self._before, self._current_before)


class AddLocationCommand(_SnapshotCommand):
    pass


class MoveVertexCommand(_SnapshotCommand):
    pass


class EditAttributesCommand(_SnapshotCommand):
    pass


class DeleteLocationCommand(_SnapshotCommand):
    pass


# ------------------------------------------------------------------------ vertex handles


class VertexHandlesItem(pg.ScatterPlotItem):
    """The vertices of the selected location as squares on the ViewBox; drag one to move it.

    A drag that starts off a handle is ignored, so the ViewBox pans as usual.
    """

    def __init__(self, on_moved):
        super().__init__(size=11, symbol="s", pen=pg.mkPen("#08306b", width=1.5), brush=pg.mkBrush(255, 255, 255, 230),
                         pxMode=True, hoverable=False)
        self._on_moved = on_moved
        self._xy = np.zeros((0, 2))
        self._dragging: int | None = None
        self.setZValue(3e5)

    def set_vertices(self, xy: np.ndarray) -> None:
        self._xy = np.asarray(xy, dtype="float64").reshape(-1, 2)
        self.setData(pos=self._xy, data=np.arange(len(self._xy)))

    def vertices(self) -> np.ndarray:
        return self._xy.copy()

    def mouseDragEvent(self, ev) -> None:
        if ev.button() != QtCore.Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            hits = self.pointsAt(ev.buttonDownPos())
            if len(hits) == 0:
                ev.ignore()
                return
            self._dragging = int(hits[0].data())
        elif self._dragging is None:
            ev.ignore()
            return
        ev.accept()
        pos = ev.pos()
        moved = self._xy.copy()
        moved[self._dragging] = (pos.x(), pos.y())
        self.setData(pos=moved, data=np.arange(len(moved)))
        if ev.isFinish():
            vertex, self._dragging = self._dragging, None
            self._on_moved(vertex, pos.x(), pos.y())


# ---------------------------------------------------------------------------- controller


class LocatiesEditor(QtCore.QObject):
    """Edits the ``locaties`` layer of ``window.project`` on ``window.canvas``.

    Signals
    -------
    changed(): the locations changed (edit, undo, redo, project switch).
    current_changed(int): the selected location (row position, −1 for none).
    saved(str): the layer was written to this GeoPackage.
    scanned(object): a locatiescan finished; the result GeoDataFrame.
    message(str): a status text for the user (Dutch).
    """

    changed = Signal()
    current_changed = Signal(int)
    saved = Signal(str)
    scanned = Signal(object)
    message = Signal(str)

    def __init__(self, window, parent: QtCore.QObject | None = None):
        super().__init__(parent if parent is not None else window)
        self.window = window
        self.canvas = window.canvas
        self.undo_stack = QtGui.QUndoStack(self)
        self.current: int | None = None
        self.result: gpd.GeoDataFrame | None = None
        self.last_error: str | None = None
        self._awaiting_polygon = False
        self._picking = False
        self._handles = VertexHandlesItem(self._on_vertex_moved)
        self._handles.setVisible(False)
        self.canvas.view_box().addItem(self._handles, ignoreBounds=True)
        self.canvas.polygon_drawn.connect(self._on_polygon_drawn)
        self.canvas.feature_clicked.connect(self._on_map_clicked)
        self.canvas.tool_changed.connect(self._on_tool_changed)
        self.project = None
        self.set_project(window.project)

    # -- project and layer ------------------------------------------------------------------
    def set_project(self, project) -> None:
        """Edit the locations of ``project`` (clears the undo history)."""
        self.project = project
        self.undo_stack.clear()
        self.result = None
        self.current = None
        self._refresh_handles()
        self.changed.emit()
        self.current_changed.emit(-1)

    def layer(self):
        """The project's locations layer, or None."""
        if self.project is None:
            return None
        return self.project.layers.first(LAYER_ROLE)

    def frame(self) -> gpd.GeoDataFrame:
        """The locations (a GeoDataFrame with the canonical columns; empty without a layer)."""
        layer = self.layer()
        if layer is None:
            return empty_locaties()
        return layer.data

    def _ensure_layer(self):
        layer = self.layer()
        if layer is None:
            from layers.layer import VectorLayer
            from styles import default_style

            data = empty_locaties()
            layer = VectorLayer("locaties", data, role=LAYER_ROLE, style=default_style(LAYER_ROLE, data))
            self.project.layers.append(layer)
        return layer

    def _apply_frame(self, frame: gpd.GeoDataFrame, current) -> None:
        layer = self._ensure_layer()
        layer.data = frame.reset_index(drop=True).copy()
        n = len(layer.data)
        self.current = current if current is not None and 0 <= current < n else None
        # scores of locations that changed since are no longer true: the scan must run again
        stale, self.result = self.result is not None, None
        self._refresh_handles()
        self.changed.emit()
        self.current_changed.emit(-1 if self.current is None else self.current)
        self._persist()
        if stale:
            self.message.emit(tr("Locaties gewijzigd en opgeslagen: voer de locatiescan opnieuw uit voor actuele scores."))

    # -- editing ----------------------------------------------------------------------------
    def start_drawing(self) -> None:
        """Let the user draw a new location (click vertices; double-click or Enter finishes)."""
        self._awaiting_polygon = True
        self._picking = False
        self.canvas.set_tool("draw_polygon")
        self.message.emit(tr("Klik de hoekpunten van de nieuwe locatie; dubbelklik of Enter om af te sluiten."))

    def start_picking(self) -> None:
        """Let the user select a location by clicking it on the map."""
        self._picking = True
        self._awaiting_polygon = False
        self.canvas.set_tool("identify")
        self.message.emit(tr("Klik op een locatie op de kaart."))

    def _on_tool_changed(self, tool: str) -> None:
        if tool != "draw_polygon":
            self._awaiting_polygon = False
        if tool != "identify":
            self._picking = False

    def _on_polygon_drawn(self, vertices) -> None:
        if not self._awaiting_polygon:
            return
        self._awaiting_polygon = False
        self.canvas.set_tool("pan")
        try:
            geom = polygon_from_vertices(vertices)
        except ValueError as exc:
            self._error(exc)
            return
        self.add_location(geom)

    def add_location(self, geometry, **attributes) -> int:
        """Add a location (undoable); returns its row position."""
        before = self.frame()
        n = len(before)
        values = {
            "naam": attributes.get("naam") or f"Nieuwe locatie {n + 1}",
            "geplande_woningen": float(attributes.get("geplande_woningen", 0) or 0),
            "betaalbaar_aandeel": _float_or_nan(attributes.get("betaalbaar_aandeel")),
            "start_bouw": _float_or_nan(attributes.get("start_bouw")),
            "planstatus": attributes.get("planstatus") or "idee",
        }
        row = gpd.GeoDataFrame({k: [v] for k, v in values.items()}, geometry=[geometry], crs="EPSG:28992")
        row = row.rename_geometry(before.geometry.name) if before.geometry.name != "geometry" else row
        after = pd.concat([before, row], ignore_index=True) if n else _with_columns(row, before)
        after = gpd.GeoDataFrame(after, geometry=before.geometry.name, crs="EPSG:28992")
        self.undo_stack.push(AddLocationCommand(self, tr("Locatie '{name}' toevoegen", name=values["naam"]), before, after, n))
        return n

    def select(self, position: int | None) -> None:
        """Make the location at row ``position`` current (None: no selection)."""
        n = len(self.frame())
        self.current = position if position is not None and 0 <= position < n else None
        self._refresh_handles()
        layer = self.layer()
        if layer is not None and self.current is not None:
            try:
                self.canvas.set_selection(layer, [self.current])
            except ValueError:
                pass  # a hidden or not yet drawn layer: the list still shows the selection
        self.current_changed.emit(-1 if self.current is None else self.current)

    def select_at(self, x: float, y: float) -> int | None:
        """Select the location containing (x, y); returns its position or None."""
        frame = self.frame()
        if not len(frame):
            return None
        # not contains_xy: it would prepare the layer's polygons in place (see layers.prepared)
        hits = np.flatnonzero(shapely.contains(frame.geometry.to_numpy(), shapely.Point(x, y)))
        self.select(int(hits[-1]) if hits.size else None)
        return self.current

    def _on_map_clicked(self, x: float, y: float) -> None:
        if self._picking:
            self._picking = False
            self.select_at(x, y)
            self.canvas.set_tool("pan")

    def set_vertex_editing(self, on: bool) -> None:
        """Show the vertices of the current location; drag them to move (undoable)."""
        self._handles.setVisible(bool(on))
        if on:
            self.canvas.set_tool("pan")
        self._refresh_handles()

    def vertex_editing(self) -> bool:
        return self._handles.isVisible()

    def vertex_handles(self) -> VertexHandlesItem:
        return self._handles

    def _refresh_handles(self) -> None:
        frame = self.frame()
        if self.current is None or self.current >= len(frame):
            self._handles.set_vertices(np.zeros((0, 2)))
            return
        coords, editable, _ = vertex_layout(frame.geometry.iloc[self.current])
        self._handles.set_vertices(coords[editable])

    def _on_vertex_moved(self, vertex: int, x: float, y: float) -> None:
        self.move_vertex(vertex, x, y)

    def move_vertex(self, vertex: int, x: float, y: float) -> bool:
        """Move editable vertex ``vertex`` of the current location (undoable); False when the
        result would not be a valid polygon (the move is refused)."""
        if self.current is None:
            return False
        before = self.frame()
        geom = move_vertex(before.geometry.iloc[self.current], vertex, x, y)
        if not geom.is_valid or geom.area <= 0:
            self._error(ValueError(tr("deze verplaatsing maakt de locatie ongeldig (randen kruisen elkaar)")))
            self._refresh_handles()
            return False
        after = before.copy()
        after.loc[after.index[self.current], after.geometry.name] = geom
        name = before["naam"].iloc[self.current]
        self.undo_stack.push(MoveVertexCommand(self, tr("Hoekpunt van '{name}' verplaatsen", name=name), before, after, self.current))
        return True

    def edit_attributes(self, **values) -> None:
        """Change attributes of the current location (undoable); keys from ``COLUMNS``."""
        if self.current is None:
            raise ValueError(tr("selecteer eerst een locatie"))
        unknown = set(values) - set(COLUMNS)
        if unknown:
            raise ValueError(tr("onbekende kenmerken: {names}", names=", ".join(sorted(unknown))))
        if "naam" in values and not str(values["naam"]).strip():
            raise ValueError(tr("een locatie heeft een naam nodig"))
        share = _float_or_nan(values.get("betaalbaar_aandeel"))
        if not np.isnan(share) and not 0.0 <= share <= 1.0:
            raise ValueError(tr("betaalbaar aandeel moet tussen 0 en 1 liggen"))
        if values.get("planstatus") not in (None, "", *locatiescan.PLANSTATUSSEN):
            raise ValueError(tr("planstatus moet een van {names} zijn", names=", ".join(locatiescan.PLANSTATUSSEN)))
        before = self.frame()
        after = before.copy()
        row = after.index[self.current]
        for key, value in values.items():
            if key == "naam":
                value = str(value).strip()
            elif key == "planstatus":
                value = value or None
            else:
                value = _float_or_nan(value)
            after.loc[row, key] = value
        if _same(before, after):
            return
        name = after["naam"].iloc[self.current]
        self.undo_stack.push(EditAttributesCommand(self, tr("Kenmerken van '{name}' wijzigen", name=name), before, after, self.current))

    def delete_current(self) -> None:
        """Delete the current location (undoable)."""
        if self.current is None:
            raise ValueError(tr("selecteer eerst een locatie"))
        before = self.frame()
        name = before["naam"].iloc[self.current]
        after = before.drop(index=before.index[self.current]).reset_index(drop=True)
        self.undo_stack.push(DeleteLocationCommand(self, tr("Locatie '{name}' verwijderen", name=name), before, after, None))

    # -- saving -----------------------------------------------------------------------------
    def _persist(self) -> None:
        if self.project is None or self.project.path is None:
            self.message.emit(tr("Locaties staan in het geheugen; sla het project op om ze te bewaren."))
            return
        try:
            self.save()
        except (OSError, ValueError) as exc:
            self._error(exc)

    def save(self) -> Path | None:
        """Write the locations to the project's GeoPackage (atomic); returns its path.

        Registers ``locaties.gpkg`` beside the project (and saves the project file once)
        when the project has no locations source in a GeoPackage. None when there is
        nothing to save or the project has no file yet.
        """
        layer = self.layer()
        if layer is None or self.project is None or self.project.path is None:
            return None
        source = getattr(layer, "source", None)
        registered = source is not None and self.project.sources.get(source.key) is source
        if not registered or not str(source.path).lower().endswith(".gpkg"):
            source = self._register_source(layer)
        path = Path(self.project.resolve(source.path))
        gpkg_layer = source.layer or _single_layer_name(path) or DEFAULT_GPKG_LAYER
        frame = layer.data.copy()
        inverse = {canonical: real for canonical, real in (source.columns or {}).items() if canonical in frame.columns}
        frame = frame.rename(columns=inverse)
        geopackage.replace_layer(frame, path, gpkg_layer)
        self.saved.emit(str(path))
        self.message.emit(tr("Locaties opgeslagen in {name}", name=path.name))
        return path

    def _register_source(self, layer):
        from layers.project import LayerSource

        folder = self.project.folder
        name = DEFAULT_FILE
        n = 2
        while (folder / name).exists():
            name = f"locaties_{n}.gpkg"
            n += 1
        old = getattr(layer, "source", None)
        if old is not None and self.project.sources.get(old.key) is old:
            del self.project.sources[old.key]
        source = LayerSource(layer.name, name, LAYER_ROLE, DEFAULT_GPKG_LAYER)
        self.project.sources[layer.name] = source
        layer.source = source
        self.project.save()
        return source

    # -- locatiescan ------------------------------------------------------------------------
    def run_scan(self, scenario: str | None = None) -> gpd.GeoDataFrame | None:
        """Run the locatiescan on the current locations; adds/replaces the map layer
        ``locaties_scan`` styled as a graduated map of the score. Returns the result."""
        from scans.scenarios import resolve_scenario

        frame = self.frame()
        if not len(frame):
            self._error(ValueError(tr("er zijn nog geen locaties om te scannen")))
            return None
        try:
            settings = resolve_scenario(self.project, scenario)
            params = locatiescan.params_from_project(self.project)
            inputs = locatiescan.inputs_from_project(self.project)
            building_result = getattr(self.window, "last_result", None)
            result = locatiescan.run(frame, inputs, settings, building_result, params=params)
        except (ValueError, OSError) as exc:
            self._error(exc)
            return None
        self.result = result
        self._show_result_layer(result)
        self.message.emit(tr("Locatiescan: {n} locaties gescoord (scenario {scenario})", n=len(result), scenario=settings.naam))
        self.scanned.emit(result)
        return result

    def _show_result_layer(self, result: gpd.GeoDataFrame) -> None:
        from gisapp.reports.geopackage import locaties_style
        from layers.layer import VectorLayer

        style = locaties_style()  # the fixed score classes of the file the locatiescan writes
        layers = self.project.layers
        if locatiescan.LAYER_NAME in layers:
            layers.remove(locatiescan.LAYER_NAME)
        layer = VectorLayer(locatiescan.LAYER_NAME, result, role="locaties_scan", style=style)
        layer.opacity = 0.85
        layers.append(layer)

    def _error(self, exc: Exception) -> None:
        self.last_error = error_text(exc)  # in the interface language (a locatiescan error is a Translatable)
        self.message.emit(self.last_error)


def _float_or_nan(value) -> float:
    if value is None or value == "":
        return float("nan")
    return float(value)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return a.drop(columns=a.geometry.name).equals(b.drop(columns=b.geometry.name))


def _with_columns(row: gpd.GeoDataFrame, template: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``row`` with the extra (non-canonical) columns of an empty ``template``."""
    for col in template.columns:
        if col not in row.columns:
            row[col] = None
    return row[list(template.columns)]


def _single_layer_name(path: Path) -> str | None:
    if not path.exists():
        return None
    import pyogrio

    names = [str(name) for name, _ in pyogrio.list_layers(path)]
    return names[0] if len(names) == 1 else None


# -------------------------------------------------------------------------------- view


class LocatiesDock(QtWidgets.QDockWidget):
    """The dock of the locations editor: list, attribute form, buttons and scan results."""

    def __init__(self, editor: LocatiesEditor, parent: QtWidgets.QWidget | None = None):
        super().__init__(tr("Woningbouwlocaties"), parent)
        self.setObjectName("dock_locaties")
        self.editor = editor
        body = QtWidgets.QWidget(self)
        layout = QtWidgets.QVBoxLayout(body)

        buttons = QtWidgets.QGridLayout()
        self.draw_button = QtWidgets.QPushButton(tr("Locatie tekenen"), body)
        self.pick_button = QtWidgets.QPushButton(tr("Kies op kaart"), body)
        self.vertex_button = QtWidgets.QPushButton(tr("Hoekpunten verplaatsen"), body)
        self.vertex_button.setCheckable(True)
        self.delete_button = QtWidgets.QPushButton(tr("Verwijderen"), body)
        self.undo_button = QtWidgets.QToolButton(body)
        self.undo_button.setDefaultAction(editor.undo_stack.createUndoAction(self, tr("Ongedaan maken")))
        self.redo_button = QtWidgets.QToolButton(body)
        self.redo_button.setDefaultAction(editor.undo_stack.createRedoAction(self, tr("Opnieuw")))
        for i, w in enumerate((self.draw_button, self.pick_button, self.vertex_button, self.delete_button,
                               self.undo_button, self.redo_button)):
            buttons.addWidget(w, i // 3, i % 3)
        layout.addLayout(buttons)

        self.list = QtWidgets.QListWidget(body)
        self.list.setMaximumHeight(130)
        layout.addWidget(self.list)

        form_box = QtWidgets.QGroupBox(tr("Kenmerken"), body)
        form = QtWidgets.QFormLayout(form_box)
        self.naam_edit = QtWidgets.QLineEdit(form_box)
        self.woningen_spin = QtWidgets.QSpinBox(form_box)
        self.woningen_spin.setRange(0, 1_000_000)
        self.betaalbaar_spin = QtWidgets.QDoubleSpinBox(form_box)
        self.betaalbaar_spin.setRange(-1.0, 100.0)
        self.betaalbaar_spin.setDecimals(0)
        self.betaalbaar_spin.setSuffix(" %")
        self.betaalbaar_spin.setSpecialValueText(tr("onbekend"))
        self.start_spin = QtWidgets.QSpinBox(form_box)
        self.start_spin.setRange(_UNKNOWN_YEAR, 2100)
        self.start_spin.setSpecialValueText(tr("onbekend"))
        self.planstatus_combo = QtWidgets.QComboBox(form_box)
        # "onbekend" in the interface language (no status); the statuses are the values of the data
        self.planstatus_combo.addItem(tr("onbekend"), None)
        for status in locatiescan.PLANSTATUSSEN:
            self.planstatus_combo.addItem(status, status)
        form.addRow(tr("Naam"), self.naam_edit)
        form.addRow(tr("Geplande woningen"), self.woningen_spin)
        form.addRow(tr("Betaalbaar aandeel"), self.betaalbaar_spin)
        form.addRow(tr("Start bouw (jaar)"), self.start_spin)
        form.addRow(tr("Planstatus"), self.planstatus_combo)
        self.apply_button = QtWidgets.QPushButton(tr("Kenmerken toepassen"), form_box)
        form.addRow(self.apply_button)
        layout.addWidget(form_box)

        scan_row = QtWidgets.QHBoxLayout()
        self.scenario_combo = QtWidgets.QComboBox(body)
        self.scan_button = QtWidgets.QPushButton(tr("Locatiescan uitvoeren"), body)
        scan_row.addWidget(QtWidgets.QLabel(tr("Scenario"), body))
        scan_row.addWidget(self.scenario_combo, 1)
        scan_row.addWidget(self.scan_button)
        layout.addLayout(scan_row)

        self.table = QtWidgets.QTableWidget(body)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(170)
        layout.addWidget(self.table, 2)
        self.details = QtWidgets.QTextBrowser(body)
        self.details.setMaximumHeight(170)
        layout.addWidget(self.details, 1)
        self.status = QtWidgets.QLabel("", body)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.setWidget(body)

        self.draw_button.clicked.connect(editor.start_drawing)
        self.pick_button.clicked.connect(editor.start_picking)
        self.vertex_button.toggled.connect(editor.set_vertex_editing)
        self.delete_button.clicked.connect(self._delete)
        self.apply_button.clicked.connect(self.apply_form)
        self.scan_button.clicked.connect(self._run_scan)
        self.list.currentRowChanged.connect(self._on_list_row)
        self.table.itemSelectionChanged.connect(self._on_table_selection)
        editor.changed.connect(self.refresh)
        editor.current_changed.connect(self._on_current_changed)
        editor.message.connect(self.status.setText)
        editor.scanned.connect(self.show_result)
        self.refresh()

    # -- list and form ----------------------------------------------------------------------
    def refresh(self) -> None:
        frame = self.editor.frame()
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems([str(v) for v in frame["naam"].tolist()] if len(frame) else [])
        self.list.blockSignals(False)
        self._fill_scenarios()
        self._on_current_changed(-1 if self.editor.current is None else self.editor.current)
        if self.editor.result is None:
            self.table.clear()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.details.clear()

    def _fill_scenarios(self) -> None:
        from scans.scenarios import PRESETS

        current = self.scenario_combo.currentText()
        names = list(dict.fromkeys([*PRESETS, *(getattr(self.editor.project, "scenarios", None) or {})]))
        self.scenario_combo.blockSignals(True)
        self.scenario_combo.clear()
        self.scenario_combo.addItems(names)
        if current in names:
            self.scenario_combo.setCurrentText(current)
        self.scenario_combo.blockSignals(False)

    def _on_list_row(self, row: int) -> None:
        self.editor.select(row if row >= 0 else None)

    def _on_current_changed(self, position: int) -> None:
        self.list.blockSignals(True)
        self.list.setCurrentRow(position)
        self.list.blockSignals(False)
        has = position >= 0
        for w in (self.apply_button, self.delete_button, self.naam_edit, self.woningen_spin, self.betaalbaar_spin,
                  self.start_spin, self.planstatus_combo):
            w.setEnabled(has)
        if not has:
            # no location chosen (or another project): the form must not show the previous one
            self.naam_edit.clear()
            self.woningen_spin.setValue(0)
            self.betaalbaar_spin.setValue(self.betaalbaar_spin.minimum())
            self.start_spin.setValue(_UNKNOWN_YEAR)
            self.planstatus_combo.setCurrentIndex(0)
            return
        row = self.editor.frame().iloc[position]
        self.naam_edit.setText(str(row["naam"]))
        self.woningen_spin.setValue(int(_nan_to(row["geplande_woningen"], 0)))
        share = row["betaalbaar_aandeel"]
        self.betaalbaar_spin.setValue(-1.0 if pd.isna(share) else round(float(share) * 100.0))
        self.start_spin.setValue(int(_nan_to(row["start_bouw"], _UNKNOWN_YEAR)))
        status = row["planstatus"] if row["planstatus"] in locatiescan.PLANSTATUSSEN else None
        self.planstatus_combo.setCurrentIndex(self.planstatus_combo.findData(status) if status else 0)

    def form_values(self) -> dict:
        """The form as attribute values (NaN/None for 'onbekend')."""
        share = self.betaalbaar_spin.value()
        start = self.start_spin.value()
        status = self.planstatus_combo.currentData()
        return {
            "naam": self.naam_edit.text(),
            "geplande_woningen": float(self.woningen_spin.value()),
            "betaalbaar_aandeel": float("nan") if share < 0 else share / 100.0,
            "start_bouw": float("nan") if start == _UNKNOWN_YEAR else float(start),
            "planstatus": status,
        }

    def apply_form(self) -> None:
        try:
            self.editor.edit_attributes(**self.form_values())
        except ValueError as exc:
            self.editor._error(exc)

    def _delete(self) -> None:
        try:
            self.editor.delete_current()
        except ValueError as exc:
            self.editor._error(exc)

    # -- results ----------------------------------------------------------------------------
    def _run_scan(self) -> None:
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            self.editor.run_scan(self.scenario_combo.currentText() or None)
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()

    def show_result(self, result: gpd.GeoDataFrame) -> None:
        """Fill the ranked table: rank, name, score, sub-scores (reason as tooltip), Woningbouwimpuls."""
        table = locatiescan.ranked(result)
        headers = [tr("Rang"), tr("Locatie"), tr("Score"), *map(tr, locatiescan.CRITERIA.values()), "Woningbouwimpuls"]
        self.table.blockSignals(True)
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(table))
        self._rows = list(table.index)
        for r, (_, row) in enumerate(table.iterrows()):
            cells = [(str(row["rang"]), ""), (str(row["naam"]), ""), (display_number(row["score"], 1), "")]
            cells += [(display_number(row[f"score_{name}"], 0), translate_reason(str(row[f"reden_{name}"])))
                      for name in locatiescan.CRITERIA]
            cells.append((tr("ja") if row["woningbouwimpuls"] else tr("nee"), translate_reason(str(row["woningbouwimpuls_reden"]))))
            for c, (text, tip) in enumerate(cells):
                item = QtWidgets.QTableWidgetItem(text)
                if tip:
                    item.setToolTip(tip)
                self.table.setItem(r, c, item)
        from gisapp.window_layout import size_columns

        size_columns(self.table)  # long names capped; the reasons are in the tooltips
        self.table.blockSignals(False)
        if len(table):
            self.table.selectRow(0)
            self._show_details(self._rows[0])

    def _on_table_selection(self) -> None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or self.editor.result is None:
            return
        label = self._rows[rows[0].row()]
        self._show_details(label)
        layer = self.editor.project.layers[locatiescan.LAYER_NAME] if locatiescan.LAYER_NAME in self.editor.project.layers else None
        if layer is not None:
            position = int(self.editor.result.index.get_loc(label))
            try:
                self.editor.canvas.set_selection(layer, [position])
            except ValueError:
                pass  # layer hidden from the canvas

    def _show_details(self, label) -> None:
        row = self.editor.result.loc[label]
        score = tr("score {score} (rang {rank})", score=display_number(row['score'], 1), rank=row['rang'])
        lines = [f"<b>{_html(row['naam'])}</b>: {score}", "<ul>"]
        for name, title in locatiescan.CRITERIA.items():
            reason = translate_reason(str(row[f"reden_{name}"]))  # Dutch templates, translated at display
            lines.append(f"<li>{_html(tr(title))}: {display_number(row[f'score_{name}'], 0)} – {_html(reason)}</li>")
        lines.append(f"<li>Woningbouwimpuls: {_html(translate_reason(str(row['woningbouwimpuls_reden'])))}</li>")
        lines.append(f"<li>{tr('Realisatiestimulans')}: {display_number(row['realisatiestimulans_eur'], 0, '€')}</li>")
        if not pd.isna(row["beter_benutten_woningen"]):
            homes = display_number(row["beter_benutten_woningen"], 0, tr("woningen"))
            lines.append(f"<li>{tr('Beter benutten in bestaande panden')}: {homes}</li>")
        lines.append("</ul>")
        self.details.setHtml("".join(lines))

    def reasons_text(self) -> str:
        """The details shown for the selected result row (plain text; for tests and copying)."""
        return self.details.toPlainText()


def _nan_to(value, default):
    return default if value is None or pd.isna(value) else value


def _html(text) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def install_locaties_editor(window, area=QtCore.Qt.DockWidgetArea.RightDockWidgetArea) -> LocatiesEditor:
    """Create the editor and its dock for ``window`` (with ``.canvas`` and ``.project``),
    add the dock, and follow ``window.project_changed`` when the window has it."""
    editor = LocatiesEditor(window)
    dock = LocatiesDock(editor, window)
    window.addDockWidget(area, dock)
    editor.dock = dock
    signal = getattr(window, "project_changed", None)
    if signal is not None:
        signal.connect(editor.set_project)
        signal.connect(lambda _project: dock.status.clear())  # the last message was about the old project
    return editor
