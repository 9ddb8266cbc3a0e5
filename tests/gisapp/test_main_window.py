"""Drive the real main window offscreen: project, layer panel, styling, identify, tables."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from styles import Graduated

pytestmark = pytest.mark.gui


def test_opens_the_sample_project_with_styled_layers(window):
    names = window.project.layers.names()
    assert "gebouwen" in names and "buurten" in names
    assert window.layer_panel.model.rowCount() == len(names)
    # The top row of the panel is the layer drawn last.
    top = window.layer_panel.model.layer_at(window.layer_panel.model.index(0, 0))
    assert top is window.project.layers[len(names) - 1]
    assert all(layer.style is not None for layer in window.project.layers if layer.geometry_kind != "table")
    assert "Voorbeeldstad" in window.windowTitle()
    assert not window.modified
    # A legible first view: rasters at the bottom and hidden, buildings shown.
    assert window.project.layers[0].geometry_kind == "raster" and not window.project.layers[0].visible
    assert window.project.layer("gebouwen").visible


def test_menus_cover_project_map_layers_scans_view_help(window):
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&Project", "&Bewerken", "&Kaart", "&Selectie", "&Lagen", "&Scans", "&Beeld", "&Help"]
    for key in ("new", "open", "save", "save_as", "quit", "zoom_box", "zoom_full", "add_layer", "attribute_table",
                "run_scan", "compare"):
        assert key in window.actions


def test_status_bar_shows_rd_coordinates_and_scale(window):
    window.canvas.mouse_moved.emit(155000.4, 463000.6)
    assert window.coordinate_label.text() == "RD x 155.000 y 463.001"
    window.canvas.zoom_in()
    window.canvas.scale_changed.emit(25000.0)
    assert window.scale_label.text() == "Schaal"
    assert window.scale_box.text() == "1:25.000"


def test_toggle_layer_in_panel(window, qtbot):
    layer = window.project.layer("gebouwen")
    model = window.layer_panel.model
    index = model.index_of_layer(layer)
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert layer.visible is False
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert window.modified
    layer.visible = True  # the model is the truth; the panel follows
    assert model.data(model.index_of_layer(layer), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def test_opacity_slider_rename_and_reorder(window):
    panel = window.layer_panel
    layer = window.project.layer("buurten")
    panel.set_current_layer(layer)
    assert panel.current_layer() is layer
    panel.opacity_slider.setValue(40)
    assert layer.opacity == pytest.approx(0.4)
    model = panel.model
    assert model.setData(model.index_of_layer(layer), "Buurten 2024", Qt.ItemDataRole.EditRole)
    assert layer.name == "Buurten 2024"
    assert "Buurten 2024" in window.project.sources  # the project file keys the layer by its new name
    before = window.project.layers.index(layer)
    panel.move_current(-1)  # one row up in the panel = one step later in drawing order
    assert window.project.layers.index(layer) == before + 1
    assert panel.current_layer() is layer


def test_drag_and_drop_in_panel_moves_in_collection(window):
    model = window.layer_panel.model
    first = model.layer_at(model.index(0, 0))
    mime = model.mimeData([model.index(0, 0)])
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, model.index(-1, 0).parent())
    assert model.layer_at(model.index(2, 0)) is first


def test_remove_layer(window):
    layer = window.project.layer("erven")
    window.remove_layer(layer)
    assert "erven" not in window.project.layers.names()
    assert "erven" not in window.project.sources
    assert window.layer_panel.model.rowCount() == len(window.project.layers)


def test_restyle_layer_graduated_updates_legend(window):
    from gisapp.style_dialog import StyleDialog

    layer = window.project.layer("buurten")
    dialog = StyleDialog(layer, window)
    dialog.set_kind("graduated")
    dialog.set_column("woningvoorraad")
    dialog.set_method("quantiles")
    dialog.classes_spin.setValue(4)
    assert dialog.preview.count() == 4
    assert dialog.apply()
    assert isinstance(layer.style, Graduated)
    assert layer.style.column == "woningvoorraad" and layer.style.method == "quantiles"
    model = window.layer_panel.model
    index = model.index_of_layer(layer)
    assert model.rowCount(index) == 4  # legend entries under the layer
    assert model.data(model.index(0, 0, index), Qt.ItemDataRole.DecorationRole) is not None
    assert "buurten" in window.project.styles  # saved with the project


def test_restyle_categorized_and_single(window):
    from styles import Categorized, SingleSymbol

    from gisapp.style_dialog import StyleDialog

    layer = window.project.layer("netcongestie")
    dialog = StyleDialog(layer, window)
    dialog.set_kind("categorized")
    dialog.set_column("status_afname")
    dialog.apply()
    assert isinstance(layer.style, Categorized)
    dialog.set_kind("single")
    dialog.set_colors(fill="#ff000080")
    dialog.apply()
    assert isinstance(layer.style, SingleSymbol) and layer.style.symbol.fill == "#ff000080"


def test_identify_a_building_shows_result_per_scan(scanned):
    window = scanned
    layer = window.layer("gebouwen_potentie")
    candidates = np.flatnonzero(layer.data["totaal_woningen"].to_numpy() > 0)
    position = int(candidates[0])
    point = layer.data.geometry.iloc[position].representative_point()
    window.set_tool("identify")
    window.canvas.feature_clicked.emit(point.x, point.y)  # what the canvas' identify tool sends
    panel = window.identify_panel
    assert panel.layer is layer and panel.position == position
    rows = panel.result_rows()
    labels = [row[0] for row in rows]
    assert labels[:4] == ["Optoppen", "Splitsen", "Transformatie", "Wonen op het boerenerf"]
    assert rows[-1][0] == "Totaal extra woningen"
    assert rows[-1][1] == str(int(layer.data["totaal_woningen"].iloc[position]))
    assert any(row[2] == "kandidaat" for row in rows[:4])
    assert all(row[2] for row in rows[:4])  # every scan gives its reason
    assert window.canvas.selection()[0] is layer


def test_identify_nothing(window):
    assert window.identify_at(-5000.0, -5000.0) is None
    assert "Geen object" in window.identify_panel.title.text()


def test_attribute_table_selection_both_ways(window, qtbot):
    layer = window.project.layer("gebouwen")
    table = window.open_attribute_table(layer)
    qtbot.waitExposed(table)
    model = table.model
    assert model.total_rows() == len(layer.data)
    assert model.rowCount() < len(layer.data)  # lazy: rows arrive in chunks
    # table -> map
    assert list(model.row_positions(range(5))) == [0, 1, 2, 3, 4]  # unsorted until a header is clicked
    table.view.selectRow(3)
    selected = window.canvas.selection()
    assert selected[0] is layer and list(selected[1]) == [int(model.row_positions([3])[0])]
    # map -> table
    wanted = [10, len(layer.data) // 2, len(layer.data) - 1]
    window.set_selection(layer, wanted)
    assert list(table.selected_positions()) == wanted
    rows = sorted({i.row() for i in table.view.selectionModel().selectedRows()})
    assert sorted(model.row_positions(rows)) == wanted
    # sort keeps the selection
    column = model.columns().index("bouwjaar")
    model.sort(column, Qt.SortOrder.DescendingOrder)
    years = layer.data["bouwjaar"].iloc[model.row_positions(range(50))].dropna().to_numpy()
    assert np.all(np.diff(years) <= 0)
    rows = sorted({i.row() for i in table.view.selectionModel().selectedRows()})
    assert sorted(model.row_positions(rows)) == wanted
    # filter
    pand_id = str(layer.data["pand_id"].iloc[42])
    model.set_filter(pand_id)
    assert model.filtered_rows() >= 1
    assert int(model.row_positions([0])[0]) == 42
    table.zoom_button.click()  # zoom to selection does not raise
    window.clear_selection()
    assert window.canvas.selection() is None or len(window.canvas.selection()[1]) == 0


def test_select_tool_box_selects_in_current_layer(window):
    layer = window.project.layer("gebouwen")
    window.layer_panel.set_current_layer(layer)
    xmin, ymin, xmax, ymax = layer.extent
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    window.canvas.selection_requested.emit((cx - 200, cy - 200, cx + 200, cy + 200))
    selected = window.selection()
    assert selected is not None and selected[0] is layer and len(selected[1]) > 0


def test_unsaved_changes_are_asked_on_close(window, monkeypatch):
    window.project.layer("gebouwen").visible = False
    assert window.modified
    monkeypatch.setattr(window, "ask_save_changes", lambda: QMessageBox.StandardButton.Cancel)
    assert not window.close()
    assert window.isVisible()
    monkeypatch.setattr(window, "ask_save_changes", lambda: QMessageBox.StandardButton.Discard)
    assert window.close()


def test_save_project_as_and_reopen(window, tmp_path):
    from layers.project import load_project

    window.project.layer("gebouwen").opacity = 0.5
    target = tmp_path / "kopie.toml"
    assert window.save_project_as(target)
    assert not window.modified
    reopened = load_project(target)
    assert reopened.layer("gebouwen").opacity == 0.5
    from gisapp.main_window import recent_projects

    assert recent_projects()[0] == str(target.resolve())


def test_errors_go_to_a_dialog_not_a_traceback(window, tmp_path):
    bad = tmp_path / "kapot.toml"
    bad.write_text("[project\nname = ", encoding="utf-8")
    assert window.open_project(bad) is False
    assert window.last_error and "kapot.toml" in window.last_error
    assert window.open_project(tmp_path / "bestaat_niet.toml") is False
    assert "Voorbeeldstad" in window.windowTitle()  # the open project stays


def test_add_data_file_guesses_role(window, gui_project_path):
    from gisapp.add_layer_dialog import guess_file_role, list_file_layers

    folder = gui_project_path.parent
    assert "pand" in list_file_layers(folder / "gebouwen.gpkg") or list_file_layers(folder / "gebouwen.gpkg") == []
    assert guess_file_role(folder / "gebouwen.gpkg", "pand") == "gebouwen"
    assert guess_file_role(folder / "bodemdaling.tif") == "bodemdaling"
    layer = window.add_data_file(folder / "gebieden.gpkg", {"layer": "wijken", "role": "gebieden", "name": "wijken_extra"})
    assert layer is not None and layer.name == "wijken_extra"
    assert window.project.sources["wijken_extra"].role == "gebieden"
    assert layer.style is not None
    assert window.add_data_file(folder / "geen_bestand.gpkg", {"layer": None, "role": None, "name": "x"}) is None
    assert window.last_error


def test_dropping_a_file_adds_a_layer(window, gui_project_path, monkeypatch):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    path = gui_project_path.parent / "nplv.gpkg"
    asked = []

    def answer(p):
        asked.append(p)
        return {"layer": None, "role": "nplv", "name": "nplv_gesleept"}

    monkeypatch.setattr(window, "ask_layer_choices", answer)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert asked == [path]
    assert "nplv_gesleept" in window.project.layers.names()
