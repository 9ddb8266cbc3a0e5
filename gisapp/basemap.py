"""The background map on the canvas: WMTS tiles or an offline file, loaded off the GUI thread.

:class:`BasemapItem` sits below every layer. When the view settles the canvas calls
:meth:`BasemapItem.request`; the tiles (or the file's window) are read in a small thread pool
(:mod:`layers.sources.wmts` with its disk cache, :mod:`layers.sources.basemap` for files) and
arrive in the GUI thread through a queued signal, so a slow or absent server never blocks the
window. :class:`AttributionItem` shows the source's attribution in the bottom-right corner.
:class:`BasemapMenu` is the "Kaart → Achtergrondkaart" menu and keeps the choice in the
project's settings.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QObject, Signal

from gisapp.i18n import error_text, language, tr
from layers.errors import DataError
from layers.sources.basemap import BASEMAP_FILE_PATTERNS, FILE_ATTRIBUTION, BasemapSetting, read_basemap_window
from layers.sources.wmts import TileError, TileFetcher, TileService, load_services

#: Worker threads fetching tiles (a few requests in parallel, as a browser does).
FETCH_THREADS = 4
#: Images kept for panning back and forth.
MAX_IMAGES = 600
_Z_VALUE = -1e9


class TileSource:
    """A WMTS service through a disk cache: one image per tile."""

    def __init__(self, service: TileService, cache_dir: Path | None = None):
        self.fetcher = TileFetcher(service, cache_dir)
        self.service = service
        self.attribution = service.attribution
        self.key = service.key

    def plan(self, bounds, metres_per_pixel: float, size_px: tuple[int, int]) -> list[tuple[tuple, tuple]]:
        """(image key, bounds) of the tiles covering ``bounds`` at the fitting tile matrix."""
        matrix = self.service.matrix
        z = matrix.zoom_for(metres_per_pixel, self.service.max_zoom)
        try:
            tiles = matrix.tiles_covering(bounds, z)
        except ValueError:  # too many tiles: a view far outside the Netherlands' scale range
            return []
        return [(tile, matrix.tile_bounds(*tile)) for tile in tiles]

    def load_cached(self, key: tuple) -> QtGui.QImage | None:
        """The tile image from the disk cache, None when it is not there."""
        data = self.fetcher.cached(*key)
        image = QtGui.QImage.fromData(data) if data is not None else None
        return image if image is not None and not image.isNull() else None

    def load(self, key: tuple) -> QtGui.QImage:
        """The tile image (worker thread); ``TileError`` when it cannot be fetched."""
        image = QtGui.QImage.fromData(self.fetcher.fetch(*key))
        if image.isNull():
            raise TileError(tr("tegel {key} is geen afbeelding", key=key))
        return image


class FileSource:
    """An offline GeoTIFF, MBTiles or GeoPackage-tiles file: one image per view."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.attribution = tr(FILE_ATTRIBUTION)
        self.key = str(self.path)

    def plan(self, bounds, metres_per_pixel: float, size_px: tuple[int, int]) -> list[tuple[tuple, tuple]]:
        width, height = max(1, int(size_px[0])), max(1, int(size_px[1]))
        return [(("file", tuple(round(b, 3) for b in bounds), width, height), tuple(bounds))]

    def load_cached(self, key: tuple) -> QtGui.QImage:
        """A file is on disk: read the window now."""
        return self.load(key)

    def load(self, key: tuple) -> QtGui.QImage:
        _, bounds, width, height = key
        rgba = np.ascontiguousarray(read_basemap_window(self.path, bounds, width, height))
        image = QtGui.QImage(rgba.data, width, height, width * 4, QtGui.QImage.Format.Format_RGBA8888)
        return image.copy()  # own the pixels: ``rgba`` goes away with this frame


class _Bridge(QObject):
    """Carries finished images from the pool threads to the GUI thread (queued)."""

    loaded = Signal(int, object, object, object)
    failed = Signal(int, str)


