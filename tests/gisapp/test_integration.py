"""The main window as a whole: autosave and recovery, exports, the informatieproduct tool,
"Laag toevoegen" from OGC API Features and PostGIS, and closing during a scan.

Everything runs through the window's own code paths (actions, signals, dialog widgets) in
worker threads, offscreen; file dialogs and questions are answered by patched methods.
"""

from __future__ import annotations

import os
import re
import sqlite3
import urllib.parse
from pathlib import Path

import pyogrio
import pytest

from layers import autosave
from tests.sources.conftest import ogc_server, postgis_dsn  # noqa: F401 - session fixtures reused
from tests.sources.test_postgis import schema  # noqa: F401 - a schema with a pand table, reused

pytestmark = pytest.mark.gui

WORKER_TIMEOUT_MS = 90_000


@pytest.fixture(autouse=True)
def _state_dir(tmp_path, monkeypatch):
    """Autosaves of unsaved projects go to a temporary state folder, never the user's."""
    folder = tmp_path / "state"
    monkeypatch.setenv(autosave.STATE_DIR_ENV, str(folder))
    return folder


def _small_project(folder: Path, sample_folder: Path, name: str = "Klein") -> Path:
    """A project file in ``folder`` with one gebieden layer from the sample data (absolute path)."""
    path = folder / "klein.toml"
    gebieden = (sample_folder / "gebieden.gpkg").as_posix()
    path.write_text(
        f'[project]\nname = "{name}"\nformat_version = 1\n\n'
        f'[layers.buurten]\nrole = "gebieden"\npath = "{gebieden}"\nlayer = "buurten"\n',
        encoding="utf-8",
    )
    return path


def _make_newer(path: Path, than: Path) -> None:
    stamp = than.stat().st_mtime + 60
    os.utime(path, (stamp, stamp))


def _new_window(qtbot):
    from gisapp.main_window import MainWindow

    window = MainWindow()
    # _small_project points at the sample data by absolute path: accept reading outside the folder
    window.confirm_external_sources = lambda external: True
    qtbot.addWidget(window, before_close_func=lambda w: w.set_modified(False))
    return window


# --------------------------------------------------------------------------- autosave and recovery


def test_autosave_timer_writes_the_modified_project(qtbot, tmp_path, gui_project_path):
    from layers.project import load_project

    path = _small_project(tmp_path, gui_project_path.parent)
    window = _new_window(qtbot)
    assert window.open_project(path)
    window.autosave.timer.setInterval(20)
    window.autosave.timer.start()
    qtbot.wait(100)
    assert not autosave.autosave_path(path).exists()  # nothing changed: nothing written
    window.project.layer("buurten").opacity = 0.3
    with qtbot.waitSignal(window.autosave.autosaved, timeout=5000) as blocker:
        pass
    assert blocker.args[0] == autosave.autosave_path(path)
    assert load_project(blocker.args[0], load_data=False).sources["buurten"].opacity == 0.3
    assert load_project(path, load_data=False).sources["buurten"].opacity == 1.0  # the project file is untouched
    window.close()
    assert not autosave.autosave_path(path).exists()  # closed normally: its autosave is gone


def test_newer_autosave_is_offered_recovered_and_removed_by_saving(qtbot, tmp_path, gui_project_path, monkeypatch):
    from gisapp.main_window import MainWindow
    from layers.project import load_project

    path = _small_project(tmp_path, gui_project_path.parent)
    crashed = load_project(path)
    crashed.name = "Klein (niet opgeslagen werk)"
    crashed.layers["buurten"].opacity = 0.5
    crashed.sources["buurten"].opacity = 0.5
    written = autosave.write_autosave(crashed)
    _make_newer(written, path)

    asked = []
    monkeypatch.setattr(MainWindow, "ask_recover", lambda self, p, found: asked.append((Path(p), found)) or True)
    window = _new_window(qtbot)
    assert window.open_project(path)
    assert asked == [(path, written)]
    assert window.project.name == "Klein (niet opgeslagen werk)"
    assert window.project.layer("buurten").opacity == 0.5
    assert window.project.path == path.resolve()
    assert window.modified and window.isWindowModified()
    assert written.exists()  # kept until the recovered work is saved

    assert window.save_project()
    assert not written.exists()
    assert not window.modified
    assert load_project(path, load_data=False).name == "Klein (niet opgeslagen werk)"
    window.close()


