"""The QGIS tools of issue 23, driven through the real widgets: measuring, the scale box,
previous/next extent, select by polygon and by expression, saving the map as an image."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6 import QtCore, QtGui

from gisapp.extent_history import ExtentHistory, ExtentHistoryController
from gisapp.map_tools import parse_scale, save_map_image, scale_text
from gisapp.measure_tool import MeasureTool, format_area, format_distance, polygon_measures, segment_lengths
from layers.layer import LayerCollection, VectorLayer

X0, Y0 = 120_000.0, 480_000.0
LEFT = QtCore.Qt.MouseButton.LeftButton
RIGHT = QtCore.Qt.MouseButton.RightButton


def click(qtbot, canvas, x, y, button=LEFT):
    qtbot.mouseClick(canvas.viewport(), button, pos=canvas.map_to_widget(x, y))


def snapped(canvas, x, y):
    """The map point a click at (x, y) really lands on (the pixel under it)."""
    return canvas.widget_to_map(canvas.map_to_widget(x, y))


@pytest.fixture
def blocks():
    boxes = [shapely.box(X0 + i * 100, Y0, X0 + i * 100 + 60, Y0 + 60) for i in range(6)]
    data = gpd.GeoDataFrame({"nr": np.arange(6), "hoogte": [3.0, 9.0, 12.5, np.nan, 6.0, 20.0]}, geometry=boxes,
                            crs="EPSG:28992")
    return VectorLayer("blokken", data)


@pytest.fixture
def map_canvas(canvas, blocks):
    canvas.set_layers(LayerCollection([blocks]))
    canvas.zoom_to_extent((X0 - 50, Y0 - 100, X0 + 650, Y0 + 200))
    return canvas


# -- measuring ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "metres, nl, en",
    [(1234.5, "1.234,5 m", "1,234.5 m"), (0.66, "0,7 m", "0.7 m"), (12_345.0, "12,35 km", "12.35 km")],
)
def test_distances_are_written_in_the_language(metres, nl, en):
    assert format_distance(metres, "nl") == nl and format_distance(metres, "en") == en


@pytest.mark.parametrize(
    "square_metres, nl, en",
    [(850.4, "850 m²", "850 m²"), (23_500.0, "2,35 ha", "2.35 ha"), (1_234_567.0, "123,46 ha", "123.46 ha")],
)
def test_areas_are_written_in_the_language(square_metres, nl, en):
    assert format_area(square_metres, "nl") == nl and format_area(square_metres, "en") == en


def test_measures_of_simple_figures():
    assert segment_lengths([(0, 0), (3, 4), (3, 10)]).tolist() == [5.0, 6.0]
    assert polygon_measures([(0, 0), (100, 0), (100, 50), (0, 50)]) == (5000.0, 300.0)
    # a bow tie: two triangles of 25 m² each, not the 0 of the signed shoelace sum
    area, _perimeter = polygon_measures([(0, 0), (10, 10), (10, 0), (0, 10)])
    assert area == pytest.approx(50.0)


def test_measure_distance_by_clicking(qtbot, map_canvas):
    tool = MeasureTool(map_canvas)
    map_canvas.set_tool("measure_distance")
    points = [(X0, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 100)]
    for x, y in points:
        click(qtbot, map_canvas, x, y)
    assert len(tool.vertices) == 3
    lengths = segment_lengths([snapped(map_canvas, x, y) for x, y in points])
    tolerance = 2 * map_canvas.map_units_per_pixel()
    assert lengths.sum() == pytest.approx(400.0, abs=tolerance)
    with qtbot.waitSignal(tool.measured) as signal:
        click(qtbot, map_canvas, X0 + 300, Y0 + 100, RIGHT)  # ends the measurement
    assert tool.finished
    assert signal.args[0] == (f"Afstand: {format_distance(lengths.sum(), 'nl')}; "
                              f"Laatste segment: {format_distance(lengths[-1], 'nl')}")
    assert tool.panel.isVisible() and "Afstand meten" in tool.panel.text()
    click(qtbot, map_canvas, X0 + 500, Y0)  # a new click starts a new measurement
    assert len(tool.vertices) == 1 and not tool.finished


def test_measure_area_esc_ends_and_tool_change_clears(qtbot, map_canvas):
    tool = MeasureTool(map_canvas)
    map_canvas.set_tool("measure_area")
    square = [(X0, Y0), (X0 + 200, Y0), (X0 + 200, Y0 + 100), (X0, Y0 + 100)]
    for x, y in square:
        click(qtbot, map_canvas, x, y)
    qtbot.keyClick(map_canvas._view, QtCore.Qt.Key.Key_Escape)
    assert tool.finished
    area, perimeter = polygon_measures([snapped(map_canvas, x, y) for x, y in square])
    assert area == pytest.approx(20_000.0, rel=0.03) and perimeter == pytest.approx(600.0, rel=0.02)
    assert tool.lines() == [f"Oppervlakte: {format_area(area, 'nl')}", f"Omtrek: {format_distance(perimeter, 'nl')}"]
    assert "ha" in tool.lines()[0]
    map_canvas.set_tool("pan")
    assert tool.vertices == [] and not tool.panel.isVisible()


def test_backspace_drops_the_last_vertex(qtbot, map_canvas):
    tool = MeasureTool(map_canvas)
    map_canvas.set_tool("measure_distance")
    click(qtbot, map_canvas, X0, Y0)
    click(qtbot, map_canvas, X0 + 100, Y0)
    qtbot.keyClick(map_canvas._view, QtCore.Qt.Key.Key_Backspace)
    assert len(tool.vertices) == 1


# -- scale box -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, scale", [("1:2500", 2500), ("2500", 2500), ("1:2.500", 2500), ("1 : 25,000", 25000),
                                         (" 1:500 ", 500)])
def test_parse_scale(text, scale):
    assert parse_scale(text) == scale


@pytest.mark.parametrize("text", ["", "1:", "1:0", "schaal", "1:-5", "2:500"])
def test_parse_scale_refuses_what_is_no_scale(text):
    with pytest.raises(ValueError, match="Ongeldige schaal"):
        parse_scale(text)


def test_scale_box_shows_and_sets_the_scale(qtbot, map_canvas):
    from gisapp.map_tools import ScaleBox

    box = ScaleBox(map_canvas)
    qtbot.addWidget(box)
    assert box.text() == scale_text(map_canvas.scale())
    x0, y0, x1, y1 = map_canvas.current_extent()
    box.setEditText("1:2500")
    qtbot.keyClick(box.lineEdit(), QtCore.Qt.Key.Key_Return)
    assert map_canvas.scale() == pytest.approx(2500, rel=1e-3)
    a0, b0, a1, b1 = map_canvas.current_extent()
    assert ((a0 + a1) / 2, (b0 + b1) / 2) == pytest.approx(((x0 + x1) / 2, (y0 + y1) / 2), abs=0.01)  # around the centre
    assert box.text() == "1:2.500"
    box.setEditText("groot")
    assert not box.apply_text()
    assert map_canvas.scale() == pytest.approx(2500, rel=1e-3)
    assert "Ongeldige schaal" in box.toolTip()


# -- previous / next extent ----------------------------------------------------------------------
def test_extent_history_is_bounded_and_drops_the_future():
    history = ExtentHistory(limit=3)
    for i in range(5):
        history.push((i, 0, i + 10, 10))
    assert [e[0] for e in history.extents] == [2, 3, 4]
    assert history.back()[0] == 3 and history.can_forward()
    assert not history.push((3, 0, 13, 10))  # the same extent again is no step
    history.push((7, 0, 17, 10))
    assert [e[0] for e in history.extents] == [2, 3, 7] and not history.can_forward()
    with pytest.raises(ValueError):
        ExtentHistory(limit=1)


def test_previous_and_next_extent_on_the_canvas(qtbot, map_canvas):
    history = ExtentHistoryController(map_canvas)
    first = map_canvas.current_extent()
    history.record()
    map_canvas.zoom_in()
    qtbot.waitUntil(lambda: history.history.can_back())  # remembered once the map stood still
    second = map_canvas.current_extent()
    map_canvas.zoom_to_extent((X0, Y0, X0 + 100, Y0 + 100))
    qtbot.waitUntil(lambda: len(history.history.extents) == 3)
    assert history.back()
    assert map_canvas.current_extent() == pytest.approx(second, abs=0.01)
    assert history.back() and map_canvas.current_extent() == pytest.approx(first, abs=0.01)
    assert not history.back()
    assert history.forward() and map_canvas.current_extent() == pytest.approx(second, abs=0.01)
    qtbot.wait(400)  # the settle timer of the navigation must not add a step
    assert len(history.history.extents) == 3 and history.history.index == 1


def test_window_extent_actions(window, qtbot):
    back, forward = window.actions["extent_back"], window.actions["extent_forward"]
    window.map_tools.extents.record()
    start = window.canvas.current_extent()
    window.canvas.zoom_in()
    window.map_tools.extents.record()
    assert back.isEnabled() and not forward.isEnabled()
    back.trigger()
    assert window.canvas.current_extent() == pytest.approx(start, abs=0.01)
    assert forward.isEnabled()
    assert {"extent_back", "extent_forward"} <= {a.objectName().removeprefix("action_") for a in window.toolbar.actions()}


def test_window_measuring_shows_in_the_status_bar_until_the_tool_changes(window, qtbot):
    x0, y0, x1, y1 = window.canvas.current_extent()
    window.actions["measure_distance"].trigger()
    assert window.canvas.tool() == "measure_distance" and window.actions["measure_distance"].isChecked()
    click(qtbot, window.canvas, x0 + (x1 - x0) * 0.3, (y0 + y1) / 2)
    click(qtbot, window.canvas, x0 + (x1 - x0) * 0.6, (y0 + y1) / 2)
    click(qtbot, window.canvas, x0 + (x1 - x0) * 0.6, (y0 + y1) / 2, RIGHT)
    assert window.statusBar().currentMessage().startswith("Afstand: ")
    window.actions["pan"].trigger()
    assert window.statusBar().currentMessage() == ""


# -- select by polygon and by expression -----------------------------------------------------------
def test_select_by_polygon_on_the_map(window, qtbot):
    layer = window.project.layer("gebouwen")
    window.layer_panel.set_current_layer(layer)
    x0, y0, x1, y1 = layer.extent
    cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, min(x1 - x0, y1 - y0) / 8
    window.canvas.zoom_to_extent((cx - 3 * r, cy - 3 * r, cx + 3 * r, cy + 3 * r))
    window.actions["select_polygon"].trigger()
    assert window.canvas.tool() == "select_polygon"
    corners = [(cx - r, cy - r), (cx + r, cy - r), (cx, cy + r)]
    for x, y in corners:
        click(qtbot, window.canvas, x, y)
    click(qtbot, window.canvas, cx, cy, RIGHT)  # finishes the polygon
    polygon = shapely.Polygon([snapped(window.canvas, x, y) for x, y in corners])
    expected = np.flatnonzero(shapely.intersects(layer.data.geometry.array, polygon))
    assert len(expected) > 0
    selected_layer, indices = window.selection()
    assert selected_layer is layer
    assert indices.tolist() == expected.tolist()
    assert window.statusBar().currentMessage() == f"{len(expected)} objecten geselecteerd"


def test_select_by_expression_from_the_attribute_table(window, qtbot):
    layer = window.project.layer("gebouwen")
    table = window.open_attribute_table(layer)
    dialog = table.open_expression_dialog()
    column = "bouwjaar" if "bouwjaar" in layer.data.columns else next(
        c for c in layer.data.columns if np.issubdtype(layer.data[c].dtype, np.number))
    dialog.set_expression(f"{column} < 1945")
    values = layer.data[column].to_numpy(dtype="float64")
    expected = np.flatnonzero(values < 1945)
    assert dialog.count_label.text() == f"{len(expected):,} objecten".replace(",", ".")
    assert dialog.select_button.isEnabled()
    qtbot.mouseClick(dialog.select_button, LEFT)
    selected_layer, indices = window.selection()
    assert selected_layer is layer and indices.tolist() == expected.tolist()
    assert table.selected_positions().tolist() == expected.tolist()

    dialog.set_expression(f"{column} < 1945 AND")
    assert not dialog.select_button.isEnabled()
    assert dialog.error_label.text().startswith("Fout op positie ")
    assert dialog.count_label.text() == ""


def test_expression_dialog_inserts_columns_and_values(window, qtbot):
    dialog = window.map_tools.open_expression_dialog(window.project.layer("gebouwen"))
    names = [dialog.column_list.item(i).data(QtCore.Qt.ItemDataRole.UserRole) for i in range(dialog.column_list.count())]
    text_column = next(n for n in names if dialog.layer.data[n].dtype == object)
    row = names.index(text_column)
    dialog.column_list.setCurrentRow(row)
    dialog.column_list.itemDoubleClicked.emit(dialog.column_list.item(row))
    assert dialog.expression() == text_column
    dialog.insert("=")
    assert dialog.value_list.count() > 0
    first = dialog.value_list.item(0)
    dialog.value_list.itemDoubleClicked.emit(first)
    value = first.data(QtCore.Qt.ItemDataRole.UserRole)
    assert dialog.expression().endswith(f" = {value}")
    assert dialog.update_count() and len(dialog.positions) > 0
    menu_actions = window.findChild(QtCore.QObject, "menu_selectie").actions()
    assert window.actions["select_expression"] in menu_actions


# -- map as image ----------------------------------------------------------------------------------
def test_save_map_as_png(map_canvas, tmp_path):
    path = tmp_path / "kaart.png"
    image = save_map_image(map_canvas, path)
    view = map_canvas.viewport()
    assert (image.width(), image.height()) == (view.width(), view.height())
    read = QtGui.QImage(str(path))
    assert (read.width(), read.height()) == (view.width(), view.height())
    # the blocks are drawn (not a blank image)
    colours = {read.pixelColor(x, read.height() // 2).name() for x in range(0, read.width(), 3)}
    assert len(colours) > 2
    big = save_map_image(map_canvas, tmp_path / "kaart300.png", dpi=2 * view.logicalDpiX())
    assert (big.width(), big.height()) == (2 * view.width(), 2 * view.height())
    assert round(big.dotsPerMeterX() * 0.0254) == 2 * view.logicalDpiX()
    with pytest.raises(OSError, match="niet schrijven"):
        save_map_image(map_canvas, tmp_path / "geen_map" / "kaart.png")


def test_save_image_action_is_in_the_map_menu(window, tmp_path, monkeypatch, qtbot):
    from PySide6 import QtWidgets

    target = tmp_path / "uit.png"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QtWidgets.QInputDialog, "getItem", lambda parent, title, label, items, *a: (items[1], True))
    with qtbot.waitSignal(window.map_tools.image_saved, timeout=30_000):
        assert window.map_tools.choose_and_save_image() == target  # saved in the worker
    image = QtGui.QImage(str(target))
    view = window.canvas.viewport()
    assert image.width() == round(view.width() * 150 / view.logicalDpiX())


# -- English ---------------------------------------------------------------------------------------
MODULES = ("gisapp/map_tools.py", "gisapp/measure_tool.py", "gisapp/extent_history.py",
           "gisapp/select_expression_dialog.py", "gisapp/raster_style_dialog.py", "gisapp/style_dialog.py")


def test_every_text_of_the_tools_has_english():
    import ast
    from pathlib import Path

    from gisapp.i18n import EN
    from tests.conftest import REPO

    missing = []
    for module in MODULES:
        for node in ast.walk(ast.parse((Path(REPO) / module).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr" and node.args \
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value not in EN:
                missing.append((module, node.args[0].value))
    assert missing == []


def test_measuring_in_english(qtbot, map_canvas):
    from gisapp import i18n
    from gisapp.measure_tool import measurement_lines

    i18n.set_language("en")
    assert measurement_lines("distance", [(0, 0), (1234.5, 0)]) == ["Distance: 1,234.5 m", "Last segment: 1,234.5 m"]
    assert measurement_lines("area", [(0, 0), (200, 0), (200, 100), (0, 100)]) == ["Area: 2.00 ha", "Perimeter: 600.0 m"]
    assert scale_text(25000) == "1:25,000"


def test_a_distance_is_drawn_as_a_line_and_an_area_filled(qtbot, map_canvas):
    tool = MeasureTool(map_canvas)
    map_canvas.set_tool("measure_distance")
    for x, y in [(X0, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 150)]:
        click(qtbot, map_canvas, x, y)
    assert tool._sketch.brush().style() == QtCore.Qt.BrushStyle.NoBrush
    map_canvas.set_tool("measure_area")
    for x, y in [(X0, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 150)]:
        click(qtbot, map_canvas, x, y)
    assert tool._sketch.brush().style() == QtCore.Qt.BrushStyle.SolidPattern


def test_expression_errors_in_the_english_dialog(qtbot, blocks):
    from gisapp import i18n
    from gisapp.select_expression_dialog import SelectExpressionDialog

    i18n.set_language("en")
    dialog = SelectExpressionDialog(blocks)
    qtbot.addWidget(dialog)
    dialog.set_expression("hoogte >")
    assert dialog.error_label.text() == "Error at position 9: expected a column, number or text, found the end"
    dialog.set_expression("hoogte > 5")
    assert dialog.count_label.text() == "4 features"  # 9, 12.5, 6 and 20: a missing height is not selected