class BasemapItem(pg.GraphicsObject):
    """Draws the background map's images below every layer.

    Signals (on :attr:`bridge`): ``loaded(generation, key, bounds, image)``, ``failed(generation, text)``.
    """

    def __init__(self):
        super().__init__()
        self.setZValue(_Z_VALUE)
        self._source = None
        self._generation = 0
        self._images: dict[tuple, tuple[tuple, QtGui.QImage]] = {}
        self._pending: set[tuple] = set()
        self._failed: set[tuple] = set()
        self._wanted: list[tuple] = []
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self.bridge = _Bridge()
        self.bridge.loaded.connect(self._on_loaded)
        self.bridge.failed.connect(self._on_failed)
        self.errors: list[str] = []

    # -- source ------------------------------------------------------------------------------
    @property
    def source(self):
        return self._source

    def set_source(self, source) -> None:
        """Show ``source`` (a :class:`TileSource`, :class:`FileSource`) or nothing (None)."""
        self._generation += 1
        self._source = source
        self._images.clear()
        self._pending.clear()
        self._failed.clear()
        self._wanted = []
        self.errors = []
        self.setVisible(source is not None)
        self.update()

    def attribution(self) -> str:
        return self._source.attribution if self._source is not None else ""

    def is_loading(self) -> bool:
        """True while images of a request are still being loaded."""
        return bool(self._pending)

    def is_complete(self) -> bool:
        """True when every image of the last request is there (tests, reports of the view)."""
        return bool(self._wanted) and all(key in self._images for key in self._wanted)

    # -- loading -----------------------------------------------------------------------------
    def request(self, bounds, metres_per_pixel: float, size_px: tuple[int, int]) -> None:
        """Load what the view ``bounds`` needs (GUI thread; returns at once)."""
        source = self._source
        if source is None or not metres_per_pixel > 0:
            return
        self._generation += 1
        plan = source.plan(bounds, metres_per_pixel, size_px)
        self._wanted = [key for key, _ in plan]
        self._prune()
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=FETCH_THREADS, thread_name_prefix="achtergrondkaart")
        for key, key_bounds in plan:
            if key in self._images or key in self._pending or key in self._failed:
                continue  # a tile that failed is asked again only after choosing the map again
            self._pending.add(key)
            self._pool.submit(self._load, source, self._generation, key, key_bounds)

    def _load(self, source, generation: int, key: tuple, bounds: tuple) -> None:
        """In a pool thread: skip what the view no longer needs, else load and hand over."""
        if source is not self._source or key not in self._wanted:
            self.bridge.loaded.emit(generation, key, bounds, None)
            return
        try:
            image = source.load(key)
        except (TileError, DataError, OSError, ValueError) as exc:
            self._failed.add(key)
            self.bridge.failed.emit(generation, error_text(exc))
            self.bridge.loaded.emit(generation, key, bounds, None)
            return
        self.bridge.loaded.emit(generation, key, bounds, image)

    def _on_loaded(self, generation: int, key, bounds, image) -> None:
        self._pending.discard(key)
        if image is None or self._source is None:
            return
        self._images[key] = (bounds, image)
        if self.is_complete():
            self._prune(keep_only_wanted=True)
        self.update()

    def _on_failed(self, generation: int, text: str) -> None:
        if len(self.errors) < 20:
            self.errors.append(text)

    def _prune(self, keep_only_wanted: bool = False) -> None:
        """Drop images of other views once the current one is complete, and beyond :data:`MAX_IMAGES`."""
        wanted = set(self._wanted)
        if keep_only_wanted:
            for key in [k for k in self._images if k not in wanted]:
                del self._images[key]
        while len(self._images) > MAX_IMAGES:
            old = next((k for k in self._images if k not in wanted), None)
            if old is None:
                break
            del self._images[old]

    def fill_from_disk(self, bounds, metres_per_pixel: float, size_px: tuple[int, int]) -> int:
        """Add the images of a view now, from the tile cache or the offline file (for an exported image).

        Runs in the calling thread and never uses the network; returns the number of images added.
        """
        source = self._source
        if source is None or not metres_per_pixel > 0:
            return 0
        added = 0
        for key, key_bounds in source.plan(bounds, metres_per_pixel, size_px):
            if key in self._images:
                continue
            try:
                image = source.load_cached(key)
            except (DataError, OSError, ValueError):
                image = None
            if image is not None:
                self._images[key] = (key_bounds, image)
                added += 1
        if added:
            self.update()
        return added

    def shutdown(self) -> None:
        """Stop the pool threads (running fetches end on their own timeout)."""
        self._source = None
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    # -- drawing -----------------------------------------------------------------------------
    def boundingRect(self) -> QtCore.QRectF:
        if not self._images:
            return QtCore.QRectF()
        b = np.array([bounds for bounds, _ in self._images.values()], dtype="float64")
        return QtCore.QRectF(b[:, 0].min(), b[:, 1].min(), b[:, 2].max() - b[:, 0].min(), b[:, 3].max() - b[:, 1].min())

    def paint(self, painter: QtGui.QPainter, option=None, widget=None) -> None:
        if not self._images:
            return
        wanted = set(self._wanted)
        # Images of other zooms first: they fill in until the current ones arrive.
        order = sorted(self._images.items(), key=lambda item: item[0] in wanted)
        draw_background_images(painter, [placed for _, placed in order])