def test_declined_recovery_discards_the_autosave(qtbot, tmp_path, gui_project_path):
    # tests/conftest.py answers QMessageBox.question with "No": the real question is asked.
    from layers.project import load_project

    path = _small_project(tmp_path, gui_project_path.parent)
    crashed = load_project(path)
    crashed.name = "Oud werk"
    written = autosave.write_autosave(crashed)
    _make_newer(written, path)
    window = _new_window(qtbot)
    assert window.open_project(path)
    assert window.project.name == "Klein"
    assert not window.modified
    assert not written.exists()
    window.close()


def test_unsaved_project_autosave_is_offered_at_start(qtbot, tmp_path, gui_project_path, monkeypatch, _state_dir):
    from gisapp.main_window import MainWindow
    from layers.layer import LayerCollection
    from layers.project import LayerSource, Project
    from layers.readers import read_layer

    source = gui_project_path.parent / "nplv.gpkg"
    unsaved = Project(name="Nooit opgeslagen", path=None, layers=LayerCollection(), sources={})
    unsaved.add_layer(read_layer(source, role="nplv", name="nplv"), LayerSource(key="nplv", path=str(source), role="nplv"))
    written = autosave.write_autosave(unsaved)
    assert written.is_relative_to(_state_dir)

    monkeypatch.setattr(MainWindow, "ask_recover", lambda self, p, found: p is None and found == written)
    window = _new_window(qtbot)
    qtbot.waitUntil(lambda: window.project.name == "Nooit opgeslagen", timeout=5000)
    assert window.project.path is None
    assert window.modified
    assert window.project.layer("nplv") is not None
    target = tmp_path / "eindelijk.toml"
    assert window.save_project_as(target)
    assert not written.exists()  # the unsaved-project autosave is gone once saved
    window.close()


def test_starting_without_a_project_offers_unsaved_work_before_the_sample(qtbot, gui_project_path, monkeypatch, _state_dir):
    """``gisapp`` with no arguments: a crashed, never-saved project is offered before the sample opens."""
    from gisapp import app
    from gisapp.main_window import MainWindow
    from layers.layer import LayerCollection
    from layers.project import LayerSource, Project
    from layers.readers import read_layer

    source = gui_project_path.parent / "nplv.gpkg"
    unsaved = Project(name="Na een crash", path=None, layers=LayerCollection(), sources={})
    unsaved.add_layer(read_layer(source, role="nplv", name="nplv"), LayerSource(key="nplv", path=str(source), role="nplv"))
    written = autosave.write_autosave(unsaved)
    monkeypatch.setattr(MainWindow, "ask_recover", lambda self, p, found: p is None and found == written)
    monkeypatch.setattr(app, "sample_project", lambda: gui_project_path)
    window = app.main_window(None, lang="nl")
    qtbot.addWidget(window)
    assert window.project.name == "Na een crash" and window.modified
    window.set_modified(False)
    window.close()


# --------------------------------------------------------------------------- exports


@pytest.fixture
def exports(scanned, monkeypatch, tmp_path):
    """The scanned window's export actions, with "save as" answered by a path in tmp_path."""
    ex = scanned.exports
    monkeypatch.setattr(ex, "choose_output", lambda kind: tmp_path / f"uitvoer_{kind}{ex.suggested_path(kind).suffix}")
    return ex


def _export(qtbot, exports, kind):
    with qtbot.waitSignal(exports.exported, timeout=WORKER_TIMEOUT_MS) as blocker:
        assert exports.actions[kind].isEnabled()
        exports.actions[kind].trigger()
        assert exports.task.is_running()
        assert not exports.actions["pdf"].isEnabled()  # one task at a time
    assert exports.task.last_error is None
    return blocker.args[1]


def test_exports_disabled_until_a_scan_result_exists(window):
    assert all(not action.isEnabled() for action in window.exports.actions.values())
    assert "Exporteren" in [a.text() for a in window.menuBar().actions()[0].menu().actions()]


def test_export_pdf(qtbot, exports):
    from pypdf import PdfReader

    (pdf,) = _export(qtbot, exports, "pdf")
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 2
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Voorbeeldstad" in text and "standaard" in text


def test_export_excel(qtbot, exports):
    from openpyxl import load_workbook

    (xlsx,) = _export(qtbot, exports, "excel")
    workbook = load_workbook(xlsx, read_only=True)
    assert {"samenvatting", "buurten", "wijken", "gemeente", "gebouwen", "parameters"} <= set(workbook.sheetnames)
    rows = list(workbook["buurten"].iter_rows(values_only=True))
    result = exports.parent().last_result
    assert len(rows) - 2 == len(result.gebieden)  # row 1: Dutch labels, row 2: field names
    header = list(rows[1])
    column = header.index("totaal_woningen")
    assert rows[0][column] == "Totaal extra woningen"
    assert sum(row[column] or 0 for row in rows[2:]) == pytest.approx(result.gebouwen["totaal_woningen"].sum())


