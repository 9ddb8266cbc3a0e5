"""The map as a PNG image ("Kaart opslaan als afbeelding"), drawn off the GUI thread.

:func:`map_picture` takes, in the GUI thread and in a few milliseconds, what the map shows: the
view, the drawing snapshots of the visible layers (immutable: the canvas's own; a layer whose
snapshot is still being built is taken as its data and style, built in the worker), the
selection, the background map's source and the scale bar, north arrow and attribution, which the
canvas's own overlay items paint into small images. :func:`render_picture` draws that on a
``QImage`` with a ``QPainter`` (allowed in any thread) with the canvas's drawing code
(:mod:`gisapp.canvas_render`), and :func:`write_map_image` writes the PNG under a temporary name
renamed into place when complete: the app runs it in its worker (``gisapp.map_tools``) with
progress per layer and "Annuleren", and a cancel leaves no file.

A higher resolution is the same view with more pixels per screen pixel (a device pixel ratio):
symbols, lines and the scale bar's text keep their size relative to the map, as printed.
Tool sketches (measuring, the locations editor's handles) are not part of the map and are left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from PySide6 import QtCore, QtGui

from gisapp.canvas_render import (
    RasterDrawing,
    pixmaps_in_this_thread,
    selection_snapshot,
    selection_snapshot_of_rows,
    snapshot_drawing,
)
from gisapp.canvas_snapshot import GEOMETRY_KINDS, resolve_style, snapshot_for, vector_kind
from gisapp.i18n import tr
from layers.errors import DataError
from layers.feedback import Feedback, Part, check, ensure

#: The share of the work that is drawing; the rest is writing the PNG (one call: a cancel is
#: checked before and after it).
DRAW_SHARE = 0.6


@dataclass(frozen=True, eq=False)
class _Snapshot:
    """A layer's drawing snapshot as the canvas holds it."""

    snapshot: object

    def drawing(self, px_per_mm: float, dpr: float, blit: bool):
        return snapshot_drawing(self.snapshot, px_per_mm, dpr, blit_markers=blit)


@dataclass(frozen=True, eq=False)
class _VectorData:
    """A vector layer's data and style of the moment: its snapshot is built where it is drawn."""

    data: object
    style: object
    role: str | None
    kind: str

    def drawing(self, px_per_mm: float, dpr: float, blit: bool):
        snapshot = snapshot_for(self.data, self.style, self.role, self.kind)
        return snapshot_drawing(snapshot, px_per_mm, dpr, blit_markers=blit)


@dataclass(frozen=True, eq=False)
class _Selection:
    """Features ``ids`` of a snapshot, outlined as the canvas outlines the selection."""

    snapshot: object
    ids: object

    def drawing(self, px_per_mm: float, dpr: float, blit: bool):
        return snapshot_drawing(selection_snapshot(self.snapshot, self.ids), px_per_mm, dpr, blit_markers=blit)


@dataclass(frozen=True, eq=False)
class _Raster:
    raster: object
    style: object

    def drawing(self, px_per_mm: float, dpr: float, blit: bool):
        return RasterDrawing(self.raster, self.style)


@dataclass(frozen=True, eq=False)
class MapPicture:
    """What an image of the map holds (made by :func:`map_picture`; read-only, for any thread).

    ``size`` in device pixels; ``dpr`` device pixels per screen pixel; ``centre`` and
    ``metres_per_pixel`` (per screen pixel) place the view; ``parts`` are ``(part, opacity)``
    bottom first, the selection last; ``decorations`` are ``(position, image)`` in screen pixels.
    """

    size: tuple[int, int]
    dpr: float
    dpi: float
    centre: tuple[float, float]
    metres_per_pixel: float
    px_per_mm: float
    parts: tuple
    basemap: object | None
    screen_size: tuple[int, int]
    decorations: tuple

    @property
    def logical_size(self) -> tuple[float, float]:
        return self.size[0] / self.dpr, self.size[1] / self.dpr

    def view(self) -> QtCore.QRectF:
        """The map units the image shows."""
        width, height = self.logical_size
        w, h = width * self.metres_per_pixel, height * self.metres_per_pixel
        return QtCore.QRectF(self.centre[0] - w / 2, self.centre[1] - h / 2, w, h)

    def transform(self) -> QtGui.QTransform:
        """Map units -> screen pixels of the image (north up: y flipped)."""
        width, height = self.logical_size
        scale = 1.0 / self.metres_per_pixel
        cx, cy = self.centre
        return QtGui.QTransform(scale, 0.0, 0.0, -scale, width / 2 - cx * scale, height / 2 + cy * scale)


