"""The bulk GeoPackage write: the same file as one GDAL write, a valid R-tree, clean failures."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyogrio
import pytest
import shapely

from layers.project import load_project
from scans import gpkg_bulk, pipeline
from scans.inputs import ScanInputs
from scans.pipeline import arrow_rows, run_potentiescan, write_result

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "voorbeeldstad.toml"
LAYER = "gebouwen_potentie"
RTREE = f"rtree_{LAYER}_geom"

pytestmark = pytest.mark.skipif(not gpkg_bulk.available(), reason="GDAL's C library is not loadable here")


@pytest.fixture(scope="module")
def result():
    return run_potentiescan(ScanInputs.from_project(load_project(SAMPLE)))


@pytest.fixture(params=["sqlite-records", "gdal-in-delen"])
def writer(request, monkeypatch):
    """Both bulk writes: SQLite records written directly, and GDAL writing two parts."""
    monkeypatch.setattr(gpkg_bulk, "RECORDS", request.param == "sqlite-records")
    return request.param


def _gdal_write(frame, path: Path) -> Path:
    """The reference: one pyogrio write of the same Arrow rows (GDAL builds its own R-tree)."""
    table = arrow_rows(frame)
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches())
    with pipeline.large_pages():
        pyogrio.write_arrow(reader, path, layer=LAYER, driver="GPKG", geometry_name="geometry",
                            geometry_type="Polygon", crs="EPSG:28992")
    return path


def _bulk_write(frame, path: Path, parallel_from: int = 0) -> Path:
    with pipeline.large_pages():
        gpkg_bulk.write_polygon_layer(arrow_rows(frame), frame.geometry.to_numpy(), path, LAYER, "Polygon", 28992,
                                      parallel_from=parallel_from)
    return path


def _spy(monkeypatch, name: str) -> list:
    """The calls of ``gpkg_bulk.<name>`` from now on (it still runs)."""
    calls = []
    original = getattr(gpkg_bulk, name)
    monkeypatch.setattr(gpkg_bulk, name, lambda *args: calls.append(args) or original(*args))
    return calls


def _query(path: Path, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(path) as con:
        return con.execute(sql, args).fetchall()


def _assert_same_file(ours: Path, reference: Path) -> None:
    schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    assert _query(ours, schema) == _query(reference, schema)
    for sql in (f"SELECT * FROM {LAYER} ORDER BY fid", f"SELECT * FROM {RTREE} ORDER BY id",
                "SELECT table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id "
                "FROM gpkg_contents ORDER BY table_name",
                "SELECT * FROM gpkg_ogr_contents", "SELECT * FROM gpkg_extensions", "SELECT * FROM gpkg_geometry_columns",
                "SELECT * FROM gpkg_spatial_ref_sys", "SELECT * FROM sqlite_sequence", "PRAGMA page_size"):
        assert _query(ours, sql) == _query(reference, sql), sql
    assert _query(ours, "PRAGMA integrity_check") == [("ok",)]
    assert _query(ours, f"SELECT rtreecheck('{RTREE}')") == [("ok",)]


def test_bulk_write_is_the_file_gdal_writes(result, tmp_path, writer):
    ours = _bulk_write(result.gebouwen, tmp_path / "ours.gpkg")
    reference = _gdal_write(result.gebouwen, tmp_path / "gdal.gpkg")
    _assert_same_file(ours, reference)
    # the part file and the template are gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gdal.gpkg", "ours.gpkg"]
    # a bounding-box read through the R-tree finds the same buildings
    minx, miny, maxx, maxy = result.gebouwen.total_bounds
    x, y = (minx + maxx) / 2, (miny + maxy) / 2
    box = (x - 500, y - 500, x + 500, y + 500)
    left = pyogrio.read_dataframe(ours, layer=LAYER, bbox=box)
    right = pyogrio.read_dataframe(reference, layer=LAYER, bbox=box)
    assert len(left) > 100 and sorted(left["pand_id"]) == sorted(right["pand_id"])


def test_small_layers_are_the_file_gdal_writes(result, tmp_path, writer):
    frame = result.gebouwen.iloc[:500]
    ours = _bulk_write(frame, tmp_path / "ours.gpkg", parallel_from=10_000)
    _assert_same_file(ours, _gdal_write(frame, tmp_path / "gdal.gpkg"))


def test_odd_row_counts_and_a_single_row(result, tmp_path, writer):
    for rows in (1, 2, 3, 1_001):
        frame = result.gebouwen.iloc[:rows]
        ours = _bulk_write(frame, tmp_path / f"ours{rows}.gpkg")
        _assert_same_file(ours, _gdal_write(frame, tmp_path / f"gdal{rows}.gpkg"))


def test_a_failing_part_leaves_nothing_behind(result, tmp_path, monkeypatch):
    monkeypatch.setattr(gpkg_bulk, "RECORDS", False)
    original = gpkg_bulk.write_gdal

    def failing(batches, schema, path, *args, **kwargs):
        if str(path).endswith(".deel2.gpkg"):
            raise gpkg_bulk.BulkWriteError(f"{path}: schijf vol")
        return original(batches, schema, path, *args, **kwargs)

    monkeypatch.setattr(gpkg_bulk, "write_gdal", failing)
    monkeypatch.setattr(gpkg_bulk, "PARALLEL_FROM", 1_000)
    with pytest.raises(gpkg_bulk.BulkWriteError, match="schijf vol"):
        write_result(result, tmp_path / "uit.gpkg")
    assert list(tmp_path.iterdir()) == []


def test_gdal_errors_become_messages(result, tmp_path):
    table = arrow_rows(result.gebouwen.iloc[:10])
    with pytest.raises(gpkg_bulk.BulkWriteError, match="EPSG:999999"):
        gpkg_bulk.write_gdal(table.to_batches(), table.schema, tmp_path / "x.gpkg", LAYER, "Polygon", 999_999, True)
    with pytest.raises(gpkg_bulk.BulkWriteError, match="bestaat-niet"):
        gpkg_bulk.write_gdal(table.to_batches(), table.schema, tmp_path / "bestaat-niet" / "x.gpkg", LAYER,
                             "Polygon", 28992, True)


def test_missing_geometries_stay_out_of_the_rtree(result, tmp_path, writer):
    frame = result.gebouwen.iloc[:300]
    table = arrow_rows(frame)
    geometries = frame.geometry.to_numpy().copy()
    geometries[[0, 7, 299]] = None
    wkb = table.column("geometry").to_pylist()
    for index in (0, 7, 299):
        wkb[index] = None
    table = table.set_column(table.num_columns - 1, "geometry", pa.array(wkb, type=pa.binary()))
    path = tmp_path / "gaten.gpkg"
    with pipeline.large_pages():
        gpkg_bulk.write_polygon_layer(table, geometries, path, LAYER, "Polygon", 28992, parallel_from=0)
    assert _query(path, f"SELECT count(*) FROM {LAYER}") == [(300,)]
    ids = [row[0] for row in _query(path, f"SELECT id FROM {RTREE} ORDER BY id")]
    assert ids == [i for i in range(1, 301) if i not in (1, 8, 300)]
    assert _query(path, f"SELECT rtreecheck('{RTREE}')") == [("ok",)]


# --- the packed R-tree on its own --------------------------------------------------------------

def _rtree_file(path: Path, page_size: int) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute(f"PRAGMA page_size = {page_size}")
    con.execute("CREATE VIRTUAL TABLE packed USING rtree(id, minx, maxx, miny, maxy)")
    con.execute("CREATE VIRTUAL TABLE inserted USING rtree(id, minx, maxx, miny, maxy)")
    return con


def _store(con: sqlite3.Connection, ids, boxes) -> int:
    (node_bytes,) = con.execute("SELECT length(data) FROM packed_node WHERE nodeno = 1").fetchone()
    nodes, leaf_of, parents, depth = gpkg_bulk.packed_rtree(np.asarray(ids), boxes, node_bytes)
    con.execute("BEGIN")
    con.execute("DELETE FROM packed_node")
    con.executemany("INSERT INTO packed_node VALUES (?, ?)", nodes)
    con.executemany("INSERT INTO packed_parent VALUES (?, ?)", parents)
    con.executemany("INSERT INTO packed_rowid VALUES (?, ?)", zip(np.asarray(ids).tolist(), leaf_of.tolist()))
    con.executemany("INSERT INTO inserted VALUES (?, ?, ?, ?, ?)",
                    [(int(i), b[0], b[2], b[1], b[3]) for i, b in zip(ids, boxes.tolist())])
    con.execute("COMMIT")
    return depth


@pytest.mark.parametrize("count", [0, 1, 39, 40, 1_000, 5_000])
def test_packed_rtree_answers_like_sqlite_own(tmp_path, count):
    rng = np.random.default_rng(count)
    low = np.column_stack([rng.uniform(-5e5, 5e5, count), rng.uniform(-1e3, 6e5, count)])
    size = rng.exponential(30.0, (count, 2)) * (rng.random((count, 1)) > 0.1)  # some points (zero size)
    boxes = np.column_stack([low, low + size])
    ids = rng.permutation(np.arange(1, 3 * count + 1))[:count] if count else np.array([], dtype=np.int64)
    con = _rtree_file(tmp_path / "r.sqlite", page_size=1024)  # 960-byte nodes, 39 cells: several levels
    depth = _store(con, ids, boxes)
    assert con.execute("SELECT rtreecheck('packed')").fetchone() == ("ok",)
    # the stored (float32, rounded outward) boxes are exactly what SQLite stores itself
    assert (con.execute("SELECT * FROM packed ORDER BY id").fetchall()
            == con.execute("SELECT * FROM inserted ORDER BY id").fetchall())
    if count >= 5_000:
        assert depth == 2
    for window in rng.uniform(-5e5, 6e5, (25, 2)):
        x, y = window
        query = "SELECT id FROM {} WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ? ORDER BY id"
        args = (x, x + 2e4, y, y + 2e4)
        assert (con.execute(query.format("packed"), args).fetchall()
                == con.execute(query.format("inserted"), args).fetchall())
    # the tree stays usable: SQLite can insert into it and delete from it
    con.execute("INSERT INTO packed VALUES (?, 0, 1, 0, 1)", (10 * count + 1,))
    if count:
        con.execute("DELETE FROM packed WHERE id = ?", (int(ids[0]),))
    assert con.execute("SELECT rtreecheck('packed')").fetchone() == ("ok",)
    assert con.execute("SELECT count(*) FROM packed").fetchone() == (max(count, 1),)
    con.close()


def _str_groups_by_lexsort(boxes: np.ndarray, capacity: int) -> tuple[np.ndarray, np.ndarray]:
    """Sort-tile-recursive grouping as first written: one lexsort of all boxes on (slice, y)."""
    import math

    n = len(boxes)
    per_slice = math.ceil(math.sqrt(math.ceil(n / capacity))) * capacity
    cx, cy = (boxes[:, 0] + boxes[:, 2]) * 0.5, (boxes[:, 1] + boxes[:, 3]) * 0.5
    slice_of = np.empty(n, dtype=np.int64)
    slice_of[np.argsort(cx, kind="stable")] = np.arange(n) // per_slice
    order = np.lexsort((cy, slice_of))
    position = np.arange(n) - np.searchsorted(slice_of[order], slice_of[order], side="left")
    return order, np.flatnonzero(position % capacity == 0)


@pytest.mark.parametrize("count", [1, 2, 5, 50, 51, 999, 1000, 1001, 12_345])
@pytest.mark.parametrize("capacity", [2, 3, 7, 50, 679])
def test_str_groups_sort_per_slice_as_one_lexsort_did(count, capacity):
    """Grouping slice by slice gives the same order and node starts as the lexsort of all
    boxes, ties (many equal centres here) included."""
    rng = np.random.default_rng(count * capacity)
    x, y = rng.integers(0, 20, count).astype(float), rng.integers(0, 20, count).astype(float)
    boxes = np.column_stack([x, y, x + rng.integers(0, 3, count), y + rng.integers(0, 3, count)])
    order, starts = gpkg_bulk._str_groups(boxes, capacity)
    expected_order, expected_starts = _str_groups_by_lexsort(boxes, capacity)
    assert np.array_equal(order, expected_order) and np.array_equal(starts, expected_starts)


def test_float32_rounding_is_outward():
    # (not for float32 subnormals, below 1.2e-38, which SQLite's scaling does not round outward either)
    values = np.array([458052.383, -458052.383, 0.1, -0.1, 1.0, 144565.726, 1e-30, -1e-30, 0.0, 3e38])
    low, high = gpkg_bulk._float32_down(values), gpkg_bulk._float32_up(values)
    assert (low.astype(np.float64) <= values).all() and (high.astype(np.float64) >= values).all()
    exact = np.float32(1.0)
    assert gpkg_bulk._float32_down(np.array([1.0]))[0] == exact == gpkg_bulk._float32_up(np.array([1.0]))[0]


def test_library_is_pyogrios_own():
    """rasterio's wheel loads a second GDAL; the configuration pyogrio sets must reach the write."""
    import ctypes

    import rasterio  # noqa: F401

    library = ctypes.CDLL(gpkg_bulk._gdal_library_path())
    library.CPLGetConfigOption.restype = ctypes.c_char_p
    library.CPLGetConfigOption.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    pyogrio.set_gdal_config_options({"BB_BULK_TEST": "ja"})
    try:
        assert library.CPLGetConfigOption(b"BB_BULK_TEST", None) == b"ja"
    finally:
        pyogrio.set_gdal_config_options({"BB_BULK_TEST": None})