def draw_background_images(painter: QtGui.QPainter, images) -> None:
    """Draw ``[((xmin, ymin, xmax, ymax), QImage), ...]`` (bottom first) in map units, where the
    painter's transform puts them (the canvas, and an exported image in a worker thread)."""
    painter.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, True)
    for (xmin, ymin, xmax, ymax), image in images:
        painter.save()
        # The view's y axis points up; an image's rows go down: flip around the top edge.
        painter.translate(xmin, ymax)
        painter.scale((xmax - xmin) / image.width(), -(ymax - ymin) / image.height())
        painter.drawImage(QtCore.QPointF(0, 0), image)
        painter.restore()


class AttributionItem(pg.GraphicsObject):
    """The background map's attribution in the bottom-right corner of its parent ViewBox."""

    MARGIN = 4.0

    def __init__(self, parent=None):
        super().__init__(parent)
        self._text = ""
        self._font = QtGui.QFont()
        self._font.setPixelSize(10)
        self._size = QtCore.QSizeF(0, 0)
        self.setZValue(1e6)

    @property
    def text(self) -> str:
        return self._text

    def set_text(self, text: str, view_width: float, view_height: float) -> None:
        self.prepareGeometryChange()
        self._text = text
        metrics = QtGui.QFontMetricsF(self._font)
        self._size = QtCore.QSizeF(metrics.horizontalAdvance(text) + 8, metrics.height() + 2) if text else QtCore.QSizeF(0, 0)
        self.place(view_width, view_height)
        self.update()

    def place(self, view_width: float, view_height: float) -> None:
        self.setPos(view_width - self._size.width() - self.MARGIN, view_height - self._size.height() - self.MARGIN)

    def boundingRect(self) -> QtCore.QRectF:
        return QtCore.QRectF(QtCore.QPointF(0, 0), self._size)

    def paint(self, painter: QtGui.QPainter, option=None, widget=None) -> None:
        if not self._text:
            return
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(QtGui.QColor(255, 255, 255, 210))
        painter.drawRect(self.boundingRect())
        painter.setPen(QtGui.QColor(40, 40, 40))
        painter.setFont(self._font)
        painter.drawText(self.boundingRect(), QtCore.Qt.AlignmentFlag.AlignCenter, self._text)


def source_for(setting: BasemapSetting | None, folder: Path, services: dict[str, TileService] | None = None):
    """The canvas source for a project's choice; None for none. ``DataError`` for an unknown service."""
    if setting is None:
        return None
    if setting.path:
        path = Path(setting.path).expanduser()
        return FileSource(path if path.is_absolute() else Path(folder) / path)
    services = services if services is not None else load_services()
    if setting.service not in services:
        raise DataError(tr("onbekende achtergrondkaart '{name}'; kies uit: {names}", name=setting.service,
                           names=", ".join(services)))
    return TileSource(services[setting.service])


