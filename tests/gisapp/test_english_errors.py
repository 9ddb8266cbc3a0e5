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
