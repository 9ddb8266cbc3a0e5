"""Errors of layers/ and scans/ in the English UI (issue 23 item 6): what a user meets when a file
is broken or an input is wrong (a layer not loaded, the error dialog, the message bar, the status
bar, the scan dialog) is worded in English; the CLI keeps the Dutch.

Names of files, layers, roles and columns and a library's own text (GDAL's) are data and stay as
they are; the Dutch marker words of ``test_english_complete`` must not occur in what is left.
"""

from __future__ import annotations

import errno
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point, box

from tests.gisapp.test_english_complete import DUTCH_MARKERS, marked
from tests.scans import factory

#: Words of the broken inputs' names below (data, not interface text).
_DATA_NAMES = re.compile(r"\b(kapot|graden|punten_als_panden|zonder_kolom|zonder_crs|weg|gebouwen|gebieden|"
                         r"monumenten|bodemdaling|pand|bestaat_niet|fout)\b")


def _shown(texts) -> set[str]:
    """The lines of ``texts`` with file paths and the test's data names taken out."""
    lines = set()
    for text in texts:
        for line in str(text).splitlines():
            line = re.sub(r"\S*/\S+", " ", line)  # a path (its folder names are data)
            line = _DATA_NAMES.sub(" ", line)
            if line.strip():
                lines.add(line)
    return lines


@pytest.fixture
def broken_project(tmp_path):
    """A project of broken inputs, one per layer, beside a gebouwen layer that loads (with a bowtie
    polygon the reader repairs)."""
    import rasterio
    from rasterio.transform import from_origin

    gebouwen = factory.buildings([dict(bouwjaar=1975.0, status="Pand in gebruik") for _ in range(3)])
    x0, y0, x1, y1 = gebouwen.geometry.iloc[1].bounds
    gebouwen.loc[1, "geometry"] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    gebouwen.to_file(tmp_path / "gebouwen.gpkg", layer="pand")
    (tmp_path / "kapot.gpkg").write_bytes(b"SQLite format 3\x00" + b"\x13\x37 kapot " * 200)
    # degrees written as if they were RD New coordinates
    gpd.GeoDataFrame({"naam": ["kerk"]}, geometry=[Point(5.12, 52.09)], crs=factory.RD).to_file(tmp_path / "graden.gpkg")
    gpd.GeoDataFrame({"pand_id": ["0363100012345678"]}, geometry=[Point(100010.0, 450010.0)],
                     crs=factory.RD).to_file(tmp_path / "punten_als_panden.gpkg")
    factory.polygons([{"gebied_code": "BU01", "gebied_naam": "Een"}],
                     [box(99000, 449000, 101000, 451000)]).to_file(tmp_path / "zonder_kolom.gpkg")
    with rasterio.open(tmp_path / "zonder_crs.tif", "w", driver="GTiff", height=4, width=4, count=1, dtype="float32",
                       transform=from_origin(0.0, 40.0, 10.0, 10.0)) as raster:
        raster.write(np.ones((1, 4, 4), dtype="float32"))
    project = tmp_path / "fouten.toml"
    project.write_text(
        '[project]\nname = "Fouten"\n'
        '[layers.gebouwen]\npath = "gebouwen.gpkg"\nlayer = "pand"\n'
        '[layers.kapot]\npath = "kapot.gpkg"\nrole = "monumenten"\n'
        '[layers.graden]\npath = "graden.gpkg"\nrole = "monumenten"\n'
        '[layers.punten_als_panden]\npath = "punten_als_panden.gpkg"\nrole = "gebouwen"\n'
        '[layers.zonder_kolom]\npath = "zonder_kolom.gpkg"\nrole = "gebieden"\n'
        '[layers.zonder_kolom.columns]\ngebied_code = "bestaat_niet"\n'
        '[layers.zonder_crs]\npath = "zonder_crs.tif"\nrole = "bodemdaling"\n'
        '[layers.weg]\npath = "weg.gpkg"\nrole = "monumenten"\n'
        '[scenarios.fout]\nbase = "standaard"\n[scenarios.fout.optoppen]\nbouwjaar_min = "lang geleden"\n',
        encoding="utf-8")
    return project


