"""The map canvas: layers of the Qt-free model drawn with pyqtgraph, north-up in RD metres.

:class:`MapCanvas` is a view on a ``layers.LayerCollection``: it subscribes to the collection and
to each layer's psygnal events (re-emitted through a Qt signal, so an event raised in a worker
thread is handled in the GUI thread) and keeps one pyqtgraph item per layer, stacked in
collection order (index 0 at the bottom). How a layer is drawn fast lives in
:mod:`gisapp.canvas_render`; the scale bar and north arrow in :mod:`gisapp.canvas_overlays`.

Drawing a layer costs nothing until it is needed, and long work stays off the GUI thread:

* a hidden layer gets no item and no snapshot until it is first shown (its extent still counts
  for "full extent"); a style or data change of a hidden layer drops its item again;
* the snapshot of a vector layer with ``BACKGROUND_MIN_FEATURES`` or more features is built in a
  worker thread when the layer is added, first shown or changed; the layer appears (or its old
  drawing is replaced) when the snapshot is ready, and ``layer_ready`` is emitted. ``set_layers``
  itself builds the visible layers at once (scripts and screenshots expect a complete map), and
  smaller layers are always built at once;
* whoever already prepared a layer's snapshot in a worker (the project loader) hands it over with
  :meth:`MapCanvas.offer_prepared` before adding the layer: the item is then made at once.

:meth:`MapCanvas.wait_for_layers` blocks until every background snapshot is on the map;
``render_to_image`` does so first, so an exported image is always complete.

Signals
-------
========================  ==============================================================
mouse_moved(x, y)         cursor position in RD metres
scale_changed(n)          the map scale changed to 1:n
extent_changed(extent)    the visible (xmin, ymin, xmax, ymax) changed
feature_clicked(x, y)     "identify" tool: a click at (x, y)
selection_requested(obj)  "select" tool: a click (x, y) or a box (xmin, ymin, xmax, ymax);
                          "select_polygon" tool: the drawn shapely Polygon
polygon_drawn(vertices)   "draw_polygon" tool: the finished polygon as [(x, y), ...]
map_clicked(x, y)         "point" tool: a click at (x, y)
tool_changed(name)        the active map tool changed
layer_ready(layer)        a snapshot prepared in a worker thread is on the map
========================  ==============================================================
"""

from __future__ import annotations

import logging
import math
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Signal

from layers import spatial_index

from .basemap import AttributionItem, BasemapItem
from .canvas_overlays import NorthArrowItem, ScaleBarItem
from .canvas_render import (
    LAYER_ITEMS,
    create_layer_item,
    item_for_snapshot,
    layer_kind,
    selection_item,
    selection_item_of_rows,
)
from .canvas_snapshot import GEOMETRY_KINDS, feature_count, snapshot_for

log = logging.getLogger(__name__)

TOOLS = ("pan", "zoom_box", "identify", "select", "draw_polygon", "select_polygon", "point")
#: Tools that place polygon vertices by clicking (double-click, right-click or Enter finishes).
_POLYGON_TOOLS = ("draw_polygon", "select_polygon")
#: Zooming to a point or a tiny feature shows at least this many metres.
MIN_ZOOM_EXTENT_M = 50.0
#: Padding around a layer, the selection or the full extent when zooming to it.
ZOOM_PADDING = 0.04
#: The view counts as settled (antialiased redraw) this long after the last pan or zoom.
SETTLE_MS = 180
#: Vector layers with at least this many features get their snapshot built in a worker thread
#: (building one takes ~0.7 s per million polygons); smaller ones are built at once.
BACKGROUND_MIN_FEATURES = 100_000
#: How often the GUI thread looks for finished background snapshots (milliseconds).
_POLL_MS = 20
_LAYER_EVENTS = {
    "visible_changed": "visible",
    "opacity_changed": "opacity",
    "style_changed": "style",
    "data_changed": "data",
}
_COLLECTION_EVENTS = ("inserted", "removed", "moved")
_CURSORS = {
    "pan": QtCore.Qt.CursorShape.OpenHandCursor,
    "zoom_box": QtCore.Qt.CursorShape.CrossCursor,
    "identify": QtCore.Qt.CursorShape.WhatsThisCursor,
    "select": QtCore.Qt.CursorShape.ArrowCursor,
    "draw_polygon": QtCore.Qt.CursorShape.CrossCursor,
    "select_polygon": QtCore.Qt.CursorShape.CrossCursor,
    "point": QtCore.Qt.CursorShape.CrossCursor,
}


