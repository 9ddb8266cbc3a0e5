"""Result layers by a readable name (issue 23): "Potentie per pand" in the layer panel, identify and
the attribute table's title, in the interface language; the layers keep their data names."""

from __future__ import annotations

import pyogrio
from PySide6 import QtCore

from gisapp.attribute_table import header_text
from gisapp.layer_names import RESULT_LAYER_TITLES, layer_title
from gisapp.project_loading import RESULT_LAYER_NAMES
from scans.locatiescan import LAYER_NAME as LOCATIES_LAYER


def _panel_names(window) -> list[str]:
    model = window.layer_panel.model
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def test_every_result_layer_has_a_title_in_both_languages():
    assert set(RESULT_LAYER_TITLES) == {*RESULT_LAYER_NAMES, LOCATIES_LAYER}
    assert layer_title("buurten") == "buurten"  # the project's own layers by their own names


def test_result_layers_are_named_readably_and_switch_with_the_language(scanned, tmp_path, qtbot):
    window = scanned
    editor = window.show_locaties_editor()
    assert editor.run_scan() is not None, editor.last_error
    editor.dock.hide()
    buildings = window.layer("gebouwen_potentie")
    names = _panel_names(window)
    assert {"Potentie per pand", "Potentie per gebied", "Locatiescan"} <= set(names), names
    assert not {"gebouwen_potentie", "gebieden_potentie", "locaties_scan"} & set(names)
    assert "buurten" in names
    window.identify_panel.show_feature(buildings, 0)
    assert "Potentie per pand" in window.identify_panel.title.text()
    table = window.open_attribute_table(buildings)
    assert table.windowTitle() == "Attribuuttabel – Potentie per pand"

    window.actions["lang_en"].trigger()
    names = _panel_names(window)
    assert {"Potential per building", "Potential per area", "Site scan"} <= set(names), names
    assert "Potential per building" in window.identify_panel.title.text()
    assert table.windowTitle() == "Attribute table – Potential per building"
    assert table.model.headerData(0, QtCore.Qt.Orientation.Horizontal) == header_text(str(buildings.data.columns[0]))

    # the data keep their names: the map finds them, the GeoPackage holds them
    assert window.layer("gebouwen_potentie") is buildings
    window.actions["lang_nl"].trigger()
    assert "Potentie per pand" in _panel_names(window)
    assert window.exports.export("geopackage", tmp_path / "uit.gpkg")
    qtbot.waitUntil(lambda: not window.background.is_running(), timeout=30_000)
    assert {"gebouwen_potentie", "gebieden_potentie"} <= {name for name, _ in pyogrio.list_layers(tmp_path / "uit.gpkg")}


def test_renaming_a_result_layer_in_the_panel(scanned):
    window = scanned
    model = window.layer_panel.model
    row = _panel_names(window).index("Potentie per pand")
    index = model.index(row, 0)
    assert model.data(index, QtCore.Qt.ItemDataRole.EditRole) == "Potentie per pand"
    assert not model.setData(index, "Potentie per pand")  # the shown name: no change
    assert window.layer("gebouwen_potentie") is not None
    assert model.setData(index, "Mijn panden")
    assert model.data(index) == "Mijn panden"


def test_dialogs_and_messages_name_a_result_layer_readably(scanned):
    """The style and expression dialogs' titles and the "layer added" message use the readable name too."""
    from gisapp.select_expression_dialog import SelectExpressionDialog

    window = scanned
    buildings = window.layer("gebouwen_potentie")
    dialog = window.open_style_dialog(buildings, modal=False)
    try:
        assert dialog.windowTitle() == "Stijl van 'Potentie per pand'"
    finally:
        dialog.close()
    expression = SelectExpressionDialog(buildings, window)
    try:
        assert "Potentie per pand" in expression.windowTitle() and "gebouwen_potentie" not in expression.windowTitle()
    finally:
        expression.close()
