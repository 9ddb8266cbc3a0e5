"""The locations editor in the app: draw with mouse clicks, edit, undo, save, reload, scan."""

from __future__ import annotations

import numpy as np
import pyogrio
import pytest
import shapely

pytest.importorskip("pytestqt")

from PySide6 import QtCore, QtWidgets  # noqa: E402

from gisapp.locaties_editor import LocatiesDock, LocatiesEditor, install_locaties_editor  # noqa: E402
from layers.project import Project, load_project  # noqa: E402
from scans import locatiescan  # noqa: E402

X0, Y0 = 151_000.0, 459_000.0
LEFT = QtCore.Qt.MouseButton.LeftButton


def click(qtbot, canvas, x, y):
    qtbot.mouseClick(canvas.viewport(), LEFT, pos=canvas.map_to_widget(x, y))


def double_click(qtbot, canvas, x, y):
    pos = canvas.map_to_widget(x, y)
    qtbot.mouseClick(canvas.viewport(), LEFT, pos=pos)
    qtbot.mouseDClick(canvas.viewport(), LEFT, pos=pos)
    qtbot.mouseRelease(canvas.viewport(), LEFT, pos=pos)


def drag(qtbot, canvas, start_xy, end_xy, steps=8):
    viewport = canvas.viewport()
    start, end = canvas.map_to_widget(*start_xy), canvas.map_to_widget(*end_xy)
    qtbot.mousePress(viewport, LEFT, pos=start)
    for t in np.linspace(0.1, 1.0, steps):
        qtbot.mouseMove(viewport, QtCore.QPoint(int(start.x() + t * (end.x() - start.x())),
                                                int(start.y() + t * (end.y() - start.y()))))
    qtbot.mouseRelease(viewport, LEFT, pos=end)


def draw_square(qtbot, editor, dock, size=200.0):
    canvas = editor.canvas
    canvas.zoom_to_extent((X0 - 150, Y0 - 150, X0 + size + 150, Y0 + size + 150))
    qtbot.mouseClick(dock.draw_button, LEFT)
    assert canvas.tool() == "draw_polygon"
    corners = [(X0, Y0), (X0 + size, Y0), (X0 + size, Y0 + size), (X0, Y0 + size)]
    for x, y in corners[:3]:
        click(qtbot, canvas, x, y)
    with qtbot.waitSignal(editor.changed, timeout=2000):
        double_click(qtbot, canvas, *corners[3])
    return corners


def fill_form(qtbot, dock, naam, woningen, betaalbaar_pct, start, status):
    dock.naam_edit.clear()
    qtbot.keyClicks(dock.naam_edit, naam)
    dock.woningen_spin.setValue(woningen)
    dock.betaalbaar_spin.setValue(betaalbaar_pct)
    dock.start_spin.setValue(start)
    dock.planstatus_combo.setCurrentText(status)
    qtbot.mouseClick(dock.apply_button, LEFT)