def test_part_files_of_killed_processes_are_removed(result, tmp_path, monkeypatch, writer):
    import subprocess
    import sys

    monkeypatch.setattr(gpkg_bulk, "_MEMORY_FOLDER", tmp_path / "geheugen")
    (tmp_path / "geheugen").mkdir()
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(finished.stdout)
    scratch = tmp_path / "geheugen"
    stale = [scratch / f"beterbenutten-{dead}-1-uit.deel2.gpkg", scratch / f"beterbenutten-{dead}-1-uit.sjabloon.gpkg",
             scratch / f"beterbenutten-{dead}-1-uit.deel2.gpkg-journal"]
    kept = [scratch / f"beterbenutten-{os.getppid()}-1-uit.deel2.gpkg", scratch / "beterbenutten-notes.txt",
            scratch / f"ander-{dead}-1-uit.deel2.gpkg"]
    for file in stale + kept:
        file.write_bytes(b"x")
    _bulk_write(result.gebouwen.iloc[:2_000], tmp_path / "uit.gpkg")
    assert sorted(scratch.iterdir()) == sorted(kept)


def test_extent_is_stored_as_gdal_stores_it(result, tmp_path, writer):
    """Coordinates with all their digits: the layer extent is GDAL's own (the union of the parts')."""
    frame = result.gebouwen.iloc[:3_000].copy()
    frame["geometry"] = frame.geometry.translate(0.123456789123, 0.987654321987)
    _assert_same_file(_bulk_write(frame, tmp_path / "ours.gpkg"), _gdal_write(frame, tmp_path / "gdal.gpkg"))


