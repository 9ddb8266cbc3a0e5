"""The map canvas: layers in the scene, zoom, map tools, selection, rendering (pytest-qt, offscreen)."""

from __future__ import annotations

import threading

import geopandas as gpd
import numpy as np
import pytest
import shapely
from affine import Affine
from PySide6 import QtCore, QtGui

from gisapp.canvas import TOOLS, MapCanvas
from gisapp.canvas_overlays import format_length, nice_length
from gisapp.canvas_render import PointLayerItem, RasterLayerItem, VectorLayerItem
from gisapp.canvas_snapshot import build_vector_snapshot, raster_rgba
from layers.layer import LayerCollection, RasterLayer, VectorLayer
from layers.raster import RasterData
from styles import Categorized, Category, RasterStyle, SingleSymbol, SymbolStyle, ramp_values

pytestmark = pytest.mark.gui

RED = SingleSymbol(SymbolStyle(fill="#ff0000ff", stroke="#000000ff", stroke_width=0.2))
BLUE = SingleSymbol(SymbolStyle(fill="#0000ffff", stroke="#00000000", stroke_width=0.0))
X0, Y0 = 120_000.0, 480_000.0


def polygons(*geoms, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=list(geoms), crs="EPSG:28992")


def square(x: float, y: float, size: float) -> shapely.Polygon:
    return shapely.box(X0 + x, Y0 + y, X0 + x + size, Y0 + y + size)


@pytest.fixture
def collection():
    blocks = VectorLayer("blokken", polygons(square(0, 0, 100), square(200, 0, 100)), role="gebouwen", style=RED)
    area = VectorLayer("gebied", polygons(square(-100, -100, 500)), role="gebieden")
    return LayerCollection([area, blocks])


def pixel(image: QtGui.QImage, canvas: MapCanvas, x: float, y: float) -> QtGui.QColor:
    """Colour of RD point (x, y) in an image rendered at the canvas's extent and aspect."""
    x0, y0, x1, y1 = canvas.current_extent()
    col = int((x - x0) / (x1 - x0) * image.width())
    row = int((y1 - y) / (y1 - y0) * image.height())
    return image.pixelColor(col, row)


def render(canvas: MapCanvas) -> QtGui.QImage:
    vb = canvas.view_box()
    return canvas.render_to_image(int(vb.width()), int(vb.height()))


# -- layers in the scene ---------------------------------------------------------------------
def test_layers_added_removed_reordered_and_hidden(canvas, collection):
    area, blocks = collection
    canvas.set_layers(collection)
    item_area, item_blocks = canvas.layer_item(area), canvas.layer_item(blocks)
    assert isinstance(item_blocks, VectorLayerItem)
    assert item_area.scene() is canvas.view_box().scene()
    assert item_area.zValue() < item_blocks.zValue()

    collection.move(1, 0)
    assert canvas.layer_item(blocks).zValue() < canvas.layer_item(area).zValue()

    extra = VectorLayer("extra", polygons(square(50, 50, 10)), style=BLUE)
    collection.append(extra)
    assert canvas.layer_item(extra) is not None
    assert canvas.layer_item(extra).zValue() == 2

    blocks.visible = False
    assert not canvas.layer_item(blocks).isVisible()
    blocks.visible = True
    assert canvas.layer_item(blocks).isVisible()
    blocks.opacity = 0.25
    assert canvas.layer_item(blocks).opacity() == pytest.approx(0.25)

    removed_item = canvas.layer_item(extra)
    collection.remove(extra)
    assert canvas.layer_item(extra) is None
    assert removed_item.scene() is None
    # Unsubscribed: events of a removed layer no longer reach the canvas.
    extra.visible = False
    assert canvas.layer_item(extra) is None


def test_hidden_layer_and_order_show_in_rendering(canvas, collection):
    area, blocks = collection
    blocks.style = RED
    area.style = BLUE
    canvas.set_layers(collection)
    canvas.zoom_to_extent((X0 - 120, Y0 - 120, X0 + 420, Y0 + 420))
    assert pixel(render(canvas), canvas, X0 + 50, Y0 + 50).name() == "#ff0000"
    collection.move(1, 0)  # blocks below the opaque area now
    assert pixel(render(canvas), canvas, X0 + 50, Y0 + 50).name() == "#0000ff"
    area.visible = False
    assert pixel(render(canvas), canvas, X0 + 50, Y0 + 50).name() == "#ff0000"


