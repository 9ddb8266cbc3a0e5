"""Layers cost nothing until shown, and large snapshots are built off the GUI thread."""

from __future__ import annotations

import threading

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6 import QtGui

from gisapp import canvas as canvas_module
from gisapp import canvas_snapshot
from gisapp.canvas import MapCanvas
from gisapp.canvas_render import PointLayerItem, VectorLayerItem
from gisapp.canvas_snapshot import layer_snapshot
from layers.layer import LayerCollection, VectorLayer
from styles import SingleSymbol, SymbolStyle

pytestmark = pytest.mark.gui

X0, Y0 = 120_000.0, 480_000.0
RED = SingleSymbol(SymbolStyle(fill="#ff0000ff", stroke="#00000000", stroke_width=0.0))
BLUE = SingleSymbol(SymbolStyle(fill="#0000ffff", stroke="#00000000", stroke_width=0.0))


def squares(n: int = 20, size: float = 40.0) -> gpd.GeoDataFrame:
    x = X0 + np.arange(n) % 5 * 60.0
    y = Y0 + np.arange(n) // 5 * 60.0
    return gpd.GeoDataFrame({"n": np.arange(n)}, geometry=shapely.box(x, y, x + size, y + size), crs="EPSG:28992")


@pytest.fixture
def builds(monkeypatch):
    """Every snapshot built from a layer's data: the name of the thread that built it."""
    threads: list[str] = []
    real = canvas_snapshot.build_vector_snapshot

    def counting(gdf, style, kind=None):
        threads.append(threading.current_thread().name)
        return real(gdf, style, kind)

    monkeypatch.setattr(canvas_snapshot, "build_vector_snapshot", counting)
    return threads


def colour_at(canvas: MapCanvas, x: float, y: float) -> str:
    vb = canvas.view_box()
    image = canvas.render_to_image(int(vb.width()), int(vb.height()))
    x0, y0, x1, y1 = canvas.current_extent()
    return image.pixelColor(int((x - x0) / (x1 - x0) * image.width()), int((y1 - y) / (y1 - y0) * image.height())).name()


def test_a_hidden_layer_gets_no_item_until_it_is_shown(canvas, builds):
    shown = VectorLayer("blokken", squares(), style=RED)
    hidden = VectorLayer("punten", gpd.GeoDataFrame(geometry=shapely.points([X0 + 140, X0 + 500], [Y0 + 200, Y0 + 400]),
                                                     crs="EPSG:28992"), role="verblijfsobjecten")
    hidden.visible = False
    canvas.set_layers(LayerCollection([shown, hidden]))
    assert canvas.layer_item(hidden) is None
    assert builds == ["MainThread"]  # only the shown layer was converted
    # its extent still counts for the full view
    canvas.zoom_full()
    x0, y0, x1, y1 = canvas.current_extent()
    assert x1 >= X0 + 500 and y1 >= Y0 + 400

    hidden.visible = True
    item = canvas.layer_item(hidden)
    assert isinstance(item, PointLayerItem) and item.isVisible()
    assert item.zValue() == 1
    assert colour_at(canvas, X0 + 140, Y0 + 200) == "#3182bd"  # the marker, drawn over the blocks
    assert len(builds) == 2

    hidden.visible = False  # hiding keeps the item: showing it again is instant
    assert canvas.layer_item(hidden) is item and not item.isVisible()
    hidden.style = SingleSymbol(SymbolStyle(fill="#00ff00ff", marker_size=3.0))
    assert canvas.layer_item(hidden) is None  # a change of a hidden layer drops the stale drawing
    assert len(builds) == 2
    hidden.visible = True
    assert colour_at(canvas, X0 + 140, Y0 + 200) == "#00ff00"


def test_a_hidden_layer_can_be_selected_and_zoomed_to(canvas, builds):
    layer = VectorLayer("blokken", squares(), style=RED)
    layer.visible = False
    canvas.set_layers(LayerCollection([layer]))
    canvas.zoom_to_layer(layer)
    x0, y0, x1, y1 = canvas.current_extent()
    assert x0 <= X0 and x1 >= X0 + 280
    canvas.set_selection(layer, [6, 17])
    assert canvas.selection()[1].tolist() == [6, 17]
    assert canvas.layer_item(layer) is None
    with pytest.raises(ValueError):
        canvas.set_selection(layer, [99])
    canvas.zoom_to_extent((X0 + 100, Y0 + 170, X0 + 220, Y0 + 230))
    yellow = QtGui.QColor(colour_at(canvas, X0 + 120.1, Y0 + 200))  # the yellow outline of square 17
    assert yellow.red() > 200 and yellow.green() > 200 and yellow.blue() < 80
    assert colour_at(canvas, X0 + 140, Y0 + 200) == "#ffffff"  # the layer itself stays hidden
    assert builds == []  # the layer itself was never converted (only the selected rows, for the outline)


