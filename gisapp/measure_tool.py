"""Measuring on the map: distance along a polyline and area of a polygon, in RD metres.

:class:`MeasureTool` is a map tool registered on the canvas (``MapCanvas.register_tool``) under
``"measure_distance"`` and ``"measure_area"``. Each left click places a vertex; the line follows
the cursor. Right-click, double-click, Enter or Esc ends the measurement (the figure and its
result stay); the next click starts a new one. Backspace drops the last vertex. The result is
shown in a small panel in the top-left corner of the map and sent as ``measured(text)`` (the
window shows it in the status bar).

RD New is a conformal projection with a scale factor within 0.9999–1.0001 over the Netherlands,
so lengths and areas in RD metres are the ground figures a planner expects (as QGIS' "planimetric"
measure in a projected CRS). Numbers go through :mod:`styles.numbers`: "1.234,5 m", "2,35 ha".
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6 import QtCore, QtGui, QtWidgets

from gisapp.i18n import language, tr
from styles.numbers import format_number

#: The map tools this module registers: tool name -> what it measures.
MEASURE_TOOLS = {"measure_distance": "distance", "measure_area": "area"}
#: Areas from this size on are written in hectares.
HECTARE_FROM_M2 = 10_000.0
#: Distances from this length on are written in kilometres.
KM_FROM_M = 10_000.0


def format_distance(metres: float, locale: str | None = None) -> str:
    """``"1.234,5 m"``, from 10 km on ``"12,35 km"`` (``locale`` default: the interface language)."""
    locale = locale or language()
    if metres >= KM_FROM_M:
        return format_number(metres / 1000.0, 2, locale, "km")
    return format_number(metres, 1, locale, "m")


def format_area(square_metres: float, locale: str | None = None) -> str:
    """``"850 m²"``, from a hectare on ``"2,35 ha"``."""
    locale = locale or language()
    if square_metres >= HECTARE_FROM_M2:
        return format_number(square_metres / HECTARE_FROM_M2, 2, locale, "ha")
    return format_number(square_metres, 0, locale, "m²")


def segment_lengths(vertices) -> np.ndarray:
    """Length of each segment of the polyline through ``vertices`` [(x, y), ...] (metres)."""
    xy = np.asarray(vertices, dtype="float64").reshape(-1, 2)
    if len(xy) < 2:
        return np.zeros(0)
    return np.hypot(*np.diff(xy, axis=0).T)


def polygon_measures(vertices) -> tuple[float, float]:
    """(area m², perimeter m) of the polygon closed through ``vertices``; a self-crossing outline
    counts each enclosed part once (shapely's make_valid)."""
    xy = np.asarray(vertices, dtype="float64").reshape(-1, 2)
    if len(xy) < 3:
        return 0.0, float(segment_lengths(xy).sum() * 2) if len(xy) == 2 else 0.0
    ring = np.vstack([xy, xy[:1]])
    perimeter = float(segment_lengths(ring).sum())
    area = float(shapely.area(shapely.make_valid(shapely.Polygon(xy))))
    return area, perimeter


def measurement_lines(mode: str, vertices) -> list[str]:
    """The lines of the result panel for ``mode`` ("distance" or "area") and ``vertices``."""
    if mode == "distance":
        lengths = segment_lengths(vertices)
        last = lengths[-1] if len(lengths) else 0.0
        return [tr("Afstand: {value}", value=format_distance(float(lengths.sum()))),
                tr("Laatste segment: {value}", value=format_distance(float(last)))]
    area, perimeter = polygon_measures(vertices)
    return [tr("Oppervlakte: {value}", value=format_area(area)),
            tr("Omtrek: {value}", value=format_distance(perimeter))]


class MeasurePanel(QtWidgets.QLabel):
    """The small floating result box in the top-left corner of the map."""

    def __init__(self, parent: QtWidgets.QWidget):
        super().__init__(parent)
        self.setObjectName("measure_panel")
        self.setStyleSheet("QLabel#measure_panel { background: rgba(255, 255, 255, 225); border: 1px solid #808080;"
                           " border-radius: 3px; padding: 4px 8px; color: #202020; }")
        self.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.move(10, 10)
        self.hide()

    def show_lines(self, title: str, lines: list[str]) -> None:
        self.setText("<b>" + title + "</b><br>" + "<br>".join(lines))
        self.adjustSize()
        self.show()
        self.raise_()


class MeasureTool(QtCore.QObject):
    """Distance and area measuring on a ``MapCanvas`` (see the module docstring)."""

    #: the result as one line; "" when the measurement is cleared
    measured = QtCore.Signal(str)

    def __init__(self, canvas, parent: QtCore.QObject | None = None):
        super().__init__(parent if parent is not None else canvas)
        self.canvas = canvas
        self.mode = "distance"
        self.vertices: list[tuple[float, float]] = []
        self.finished = False
        self._cursor: tuple[float, float] | None = None
        self._sketch = QtWidgets.QGraphicsPathItem()
        pen = QtGui.QPen(QtGui.QColor(200, 40, 140), 2.0)
        pen.setCosmetic(True)
        self._sketch.setPen(pen)
        self._fill = QtGui.QBrush(QtGui.QColor(200, 40, 140, 45))
        self._sketch.setZValue(2e5)
        canvas.view_box().addItem(self._sketch, ignoreBounds=True)
        self.panel = MeasurePanel(canvas)
        for name in MEASURE_TOOLS:
            canvas.register_tool(name, _ModeHandler(self, name))

    # -- the measurement ----------------------------------------------------------------------
    def lines(self) -> list[str]:
        """The result lines for the vertices placed (with the cursor while measuring)."""
        return measurement_lines(self.mode, self._points())

    def text(self) -> str:
        return "; ".join(self.lines())

    def clear(self) -> None:
        """Forget the measurement and hide its figure and panel."""
        had = bool(self.vertices)
        self.vertices = []
        self.finished = False
        self._cursor = None
        self._sketch.setPath(QtGui.QPainterPath())
        self.panel.hide()
        if had:
            self.measured.emit("")

    def finish(self) -> bool:
        """End the measurement (its figure and result stay); True when there was one."""
        if not self.vertices:
            return False
        self.finished = True
        self._cursor = None
        self._refresh()
        self.measured.emit(self.text())
        return True

    def _points(self) -> list[tuple[float, float]]:
        return self.vertices + ([self._cursor] if self._cursor is not None and not self.finished else [])

    def _refresh(self) -> None:
        points = self._points()
        path = QtGui.QPainterPath()
        if points:
            path.addPolygon(QtGui.QPolygonF([QtCore.QPointF(x, y) for x, y in points]))
            if self.mode == "area" and len(points) > 2:
                path.closeSubpath()
        self._sketch.setPath(path)
        # a distance is a line: an open path would be filled along its chord
        self._sketch.setBrush(self._fill if self.mode == "area" else QtGui.QBrush(QtCore.Qt.BrushStyle.NoBrush))
        title = tr("Afstand meten") if self.mode == "distance" else tr("Oppervlakte meten")
        self.panel.show_lines(title, self.lines())

    # -- events from the canvas ---------------------------------------------------------------
    def activate(self, mode: str) -> None:
        if mode != self.mode:
            self.clear()
        self.mode = mode

    def click(self, x: float, y: float, button, double: bool) -> bool:
        if button == QtCore.Qt.MouseButton.RightButton:
            self.finish()
            return True
        if button != QtCore.Qt.MouseButton.LeftButton:
            return False
        if double:
            self.finish()
            return True
        if self.finished:
            self.clear()
        self.vertices.append((x, y))
        self._refresh()
        self.measured.emit(self.text())
        return True

    def move(self, x: float, y: float) -> None:
        if self.vertices and not self.finished:
            self._cursor = (x, y)
            self._refresh()

    def key(self, key) -> bool:
        if key in (QtCore.Qt.Key.Key_Escape, QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
            return self.finish()
        if key == QtCore.Qt.Key.Key_Backspace and self.vertices and not self.finished:
            self.vertices.pop()
            self._refresh()
            return True
        return False

    def deactivate(self) -> None:
        self.clear()


class _ModeHandler:
    """The canvas's handler of one measure tool: sets the tool's mode, then forwards."""

    def __init__(self, tool: MeasureTool, name: str):
        self.tool = tool
        self.mode = MEASURE_TOOLS[name]

    def click(self, x, y, button, double) -> bool:
        self.tool.activate(self.mode)
        return self.tool.click(x, y, button, double)

    def move(self, x, y) -> None:
        if self.tool.mode == self.mode:
            self.tool.move(x, y)

    def key(self, key) -> bool:
        return self.tool.key(key)

    def deactivate(self) -> None:
        self.tool.deactivate()
