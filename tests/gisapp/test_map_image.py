"""Saving the map as an image (issue 23): drawn and written in the window's worker, with progress
and "Annuleren", the same picture the canvas shows."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gisapp import map_tools
from gisapp.map_image import map_picture, render_picture, write_map_image
from layers.feedback import CancelledError, NullFeedback
from tests.gisapp.test_basemap import TILE_COLOUR, service, tile_server  # noqa: F401 (fixtures)


def _pixels(image: QtGui.QImage) -> np.ndarray:
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return buffer.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3].astype(int)


def _answer_dialogs(monkeypatch, target, dpi) -> None:
    monkeypatch.setattr(map_tools, "IMAGE_DPIS", (None, dpi))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QtWidgets.QInputDialog, "getItem", lambda parent, title, label, items, *a: (items[1], True))


def test_the_image_is_the_map_as_the_canvas_draws_it(window, monkeypatch):
    """Drawn off the canvas from its snapshots: polygons, points, a raster, the selection, scale bar
    and north arrow as the canvas's own rendering of its scene; also for layers whose snapshot is
    still being built (made from their data in the worker)."""
    canvas = window.canvas
    for name in ("verblijfsobjecten", "bodemdaling"):
        window.layer(name).visible = True
    canvas.zoom_in()
    canvas.set_selection(window.layer("buurten"), [0, 1, 2])
    canvas.wait_for_layers()
    view = canvas.viewport()
    expected = _pixels(canvas.render_to_image(view.width(), view.height()))
    image = render_picture(map_picture(canvas))
    assert (image.width(), image.height()) == (view.width(), view.height())
    drawn = _pixels(image)
    differs = np.abs(drawn - expected).sum(axis=2) > 60
    assert differs.mean() < 0.01, differs.mean()
    assert len(np.unique(drawn.reshape(-1, 3), axis=0)) > 50  # not a blank image
    monkeypatch.setattr(canvas, "is_preparing", lambda layer=None: True)
    rebuilt = _pixels(render_picture(map_picture(canvas)))
    assert (np.abs(rebuilt - expected).sum(axis=2) > 60).mean() < 0.01


def test_saving_at_600_dpi_keeps_the_window_responsive(window, tmp_path, monkeypatch, qtbot):
    target = tmp_path / "kaart600.png"
    _answer_dialogs(monkeypatch, target, 600)
    ticks: list[float] = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(20)
    saved = []
    window.map_tools.image_saved.connect(saved.append)
    started = time.perf_counter()
    assert window.map_tools.choose_and_save_image() == target
    asked = time.perf_counter() - started
    qtbot.waitUntil(lambda: target.exists() and not window.background.is_running(), timeout=60_000)
    ended = time.perf_counter()
    timer.stop()
    # the GUI thread only took what the map shows: the drawing and the PNG ran beside the event loop
    assert asked < 0.5, asked
    during = [t for t in ticks if started < t < ended]
    assert len(during) >= 5, (len(during), ended - started)
    assert saved == [target]
    image = QtGui.QImage(str(target))
    view = window.canvas.viewport()
    assert image.width() == round(view.width() * 600 / view.logicalDpiX())
    assert round(image.dotsPerMeterX() * 0.0254) == 600
    assert str(target) in window.statusBar().currentMessage()


def test_a_cancelled_save_leaves_no_file(window, tmp_path, monkeypatch, qtbot):
    target = tmp_path / "kaart.png"
    _answer_dialogs(monkeypatch, target, 600)
    task = window.background
    with qtbot.waitSignal(task.runner.done, timeout=60_000):
        assert window.map_tools.choose_and_save_image() == target
        assert task.cancel_button.isVisible()
        task.cancel()  # "Annuleren" while the map is drawn
    assert list(tmp_path.iterdir()) == []
    assert "geannuleerd" in window.statusBar().currentMessage()
    assert task.last_error is None


class _CancelAt(NullFeedback):
    """Cancels once a progress text starts with ``text``."""

    def __init__(self, text: str):
        self.text, self.steps = text, []

    def progress(self, fraction: float, text: str = "") -> None:
        self.steps.append(text)

    def is_cancelled(self) -> bool:
        return any(step.startswith(self.text) for step in self.steps)


def test_a_cancel_while_writing_keeps_an_existing_file_and_leaves_no_temporary_one(window, tmp_path):
    target = tmp_path / "kaart.png"
    target.write_bytes(b"vorige kaart")
    feedback = _CancelAt("kaart.png wegschrijven")
    with pytest.raises(CancelledError):
        write_map_image(map_picture(window.canvas, 150), target, feedback)
    assert any(step.startswith("kaart: laag") for step in feedback.steps)
    assert list(tmp_path.iterdir()) == [target] and target.read_bytes() == b"vorige kaart"
    with pytest.raises(CancelledError):  # cancelled while drawing
        write_map_image(map_picture(window.canvas, 150), target, _CancelAt("kaart: laag 2"))
    assert list(tmp_path.iterdir()) == [target] and target.read_bytes() == b"vorige kaart"


def test_the_background_map_from_disk_and_the_screen_zoom_where_finer_tiles_are_missing(qtbot, canvas, tile_server,
                                                                                        service, tmp_path):
    from gisapp.basemap import TileSource

    canvas.zoom_to_extent((120000.0, 480000.0, 121000.0, 481000.0))
    canvas.set_basemap(TileSource(service, tmp_path / "cache"))
    qtbot.waitUntil(canvas.basemap_item().is_complete, timeout=10000)  # the screen's tiles, now on disk
    requests = len(tile_server.requests)
    view = canvas.viewport()
    picture = map_picture(canvas, 4 * view.logicalDpiX())  # a finer tile level that was never fetched
    assert len(picture.decorations) == 3  # scale bar, north arrow, attribution
    pixels = _pixels(render_picture(picture))
    assert (pixels == TILE_COLOUR).all(axis=-1).mean() > 0.8, "the screen's tiles fill in"
    assert len(tile_server.requests) == requests  # never the network
