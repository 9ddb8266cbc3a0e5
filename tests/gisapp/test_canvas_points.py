"""Point layers on the map: drawn batched (markers per class or splatted), selection, identify."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6 import QtGui

from gisapp import canvas_render
from gisapp.canvas import MapCanvas
from gisapp.canvas_render import PointLayerItem
from gisapp.identify import identify
from layers.layer import LayerCollection, VectorLayer
from styles import Categorized, Category, SymbolStyle

pytestmark = pytest.mark.gui

X0, Y0 = 120_000.0, 480_000.0
RED, GREEN, BLUE = (230, 20, 20), (20, 200, 20), (20, 20, 230)


def _hex(rgb) -> str:
    return "#{:02x}{:02x}{:02x}ff".format(*rgb)


def point_style(marker_size: float = 2.0, stroke: str = "#000000ff", stroke_width: float = 0.3) -> Categorized:
    return Categorized(
        "klasse",
        tuple(
            Category(i, str(i), SymbolStyle(fill=_hex(rgb), stroke=stroke, stroke_width=stroke_width, marker_size=marker_size))
            for i, rgb in enumerate((RED, GREEN, BLUE))
        ),
    )


def clustered_points(n_per_class: int = 4000, seed: int = 5) -> gpd.GeoDataFrame:
    """Three clusters 3 km apart, one per class (so each colour has its own part of the map)."""
    rng = np.random.default_rng(seed)
    xs, ys, klasse = [], [], []
    for k, (cx, cy) in enumerate(((1000.0, 1000.0), (4000.0, 1000.0), (2500.0, 3500.0))):
        xs.append(X0 + cx + rng.normal(0, 300, n_per_class))
        ys.append(Y0 + cy + rng.normal(0, 300, n_per_class))
        klasse.append(np.full(n_per_class, k))
    return gpd.GeoDataFrame(
        {"klasse": np.concatenate(klasse)}, geometry=shapely.points(np.concatenate(xs), np.concatenate(ys)), crs="EPSG:28992"
    )


@pytest.fixture
def canvas(qtbot):
    widget = MapCanvas()
    qtbot.addWidget(widget)
    widget.resize(500, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def render(canvas: MapCanvas) -> np.ndarray:
    vb = canvas.view_box()
    image = canvas.render_to_image(int(vb.width()), int(vb.height()))
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    array = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return array[:, : image.width(), [2, 1, 0]].astype(int)  # BGRA in memory -> RGB


def to_pixel(canvas: MapCanvas, image: np.ndarray, x: float, y: float) -> tuple[int, int]:
    x0, y0, x1, y1 = canvas.current_extent()
    return int((y1 - y) / (y1 - y0) * image.shape[0]), int((x - x0) / (x1 - x0) * image.shape[1])


def near(array: np.ndarray, rgb, tolerance: int = 40) -> np.ndarray:
    return (np.abs(array - np.array(rgb)) <= tolerance).all(axis=-1)


def test_many_points_are_splatted_in_their_class_colours(monkeypatch, canvas):
    monkeypatch.setattr(canvas_render, "POINT_FRAGMENT_BUDGET", 1000)
    monkeypatch.setattr(canvas_render, "OVERVIEW_MIN_FEATURES", 10**9)  # this test: the per-frame splat
    layer = VectorLayer("vbo", clustered_points(), role="verblijfsobjecten", style=point_style())
    canvas.set_layers(LayerCollection([layer]))
    item = canvas.layer_item(layer)
    assert isinstance(item, PointLayerItem)
    array = render(canvas)
    assert item.last_frame["visible"] == 12_000
    assert item.last_frame["splatted"] == 12_000 and item.last_frame["markers"] == 0
    for rgb in (RED, GREEN, BLUE):
        assert near(array, rgb).sum() > 500, rgb
    # each class is drawn where its points are: red in the red cluster, not in the blue one
    row, col = to_pixel(canvas, array, X0 + 1000, Y0 + 1000)
    assert near(array[row - 15 : row + 15, col - 15 : col + 15], RED).sum() > 50
    assert near(array[row - 15 : row + 15, col - 15 : col + 15], BLUE).sum() == 0
    row, col = to_pixel(canvas, array, X0 + 2500, Y0 + 3500)
    assert near(array[row - 15 : row + 15, col - 15 : col + 15], BLUE).sum() > 50


def test_a_very_large_point_layer_draws_from_a_cached_overview(monkeypatch, canvas):
    monkeypatch.setattr(canvas_render, "POINT_FRAGMENT_BUDGET", 1000)
    monkeypatch.setattr(canvas_render, "OVERVIEW_MIN_FEATURES", 5000)
    layer = VectorLayer("vbo", clustered_points(), role="verblijfsobjecten", style=point_style())
    canvas.set_layers(LayerCollection([layer]))
    item = canvas.layer_item(layer)
    canvas.viewport().repaint()
    overview = item._overview
    assert item.last_frame["overview"] == 1 and overview is not None
    item.set_settled(False)
    canvas.view_box().translateBy(t=(300.0, 0.0))
    canvas.viewport().repaint()
    assert item._overview is overview  # a pan reuses it
    array = render(canvas)
    for rgb in (RED, GREEN, BLUE):
        assert near(array, rgb).sum() > 500, rgb


def test_few_points_are_drawn_as_markers_of_their_size_and_outline(canvas):
    gdf = gpd.GeoDataFrame(
        {"klasse": [0, 1, 2]}, geometry=shapely.points([X0, X0 + 40, X0 + 80], [Y0, Y0, Y0]), crs="EPSG:28992"
    )
    style = point_style(marker_size=4.0, stroke="#000000ff", stroke_width=0.5)
    layer = VectorLayer("vbo", gdf, role="verblijfsobjecten", style=style)
    canvas.set_layers(LayerCollection([layer]))
    canvas.zoom_to_extent((X0 - 20, Y0 - 40, X0 + 100, Y0 + 40))
    array = render(canvas)
    item = canvas.layer_item(layer)
    assert item.last_frame["markers"] == 3 and item.last_frame["splatted"] == 0
    diameter_px, pen_px = 4.0 * canvas._px_per_mm, 0.5 * canvas._px_per_mm
    for x, rgb in zip((X0, X0 + 40, X0 + 80), (RED, GREEN, BLUE)):
        row, col = to_pixel(canvas, array, x, Y0)
        assert near(array[row, col], rgb), (x, array[row, col])
        # the marker is as wide as its size in millimetres whatever the zoom (the outline is
        # centred on its edge: the fill shows over the diameter less one pen width)
        line = near(array[row, col - 40 : col + 40], rgb)
        assert diameter_px - pen_px - 2 <= line.sum() <= diameter_px, (line.sum(), diameter_px)
        # with a dark outline around the fill
        left = np.flatnonzero(line)[0] + col - 40
        assert array[row, left - 3 : left].max(axis=1).min() < 80


def test_zoomed_in_keeps_class_colours_and_out_of_view_points_cost_nothing(canvas):
    layer = VectorLayer("vbo", clustered_points(), role="verblijfsobjecten", style=point_style())
    canvas.set_layers(LayerCollection([layer]))
    canvas.zoom_to_extent((X0 + 900, Y0 + 900, X0 + 1100, Y0 + 1100))  # inside the red cluster
    array = render(canvas)
    item = canvas.layer_item(layer)
    assert 0 < item.last_frame["visible"] < 1000
    assert item.last_frame["markers"] == item.last_frame["visible"]
    assert near(array, RED).sum() > 200
    assert near(array, GREEN).sum() == 0 and near(array, BLUE).sum() == 0


def test_one_item_for_the_whole_layer(canvas):
    small = VectorLayer("a", clustered_points(10), style=point_style())
    canvas.set_layers(LayerCollection([small]))
    count = len(canvas.view_box().scene().items())
    large = VectorLayer("b", clustered_points(5000), style=point_style())
    canvas.set_layers(LayerCollection([large]))
    assert len(canvas.view_box().scene().items()) == count
    assert len(canvas.layer_item(large).childItems()) == 0


@pytest.mark.parametrize("fragment_budget", [20_000, 0])  # markers, and splatted
def test_selected_points_get_a_yellow_outline(monkeypatch, canvas, fragment_budget):
    monkeypatch.setattr(canvas_render, "POINT_FRAGMENT_BUDGET", fragment_budget)
    gdf = gpd.GeoDataFrame(
        {"klasse": [0, 1, 2]}, geometry=shapely.points([X0, X0 + 40, X0 + 80], [Y0, Y0, Y0]), crs="EPSG:28992"
    )
    layer = VectorLayer("vbo", gdf, role="verblijfsobjecten", style=point_style())
    canvas.set_layers(LayerCollection([layer]))
    canvas.zoom_to_extent((X0 - 20, Y0 - 40, X0 + 100, Y0 + 40))
    canvas.set_selection(layer, [1])
    array = render(canvas)
    yellow = near(array, (255, 255, 0), 60)
    assert yellow.sum() > 20
    rows, cols = np.nonzero(yellow)
    row, col = to_pixel(canvas, array, X0 + 40, Y0)
    assert abs(cols.mean() - col) < 3 and abs(rows.mean() - row) < 3  # around the selected point only
    canvas.clear_selection()
    assert not near(render(canvas), (255, 255, 0), 60).any()


def test_identify_finds_a_point_under_the_click(canvas):
    gdf = gpd.GeoDataFrame(
        {"klasse": [0, 1, 2]}, geometry=shapely.points([X0, X0 + 40, X0 + 80], [Y0, Y0, Y0]), crs="EPSG:28992"
    )
    layer = VectorLayer("vbo", gdf, role="verblijfsobjecten", style=point_style())
    canvas.set_layers(LayerCollection([layer]))
    canvas.zoom_to_extent((X0 - 20, Y0 - 40, X0 + 100, Y0 + 40))
    tolerance = 4 * canvas.map_units_per_pixel()
    assert identify(canvas.layers(), X0 + 40.5, Y0 - 0.5, tolerance) == (layer, 1)
    assert identify(canvas.layers(), X0 + 20, Y0, tolerance) is None