def test_style_and_data_changes_rebuild_the_snapshot(canvas, collection):
    area, blocks = collection
    canvas.set_layers(collection)
    canvas.zoom_to_extent((X0 - 120, Y0 - 120, X0 + 420, Y0 + 420))
    blocks.data = polygons(square(0, 0, 100), square(200, 0, 100), soort=["a", "b"])
    blocks.style = Categorized(
        "soort",
        (Category("a", "a", SymbolStyle(fill="#00ff00ff")), Category("b", "b", SymbolStyle(fill="#0000ffff"))),
    )
    snapshot = canvas.layer_item(blocks).snapshot
    assert snapshot.codes.tolist() == [0, 1]
    image = render(canvas)
    assert pixel(image, canvas, X0 + 50, Y0 + 50).name() == "#00ff00"
    assert pixel(image, canvas, X0 + 250, Y0 + 50).name() == "#0000ff"

    blocks.data = polygons(square(0, 0, 100), soort=["b"])
    assert canvas.layer_item(blocks).snapshot.n == 1
    image = render(canvas)
    assert pixel(image, canvas, X0 + 50, Y0 + 50).name() == "#0000ff"


def test_events_from_a_worker_thread_are_handled_in_the_gui_thread(qtbot, canvas, collection):
    area, blocks = collection
    canvas.set_layers(collection)
    worker = threading.Thread(target=lambda: setattr(blocks, "visible", False))
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "setting a layer property from a worker thread blocked"
    qtbot.waitUntil(lambda: not canvas.layer_item(blocks).isVisible(), timeout=2000)


def test_table_layers_are_skipped(canvas):
    import pandas as pd

    table = VectorLayer("portefeuille", pd.DataFrame({"a": [1, 2]}), role="portefeuille")
    canvas.set_layers(LayerCollection([table]))
    assert canvas.layer_item(table) is None


# -- zoom ------------------------------------------------------------------------------------
def test_zoom_functions_change_the_view_range(qtbot, canvas, collection):
    area, blocks = collection
    canvas.set_layers(collection)
    x0, y0, x1, y1 = canvas.current_extent()
    assert x0 <= X0 - 100 and y0 <= Y0 - 100 and x1 >= X0 + 400 and y1 >= Y0 + 400  # zoomed full on first layers

    with qtbot.waitSignal(canvas.extent_changed) as extent_signal, qtbot.waitSignal(canvas.scale_changed):
        canvas.zoom_to_extent((X0, Y0, X0 + 100, Y0 + 100))
    x0, y0, x1, y1 = extent_signal.args[0]
    assert x0 <= X0 and y0 <= Y0 and x1 >= X0 + 100 and y1 >= Y0 + 100
    assert min(x1 - x0, y1 - y0) == pytest.approx(100, rel=1e-6)

    width = x1 - x0
    canvas.zoom_in()
    assert canvas.current_extent()[2] - canvas.current_extent()[0] == pytest.approx(width / 2)
    canvas.zoom_out()
    canvas.zoom_out()
    assert canvas.current_extent()[2] - canvas.current_extent()[0] == pytest.approx(width * 2)

    canvas.zoom_to_layer(blocks)
    x0, y0, x1, y1 = canvas.current_extent()
    assert x0 <= X0 and x1 >= X0 + 300 and x1 - x0 < 500

    canvas.zoom_full()
    x0, y0, x1, y1 = canvas.current_extent()
    assert x0 <= X0 - 100 and x1 >= X0 + 400

    canvas.set_selection(blocks, np.array([1]))
    canvas.zoom_to_selection()
    x0, y0, x1, y1 = canvas.current_extent()
    assert x0 <= X0 + 200 and x1 >= X0 + 300 and x1 - x0 < 200

    with pytest.raises(ValueError):
        canvas.zoom_to_extent((1, 2, 0, 3))


