"""prepare_buildings: gebied assignment, status, rasters, vbo fallback, CRS checks."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import box

from scans.inputs import BUITEN_GEBIED_CODE, AlgemeenParams, ScanInputs, prepare_buildings
from tests.scans.factory import X0, Y0, buildings, flat, polygons, raster

# two gebieden split at x = X0 + 10; a 20 m building at X0 has its centroid on the border
LEFT = box(X0 - 100, Y0 - 100, X0 + 10, Y0 + 100)
RIGHT = box(X0 + 10, Y0 - 100, X0 + 200, Y0 + 100)


def gebieden(water=("NEE", "NEE"), codes=("BU02", "BU01")):
    return polygons([dict(gebied_code=codes[0], water=water[0]), dict(gebied_code=codes[1], water=water[1])], [LEFT, RIGHT])


def prepared(records, geoms=None, params=None, **layers):
    return prepare_buildings(ScanInputs(gebouwen=buildings(records, geoms=geoms), **layers), params)


def test_centroid_on_border_goes_to_smallest_code():
    out = prepared([flat()], gebieden=gebieden())
    assert out["gebied_code"].tolist() == ["BU01"]


def test_land_wins_over_water_gebied():
    out = prepared([flat()], gebieden=gebieden(water=("NEE", "JA")))
    assert out["gebied_code"].tolist() == ["BU02"]


@pytest.mark.parametrize(
    "geom,centroid_code,overlap_code",
    [
        (box(X0 - 15, Y0, X0 + 12, Y0 + 10), "BU02", "BU02"),  # mostly left
        (box(X0 + 2, Y0, X0 + 40, Y0 + 10), "BU01", "BU01"),  # mostly right
        # an L-shaped pand whose centroid is right but most area is left
        (box(X0 - 30, Y0, X0 + 10, Y0 + 5).union(box(X0 + 10, Y0, X0 + 70, Y0 + 3)), "BU01", "BU02"),
        (box(X0 + 500, Y0 + 500, X0 + 510, Y0 + 510), BUITEN_GEBIED_CODE, BUITEN_GEBIED_CODE),
    ],
)
def test_gebied_toewijzing(geom, centroid_code, overlap_code):
    g = gebieden()
    assert prepared([flat()], [geom], gebieden=g)["gebied_code"].iloc[0] == centroid_code
    overlap = AlgemeenParams(gebied_toewijzing="grootste_overlap")
    assert prepared([flat()], [geom], overlap, gebieden=g)["gebied_code"].iloc[0] == overlap_code


def test_raster_values_at_centroid():
    grid = raster(lambda xs, ys: xs - X0, "bodemdaling", "cm", cell=1.0, shape=(800, 1200))
    out = prepared([flat(), flat()], rasters={"bodemdaling": grid})
    assert out["bodemdaling"].tolist() == [10.5, 110.5]
    assert np.isnan(out["overstromingsdiepte"]).all()


def test_status_and_unknown_status():
    out = prepared([flat(status="Pand gesloopt"), flat(status=None), flat(status="pand in gebruik")])
    assert out["in_gebruik"].tolist() == [False, True, True]
    assert out["status_reden"].iloc[0] == "status 'Pand gesloopt' (niet in gebruik)"


def test_pand_fallback_for_mixed_use():
    out = prepared([flat(gebruiksdoel="woonfunctie, winkelfunctie", aantal_vbo=20.0, oppervlakte_min=60.0, oppervlakte_max=100.0)])
    row = out.iloc[0]
    assert (row.n_woonfunctie, row.n_winkelfunctie, row.vbo_aantal) == (19.0, 1.0, 20.0)
    assert row.gbo_woonfunctie + row.gbo_winkelfunctie == pytest.approx(20 * 80.0)
    assert row.vbo_bron == "pand"


def test_inputs_are_not_mutated():
    g = buildings([flat(), flat(status="Pand gesloopt")])
    before = g.copy()
    prepare_buildings(ScanInputs(gebouwen=g, gebieden=gebieden()))
    assert g.equals(before) and list(g.columns) == list(before.columns)


def test_wrong_crs_is_an_error():
    g = buildings([flat()]).to_crs(4326)
    with pytest.raises(ValueError, match="EPSG:28992"):
        ScanInputs(gebouwen=g)


def test_unknown_gebied_toewijzing():
    with pytest.raises(ValueError, match="gebied_toewijzing"):
        from scans.params import replace_from_dict

        replace_from_dict(AlgemeenParams(), {"gebied_toewijzing": "zwaartepunt"})


@pytest.mark.parametrize("seed", [3, 11])
def test_vbo_columns_at_a_few_panden_equal_whole_columns(seed, monkeypatch):
    """The vbo aggregates computed only at the panden that have a function equal the whole-column
    computation, value for value (unknown areas, vacant and unlinked vbo's included)."""
    from scans import inputs as inputs_module
    from scans.inputs import _vbo_columns
    from tests.scans.factory import random_town

    town, _portfolio = random_town(seed, 600)
    vbo = town.verblijfsobjecten.copy()
    rng = np.random.default_rng(seed)
    vbo.loc[rng.random(len(vbo)) < 0.05, "oppervlakte"] = np.nan  # unknown areas: NaN sums
    vbo.loc[rng.random(len(vbo)) < 0.03, "pand_id"] = "0363100099999999"  # no such pand
    town = ScanInputs(gebouwen=town.gebouwen, verblijfsobjecten=vbo, gebieden=town.gebieden)
    results = {}
    for share in (0.0, 2.0):  # every function whole / every function at its panden only
        monkeypatch.setattr(inputs_module, "_WHOLE_COLUMNS_FROM", share)
        frame = prepare_buildings(town)[_vbo_columns()]
        # an unknown area makes the pand's sum unknown, also for the functions at a few panden
        rare = [c for c in frame.columns if c.startswith("gbo_") and not c.startswith("gbo_leeg")
                and 0 < (frame[c.replace("gbo_", "n_")] > 0).mean() < 0.25]
        assert rare and frame[rare].isna().any().any()
        results[share] = frame.to_numpy()
    whole, sparse = results[0.0], results[2.0]
    assert (whole > 0).any()
    np.testing.assert_array_equal(sparse, whole)  # NaN where NaN, and the same floats
    assert np.array_equal(np.signbit(sparse), np.signbit(whole))


@pytest.mark.parametrize("seed", [5, 17])
def test_vbo_aggregates_beside_the_geos_work_equal_them_in_line(seed, monkeypatch):
    """From THREADS_FROM panden on, the vbo aggregates run on a thread of their own beside the
    centroids and gebieden; the prepared frame is the same, column for column."""
    from scans import _fast
    from scans import inputs as inputs_module
    from tests.scans.factory import random_town

    town, _portfolio = random_town(seed, 500)
    started = []
    monkeypatch.setattr(inputs_module, "beside", lambda *a: started.append(a) or _fast.beside(*a))
    in_line = prepare_buildings(town)
    assert not started
    monkeypatch.setattr(_fast, "THREADS_FROM", 100)
    aside = prepare_buildings(town)
    assert len(started) == 1 and len(town.gebouwen) >= 100
    assert list(aside.columns) == list(in_line.columns)
    for column in in_line.columns:
        assert aside[column].equals(in_line[column]), column
    assert aside["vbo_aantal"].sum() > 0


def test_overlays_query_with_the_polygons_and_find_what_a_point_query_finds():
    """points_in_polygons given the buildings (not their centroid points) finds the pairs, in the
    order, of a tree query with the points: also for a centroid on a zone border and for an
    invalid (self-intersecting) building whose centroid lies outside its bounding box."""
    import shapely
    from shapely import Polygon, STRtree

    from scans.inputs import points_in_polygons

    rng = np.random.default_rng(7)
    corners = rng.uniform(0, 1000, (400, 2)) + [X0, Y0]
    sizes = rng.uniform(2, 30, (400, 2))
    houses = list(shapely.box(corners[:, 0], corners[:, 1], corners[:, 0] + sizes[:, 0], corners[:, 1] + sizes[:, 1]))
    houses += [box(X0 + 90, Y0 + 10, X0 + 110, Y0 + 20),  # centroid on the border x = X0 + 100
               Polygon([(X0 + 500, Y0 + 500), (X0 + 510, Y0 + 510), (X0 + 510, Y0 + 500), (X0 + 500, Y0 + 511)])]
    houses = np.array(houses, dtype=object)
    zones = np.array([box(X0 + i, Y0 + j, X0 + i + 100, Y0 + j + 100) for i in range(0, 1000, 100)
                      for j in range(0, 1000, 100)] + [box(X0 + 400, Y0 + 450, X0 + 480, Y0 + 520)], dtype=object)
    points = shapely.centroid(houses)
    x, y = shapely.get_x(points), shapely.get_y(points)
    bowtie = houses[-1]
    assert not bowtie.is_valid and not shapely.box(*bowtie.bounds).intersects(points[-1])  # outside its box
    expected = STRtree(zones).query(points, predicate="intersects")
    got = np.vstack(points_in_polygons(houses, x, y, zones))
    assert np.array_equal(got, expected)
    assert len(houses) - 1 in got[0] and (got[0] == len(houses) - 2).sum() == 2  # the bowtie, the border


def test_prepared_buildings_keep_centroid_coordinates_not_points():
    import shapely

    geoms = [box(X0, Y0, X0 + 20, Y0 + 10), box(X0 + 3, Y0 + 7, X0 + 11, Y0 + 40)]
    out = prepared([flat(), flat()], geoms=geoms)
    assert "centroid" not in out.columns
    centroids = shapely.centroid(np.array(geoms, dtype=object))
    assert out["cx"].tolist() == shapely.get_x(centroids).tolist()
    assert out["cy"].tolist() == shapely.get_y(centroids).tolist()