def test_export_geopackage_with_styles(qtbot, exports):
    (gpkg,) = _export(qtbot, exports, "geopackage")
    layers = {row[0] for row in pyogrio.list_layers(gpkg)}
    assert {"gebouwen_potentie", "gebieden_potentie", "scenario_parameters", "totalen"} <= layers
    result = exports.parent().last_result
    assert pyogrio.read_info(gpkg, layer="gebouwen_potentie")["features"] == len(result.gebouwen)
    with sqlite3.connect(gpkg) as con:
        styled = {row[0] for row in con.execute("SELECT f_table_name FROM layer_styles WHERE useAsDefault = 1")}
    assert {"gebouwen_potentie", "gebieden_potentie"} <= styled


def test_export_geopackage_is_sound(qtbot, exports):
    """The window's export, written by GDAL: a file other readers accept, with a sound spatial index."""
    (gpkg,) = _export(qtbot, exports, "geopackage")
    result = exports.parent().last_result
    with sqlite3.connect(gpkg) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT rtreecheck('rtree_gebouwen_potentie_geom')").fetchone() == ("ok",)
        assert con.execute("SELECT count(*) FROM gebouwen_potentie").fetchone() == (len(result.gebouwen),)
    minx, miny, maxx, maxy = result.gebouwen.total_bounds
    box = ((minx + maxx) / 2 - 300, (miny + maxy) / 2 - 300, (minx + maxx) / 2 + 300, (miny + maxy) / 2 + 300)
    expected = result.gebouwen.cx[box[0]:box[2], box[1]:box[3]]
    found = pyogrio.read_dataframe(gpkg, layer="gebouwen_potentie", bbox=box)
    assert len(expected) > 10 and sorted(found["pand_id"]) == sorted(expected["pand_id"])
    import fiona  # a second reader, with its own GDAL

    with fiona.open(gpkg, layer="gebouwen_potentie") as source:
        assert len(source) == len(result.gebouwen)
        in_box = sorted(feature["properties"]["pand_id"] for feature in source.filter(bbox=box))
        assert in_box == sorted(expected["pand_id"])


def test_export_portfolio_per_complex(qtbot, exports):
    from openpyxl import load_workbook

    # The portfolio as polygons (as a corporation keeps it in PostGIS): the scan engine currently
    # refuses the sample's table form (portefeuille.csv) for a portfolio scan.
    project = exports.parent().project
    portfolio = project.layer("portefeuille")
    panden = project.layer("gebouwen").data[["pand_id", "geometry"]]
    portfolio.data = panden.merge(portfolio.data.drop(columns="geometry", errors="ignore"), on="pand_id")
    assert exports.parent().last_result.complexen is None  # the scan in the app ran on all panden
    xlsx, gpkg = _export(qtbot, exports, "portefeuille")
    assert xlsx.suffix == ".xlsx" and gpkg == xlsx.with_suffix(".gpkg")
    complexen = pyogrio.read_dataframe(gpkg, layer="complexen")
    assert len(complexen) > 0
    sheet = load_workbook(xlsx, read_only=True)["portefeuille"]
    assert sheet.max_row - 2 == len(complexen)  # labels and field names above the rows


def test_export_never_overwrites_an_input(qtbot, scanned, gui_project_path):
    target = gui_project_path.parent / "gebouwen.gpkg"
    before = target.stat().st_mtime_ns
    assert scanned.exports.export("geopackage", target) is False
    assert "invoerbestand" in scanned.last_error
    assert not scanned.exports.task.is_running()
    assert target.stat().st_mtime_ns == before


# --------------------------------------------------------------------------- informatieproduct


def _ja_mits_point(project) -> tuple[float, float]:
    """A point inside a ja_mits water/bodem zone where the whole picture is 'ja, mits'."""
    from gisapp.reports.informatieproduct import build_informatieproduct

    zones = project.layer("water_bodem").data
    for geometry in zones.loc[zones["klasse"] == "ja_mits"].geometry:
        point = geometry.representative_point()
        if build_informatieproduct(project, xy=(point.x, point.y)).klasse == "ja_mits":
            return point.x, point.y
    raise AssertionError("the sample project has no ja_mits location")