def test_scale_follows_the_screen_dpi(canvas, collection):
    canvas.set_layers(collection)
    canvas.zoom_to_extent((X0, Y0, X0 + 1000, Y0 + 1000))
    metres_per_pixel = canvas.map_units_per_pixel()
    dpi = canvas.logicalDpiX()
    assert canvas.scale() == pytest.approx(metres_per_pixel * dpi / 0.0254, rel=1e-6)
    canvas.zoom_to_scale(5000)
    assert canvas.scale() == pytest.approx(5000, rel=1e-6)


# -- map tools -------------------------------------------------------------------------------
def click(qtbot, canvas, x, y, button=QtCore.Qt.MouseButton.LeftButton):
    qtbot.mouseClick(canvas.viewport(), button, pos=canvas.map_to_widget(x, y))


def double_click(qtbot, canvas, x, y):
    """What Qt delivers for a double click: press, release, double-click, release."""
    pos = canvas.map_to_widget(x, y)
    left = QtCore.Qt.MouseButton.LeftButton
    qtbot.mouseClick(canvas.viewport(), left, pos=pos)
    qtbot.mouseDClick(canvas.viewport(), left, pos=pos)
    qtbot.mouseRelease(canvas.viewport(), left, pos=pos)


def test_identify_click_emits_rd_coordinates(qtbot, canvas, collection):
    canvas.set_layers(collection)
    canvas.set_tool("identify")
    with qtbot.waitSignal(canvas.feature_clicked) as signal:
        click(qtbot, canvas, X0 + 50, Y0 + 50)
    x, y = signal.args
    tolerance = 1.5 * canvas.map_units_per_pixel()
    assert abs(x - (X0 + 50)) <= tolerance and abs(y - (Y0 + 50)) <= tolerance


def test_point_tool_emits_map_clicked(qtbot, canvas, collection):
    canvas.set_layers(collection)
    canvas.set_tool("point")
    with qtbot.waitSignal(canvas.map_clicked) as signal:
        click(qtbot, canvas, X0 + 250, Y0 + 10)
    assert signal.args[0] == pytest.approx(X0 + 250, abs=1.5 * canvas.map_units_per_pixel())


def test_select_tool_emits_a_point_or_a_box(qtbot, canvas, collection):
    canvas.set_layers(collection)
    canvas.set_tool("select")
    with qtbot.waitSignal(canvas.selection_requested) as signal:
        click(qtbot, canvas, X0 + 50, Y0 + 50)
    assert len(signal.args[0]) == 2

    start, end = canvas.map_to_widget(X0, Y0 + 100), canvas.map_to_widget(X0 + 200, Y0)
    viewport = canvas.viewport()
    with qtbot.waitSignal(canvas.selection_requested) as signal:
        qtbot.mousePress(viewport, QtCore.Qt.MouseButton.LeftButton, pos=start)
        for t in np.linspace(0.1, 1.0, 6):
            qtbot.mouseMove(viewport, QtCore.QPoint(int(start.x() + t * (end.x() - start.x())), int(start.y() + t * (end.y() - start.y()))))
        qtbot.mouseRelease(viewport, QtCore.Qt.MouseButton.LeftButton, pos=end)
    xmin, ymin, xmax, ymax = signal.args[0]
    tolerance = 1.5 * canvas.map_units_per_pixel()
    assert xmin == pytest.approx(X0, abs=tolerance) and xmax == pytest.approx(X0 + 200, abs=tolerance)
    assert ymin == pytest.approx(Y0, abs=tolerance) and ymax == pytest.approx(Y0 + 100, abs=tolerance)


def test_draw_polygon_with_clicks_and_double_click(qtbot, canvas, collection):
    canvas.set_layers(collection)
    canvas.set_tool("draw_polygon")
    corners = [(X0, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 200)]
    for x, y in corners[:2]:
        click(qtbot, canvas, x, y)
    assert len(canvas.drawing_vertices()) == 2
    with qtbot.waitSignal(canvas.polygon_drawn) as signal:
        double_click(qtbot, canvas, *corners[2])
    vertices = signal.args[0]
    assert len(vertices) == 3
    tolerance = 1.5 * canvas.map_units_per_pixel()
    for (x, y), (ex, ey) in zip(vertices, corners):
        assert abs(x - ex) <= tolerance and abs(y - ey) <= tolerance
    assert canvas.drawing_vertices() == []