def _open(path, qtbot):
    """A window in English with ``path`` opened as ``gisapp open`` does (its layers read in the background)."""
    from gisapp.app import main_window

    window = main_window(None, lang="en")
    qtbot.addWidget(window, before_close_func=lambda w: w.set_modified(False))
    assert window.open_project(path, background=True)
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=60_000)
    return window


def test_broken_inputs_are_said_in_english(broken_project, qtbot, monkeypatch):
    from gisapp import i18n

    window = _open(broken_project, qtbot)
    try:
        # every layer that could not be read, in the dialog "Not all layers were loaded"
        listing = window.last_error.splitlines()
        reasons = {line.split(": ", 1)[0].lstrip("• "): line for line in listing if line.startswith("• ")}
        assert set(reasons) == {"kapot", "graden", "punten_als_panden", "zonder_kolom", "zonder_crs", "weg"}, listing
        assert "not a valid GeoPackage file" in reasons["kapot"] or "cannot open GeoPackage file" in reasons["kapot"]
        assert "all features lie outside the Netherlands; the coordinates" in reasons["graden"]
        assert "look like degrees" in reasons["graden"]
        assert "role 'gebouwen' expects polygons, but the layer holds points" in reasons["punten_als_panden"]
        assert "column 'bestaat_niet' (for gebied_code) does not exist; available columns:" in reasons["zonder_kolom"]
        assert "raster without a coordinate reference system" in reasons["zonder_crs"]
        assert "file 'weg.gpkg' for role 'monumenten' does not exist" in reasons["weg"]
        status = window.statusBar().currentMessage()
        # the load messages of the layer that was read: the repaired bowtie, in the singular
        bar = [window.message_bar.summary.text(), *window.message_bar.details.toPlainText().splitlines()]
        assert any("1 invalid geometry repaired (make_valid)" in line for line in bar), bar

        # a parameter of the project's scenario that is not a number, in the scan dialog
        dialog = window.open_scan_dialog()
        dialog.scenario_combo.setCurrentIndex(dialog.scenario_combo.findData("fout"))
        parameter = dialog.status.text()
        assert "parameter optoppen.bouwjaar_min: expected a whole number, got 'lang geleden'" in parameter, parameter
        dialog.close()

        # a full disk while saving the project
        def full_disk(target, text):
            raise OSError(errno.ENOSPC, "No space left on device", str(target))

        monkeypatch.setattr("layers.project.atomic_write_text", full_disk)
        assert not window.save_project()
        disk = window.last_error
        assert disk.endswith("fouten.toml: the disk is full; free up space or choose another folder"), disk

        shown = _shown([*listing, status, *bar, parameter, disk])
        assert marked(shown, DUTCH_MARKERS + ("kan", "bestaat", "verwacht", "bevat", "schijf", "rol", "kolom")) == []

        # the same errors in Dutch after a language switch (they were not kept as English)
        window.actions["lang_nl"].trigger()
        assert not window.save_project()
        assert window.last_error.endswith("fouten.toml: de schijf is vol; maak ruimte vrij of kies een andere map")
    finally:
        window.set_modified(False)
        window.close()
        i18n.set_language("nl")


def test_a_scan_on_bad_input_fails_in_english(tmp_path, qtbot):
    """The scan's input check (scans/inputs.py) in the scan dialog: a capaciteitskaart of postcodes
    without their areas cannot be laid over the panden."""
    from gisapp import i18n

    factory.buildings([dict(bouwjaar=1975.0, status="Pand in gebruik")]).to_file(tmp_path / "gebouwen.gpkg")
    (tmp_path / "netcongestie.csv").write_text("postcode;status_afname\n6981AB;3\n", encoding="utf-8")
    project = tmp_path / "postcodes.toml"
    project.write_text('[project]\nname = "Postcodes"\n[layers.gebouwen]\npath = "gebouwen.gpkg"\n'
                       '[layers.netcongestie]\npath = "netcongestie.csv"\n', encoding="utf-8")
    window = _open(project, qtbot)
    try:
        dialog = window.open_scan_dialog()
        dialog.run_button.click()
        qtbot.waitUntil(lambda: not dialog.runner.is_running() and "netcongestie" in dialog.status.text(), timeout=60_000)
        shown = dialog.status.text()
        assert shown.endswith("layer 'netcongestie' has no geometry (a table); the scan needs polygons; join the postcodes "
                              "to postcode areas (option postcodevlakken)"), shown
        assert marked(_shown([shown]), DUTCH_MARKERS) == []
        dialog.close()
    finally:
        window.set_modified(False)
        window.close()
        i18n.set_language("nl")


