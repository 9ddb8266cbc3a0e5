"""Class breaks by hand, the quantile note, and the raster style dialog (issue 23)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from affine import Affine

from gisapp.raster_style_dialog import RasterStyleDialog, stretch_range
from gisapp.style_dialog import StyleDialog
from layers.layer import LayerCollection, RasterLayer, VectorLayer
from layers.raster import RasterData
from styles import Graduated, RasterStyle, style_from_dict, style_to_dict

X0, Y0 = 120_000.0, 480_000.0


@pytest.fixture
def homes_layer():
    n = 100
    data = gpd.GeoDataFrame(
        {"woningen": np.r_[np.zeros(90), np.arange(1, 11)], "twee": np.r_[np.full(50, 3.0), np.full(50, 7.0)]},
        geometry=[shapely.box(X0 + i * 10, Y0, X0 + i * 10 + 8, Y0 + 8) for i in range(n)], crs="EPSG:28992")
    return VectorLayer("panden", data)


def test_quantiles_give_five_classes_on_many_zeros(qtbot, homes_layer):
    dialog = StyleDialog(homes_layer)
    qtbot.addWidget(dialog)
    dialog.set_kind("graduated")
    dialog.set_column("woningen")
    dialog.set_method("quantiles")
    assert len(dialog.build_style().classes) == 5
    assert dialog.message.text() == ""


def test_fewer_distinct_values_than_classes_is_said(qtbot, homes_layer):
    dialog = StyleDialog(homes_layer)
    qtbot.addWidget(dialog)
    dialog.set_kind("graduated")
    dialog.set_column("twee")
    dialog.set_method("quantiles")
    assert len(dialog.build_style().classes) == 2
    assert dialog.message.text() == "Kolom twee heeft maar 2 verschillende waarden: 2 klassen."


def test_manual_breaks_start_from_the_computed_ones_and_are_applied(qtbot, homes_layer):
    dialog = StyleDialog(homes_layer)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_kind("graduated")
    dialog.set_column("woningen")
    dialog.set_method("natural_breaks")
    computed = dialog.build_style()
    dialog.set_method("manual")
    table = dialog.breaks_table
    assert table.isVisible() and not dialog.classes_spin.isVisible()
    assert table.rowCount() == len(computed.classes)
    assert [table.item(r, 2).text() for r in range(table.rowCount())] == [c.label for c in computed.classes]

    # a label left as computed follows its bounds; one typed by the user stays
    table.item(1, 1).setText("3")
    table.item(2, 0).setText("3")
    assert dialog.build_style().classes[1].label == f"{computed.classes[1].label.split(' – ')[0]} – 3"
    table.item(1, 2).setText("weinig")
    assert dialog.build_style().classes[1].label == "weinig"

    # edit the bounds by hand: 0 | 1–5 | 6–10
    table.setRowCount(1)
    dialog.add_break()
    dialog.add_break()
    for row, (lower, upper, label) in enumerate([("0", "0", "geen"), ("0", "5", ""), ("5", "10", "veel")]):
        table.item(row, 0).setText(lower)
        table.item(row, 1).setText(upper)
        table.item(row, 2).setText(label)
    dialog.set_break_color(2, "#ff0000ff")
    assert dialog.apply()
    style = homes_layer.style
    assert isinstance(style, Graduated) and style.method == "manual"
    assert [(c.lower, c.upper, c.label) for c in style.classes] == [(0, 0, "geen"), (0, 5, "1 – 5"), (5, 10, "veel")]
    assert style.classes[2].symbol.fill == "#ff0000ff"
    assert style_from_dict(style_to_dict(style)) == style  # saved in the project file as it is

    reopened = StyleDialog(homes_layer)
    qtbot.addWidget(reopened)
    assert reopened.method_combo.currentData() == "manual"
    assert reopened.breaks_table.rowCount() == 3 and reopened.build_style() == style


@pytest.mark.parametrize(
    "rows, message",
    [
        ([("0", "x")], "Klasse 1: 'Van' en 'Tot en met' moeten getallen zijn."),
        ([("5", "1")], "Klasse 1: 'Tot en met' ligt onder 'Van'."),
        ([("0", "5"), ("3", "8")], "Klasse 2 begint onder het einde van klasse 1."),
        ([], "Voeg minstens één klasse toe."),
    ],
)
def test_wrong_manual_breaks_are_refused_with_a_reason(qtbot, homes_layer, rows, message):
    dialog = StyleDialog(homes_layer)
    qtbot.addWidget(dialog)
    dialog.set_kind("graduated")
    dialog.set_column("woningen")
    dialog.set_method("manual")
    dialog.breaks_table.setRowCount(0)
    for _ in rows:
        dialog.add_break()
    for row, (lower, upper) in enumerate(rows):
        dialog.breaks_table.item(row, 0).setText(lower)
        dialog.breaks_table.item(row, 1).setText(upper)
    assert dialog.build_style() is None
    dialog._update()
    assert dialog.message.text() == message
    before = homes_layer.style
    assert not dialog.apply() and homes_layer.style is before


# -- raster -------------------------------------------------------------------------------------------
@pytest.fixture
def raster_layer():
    grid = np.arange(100.0 * 50.0).reshape(50, 100)
    grid[:3, :3] = np.nan
    raster = RasterData(grid, Affine(10, 0, X0, 0, -10, Y0 + 500), "EPSG:28992", "bodemdaling", "cm")
    return RasterLayer("bodemdaling", raster, role="bodemdaling", style=RasterStyle("YlOrRd", 0.0, 10.0))


def test_raster_style_dialog_sets_ramp_range_and_opacity(qtbot, canvas, raster_layer):
    canvas.set_layers(LayerCollection([raster_layer]))
    dialog = RasterStyleDialog(raster_layer)
    qtbot.addWidget(dialog)
    assert (dialog.min_spin.value(), dialog.max_spin.value()) == (0.0, 10.0)
    dialog.stretch_button.click()
    low, high = np.nanpercentile(raster_layer.raster.array, [2, 98])
    assert dialog.min_spin.value() == pytest.approx(low, abs=1e-3)
    assert dialog.max_spin.value() == pytest.approx(high, abs=1e-3)
    dialog.ramp_combo.setCurrentIndex(dialog.ramp_combo.findData("Blues"))
    dialog.opacity_slider.setValue(40)
    assert dialog.opacity_label.text() == "40%"
    assert dialog.apply()
    style = raster_layer.style
    assert style.ramp == "Blues" and style.opacity == 0.4
    assert style.vmin == pytest.approx(low, abs=1e-3) and style.vmax == pytest.approx(high, abs=1e-3)
    # drawn by the canvas with the opacity in the alpha, nodata still transparent
    image = canvas.layer_item(raster_layer).image
    assert image[0, 0, 3] == 0
    assert image[40, 60, 3] == round(255 * 0.4)
    assert style_from_dict(style_to_dict(style)) == style


def test_raster_style_dialog_refuses_max_below_min(qtbot, raster_layer):
    dialog = RasterStyleDialog(raster_layer)
    qtbot.addWidget(dialog)
    dialog.min_spin.setValue(50.0)
    dialog.max_spin.setValue(10.0)
    assert dialog.build_style() is None
    assert dialog.message.text() == "Het maximum ligt onder het minimum."
    assert not dialog.apply()


def test_stretch_range_of_an_empty_raster():
    assert stretch_range(np.full((3, 3), np.nan)) is None
    assert stretch_range(np.arange(101.0)) == pytest.approx((2.0, 98.0))


def test_colour_image_only_sets_the_layer_opacity(qtbot, raster_layer):
    grid = raster_layer.raster.array
    rgba = np.zeros(grid.shape + (4,), dtype=np.uint8)
    rgba[..., 3] = 255
    raster = RasterData(grid, raster_layer.raster.transform, "EPSG:28992", "luchtfoto", rgba=rgba)
    photo = RasterLayer("luchtfoto", raster)
    dialog = RasterStyleDialog(photo)
    qtbot.addWidget(dialog)
    assert not dialog.ramp_combo.isEnabled() and not dialog.stretch_button.isEnabled()
    dialog.opacity_slider.setValue(70)
    assert dialog.apply()
    assert photo.opacity == pytest.approx(0.7)
    assert not isinstance(photo.style, RasterStyle) or photo.style.opacity == 1.0


def test_stijl_on_a_raster_in_the_window_opens_the_raster_dialog(window, tmp_path):
    raster = next(layer for layer in window.project.layers if getattr(layer, "geometry_kind", "") == "raster")
    dialog = window.open_style_dialog(raster, modal=False)
    assert isinstance(dialog, RasterStyleDialog)
    dialog.opacity_slider.setValue(55)
    dialog.accept()
    assert raster.style.opacity == pytest.approx(0.55)
    # saved with the project like a vector style, and read back
    path = tmp_path / "project.toml"
    assert window.save_project_as(path)
    from layers.project import load_project

    again = load_project(path)
    assert style_from_dict(again.styles[raster.source.key]) == raster.style