def test_draw_polygon_enter_finishes_and_escape_cancels(qtbot, canvas, collection):
    canvas.set_layers(collection)
    canvas.set_tool("draw_polygon")
    for x, y in [(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 100), (X0, Y0 + 100)]:
        click(qtbot, canvas, x, y)
    with qtbot.waitSignal(canvas.polygon_drawn) as signal:
        qtbot.keyClick(canvas, QtCore.Qt.Key.Key_Return)
    assert len(signal.args[0]) == 4

    click(qtbot, canvas, X0, Y0)
    click(qtbot, canvas, X0 + 100, Y0)
    click(qtbot, canvas, X0 + 100, Y0 + 100)
    with qtbot.assertNotEmitted(canvas.polygon_drawn):
        qtbot.keyClick(canvas, QtCore.Qt.Key.Key_Escape)
        qtbot.keyClick(canvas, QtCore.Qt.Key.Key_Return)
    assert canvas.drawing_vertices() == []


def test_unknown_tool_is_refused(canvas):
    with pytest.raises(ValueError, match="kaartgereedschap"):
        canvas.set_tool("lasso")
    assert set(TOOLS) >= {"pan", "zoom_box", "identify", "select", "draw_polygon", "point"}


# -- rendering -------------------------------------------------------------------------------
def test_render_to_image_fills_a_polygon_with_its_colour(canvas):
    layer = VectorLayer("blok", polygons(square(0, 0, 100)), style=RED)
    canvas.set_layers(LayerCollection([layer]))
    canvas.zoom_to_extent((X0 - 100, Y0 - 100, X0 + 200, Y0 + 200))
    image = render(canvas)
    assert not image.isNull() and image.width() > 0
    assert pixel(image, canvas, X0 + 50, Y0 + 50).name() == "#ff0000"
    assert pixel(image, canvas, X0 - 50, Y0 + 50).name() == "#ffffff"
    # Another size: same centre, still the fill colour there.
    other = canvas.render_to_image(640, 200)
    assert other.size() == QtCore.QSize(640, 200)
    assert other.pixelColor(320, 100).name() in ("#ff0000", "#000000")


def test_holes_stay_empty_and_overlaps_stay_filled(canvas):
    holed = shapely.Polygon(
        [(X0, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 300), (X0, Y0 + 300)],
        holes=[[(X0 + 100, Y0 + 100), (X0 + 100, Y0 + 200), (X0 + 200, Y0 + 200), (X0 + 200, Y0 + 100)]],
    )
    overlapping = [square(400, 0, 200), square(500, 100, 200)]
    layer = VectorLayer("gat", polygons(holed, *overlapping), style=RED)
    canvas.set_layers(LayerCollection([layer]))
    canvas.zoom_to_extent((X0 - 50, Y0 - 50, X0 + 750, Y0 + 350))
    image = render(canvas)
    assert pixel(image, canvas, X0 + 150, Y0 + 150).name() == "#ffffff"
    assert pixel(image, canvas, X0 + 50, Y0 + 50).name() == "#ff0000"
    assert pixel(image, canvas, X0 + 550, Y0 + 150).name() == "#ff0000"


def test_hatched_polygon_is_drawn_with_a_pattern(canvas):
    hatched = SingleSymbol(SymbolStyle(fill="#7b3294ff", stroke="#7b3294ff", hatch="diagonal"))
    layer = VectorLayer("nplv", polygons(square(0, 0, 400)), style=hatched)
    canvas.set_layers(LayerCollection([layer]))
    canvas.zoom_to_extent((X0, Y0, X0 + 400, Y0 + 400))
    image = render(canvas)
    colours = {image.pixelColor(c, r).name() for c in range(150, 190) for r in range(120, 160)}
    assert {"#7b3294", "#ffffff"} <= colours


