"""Project → "Nieuw project voor een gemeente…" against the local replay of the public services
(tests/sources/ophalen_replay.py, the server of the ``gisapp ophalen`` tests): search, fetch with
progress per source, cancel, an error as one line, files for the sources without a service, and
the project opened in the main window and scanned."""

from __future__ import annotations

import os
import shutil
import threading

import geopandas as gpd
import pytest
import shapely
from PySide6.QtCore import Qt

from gisapp.gemeente_wizard import GemeenteWizard, source_of
from layers.project import load_project
from layers.sources.gemeente import load_bronnen
from layers.sources.gemeente.lijst import list_gemeenten
from tests.sources.ophalen_replay import BAG_PATH, GEMEENTE_CODE, ReplayServer
from tests.sources.test_ophalen import dataset, server  # noqa: F401 - the fixtures of the ophalen tests

pytestmark = pytest.mark.realdata

SERVICES = ("cbs", "bag", "bag3d", "monumenten")


@pytest.fixture
def services(server, tmp_path, monkeypatch):  # noqa: F811 - the imported fixture
    """The replay server as the app's services: $BB_BRONNEN, a fresh cache, a home folder of its own."""
    monkeypatch.setenv("BB_BRONNEN", str(server.bronnen(tmp_path / "bronnen.toml")))
    monkeypatch.setenv("BB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return server


@pytest.fixture
def hold_bag(services, monkeypatch):
    """Holds every BAG items request until the returned event is set (a fetch stays busy at the BAG)."""
    gate = threading.Event()
    handler = services.httpd.RequestHandlerClass
    answer = handler.do_GET

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path.startswith(f"{BAG_PATH}/collections/") and "/items" in self.path:
            gate.wait(120)
        answer(self)

    monkeypatch.setattr(handler, "do_GET", do_GET)
    yield gate
    gate.set()


def _screenshot(widget, name: str, tmp_path) -> str:
    path = tmp_path / f"{name}.png"
    assert widget.grab().save(str(path))
    if os.environ.get("BB_SCREENSHOT_DIR"):
        shutil.copy(path, os.path.join(os.environ["BB_SCREENSHOT_DIR"], path.name))
    return str(path)


def _wait_for_list(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.list_runner.is_running() and dialog.list_model.rowCount() > 0, timeout=60_000)


def _pick(qtbot, dialog, typed: str) -> None:
    """Type ``typed`` and choose the first entry the completer's popup offers."""
    dialog.gemeente_edit.clear()
    dialog.gemeente_edit.setFocus()
    qtbot.keyClicks(dialog.gemeente_edit, typed)
    completer = dialog.completer
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=10_000)
    popup.setCurrentIndex(completer.completionModel().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)


def _polygons(path, column: str | None, bounds) -> None:
    x0, y0, x1, y1 = bounds
    frame = gpd.GeoDataFrame({"naam": ["west"]}, geometry=[shapely.box(x0, y0, (x0 + x1) / 2, y1)], crs=28992)
    if column:
        frame[column] = ["Focusgebied west"]
    frame.to_file(path, driver="GPKG")


def test_progress_lines_name_their_source():
    assert source_of("BAG: panden: 120 objecten") == ("bag", "panden", 120)
    assert source_of("BAG: verblijfsobjecten…") == ("bag", "verblijfsobjecten", None)
    assert source_of("3D BAG: 3 objecten") == ("bag3d", "", 3)
    assert source_of("CBS: gemeente zoeken: 2 objecten") == ("cbs", "gemeente zoeken", 2)
    assert source_of("Rijksmonumenten…") == ("monumenten", "", None)
    assert source_of("GeoPackage en project schrijven…") is None


def test_the_gemeenten_list_is_the_request_the_fetch_falls_back_on(services, tmp_path):
    listed = list_gemeenten(2024)
    assert listed == [("GM0503", "Delft"), ("GM0603", "Rijswijk")]
    requests = len(services.requests)
    assert list_gemeenten(2024, offline=True) == listed  # from the cache
    assert len(services.requests) == requests


