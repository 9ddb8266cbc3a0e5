"""The buildings' spatial index computed during the scan (``write_ahead=True``): the write takes
it only where it fits, and the file is the one written without it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
import shapely

from layers.project import load_project
from scans import gpkg_bulk, pipeline
from scans.inputs import ScanInputs
from scans.pipeline import run_potentiescan, write_result

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "voorbeeldstad.toml"
LAYER = "gebouwen_potentie"
RTREE = f"rtree_{LAYER}_geom"

pytestmark = pytest.mark.skipif(not (gpkg_bulk.available() and gpkg_bulk.RECORDS), reason="no records write here")


@pytest.fixture(scope="module")
def inputs():
    return ScanInputs.from_project(load_project(SAMPLE))


@pytest.fixture(autouse=True)
def small_towns_too(monkeypatch):
    """The sample town (19 339 panden) is below the size the index is made ahead from."""
    monkeypatch.setattr(pipeline, "INDEX_AHEAD_FROM", 0)


def _packed(monkeypatch) -> list:
    """The calls of ``gpkg_bulk.packed_rtree`` from now on (it still runs)."""
    calls = []
    original = gpkg_bulk.packed_rtree
    monkeypatch.setattr(gpkg_bulk, "packed_rtree", lambda *args: calls.append(args) or original(*args))
    return calls


def _wkb_made(monkeypatch) -> list:
    """The row counts of the write's WKB calls from now on (but the template's few rows)."""
    calls = []
    original = gpkg_bulk.geometry_wkb
    monkeypatch.setattr(gpkg_bulk, "geometry_wkb",
                        lambda geometries, *rest: (len(geometries) > 4 and calls.append(len(geometries)))
                        or original(geometries, *rest))
    return calls


def _tables(path: Path) -> dict:
    with sqlite3.connect(path) as con:
        names = [LAYER, f"{RTREE}_node", f"{RTREE}_parent", f"{RTREE}_rowid", "gpkg_ogr_contents", "gebieden_potentie"]
        out = {name: con.execute(f'SELECT * FROM "{name}"').fetchall() for name in names}
        out["schema"] = con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute(f"SELECT rtreecheck('{RTREE}')").fetchone() == ("ok",)
    return out


def test_the_index_made_ahead_is_taken_and_the_file_is_the_same(inputs, tmp_path, monkeypatch):
    plain = write_result(run_potentiescan(inputs), tmp_path / "zonder.gpkg")
    result = run_potentiescan(inputs, write_ahead=True)
    assert isinstance(result.index_ahead, gpkg_bulk.IndexAhead)
    assert result.index_ahead.take(result.gebouwen.geometry.to_numpy()) is not None  # (waits for it)
    assert result.index_ahead.wkb is not None
    calls = _packed(monkeypatch)
    encoded = _wkb_made(monkeypatch)
    ahead = write_result(result, tmp_path / "vooraf.gpkg")
    assert calls == []  # the write packed no R-tree: it took the one made during the scan
    assert encoded == []  # nor made the rows' WKB
    assert _tables(ahead) == _tables(plain)


def test_other_geometries_are_indexed_by_the_write(inputs, tmp_path, monkeypatch):
    result = run_potentiescan(inputs, write_ahead=True)
    geometries = result.gebouwen.geometry.to_numpy()
    # the same shapes as new objects, and the same objects in another order: neither is taken
    assert result.index_ahead.take(np.array([g for g in geometries[::-1]], dtype=object)[::-1].copy()) is not None
    copies = shapely.from_wkb(shapely.to_wkb(geometries))
    assert result.index_ahead.take(copies) is None
    assert result.index_ahead.take(geometries[::-1]) is None
    assert result.index_ahead.take(geometries[:-1]) is None
    reordered = result.gebouwen.iloc[::-1].reset_index(drop=True)
    calls = _packed(monkeypatch)
    encoded = _wkb_made(monkeypatch)
    out = write_result(pipeline.ScanResult(reordered, result.gebieden, None, result.settings, result.totals,
                                           index_ahead=result.index_ahead), tmp_path / "omgekeerd.gpkg")
    assert len(calls) == 1  # packed by the write itself
    assert sum(encoded) == len(reordered)  # and the WKB made by it
    reference = write_result(pipeline.ScanResult(reordered, result.gebieden, None, result.settings, result.totals),
                             tmp_path / "omgekeerd-zonder.gpkg")
    assert _tables(out) == _tables(reference)


def test_nodes_of_another_size_are_packed_again(inputs, tmp_path, monkeypatch):
    result = run_potentiescan(inputs)
    wrong = gpkg_bulk.IndexAhead(result.gebouwen.geometry.to_numpy(), 1024)  # the write uses 16 KB pages
    assert wrong.node_bytes != gpkg_bulk.rtree_node_bytes(pipeline.GPKG_PAGE_SIZE)
    assert wrong.take(result.gebouwen.geometry.to_numpy()) is not None  # (its own packing done)
    calls = _packed(monkeypatch)
    encoded = _wkb_made(monkeypatch)
    out = write_result(pipeline.ScanResult(result.gebouwen, result.gebieden, None, result.settings, result.totals,
                                           index_ahead=wrong), tmp_path / "andere-knopen.gpkg")
    assert len(calls) == 1
    assert encoded == []  # the WKB made ahead fits whatever the node size
    assert _tables(out) == _tables(write_result(result, tmp_path / "zonder.gpkg"))


def test_node_size_is_the_one_gdal_gives(inputs, tmp_path):
    out = write_result(run_potentiescan(inputs), tmp_path / "uit.gpkg")
    with sqlite3.connect(out) as con:
        (page_size,) = con.execute("PRAGMA page_size").fetchone()
        (node_bytes,) = con.execute(f'SELECT length(data) FROM "{RTREE}_node" WHERE nodeno = 1').fetchone()
    assert gpkg_bulk.rtree_node_bytes(page_size) == node_bytes


def test_no_index_ahead_where_the_write_would_not_use_it(inputs, monkeypatch):
    portfolio = ScanInputs.from_project(load_project(SAMPLE), portefeuille=True)
    if portfolio.portefeuille is not None:  # rows are a subset: the index would not fit
        assert run_potentiescan(portfolio, write_ahead=True).index_ahead is None
    monkeypatch.setenv("OGR_SQLITE_PRAGMA", "page_size=4096")  # the user's page size
    assert run_potentiescan(inputs, write_ahead=True).index_ahead is None
    monkeypatch.delenv("OGR_SQLITE_PRAGMA")
    assert run_potentiescan(inputs).index_ahead is None  # not asked
    monkeypatch.setattr(pipeline, "INDEX_AHEAD_FROM", len(inputs.gebouwen) + 1)
    assert run_potentiescan(inputs, write_ahead=True).index_ahead is None  # small: the write packs it beside the rows