@pytest.fixture
def app_window(qtbot, sample_copy, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from gisapp.app import main_window

    win = main_window(sample_copy, lang="nl")
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    assert win.last_error is None, win.last_error
    editor = install_locaties_editor(win)
    yield win, editor, editor.dock
    win.set_modified(False)
    win.close()


def test_drawn_location_is_saved_reloaded_and_scanned(qtbot, app_window, sample_copy):
    win, editor, dock = app_window
    gpkg = sample_copy.parent / "locaties.gpkg"
    n_before = len(pyogrio.read_dataframe(gpkg))

    corners = draw_square(qtbot, editor, dock)
    assert len(editor.frame()) == n_before + 1 and editor.current == n_before
    drawn = editor.frame().geometry.iloc[-1]
    tolerance = 2 * win.canvas.map_units_per_pixel()
    assert shapely.get_coordinates(drawn)[:4] == pytest.approx(np.array(corners), abs=tolerance)

    fill_form(qtbot, dock, "Nieuwbouw Beekweide", 260, 60, 2027, "hard")
    row = editor.frame().iloc[-1]
    assert row["naam"] == "Nieuwbouw Beekweide" and row["geplande_woningen"] == 260
    assert row["betaalbaar_aandeel"] == pytest.approx(0.6) and row["start_bouw"] == 2027 and row["planstatus"] == "hard"

    # saved on every change: the GeoPackage already holds the new location
    on_disk = pyogrio.read_dataframe(gpkg)
    assert len(on_disk) == n_before + 1 and "Nieuwbouw Beekweide" in set(on_disk["naam"])
    assert not list(sample_copy.parent.glob(".locaties.*")), "temporary file left behind"

    reloaded = load_project(sample_copy)
    data = reloaded.layer("locaties").data
    mine = data[data["naam"] == "Nieuwbouw Beekweide"]
    assert len(mine) == 1
    assert mine.geometry.iloc[0].area == pytest.approx(drawn.area, rel=1e-6)
    assert mine["geplande_woningen"].iloc[0] == 260 and mine["planstatus"].iloc[0] == "hard"

    qtbot.mouseClick(dock.scan_button, LEFT)
    assert editor.last_error is None, editor.last_error
    result = editor.result
    assert len(result) == n_before + 1
    scanned = result[result["naam"] == "Nieuwbouw Beekweide"].iloc[0]
    assert bool(scanned["woningbouwimpuls"])  # 260 homes, 60% betaalbaar, start 2027
    assert scanned["oppervlakte_ha"] == pytest.approx(drawn.area / 10_000, abs=0.01)
    assert dock.table.rowCount() == n_before + 1
    assert dock.table.item(0, 0).text() == "1"
    assert "Woningbouwimpuls" in dock.reasons_text()
    layer = win.project.layers[locatiescan.LAYER_NAME]
    assert type(layer.style).__name__ == "Graduated" and layer.style.column == "score"

    # the scan of the reloaded project gives the same figures (what was saved is what was scanned)
    again = locatiescan.run(reloaded.layer("locaties").data, locatiescan.inputs_from_project(reloaded), None,
                            win.last_result, params=locatiescan.params_from_project(reloaded))
    assert again["score"].sort_values().tolist() == pytest.approx(result["score"].sort_values().tolist())


def test_undo_redo_and_delete_are_saved(qtbot, app_window, sample_copy):
    win, editor, dock = app_window
    gpkg = sample_copy.parent / "locaties.gpkg"
    n_before = len(editor.frame())
    draw_square(qtbot, editor, dock)
    fill_form(qtbot, dock, "Tijdelijk", 10, 0, 2030, "idee")
    assert editor.undo_stack.count() == 2
    dock.undo_button.defaultAction().trigger()
    assert editor.frame()["naam"].iloc[-1] != "Tijdelijk"
    editor.undo_stack.undo()
    assert len(editor.frame()) == n_before and len(pyogrio.read_dataframe(gpkg)) == n_before
    editor.undo_stack.redo()
    editor.undo_stack.redo()
    assert editor.frame()["naam"].iloc[-1] == "Tijdelijk"
    editor.select(len(editor.frame()) - 1)
    qtbot.mouseClick(dock.delete_button, LEFT)
    assert len(editor.frame()) == n_before and len(pyogrio.read_dataframe(gpkg)) == n_before
    editor.undo_stack.undo()
    assert "Tijdelijk" in set(pyogrio.read_dataframe(gpkg)["naam"])


def test_drag_a_vertex_and_undo(qtbot, app_window):
    win, editor, dock = app_window
    draw_square(qtbot, editor, dock)
    qtbot.mouseClick(dock.vertex_button, LEFT)
    assert editor.vertex_editing() and len(editor.vertex_handles().vertices()) == 4
    before = editor.frame().geometry.iloc[-1]
    corner = tuple(editor.vertex_handles().vertices()[2])
    target = (corner[0] + 100.0, corner[1] + 60.0)
    drag(qtbot, win.canvas, corner, target)
    after = editor.frame().geometry.iloc[-1]
    assert after.area > before.area
    assert shapely.get_coordinates(after)[2] == pytest.approx(target, abs=3 * win.canvas.map_units_per_pixel())
    assert "Hoekpunt" in editor.undo_stack.undoText()
    editor.undo_stack.undo()
    assert editor.frame().geometry.iloc[-1].equals(before)
    # dragging off a handle pans the map and changes nothing
    extent = win.canvas.current_extent()
    drag(qtbot, win.canvas, (X0 + 100, Y0 + 100), (X0 + 150, Y0 + 120))
    assert editor.frame().geometry.iloc[-1].equals(before)
    assert win.canvas.current_extent() != extent


def test_pick_on_map_selects_and_fills_the_form(qtbot, app_window):
    win, editor, dock = app_window
    frame = editor.frame()
    point = frame.geometry.iloc[0].representative_point()
    win.canvas.zoom_to_extent(frame.geometry.iloc[0].bounds)
    qtbot.mouseClick(dock.pick_button, LEFT)
    click(qtbot, win.canvas, point.x, point.y)
    assert editor.current == 0
    assert dock.naam_edit.text() == frame["naam"].iloc[0]
    assert win.canvas.tool() == "pan"


def test_new_project_gets_a_registered_locaties_gpkg(qtbot, tmp_path):
    from gisapp.canvas import MapCanvas

    path = tmp_path / "nieuw.toml"
    project = Project(name="Nieuw", path=path)
    project.save()
    window = QtWidgets.QMainWindow()
    window.canvas = MapCanvas(window)
    window.setCentralWidget(window.canvas)
    window.project = project
    window.canvas.set_layers(project.layers)
    editor = LocatiesEditor(window)
    dock = LocatiesDock(editor, window)
    window.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, dock)
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    qtbot.waitExposed(window)

    draw_square(qtbot, editor, dock, size=120.0)
    fill_form(qtbot, dock, "Eerste locatie", 40, 70, 2028, "zacht")
    assert (tmp_path / "locaties.gpkg").exists()
    reloaded = load_project(path)
    assert reloaded.sources["locaties"].role == "locaties"
    data = reloaded.layer("locaties").data
    assert data["naam"].tolist() == ["Eerste locatie"] and data["planstatus"].tolist() == ["zacht"]
    qtbot.mouseClick(dock.scan_button, LEFT)
    assert editor.last_error is None, editor.last_error
    assert editor.result["naam"].tolist() == ["Eerste locatie"]
    assert editor.result["netcongestie_max"].tolist() == [-1]  # no constraint layers in this project
    window.close()