def test_the_cli_keeps_the_dutch(broken_project, capsys):
    from gisapp.cli import main

    assert main(["info", str(broken_project.with_name("graden.gpkg"))]) == 2
    err = capsys.readouterr().err
    assert "gisapp: fout: " in err and "alle objecten liggen buiten Nederland; de coördinaten" in err, err


def test_the_cli_keeps_the_dutch_of_the_services(tmp_path, capsys):
    from gisapp.cli import main

    code = main(["ophalen", "--gemeente", "Doesburg", "--out", str(tmp_path / "doesburg"), "--offline",
                 "--cache", str(tmp_path / "cache")])
    err = capsys.readouterr().err
    assert code != 0 and "staat niet in de cache en er wordt offline gewerkt; haal eerst op zonder --offline" in err, err


# --------------------------------------------------------------------------- the data services, autosave, the dialogs
def _both(error) -> tuple[str, str]:
    """``error`` as the CLI prints it (Dutch: ``str``) and as the English interface words it."""
    from gisapp import i18n

    i18n.set_language("en")
    try:
        return str(error), i18n.error_text(error)
    finally:
        i18n.set_language("nl")


def _raised(call) -> Exception:
    with pytest.raises((ValueError, OSError)) as caught:  # a DataError is an Exception of its own
        call()
    return caught.value


def _data_error(call) -> Exception:
    from layers.errors import DataError

    with pytest.raises(DataError) as caught:
        call()
    return caught.value


