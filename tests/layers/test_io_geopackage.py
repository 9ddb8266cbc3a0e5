"""layers.io.geopackage: GeoPackages written by GDAL (pyogrio) and sqlite3 only, sound past 1 GiB."""

from __future__ import annotations

import shutil
import sqlite3
import xml.etree.ElementTree as ElementTree

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import pytest
import shapely

from layers.io import geopackage

LAYER = "gebouwen_potentie"


def _boxes(count: int, start: int = 0) -> np.ndarray:
    x = np.arange(start, start + count, dtype="float64") % 1000 * 20.0 + 100_000
    y = np.arange(start, start + count, dtype="float64") // 1000 * 20.0 + 400_000
    return shapely.box(x, y, x + 10, y + 10)


def _query(path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as con:
        return con.execute(sql).fetchall()


#: Rows of the >1 GiB file: few rows, each with a large text, so the file passes 2^30 bytes
#: (SQLite's lock-byte page) quickly; the R-tree, written after the rows, lies beyond it.
_BIG_ROWS = 5_400
_BIG_TEXT = 200_000
_BATCH = 450


def _big_batches():
    text = pa.array(["x" * _BIG_TEXT], pa.string())
    for start in range(0, _BIG_ROWS, _BATCH):
        count = min(_BATCH, _BIG_ROWS - start)
        yield pa.record_batch({
            "nummer": pa.array(np.arange(start, start + count)),
            "tekst": pa.concat_arrays([text] * count),
            "geometry": pa.array(shapely.to_wkb(_boxes(count, start)), pa.binary()),
        })


def test_a_geopackage_larger_than_1_gib_is_sound(tmp_path):
    """Issue 21: past the lock-byte page at 1 GiB the file stays valid, its R-tree too, and a
    full-extent bbox read through the index returns every row."""
    free = shutil.disk_usage(tmp_path).free
    assert free > 3 * 2**30, f"{tmp_path}: needs 3 GiB free for this test, has {free / 2**30:.1f} GiB"
    path = tmp_path / "groot.gpkg"
    first = next(_big_batches())
    geopackage.write_batches(_big_batches(), first.schema, path, LAYER, geometry_type="Polygon", crs="EPSG:28992")
    try:
        assert path.stat().st_size > 2**30
        assert _query(path, "PRAGMA quick_check") == [("ok",)]
        assert _query(path, f"SELECT rtreecheck('rtree_{LAYER}_geom')") == [("ok",)]
        assert _query(path, f"SELECT count(*) FROM rtree_{LAYER}_geom") == [(_BIG_ROWS,)]
        bounds = tuple(shapely.total_bounds(_boxes(_BIG_ROWS)))
        found = pyogrio.read_dataframe(path, layer=LAYER, bbox=bounds, columns=["nummer"])
        assert sorted(found["nummer"]) == list(range(_BIG_ROWS))
    finally:
        geopackage.remove_database(path)


def test_batches_streamed_and_appended_make_one_layer(tmp_path):
    path = tmp_path / "uit.gpkg"

    def batches(start, count, step):
        for offset in range(start, start + count, step):
            n = min(step, start + count - offset)
            yield pa.record_batch({"nummer": pa.array(np.arange(offset, offset + n)),
                                   "geometry": pa.array(shapely.to_wkb(_boxes(n, offset)), pa.binary())})

    schema = next(batches(0, 1, 1)).schema
    geopackage.write_batches(batches(0, 2_500, 1_000), schema, path, LAYER, geometry_type="Polygon", crs="EPSG:28992")
    geopackage.write_batches(batches(2_500, 700, 300), schema, path, LAYER, geometry_type="Polygon", crs="EPSG:28992",
                             append=True)
    frame = pyogrio.read_dataframe(path, layer=LAYER)
    assert frame["nummer"].tolist() == list(range(3_200))
    assert _query(path, f"SELECT rtreecheck('rtree_{LAYER}_geom')") == [("ok",)]
    assert _query(path, f"SELECT count(*) FROM rtree_{LAYER}_geom") == [(3_200,)]


def test_write_frame_equals_gdals_own_write(tmp_path):
    """Polygons go through Arrow batches; the stored rows, blobs and R-tree are GDAL's own."""
    frame = gpd.GeoDataFrame({"naam": pd.Categorical(["a", "b", None] * 100), "waarde": np.arange(300) / 3,
                              "leeg": [None] * 300}, geometry=_boxes(300), crs="EPSG:28992")
    ours, gdal = tmp_path / "ours.gpkg", tmp_path / "gdal.gpkg"
    geopackage.write_frame(frame, ours, LAYER)
    plain = frame.assign(naam=frame["naam"].astype(object))
    pyogrio.write_dataframe(plain, gdal, layer=LAYER, driver="GPKG", use_arrow=True)
    for sql in (f"SELECT * FROM {LAYER} ORDER BY fid", f"SELECT * FROM rtree_{LAYER}_geom ORDER BY id",
                f"SELECT sql FROM sqlite_master WHERE tbl_name = '{LAYER}' ORDER BY name",
                "SELECT table_name, min_x, min_y, max_x, max_y, srs_id FROM gpkg_contents"):
        assert _query(ours, sql) == _query(gdal, sql), sql


def test_replacing_moves_a_complete_file_and_removes_a_failed_one(tmp_path):
    target = tmp_path / "uit.gpkg"
    frame = gpd.GeoDataFrame({"nummer": [1, 2]}, geometry=_boxes(2), crs="EPSG:28992")
    with geopackage.replacing(target) as tmp:
        geopackage.write_frame(frame, tmp, LAYER)
        assert not target.exists()
    assert pyogrio.read_info(target, layer=LAYER)["features"] == 2
    with pytest.raises(RuntimeError, match="afgebroken"):
        with geopackage.replacing(target) as tmp:
            geopackage.write_frame(frame.iloc[:1], tmp, LAYER)
            raise RuntimeError("afgebroken")
    assert pyogrio.read_info(target, layer=LAYER)["features"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["uit.gpkg"]
    with pytest.raises(ValueError, match="GeoPackage"):
        geopackage.check_target(tmp_path / "uit.shp")


def test_layer_styles_and_attribute_tables(tmp_path):
    path = tmp_path / "uit.gpkg"
    geopackage.write_frame(gpd.GeoDataFrame({"n": [1]}, geometry=_boxes(1), crs="EPSG:28992"), path, LAYER)
    qml = '<!DOCTYPE qgis><qgis version="3.34"><renderer-v2 type="singleSymbol"/></qgis>'
    with geopackage.transaction(path) as con:
        geopackage.write_attributes(con, "totalen", pd.DataFrame({"naam": ["a"], "waarde": [1.5]}))
        geopackage.write_layer_styles(con, {LAYER: qml}, "eerste")
        geopackage.write_layer_styles(con, {LAYER: qml}, "tweede")
    styles = geopackage.read_layer_styles(path)
    assert styles[["f_table_name", "f_geometry_column", "styleName", "useAsDefault"]].values.tolist() == [
        [LAYER, "geom", "eerste", 0], [LAYER, "geom", "tweede", 1]]
    assert ElementTree.fromstring(styles["styleQML"].iloc[-1]).tag == "qgis"
    assert pyogrio.read_dataframe(path, layer="totalen")["waarde"].tolist() == [1.5]
    with pytest.raises(ValueError, match="wegen"):
        with geopackage.transaction(path) as con:
            geopackage.write_layer_styles(con, {"wegen": qml}, "eerste")
    assert len(geopackage.read_layer_styles(path)) == 2  # rolled back