def test_unsaved_project_keeps_locations_in_memory_until_saved(qtbot, tmp_path):
    from gisapp.canvas import MapCanvas

    window = QtWidgets.QMainWindow()
    window.canvas = MapCanvas(window)
    window.setCentralWidget(window.canvas)
    window.project = Project(name="Naamloos")
    window.canvas.set_layers(window.project.layers)
    editor = LocatiesEditor(window)
    dock = LocatiesDock(editor, window)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    editor.add_location(shapely.box(X0, Y0, X0 + 50, Y0 + 50), naam="In geheugen")
    assert "sla het project op" in dock.status.text()
    assert editor.save() is None
    window.project.save(tmp_path / "later.toml")
    assert editor.save() == tmp_path / "locaties.gpkg"
    assert load_project(tmp_path / "later.toml").layer("locaties").data["naam"].tolist() == ["In geheugen"]
    window.close()


def test_an_edit_after_the_scan_clears_the_stale_results(qtbot, app_window):
    win, editor, dock = app_window
    qtbot.mouseClick(dock.scan_button, LEFT)
    assert dock.table.rowCount() == len(editor.frame())
    editor.select(0)
    fill_form(qtbot, dock, "Hernoemd", 100, 50, 2027, "zacht")
    assert editor.result is None and dock.table.rowCount() == 0
    assert "opnieuw" in dock.status.text()


def test_plan_status_unknown_in_the_interface_language(qtbot, app_window):
    """The form's "no plan status" reads "unknown" in English; choosing it stores no status."""
    from gisapp import i18n

    window, editor, dock = app_window
    i18n.set_language("en")
    try:
        from gisapp.locaties_editor import LocatiesDock  # the form is built in the language of the moment

        english = LocatiesDock(editor, window)
        qtbot.addWidget(english)
        assert english.planstatus_combo.itemText(0) == "unknown"
        english.planstatus_combo.setCurrentIndex(0)
        assert english.form_values()["planstatus"] is None
    finally:
        i18n.set_language("nl")
    assert dock.planstatus_combo.itemText(0) == "onbekend"
    dock.planstatus_combo.setCurrentText("zacht")
    assert dock.form_values()["planstatus"] == "zacht"


def test_the_dock_styles_its_result_as_the_written_file(app_window):
    """The locatiescan's map in the app has the style its GeoPackage carries for QGIS (one definition)."""
    from gisapp.reports.geopackage import locaties_style
    from scans.locatiescan import LAYER_NAME

    window, editor, _dock = app_window
    assert editor.run_scan() is not None, editor.last_error
    style = window.layer(LAYER_NAME).style
    assert (style.column, [c.label for c in style.classes]) == (locaties_style().column, [c.label for c in locaties_style().classes])