def _service_errors(tmp_path):
    """(error, the Dutch the CLI prints, the English the interface shows): one per kind of message
    of layers/sources (limits, offline, OGC API, PostGIS, background maps, the ophalen sources)
    and layers/autosave."""
    from layers import autosave
    from layers.sources import cityjson, ogcapi, postgis, wmts
    from layers.sources.basemap import read_basemap_window
    from layers.sources.capaciteitskaart import read_capaciteitskaart
    from layers.sources.gemeente import load_bronnen
    from layers.sources.gemeente.bronnen import http_settings
    from layers.sources.gemeente.cbs_gebieden import _not_found
    from layers.sources.http import DiskCache, HttpClient, HttpSettings

    (tmp_path / "diensten.toml").write_text('[services.luchtfoto]\nurl = "https://tegels.example/luchtfoto.png"\n',
                                            encoding="utf-8")
    (tmp_path / "plaatje.tif").write_text("geen raster", encoding="utf-8")
    (tmp_path / "congestie.csv").write_text("postcode;afname;opwek\n6981AB;3;1\n", encoding="utf-8")
    (tmp_path / "stad.json").write_text("{\n  kapot", encoding="utf-8")
    gemeenten = gpd.GeoDataFrame({"gemeentenaam": ["Doesburg", "Duiven"]}, geometry=[Point(0, 0), Point(1, 1)])
    return [
        (_raised(lambda: HttpSettings(retries=-1)),
         "max_response_bytes en max_pages moeten minstens 1 zijn, retries 0 of meer",
         "max_response_bytes and max_pages must be at least 1, retries 0 or more"),
        (_data_error(lambda: HttpClient(cache=DiskCache(tmp_path / "cache"), offline=True).get("http://127.0.0.1:9/x")),
         "http://127.0.0.1:9/x: staat niet in de cache en er wordt offline gewerkt; haal eerst op zonder --offline",
         "http://127.0.0.1:9/x: not in the cache and working offline; fetch first without --offline"),
        (_raised(lambda: ogcapi.split_url("ftp://pdok.example/ogc")),
         "'ftp://pdok.example/ogc' is geen http(s)-adres van een OGC API",
         "'ftp://pdok.example/ogc' is not an http(s) address of an OGC API"),
        (_raised(lambda: postgis.PostgisSettings(connect_timeout=0)),
         "connect_timeout moet groter dan 0 zijn, niet 0", "connect_timeout must be more than 0, not 0"),
        (_data_error(lambda: wmts.load_services(tmp_path / "diensten.toml", user_file=tmp_path / "geen.toml")),
         f"{tmp_path / 'diensten.toml'}: [services.luchtfoto] url moet met http(s):// beginnen en {{z}}, {{x}} en {{y}} bevatten",
         f"{tmp_path / 'diensten.toml'}: [services.luchtfoto] url must start with http(s):// and hold {{z}}, {{x}} and {{y}}"),
        (_data_error(lambda: read_basemap_window(tmp_path / "plaatje.tif", (0, 0, 10, 10), 4, 4)),
         f"{tmp_path / 'plaatje.tif'}: geen achtergrondkaart: het bestand heeft geen rasterbeeld (",
         f"{tmp_path / 'plaatje.tif'}: no background map: the file has no raster image ("),
        (_data_error(lambda: load_bronnen(tmp_path / "bronnen.toml")),
         f"{tmp_path / 'bronnen.toml'}: bronnenbestand bestaat niet", f"{tmp_path / 'bronnen.toml'}: sources file does not exist"),
        # a message of another module inside this one's: each in its language
        (_data_error(lambda: http_settings({"http": {"retries": -1}}, tmp_path / "b.toml")),
         f"{tmp_path / 'b.toml'}: [http]: max_response_bytes en max_pages moeten minstens 1 zijn, retries 0 of meer",
         f"{tmp_path / 'b.toml'}: [http]: max_response_bytes and max_pages must be at least 1, retries 0 or more"),
        (ValueError(_not_found(gemeenten, "Doesbrug", 2024)),
         "gemeente 'Doesbrug' bestaat niet in CBS Wijken en Buurten 2024; bedoelde u Doesburg?",
         "municipality 'Doesbrug' does not exist in CBS Wijken en Buurten 2024; did you mean Doesburg?"),
        (_data_error(lambda: autosave.load_recovery(tmp_path / "wijk.toml")),
         f"{tmp_path / 'wijk.toml'}: er is geen automatisch opgeslagen versie om te herstellen",
         f"{tmp_path / 'wijk.toml'}: there is no autosaved version to recover"),
        (_data_error(lambda: read_capaciteitskaart(tmp_path / "congestie.csv")),
         f"{tmp_path / 'congestie.csv'}: de capaciteitskaart heeft geen geometrie; geef een laag met PC6-postcodevlakken op",
         f"{tmp_path / 'congestie.csv'}: the capaciteitskaart has no geometry; give a layer of PC6 postcode areas"),
        (_data_error(lambda: cityjson.read_cityjson(tmp_path / "stad.json")),
         f"{tmp_path / 'stad.json'}: is geen geldige JSON (regel 2)", f"{tmp_path / 'stad.json'}: is not valid JSON (line 2)"),
    ]


def test_errors_of_the_data_services_and_autosave_in_english(tmp_path):
    for error, dutch, english in _service_errors(tmp_path):
        cli, shown = _both(error)
        assert cli.startswith(dutch), (cli, dutch)
        assert shown.startswith(english), (shown, english)
        assert marked(_shown([shown.replace(str(tmp_path), "")]), DUTCH_MARKERS + ("bestaat", "kies", "niet")) == [], shown


