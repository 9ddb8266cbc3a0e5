"""write_result writes every layer through GDAL (pyogrio): the file is what GDAL writes itself, replaced atomically."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyogrio
import pytest
import shapely

from layers.project import load_project
from layers.errors import DataError
from layers.io import geopackage
from scans import pipeline
from scans.inputs import ScanInputs
from scans.pipeline import run_potentiescan, write_result

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "voorbeeldstad.toml"


@pytest.fixture(scope="module")
def result():
    return run_potentiescan(ScanInputs.from_project(load_project(SAMPLE)))


def _same_layer(a: Path, b: Path, layer: str) -> None:
    left, right = pyogrio.read_dataframe(a, layer=layer), pyogrio.read_dataframe(b, layer=layer)
    assert list(left.columns) == list(right.columns)
    for column in left.columns:
        if column == "geometry":
            assert (left.geometry.to_wkb() == right.geometry.to_wkb()).all()
        else:
            assert left[column].equals(right[column]), column
    info_a, info_b = pyogrio.read_info(a, layer=layer), pyogrio.read_info(b, layer=layer)
    for key in ("geometry_type", "crs", "features"):
        assert info_a[key] == info_b[key], key
    assert list(info_a["fields"]) == list(info_b["fields"]) and list(info_a["dtypes"]) == list(info_b["dtypes"])


def test_streamed_write_equals_pyogrio_write(result, tmp_path):
    ours = write_result(result, tmp_path / "ours.gpkg")
    plain = tmp_path / "plain.gpkg"
    pyogrio.write_dataframe(result.gebouwen, plain, layer="gebouwen_potentie", driver="GPKG", use_arrow=True)
    _same_layer(ours, plain, "gebouwen_potentie")
    assert pyogrio.read_info(ours, layer="gebouwen_potentie")["geometry_type"] == "Polygon"


LAYER = "gebouwen_potentie"
RTREE = f"rtree_{LAYER}_geom"


def _query(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as con:
        return con.execute(sql).fetchall()


def test_the_buildings_layer_is_the_one_gdal_writes_itself(result, tmp_path):
    """Our file against GDAL's own write of the same frame: same table, rows, blobs, R-tree, metadata."""
    ours = write_result(result, tmp_path / "ours.gpkg")
    gdal = tmp_path / "gdal.gpkg"
    pyogrio.write_dataframe(result.gebouwen, gdal, layer=LAYER, driver="GPKG", use_arrow=True)
    for sql in (f"SELECT sql FROM sqlite_master WHERE tbl_name = '{LAYER}' OR name LIKE '{RTREE}%' ORDER BY name",
                f"SELECT * FROM {LAYER} ORDER BY fid", f"SELECT * FROM {RTREE} ORDER BY id",
                f"SELECT min_x, min_y, max_x, max_y, srs_id FROM gpkg_contents WHERE table_name = '{LAYER}'",
                f"SELECT * FROM gpkg_ogr_contents WHERE table_name = '{LAYER}'",
                f"SELECT * FROM gpkg_extensions WHERE table_name = '{LAYER}'",
                f"SELECT * FROM gpkg_geometry_columns WHERE table_name = '{LAYER}'"):
        assert _query(ours, sql) == _query(gdal, sql), sql
    assert _query(ours, "PRAGMA integrity_check") == [("ok",)]
    assert _query(ours, f"SELECT rtreecheck('{RTREE}')") == [("ok",)]
    minx, miny, maxx, maxy = result.gebouwen.total_bounds
    x, y = (minx + maxx) / 2, (miny + maxy) / 2
    box = (x - 500, y - 500, x + 500, y + 500)
    found = pyogrio.read_dataframe(ours, layer=LAYER, bbox=box)
    expected = result.gebouwen.cx[box[0]:box[2], box[1]:box[3]]
    assert len(found) > 100 and sorted(found["pand_id"]) == sorted(expected["pand_id"])


def test_mixed_polygons_are_written_as_multipolygons(result, tmp_path):
    mixed = result.gebouwen.iloc[:50].copy()
    mixed.loc[mixed.index[0], "geometry"] = shapely.MultiPolygon([mixed.geometry.iloc[0], mixed.geometry.iloc[1]])
    assert geopackage.polygon_type(mixed.geometry.to_numpy()) is None
    out = write_result(pipeline.ScanResult(mixed, None, None, result.settings), tmp_path / "mixed.gpkg")
    info = pyogrio.read_info(out, layer="gebouwen_potentie")
    assert info["geometry_type"] == "MultiPolygon" and info["features"] == 50


def test_empty_text_column_is_written_like_pyogrio_does(result, tmp_path):
    """A column without any value (no gebruiksdoel in the source) has no Arrow type GDAL knows."""
    frame = result.gebouwen.iloc[:20].copy()
    frame["gebruiksdoel"] = None
    ours = write_result(pipeline.ScanResult(frame, None, None, result.settings), tmp_path / "ours.gpkg")
    plain = tmp_path / "plain.gpkg"
    pyogrio.write_dataframe(frame, plain, layer="gebouwen_potentie", driver="GPKG", use_arrow=True)
    _same_layer(ours, plain, "gebouwen_potentie")


def test_overwriting_replaces_the_file_and_a_failure_leaves_the_old_one(result, tmp_path, monkeypatch):
    """A result written over an earlier one is complete in place; a write that fails leaves the
    earlier file as it was and no temporary file beside it."""
    target = tmp_path / "uit.gpkg"
    small = pipeline.ScanResult(result.gebouwen.iloc[:7], None, None, result.settings)
    write_result(small, target)
    write_result(result, target)
    assert pyogrio.read_info(target, layer=LAYER)["features"] == len(result.gebouwen)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["uit.gpkg"]

    def full_disk(*_args, **_kwargs):
        raise OSError("schijf vol")

    monkeypatch.setattr(geopackage, "write_batches", full_disk)
    with pytest.raises(OSError, match="schijf vol"):
        write_result(small, target)
    assert pyogrio.read_info(target, layer=LAYER)["features"] == len(result.gebouwen)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["uit.gpkg"]


def test_a_wrong_target_is_one_clear_error(result, tmp_path):
    with pytest.raises(ValueError, match="GeoPackage"):
        write_result(result, tmp_path / "uit.shp")
    with pytest.raises(DataError, match="bestaat niet"):
        write_result(result, tmp_path / "geen-map" / "uit.gpkg")
