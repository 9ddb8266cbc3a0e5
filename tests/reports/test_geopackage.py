"""The styled GeoPackage, opened with second readers (sqlite3, pyogrio, fiona)."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET

import fiona
import pyogrio
import pytest

import styles
from gisapp.reports.geopackage import add_layer_styles, read_layer_styles, write_styled_result

EXPECTED_RENDERER = {"gebouwen_potentie": "graduatedSymbol", "gebieden_potentie": "graduatedSymbol"}


def test_layers_rows_and_layer_styles(fake_result, tmp_path):
    path = write_styled_result(fake_result, tmp_path / "uit.gpkg")
    layers = dict(pyogrio.list_layers(path))
    for name in ("gebouwen_potentie", "gebieden_potentie", "scenario_parameters", "complexen", "totalen", "layer_styles"):
        assert name in layers
    assert set(fiona.listlayers(path)) >= {"gebouwen_potentie", "gebieden_potentie", "layer_styles"}
    assert pyogrio.read_info(path, layer="gebouwen_potentie")["features"] == len(fake_result.gebouwen)
    assert pyogrio.read_info(path, layer="gebieden_potentie")["features"] == len(fake_result.gebieden)

    with sqlite3.connect(path) as con:
        cols = [r[1] for r in con.execute("PRAGMA table_info(layer_styles)")]
        assert cols == ["id", "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName", "styleQML",
                        "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time"]
        kind = con.execute("SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'").fetchone()
        assert kind == ("attributes",)
        rows = con.execute("SELECT f_table_name, f_geometry_column, styleQML, useAsDefault FROM layer_styles").fetchall()
        geom = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall())
    assert {r[0] for r in rows} == set(EXPECTED_RENDERER)
    for table, column, qml, default in rows:
        assert column == geom[table] and default == 1
        root = ET.fromstring(qml.split("\n", 1)[1])
        assert root.find("renderer-v2").get("type") == EXPECTED_RENDERER[table]
        assert root.find("renderer-v2").get("attr") == "totaal_woningen"
    # the table reads back through fiona too (as QGIS reads it through GDAL)
    with fiona.open(path, layer="layer_styles") as src:
        assert len(src) == 2


def test_totals_equal_building_sums(fake_result, tmp_path):
    path = write_styled_result(fake_result, tmp_path / "uit.gpkg")
    totals = pyogrio.read_dataframe(path, layer="totalen")
    row = totals[totals["onderdeel"] == "Totaal extra woningen"].iloc[0]
    assert int(row["waarde"]) == int(fake_result.gebouwen["totaal_woningen"].sum())
    gebieden = pyogrio.read_dataframe(path, layer="gebieden_potentie")
    assert gebieden["totaal_woningen"].sum() == fake_result.gebouwen["totaal_woningen"].sum()


def test_rewrite_replaces_and_leaves_no_temp_files(fake_result, tmp_path):
    path = tmp_path / "uit.gpkg"
    write_styled_result(fake_result, path)
    write_styled_result(fake_result, path)
    assert len(read_layer_styles(path)) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["uit.gpkg"]


def test_add_layer_styles_replaces_the_default(fake_result, tmp_path):
    path = write_styled_result(fake_result, tmp_path / "uit.gpkg")
    add_layer_styles(path, {"gebouwen_potentie": styles.default_style("gebouwen")}, style_name="grijs")
    table = read_layer_styles(path)
    mine = table[table["f_table_name"] == "gebouwen_potentie"]
    assert len(mine) == 2
    assert mine.loc[mine["styleName"] == "grijs", "useAsDefault"].item() == 1
    assert mine.loc[mine["styleName"] != "grijs", "useAsDefault"].item() == 0
    back = styles.from_qml(mine.loc[mine["styleName"] == "grijs", "styleQML"].item())
    assert back == styles.default_style("gebouwen")
    with pytest.raises(ValueError, match="wegen"):
        add_layer_styles(path, {"wegen": styles.default_style("gebouwen")})


def test_failure_leaves_previous_file_intact(fake_result, tmp_path):
    path = write_styled_result(fake_result, tmp_path / "uit.gpkg")
    before = path.read_bytes()
    with pytest.raises(ValueError):
        write_styled_result(fake_result, path, style_overrides={"bestaat_niet": styles.default_style("gebouwen")})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["uit.gpkg"]


def test_wrong_suffix(fake_result, tmp_path):
    with pytest.raises(ValueError, match=".gpkg"):
        write_styled_result(fake_result, tmp_path / "uit.shp")