@pytest.fixture
def failing_server():
    """The address of a local server that answers every request with HTTP 500."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Failing(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_error(500)

        def log_message(self, *args):
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_retry_is_announced_in_the_interface_language(failing_server):
    """The line a download shows while it waits to try again (``feedback.message``) after an
    HTTP 500 of a local server."""
    from gisapp import i18n
    from layers.errors import DataError
    from layers.sources.http import HttpClient, HttpSettings

    said = []

    class Feedback:
        def is_cancelled(self):
            return False

        def message(self, text):
            said.append(text)

    url = f"{failing_server}/collections"
    client = HttpClient(HttpSettings(retries=1, backoff=1.0, connect_timeout=2, read_timeout=2), feedback=Feedback(),
                        sleep=lambda seconds: None)
    with pytest.raises(DataError) as caught:
        client.get(url)
    assert str(said[0]) == "de server antwoordde met HTTP 500 (Internal Server Error); nieuwe poging 1 van 1 over 1 s"
    i18n.set_language("en")
    try:
        assert i18n.translated(said[0]) == "the server answered with HTTP 500 (Internal Server Error); retry 1 of 1 in 1 s"
        assert i18n.error_text(caught.value) == f"{url}: the server answered with HTTP 500 (Internal Server Error)"
    finally:
        i18n.set_language("nl")


def _closed_port() -> int:
    """A local port nothing listens on (bound and released)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_add_layer_dialog_says_server_and_database_errors_in_english(failing_server, qtbot, monkeypatch):
    """The add-layer dialog's error line: a URL that is no OGC API address, an OGC API server that
    answers HTTP 500, a PostGIS server that is not there; the same in Dutch after a switch."""
    import dataclasses

    from gisapp import i18n
    from gisapp.add_layer_dialog import OGC, POSTGIS, AddLayerDialog
    from layers.sources import ogcapi, postgis

    monkeypatch.setattr(ogcapi, "DEFAULT_SETTINGS", dataclasses.replace(ogcapi.DEFAULT_SETTINGS, retries=0))
    monkeypatch.setattr(postgis, "DEFAULT_SETTINGS", postgis.PostgisSettings(connect_timeout=1.0))
    i18n.set_language("en")
    try:
        dialog = AddLayerDialog()
        qtbot.addWidget(dialog)
        dialog.set_source_kind(OGC)
        dialog.url_edit.setText("ftp://pdok.example/ogc")
        assert not dialog.list_collections()
        not_http = dialog.status.text()
        url = f"{failing_server}/ogc"
        dialog.url_edit.setText(url)
        with qtbot.waitSignal(dialog.load_failed, timeout=10_000):
            assert dialog.list_collections()
        http_500 = dialog.status.text()
        dialog.set_source_kind(POSTGIS)
        port = _closed_port()
        dialog.host_edit.setText("127.0.0.1")
        dialog.port_spin.setValue(port)
        dialog.db_edit.setText("plannen")
        with qtbot.waitSignal(dialog.load_failed, timeout=10_000):
            assert dialog.list_tables()
        database = dialog.status.text()
        qtbot.waitUntil(lambda: not dialog.is_running(), timeout=5_000)
        i18n.set_language("nl")
        with qtbot.waitSignal(dialog.load_failed, timeout=10_000):
            assert dialog.list_tables()
        dutch = dialog.status.text()
    finally:
        i18n.set_language("nl")
    assert not_http == "'ftp://pdok.example/ogc' is not an http(s) address of an OGC API"
    assert http_500 == f"{url}/collections?f=json: the server answered with HTTP 500 (Internal Server Error)", http_500
    assert database.startswith(f"postgresql://127.0.0.1:{port}/plannen: no connection to the database ("), database
    assert dutch.startswith(f"postgresql://127.0.0.1:{port}/plannen: geen verbinding met de database ("), dutch
    assert marked(_shown([not_http, http_500, database]), DUTCH_MARKERS) == []