def test_a_50k_polygon_layer_renders(canvas):
    n = 50_000
    rng = np.random.default_rng(7)
    x = rng.uniform(X0, X0 + 20_000, n)
    y = rng.uniform(Y0, Y0 + 15_000, n)
    gdf = gpd.GeoDataFrame({"klasse": rng.integers(0, 3, n)}, geometry=shapely.box(x, y, x + 12, y + 9), crs="EPSG:28992")
    style = Categorized("klasse", tuple(Category(i, str(i), SymbolStyle(fill=c)) for i, c in enumerate(("#e41a1cff", "#377eb8ff", "#4daf4aff"))))
    layer = VectorLayer("gebouwen", gdf, role="gebouwen", style=style)
    canvas.set_layers(LayerCollection([layer]))
    item = canvas.layer_item(layer)
    image = render(canvas)  # full extent: buildings below a pixel are splatted
    assert item.last_frame["visible"] == n
    assert item.last_frame["splatted"] > 0
    array = _rgb(image)
    assert (array != 255).any(axis=2).mean() > 0.05

    canvas.zoom_to_extent((X0 + 5000, Y0 + 5000, X0 + 5500, Y0 + 5400))
    render(canvas)  # zoomed in: only visible features, as paths
    assert 0 < item.last_frame["visible"] < 1000
    assert item.last_frame["splatted"] == 0 and item.last_frame["paths"] == 3


def test_selection_is_drawn_on_top_in_yellow(canvas, collection):
    area, blocks = collection
    canvas.set_layers(collection)
    canvas.zoom_to_extent((X0 - 20, Y0 - 20, X0 + 320, Y0 + 120))
    canvas.set_selection(blocks, np.array([0]))
    assert canvas.selection()[1].tolist() == [0]
    array = _rgb(render(canvas))
    yellow = (array[..., 0] > 200) & (array[..., 1] > 200) & (array[..., 2] < 80)
    assert yellow.sum() > 50
    canvas.set_selection(blocks, np.array([False, True]))
    assert canvas.selection()[1].tolist() == [1]
    with pytest.raises(ValueError):
        canvas.set_selection(blocks, np.array([5]))
    canvas.clear_selection()
    assert canvas.selection() is None
    array = _rgb(render(canvas))
    assert not ((array[..., 0] > 200) & (array[..., 1] > 200) & (array[..., 2] < 80)).any()
    canvas.set_selection(blocks, [1])
    collection.remove(blocks)
    assert canvas.selection() is None


def test_points_and_rasters(canvas):
    grid = np.arange(20.0 * 30.0).reshape(20, 30)
    grid[:5, :5] = np.nan
    raster = RasterData(grid, Affine(10, 0, X0, 0, -10, Y0 + 200), "EPSG:28992", "bodemdaling", "cm")
    style = RasterStyle("YlOrRd", 0.0, 599.0)
    raster_layer = RasterLayer("bodemdaling", raster, role="bodemdaling", style=style)
    points = gpd.GeoDataFrame(geometry=shapely.points([X0 + 150, X0 + 250], [Y0 + 100, Y0 + 150]), crs="EPSG:28992")
    point_layer = VectorLayer("vbo", points, role="verblijfsobjecten")
    canvas.set_layers(LayerCollection([raster_layer, point_layer]))
    assert isinstance(canvas.layer_item(raster_layer), RasterLayerItem)
    assert isinstance(canvas.layer_item(point_layer), PointLayerItem)
    canvas.zoom_to_extent((X0, Y0, X0 + 300, Y0 + 200))
    image = render(canvas)
    assert pixel(image, canvas, X0 + 20, Y0 + 180).name() == "#ffffff"  # NaN is transparent
    value = grid[19, 29]  # the bottom-right cell
    expected = np.rint(ramp_values("YlOrRd", np.array([value]), 0.0, 599.0)[0, :3] * 255).astype(int)
    got = pixel(image, canvas, X0 + 295, Y0 + 5)
    assert abs(got.red() - expected[0]) <= 3 and abs(got.green() - expected[1]) <= 3 and abs(got.blue() - expected[2]) <= 3
    marker = pixel(image, canvas, X0 + 150, Y0 + 100)
    assert marker.name() == "#3182bd"  # verblijfsobjecten default marker fill


def test_scale_bar_and_north_arrow_are_in_the_rendering(canvas, collection):
    canvas.set_layers(collection)
    canvas.zoom_to_extent((X0, Y0, X0 + 2000, Y0 + 2000))
    bar = canvas._scale_bar
    assert bar.length_m in (100, 200, 500, 1000)
    assert bar.label.endswith("m")


