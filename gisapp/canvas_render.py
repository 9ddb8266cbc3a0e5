"""pyqtgraph items that draw one layer each, batched (never one Qt item per feature).

The drawing itself is done by plain objects that paint on any ``QPainter`` in any thread
(:class:`VectorDrawing`, :class:`PointDrawing`, :class:`RasterDrawing`): the canvas items are
drawings in the view of their ViewBox, and an exported image (:mod:`gisapp.map_image`) makes its
own drawings from the same snapshots in a worker thread.

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

Point layers are drawn by :class:`PointLayerItem` the same batched way: culled with numpy, then
either one antialiased marker pixmap per symbol class blitted at every visible point (few points in
view) or the markers splatted into one image (many points; a cached overview when very many). No
Qt object is ever made per point. Rasters are one ``ImageItem`` with a colour lookup from the
``RasterStyle`` ramp.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from pyqtgraph.functions import arrayToQPath
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6 import QtCore, QtGui

from styles import RasterStyle, SymbolStyle, color_to_rgba

from .canvas_snapshot import VectorSnapshot, build_vector_snapshot, layer_snapshot, raster_rgba, resolve_style, vector_kind

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
#: Point layers with at most this many points in view blit an antialiased marker per point (one
#: call per symbol class); with more, the markers are splatted into one image with numpy.
POINT_FRAGMENT_BUDGET = 20_000
#: Splatting writes at most this many stamp pixels at a time (bounds the temporary index arrays).
_SPLAT_CHUNK = 1 << 22
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
    return vector_kind(layer)


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

    @classmethod
    def of_pixels(cls, pixels: np.ndarray, width: int, height: int, px_per_unit: float, x0: float, top: float,
                  threshold_m: float, count: int) -> "_Overview":
        """The overview of a ``width`` × ``height`` image whose top-left corner is at (``x0``, ``top``)."""
        return cls(
            pixels=pixels,
            image=_argb_image(pixels, width, height),
            px_per_unit=px_per_unit,
            x0=x0,
            y0=top - height / px_per_unit,
            width_m=width / px_per_unit,
            height_m=height / px_per_unit,
            threshold_m=threshold_m,
            count=count,
        )


def _overview_usable(overview: _Overview | None, px_per_unit: float, settled: bool) -> bool:
    """An overview is reused exactly at its own zoom (every pan frame) and, drawn scaled, while the
    view moves within a factor 4 of it; a settled view at another zoom needs a fresh one."""
    if overview is None:
        return False
    ratio = px_per_unit / overview.px_per_unit
    return abs(ratio - 1.0) < 1e-9 or (not settled and 0.25 <= ratio <= 4.0)


def _draw_overview(painter: QtGui.QPainter, overview: _Overview, transform: QtGui.QTransform, view: QtCore.QRectF) -> None:
    """Draw the part of ``overview`` inside ``view`` (map units) where ``transform`` puts it."""
    region = QtCore.QRectF(overview.x0, overview.y0, overview.width_m, overview.height_m)
    shown = region.intersected(view)
    if shown.isEmpty():
        return
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


class _Drawing:
    """What the vector drawings share: a snapshot and the extent of what it draws.

    A drawing is no Qt item: it paints on any ``QPainter`` it is given, so the same code draws a
    layer on the canvas (its item is a drawing too) and, in a worker thread, into an exported
    image (:mod:`gisapp.map_image`). One drawing is used by one thread: its caches are its own.
    """

    _snapshot: VectorSnapshot

    @property
    def snapshot(self) -> VectorSnapshot:
        return self._snapshot

    def extent(self) -> tuple[float, float, float, float] | None:
        """(xmin, ymin, xmax, ymax) of the drawn features, or None."""
        return self._extent

    def _set_extent(self, extent: tuple[float, float, float, float] | None) -> None:
        """The drawn extent and its rectangle (the items' bounding rectangle)."""
        self._extent = extent
        if extent is None:
            self._rect = QtCore.QRectF()
        else:
            x0, y0, x1, y1 = extent
            self._rect = QtCore.QRectF(x0, y0, max(x1 - x0, 1e-6), max(y1 - y0, 1e-6))


class _SnapshotItem:
    """What the vector items share: built from a layer's snapshot, rebuilt on its events, drawn
    in the view of their ViewBox."""

    @classmethod
    def from_layer(cls, layer, px_per_mm: float):
        return cls(layer_snapshot(layer), px_per_mm)

    @classmethod
    def from_snapshot(cls, snapshot: VectorSnapshot, px_per_mm: float):
        return cls(snapshot, px_per_mm)

    def update_from_layer(self, layer, what: str) -> None:
        """Rebuild after a layer event: ``"style"`` keeps the vertices, ``"data"`` rebuilds all."""
        self.set_snapshot(layer_snapshot(layer, self._snapshot if what == "style" else None))

    def set_snapshot(self, snapshot: VectorSnapshot) -> None:
        """Swap in a new snapshot and schedule a repaint."""
        self.prepareGeometryChange()
        self._take(snapshot)
        self.informViewBoundsChanged()
        self.update()

    def set_settled(self, settled: bool) -> None:
        """While the view moves, frames are drawn quickly; a settled view is redrawn properly."""
        if settled != self._settled:
            self._settled = settled
            if settled:
                self.update()

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        if self._extent is None:
            return [None, None]
        return [self._extent[ax], self._extent[ax + 2]]

    def paint(self, painter: QtGui.QPainter, option=None, widget=None) -> None:
        vb = self.getViewBox()
        if vb is not None:
            self.draw(painter, vb.viewRect())


class VectorDrawing(_Drawing):
    """Draws all features of one polygon or line snapshot (see the module docstring) on a painter.

    Parameters
    ----------
    snapshot : the layer's VectorSnapshot.
    px_per_mm : device pixels per millimetre of the pens, to turn symbol widths (mm) into pen
        widths (pens are cosmetic: their width is in device pixels whatever the painter's scale).
    """

    def __init__(self, snapshot: VectorSnapshot, px_per_mm: float = 96 / 25.4):
        self._px_per_mm = float(px_per_mm)
        self._settled = True
        self._overview = None
        self._path_cache: dict[int, tuple[bytes, QtGui.QPainterPath, int]] = {}
        self.last_frame: dict[str, int] = {}
        self._take(snapshot)

    def _take(self, snapshot: VectorSnapshot) -> None:
        """Draw ``snapshot`` from now on (its derived arrays, colours and pens; caches emptied)."""
        self._snapshot = snapshot
        self._span = snapshot.span
        self._drawn_mask = snapshot.drawn_mask
        self._drawn = snapshot.drawn
        self._set_extent(snapshot.drawn_extent)
        self._splat_inside, self._splat_outline = splat_colors(snapshot.symbols, snapshot.kind, self._px_per_mm)
        self._cx, self._cy = snapshot.centres
        self._overview: _Overview | None = None
        self._paints = [self._symbol_paint(s) for s in snapshot.symbols]
        self._path_cache.clear()

    def _symbol_paint(self, symbol: SymbolStyle) -> tuple[QtGui.QPen, QtGui.QBrush]:
        brush = symbol_brush(symbol) if self._snapshot.kind == "polygon" else QtGui.QBrush()
        return symbol_pen(symbol, self._px_per_mm), brush

    def draw(self, painter: QtGui.QPainter, view: QtCore.QRectF) -> None:
        """Draw the features inside ``view`` (map units) where the painter's transform puts them."""
        if len(self._drawn) == 0:
            return
        transform = painter.transform()
        if transform.m11() == 0 or transform.m22() == 0:
            return
        device = painter.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
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
        if not _overview_usable(overview, px_per_unit, self._settled):
            overview = self._overview = self._build_overview(px_per_unit)
        _draw_overview(painter, overview, transform, view)
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
        return _Overview.of_pixels(pixels, width, height, px_per_unit, ex0, ey1, threshold / px_per_unit, int(small.sum()))

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


class VectorLayerItem(VectorDrawing, _SnapshotItem, pg.GraphicsObject):
    """The canvas item of a polygon or line layer: its :class:`VectorDrawing` in the view of its
    ViewBox, with screen pixels per millimetre ``px_per_mm``."""

    def __init__(self, snapshot: VectorSnapshot, px_per_mm: float = 96 / 25.4):
        pg.GraphicsObject.__init__(self)
        VectorDrawing.__init__(self, snapshot, px_per_mm)

    # -- pyqtgraph item contract -------------------------------------------------------------
    def boundingRect(self) -> QtCore.QRectF:
        return QtCore.QRectF(self._rect)


@dataclass(frozen=True, eq=False)
class _Marker:
    """The marker of one symbol class of a point layer at one device pixel ratio.

    ``pixmap`` is the antialiased marker (``side`` device pixels square) blitted per point when few
    points are in view. The *stamp* is the same marker drawn without antialiasing, as the pixel
    offsets (``rows``, ``cols``) from the point's pixel and their premultiplied ARGB32 ``colors``:
    what a point leaves in a splatted image.
    """

    pixmap: QtGui.QPixmap | None
    side: int
    rows: np.ndarray
    cols: np.ndarray
    colors: np.ndarray

    @property
    def radius(self) -> int:
        """How many pixels the stamp reaches from the point's pixel."""
        if len(self.rows) == 0:
            return 0
        return int(max(np.abs(self.rows).max(), np.abs(self.cols).max()))


def _marker_image(symbol: SymbolStyle, px_per_mm: float, dpr: float, antialias: bool) -> QtGui.QImage:
    """A circle of ``symbol.marker_size`` mm with the symbol's fill and outline, in device pixels."""
    diameter = max(symbol.marker_size * px_per_mm * dpr, 1.0)
    rgba, width = stroke_rgba(symbol, px_per_mm)
    width = width * dpr if rgba[3] else 0.0
    side = int(np.ceil(diameter + width)) + 2
    image = QtGui.QImage(side, side, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QtGui.QPainter(image)
    try:
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, antialias)
        if rgba[3]:
            pen = QtGui.QPen(QtGui.QColor(*rgba))
            pen.setWidthF(width)
            painter.setPen(pen)
        else:
            painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(symbol_brush(symbol))
        centre = side / 2.0
        painter.drawEllipse(QtCore.QPointF(centre, centre), diameter / 2.0, diameter / 2.0)
    finally:
        painter.end()
    return image


def _image_pixels(image: QtGui.QImage) -> np.ndarray:
    """A copy of an ARGB32 image's pixels as a (height, width) uint32 array."""
    width, height = image.width(), image.height()
    buffer = np.frombuffer(image.constBits(), dtype=np.uint32, count=image.bytesPerLine() // 4 * height)
    return buffer.reshape(height, -1)[:, :width].copy()


def point_marker(symbol: SymbolStyle, px_per_mm: float, dpr: float = 1.0) -> _Marker:
    """The :class:`_Marker` of ``symbol`` on a screen of ``px_per_mm`` and device pixel ratio ``dpr``."""
    smooth = _marker_image(symbol, px_per_mm, dpr, antialias=True)
    pixmap = QtGui.QPixmap.fromImage(smooth)
    pixmap.setDevicePixelRatio(dpr)
    stamp = _image_pixels(_marker_image(symbol, px_per_mm, dpr, antialias=False))
    side = stamp.shape[0]
    rows, cols = np.nonzero(stamp)
    colors = stamp[rows, cols]
    rows, cols = rows - side // 2, cols - side // 2
    if len(rows) == 0:  # smaller than a pixel without antialiasing: one pixel in its colour
        inside, _ = splat_colors([symbol], "polygon", px_per_mm)
        if inside[0]:
            rows, cols, colors = np.zeros(1, np.int64), np.zeros(1, np.int64), inside[:1]
    empty = not _image_pixels(smooth).any()
    return _Marker(
        pixmap=None if empty else pixmap,
        side=side,
        rows=rows.astype(np.int64),
        cols=cols.astype(np.int64),
        colors=np.ascontiguousarray(colors, dtype=np.uint32),
    )


@dataclass(frozen=True, eq=False)
class _StampGroup:
    """Symbol classes whose stamps cover the same pixels (usually all classes of a layer)."""

    codes: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    #: (number of symbols, stamp pixels): the stamp colours by symbol code (rows of other groups unused)
    table: np.ndarray

    @property
    def radius(self) -> int:
        return int(max(np.abs(self.rows).max(), np.abs(self.cols).max())) if len(self.rows) else 0


def _stamp_groups(markers: list[_Marker]) -> list[_StampGroup]:
    """Group the markers by stamp shape, in the order of their first symbol code."""
    shapes: dict[bytes, list[int]] = {}
    for code, marker in enumerate(markers):
        if len(marker.rows):
            shapes.setdefault(marker.rows.tobytes() + b"|" + marker.cols.tobytes(), []).append(code)
    groups = []
    for codes in shapes.values():
        first = markers[codes[0]]
        table = np.zeros((len(markers), len(first.rows)), dtype=np.uint32)
        for code in codes:
            table[code] = markers[code].colors
        groups.append(_StampGroup(np.array(codes, dtype=np.int64), first.rows, first.cols, table))
    return groups


class PointDrawing(_Drawing):
    """Draws all points of one point snapshot on a painter, batched like :class:`VectorDrawing`.

    Every draw culls the points against the view (plus the marker radius) with numpy. With
    at most ``POINT_FRAGMENT_BUDGET`` points in view each is blitted as the antialiased marker
    pixmap of its symbol class: one ``drawPixmapFragments`` call per class, the positions written
    into the fragment array with numpy. With more, every point is *splatted*: the pixels of its
    class's marker stamp are written into one ARGB image with numpy (a later point covers an
    earlier one, as painting would; of several points on one pixel only the last is stamped) and
    drawn with one ``drawImage``. With ``OVERVIEW_MIN_FEATURES`` or more points in view the splat
    image of the whole layer is cached, as for polygons. Markers keep their size in millimetres
    (``px_per_mm`` logical pixels per mm, times the device pixel ratio) whatever the zoom. There
    is never a Qt object per point.

    ``blit_markers`` False: always splat. A drawing in a worker thread passes
    :func:`pixmaps_in_this_thread` (Qt makes pixmaps outside the GUI thread only where the
    platform allows it; every desktop platform does).
    """

    def __init__(self, snapshot: VectorSnapshot, px_per_mm: float = 96 / 25.4, *, blit_markers: bool = True):
        self._px_per_mm = float(px_per_mm)
        self._blit_markers = blit_markers
        self._settled = True
        self._overview: _Overview | None = None
        self._markers: dict[float, tuple[list[_Marker], list[_StampGroup]]] = {}
        self._fragments = None
        self.last_frame: dict[str, int] = {}
        self._take(snapshot)

    def _take(self, snapshot: VectorSnapshot) -> None:
        """Draw ``snapshot`` from now on (caches emptied)."""
        self._snapshot = snapshot
        self._px, self._py, self._feature, self._codes = snapshot.points
        self._all = np.arange(len(self._px), dtype=np.int64)
        self._set_extent(snapshot.drawn_extent if len(self._px) else None)
        self._overview = None
        self._markers.clear()
        # Logical pixels a marker reaches beyond its point (culling and the bounding rectangle).
        reach = [s.marker_size * self._px_per_mm / 2 + stroke_rgba(s, self._px_per_mm)[1] for s in snapshot.symbols]
        self._reach_px = (max(reach) if reach else 0.0) + 2.0

    def draw(self, painter: QtGui.QPainter, view: QtCore.QRectF) -> None:
        """Draw the points inside ``view`` (map units) where the painter's transform puts them."""
        if self._extent is None:
            return
        transform = painter.transform()
        if transform.m11() == 0 or transform.m22() == 0:
            return
        device = painter.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
        px_per_unit = abs(transform.m11()) * dpr
        margin = self._reach_px * dpr / px_per_unit
        ids = self._visible(view.adjusted(-margin, -margin, margin, margin))
        self.last_frame = {"visible": int(len(ids)), "splatted": 0, "markers": 0, "overview": 0}
        if len(ids) == 0:
            return
        markers, groups = self._markers_at(dpr)
        if len(ids) <= POINT_FRAGMENT_BUDGET and self._blit_markers:
            self._paint_markers(painter, ids, transform, dpr, markers)
        elif len(ids) >= OVERVIEW_MIN_FEATURES and self._overview_fits(px_per_unit, groups):
            overview = self._overview
            if not _overview_usable(overview, px_per_unit, self._settled):
                overview = self._overview = self._build_overview(px_per_unit, groups)
            _draw_overview(painter, overview, transform, view)
            self.last_frame["overview"] = 1
            self.last_frame["splatted"] = overview.count
        else:
            self._paint_splat(painter, ids, transform, view, dpr, groups)

    # -- drawing -----------------------------------------------------------------------------
    def _visible(self, view: QtCore.QRectF) -> np.ndarray:
        x0, y0 = view.x(), view.y()
        x1, y1 = x0 + view.width(), y0 + view.height()
        ex0, ey0, ex1, ey1 = self._extent
        if x0 <= ex0 and y0 <= ey0 and x1 >= ex1 and y1 >= ey1:
            return self._all
        px, py = self._px, self._py
        return np.flatnonzero((px >= x0) & (px <= x1) & (py >= y0) & (py <= y1))

    def _markers_at(self, dpr: float) -> tuple[list[_Marker], list[_StampGroup]]:
        cached = self._markers.get(dpr)
        if cached is None:
            markers = [point_marker(symbol, self._px_per_mm, dpr) for symbol in self._snapshot.symbols]
            cached = self._markers[dpr] = (markers, _stamp_groups(markers))
        return cached

    def _paint_markers(self, painter, ids, transform, dpr, markers) -> None:
        """Blit the antialiased marker of each visible point: one call per symbol class."""
        if self._fragments is None:
            self._fragments = PrimitiveArray(QtGui.QPainter.PixmapFragment, 10)
        codes = self._codes[ids]
        order = np.argsort(codes, kind="stable")
        ids, codes = ids[order], codes[order]
        x = self._px[ids] * transform.m11() + transform.dx()
        y = self._py[ids] * transform.m22() + transform.dy()
        cuts = np.flatnonzero(np.diff(codes)) + 1
        painter.save()
        painter.resetTransform()
        try:
            for start, end in zip(np.r_[0, cuts], np.r_[cuts, len(ids)]):
                marker = markers[int(codes[start])]
                if marker.pixmap is None:
                    continue
                self._fragments.resize(int(end - start))
                fragments = self._fragments.ndarray()
                fragments[:, 0] = x[start:end]
                fragments[:, 1] = y[start:end]
                fragments[:, 2:6] = (0.0, 0.0, marker.side, marker.side)  # source rectangle
                fragments[:, 6:10] = (1.0 / dpr, 1.0 / dpr, 0.0, 1.0)  # scale x, y, rotation, opacity
                painter.drawPixmapFragments(*self._fragments.drawargs(), marker.pixmap)
        finally:
            painter.restore()
        self.last_frame["markers"] = int(len(ids))

    def _paint_splat(self, painter, ids, transform, view, dpr, groups) -> None:
        """Splat the visible points into a viewport-sized image (with a margin for the markers)."""
        device_view = transform.mapRect(view)
        ox, oy = np.floor(device_view.left()), np.floor(device_view.top())
        pad = 2 * max((g.radius for g in groups), default=0) + 1
        width = int(min(np.ceil((device_view.right() - ox) * dpr), 16384)) + 2 * pad
        height = int(min(np.ceil((device_view.bottom() - oy) * dpr), 16384)) + 2 * pad
        scale = (transform.m11() * dpr, transform.m22() * dpr)
        offset = ((transform.dx() - ox) * dpr + pad, (transform.dy() - oy) * dpr + pad)
        pixels, count = self._splat_pixels(ids, scale, offset, width, height, groups)
        image = _argb_image(pixels, width, height)
        image.setDevicePixelRatio(dpr)
        painter.save()
        painter.resetTransform()
        painter.drawImage(QtCore.QPointF(ox - pad / dpr, oy - pad / dpr), image)
        painter.restore()
        self.last_frame["splatted"] = count

    def _overview_size(self, px_per_unit: float, groups) -> tuple[int, int, int]:
        ex0, ey0, ex1, ey1 = self._extent
        pad = max((g.radius for g in groups), default=0) + 1
        width = int(np.ceil((ex1 - ex0) * px_per_unit)) + 1 + 2 * pad
        height = int(np.ceil((ey1 - ey0) * px_per_unit)) + 1 + 2 * pad
        return width, height, pad

    def _overview_fits(self, px_per_unit: float, groups) -> bool:
        width, height, _ = self._overview_size(px_per_unit, groups)
        return width * height <= OVERVIEW_MAX_PIXELS

    def _build_overview(self, px_per_unit: float, groups) -> _Overview:
        ex0, ey0, ex1, ey1 = self._extent
        width, height, pad = self._overview_size(px_per_unit, groups)
        x0, top = ex0 - pad / px_per_unit, ey1 + pad / px_per_unit
        pixels, count = self._splat_pixels(
            self._all, (px_per_unit, -px_per_unit), (-x0 * px_per_unit, top * px_per_unit), width, height, groups
        )
        return _Overview.of_pixels(pixels, width, height, px_per_unit, x0, top, 0.0, count)

    def _splat_pixels(self, ids, scale, offset, width, height, groups) -> tuple[np.ndarray, int]:
        """Premultiplied ARGB pixels (height × width, flat) with the stamps of points ``ids``,
        and how many points were stamped; ``px = x * scale + offset`` maps map units to pixels.

        Only the last point on a pixel is stamped (its stamp covers the earlier ones: all stamps
        of a group have one shape), so a dense layer costs at most one stamp per pixel.
        """
        (sx, sy), (dx, dy) = scale, offset
        pixels = np.zeros(width * height, dtype=np.uint32)
        col = np.floor(self._px[ids] * sx + dx).astype(np.int64)
        row = np.floor(self._py[ids] * sy + dy).astype(np.int64)
        codes = self._codes[ids]
        count = 0
        for group in groups:
            reach = group.radius
            keep = (col >= reach) & (col < width - reach) & (row >= reach) & (row < height - reach)
            if len(groups) > 1:
                keep &= np.isin(codes, group.codes)
            pix = row[keep] * width + col[keep]
            group_codes = codes[keep]
            if len(pix) == 0:
                continue
            count += len(pix)
            order = np.arange(len(pix), dtype=np.int64)
            last = np.full(width * height, -1, dtype=np.int64)
            last[pix] = order  # the last point on each pixel wins
            winners = np.flatnonzero(last[pix] == order)
            pix, group_codes = pix[winners], group_codes[winners]
            offsets = group.rows * width + group.cols
            chunk = max(1, _SPLAT_CHUNK // len(offsets))
            for start in range(0, len(pix), chunk):
                index = pix[start : start + chunk, None] + offsets[None, :]
                pixels[index.ravel()] = group.table[group_codes[start : start + chunk]].ravel()
        return pixels, count


class PointLayerItem(PointDrawing, _SnapshotItem, pg.GraphicsObject):
    """The canvas item of a point layer: its :class:`PointDrawing` in the view of its ViewBox."""

    def __init__(self, snapshot: VectorSnapshot, px_per_mm: float = 96 / 25.4):
        pg.GraphicsObject.__init__(self)
        PointDrawing.__init__(self, snapshot, px_per_mm)

    # -- pyqtgraph item contract -------------------------------------------------------------
    def boundingRect(self) -> QtCore.QRectF:
        rect = QtCore.QRectF(self._rect)
        if rect.isNull():
            return rect
        # Markers have a size on screen: pad by it in map units at the current zoom.
        try:
            pixel_w, pixel_h = self.pixelWidth() or 0.0, self.pixelHeight() or 0.0
        except Exception:  # noqa: BLE001 - no view yet, or a degenerate one: no padding
            pixel_w = pixel_h = 0.0
        return rect.adjusted(-self._reach_px * pixel_w, -self._reach_px * pixel_h, self._reach_px * pixel_w, self._reach_px * pixel_h)

    def viewTransformChanged(self) -> None:
        self.prepareGeometryChange()  # the padding in map units changes with the zoom
        super().viewTransformChanged()


def pixmaps_in_this_thread() -> bool:
    """Whether Qt makes pixmaps in the calling thread (always in the GUI thread; elsewhere only
    where the platform allows it, else a null pixmap and a warning)."""
    return not QtGui.QPixmap(1, 1).isNull()


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
        self.setImage(raster_image(raster, style), autoLevels=False)
        self.setTransform(raster_transform(raster))

    def extent(self) -> tuple[float, float, float, float]:
        return self._bounds

    def set_settled(self, settled: bool) -> None:
        """Images are drawn in one call; nothing to switch."""


class RasterDrawing:
    """A raster drawn on a painter as :class:`RasterLayerItem` draws it (one image placed by its
    affine), in any thread: the colours are computed when the drawing is made."""

    def __init__(self, raster, style):
        self._rgba = np.ascontiguousarray(raster_image(raster, style), dtype=np.uint8)
        self._transform = raster_transform(raster)

    def draw(self, painter: QtGui.QPainter, view: QtCore.QRectF) -> None:
        height, width = self._rgba.shape[:2]
        image = QtGui.QImage(self._rgba.data, width, height, width * 4, QtGui.QImage.Format.Format_RGBA8888)
        painter.save()
        painter.setTransform(self._transform, True)  # pixel (column, row) -> map units, then the view
        painter.drawImage(QtCore.QPointF(0, 0), image)
        painter.restore()


def raster_image(raster, style) -> np.ndarray:
    """The RGBA pixels (rows, columns, 4; uint8) a raster is drawn with: a colour image (luchtfoto)
    in its own colours, else its values on the ramp of ``style`` (a 2–98 % stretch when it is no
    ``RasterStyle``) at the style's opacity."""
    if getattr(raster, "rgba", None) is not None:
        return raster.rgba
    style = style if isinstance(style, RasterStyle) else stretched_style(raster.array)
    image = raster_rgba(raster.array, style)
    if style.opacity < 1.0:
        image[..., 3] = np.rint(image[..., 3] * style.opacity).astype(np.uint8)
    return image


def raster_transform(raster) -> QtGui.QTransform:
    """Pixel (column, row) -> map units, from the raster's affine."""
    t = raster.transform
    return QtGui.QTransform(t.a, t.d, t.b, t.e, t.c, t.f)


def stretched_style(array: np.ndarray) -> RasterStyle:
    """A raster without a role's style (a reference layer): its 2–98 % range on one ramp."""
    finite = np.asarray(array, dtype="float64")
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return RasterStyle("Viridis", 0.0, 1.0)
    low, high = np.percentile(finite, [2, 98])
    return RasterStyle("Viridis", float(low), float(max(high, low)))


#: Which item draws which kind of layer (CONVENTIONS.md: views looked up in a dict).
LAYER_ITEMS = {
    "polygon": VectorLayerItem,
    "line": VectorLayerItem,
    "point": PointLayerItem,
    "raster": RasterLayerItem,
}


#: Layers without geometry (attribute tables) have no item.
NOT_DRAWN = ("table",)


def create_layer_item(layer, px_per_mm: float, snapshot: VectorSnapshot | None = None):
    """The canvas item for ``layer``, None for a table without geometry.

    ``snapshot``: the layer's snapshot when it was already prepared (e.g. in a worker thread).
    Raises ``TypeError`` for a kind of layer the canvas cannot draw.
    """
    kind = layer_kind(layer)
    if kind in NOT_DRAWN:
        return None
    try:
        item_type = LAYER_ITEMS[snapshot.kind if snapshot is not None else kind]
    except KeyError:
        raise TypeError(f"de kaart kan laag {getattr(layer, 'name', layer)!r} van soort {kind!r} niet tekenen") from None
    if snapshot is not None:
        return item_type.from_snapshot(snapshot, px_per_mm)
    return item_type.from_layer(layer, px_per_mm)


def item_for_snapshot(snapshot: VectorSnapshot, px_per_mm: float):
    """The item drawing a prepared snapshot (a polygon, line or point layer)."""
    return LAYER_ITEMS[snapshot.kind].from_snapshot(snapshot, px_per_mm)


def selection_snapshot(snapshot: VectorSnapshot, ids: np.ndarray) -> VectorSnapshot:
    """Features ``ids`` of ``snapshot`` with the selection's yellow outline."""
    subset = snapshot.subset(ids)
    return subset.restyled(np.zeros(subset.n, dtype=np.int64), [SELECTION_SYMBOL])


def selection_snapshot_of_rows(layer, ids: np.ndarray) -> VectorSnapshot:
    """Rows ``ids`` of vector ``layer`` with the selection's yellow outline, from the layer's data.

    For a layer whose snapshot is not there (hidden and never shown, or being prepared): only the
    selected rows are converted.
    """
    from styles import SingleSymbol

    rows = layer.data.iloc[np.asarray(ids, dtype=np.int64)]
    return build_vector_snapshot(rows, SingleSymbol(SELECTION_SYMBOL), kind=layer_kind(layer))


def selection_item(snapshot: VectorSnapshot, ids: np.ndarray, px_per_mm: float):
    """An item drawing features ``ids`` of ``snapshot`` as yellow outlines."""
    item_type = PointLayerItem if snapshot.kind == "point" else VectorLayerItem
    return item_type(selection_snapshot(snapshot, ids), px_per_mm)


def selection_item_of_rows(layer, ids: np.ndarray, px_per_mm: float):
    """An item drawing rows ``ids`` of vector ``layer`` as yellow outlines, from the layer's data."""
    snapshot = selection_snapshot_of_rows(layer, ids)
    item_type = PointLayerItem if snapshot.kind == "point" else VectorLayerItem
    return item_type(snapshot, px_per_mm)


def snapshot_drawing(snapshot: VectorSnapshot, px_per_mm: float, dpr: float = 1.0, *, blit_markers: bool = True):
    """The drawing of ``snapshot`` on a device of ``dpr`` device pixels per logical pixel, for a map
    of ``px_per_mm`` logical pixels per millimetre (an exported image: ``dpr`` from its resolution).

    Markers are sized in logical pixels times ``dpr`` by the point drawing itself; the cosmetic pens
    of polygons and lines are in device pixels, so their drawing gets ``px_per_mm * dpr``: lines
    keep their width relative to the map at any resolution.
    """
    if snapshot.kind == "point":
        return PointDrawing(snapshot, px_per_mm, blit_markers=blit_markers)
    return VectorDrawing(snapshot, px_per_mm * dpr)