def test_fetch_a_gemeente_add_a_file_open_and_scan(services, hold_bag, fresh_window, qtbot, tmp_path):
    window = fresh_window
    window.actions["gemeente"].trigger()
    dialog = window.findChild(GemeenteWizard)
    assert dialog is not None and dialog.isVisible()
    assert window.actions["gemeente"] in window.menuBar().actions()[0].menu().actions()
    assert dialog.jaar_spin.value() == load_bronnen()["cbs"]["jaar"]
    _wait_for_list(qtbot, dialog)
    assert "2 gemeenten" in dialog.list_status.text()

    # search by code and by part of the name; the folder follows the gemeente
    _pick(qtbot, dialog, "gm0603")
    assert dialog.gemeente_edit.text() == "Rijswijk (GM0603)"
    _pick(qtbot, dialog, "Delf")
    assert dialog.gemeente_edit.text() == "Delft (GM0503)"
    assert dialog.chosen() == (GEMEENTE_CODE, "Delft")
    folder = tmp_path / "home" / "BeterBenutten" / "Delft"
    assert dialog.folder_edit.text() == str(folder)
    assert [dialog.source_status(key)[0] for key in SERVICES] == ["wachten"] * 4

    # the fetch runs in the worker: the CBS is in, the BAG is held at its first page
    dialog.fetch_button.click()
    qtbot.waitUntil(lambda: dialog.source_status("bag")[0] == "bezig", timeout=60_000)
    assert dialog.source_status("cbs") == ("klaar", "klaar")
    assert dialog.source_status("bag3d")[0] == "wachten"
    assert dialog.cancel_button.isEnabled() and not dialog.fetch_button.isEnabled() and not dialog.gemeente_edit.isEnabled()
    _screenshot(dialog, "gemeente_wizard_bezig", tmp_path)
    with qtbot.waitSignal(dialog.fetched, timeout=120_000) as fetched:
        hold_bag.set()
    result = fetched.args[0]
    assert result.project_path == folder / "delft.toml" and result.project_path.exists()

    for key in SERVICES:
        state, text = dialog.source_status(key)
        # the gemeenten of the search box were read with the request the fetch needs: from the cache
        assert state == ("deels uit cache" if key == "cbs" else "gedownload"), (key, text)
        assert "objecten" in text and "pagina's gedownload" in text
    assert "2 uit cache" in dialog.source_status("cbs")[1]
    bag = next(s for s in result.sources if s.key == "bag")
    assert bag.features > 0
    assert dialog.source_status("bag")[1] == f"gedownload – {bag.features} objecten ({bag.pages_downloaded} pagina's gedownload, 0 uit cache)"
    bestanden = load_bronnen()["bestanden"]
    assert all(dialog.source_status(key)[0] == "bestand nodig" for key in bestanden)
    needed = dialog.needed()
    assert set(needed) == set(bestanden) and dialog.needs_box.isVisible()
    assert "data.partnersinenergie.nl" in needed["netcongestie"]["where"].text()
    assert dialog.open_button.isEnabled() and dialog.fetch_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert dialog.progress.value() == 1000 and str(result.project_path) in dialog.status.text()

    # a file that cannot be read, or lacks the role's required column, is refused in one line;
    # a good one goes into the project with the source's role
    bounds = gpd.read_file(result.gpkg_path, layer="gemeente").total_bounds
    broken, wrong, good = folder / "kapot.gpkg", folder / "zonder_klasse.gpkg", folder / "nplv.gpkg"
    broken.write_text("geen GeoPackage", encoding="utf-8")
    _polygons(wrong, None, bounds)
    _polygons(good, "focusgebied", bounds)
    for key, path, expected in (("nplv", broken, "kapot.gpkg"), ("water_bodem", wrong, "klasse")):
        dialog.ask_file = lambda source, path=path: str(path)
        with qtbot.waitSignal(dialog.file_runner.failed, timeout=60_000):
            needed[key]["button"].click()
        error = needed[key]["label"].text()
        assert expected in error and "\n" not in error and "Traceback" not in error
        assert dialog.source_status(key)[0] == "bestand nodig"
        assert key not in load_project(result.project_path, load_data=False).sources
        qtbot.waitUntil(lambda: not dialog.file_runner.is_running())
    dialog.ask_file = lambda source: str(good)
    with qtbot.waitSignal(dialog.file_added, timeout=60_000):
        needed["nplv"]["button"].click()
    qtbot.waitUntil(lambda: dialog.open_button.isEnabled())
    sources = load_project(result.project_path, load_data=False).sources
    assert (sources["nplv"].role, sources["nplv"].path) == ("nplv", "nplv.gpkg")
    assert dialog.source_status("nplv")[0] == "toegevoegd"
    _screenshot(dialog, "gemeente_wizard_klaar", tmp_path)

    # open in the main window and scan
    with qtbot.waitSignal(window.project_loaded, timeout=120_000):
        dialog.open_button.click()
    assert not dialog.isVisible()
    project = window.project
    assert project.path == result.project_path
    for role in ("gebouwen", "verblijfsobjecten", "gebieden", "nplv"):
        assert project.layer(role) is not None, role
    scan = window.open_scan_dialog()
    with qtbot.waitSignal(scan.runner.done, timeout=300_000):
        scan.run_button.click()
    qtbot.waitUntil(lambda: window.layer("gebouwen_potentie") is not None, timeout=60_000)
    assert window.layer("gebouwen_potentie").data["totaal_woningen"].sum() > 0