@pytest.mark.parametrize(
    "metres, expected",
    [(137.0, 100.0), (260.0, 200.0), (999.0, 500.0), (1000.0, 1000.0), (7300.0, 5000.0), (0.3, 0.2)],
)
def test_nice_length(metres, expected):
    assert nice_length(metres) == pytest.approx(expected)


def test_format_length():
    assert format_length(500) == "500 m"
    assert format_length(2000) == "2 km"
    assert format_length(2500) == "2,5 km"


# -- snapshots (no Qt needed, but they belong to the canvas) -------------------------------
def test_snapshot_flattens_multi_parts_holes_and_missing_geometries():
    holed = shapely.box(0, 0, 10, 10).difference(shapely.box(2, 2, 4, 4))
    multi = shapely.MultiPolygon([shapely.box(20, 20, 21, 21), shapely.box(30, 30, 31, 31)])
    gdf = gpd.GeoDataFrame(geometry=[holed, None, multi, shapely.Polygon()], crs="EPSG:28992")
    snap = build_vector_snapshot(gdf, SingleSymbol(), kind="polygon")
    assert snap.n == 4
    assert np.diff(snap.feature_rings).tolist() == [2, 0, 2, 0]
    assert snap.extent == (0.0, 0.0, 31.0, 31.0)
    assert snap.drawn.tolist() == [0, 2]
    x, y, connect = snap.gather(np.array([0]))
    assert len(x) == 10 and connect.tolist() == [1, 1, 1, 1, 0] * 2
    sub = snap.subset(np.array([2]))
    assert sub.n == 1 and sub.extent == (20.0, 20.0, 31.0, 31.0)
    assert not snap.xy.flags.writeable


def test_raster_rgba_makes_nan_transparent():
    rgba = raster_rgba(np.array([[np.nan, 0.0], [5.0, 10.0]]), RasterStyle("Blues", 0.0, 10.0))
    assert rgba.shape == (2, 2, 4) and rgba.dtype == np.uint8
    assert rgba[0, 0, 3] == 0 and rgba[1, 1, 3] == 255


def _rgb(image: QtGui.QImage) -> np.ndarray:
    """The image's pixels as an owned ``height × width × 3`` uint8 array.

    ``constBits()`` is a view into the converted QImage's buffer, which Qt frees as soon as
    that temporary image is garbage; the array must be copied out before it goes (a view
    returned from here reads freed memory: garbage or a segfault, depending on the heap).
    """
    rgb = image.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    view = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=rgb.sizeInBytes())
    rows = view.reshape(rgb.height(), rgb.bytesPerLine())[:, : rgb.width() * 3]
    array = rows.reshape(rgb.height(), rgb.width(), 3).copy()
    del view, rows
    return array


def test_panning_after_a_zoom_keeps_the_scale(canvas, collection):
    canvas.set_layers(collection)
    canvas.zoom_to_extent((X0, Y0, X0 + 400, Y0 + 100))  # wider than the view: height is widened
    x0, y0, x1, y1 = canvas.current_extent()
    canvas.view_box().translateBy(x=50.0)
    nx0, ny0, nx1, ny1 = canvas.current_extent()
    assert nx1 - nx0 == pytest.approx(x1 - x0) and ny1 - ny0 == pytest.approx(y1 - y0)
    assert nx0 == pytest.approx(x0 + 50.0)


def test_sub_pixel_features_are_splatted_in_their_fill_colour(canvas):
    tiny = polygons(square(0, 0, 1), square(5000, 5000, 1))
    layer = VectorLayer("stip", tiny, style=SingleSymbol(SymbolStyle(fill="#0000ffff", stroke="#000000ff")))
    canvas.set_layers(LayerCollection([layer]))
    canvas.zoom_to_extent((X0 - 100, Y0 - 100, X0 + 5100, Y0 + 5100))
    image = render(canvas)
    item = canvas.layer_item(layer)
    assert item.last_frame["splatted"] == 2 and item.last_frame["paths"] == 0
    x0, y0, x1, y1 = canvas.current_extent()
    col = int((X0 + 0.5 - x0) / (x1 - x0) * image.width())
    row = int((y1 - (Y0 + 0.5)) / (y1 - y0) * image.height())
    assert image.pixelColor(col, row).name() == "#0000ff"