class _ModelBridge(QtCore.QObject):
    """Turns psygnal events into Qt signals; queued when they come from another thread."""

    layer_event = Signal(object, str)
    collection_event = Signal()


class _Forward:
    """A psygnal callback that re-emits a Qt signal with fixed arguments (kept to disconnect)."""

    def __init__(self, signal, *args):
        self._signal = signal
        self._args = args

    def __call__(self, *event_args) -> None:
        self._signal.emit(*self._args)


def _disconnect_model(collection_connections: list, entries: dict) -> None:
    """Drop every psygnal connection (the canvas is gone; the model may live on)."""
    for signal, callback in collection_connections:
        signal.disconnect(callback)
    collection_connections.clear()
    for entry in entries.values():
        for signal, callback in entry.connections:
            signal.disconnect(callback)
        entry.connections.clear()


_executor_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None


def _snapshot_executor() -> ThreadPoolExecutor:
    """The one worker thread that builds snapshots for every canvas (started on first use)."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="canvas-snapshot")
        return _executor


@dataclass(eq=False)
class _Job:
    """A snapshot being built in the worker thread from the layer's data and style of that moment.

    When it is ready it replaces the drawing of the layer's item (or becomes a new item).
    """

    future: Future


@dataclass(eq=False)
class _Prepared:
    """What someone prepared off the GUI thread for a layer about to be added (see offer_prepared)."""

    data: object
    style: object
    snapshot: object | None
    extent: tuple | None


@dataclass
class _LayerEntry:
    layer: object
    item: object | None
    connections: list = field(default_factory=list)
    #: the snapshot being built in the background, if any
    job: _Job | None = None
    #: (data object, extent) of a layer without an item (hidden, or its snapshot is being built)
    extent: tuple | None = None


class MapViewBox(pg.ViewBox):
    """A ViewBox locked to aspect 1 that lets the canvas's map tool handle clicks and drags."""

    def __init__(self, canvas: MapCanvas):
        super().__init__(lockAspect=1.0, enableMenu=False, invertY=False, defaultPadding=0.0)
        self._canvas = canvas

    def mouseClickEvent(self, ev) -> None:
        if not self._canvas._handle_click(ev):
            super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev, axis=None) -> None:
        if not self._canvas._handle_drag(ev):
            super().mouseDragEvent(ev, axis)


