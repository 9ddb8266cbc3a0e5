"""bench.shapes: each generator's project loads and scans, and has the shape it claims."""

from __future__ import annotations

import json

import numpy as np
import pyogrio
import pytest
import shapely

from bench.shapes import BUURTEN_PER_PAND, generate_shape

N = 10_000


@pytest.fixture(scope="module")
def shapes_root(tmp_path_factory):
    return tmp_path_factory.mktemp("bb-shapes")


@pytest.fixture(scope="module")
def scanned(shapes_root):
    """Per shape: (project folder, pand table, buurten, zones, scan result)."""
    from layers.project import load_project
    from scans.inputs import ScanInputs
    from scans.pipeline import run_potentiescan
    from scans.scenarios import PRESETS

    out = {}
    for shape in ("stad", "platteland", "bedrijven"):
        project = generate_shape(shape, N, shapes_root, quiet=True)
        folder = project.parent
        result = run_potentiescan(ScanInputs.from_project(load_project(project)), PRESETS["standaard"])
        out[shape] = (
            folder,
            pyogrio.read_dataframe(folder / "gebouwen.gpkg", layer="pand", read_geometry=False),
            pyogrio.read_dataframe(folder / "gebieden.gpkg", layer="buurten", read_geometry=False),
            pyogrio.read_dataframe(folder / "water_bodem.gpkg", layer="zones"),
            result,
        )
    return out


@pytest.mark.parametrize("shape", ["stad", "platteland", "bedrijven"])
def test_project_loads_and_scans(scanned, shape):
    folder, pand, buurten, zones, result = scanned[shape]
    assert len(pand) == N and pand["identificatie"].is_unique and pand["identificatie"].str.len().eq(16).all()
    vbo = pyogrio.read_dataframe(folder / "verblijfsobjecten.gpkg", layer="verblijfsobject", read_geometry=False)
    assert vbo["identificatie"].is_unique and vbo["pandidentificatie"].isin(pand["identificatie"]).all()
    for column in ("oorspronkelijkbouwjaar", "aantal_verblijfsobjecten", "b3_dak_type", "b3_h_dak_70p", "b3_kas_warenhuis"):
        assert column in pand.columns
    assert buurten["buurtcode"].is_unique and buurten["buurtcode"].str.match(r"^BU\d{8}$").all()
    assert len(result.gebouwen) == N
    # every building lies in a buurt, and every scan produced its columns
    assert result.gebouwen["gebied_code"].isin(buurten["buurtcode"]).all()
    for scan in ("optoppen", "splitsen", "transformatie", "boerenerf"):
        assert f"{scan}_woningen" in result.gebouwen.columns
    meta = json.loads((folder / "manifest.json").read_text())
    assert meta["shape"] == shape and meta["panden"] == N
    assert "erven" not in (folder / "bench.toml").read_text()  # yards are derived from the panden


@pytest.mark.parametrize("shape", ["stad", "platteland", "bedrijven"])
def test_complex_constraint_polygons(scanned, shape):
    zones = scanned[shape][3].geometry.to_numpy()
    vertices = shapely.get_num_coordinates(zones)
    assert vertices.max() >= 10_000
    assert (shapely.get_num_interior_rings(shapely.get_parts(zones)) > 0).any()  # holes
    multi = zones[shapely.get_num_geometries(zones) > 1]  # (GDAL may store every zone as MultiPolygon)
    assert multi.size and shapely.get_num_coordinates(multi).max() >= 10_000
    assert len(zones) >= N // 300


def test_each_generator_has_its_shape(scanned):
    def share(shape, mask_fn):
        pand = scanned[shape][1]
        return float(mask_fn(pand).mean())

    woon = lambda p: p["gebruiksdoel"].eq("woonfunctie")  # noqa: E731
    agrarisch = lambda p: p["gebruiksdoel"].isin(["industriefunctie", "overige gebruiksfunctie"])  # noqa: E731
    # rural: more agricultural panden than homes, and derived yards give boerenerf homes
    assert share("platteland", agrarisch) > share("platteland", woon)
    assert scanned["platteland"][4].gebouwen["boerenerf_woningen"].sum() > 0
    # dense city: mostly multi-family blocks, and smaller buurten than the country's
    meergezins = lambda p: woon(p) & (p["aantal_verblijfsobjecten"] >= 4)  # noqa: E731
    assert share("stad", meergezins) > 0.3 > share("platteland", meergezins)
    assert len(scanned["stad"][2]) > 1.5 * N * BUURTEN_PER_PAND
    # bedrijventerrein town: far more industrial panden than the city or the country's ~5 %
    industrie = lambda p: p["gebruiksdoel"].eq("industriefunctie")  # noqa: E731
    assert share("bedrijven", industrie) > 0.2 > share("stad", industrie)
    # the real buurten density outside the city: about n × 14,000 / 10M
    for shape in ("platteland", "bedrijven"):
        assert 0.5 < len(scanned[shape][2]) / (N * BUURTEN_PER_PAND) < 2.0


def test_unknown_shape_is_one_clear_error(tmp_path):
    with pytest.raises(ValueError, match="onbekende vorm 'woestijn'"):
        generate_shape("woestijn", 100, tmp_path)


def test_generator_is_deterministic(tmp_path):
    a = generate_shape("bedrijven", 2_000, tmp_path / "a", quiet=True).parent
    b = generate_shape("bedrijven", 2_000, tmp_path / "b", quiet=True).parent
    pa = pyogrio.read_dataframe(a / "gebouwen.gpkg", layer="pand")
    pb = pyogrio.read_dataframe(b / "gebouwen.gpkg", layer="pand")
    assert pa.drop(columns="geometry").equals(pb.drop(columns="geometry"))
    assert np.array_equal(shapely.get_coordinates(pa.geometry.to_numpy()), shapely.get_coordinates(pb.geometry.to_numpy()))