class BasemapMenu(QObject):
    """The "Achtergrondkaart" menu: none, the services of ``basemaps.toml``, or a file.

    ``window`` needs ``canvas``, ``project`` and ``set_modified(bool)``, and a ``project_changed``
    signal; the choice is written to ``project.settings`` and applied when a project opens.
    """

    def __init__(self, window, services: dict[str, TileService] | None = None):
        super().__init__(window)
        self.window = window
        try:
            self.services = services if services is not None else load_services()
        except DataError as exc:
            self.services = {}
            self.load_error = error_text(exc)
        else:
            self.load_error = ""
        self.menu = QtWidgets.QMenu(tr("Achtergrondkaart"), window)
        self.menu.setObjectName("menu_achtergrondkaart")
        self.group = QtGui.QActionGroup(self)
        self.actions: dict[str, QtGui.QAction] = {}
        self._add("geen", tr("Geen"), partial(self.choose, None))
        for key, service in self.services.items():
            label = service.label_en if language() == "en" and service.label_en else service.label
            self._add(key, label, partial(self.choose, BasemapSetting(service=key)))
        self.menu.addSeparator()
        self._add("bestand", tr("Bestand…"), self.choose_file)
        self.actions["geen"].setChecked(True)
        self._warned = False
        window.project_changed.connect(self.apply_project)
        window.canvas.basemap_item().bridge.failed.connect(self._on_failed)

    def _add(self, key: str, text: str, slot) -> None:
        action = QtGui.QAction(text, self.menu)
        action.setObjectName(f"basemap_{key}")
        action.setCheckable(True)
        action.triggered.connect(lambda _checked=False: slot())
        self.group.addAction(action)
        self.menu.addAction(action)
        self.actions[key] = action

    def choose(self, setting: BasemapSetting | None) -> None:
        """Show ``setting`` and keep it in the project (marks the project modified)."""
        project = self.window.project
        if not self._show(setting, project.folder):
            return
        if setting is None:
            BasemapSetting.clear(project.settings)
        else:
            setting.store(project.settings)
        self.window.set_modified(True)

    def choose_file(self) -> None:
        patterns = " ".join(BASEMAP_FILE_PATTERNS)
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self.window, tr("Achtergrondkaart kiezen"), str(self.window.project.folder),
            f"{tr('Achtergrondkaart')} ({patterns})")
        if not path:
            self._check_current()
            return
        folder = self.window.project.folder
        try:
            stored = str(Path(path).resolve().relative_to(folder.resolve()))
        except ValueError:
            stored = str(Path(path).resolve())
        self.choose(BasemapSetting(path=stored))

    def apply_project(self, project) -> None:
        """Show the background map stored in ``project`` (none when it has none)."""
        self._show(BasemapSetting.from_settings(project.settings), project.folder)

    def _show(self, setting: BasemapSetting | None, folder: Path) -> bool:
        try:
            source = source_for(setting, folder, self.services)
        except DataError as exc:
            self._message(error_text(exc))
            self._check_current()
            return False
        self.window.canvas.set_basemap(source)
        self._warned = False
        self._check_current()
        return True

    def _check_current(self) -> None:
        source = self.window.canvas.basemap_source()
        if source is None:
            key = "geen"
        elif isinstance(source, FileSource):
            key = "bestand"
        else:
            key = source.key
        if key in self.actions:
            self.actions[key].setChecked(True)

    def _on_failed(self, _generation: int, text: str) -> None:
        """Say once per chosen map that tiles cannot be fetched (no network, server down)."""
        if not self._warned:
            self._warned = True
            self._message(tr("Achtergrondkaart: tegels niet op te halen ({error})", error=text))

    def _message(self, text: str) -> None:
        bar = self.window.statusBar() if hasattr(self.window, "statusBar") else None
        if bar is not None:
            bar.showMessage(text, 8000)
