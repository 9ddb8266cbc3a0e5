"""write_result streams the buildings to GDAL in small Arrow batches; the file is what pyogrio writes itself."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyogrio
import pytest
import shapely

from layers.project import load_project
from scans import pipeline
from scans.inputs import ScanInputs
from scans.pipeline import WRITE_BATCH_ROWS, run_potentiescan, write_result

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


def test_batches_are_small_slices_in_order():
    table = pa.table({"x": list(range(3 * WRITE_BATCH_ROWS + 5))})
    slices = list(pipeline._slices(table.to_batches()))
    assert [s.num_rows for s in slices] == [WRITE_BATCH_ROWS] * 3 + [5]
    assert pa.Table.from_batches(slices).equals(table)


def test_mixed_polygons_are_written_as_multipolygons(result, tmp_path):
    mixed = result.gebouwen.iloc[:50].copy()
    mixed.loc[mixed.index[0], "geometry"] = shapely.MultiPolygon([mixed.geometry.iloc[0], mixed.geometry.iloc[1]])
    assert pipeline.streamable_geometry_type(mixed.geometry.to_numpy()) is None
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


def _page_size(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return connection.execute("PRAGMA page_size").fetchone()[0]


def test_result_has_large_pages_and_the_setting_is_restored(result, tmp_path, monkeypatch):
    monkeypatch.delenv("OGR_SQLITE_PRAGMA", raising=False)
    before = pyogrio.get_gdal_config_option("OGR_SQLITE_PRAGMA")
    path = write_result(result, tmp_path / "uit.gpkg")
    assert _page_size(path) == pipeline.GPKG_PAGE_SIZE
    assert pyogrio.get_gdal_config_option("OGR_SQLITE_PRAGMA") == before
    # the other layers are added to that file; a GeoPackage made elsewhere keeps its own pages
    assert len(pyogrio.read_dataframe(path, layer="gebieden_potentie")) == len(result.gebieden)
    other = tmp_path / "ander.gpkg"
    pyogrio.write_dataframe(result.gebieden, other, layer="gebieden", driver="GPKG")
    assert _page_size(other) == 4096
    with pipeline.large_pages():
        pyogrio.write_dataframe(result.gebieden.head(3), other, layer="erbij", driver="GPKG")
    assert _page_size(other) == 4096


def test_page_size_the_user_set_wins(result, tmp_path, monkeypatch):
    monkeypatch.setenv("OGR_SQLITE_PRAGMA", "page_size=8192")
    pyogrio.set_gdal_config_options({"OGR_SQLITE_PRAGMA": "page_size=8192"})
    try:
        assert _page_size(write_result(result, tmp_path / "uit.gpkg")) == 8192
    finally:
        pyogrio.set_gdal_config_options({"OGR_SQLITE_PRAGMA": None})


def _wait_for_old_names(folder: Path) -> list[str]:
    """The scratch names left in ``folder`` once the removal threads are done."""
    import threading

    for thread in [t for t in threading.enumerate() if t.name == "gpkg-vorige"]:
        thread.join(10)
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("beterbenutten-"))


def test_overwriting_replaces_the_file_and_removes_the_old_one(result, tmp_path):
    """A result written over an earlier one: the new file is complete in place, the old one's
    second name (removed on a thread) is gone afterwards, and nothing else is left beside it."""
    target = tmp_path / "uit.gpkg"
    small = pipeline.ScanResult(result.gebouwen.iloc[:7], None, None, result.settings)
    write_result(small, target)
    old_inode = target.stat().st_ino
    write_result(result, target)
    assert target.stat().st_ino != old_inode
    assert pyogrio.read_info(target, layer="gebouwen_potentie")["features"] == len(result.gebouwen)
    assert _wait_for_old_names(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["uit.gpkg"]


def test_overwriting_without_hard_links_and_a_killed_writers_leftover(result, tmp_path, monkeypatch):
    import os

    target = tmp_path / "uit.gpkg"
    write_result(result, target)
    # a second name left by a writer process that was killed (no such process runs)
    stale = tmp_path / "beterbenutten-999999999-1-uit.vorige.gpkg"
    os.link(target, stale)

    def no_links(*_args, **_kwargs):
        raise OSError("geen harde koppelingen op dit bestandssysteem")

    monkeypatch.setattr(os, "link", no_links)
    small = pipeline.ScanResult(result.gebouwen.iloc[:7], None, None, result.settings)
    write_result(small, target)
    assert pyogrio.read_info(target, layer="gebouwen_potentie")["features"] == 7
    assert _wait_for_old_names(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["uit.gpkg"]