def test_gemeente_wizard_says_service_errors_in_english(qtbot, tmp_path, monkeypatch):
    """The wizard's gemeenten list and a fetch against services that are not there, and a sources
    file that does not exist: the errors of layers/sources in English."""
    from gisapp import i18n
    from gisapp.gemeente_wizard import GemeenteWizard

    base = f"http://127.0.0.1:{_closed_port()}"
    bronnen = tmp_path / "bronnen.toml"
    bronnen.write_text(f'[http]\nretries = 0\nconnect_timeout = 1.0\n[cbs]\nurl = "{base}/cbs-{{jaar}}"\n'
                       f'[bag]\nurl = "{base}/bag"\n[bag3d]\nurl = "{base}/3dbag"\n[monumenten]\nurl = "{base}/rce"\n',
                       encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    i18n.set_language("en")  # the autouse settings fixture sets it back
    dialog = GemeenteWizard(bronnen=bronnen, cache_dir=tmp_path / "cache")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.list_runner.is_running() and dialog.list_status.text().endswith("code."), timeout=10_000)
    listing = dialog.list_status.text()
    dialog.gemeente_edit.setText("GM0221")
    dialog.folder_edit.setText(str(tmp_path / "doesburg"))
    with qtbot.waitSignal(dialog.runner.failed, timeout=10_000):
        dialog.fetch_button.click()
    fetch = dialog.error_label.text()
    missing = GemeenteWizard(bronnen=tmp_path / "weg.toml", cache_dir=tmp_path / "cache")
    qtbot.addWidget(missing)
    config = missing.error_label.text()
    assert listing.startswith(f"Municipality list not available ({base}/cbs-"), listing
    assert "the server cannot be reached (" in listing and "; check the network connection, or work with --offline" in listing
    assert fetch.startswith(f"{base}/cbs-") and ": the server cannot be reached (" in fetch, fetch
    assert config == f"{tmp_path / 'weg.toml'}: sources file does not exist"
    assert marked(_shown([listing, fetch, config]), DUTCH_MARKERS + ("bereikbaar", "netwerkverbinding")) == []


def test_window_status_lines_in_english(qtbot, monkeypatch, tmp_path):
    """The status bar of an English window: an autosave on a full disk, a background map that does
    not exist, and what the locaties editor and its locatiescan refuse."""
    from gisapp import i18n
    from gisapp.app import main_window
    from layers.sources.basemap import BasemapSetting

    window = main_window(None, lang="en")
    qtbot.addWidget(window, before_close_func=lambda w: w.set_modified(False))
    try:
        def full_disk(target, text):
            raise OSError(errno.ENOSPC, "No space left on device", str(target))

        monkeypatch.setattr("layers.autosave.atomic_write_text", full_disk)
        window.set_modified(True)
        assert window.autosave.autosave() is None
        autosaved = window.statusBar().currentMessage()

        window.basemap_menu.choose(BasemapSetting(service="bestaat_niet"))
        basemap = window.statusBar().currentMessage()

        editor = window.show_locaties_editor()
        assert editor.run_scan() is None
        no_locations = editor.last_error
        editor.add_location(box(100000, 450000, 100100, 450100), naam="Noord")
        window.project.settings["locatiescan"] = {name: 0.0 for name in ("gewicht_woningbehoefte", "gewicht_betaalbaarheid",
                                                                          "gewicht_water_bodem", "gewicht_netcongestie",
                                                                          "gewicht_planstatus_timing")}
        assert editor.run_scan() is None
        weights = window.statusBar().currentMessage()
        with pytest.raises(ValueError, match="^affordable share must lie between 0 and 1$"):
            editor.edit_attributes(betaalbaar_aandeel=2.0)
    finally:
        window.set_modified(False)
        window.close()
        i18n.set_language("nl")
    assert autosaved.startswith("Autosave failed: ") and autosaved.endswith(
        ": the disk is full; free up space or choose another folder"), autosaved
    assert basemap.startswith("unknown background map 'bestaat_niet'; choose from: "), basemap
    assert no_locations == "there are no locations to scan yet"
    assert weights == "location scan: all weights are 0; give at least one criterion a weight", weights
    assert marked(_shown([autosaved, basemap, no_locations, weights]), DUTCH_MARKERS) == []


