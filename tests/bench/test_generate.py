"""bench.generate: exact sizes, unique identifiers, real column names, a loadable project."""

from __future__ import annotations

import json

import numpy as np
import pyogrio
import pytest

from bench.generate import generate, parse_size, size_label


def test_parse_size():
    assert parse_size("100k") == 100_000
    assert parse_size("1m") == 1_000_000
    assert parse_size("10M") == 10_000_000
    assert parse_size("25000") == 25_000
    assert size_label(1_000_000) == "1m"
    with pytest.raises(ValueError):
        parse_size("veel")


def test_generated_project(bench_project):
    folder = bench_project.parent
    meta = json.loads((folder / "manifest.json").read_text())
    assert meta["panden"] == 25_000 and meta["gemeenten"] == 2
    pand = pyogrio.read_dataframe(folder / "gebouwen.gpkg", layer="pand", read_geometry=False)
    assert len(pand) == 25_000
    assert pand["identificatie"].is_unique and pand["identificatie"].str.len().eq(16).all()
    for column in ("oorspronkelijkbouwjaar", "aantal_verblijfsobjecten", "b3_dak_type", "b3_h_dak_70p"):
        assert column in pand.columns
    vbo = pyogrio.read_dataframe(folder / "verblijfsobjecten.gpkg", layer="verblijfsobject", read_geometry=False)
    assert vbo["identificatie"].is_unique
    assert vbo["pandidentificatie"].isin(pand["identificatie"]).all()
    buurten = pyogrio.read_dataframe(folder / "gebieden.gpkg", layer="buurten", read_geometry=False)
    assert buurten["buurtcode"].is_unique
    assert set(buurten["gemeentecode"]) == {"GM0001", "GM0002"}
    assert set(buurten["buurtcode"].str.slice(2, 6)) == {"0001", "0002"}
    for name in ("bodemdaling", "overstromingsdiepte", "kwel"):
        assert (folder / f"{name}.tif").exists()


def test_cached(bench_project):
    before = (bench_project.parent / "gebouwen.gpkg").stat().st_mtime_ns
    again = generate(25_000, bench_project.parent.parent, quiet=True)
    assert again == bench_project
    assert (bench_project.parent / "gebouwen.gpkg").stat().st_mtime_ns == before


def test_project_loads_and_scans(bench_inputs):
    from scans.pipeline import run_potentiescan

    result = run_potentiescan(bench_inputs)
    assert len(result.gebouwen) > 24_000  # BAG drops the panden that are no real building
    assert all(result.totals[s] > 0 for s in ("optoppen", "splitsen", "transformatie", "boerenerf"))
    assert np.isfinite(result.gebouwen["bodemdaling"]).any()