def test_a_failing_template_reports_gdals_error_and_removes_the_target(result, tmp_path, monkeypatch, writer):
    original = gpkg_bulk.write_gdal

    def failing(batches, schema, path, *args, **kwargs):
        if str(path).endswith(".sjabloon.gpkg"):
            time.sleep(0.05)
            raise gpkg_bulk.BulkWriteError(f"{path}: sjabloon mislukt")
        return original(batches, schema, path, *args, **kwargs)

    monkeypatch.setattr(gpkg_bulk, "write_gdal", failing)
    with pytest.raises(gpkg_bulk.BulkWriteError, match="sjabloon mislukt"):
        _bulk_write(result.gebouwen.iloc[:2_000], tmp_path / "uit.gpkg")
    assert list(tmp_path.iterdir()) == []


def test_a_table_with_its_own_fids_gets_gdals_index(result, tmp_path):
    frame = result.gebouwen.iloc[:400]
    table = arrow_rows(frame)
    table = table.add_column(0, "fid", pa.array(range(1_000, 1_400), type=pa.int64()))
    path = tmp_path / "fids.gpkg"
    with pipeline.large_pages():
        gpkg_bulk.write_polygon_layer(table, frame.geometry.to_numpy(), path, LAYER, "Polygon", 28992, parallel_from=0)
    assert _query(path, f"SELECT min(fid), max(fid) FROM {LAYER}") == [(1_000, 1_399)]
    assert _query(path, f"SELECT min(id), max(id), count(*) FROM {RTREE}") == [(1_000, 1_399, 400)]