class MapCanvas(QtWidgets.QWidget):
    """The map: layers from a LayerCollection, map tools, selection, scale bar and north arrow.

    Coordinates are RD New (EPSG:28992) metres, north up. See the module docstring for signals.
    """

    mouse_moved = Signal(float, float)
    scale_changed = Signal(float)
    extent_changed = Signal(tuple)
    feature_clicked = Signal(float, float)
    selection_requested = Signal(object)
    polygon_drawn = Signal(list)
    map_clicked = Signal(float, float)
    tool_changed = Signal(str)
    layer_ready = Signal(object)

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._view = pg.GraphicsView(self, background="w")
        self._view.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self._view.installEventFilter(self)
        self._vb = MapViewBox(self)
        self._vb.setLimits(minXRange=1.0, minYRange=1.0, maxXRange=2.0e6, maxYRange=2.0e6)
        self._view.setCentralItem(self._vb)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view)

        self._px_per_mm = self._view.logicalDpiX() / 25.4
        self._scale_bar = ScaleBarItem(self._vb)
        self._north_arrow = NorthArrowItem(self._vb)
        # The background map: below every layer, loaded in its own threads (gisapp.basemap).
        self._basemap = BasemapItem()
        self._vb.addItem(self._basemap, ignoreBounds=True)
        self._attribution = AttributionItem(self._vb)
        self.destroyed.connect(self._basemap.shutdown)

        self._bridge = _ModelBridge(self)
        self._bridge.layer_event.connect(self._on_layer_event)
        self._bridge.collection_event.connect(self._sync_layers)
        self._collection = None
        self._collection_connections: list = []
        self._entries: dict[int, _LayerEntry] = {}
        self._offered: dict[int, _Prepared] = {}
        self._job_timer = QtCore.QTimer(self)
        self._job_timer.setInterval(_POLL_MS)
        self._job_timer.timeout.connect(self._collect_jobs)
        # Bound to the containers, not to self: runs when the Qt side is already deleted.
        self._bridge.destroyed.connect(partial(_disconnect_model, self._collection_connections, self._entries))
        self._auto_zoom = True

        self._selection: tuple[object, np.ndarray] | None = None
        self._selection_item = None

        self._tool = "pan"
        #: tools handled outside the canvas (register_tool): name -> (handler, cursor)
        self._handlers: dict[str, tuple[object, QtCore.Qt.CursorShape]] = {}
        self._vertices: list[tuple[float, float]] = []
        self._sketch = QtWidgets.QGraphicsPathItem()
        sketch_pen = QtGui.QPen(QtGui.QColor(220, 30, 30), 1.5)
        sketch_pen.setCosmetic(True)
        self._sketch.setPen(sketch_pen)
        self._sketch.setBrush(QtGui.QColor(220, 30, 30, 40))
        self._sketch.setZValue(2e5)
        self._vb.addItem(self._sketch, ignoreBounds=True)
        self._band = QtWidgets.QGraphicsRectItem(self._vb)
        band_pen = QtGui.QPen(QtGui.QColor(30, 90, 200), 1.0)
        band_pen.setCosmetic(True)
        self._band.setPen(band_pen)
        self._band.setBrush(QtGui.QColor(30, 90, 200, 40))
        self._band.setZValue(2e6)
        self._band.hide()

        self._last_extent: tuple | None = None
        self._last_scale = 0.0
        self._signals_suspended = False
        self._settle_timer = QtCore.QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(SETTLE_MS)
        self._settle_timer.timeout.connect(self._on_settled)
        self._vb.sigRangeChanged.connect(self._on_range_changed)
        self._vb.sigResized.connect(self._on_resized)
        self._view.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.set_tool("pan")
        self._on_resized()

    # -- layers ------------------------------------------------------------------------------
    def set_layers(self, collection) -> None:
        """Show the layers of ``collection`` (a ``LayerCollection``) and follow its events."""
        for signal, callback in self._collection_connections:
            signal.disconnect(callback)
        self._collection_connections.clear()
        self._collection = collection
        if collection is not None:
            events = collection.events
            # "changed" follows every insert, remove and move; listen to the others only without it.
            names = ("changed",) if hasattr(events, "changed") else _COLLECTION_EVENTS
            for name in names:
                signal = getattr(events, name, None)
                if signal is not None:
                    callback = _Forward(self._bridge.collection_event)
                    signal.connect(callback)
                    self._collection_connections.append((signal, callback))
        self._auto_zoom = True
        self._sync_layers(background=False)

    def layers(self) -> list:
        """The layers shown, bottom first."""
        return list(self._collection) if self._collection is not None else []

    def layer_item(self, layer):
        """The pyqtgraph item drawing ``layer`` (None when it is not on the map, is hidden and was
        never shown, or its snapshot is still being built in the background)."""
        entry = self._entries.get(id(layer))
        return entry.item if entry is not None else None

    def is_preparing(self, layer=None) -> bool:
        """True while a snapshot (of ``layer``, or of any layer) is being built in the background."""
        if layer is not None:
            entry = self._entries.get(id(layer))
            return entry is not None and entry.job is not None
        return any(entry.job is not None for entry in self._entries.values())

    def wait_for_layers(self, timeout: float | None = None) -> bool:
        """Block until the snapshots being built in the background are on the map.

        Returns True when none is left (False after ``timeout`` seconds with some still busy).
        """
        futures = [entry.job.future for entry in self._entries.values() if entry.job is not None]
        if futures:
            wait_futures(futures, timeout=timeout)
        self._collect_jobs()
        return not self.is_preparing()

    def offer_prepared(self, layer, *, snapshot=None, extent=None) -> None:
        """Hand over what was prepared for ``layer`` off the GUI thread, before it is added.

        ``snapshot`` (from :func:`gisapp.canvas_snapshot.layer_snapshot`) is used when the layer
        is added while its data and style are still those it was built from: the item is then made
        at once, without building anything. ``extent`` saves computing the extent of a layer that
        is added hidden. An offer not used by the next change of the layers is dropped.
        """
        self._offered[id(layer)] = _Prepared(getattr(layer, "data", None), getattr(layer, "style", None), snapshot, extent)

    def _sync_layers(self, background: bool = True) -> None:
        layers = self.layers()
        wanted = {id(layer) for layer in layers}
        for key in [k for k in self._entries if k not in wanted]:
            self._remove_entry(key)
        for index, layer in enumerate(layers):
            entry = self._entries.get(id(layer)) or self._add_entry(layer, background)
            if entry.item is not None:
                entry.item.setZValue(index)
        self._offered.clear()  # an offer is for the very next add; a layer never added leaves nothing behind
        if self._selection is not None and id(self._selection[0]) not in wanted:
            self.clear_selection()
        if self._auto_zoom and any(self._entry_extent(e) for e in self._entries.values()):
            self.zoom_full()

    def _add_entry(self, layer, background: bool = True) -> _LayerEntry:
        entry = _LayerEntry(layer, None)
        events = layer.events
        for name, what in _LAYER_EVENTS.items():
            signal = getattr(events, name, None)
            if signal is not None:
                callback = _Forward(self._bridge.layer_event, layer, what)
                signal.connect(callback)
                entry.connections.append((signal, callback))
        self._entries[id(layer)] = entry
        offered = self._offered.pop(id(layer), None)
        if offered is not None and offered.data is getattr(layer, "data", None):
            if offered.extent is not None:
                entry.extent = (offered.data, offered.extent)
            if offered.style is not getattr(layer, "style", None):
                offered = None  # restyled meanwhile: the prepared classes are stale
        else:
            offered = None
        self._build_item(entry, background, offered.snapshot if offered is not None else None)
        return entry

    @staticmethod
    def _is_visible(layer) -> bool:
        return bool(getattr(layer, "visible", True))

    def _builds_in_background(self, layer) -> bool:
        return layer_kind(layer) in GEOMETRY_KINDS and feature_count(layer) >= BACKGROUND_MIN_FEATURES

    def _build_item(self, entry: _LayerEntry, background: bool = True, snapshot=None) -> None:
        """(Re)make the item of ``entry``: not for a hidden layer (made when first shown), in the
        worker thread for a large one when ``background``, else at once."""
        layer = entry.layer
        self._cancel_job(entry)
        if not self._is_visible(layer):
            self._drop_item(entry)  # a hidden layer costs nothing until it is shown
            return
        if snapshot is None and background and self._builds_in_background(layer):
            self._start_job(entry)
            return
        self._drop_item(entry)
        try:
            item = create_layer_item(layer, self._px_per_mm, snapshot)
        except (TypeError, ValueError, KeyError) as exc:
            log.warning("laag %r niet getekend: %s", getattr(layer, "name", layer), exc)
            return
        if item is not None:
            self._install(entry, item)

    def _install(self, entry: _LayerEntry, item) -> None:
        """Put ``item`` on the map for ``entry`` (replacing its old one) at the layer's place."""
        self._drop_item(entry)
        layer = entry.layer
        item.setVisible(self._is_visible(layer))
        item.setOpacity(float(getattr(layer, "opacity", 1.0)))
        layers = self.layers()
        if layer in layers:
            item.setZValue(layers.index(layer))
        item.set_settled(not self._settle_timer.isActive())
        self._vb.addItem(item, ignoreBounds=True)
        entry.item = item
        entry.extent = None

    def _drop_item(self, entry: _LayerEntry) -> None:
        if entry.item is not None:
            self._vb.removeItem(entry.item)
            entry.item = None

    def _start_job(self, entry: _LayerEntry, restyle: bool = False) -> None:
        """Build the layer's snapshot in the worker thread from its current data and style.

        Until it is ready the layer's current item (if any) keeps drawing. With ``restyle`` (a
        style change) and a current snapshot that matches the data, only the symbol classes are
        recomputed.
        """
        layer = entry.layer
        previous = None
        if restyle and entry.job is None and entry.item is not None:
            previous = getattr(entry.item, "snapshot", None)
        self._cancel_job(entry)
        future = _snapshot_executor().submit(
            snapshot_for, layer.data, layer.style, getattr(layer, "role", None), layer_kind(layer), previous
        )
        entry.job = _Job(future)
        if hasattr(layer, "spatial_index") and len(layer.data) >= spatial_index.BUILD_IN_BACKGROUND_FROM:
            # after the snapshot, in the same thread: identify and select query it (done when built)
            _snapshot_executor().submit(layer.spatial_index().build)
        if not self._job_timer.isActive():
            self._job_timer.start()

    @staticmethod
    def _cancel_job(entry: _LayerEntry) -> None:
        """Forget the background build of ``entry`` (a running one finishes unseen)."""
        if entry.job is not None:
            entry.job.future.cancel()
            entry.job = None

    def _collect_jobs(self) -> None:
        """Put the snapshots finished in the worker thread on the map (GUI thread, polled)."""
        busy = False
        for entry in list(self._entries.values()):
            job = entry.job
            if job is None:
                continue
            if not job.future.done():
                busy = True
                continue
            entry.job = None
            layer = entry.layer
            try:
                snapshot = job.future.result()
            except (TypeError, ValueError, KeyError) as exc:
                log.warning("laag %r niet getekend: %s", getattr(layer, "name", layer), exc)
                self._drop_item(entry)
                continue
            except Exception:  # noqa: BLE001 - a broken layer must not break the map
                log.exception("laag %r niet getekend", getattr(layer, "name", layer))
                self._drop_item(entry)
                continue
            item = entry.item
            if item is not None and type(item) is LAYER_ITEMS.get(snapshot.kind) and hasattr(item, "set_snapshot"):
                item.set_snapshot(snapshot)
            else:
                self._install(entry, item_for_snapshot(snapshot, self._px_per_mm))
            if self._selection is not None and self._selection[0] is layer:
                self.set_selection(layer, self._selection[1])
            self.layer_ready.emit(layer)
        if not busy:
            self._job_timer.stop()

    def _remove_entry(self, key: int) -> None:
        entry = self._entries.pop(key)
        for signal, callback in entry.connections:
            signal.disconnect(callback)
        self._cancel_job(entry)
        self._drop_item(entry)

    def _on_layer_event(self, layer, what: str) -> None:
        entry = self._entries.get(id(layer))
        if entry is None:
            return
        item = entry.item
        if what == "visible":
            if item is not None:
                item.setVisible(bool(layer.visible))
            elif layer.visible and entry.job is None:
                self._build_item(entry)  # shown for the first time (or since it changed)
        elif what == "opacity" and item is not None:
            item.setOpacity(float(layer.opacity))
        elif what in ("style", "data"):
            if not self._is_visible(layer) or item is None or type(item) is not LAYER_ITEMS.get(layer_kind(layer)):
                self._build_item(entry)
            elif self._builds_in_background(layer):
                self._start_job(entry, restyle=what == "style")
            else:
                self._cancel_job(entry)
                item.update_from_layer(layer, what)
            if what == "data" and self._selection is not None and self._selection[0] is layer:
                self.clear_selection()
            elif self._selection is not None and self._selection[0] is layer:
                self.set_selection(layer, self._selection[1])

    # -- view --------------------------------------------------------------------------------
    def viewport(self) -> QtWidgets.QWidget:
        """The widget that receives the mouse events (for tests and event filters)."""
        return self._view.viewport()

    def view_box(self) -> MapViewBox:
        return self._vb

    def current_extent(self) -> tuple[float, float, float, float]:
        """The visible (xmin, ymin, xmax, ymax) in RD metres."""
        rect = self._vb.viewRect()
        return (rect.left(), rect.top(), rect.left() + rect.width(), rect.top() + rect.height())

    def map_units_per_pixel(self) -> float:
        """Metres per screen pixel at the current zoom (e.g. a click tolerance)."""
        width = self._vb.width()
        return self._vb.viewRect().width() / width if width > 0 else 0.0

    def scale(self) -> float:
        """The map scale denominator N of 1:N, from the screen's logical DPI."""
        return self.map_units_per_pixel() * self._px_per_mm * 1000.0

    def zoom_to_scale(self, denominator: float) -> None:
        """Keep the centre and show the map at 1:``denominator``."""
        if not denominator > 0:
            raise ValueError(f"schaal 1:{denominator!r} moet groter dan 0 zijn")
        factor = float(denominator) / self.scale() if self.scale() > 0 else 1.0
        self._vb.scaleBy((factor, factor))

    def zoom_to_extent(self, extent) -> None:
        """Show at least ``extent`` = (xmin, ymin, xmax, ymax) in RD metres."""
        self._zoom(extent, padding=0.0)

    def zoom_full(self) -> None:
        """Show every layer."""
        extents = [e for e in (self._entry_extent(entry) for entry in list(self._entries.values())) if e]
        if extents:
            arr = np.array(extents, dtype="float64")
            self._zoom((arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max()), ZOOM_PADDING)

    def zoom_to_layer(self, layer) -> None:
        """Show the whole of ``layer``."""
        entry = self._entries.get(id(layer))
        extent = self._entry_extent(entry) if entry is not None else None
        if extent is None:
            extent = getattr(layer, "extent", None)
        if extent is not None:
            self._zoom(extent, ZOOM_PADDING)

    def zoom_to_selection(self) -> None:
        """Show the selected features (nothing happens without a selection)."""
        if self._selection_item is not None:
            extent = self._item_extent(self._selection_item)
            if extent is not None:
                self._zoom(extent, ZOOM_PADDING)

    def zoom_in(self) -> None:
        """Zoom in by a factor 2 around the centre."""
        self._auto_zoom = False
        self._vb.scaleBy((0.5, 0.5))

    def zoom_out(self) -> None:
        """Zoom out by a factor 2 around the centre."""
        self._auto_zoom = False
        self._vb.scaleBy((2.0, 2.0))

    def _zoom(self, extent, padding: float) -> None:
        values = [float(v) for v in extent]
        if len(values) != 4 or not all(math.isfinite(v) for v in values):
            raise ValueError(f"ongeldige uitsnede {extent!r}: verwacht (xmin, ymin, xmax, ymax)")
        x0, y0, x1, y1 = values
        if x1 < x0 or y1 < y0:
            raise ValueError(f"ongeldige uitsnede {extent!r}: xmax/ymax ligt onder xmin/ymin")
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        w, h = max(x1 - x0, MIN_ZOOM_EXTENT_M), max(y1 - y0, MIN_ZOOM_EXTENT_M)
        self._auto_zoom = False
        self._vb.setRange(QtCore.QRectF(cx - w / 2, cy - h / 2, w, h), padding=padding)
        # The aspect lock widened one axis of the request; make that the target too, or a later
        # pan along one axis (ViewBox.translateBy(x=...)) would snap back to the narrower request.
        self._vb.setRange(self._vb.viewRect(), padding=0.0)

    def _entry_extent(self, entry: _LayerEntry):
        """Extent of a layer on the map: its item's, else (hidden or being prepared) the layer's own."""
        if entry.item is not None:
            return self._item_extent(entry.item)
        layer = entry.layer
        if layer_kind(layer) in ("table",):
            return None
        data = getattr(layer, "data", getattr(layer, "raster", None))
        if entry.extent is None or entry.extent[0] is not data:
            try:
                extent = getattr(layer, "extent", None)
            except (TypeError, ValueError, AttributeError):
                extent = None
            entry.extent = (data, extent)
        return entry.extent[1]

    @staticmethod
    def _item_extent(item):
        if item is None:
            return None
        if hasattr(item, "extent"):
            return item.extent()
        return None

    def map_to_widget(self, x: float, y: float) -> QtCore.QPoint:
        """The viewport pixel of RD point (x, y)."""
        scene = self._vb.mapViewToScene(QtCore.QPointF(x, y))
        return self._view.mapFromScene(scene)

    def widget_to_map(self, point) -> tuple[float, float]:
        """The RD point under viewport pixel ``point`` (QPoint or QPointF)."""
        scene = self._view.mapToScene(QtCore.QPoint(int(point.x()), int(point.y())))
        p = self._vb.mapSceneToView(scene)
        return (p.x(), p.y())

    def _on_range_changed(self, *args) -> None:
        self._scale_bar.update_scale(self.map_units_per_pixel(), self._vb.height())
        for entry in self._entries.values():
            if entry.item is not None:
                entry.item.set_settled(False)
        self._settle_timer.start()
        if self._signals_suspended:
            return
        extent = self.current_extent()
        if extent != self._last_extent:
            self._last_extent = extent
            self.extent_changed.emit(extent)
        scale = self.scale()
        if scale != self._last_scale:
            self._last_scale = scale
            self.scale_changed.emit(scale)

    def _on_resized(self, *args) -> None:
        self._north_arrow.place(self._vb.width())
        self._attribution.place(self._vb.width(), self._vb.height())
        self._on_range_changed()

    # -- background map -----------------------------------------------------------------------
    def set_basemap(self, source) -> None:
        """Show a background map below every layer (a ``gisapp.basemap`` source), or none (None)."""
        self._basemap.set_source(source)
        self._attribution.set_text(self._basemap.attribution(), self._vb.width(), self._vb.height())
        self._request_basemap()

    def basemap_source(self):
        """The background map's source, None when there is none."""
        return self._basemap.source

    def basemap_item(self) -> BasemapItem:
        return self._basemap

    def attribution_text(self) -> str:
        """The attribution shown on the map (empty without a background map)."""
        return self._attribution.text

    def _request_basemap(self) -> None:
        width, height = self._vb.width(), self._vb.height()
        if self._basemap.source is not None and width > 0 and height > 0:
            self._basemap.request(self.current_extent(), self.map_units_per_pixel(), (int(width), int(height)))

    def _on_settled(self) -> None:
        self._request_basemap()
        for entry in self._entries.values():
            if entry.item is not None:
                entry.item.set_settled(True)
        if self._selection_item is not None:
            self._selection_item.set_settled(True)

    # -- selection ---------------------------------------------------------------------------
    def set_selection(self, layer, indices) -> None:
        """Highlight features of ``layer`` in yellow, on top of every layer.

        Parameters
        ----------
        layer : a vector layer on the map.
        indices : positional row numbers (0 … n-1) into ``layer.data``, or a boolean mask.
        """
        entry = self._entries.get(id(layer))
        if entry is None or layer_kind(layer) not in GEOMETRY_KINDS:
            raise ValueError(f"laag {getattr(layer, 'name', layer)!r} staat niet als vectorlaag op de kaart")
        # The item's snapshot when it matches the data; else (hidden, being prepared) the rows.
        snapshot = getattr(entry.item, "snapshot", None) if entry.job is None else None
        n = snapshot.n if snapshot is not None else feature_count(layer)
        ids = np.asarray(indices)
        if ids.dtype == bool:
            if ids.shape != (n,):
                raise ValueError(f"selectiemasker heeft {ids.size} waarden voor {n} objecten")
            ids = np.flatnonzero(ids)
        ids = ids.astype(np.int64).ravel()
        if len(ids) and (ids.min() < 0 or ids.max() >= n):
            raise ValueError(f"selectie bevat rijnummers buiten 0…{n - 1}")
        self._drop_selection_item()
        self._selection = (layer, ids)
        if len(ids):
            if snapshot is not None:
                self._selection_item = selection_item(snapshot, ids, self._px_per_mm)
            else:
                self._selection_item = selection_item_of_rows(layer, ids, self._px_per_mm)
            self._selection_item.setZValue(1e5)
            self._vb.addItem(self._selection_item, ignoreBounds=True)

    def clear_selection(self) -> None:
        """Remove the highlight."""
        self._drop_selection_item()
        self._selection = None

    def selection(self) -> tuple[object, np.ndarray] | None:
        """(layer, positional indices) of the highlighted features, or None."""
        return self._selection

    def _drop_selection_item(self) -> None:
        if self._selection_item is not None:
            self._vb.removeItem(self._selection_item)
            self._selection_item = None

    # -- map tools ---------------------------------------------------------------------------
    def register_tool(self, name: str, handler, cursor=QtCore.Qt.CursorShape.CrossCursor) -> None:
        """Add a map tool whose clicks, moves and keys ``handler`` takes (``gisapp.measure_tool``).

        ``handler`` has ``click(x, y, button, double) -> bool``, ``move(x, y)``,
        ``key(key) -> bool`` and ``deactivate()`` (called when another tool is chosen). A drag
        with such a tool still pans the map.
        """
        if name in TOOLS:
            raise ValueError(f"kaartgereedschap {name!r} bestaat al")
        self._handlers[name] = (handler, cursor)

    def _handler(self):
        entry = self._handlers.get(self._tool)
        return entry[0] if entry is not None else None

    def set_tool(self, name: str) -> None:
        """Activate a map tool: one of ``TOOLS`` or a registered one."""
        if name not in TOOLS and name not in self._handlers:
            raise ValueError(f"onbekend kaartgereedschap {name!r}: kies uit {', '.join((*TOOLS, *self._handlers))}")
        self.cancel_drawing()
        self._band.hide()
        previous = self._handler()
        self._tool = name
        if previous is not None and previous is not self._handler():
            previous.deactivate()
        self._vb.setMouseMode(pg.ViewBox.RectMode if name == "zoom_box" else pg.ViewBox.PanMode)
        self._view.viewport().setCursor(_CURSORS[name] if name in _CURSORS else self._handlers[name][1])
        self.tool_changed.emit(name)

    def tool(self) -> str:
        return self._tool

    def drawing_vertices(self) -> list[tuple[float, float]]:
        """The vertices placed so far with the "draw_polygon" tool."""
        return list(self._vertices)

    def finish_drawing(self) -> bool:
        """Emit ``polygon_drawn`` ("select_polygon": ``selection_requested`` with the polygon)
        when at least three vertices are placed; True when emitted."""
        if len(self._vertices) < 3:
            return False
        vertices = list(self._vertices)
        self.cancel_drawing()
        if self._tool == "select_polygon":
            import shapely

            self.selection_requested.emit(shapely.make_valid(shapely.Polygon(vertices)))
        else:
            self.polygon_drawn.emit(vertices)
        return True

    def cancel_drawing(self) -> None:
        """Drop the polygon being drawn."""
        self._vertices = []
        self._update_sketch(None)

    def _handle_click(self, ev) -> bool:
        point = self._vb.mapToView(ev.pos())
        x, y = point.x(), point.y()
        left = ev.button() == QtCore.Qt.MouseButton.LeftButton
        tool = self._tool
        handler = self._handler()
        if handler is not None:
            if handler.click(x, y, ev.button(), ev.double()):
                ev.accept()
                return True
            return False
        if tool in _POLYGON_TOOLS:
            if left and ev.double():
                self.finish_drawing()
            elif left:
                self._vertices.append((x, y))
                self._update_sketch(None)
            elif ev.button() == QtCore.Qt.MouseButton.RightButton:
                self.finish_drawing()
            ev.accept()
            return True
        if not left or ev.double():
            return False
        if tool == "identify":
            self.feature_clicked.emit(x, y)
        elif tool == "select":
            self.selection_requested.emit((x, y))
        elif tool == "point":
            self.map_clicked.emit(x, y)
        elif tool == "zoom_box":
            self._auto_zoom = False
            self._vb.scaleBy((0.5, 0.5), center=point)
        else:
            return False
        ev.accept()
        return True

    def _handle_drag(self, ev) -> bool:
        if self._tool != "select" or ev.button() != QtCore.Qt.MouseButton.LeftButton:
            if ev.isStart():
                self._auto_zoom = False
            return False
        ev.accept()
        rect = QtCore.QRectF(ev.buttonDownPos(), ev.pos()).normalized()
        if ev.isFinish():
            self._band.hide()
            a = self._vb.mapToView(rect.topLeft())
            b = self._vb.mapToView(rect.bottomRight())
            self.selection_requested.emit((min(a.x(), b.x()), min(a.y(), b.y()), max(a.x(), b.x()), max(a.y(), b.y())))
        else:
            self._band.setRect(rect)
            self._band.show()
        return True

    def _update_sketch(self, cursor: tuple[float, float] | None) -> None:
        points = list(self._vertices) + ([cursor] if cursor is not None and self._vertices else [])
        path = QtGui.QPainterPath()
        if points:
            path.addPolygon(QtGui.QPolygonF([QtCore.QPointF(px, py) for px, py in points]))
            if len(points) > 2:
                path.closeSubpath()
        self._sketch.setPath(path)

    def _on_scene_mouse_moved(self, scene_pos) -> None:
        if not self._vb.sceneBoundingRect().contains(scene_pos):
            return
        point = self._vb.mapSceneToView(scene_pos)
        if self._tool in _POLYGON_TOOLS and self._vertices:
            self._update_sketch((point.x(), point.y()))
        handler = self._handler()
        if handler is not None:
            handler.move(point.x(), point.y())
        self.mouse_moved.emit(point.x(), point.y())

    def eventFilter(self, watched, event) -> bool:
        if watched is self._view and event.type() == QtCore.QEvent.Type.KeyPress:
            return self._handle_key(event.key())
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if not self._handle_key(event.key()):
            super().keyPressEvent(event)

    def _handle_key(self, key: int) -> bool:
        handler = self._handler()
        if handler is not None:
            return bool(handler.key(key))
        if self._tool not in _POLYGON_TOOLS:
            return False
        if key in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
            self.finish_drawing()
            return True
        if key == QtCore.Qt.Key.Key_Escape:
            self.cancel_drawing()
            return True
        if key == QtCore.Qt.Key.Key_Backspace and self._vertices:
            self._vertices.pop()
            self._update_sketch(None)
            return True
        return False

    # -- output ------------------------------------------------------------------------------
    def render_to_image(self, width: int, height: int) -> QtGui.QImage:
        """The current extent (kept centred, widened to the image's aspect) as a ``width × height`` image.

        Includes the scale bar and north arrow; the canvas on screen is left as it was.
        """
        width, height = int(width), int(height)
        if width <= 0 or height <= 0:
            raise ValueError(f"afbeeldingsgrootte {width}×{height} moet positief zijn")
        self.wait_for_layers()  # an image shows every visible layer, also one being prepared
        image = QtGui.QImage(width, height, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QtGui.QColor("white"))
        vb = self._vb
        old_geometry = vb.geometry()
        old_range = vb.viewRect()
        auto_zoom = self._auto_zoom
        self._signals_suspended = True
        items = [e.item for e in self._entries.values() if e.item is not None]
        try:
            vb.setGeometry(QtCore.QRectF(0, 0, width, height))
            vb.setRange(old_range, padding=0.0)
            for item in items:
                item.set_settled(True)
            # the background map of this extent and size, from what is on disk (never the network)
            self._basemap.fill_from_disk(self.current_extent(), self.map_units_per_pixel(), (width, height))
            painter = QtGui.QPainter(image)
            try:
                self._view.scene().render(painter, QtCore.QRectF(0, 0, width, height), vb.mapRectToScene(vb.rect()))
            finally:
                painter.end()
        finally:
            vb.setGeometry(old_geometry)
            vb.setRange(old_range, padding=0.0)
            self._auto_zoom = auto_zoom
            self._signals_suspended = False
        return image