def test_a_large_layer_is_prepared_in_a_worker_and_drawn_when_ready(qtbot, monkeypatch, canvas, builds):
    monkeypatch.setattr(canvas_module, "BACKGROUND_MIN_FEATURES", 10)
    collection = LayerCollection([VectorLayer("klein", squares(3), style=BLUE)])
    canvas.set_layers(collection)
    large = VectorLayer("groot", squares(20), style=RED)
    with qtbot.waitSignal(canvas.layer_ready, timeout=10000) as ready:
        collection.append(large)
        assert canvas.layer_item(large) is None and canvas.is_preparing(large)
    assert ready.args == [large]
    assert builds[-1] != "MainThread"
    item = canvas.layer_item(large)
    assert isinstance(item, VectorLayerItem) and item.zValue() == 1
    assert not canvas.is_preparing()
    canvas.zoom_full()
    assert colour_at(canvas, X0 + 250, Y0 + 200) == "#ff0000"

    # a data change keeps drawing the old snapshot until the new one is there
    with qtbot.waitSignal(canvas.layer_ready, timeout=10000):
        large.data = squares(12)
        assert canvas.layer_item(large) is item and item.snapshot.n == 20
    assert canvas.layer_item(large) is item and item.snapshot.n == 12
    # a style change only recomputes the classes (in the worker too)
    count = len(builds)
    with qtbot.waitSignal(canvas.layer_ready, timeout=10000):
        large.style = BLUE
    assert len(builds) == count and item.snapshot.n == 12
    assert colour_at(canvas, X0 + 140, Y0 + 80) == "#0000ff"


def test_render_to_image_waits_for_a_layer_being_prepared(monkeypatch, canvas):
    monkeypatch.setattr(canvas_module, "BACKGROUND_MIN_FEATURES", 10)
    collection = LayerCollection()
    canvas.set_layers(collection)
    large = VectorLayer("groot", squares(20), style=RED)
    collection.append(large)
    canvas.zoom_to_extent((X0, Y0, X0 + 300, Y0 + 250))
    assert canvas.layer_item(large) is None
    assert colour_at(canvas, X0 + 140, Y0 + 200) == "#ff0000"
    assert canvas.layer_item(large) is not None and not canvas.is_preparing()


def test_a_snapshot_prepared_elsewhere_is_used_without_building(monkeypatch, canvas, builds):
    monkeypatch.setattr(canvas_module, "BACKGROUND_MIN_FEATURES", 10)
    collection = LayerCollection()
    canvas.set_layers(collection)
    layer = VectorLayer("groot", squares(20), style=RED)
    prepared = {}
    worker = threading.Thread(target=lambda: prepared.update(snapshot=layer_snapshot(layer), extent=layer.extent))
    worker.start()
    worker.join()
    assert builds and builds[0] != "MainThread"
    canvas.offer_prepared(layer, **prepared)
    collection.append(layer)
    item = canvas.layer_item(layer)
    assert item is not None and item.snapshot is prepared["snapshot"]  # at once: nothing built here
    assert len(builds) == 1

    # an offer made before the style changed is not used
    other = VectorLayer("ander", squares(20), style=RED)
    canvas.offer_prepared(other, snapshot=layer_snapshot(other))
    other.style = BLUE
    collection.append(other)
    assert canvas.layer_item(other) is None and canvas.is_preparing(other)
    canvas.wait_for_layers()
    assert canvas.layer_item(other).snapshot.symbols[0].fill == "#0000ffff"


def test_a_large_layer_gets_its_spatial_index_in_the_snapshot_thread(qtbot, monkeypatch, canvas):
    """A large layer shown on the map (first or after a data change) gets its identify index
    built in the snapshot worker, after its snapshot, not by the first click."""
    from layers import spatial_index

    monkeypatch.setattr(canvas_module, "BACKGROUND_MIN_FEATURES", 10)
    monkeypatch.setattr(spatial_index, "BUILD_IN_BACKGROUND_FROM", 10)
    monkeypatch.setattr(spatial_index, "CHUNK", 4)
    builders: list[str] = []
    real = spatial_index.ChunkedIndex._build_next

    def recording(self):
        builders.append(threading.current_thread().name)
        return real(self)

    monkeypatch.setattr(spatial_index.ChunkedIndex, "_build_next", recording)
    collection = LayerCollection([])
    canvas.set_layers(collection)
    large = VectorLayer("groot", squares(20), style=RED)
    with qtbot.waitSignal(canvas.layer_ready, timeout=10000):
        collection.append(large)
    qtbot.waitUntil(lambda: large.spatial_index().complete, timeout=10000)
    assert len(builders) == 5 and "MainThread" not in builders
    builders.clear()
    with qtbot.waitSignal(canvas.layer_ready, timeout=10000):
        large.data = squares(12)  # a new frame: its own index, built in the worker again
    qtbot.waitUntil(lambda: large.spatial_index().complete, timeout=10000)
    assert len(builders) == 3 and "MainThread" not in builders
    assert list(large.spatial_index().query(shapely.Point(X0 + 20, Y0 + 20), "intersects")) == [0]