def test_a_batch_that_does_not_match_the_schema_is_refused(tmp_path):
    wkb = shapely.to_wkb(shapely.box(0, 0, 1, 1))
    schema = pa.schema([("waarde", pa.float64()), ("geometry", pa.binary())])
    batch = pa.record_batch([pa.array([1.5], pa.float32()), pa.array([wkb])], names=["waarde", "geometry"])
    with pytest.raises(gpkg_bulk.BulkWriteError, match="andere kolommen"):
        gpkg_bulk.write_gdal(iter([batch]), schema, tmp_path / "x.gpkg", LAYER, "Polygon", 28992, True)


def test_large_pages_blocks_on_several_threads(monkeypatch, tmp_path):
    """The first block to enter sets the page size, the last to leave restores the setting."""
    import threading

    monkeypatch.delenv("OGR_SQLITE_PRAGMA", raising=False)
    before = pyogrio.get_gdal_config_option("OGR_SQLITE_PRAGMA")
    first_inside, second_inside = threading.Event(), threading.Event()
    first_left, second_done = threading.Event(), threading.Event()
    seen = {}

    def first():
        with pipeline.large_pages():
            first_inside.set()
            second_inside.wait(30)
        first_left.set()

    def second():
        first_inside.wait(30)
        with pipeline.large_pages():
            second_inside.set()
            first_left.wait(30)
            seen["inside"] = pyogrio.get_gdal_config_option("OGR_SQLITE_PRAGMA")
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert second_done.is_set()
    assert seen["inside"] == f"page_size={pipeline.GPKG_PAGE_SIZE}"
    assert pyogrio.get_gdal_config_option("OGR_SQLITE_PRAGMA") == before


