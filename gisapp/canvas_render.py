"""pyqtgraph items that draw one layer each, batched (never one Qt item per feature).

Vector layers (polygons, lines) are drawn by :class:`VectorLayerItem` from an immutable
:class:`~gisapp.canvas_snapshot.VectorSnapshot`. Every paint call:

1. culls features by their bounding boxes against the view (a few vectorised comparisons; the
   whole set when the view holds the layer's extent);
2. splits the visible features by their size on screen (level of detail). Features smaller than
   ``SPLAT_PX`` pixels are *splatted*: their bounding-box pixels (one centre pixel when under a
   pixel, an outline from three pixels up) are written into one ARGB image with numpy and drawn
   with a single ``drawImage``; they look as QGIS draws them at that size. When more than
   ``PATH_BUDGET`` features are larger, the splat threshold rises (up to ``SPLAT_MAX_PX``) so a
   frame stays within budget. With ``OVERVIEW_MIN_FEATURES`` or more features in view (a city or
   the country at full extent) the splat image of the *whole layer* is cached (the overview):
   pan frames only draw part of it, zoom frames draw it scaled while the view moves, and it is
   rebuilt for the new zoom once the view settles;
3. draws the remaining features per symbol class as one ``QPainterPath`` (built from the vertex
   arrays by writing the path's element array, see :func:`array_path`), filled and stroked with
   one call. Pens are cosmetic: widths in screen pixels whatever the zoom. The snapshot gives all
   exteriors one orientation and all holes the other, and paths use the non-zero winding rule:
   holes stay empty and overlapping features of one class stay filled.

Antialiasing is used only when the view has settled and the frame holds few vertices.
Point layers use a ``ScatterPlotItem`` with per-class brushes, rasters an ``ImageItem`` with a
colour lookup from the ``RasterStyle`` ramp.
"""

from __future__ import annotations

from dataclasses import dataclass

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
#: Frames with at least this many visible features draw from the cached overview image.
OVERVIEW_MIN_FEATURES = 150_000
#: The overview covers the whole layer; it is only made when that takes at most this many pixels.
OVERVIEW_MAX_PIXELS = 3000 * 3000
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


def stroke_rgba(symbol: SymbolStyle, px_per_mm: float) -> tuple[tuple[int, int, int, int], float]:
    """Outline colour and pen width in pixels (at least 1).

    A thinner outline (0.1 mm is 0.4 px on a 96 dpi screen) is drawn one pixel wide with its
    alpha scaled by its width, as antialiasing would cover the pixel: hairlines around small
    buildings then do not hide their fill colour.
    """
    r, g, b, a = color_to_rgba(symbol.stroke)
    width = symbol.stroke_width * px_per_mm
    if width <= 0 or a == 0:
        return (r, g, b, 0), 0.0
    if width < 1.0:
        return (r, g, b, int(round(a * max(width, 0.25)))), 1.0
    return (r, g, b, a), width


def symbol_pen(symbol: SymbolStyle, px_per_mm: float) -> QtGui.QPen:
    """Cosmetic outline pen of ``symbol`` (NoPen when it has no visible outline)."""
    rgba, width = stroke_rgba(symbol, px_per_mm)
    if rgba[3] == 0:
        return QtGui.QPen(QtCore.Qt.PenStyle.NoPen)
    pen = QtGui.QPen(QtGui.QColor(*rgba))
    pen.setCosmetic(True)
    pen.setWidthF(width)
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


def _premultiplied(rgba) -> np.ndarray:
    r, g, b, a = (float(v) for v in rgba)
    return np.array([r * a / 255, g * a / 255, b * a / 255, a])


def _argb32(premultiplied: np.ndarray) -> int:
    r, g, b, a = (int(round(v)) for v in premultiplied)
    return (a << 24) | (r << 16) | (g << 8) | b