def test_scenario_errors_in_english():
    """The scan dialog shows a project's broken scenario or a bad override in the interface language."""
    from scans.scenarios import parse_override, settings_from_dict

    cases = [
        (lambda: settings_from_dict({"base": "nergens"}, naam="mijn"),
         "scenario 'mijn': onbekende basis 'nergens'", "scenario 'mijn': unknown base 'nergens'"),
        (lambda: settings_from_dict({"optopen": {}}, naam="mijn"),
         "scenario 'mijn': onbekende scan of sectie 'optopen'", "scenario 'mijn': unknown scan or section 'optopen'"),
        (lambda: parse_override("bouwjaar"), "ongeldige instelling 'bouwjaar'", "invalid setting 'bouwjaar'"),
    ]
    for make, dutch, english in cases:
        with pytest.raises(ValueError) as raised:
            make()
        cli, shown = _both(raised.value)
        assert cli.startswith(dutch), cli
        assert shown.startswith(english), shown


def test_expression_dialog_says_a_wrong_expression_in_english(qtbot):
    """The select-by-expression dialog words what is wrong in English; the error itself stays Dutch."""
    from gisapp import i18n
    from gisapp.select_expression_dialog import SelectExpressionDialog
    from layers.layer import VectorLayer

    data = gpd.GeoDataFrame({"hoogte": [3.0, 9.0], "label": ["kerk", "toren"]},
                            geometry=[box(0, 0, 1, 1), box(2, 0, 3, 1)], crs=factory.RD)
    i18n.set_language("en")
    try:
        dialog = SelectExpressionDialog(VectorLayer("blokken", data))
        qtbot.addWidget(dialog)
        shown = {}
        for expression in ("hoogte >", "Hoogte > 3", "label = 3", "hoogte = 'hoog'", "hoogte IS 3", "(hoogte > 3"):
            dialog.set_expression(expression)
            assert not dialog.update_count() and not dialog.select_button.isEnabled()
            shown[expression] = dialog.error_label.text()
    finally:
        i18n.set_language("nl")
    assert shown["hoogte >"] == "Error at position 9: expected a column, number or text, found the end"
    assert shown["Hoogte > 3"] == "Error at position 1: unknown column Hoogte (did you mean hoogte?)"
    assert shown["label = 3"] == "Error at position 9: column label holds text; put 3 in quotes: '3'"
    assert marked(_shown(shown.values()), DUTCH_MARKERS) == [], shown


def test_errors_of_the_layer_list_output_files_and_scan_rules_in_english(tmp_path):
    """Errors of layers/layer.py, layers/io and the scans' rules: Dutch for the CLI, English in the interface."""
    import pandas as pd

    from layers.expression import evaluate
    from layers.io import tempfiles
    from layers.layer import LayerCollection, VectorLayer
    from scans.constraints import water_bodem_zone_classes

    layer = VectorLayer("blokken", gpd.GeoDataFrame({"a": [1]}, geometry=[box(0, 0, 1, 1)], crs=factory.RD))
    cases = [
        (_raised(lambda: LayerCollection([layer, layer])), "laag 'blokken' zit al in de lagenlijst",
         "layer 'blokken' is already in the layer list"),
        (_raised(lambda: setattr(layer, "opacity", 2)), "dekking moet tussen 0 en 1 liggen, niet 2.0",
         "opacity must lie between 0 and 1, not 2.0"),
        (_data_error(lambda: tempfiles.check_output(tmp_path / "weg" / "uit.gpkg")),
         f"{tmp_path / 'weg' / 'uit.gpkg'}: map bestaat niet; maak haar eerst aan",
         f"{tmp_path / 'weg' / 'uit.gpkg'}: the folder does not exist; create it first"),
        (_raised(lambda: water_bodem_zone_classes(pd.DataFrame({"klasse": ["ja", "misschien"]}))),
         "laag 'water_bodem': onbekende klasse 'misschien' (verwacht ja, ja_mits",
         "layer 'water_bodem': unknown class 'misschien' (expected ja, ja_mits"),
        (_raised(lambda: evaluate("a > 1", [1])), "expressie werkt op een tabel", "an expression works on a table"),
    ]
    for error, dutch, english in cases:
        cli, shown = _both(error)
        assert cli.startswith(dutch), cli
        assert shown.startswith(english), shown
        assert marked(_shown([shown]), DUTCH_MARKERS) == [], shown
