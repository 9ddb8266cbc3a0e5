"""pyqtgraph items that draw one layer each, batched (never one Qt item per feature).

Vector layers (polygons, lines) are drawn by :class:`VectorLayerItem` from an immutable
:class:`~gisapp.canvas_snapshot.VectorSnapshot`. Every paint call:

1. culls features by their bounding boxes against the view (a few vectorised comparisons; the
   whole set when the view holds the layer's extent);
2. splits the visible features by their size on screen (level of detail). Features smaller than
   ``SPLAT_PX`` pixels are *splatted*: their bounding-box pixels are written into one ARGB image
   with numpy and drawn with a single ``drawImage`` (a million buildings at full extent cost a few
   tens of milliseconds, and look as QGIS draws them: one or two pixels each). When more than
   ``PATH_BUDGET`` features are larger, the splat threshold rises (up to ``SPLAT_MAX_PX``) so a
   frame stays within budget;
3. draws the remaining features per symbol class as one ``QPainterPath`` built with
   ``arrayToQPath(x, y, connect)``, filled and stroked
   with one call. Pens are cosmetic: widths in screen pixels whatever the zoom. Rings are
   oriented in the snapshot (exteriors counter-clockwise, holes clockwise) and paths use the
   non-zero winding rule: holes stay empty and overlapping features of one class stay filled.

Antialiasing is used only when the view has settled and the frame holds few vertices.
Point layers use a ``ScatterPlotItem`` with per-class brushes, rasters an ``ImageItem`` with a
colour lookup from the ``RasterStyle`` ramp.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.functions import arrayToQPath
from PySide6 import QtCore, QtGui

from styles import SymbolStyle, color_to_rgba, symbol_for_features

from .canvas_snapshot import VectorSnapshot, build_vector_snapshot, raster_rgba, resolve_style

#: Features whose bounding box is smaller than this many pixels are splatted into an image.
SPLAT_PX = 2.0
#: Upper bound of the adaptive splat threshold (bounding boxes larger than this look wrong).
SPLAT_MAX_PX = 5.0
#: At most this many features are drawn as vector paths per frame (when splatting can take over):
#: Qt fills and strokes about a million small polygons per second on one core.
PATH_BUDGET = 20_000
#: Antialias only frames with fewer path vertices than this (and only once the view settles):
#: antialiased filling and stroking costs ~15× more than aliased.
AA_VERTEX_BUDGET = 10_000
#: Symbol of selected features: a yellow outline drawn on top of everything.
SELECTION_SYMBOL = SymbolStyle(fill="#00000000", stroke="#ffff00ff", stroke_width=0.6, marker_size=3.5)

_HATCH_STYLES = {
    "diagonal": QtCore.Qt.BrushStyle.BDiagPattern,
    "cross": QtCore.Qt.BrushStyle.DiagCrossPattern,
}


def qcolor(value: str) -> QtGui.QColor:
    """``"#rrggbbaa"`` → QColor (Qt itself would read eight hex digits as ``#aarrggbb``)."""
    return QtGui.QColor(*color_to_rgba(value))


def layer_kind(layer) -> str:
    """"raster", or the vector layer's geometry kind ("polygon", "line", "point")."""
    if getattr(layer, "raster", None) is not None:
        return "raster"
    return getattr(layer, "geometry_kind", None) or "polygon"


def symbol_pen(symbol: SymbolStyle, px_per_mm: float, *, minimum: float = 1.0) -> QtGui.QPen:
    """Cosmetic outline pen of ``symbol`` (NoPen when it has no visible outline)."""
    color = qcolor(symbol.stroke)
    if symbol.stroke_width <= 0 or color.alpha() == 0:
        return QtGui.QPen(QtCore.Qt.PenStyle.NoPen)
    pen = QtGui.QPen(color)
    pen.setCosmetic(True)
    pen.setWidthF(max(minimum, symbol.stroke_width * px_per_mm))
    pen.setJoinStyle(QtCore.Qt.PenJoinStyle.MiterJoin)
    return pen


def symbol_brush(symbol: SymbolStyle) -> QtGui.QBrush:
    """Fill brush of ``symbol``: solid, a hatch pattern in the fill colour, or NoBrush."""
    color = qcolor(symbol.fill)
    if color.alpha() == 0:
        return QtGui.QBrush(QtCore.Qt.BrushStyle.NoBrush)
    if symbol.hatch:
        return QtGui.QBrush(color, _HATCH_STYLES[symbol.hatch])
    return QtGui.QBrush(color)


def _premultiplied_argb(rgba: tuple[int, int, int, int]) -> int:
    r, g, b, a = rgba
    return (a << 24) | ((r * a // 255) << 16) | ((g * a // 255) << 8) | (b * a // 255)


def splat_colors(symbols, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Premultiplied ARGB32 colours of features drawn as a few pixels, per symbol class.

    Returns (inside, outline). Polygons show their fill (the class colour) or, without fill, their
    outline; a hatch covers about half the area, so its colour is drawn at half strength. Features
    of three pixels and more get their outline colour on the border pixels (0: no outline).
    Lines show their stroke.
    """
    inside = np.zeros(len(symbols), dtype=np.uint32)
    outline = np.zeros(len(symbols), dtype=np.uint32)
    for code, symbol in enumerate(symbols):
        fill = color_to_rgba(symbol.fill)
        stroke = color_to_rgba(symbol.stroke) if symbol.stroke_width > 0 else (0, 0, 0, 0)
        if kind == "polygon" and fill[3] > 0:
            inside[code] = _premultiplied_argb(fill if not symbol.hatch else (*fill[:3], fill[3] // 2))
            outline[code] = _premultiplied_argb(stroke)
        else:
            inside[code] = _premultiplied_argb(stroke)
    return inside, outline


def _element_path_builder():
    """A fast ``(x, y, connect) -> QPainterPath`` writing the path's element array directly.

    Qt parses ``arrayToQPath``'s QDataStream at ~150 ns per vertex; writing the elements through
    pyqtgraph's ``get_qpainterpath_element_array`` (its "experimental" path, which tracks Qt's
    private layout per version) is ~40× faster. It is checked once against Qt's own construction
    and not used when the result differs or the internals are unavailable.
    """
    try:
        from pyqtgraph.Qt.internals import get_qpainterpath_element_array
    except ImportError:
        return None

    def build(x, y, connect):
        path = QtGui.QPainterPath()
        if len(x) == 0:
            return path
        elements = get_qpainterpath_element_array(path, len(x))
        elements["x"] = x
        elements["y"] = y
        elements["c"][0] = 0  # MoveToElement
        elements["c"][1:] = connect[:-1]  # 1 = LineToElement
        return path

    x = np.array([0.0, 10.0, 10.0, 0.0, 0.0, 20.0, 30.0, 25.0, 20.0])
    y = np.array([0.0, 0.0, 10.0, 10.0, 0.0, 20.0, 20.0, 30.0, 20.0])
    connect = np.array([1, 1, 1, 1, 0, 1, 1, 1, 0], dtype=np.int32)
    try:
        fast = build(x, y, connect)
        reference = arrayToQPath(x, y, connect=connect, finiteCheck=False)
        same = fast.elementCount() == reference.elementCount() and all(
            (fast.elementAt(i).x, fast.elementAt(i).y, fast.elementAt(i).type)
            == (reference.elementAt(i).x, reference.elementAt(i).y, reference.elementAt(i).type)
            for i in range(reference.elementCount())
        )
        same = same and fast.boundingRect() == reference.boundingRect()
        same = same and fast.contains(QtCore.QPointF(5, 5)) and not fast.contains(QtCore.QPointF(15, 5))
    except Exception:  # noqa: BLE001 - any failure of the private-layout probe means: do not use it
        return None
    return build if same else None


_FAST_PATH = _element_path_builder()


def array_path(x: np.ndarray, y: np.ndarray, connect: np.ndarray) -> QtGui.QPainterPath:
    """QPainterPath of vertices ``x, y``; ``connect[i] == 1`` joins vertex i to i + 1."""
    if _FAST_PATH is not None:
        return _FAST_PATH(x, y, connect)
    return arrayToQPath(x, y, connect=np.asarray(connect, dtype=np.int32), finiteCheck=False)


class VectorLayerItem(pg.GraphicsObject):
    """Draws all features of one polygon or line layer from a snapshot (see the module docstring).

    Parameters
    ----------
    snapshot : the layer's VectorSnapshot.
    px_per_mm : screen pixels per millimetre, to turn symbol widths (mm) into pen widths.
    """

    def __init__(self, snapshot: VectorSnapshot, px_per_mm: float = 96 / 25.4):
        super().__init__()
        self._px_per_mm = float(px_per_mm)
        self._settled = True
        self._path_cache: dict[int, tuple[bytes, QtGui.QPainterPath, int]] = {}
        self.last_frame: dict[str, int] = {}
        self.set_snapshot(snapshot)

    @classmethod
    def from_layer(cls, layer, px_per_mm: float) -> VectorLayerItem:
        return cls(_layer_snapshot(layer), px_per_mm)

    def update_from_layer(self, layer, what: str) -> None:
        """Rebuild after a layer event: ``"style"`` keeps the vertices, ``"data"`` rebuilds all."""
        self.set_snapshot(_layer_snapshot(layer, self._snapshot if what == "style" else None))

    @property
    def snapshot(self) -> VectorSnapshot:
        return self._snapshot

    def set_snapshot(self, snapshot: VectorSnapshot) -> None:
        """Swap in a new snapshot and schedule a repaint."""
        self.prepareGeometryChange()
        self._snapshot = snapshot
        self._span = snapshot.span
        drawn_mask = (snapshot.codes >= 0) & np.isfinite(snapshot.bx0)
        self._drawn_mask = drawn_mask
        self._drawn = np.flatnonzero(drawn_mask)
        self._extent = snapshot.bounds_of(self._drawn)
        self._splat_inside, self._splat_outline = splat_colors(snapshot.symbols, snapshot.kind)
        self._paints = [self._symbol_paint(s) for s in snapshot.symbols]
        self._path_cache.clear()
        if self._extent is None:
            self._rect = QtCore.QRectF()
        else:
            x0, y0, x1, y1 = self._extent
            self._rect = QtCore.QRectF(x0, y0, max(x1 - x0, 1e-6), max(y1 - y0, 1e-6))
        self.informViewBoundsChanged()
        self.update()

    def extent(self) -> tuple[float, float, float, float] | None:
        """(xmin, ymin, xmax, ymax) of the drawn features, or None."""
        return self._extent

    def set_px_per_mm(self, px_per_mm: float) -> None:
        self._px_per_mm = float(px_per_mm)
        self._paints = [self._symbol_paint(s) for s in self._snapshot.symbols]
        self.update()

    def set_settled(self, settled: bool) -> None:
        """While the view moves, frames skip antialiasing; a settled view is redrawn with it."""
        if settled != self._settled:
            self._settled = settled
            if settled:
                self.update()

    def _symbol_paint(self, symbol: SymbolStyle) -> tuple[QtGui.QPen, QtGui.QBrush]:
        brush = symbol_brush(symbol) if self._snapshot.kind == "polygon" else QtGui.QBrush()
        return symbol_pen(symbol, self._px_per_mm), brush

    # -- pyqtgraph item contract -------------------------------------------------------------
    def boundingRect(self) -> QtCore.QRectF:
        return QtCore.QRectF(self._rect)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        if self._extent is None:
            return [None, None]
        return [self._extent[ax], self._extent[ax + 2]]

    def paint(self, painter: QtGui.QPainter, option=None, widget=None) -> None:
        vb = self.getViewBox()
        if vb is None or len(self._drawn) == 0:
            return
        transform = painter.transform()
        sx, sy = transform.m11(), transform.m22()
        if sx == 0 or sy == 0:
            return
        view = vb.viewRect()
        ids = self._visible(view)
        self.last_frame = {"visible": int(len(ids)), "splatted": 0, "paths": 0, "vertices": 0}
        if len(ids) == 0:
            return
        span_px = self._span[ids] * abs(sx)
        threshold = SPLAT_PX
        large = span_px >= threshold
        n_large = int(large.sum())
        if n_large > PATH_BUDGET:
            kth = len(span_px) - PATH_BUDGET
            threshold = min(SPLAT_MAX_PX, float(np.partition(span_px, kth)[kth]))
            large = span_px >= threshold
        small_ids, large_ids = ids[~large], ids[large]
        if len(small_ids):
            self._splat(painter, small_ids, transform, view, threshold)
            self.last_frame["splatted"] = int(len(small_ids))
        if len(large_ids):
            self._draw_paths(painter, large_ids)

    # -- drawing -----------------------------------------------------------------------------
    def _visible(self, view: QtCore.QRectF) -> np.ndarray:
        x0, y0 = view.x(), view.y()
        x1, y1 = x0 + view.width(), y0 + view.height()
        ex0, ey0, ex1, ey1 = self._extent
        if x0 <= ex0 and y0 <= ey0 and x1 >= ex1 and y1 >= ey1:
            return self._drawn
        snap = self._snapshot
        mask = (snap.bx0 <= x1) & (snap.bx1 >= x0) & (snap.by0 <= y1) & (snap.by1 >= y0)
        mask &= self._drawn_mask
        return np.flatnonzero(mask)

    def _splat(self, painter, ids, transform, view, threshold) -> None:
        """Write the bounding-box pixels of features ``ids`` into one image and draw it."""
        snap = self._snapshot
        dpr = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        device_view = transform.mapRect(view)
        ox, oy = np.floor(device_view.left()), np.floor(device_view.top())
        width = int(min(np.ceil((device_view.right() - ox) * dpr), 16384))
        height = int(min(np.ceil((device_view.bottom() - oy) * dpr), 16384))
        if width <= 0 or height <= 0:
            return
        sx, sy = transform.m11() * dpr, transform.m22() * dpr
        dx, dy = (transform.dx() - ox) * dpr, (transform.dy() - oy) * dpr
        ax = snap.bx0[ids] * sx + dx
        bx = snap.bx1[ids] * sx + dx
        ay = snap.by0[ids] * sy + dy
        by = snap.by1[ids] * sy + dy
        c0 = np.clip(np.floor(np.minimum(ax, bx)), 0, width - 1).astype(np.int64)
        c1 = np.clip(np.floor(np.maximum(ax, bx)), 0, width - 1).astype(np.int64)
        r0 = np.clip(np.floor(np.minimum(ay, by)), 0, height - 1).astype(np.int64)
        r1 = np.clip(np.floor(np.maximum(ay, by)), 0, height - 1).astype(np.int64)
        codes = snap.codes[ids]
        pixels = np.zeros(width * height, dtype=np.uint32)
        base = r0 * width + c0
        pixels[base] = self._splat_inside[codes]
        extra_w, extra_h = c1 - c0, r1 - r0
        wide = np.flatnonzero((extra_w > 0) | (extra_h > 0))
        if len(wide):
            limit = int(np.ceil(threshold * dpr))
            base, codes = base[wide], codes[wide]
            inside, outline = self._splat_inside[codes], self._splat_outline[codes]
            extra_w = np.minimum(extra_w[wide], limit)
            extra_h = np.minimum(extra_h[wide], limit)
            outlined = (extra_w >= 2) & (extra_h >= 2) & (outline != 0)
            for ddy in range(int(extra_h.max()) + 1):
                for ddx in range(int(extra_w.max()) + 1):
                    hit = (extra_w >= ddx) & (extra_h >= ddy)
                    border = outlined & ((ddx == 0) | (ddy == 0) | (extra_w == ddx) | (extra_h == ddy))
                    pixels[base[hit] + ddy * width + ddx] = np.where(border, outline, inside)[hit]
        image = QtGui.QImage(pixels.data, width, height, width * 4, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(dpr)
        painter.save()
        painter.resetTransform()
        painter.drawImage(QtCore.QPointF(ox, oy), image)
        painter.restore()

    def _draw_paths(self, painter, ids) -> None:
        """One path per symbol class, filled and stroked with one call each."""
        snap = self._snapshot
        codes = snap.codes[ids]
        order = np.argsort(codes, kind="stable")
        ids, codes = ids[order], codes[order]
        cuts = np.flatnonzero(np.diff(codes)) + 1
        groups = [(int(codes[start]), ids[start:end]) for start, end in zip(np.r_[0, cuts], np.r_[cuts, len(ids)])]
        paths = [(code, *self._path(code, group)) for code, group in groups]
        vertices = sum(n for _, _, n in paths)
        self.last_frame["paths"] = len(paths)
        self.last_frame["vertices"] = vertices
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, self._settled and vertices <= AA_VERTEX_BUDGET)
        for code, path, _ in paths:
            pen, brush = self._paints[code]
            painter.setPen(pen)
            painter.setBrush(brush)
            painter.drawPath(path)

    def _path(self, code: int, ids: np.ndarray) -> tuple[QtGui.QPainterPath, int]:
        """The path of features ``ids``; the last one per class is reused while the set is unchanged."""
        key = ids.tobytes()
        cached = self._path_cache.get(code)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        x, y, connect = self._snapshot.gather(ids)
        path = array_path(x, y, connect)
        # Rings are oriented in the snapshot: holes cut out, overlapping features stay filled.
        path.setFillRule(QtCore.Qt.FillRule.WindingFill)
        self._path_cache[code] = (key, path, len(x))
        return path, len(x)


class PointLayerItem(pg.ScatterPlotItem):
    """Draws a point layer as one scatter item with a brush, pen and size per symbol class."""

    def __init__(self, snapshot: VectorSnapshot, px_per_mm: float = 96 / 25.4):
        super().__init__(pxMode=True)
        self._px_per_mm = float(px_per_mm)
        self.set_snapshot(snapshot)

    @classmethod
    def from_layer(cls, layer, px_per_mm: float) -> PointLayerItem:
        return cls(_layer_snapshot(layer), px_per_mm)

    def update_from_layer(self, layer, what: str) -> None:
        self.set_snapshot(_layer_snapshot(layer, self._snapshot if what == "style" else None))

    @property
    def snapshot(self) -> VectorSnapshot:
        return self._snapshot

    def extent(self) -> tuple[float, float, float, float] | None:
        """(xmin, ymin, xmax, ymax) of the drawn points, or None."""
        return self._extent

    def set_snapshot(self, snapshot: VectorSnapshot) -> None:
        self._snapshot = snapshot
        self._extent = snapshot.bounds_of(snapshot.drawn)
        counts = np.diff(snapshot.feature_rings)
        feature = np.repeat(np.arange(snapshot.n), counts)
        starts = snapshot.ring_offsets[:-1]
        codes = snapshot.codes[feature]
        keep = codes >= 0
        codes = codes[keep]
        symbols = snapshot.symbols
        brushes = np.empty(len(symbols), dtype=object)
        pens = np.empty(len(symbols), dtype=object)
        brushes[:] = [symbol_brush(s) for s in symbols]
        pens[:] = [symbol_pen(s, self._px_per_mm, minimum=0.0) for s in symbols]
        sizes = np.array([s.marker_size * self._px_per_mm for s in symbols], dtype="float64")
        self.setData(
            x=snapshot.x[starts[keep]],
            y=snapshot.y[starts[keep]],
            data=feature[keep],
            brush=list(brushes[codes]),
            pen=list(pens[codes]),
            size=sizes[codes] if len(symbols) else 1.0,
            symbol="o",
        )

    def set_settled(self, settled: bool) -> None:
        """Scatter items draw cached symbol pixmaps; nothing to switch."""


class RasterLayerItem(pg.ImageItem):
    """Draws a raster layer as one image coloured by its RasterStyle, placed by its affine."""

    def __init__(self, raster, style):
        super().__init__(axisOrder="row-major")
        self.set_raster(raster, style)

    @classmethod
    def from_layer(cls, layer, px_per_mm: float) -> RasterLayerItem:
        return cls(layer.raster, resolve_style(layer.style, layer.role, layer.raster))

    def update_from_layer(self, layer, what: str) -> None:
        self.set_raster(layer.raster, resolve_style(layer.style, layer.role, layer.raster))

    def set_raster(self, raster, style) -> None:
        self._bounds = raster.bounds
        self.setImage(raster_rgba(raster.array, style), autoLevels=False)
        t = raster.transform
        self.setTransform(QtGui.QTransform(t.a, t.d, t.b, t.e, t.c, t.f))

    def extent(self) -> tuple[float, float, float, float]:
        return self._bounds

    def set_settled(self, settled: bool) -> None:
        """Images are drawn in one call; nothing to switch."""


def _layer_snapshot(layer, previous: VectorSnapshot | None = None) -> VectorSnapshot:
    """Snapshot of a vector layer; with ``previous`` only the symbol classes are recomputed."""
    style = resolve_style(layer.style, getattr(layer, "role", None), layer.data)
    if previous is not None and previous.n == len(layer.data):
        codes, symbols = symbol_for_features(style, layer.data)
        return previous.restyled(codes, symbols)
    return build_vector_snapshot(layer.data, style, kind=layer_kind(layer))


#: Which item draws which kind of layer (CONVENTIONS.md: views looked up in a dict).
LAYER_ITEMS = {
    "polygon": VectorLayerItem,
    "line": VectorLayerItem,
    "point": PointLayerItem,
    "raster": RasterLayerItem,
}


#: Layers without geometry (attribute tables) have no item.
NOT_DRAWN = ("table",)


def create_layer_item(layer, px_per_mm: float):
    """The canvas item for ``layer``, None for a table without geometry.

    Raises ``TypeError`` for a kind of layer the canvas cannot draw.
    """
    kind = layer_kind(layer)
    if kind in NOT_DRAWN:
        return None
    try:
        item_type = LAYER_ITEMS[kind]
    except KeyError:
        raise TypeError(f"de kaart kan laag {getattr(layer, 'name', layer)!r} van soort {kind!r} niet tekenen") from None
    return item_type.from_layer(layer, px_per_mm)


def selection_item(snapshot: VectorSnapshot, ids: np.ndarray, px_per_mm: float):
    """An item drawing features ``ids`` of ``snapshot`` as yellow outlines."""
    subset = snapshot.subset(ids)
    subset = subset.restyled(np.zeros(subset.n, dtype=np.int64), [SELECTION_SYMBOL])
    item_type = PointLayerItem if snapshot.kind == "point" else VectorLayerItem
    return item_type(subset, px_per_mm)