# --- the records write -------------------------------------------------------------------------

@pytest.mark.parametrize("way", ["_write_records", "_finish"])
def test_write_result_writes_in_bulk(result, tmp_path, monkeypatch, way):
    """write_result through the records write, and through GDAL's two-part write: the file pyogrio writes."""
    monkeypatch.setattr(gpkg_bulk, "RECORDS", way == "_write_records")
    monkeypatch.setattr(gpkg_bulk, "PARALLEL_FROM", 1_000)
    calls = _spy(monkeypatch, way)
    ours = write_result(result, tmp_path / "ours.gpkg")
    assert len(calls) == 1
    monkeypatch.setenv(gpkg_bulk.SWITCH, "nee")
    assert not gpkg_bulk.available()
    plain = write_result(result, tmp_path / "plain.gpkg")
    _assert_same_file(ours, plain)
    for layer in ("gebieden_potentie", "scenario_parameters"):
        assert pyogrio.read_dataframe(ours, layer=layer).equals(pyogrio.read_dataframe(plain, layer=layer))
    # the small layers (with the records: copied from the template), their R-tree, the layer order
    assert _query(ours, "SELECT rtreecheck('rtree_gebieden_potentie_geom')") == [("ok",)]
    assert pyogrio.list_layers(ours).tolist() == pyogrio.list_layers(plain).tolist()
    assert (_query(ours, "SELECT * FROM rtree_gebieden_potentie_geom ORDER BY id")
            == _query(plain, "SELECT * FROM rtree_gebieden_potentie_geom ORDER BY id"))
    # a second reader with its own GDAL finds the same buildings in a window
    import fiona

    minx, miny, maxx, maxy = result.gebouwen.total_bounds
    box = ((minx + maxx) / 2 - 400, (miny + maxy) / 2 - 400, (minx + maxx) / 2 + 400, (miny + maxy) / 2 + 400)
    with fiona.open(ours, layer=LAYER) as source:
        found = sorted(feature["properties"]["pand_id"] for feature in source.filter(bbox=box))
    assert len(found) > 50
    assert found == sorted(pyogrio.read_dataframe(plain, layer=LAYER, bbox=box)["pand_id"])