def map_picture(canvas, dpi: float | None = None) -> MapPicture:
    """What ``canvas`` shows now, for an image at ``dpi`` (None: the map's size on screen).

    GUI thread. The view keeps its centre and is widened to the image's aspect. Raises
    ``ValueError`` for a resolution that is not above 0.
    """
    view = canvas.viewport()
    screen_dpi = float(view.logicalDpiX()) or 96.0
    dpr = 1.0 if dpi is None else float(dpi) / screen_dpi
    if not dpr > 0 or not math.isfinite(dpr):
        raise ValueError(f"resolutie {dpi!r} dpi moet groter dan 0 zijn")
    screen = (view.width(), view.height())
    size = (max(1, round(screen[0] * dpr)), max(1, round(screen[1] * dpr)))
    width, height = size[0] / dpr, size[1] / dpr
    x0, y0, x1, y1 = canvas.current_extent()
    metres_per_pixel = max((x1 - x0) / width, (y1 - y0) / height)
    if not metres_per_pixel > 0:
        raise ValueError("de kaart heeft nog geen uitsnede")
    parts = [(part, float(getattr(layer, "opacity", 1.0))) for layer, part in _visible_parts(canvas)]
    selection = _selection_part(canvas)
    if selection is not None:
        parts.append((selection, 1.0))
    source = canvas.basemap_source()
    return MapPicture(
        size=size, dpr=dpr, dpi=screen_dpi * dpr, centre=((x0 + x1) / 2, (y0 + y1) / 2), metres_per_pixel=metres_per_pixel,
        px_per_mm=screen_dpi / 25.4, parts=tuple(parts), basemap=source, screen_size=screen,
        decorations=_decorations(canvas.attribution_text(), width, height, metres_per_pixel, dpr),
    )


def _visible_parts(canvas):
    """``(layer, part)`` of every visible layer the canvas draws, bottom first."""
    for layer in canvas.layers():
        if not getattr(layer, "visible", True):
            continue
        kind = vector_kind(layer)
        if kind == "raster":
            yield layer, _Raster(layer.raster, resolve_style(layer.style, layer.role, layer.raster))
        elif kind in GEOMETRY_KINDS:
            item = canvas.layer_item(layer)
            snapshot = getattr(item, "snapshot", None)
            if snapshot is not None and not canvas.is_preparing(layer):
                yield layer, _Snapshot(snapshot)
            else:  # being prepared (its data or style changed): from what it holds now
                yield layer, _VectorData(layer.data, layer.style, getattr(layer, "role", None), kind)


def _selection_part(canvas) -> _Selection | _Snapshot | None:
    selected = canvas.selection()
    if selected is None or len(selected[1]) == 0:
        return None
    layer, ids = selected
    snapshot = getattr(canvas.layer_item(layer), "snapshot", None)
    if snapshot is not None and not canvas.is_preparing(layer) and snapshot.n == len(layer.data):
        return _Selection(snapshot, ids)
    return _Snapshot(selection_snapshot_of_rows(layer, ids))


def _decorations(attribution: str, width: float, height: float, metres_per_pixel: float, dpr: float) -> tuple:
    """The scale bar, north arrow and attribution as the canvas draws them, each painted by a
    fresh overlay item into an image of ``dpr`` (GUI thread), placed for a ``width`` × ``height`` view."""
    from gisapp.basemap import AttributionItem
    from gisapp.canvas_overlays import NorthArrowItem, ScaleBarItem

    bar = ScaleBarItem()
    bar.update_scale(metres_per_pixel, height)
    arrow = NorthArrowItem()
    arrow.place(width)
    items = [bar, arrow]
    if attribution:
        note = AttributionItem()
        note.set_text(attribution, width, height)
        items.append(note)
    return tuple(_painted(item, dpr) for item in items)