def splat_colors(symbols, kind: str, px_per_mm: float) -> tuple[np.ndarray, np.ndarray]:
    """Premultiplied ARGB32 colours of features drawn as a few pixels, per symbol class.

    Returns (inside, outline). Polygons show their fill (the class colour) or, without fill, their
    outline; a hatch covers about half the area, so its colour is drawn at half strength. Features
    of three pixels and more get their outline (composited over the fill, as a pen over a brush)
    on the border pixels (0: no outline). Lines show their stroke.
    """
    inside = np.zeros(len(symbols), dtype=np.uint32)
    outline = np.zeros(len(symbols), dtype=np.uint32)
    for code, symbol in enumerate(symbols):
        fill = color_to_rgba(symbol.fill)
        stroke = _premultiplied(stroke_rgba(symbol, px_per_mm)[0])
        if kind == "polygon" and fill[3] > 0:
            body = _premultiplied(fill if not symbol.hatch else (*fill[:3], fill[3] // 2))
            inside[code] = _argb32(body)
            if stroke[3] > 0:
                outline[code] = _argb32(stroke + body * (1.0 - stroke[3] / 255))
        else:
            inside[code] = _argb32(stroke)
    return inside, outline


def _argb_image(pixels: np.ndarray, width: int, height: int) -> QtGui.QImage:
    """A QImage over ``pixels`` (premultiplied ARGB32, not copied: keep ``pixels`` alive)."""
    return QtGui.QImage(pixels.data, width, height, width * 4, QtGui.QImage.Format.Format_ARGB32_Premultiplied)


@dataclass(frozen=True, eq=False)
class _Overview:
    """The splatted small features of a whole layer at one zoom (``px_per_unit``)."""

    pixels: np.ndarray
    image: QtGui.QImage
    px_per_unit: float
    x0: float
    y0: float
    width_m: float
    height_m: float
    threshold_m: float
    count: int


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


class _SnapshotItem:
    """What the vector items share: built from a layer's snapshot, rebuilt on its events."""

    _snapshot: VectorSnapshot

    @classmethod
    def from_layer(cls, layer, px_per_mm: float):
        return cls(_layer_snapshot(layer), px_per_mm)

    def update_from_layer(self, layer, what: str) -> None:
        """Rebuild after a layer event: ``"style"`` keeps the vertices, ``"data"`` rebuilds all."""
        self.set_snapshot(_layer_snapshot(layer, self._snapshot if what == "style" else None))

    @property
    def snapshot(self) -> VectorSnapshot:
        return self._snapshot


class VectorLayerItem(_SnapshotItem, pg.GraphicsObject):
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
        self._overview = None
        self._path_cache: dict[int, tuple[bytes, QtGui.QPainterPath, int]] = {}
        self.last_frame: dict[str, int] = {}
        self.set_snapshot(snapshot)

    def set_snapshot(self, snapshot: VectorSnapshot) -> None:
        """Swap in a new snapshot and schedule a repaint."""
        self.prepareGeometryChange()
        self._snapshot = snapshot
        self._span = snapshot.span
        drawn_mask = (snapshot.codes >= 0) & np.isfinite(snapshot.bx0)
        self._drawn_mask = drawn_mask
        self._drawn = np.flatnonzero(drawn_mask)
        self._extent = snapshot.bounds_of(self._drawn)
        self._splat_inside, self._splat_outline = splat_colors(snapshot.symbols, snapshot.kind, self._px_per_mm)
        self._cx = (snapshot.bx0 + snapshot.bx1) * 0.5
        self._cy = (snapshot.by0 + snapshot.by1) * 0.5
        self._overview: _Overview | None = None
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
        if transform.m11() == 0 or transform.m22() == 0:
            return
        device = painter.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
        view = vb.viewRect()
        ids = self._visible(view)
        self.last_frame = {"visible": int(len(ids)), "splatted": 0, "paths": 0, "vertices": 0, "overview": 0}
        if len(ids) == 0:
            return
        px_per_unit = abs(transform.m11()) * dpr
        if len(ids) >= OVERVIEW_MIN_FEATURES and self._overview_fits(px_per_unit):
            large_ids = self._paint_overview(painter, ids, transform, view, px_per_unit)
        else:
            large_ids = self._paint_splat(painter, ids, transform, view, dpr)
        if len(large_ids):
            self._draw_paths(painter, large_ids)

    # -- level of detail ---------------------------------------------------------------------
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

    @staticmethod
    def _splat_threshold(span_px: np.ndarray) -> float:
        """Pixel size below which features are splatted: SPLAT_PX, raised (up to SPLAT_MAX_PX)
        until at most PATH_BUDGET features remain for vector paths."""
        if np.count_nonzero(span_px >= SPLAT_PX) <= PATH_BUDGET:
            return SPLAT_PX
        kth = len(span_px) - PATH_BUDGET
        return min(SPLAT_MAX_PX, max(SPLAT_PX, float(np.partition(span_px, kth)[kth])))

    def _paint_splat(self, painter, ids, transform, view, dpr) -> np.ndarray:
        """Splat the small visible features into a viewport-sized image; return the large ones."""
        span_px = self._span[ids] * (abs(transform.m11()) * dpr)
        threshold = self._splat_threshold(span_px)
        small = span_px < threshold
        if small.any():
            device_view = transform.mapRect(view)
            ox, oy = np.floor(device_view.left()), np.floor(device_view.top())
            width = int(min(np.ceil((device_view.right() - ox) * dpr), 16384))
            height = int(min(np.ceil((device_view.bottom() - oy) * dpr), 16384))
            if width > 0 and height > 0:
                scale = (transform.m11() * dpr, transform.m22() * dpr)
                offset = ((transform.dx() - ox) * dpr, (transform.dy() - oy) * dpr)
                pixels = self._splat_pixels(ids[small], span_px[small], scale, offset, width, height, threshold * dpr)
                image = _argb_image(pixels, width, height)
                image.setDevicePixelRatio(dpr)
                painter.save()
                painter.resetTransform()
                painter.drawImage(QtCore.QPointF(ox, oy), image)
                painter.restore()
                self.last_frame["splatted"] = int(small.sum())
        return ids[~small]

    def _overview_fits(self, px_per_unit: float) -> bool:
        ex0, ey0, ex1, ey1 = self._extent
        return (ex1 - ex0) * px_per_unit * (ey1 - ey0) * px_per_unit <= OVERVIEW_MAX_PIXELS

    def _paint_overview(self, painter, ids, transform, view, px_per_unit) -> np.ndarray:
        """Draw the cached overview image of the whole layer; return the features it leaves out.

        The overview holds every feature below its size threshold, splatted once at one zoom. It
        is reused exactly while the zoom is unchanged (every pan frame) and, scaled, while the
        view moves within a factor 4 of it; a settled view at another zoom gets a fresh one.
        """
        overview = self._overview
        ratio = px_per_unit / overview.px_per_unit if overview is not None else 0.0
        exact = abs(ratio - 1.0) < 1e-9
        if overview is None or not (exact or (not self._settled and 0.25 <= ratio <= 4.0)):
            overview = self._overview = self._build_overview(px_per_unit)
        region = QtCore.QRectF(overview.x0, overview.y0, overview.width_m, overview.height_m)
        shown = region.intersected(view)
        if not shown.isEmpty():
            source = QtCore.QRectF(
                (shown.left() - overview.x0) * overview.px_per_unit,
                (overview.y0 + overview.height_m - shown.top() - shown.height()) * overview.px_per_unit,
                shown.width() * overview.px_per_unit,
                shown.height() * overview.px_per_unit,
            )
            painter.save()
            painter.resetTransform()
            painter.drawImage(transform.mapRect(shown), overview.image, source)
            painter.restore()
        self.last_frame["overview"] = 1
        self.last_frame["splatted"] = overview.count
        return ids[self._span[ids] >= overview.threshold_m]

    def _build_overview(self, px_per_unit: float) -> _Overview:
        ex0, ey0, ex1, ey1 = self._extent
        width = int(np.ceil((ex1 - ex0) * px_per_unit)) + 1
        height = int(np.ceil((ey1 - ey0) * px_per_unit)) + 1
        ids = self._drawn
        span_px = self._span[ids] * px_per_unit
        threshold = self._splat_threshold(span_px)
        small = span_px < threshold
        pixels = self._splat_pixels(
            ids[small], span_px[small], (px_per_unit, -px_per_unit), (-ex0 * px_per_unit, ey1 * px_per_unit), width, height, threshold
        )
        return _Overview(
            pixels=pixels,
            image=_argb_image(pixels, width, height),
            px_per_unit=px_per_unit,
            x0=ex0,
            y0=ey1 - height / px_per_unit,
            width_m=width / px_per_unit,
            height_m=height / px_per_unit,
            threshold_m=threshold / px_per_unit,
            count=int(small.sum()),
        )

    def _splat_pixels(self, ids, span_px, scale, offset, width, height, threshold_px) -> np.ndarray:
        """Premultiplied ARGB pixels (height × width, flat) of features ``ids`` drawn as their
        bounding-box pixels; features under a pixel take one pixel at their centre.

        ``scale`` and ``offset`` map map units to image pixels: ``px = x * scale + offset``.
        """
        snap = self._snapshot
        (sx, sy), (dx, dy) = scale, offset
        pixels = np.zeros(width * height, dtype=np.uint32)
        codes = snap.codes[ids]
        tiny = span_px < 1.0
        if tiny.any():
            t = ids[tiny]
            col = np.clip((self._cx[t] * sx + dx).astype(np.int64), 0, width - 1)
            row = np.clip((self._cy[t] * sy + dy).astype(np.int64), 0, height - 1)
            pixels[row * width + col] = self._splat_inside[codes[tiny]]
        if tiny.all():
            return pixels
        ids, codes = ids[~tiny], codes[~tiny]
        ax, bx = snap.bx0[ids] * sx + dx, snap.bx1[ids] * sx + dx
        ay, by = snap.by0[ids] * sy + dy, snap.by1[ids] * sy + dy
        c0 = np.clip(np.minimum(ax, bx), 0, width - 1).astype(np.int64)
        c1 = np.clip(np.maximum(ax, bx), 0, width - 1).astype(np.int64)
        r0 = np.clip(np.minimum(ay, by), 0, height - 1).astype(np.int64)
        r1 = np.clip(np.maximum(ay, by), 0, height - 1).astype(np.int64)
        limit = int(np.ceil(threshold_px))
        extra_w, extra_h = np.minimum(c1 - c0, limit), np.minimum(r1 - r0, limit)
        base = r0 * width + c0
        inside, outline = self._splat_inside[codes], self._splat_outline[codes]
        outlined = (extra_w >= 2) & (extra_h >= 2) & (outline != 0)
        edge_color = np.where(outlined, outline, inside)
        for ddy in range(int(extra_h.max()) + 1):
            for ddx in range(int(extra_w.max()) + 1):
                hit = (extra_w >= ddx) & (extra_h >= ddy)
                if ddx == 0 or ddy == 0:
                    color = edge_color
                else:
                    color = np.where(outlined & ((extra_w == ddx) | (extra_h == ddy)), outline, inside)
                pixels[base[hit] + ddy * width + ddx] = color[hit]
        return pixels

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


class PointLayerItem(_SnapshotItem, pg.ScatterPlotItem):
    """Draws a point layer as one scatter item with a brush, pen and size per symbol class."""

    def __init__(self, snapshot: VectorSnapshot, px_per_mm: float = 96 / 25.4):
        super().__init__(pxMode=True)
        self._px_per_mm = float(px_per_mm)
        self.set_snapshot(snapshot)

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
        pens[:] = [symbol_pen(s, self._px_per_mm) for s in symbols]
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