def test_cancel_writes_nothing_and_the_dialog_runs_again(services, hold_bag, qtbot, tmp_path):
    dialog = GemeenteWizard()
    qtbot.addWidget(dialog)
    dialog.show()
    _wait_for_list(qtbot, dialog)
    dialog.gemeente_edit.setText("Delft")
    dialog.folder_edit.setText(str(tmp_path / "project"))
    assert dialog.chosen() == (GEMEENTE_CODE, "Delft")
    dialog.fetch_button.click()
    qtbot.waitUntil(lambda: dialog.source_status("bag")[0] == "bezig", timeout=60_000)
    with qtbot.waitSignal(dialog.runner.cancelled, timeout=60_000):
        dialog.cancel_button.click()
        assert not dialog.cancel_button.isEnabled()
        hold_bag.set()
    assert dialog.source_status("bag")[0] == "afgebroken"
    assert dialog.source_status("monumenten")[0] == "wachten"
    assert "niets geschreven" in dialog.status.text() and not dialog.error_label.text()
    assert not list(tmp_path.glob("project/*.toml")) and not list(tmp_path.glob("project/*.gpkg"))
    assert dialog.result is None and not dialog.open_button.isEnabled()
    assert dialog.fetch_button.isEnabled() and dialog.gemeente_edit.isEnabled()

    with qtbot.waitSignal(dialog.fetched, timeout=120_000):
        dialog.fetch_button.click()
    assert (tmp_path / "project" / "delft.toml").exists()
    assert dialog.source_status("cbs")[0] == "uit cache"  # the pages of the first run were kept
    assert dialog.open_button.isEnabled()
    # fetching into that folder again asks first; "no" starts nothing
    asked = []
    dialog.confirm_overwrite = lambda folder, projects: asked.append([p.name for p in projects]) or False
    assert not dialog.start()
    assert asked == [["delft.toml"]] and not dialog.runner.is_running() and dialog.open_button.isEnabled()


def test_a_server_that_is_down_is_one_line_in_the_dialog(dataset, qtbot, tmp_path, monkeypatch):  # noqa: F811
    down = ReplayServer(dataset)  # bound but never served, then closed: connections are refused
    bronnen = down.bronnen(tmp_path / "bronnen.toml")
    down.httpd.server_close()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    dialog = GemeenteWizard(bronnen=bronnen, cache_dir=tmp_path / "cache")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "niet beschikbaar" in dialog.list_status.text(), timeout=60_000)
    assert dialog.list_model.rowCount() == 0
    qtbot.keyClicks(dialog.gemeente_edit, "GM0503")  # without the list, a code is passed on as typed
    assert dialog.chosen() == ("GM0503", "GM0503")
    assert dialog.folder_edit.text() == str(tmp_path / "home" / "BeterBenutten" / "GM0503")
    with qtbot.waitSignal(dialog.runner.failed, timeout=60_000):
        dialog.fetch_button.click()
    error = dialog.error_label.text()
    assert "niet bereikbaar" in error and "\n" not in error and "Traceback" not in error
    assert dialog.source_status("cbs")[0] == "fout"
    assert dialog.fetch_button.isEnabled() and not dialog.open_button.isEnabled()
    _screenshot(dialog, "gemeente_wizard_fout", tmp_path)


def test_the_dialog_speaks_english(qtbot, tmp_path):
    from gisapp import i18n

    bronnen = tmp_path / "bronnen.toml"
    bronnen.write_text('[cbs]\nurl = "http://127.0.0.1:9/cbs-{jaar}"\n[http]\nretries = 0\n', encoding="utf-8")
    i18n.set_language("en")  # the autouse settings fixture sets it back
    dialog = GemeenteWizard(bronnen=bronnen, cache_dir=tmp_path / "cache")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "New project for a municipality"
    assert (dialog.fetch_button.text(), dialog.open_button.text()) == ("Fetch", "Open")
    assert dialog.offline_check.text() == "cache only (offline)"
    assert dialog.source_status("bag") == ("wachten", "waiting")
    qtbot.waitUntil(lambda: not dialog.list_runner.is_running(), timeout=60_000)
    assert dialog.list_status.text().startswith("Municipality list not available")