def _painted(item, dpr: float) -> tuple[QtCore.QPointF, QtGui.QImage]:
    rect = item.boundingRect()
    image = QtGui.QImage(max(1, math.ceil(rect.width() * dpr)), max(1, math.ceil(rect.height() * dpr)),
                         QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(dpr)
    image.fill(QtCore.Qt.GlobalColor.transparent)
    painter = QtGui.QPainter(image)
    try:
        item.paint(painter)
    finally:
        painter.end()
    return QtCore.QPointF(item.pos()), image


def render_picture(picture: MapPicture, feedback: Feedback | None = None) -> QtGui.QImage:
    """Draw ``picture`` (any thread): the background map, the layers, the selection, the decorations.

    ``feedback`` gets a step per layer ("kaart: laag 2 van 5"); a cancel raises ``CancelledError``
    before the next one.
    """
    feedback = ensure(feedback)
    image = QtGui.QImage(picture.size[0], picture.size[1], QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(picture.dpr)
    image.fill(QtGui.QColor("white"))
    metres = picture.dpi / 0.0254
    image.setDotsPerMeterX(round(metres))
    image.setDotsPerMeterY(round(metres))
    blit = pixmaps_in_this_thread()
    view, transform = picture.view(), picture.transform()
    steps = len(picture.parts) + (picture.basemap is not None)
    painter = QtGui.QPainter(image)
    try:
        if picture.basemap is not None:
            check(feedback)
            feedback.progress(0.0, tr("kaart: achtergrondkaart"))
            painter.setTransform(transform)
            _draw_basemap(painter, picture)
        layers = len(picture.parts)
        for index, (part, opacity) in enumerate(picture.parts):
            check(feedback)
            done = index + (picture.basemap is not None)
            feedback.progress(done / steps, tr("kaart: laag {i} van {n}", i=min(index + 1, layers), n=layers))
            painter.save()
            painter.setTransform(transform)
            painter.setOpacity(opacity)
            part.drawing(picture.px_per_mm, picture.dpr, blit).draw(painter, view)
            painter.restore()
        painter.resetTransform()
        for position, decoration in picture.decorations:
            painter.drawImage(position, decoration)
    finally:
        painter.end()
    feedback.progress(1.0, tr("kaart afmaken"))
    return image


def _draw_basemap(painter: QtGui.QPainter, picture: MapPicture) -> None:
    """The background map's images at the image's resolution from what is on disk (the tile cache or
    the offline file; never the network), over those of the screen's zoom where some are missing."""
    from gisapp.basemap import draw_background_images

    source = picture.basemap
    bounds = picture.view().getCoords()
    images, missing = _cached_images(source, bounds, picture.metres_per_pixel / picture.dpr, picture.size)
    if missing and picture.dpr != 1.0:
        images = _cached_images(source, bounds, picture.metres_per_pixel, picture.screen_size)[0] + images
    draw_background_images(painter, images)


def _cached_images(source, bounds, metres_per_pixel: float, size: tuple[int, int]) -> tuple[list, bool]:
    """``([(bounds, image), ...], some missing)`` of the view at ``metres_per_pixel`` from disk."""
    images, missing = [], False
    for key, key_bounds in source.plan(bounds, metres_per_pixel, size):
        try:
            image = source.load_cached(key)
        except (DataError, OSError, ValueError):
            image = None
        if image is None:
            missing = True
        else:
            images.append((key_bounds, image))
    return images, missing


def write_map_image(picture: MapPicture, path: str | Path, feedback: Feedback | None = None) -> Path:
    """Draw ``picture`` and write it to ``path`` as PNG (any thread); returns ``path``.

    The file is written under a temporary name and renamed into place when complete: a cancel
    (``CancelledError``) or failure leaves no file and an existing file as it was. Raises
    ``OSError`` naming the file when it cannot be written.
    """
    from gisapp.reports.common import atomic_path

    path = Path(path)
    if not path.parent.is_dir():
        raise OSError(tr("Kan {path} niet schrijven: kies een map waarin u mag schrijven", path=path))
    feedback = ensure(feedback)
    image = render_picture(picture, Part(feedback, 0.0, DRAW_SHARE))
    check(feedback)
    feedback.progress(DRAW_SHARE, tr("{laag} wegschrijven", laag=path.name))
    try:
        with atomic_path(path, ".png") as tmp:
            if not image.save(str(tmp), "PNG"):
                raise OSError(tr("Kan {path} niet schrijven: kies een map waarin u mag schrijven", path=path))
            check(feedback)  # cancelled while writing: the temporary file goes
    except PermissionError as exc:
        raise OSError(tr("Kan {path} niet schrijven: kies een map waarin u mag schrijven", path=path)) from exc
    feedback.progress(1.0, tr("{laag} wegschrijven", laag=path.name))
    return path