def test_large_geometries_go_to_overflow_pages(result, tmp_path, monkeypatch):
    """Polygons whose blob does not fit on a 16 KiB page: SQLite's overflow pages, the same rows."""
    frame = result.gebouwen.iloc[:2_500].copy()
    detailed = [shapely.Point(x, y).buffer(30, quad_segs=q) for x, y, q in
                zip(frame.geometry.centroid.x[:40], frame.geometry.centroid.y[:40], range(200, 2_200, 50))]
    frame.loc[frame.index[:40], "geometry"] = detailed
    ours = _bulk_write(frame, tmp_path / "ours.gpkg")
    _assert_same_file(ours, _gdal_write(frame, tmp_path / "gdal.gpkg"))
    assert _query(ours, f"SELECT max(length(geom)) FROM {LAYER}")[0][0] > 3 * 16_384


def test_values_of_every_kind_are_the_ones_gdal_stores(tmp_path):
    rng = np.random.default_rng(5)
    n = 3_000
    boxes = [shapely.box(x, y, x + 10, y + 8) for x, y in rng.uniform(100_000, 200_000, (n, 2))]
    reals = rng.choice([0.0, -0.0, 1.5, 2.0, -7.0, np.nan, 1e20, 2.0**52, 123.456], n)
    table = pa.table({
        "tekst": pa.array(rng.choice(["", "ja, mits", "Ünïcødé", None, "x" * 300], n).tolist(), pa.string()),
        "geheel": pa.array(rng.choice([0, 1, -1, 300, 2**40, -2**62], n)),
        "klein": pa.array(rng.integers(-3, 3, n).astype(np.int32)),
        "vlag": pa.array([None if v < 0.1 else v < 0.5 for v in rng.random(n)]),
        "getal": pa.array([None if v is None else float(v) for v in reals]),
        "enkel": pa.array(rng.random(n).astype(np.float32)),
        "leeg": pa.nulls(n, pa.string()),
        "geometry": pa.array(shapely.to_wkb(boxes), pa.binary()),
    })
    paths = []
    for records in (True, False):
        path = tmp_path / f"{records}.gpkg"
        gpkg_bulk.RECORDS, before = records, gpkg_bulk.RECORDS
        try:
            with pipeline.large_pages():
                gpkg_bulk.write_polygon_layer(table, np.array(boxes), path, LAYER, "Polygon", 28992, parallel_from=10**9)
        finally:
            gpkg_bulk.RECORDS = before
        paths.append(path)
    _assert_same_file(*paths)
    typed = ", ".join(f"{c}, typeof({c})" for c in table.column_names[:-1])
    assert (_query(paths[0], f"SELECT {typed} FROM {LAYER} ORDER BY fid")
            == _query(paths[1], f"SELECT {typed} FROM {LAYER} ORDER BY fid"))