def test_informatieproduct_tool_click_show_and_save(qtbot, window, tmp_path, monkeypatch):
    from pypdf import PdfReader

    tool = window.informatieproduct
    x, y = _ja_mits_point(window.project)
    assert tool.on_map_clicked(x, y) is False  # not the active tool: a click does nothing
    window.actions["informatieproduct"].trigger()
    assert window.canvas.tool() == "point" and window.actions["informatieproduct"].isChecked()
    with qtbot.waitSignal(tool.product_ready, timeout=WORKER_TIMEOUT_MS):
        window.canvas.map_clicked.emit(x, y)
    panel = tool.panel
    assert "ja, mits" in panel.klasse_label.text()
    assert tool.product.mitsen and all(text in panel.mitsen_text() for text in tool.product.mitsen)
    assert panel.sources_table.rowCount() >= 1
    assert "ja, mits" in [panel.sources_table.item(r, 1).text() for r in range(panel.sources_table.rowCount())]
    rasters = [panel.rasters_table.item(r, 0).text() for r in range(panel.rasters_table.rowCount())]
    assert {"bodemdaling", "overstromingsdiepte", "kwel"} <= set(rasters)
    values = [panel.rasters_table.item(r, 1).text() for r in range(panel.rasters_table.rowCount())]
    assert any(values) and all(re.fullmatch(r"-?\d{1,3}(\.\d{3})*,\d\d", v) for v in values if v), values  # nl 0,57
    assert tool.dock.isVisible()

    monkeypatch.setattr(tool, "choose_output", lambda kind: tmp_path / ("info.pdf" if kind == "pdf" else "info.gpkg"))
    with qtbot.waitSignal(tool.saved, timeout=WORKER_TIMEOUT_MS) as saved_pdf:
        panel.save_pdf_button.click()
    with qtbot.waitSignal(tool.saved, timeout=WORKER_TIMEOUT_MS) as saved_gpkg:
        panel.save_gpkg_button.click()
    assert saved_pdf.args == ["pdf", tmp_path / "info.pdf"]
    assert saved_gpkg.args == ["geopackage", tmp_path / "info.gpkg"]
    assert len(PdfReader(tmp_path / "info.pdf").pages) >= 1
    layers = {row[0] for row in pyogrio.list_layers(tmp_path / "info.gpkg")}
    assert {"locatie", "water_bodem_bronnen", "rasterwaarden"} <= layers
    assert pyogrio.read_dataframe(tmp_path / "info.gpkg", layer="locatie")["klasse"].tolist() == ["ja_mits"]


# --------------------------------------------------------------------------- Laag toevoegen


def _wait_idle(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=WORKER_TIMEOUT_MS)


def test_add_layer_from_ogc_api_through_the_dialog(qtbot, window, ogc_server):  # noqa: F811
    window.canvas.zoom_to_extent((110000, 514950, 110950, 515100))
    dialog = window.open_add_layer_dialog()
    assert dialog.isVisible()
    dialog.tabs.setCurrentIndex(1)
    assert dialog.source_kind() == "ogcapi"
    qtbot.keyClicks(dialog.url_edit, ogc_server)
    with qtbot.waitSignal(dialog.collections_listed, timeout=WORKER_TIMEOUT_MS) as listed:
        qtbot.mouseClick(dialog.list_collections_button, qtbot_left())
    assert {c.id for c in listed.args[0]} == {"buurten", "panden_wgs84"}
    dialog.collection_combo.setCurrentIndex(dialog.collection_combo.findData("buurten"))
    qtbot.waitUntil(lambda: dialog.role_combo.currentData() == "gebieden" and not dialog.is_running(), timeout=WORKER_TIMEOUT_MS)
    assert "geraden" in dialog.guess_label.text()
    assert dialog.name_edit.text() == "gebieden"  # the name follows the guessed role
    dialog.name_edit.setText("pdok_buurten")
    dialog.extent_check.setChecked(True)
    with qtbot.waitSignal(dialog.layer_loaded, timeout=WORKER_TIMEOUT_MS):
        qtbot.mouseClick(dialog.add_button, qtbot_left())
    layer = window.layer("pdok_buurten")
    assert layer is not None and layer.role == "gebieden"
    assert 0 < len(layer.data) < 25  # only the buurten in the map extent
    assert layer.data.crs.to_epsg() == 28992
    source = window.project.sources["pdok_buurten"]
    assert source.path == ogc_server and source.layer == "buurten" and source.role == "gebieden"
    assert len(source.options["bbox"]) == 4 and "feedback" not in source.options
    assert not dialog.isVisible()
    assert window.modified


