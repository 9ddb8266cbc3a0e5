"""Every output names its sources with dates: Excel (Bronnen, Gegevens), PDF (Gegevens en dekking), GeoPackage metadata."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess

import geopandas as gpd
import pyogrio
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from shapely.geometry import Point

from gisapp.reports.common import record_sources
from gisapp.reports.excel import write_excel
from gisapp.reports.pdf import write_pdf
from layers.project import load_project
from scans.gegevens import check_data, check_result
from tests.scans import factory

FILE_DATE = dt.datetime(2024, 3, 1, 12, 0)


@pytest.fixture
def panden_project(tmp_path):
    """A project of BAG panden alone (no verblijfsobjecten, no 3D BAG), file dated 2024-03-01."""
    path = tmp_path / "panden.gpkg"
    factory.buildings([dict(bouwjaar=1975.0, status="Pand in gebruik")] * 3).to_file(path, layer="pand")
    os.utime(path, (FILE_DATE.timestamp(), FILE_DATE.timestamp()))
    toml = tmp_path / "panden.toml"
    toml.write_text('[project]\nname = "Panden"\n[layers.gebouwen]\npath = "panden.gpkg"\nlayer = "pand"\n', encoding="utf-8")
    return toml


@pytest.fixture
def gegevens(panden_project, fake_result):
    """The check of the panden project, completed with a result that marks onbekend panden and estimates."""
    result = fake_result
    n = len(result.gebouwen)
    result.gebouwen["splitsen_onbekend"] = [i % 2 == 0 for i in range(n)]
    result.totals["transformatie_woningen_geschat"] = 7
    return check_result(result, check_data(load_project(panden_project)))


def test_excel_has_the_sources_with_dates_and_the_coverage(fake_result, gegevens, tmp_path):
    path = write_excel(fake_result, tmp_path / "uit.xlsx", gegevens=gegevens)
    wb = load_workbook(path)
    assert "Bronnen" in wb.sheetnames and "Gegevens" in wb.sheetnames
    rows = list(wb["Bronnen"].iter_rows(values_only=True))
    assert rows[0] == ("laag", "rol", "titel", "bron", "opgehaald", "peildatum")
    assert rows[1][:4] == ("gebouwen", "gebouwen", "BAG panden", "panden.gpkg")
    assert rows[1][4] == "2024-03-01 (datum van het bestand)"
    cells = [c for row in wb["Gegevens"].iter_rows(values_only=True) for c in row if c is not None]
    assert "Bouwjaar" in cells and "Daktype" in cells
    assert any(str(c).startswith("Voeg de BAG-verblijfsobjecten toe") for c in cells)
    n = len(fake_result.gebouwen)
    assert f"{(n + 1) // 2} van {n} panden" in cells  # splitsen onbekend, counted from the result


def test_excel_without_a_check_still_has_the_sheets(fake_result, tmp_path):
    wb = load_workbook(write_excel(fake_result, tmp_path / "uit.xlsx"))
    assert list(wb["Bronnen"].iter_rows(values_only=True))[1][2] == "bronnen niet bekend bij het schrijven"


def _text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_pdf_has_the_page_gegevens_en_dekking(fake_result, gegevens, tmp_path):
    path = write_pdf(fake_result, tmp_path / "rapport.pdf", project_name="Panden", gegevens=gegevens)
    text = _text(path)
    for expected in ("Gegevens en dekking", "Bronnen", "panden.gpkg", "2024-03-01", "Dekking: aandeel met een bekende waarde",
                     "Scans op deze gegevens", "Wat toe te voegen", "Deze scan liep op onvolledige gegevens"):
        assert expected in text, expected
    page = next(p for p in PdfReader(path).pages if "Gegevens en dekking" in p.extract_text())
    assert "Scenario en parameters" not in page.extract_text()  # a page of its own


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_gegevens_page_renders(fake_result, gegevens, tmp_path):
    path = write_pdf(fake_result, tmp_path / "rapport.pdf", project_name="Panden", gegevens=gegevens)
    pages = PdfReader(path).pages
    number = next(i for i, p in enumerate(pages, 1) if "Gegevens en dekking" in p.extract_text())
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(number), "-l", str(number), str(path),
                    str(tmp_path / "gegevens")], check=True)
    (png,) = tmp_path.glob("gegevens-*.png")
    assert png.stat().st_size > 5000


def test_geopackage_metadata_names_the_sources_and_gdal_still_reads_the_file(gegevens, tmp_path):
    path = tmp_path / "uit.gpkg"
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(85300, 447100)], crs="EPSG:28992")
    pyogrio.write_dataframe(frame, path, layer="gebouwen_potentie", dataset_metadata={"ANDERS": "blijft"})
    record_sources(path, gegevens)
    record_sources(path, gegevens)  # a second write replaces, never doubles
    info = pyogrio.read_info(path, layer="gebouwen_potentie")
    assert info["dataset_metadata"]["ANDERS"] == "blijft"  # the file's own metadata is kept
    metadata = info["layer_metadata"]
    assert metadata["BRON_gebouwen"].startswith("BAG panden (gebouwen): panden.gpkg; opgehaald: 2024-03-01")
    assert json.loads(metadata["BRONNEN"])[0]["opgehaald"] == "2024-03-01"
    assert json.loads(metadata["GEGEVENSCHECK"])["onvolledig"] is True
    assert info["features"] == 1
    assert len(pyogrio.read_dataframe(path)) == 1


def test_reading_the_geopackage_leaves_no_sidecar_file(gegevens, tmp_path):
    """GDAL copies a GeoPackage's file-level metadata into ``.aux.xml`` when the file is read;
    the sources sit on the main layer, so reading an output leaves nothing beside it."""
    folder = tmp_path / "uit"
    folder.mkdir()
    path = folder / "uit.gpkg"
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(85300, 447100)], crs="EPSG:28992")
    pyogrio.write_dataframe(frame, path, layer="gebouwen_potentie")
    pyogrio.write_dataframe(frame, path, layer="gebieden_potentie")
    record_sources(path, gegevens)
    for layer in ("gebouwen_potentie", "gebieden_potentie"):
        pyogrio.read_dataframe(path, layer=layer)
    pyogrio.list_layers(path)
    assert sorted(p.name for p in folder.iterdir()) == ["uit.gpkg"]


def test_styled_geopackage_names_its_sources(fake_result, gegevens, tmp_path):
    from gisapp.reports.geopackage import write_styled_result

    path = write_styled_result(fake_result, tmp_path / "uit.gpkg", gegevens=gegevens)
    metadata = pyogrio.read_info(path, layer="gebouwen_potentie")["layer_metadata"]
    assert "opgehaald: 2024-03-01" in metadata["BRON_gebouwen"]
    assert len(pyogrio.read_dataframe(path, layer="gebouwen_potentie")) == len(fake_result.gebouwen)