def test_a_template_laid_out_otherwise_lets_gdal_write(result, tmp_path, monkeypatch):
    monkeypatch.setattr(gpkg_bulk, "_template_layout", lambda *args: None)
    calls = _spy(monkeypatch, "_finish")
    frame = result.gebouwen.iloc[:3_000]
    ours = _bulk_write(frame, tmp_path / "ours.gpkg")
    assert len(calls) == 1  # the two-part GDAL write
    _assert_same_file(ours, _gdal_write(frame, tmp_path / "gdal.gpkg"))


@pytest.mark.parametrize("where", ["encode", "complete"])
def test_a_failing_records_write_leaves_nothing_behind(result, tmp_path, monkeypatch, where):
    from scans import sqlite_table

    scratch = tmp_path / "geheugen"
    scratch.mkdir()
    monkeypatch.setattr(gpkg_bulk, "_MEMORY_FOLDER", scratch)
    calls = []
    original_encode = sqlite_table.encode_cells

    def encode(*args, **kwargs):
        calls.append(1)
        if where == "encode" and len(calls) == 3:
            raise KeyboardInterrupt
        return original_encode(*args, **kwargs)

    def complete(*args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sqlite_table, "encode_cells", encode)
    if where == "complete":
        monkeypatch.setattr(gpkg_bulk, "_complete_from_template", complete)
    with pytest.raises(KeyboardInterrupt if where == "encode" else sqlite3.OperationalError):
        write_result(result, tmp_path / "uit.gpkg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["geheugen"]
    assert list(scratch.iterdir()) == []
    assert [t.name for t in __import__("threading").enumerate() if t.name.startswith(("gpkg", "sqlite"))] == []


def test_multipolygons_and_a_users_page_size(result, tmp_path, monkeypatch):
    frame = result.gebouwen.iloc[:1_500].copy()
    frame["geometry"] = [shapely.MultiPolygon([g, shapely.affinity.translate(g, 0, 60)]) for g in frame.geometry]
    monkeypatch.setenv("OGR_SQLITE_PRAGMA", "page_size=4096")  # a user's own pragma wins over ours
    ours = tmp_path / "ours.gpkg"
    with pipeline.large_pages():
        gpkg_bulk.write_polygon_layer(arrow_rows(frame), frame.geometry.to_numpy(), ours, LAYER, "MultiPolygon", 28992)
    table = arrow_rows(frame)
    reference = tmp_path / "gdal.gpkg"
    with pipeline.large_pages():
        pyogrio.write_arrow(pa.RecordBatchReader.from_batches(table.schema, table.to_batches()), reference,
                            layer=LAYER, driver="GPKG", geometry_name="geometry", geometry_type="MultiPolygon",
                            crs="EPSG:28992")
    _assert_same_file(ours, reference)
    assert _query(ours, "PRAGMA page_size") == [(4096,)]


def test_rows_the_records_cannot_hold_are_written_by_gdal(result, tmp_path, monkeypatch):
    """A row over 2 GiB (here: pretended on the second slice) stops the records write; GDAL writes."""
    from scans import sqlite_table

    original = sqlite_table.encode_cells
    calls = []

    def encode(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise sqlite_table.UnsupportedTable("een rij is te groot voor een SQLite-record")
        return original(*args, **kwargs)

    monkeypatch.setattr(sqlite_table, "encode_cells", encode)
    frame = result.gebouwen.iloc[:5_000]
    ours = _bulk_write(frame, tmp_path / "ours.gpkg")
    assert len(calls) >= 2
    _assert_same_file(ours, _gdal_write(frame, tmp_path / "gdal.gpkg"))