def test_ogc_api_load_can_be_cancelled(qtbot, window, ogc_server):  # noqa: F811
    dialog = window.open_add_layer_dialog()
    dialog.set_source_kind("ogcapi")
    dialog.url_edit.setText(f"{ogc_server}/collections/panden_wgs84")
    with qtbot.waitSignal(dialog.collections_listed, timeout=WORKER_TIMEOUT_MS):
        dialog.list_collections_button.click()
    assert dialog.collection_combo.currentData() == "panden_wgs84"  # taken from the URL
    _wait_idle(qtbot, dialog)
    names = window.project.layers.names()
    with qtbot.waitSignal(dialog.load_cancelled, timeout=WORKER_TIMEOUT_MS):
        dialog.add_button.click()
        assert dialog.stop_button.isEnabled()
        dialog.stop_button.click()
    assert window.project.layers.names() == names
    assert dialog.isVisible()
    assert "afgebroken" in dialog.status.text()


def test_add_layer_from_postgis_through_the_dialog(qtbot, window, postgis_dsn, schema):  # noqa: F811
    parts = urllib.parse.urlsplit(postgis_dsn)
    dialog = window.open_add_layer_dialog()
    dialog.set_source_kind("postgis")
    dialog.host_edit.setText(parts.hostname)
    dialog.port_spin.setValue(parts.port or 5432)
    dialog.db_edit.setText(parts.path.lstrip("/"))
    dialog.user_edit.setText(parts.username or "")
    dialog.password_edit.setText("geheim")  # the test cluster trusts 127.0.0.1: any password works
    with qtbot.waitSignal(dialog.tables_listed, timeout=WORKER_TIMEOUT_MS) as listed:
        dialog.list_tables_button.click()
    assert f"{schema}.panden" in {t.name for t in listed.args[0]}
    dialog.table_combo.setCurrentIndex(dialog.table_combo.findData(f"{schema}.panden|geom"))
    qtbot.waitUntil(lambda: dialog.role_combo.currentData() == "gebouwen" and not dialog.is_running(), timeout=WORKER_TIMEOUT_MS)
    dialog.name_edit.setText("corporatie_panden")
    with qtbot.waitSignal(dialog.layer_loaded, timeout=WORKER_TIMEOUT_MS):
        dialog.add_button.click()
    layer = window.layer("corporatie_panden")
    assert layer is not None and layer.role == "gebouwen" and len(layer.data) == 5
    assert layer.data["pand_id"].str.len().eq(16).all()
    source = window.project.sources["corporatie_panden"]
    assert source.layer == f"{schema}.panden"
    assert source.path.startswith("postgresql://") and "geheim" not in source.path
    assert "geheim" not in str(window.project.to_dict())


def test_add_layer_dialog_file_tab(qtbot, window, gui_project_path):
    dialog = window.open_add_layer_dialog()
    assert dialog.source_kind() == "file"
    dialog.path_edit.setText(str(gui_project_path.parent / "gebieden.gpkg"))
    dialog.path_edit.editingFinished.emit()
    dialog.layer_combo.setCurrentIndex(dialog.layer_combo.findData("wijken"))
    assert dialog.role_combo.currentData() == "gebieden"
    dialog.name_edit.setText("wijken_erbij")
    dialog.add_button.click()
    assert window.project.sources["wijken_erbij"].layer == "wijken"
    assert window.layer("wijken_erbij").role == "gebieden"


# --------------------------------------------------------------------------- closing while busy


def test_closing_the_window_during_a_scan_cancels_without_hanging(qtbot, window):
    dialog = window.open_scan_dialog()
    assert dialog.start()
    assert dialog.runner.is_running()
    assert window.close()  # a hang here is caught by pytest-timeout
    assert not dialog.runner.is_running()
    assert window.last_result is None  # the cancelled scan added nothing


def test_closing_the_window_during_an_export_waits_for_it(qtbot, exports):
    window = exports.parent()
    assert exports.export("excel")
    assert exports.task.is_running()
    assert window.close()
    assert not exports.task.is_running()


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


# --------------------------------------------------------------------------- locaties


def test_locaties_menu_installs_the_editor_once(qtbot, tmp_path, gui_project_path):
    path = _small_project(tmp_path, gui_project_path.parent)
    window = _new_window(qtbot)
    assert window.open_project(path)
    window.show()
    qtbot.waitExposed(window)
    scans_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Scans")
    submenu = next(a.menu() for a in scans_menu.actions() if a.menu() is not None)
    assert submenu.title() == "Locaties"
    assert window.locaties_editor is None  # created on first use
    window.actions["locaties"].trigger()
    editor = window.locaties_editor
    assert editor is not None and editor.dock.isVisible()
    assert editor.project is window.project
    window.actions["locaties_draw"].trigger()
    assert window.locaties_editor is editor
    assert window.canvas.tool() == "draw_polygon"
    window.new_project()
    assert editor.project is window.project  # follows the window's project
    window.close()
