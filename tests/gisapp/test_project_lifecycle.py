"""No state of one project leaks into the next, and removing a layer asks and can be undone
(issue 23: the locaties dock, the scenario chart, "N objecten geselecteerd", attribute tables,
identify, measuring, extent history)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6 import QtWidgets



@pytest.fixture
def yes(monkeypatch):
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", lambda *a, **k: QtWidgets.QMessageBox.StandardButton.Yes)


@pytest.fixture
def no(monkeypatch):
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", lambda *a, **k: QtWidgets.QMessageBox.StandardButton.No)


def _reopen(window, path) -> None:
    window.set_modified(False)
    assert window.open_project(path)


def test_locaties_dock_forgets_the_old_location(window, gui_project_path):
    editor = window.show_locaties_editor()
    window.project.path = None  # keep the shipped sample untouched: nothing is written
    x0, y0, x1, y1 = window.project.layer("gebouwen").extent
    added = editor.add_location(shapely.box(x0, y0, x0 + 50, y0 + 50), naam="Oude locatie")
    editor.select(added)
    dock = editor.dock
    dock.status.setText("Locatiescan klaar")
    assert dock.naam_edit.text() == "Oude locatie" and dock.list.count() == added + 1
    _reopen(window, gui_project_path)
    assert dock.list.count() == len(editor.frame())
    assert dock.naam_edit.text() == "" and not dock.naam_edit.isEnabled()
    assert dock.status.text() == ""
    assert dock.table.rowCount() == 0


def test_scenario_and_scan_charts_are_cleared(window, gui_project_path):
    charts = window.results_panel
    charts.scenario_chart.set_values(["optoppen", "splitsen"], [3, 4], [5, 6], "A", "B")
    charts.bar_chart.set_values(["optoppen"], [12.0], "Alle gebieden")
    charts.histogram.set_values([1930, 1950, 1965])
    _reopen(window, gui_project_path)
    assert charts.scenario_chart.categories == [] and charts.scenario_chart.items == []
    assert charts.bar_chart.values == [] and charts.bar_chart.items == []
    assert charts.histogram.counts.size == 0 and charts.histogram.items == []


def test_selection_message_goes_with_the_selection(window, gui_project_path):
    layer = window.project.layer("gebouwen")
    window.set_selection(layer, [0, 1, 2])
    assert window.statusBar().currentMessage() == "3 objecten geselecteerd"
    window.clear_selection()
    assert window.statusBar().currentMessage() == ""
    window.set_selection(layer, [0, 1])
    _reopen(window, gui_project_path)
    assert "geselecteerd" not in window.statusBar().currentMessage()
    assert window.selection() is None and window.canvas.selection() is None


def test_tables_identify_measuring_and_history_reset(window, gui_project_path, qtbot):
    layer = window.project.layer("gebouwen")
    window.open_attribute_table(layer)
    x, y = layer.data.geometry.iloc[0].representative_point().coords[0]
    assert window.identify_at(x, y) is not None
    tools = window.map_tools
    window.set_tool("measure_distance")
    tools.measure.click(x, y, _left(), False)
    tools.measure.click(x + 10, y, _left(), False)
    tools.extents.record()
    window.canvas.zoom_in()
    tools.extents.record()
    assert tools.extents.history.can_back() and tools.measure.panel.isVisible()
    expression = tools.open_expression_dialog(layer)
    assert expression.isVisible()
    _reopen(window, gui_project_path)
    assert not any(d.isVisible() for d in window.findChildren(QtWidgets.QDialog, "select_expression_dialog"))
    assert window.tables == {}
    assert window.identify_panel.layer is None
    assert window.canvas.tool() == "pan" and tools.measure.vertices == [] and not tools.measure.panel.isVisible()
    assert not window.actions["extent_back"].isEnabled()


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_remove_layer_asks_and_undo_puts_it_back(window, yes):
    layers = window.project.layers
    layer = window.project.layer("erven")
    index = list(layers).index(layer)
    source = window.project.sources["erven"]
    undo = window.actions["undo_remove"]
    assert not undo.isEnabled()
    window.layer_panel.remove_requested.emit(layer)  # "Verwijderen" in the layer's menu
    assert "erven" not in layers.names() and "erven" not in window.project.sources
    assert undo.isEnabled() and "Ctrl+Z" in window.statusBar().currentMessage()
    assert undo.shortcut().toString() == "Ctrl+Z"
    undo.trigger()
    assert list(layers).index(layer) == index
    assert window.project.sources["erven"] is source
    assert window.canvas.layer_item(layer) is not None or not layer.visible
    assert window.layer_panel.model.rowCount() == len(layers)
    assert undo in window.findChild(QtWidgets.QMenu, "menu_bewerken").actions()


def test_remove_layer_answered_no_keeps_it(window, no):
    layer = window.project.layer("erven")
    window.layer_panel.remove_requested.emit(layer)
    assert "erven" in window.project.layers.names()
    assert not window.actions["undo_remove"].isEnabled()


def test_undo_history_is_per_project(window, gui_project_path, yes):
    window.layer_panel.remove_requested.emit(window.project.layer("erven"))
    assert window.actions["undo_remove"].isEnabled()
    _reopen(window, gui_project_path)
    assert not window.actions["undo_remove"].isEnabled()
    assert "erven" in window.project.layers.names()


def test_removed_then_undone_layer_is_saved_again(window, yes, tmp_path):
    from layers.project import load_project

    window.layer_panel.remove_requested.emit(window.project.layer("erven"))
    window.actions["undo_remove"].trigger()
    path = tmp_path / "weer.toml"
    assert window.save_project_as(path)
    assert "erven" in load_project(path).sources
    assert np.all(np.isfinite([v for v in window.project.layer("erven").extent]))