def test_many_features_use_a_cached_overview(monkeypatch, canvas):
    from gisapp import canvas_render

    monkeypatch.setattr(canvas_render, "OVERVIEW_MIN_FEATURES", 1000)
    rng = np.random.default_rng(3)
    x = rng.uniform(X0, X0 + 30_000, 5000)
    y = rng.uniform(Y0, Y0 + 20_000, 5000)
    gdf = gpd.GeoDataFrame(geometry=shapely.box(x, y, x + 10, y + 10), crs="EPSG:28992")
    layer = VectorLayer("gebouwen", gdf, style=RED)
    canvas.set_layers(LayerCollection([layer]))
    item = canvas.layer_item(layer)
    canvas.viewport().repaint()
    overview = item._overview
    assert item.last_frame["overview"] == 1 and overview is not None

    item.set_settled(False)
    canvas.view_box().translateBy(t=(500.0, 0.0))
    canvas.viewport().repaint()
    assert item._overview is overview  # a pan reuses it
    canvas.view_box().scaleBy((0.8, 0.8))
    item.set_settled(False)
    canvas.viewport().repaint()
    assert item._overview is overview  # while moving, a zoom draws it scaled
    item.set_settled(True)
    canvas.viewport().repaint()
    assert item._overview is not overview  # settled at another zoom: rebuilt
    array = _rgb(render(canvas))
    red = (array[..., 0] > 150) & (array[..., 1] < 100)
    assert red.sum() > 1000


def test_mouse_moves_report_rd_coordinates(qtbot, canvas, collection):
    canvas.set_layers(collection)
    with qtbot.waitSignal(canvas.mouse_moved) as signal:
        qtbot.mouseMove(canvas.viewport(), canvas.map_to_widget(X0 + 100, Y0 + 200))
    x, y = signal.args
    tolerance = 1.5 * canvas.map_units_per_pixel()
    assert abs(x - (X0 + 100)) <= tolerance and abs(y - (Y0 + 200)) <= tolerance


def test_zoom_box_tool_zooms_to_the_dragged_box(qtbot, canvas, collection):
    canvas.set_layers(collection)
    canvas.set_tool("zoom_box")
    start, end = canvas.map_to_widget(X0, Y0 + 100), canvas.map_to_widget(X0 + 200, Y0)
    viewport = canvas.viewport()
    qtbot.mousePress(viewport, QtCore.Qt.MouseButton.LeftButton, pos=start)
    for t in np.linspace(0.1, 1.0, 6):
        qtbot.mouseMove(viewport, QtCore.QPoint(int(start.x() + t * (end.x() - start.x())), int(start.y() + t * (end.y() - start.y()))))
    qtbot.mouseRelease(viewport, QtCore.Qt.MouseButton.LeftButton, pos=end)
    x0, y0, x1, y1 = canvas.current_extent()
    assert x0 == pytest.approx(X0, abs=5) and x1 == pytest.approx(X0 + 200, abs=5)
    assert y0 <= Y0 + 5 and y1 >= Y0 + 95


def test_the_polygon_being_drawn_is_sketched(qtbot, canvas, collection):
    canvas.set_layers(collection)
    canvas.set_tool("draw_polygon")
    click(qtbot, canvas, X0, Y0)
    click(qtbot, canvas, X0 + 100, Y0)
    qtbot.mouseMove(canvas.viewport(), canvas.map_to_widget(X0 + 100, Y0 + 100))
    assert canvas._sketch.path().elementCount() == 4  # two vertices, the cursor, closed
    qtbot.keyClick(canvas, QtCore.Qt.Key.Key_Backspace)
    assert len(canvas.drawing_vertices()) == 1
    canvas.set_tool("pan")
    assert canvas.drawing_vertices() == [] and canvas._sketch.path().elementCount() == 0


def test_a_deleted_canvas_leaves_the_model_usable(qtbot, collection):
    widget = MapCanvas()
    widget.set_layers(collection)
    area, blocks = collection
    destroyed = []
    widget.destroyed.connect(lambda: destroyed.append(True))
    widget.deleteLater()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    assert destroyed
    blocks.visible = False  # no callback into the deleted canvas
    collection.remove(area)
    assert len(collection) == 1
