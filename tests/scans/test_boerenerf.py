"""Wonen op het boerenerf: yards derived from buildings or from an erven layer."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import box

from scans import boerenerf
from tests.scans.conftest import NAN
from tests.scans.factory import X0, Y0, flat, polygons

HOUSE = dict(gebruiksdoel="woonfunctie", aantal_vbo=1.0, bouwjaar=1930.0, status="Pand in gebruik")
SHED = dict(gebruiksdoel="industriefunctie", aantal_vbo=1.0, bouwjaar=1980.0, status="Pand in gebruik", kas_warenhuis=False)


def farm(shed_m2=(1000.0,), gap=10.0, house=True, shed=None, x=X0):
    """A farmhouse (10 × 10 m) with sheds of given areas east of it, ``gap`` metres apart."""
    records, geoms = [], []
    if house:
        records.append(flat(**HOUSE, pand_id=f"{len(records) + 1:016d}"))
        geoms.append(box(x, Y0, x + 10, Y0 + 10))
    left = x + 10 + gap
    for area in shed_m2:
        side = math.sqrt(area)
        records.append(flat(**{**SHED, **(shed or {})}, pand_id=f"{len(records) + 1:016d}"))
        geoms.append(box(left, Y0, left + side, Y0 + side))
        left += side + 5
    return records, geoms


def run(scan, records, geoms, params=None, **layers):
    out = scan("boerenerf", records, params, geoms=geoms, **layers)
    return out.set_index("pand_id")


@pytest.mark.parametrize(
    "areas,homes",
    [((999.0,), 0), ((1000.0,), 1), ((1999.0,), 1), ((2000.0,), 2), ((3000.0,), 3), ((5000.0,), 3), ((600.0, 500.0), 1)],
)
def test_homes_per_erf(scan, areas, homes):
    records, geoms = farm(areas)
    out = run(scan, records, geoms)
    assert out["boerenerf_woningen"].sum() == homes
    if homes == 0:
        assert out["boerenerf_reden"].iloc[1] == "sloop 999 m² op erf, minder dan 1000 m² per woning"


def test_homes_counted_once_on_the_largest_shed(scan):
    records, geoms = farm((600.0, 800.0, 700.0))
    out = run(scan, records, geoms)
    assert out["boerenerf_woningen"].tolist() == [0, 0, 2, 0]
    assert out["boerenerf_reden"].iloc[0] == "pand heeft woonfunctie"
    assert out["boerenerf_reden"].iloc[2] == "kandidaat"
    assert out["boerenerf_reden"].iloc[1] == "sloop op erf, woningen geteld bij pand 0000000000000003"


def test_equal_sheds_go_to_the_smallest_pand_id(scan):
    records, geoms = farm((1000.0, 1000.0))
    out = run(scan, records, geoms)
    assert out["boerenerf_woningen"].tolist() == [0, 2, 0]


@pytest.mark.parametrize("gap,homes", [(50.0, 1), (50.5, 0)])
def test_distance_to_farmhouse(scan, gap, homes):
    records, geoms = farm((1000.0,), gap=gap)
    out = run(scan, records, geoms)
    assert out["boerenerf_woningen"].sum() == homes
    if not homes:
        assert out["boerenerf_reden"].iloc[1] == "geen woning binnen 50 m (geen erf)"


@pytest.mark.parametrize(
    "shed,reason",
    [
        ({"bouwjaar": 2003.0}, "kandidaat"),
        ({"bouwjaar": 2004.0}, "bouwjaar 2004 niet vóór 2004"),
        ({"bouwjaar": NAN}, "bouwjaar onbekend (niet in de gebouwenlaag)"),
        ({"kas_warenhuis": True}, "kas of warenhuis"),
        ({"gebruiksdoel": "overige gebruiksfunctie"}, "kandidaat"),
        ({"gebruiksdoel": "kantoorfunctie"}, "geen agrarische bedrijfsfunctie (industriefunctie of overige gebruiksfunctie)"),
        ({"gebruiksdoel": "industriefunctie, woonfunctie", "aantal_vbo": 2.0}, "pand heeft woonfunctie"),
        ({"status": "Pand buiten gebruik"}, "kandidaat"),
        ({"status": "Pand gesloopt"}, "status 'Pand gesloopt' (niet in gebruik)"),
    ],
)
def test_candidate_rules(scan, shed, reason):
    records, geoms = farm((1000.0,), shed=shed)
    out = run(scan, records, geoms)
    assert out["boerenerf_reden"].iloc[1] == reason
    assert out["boerenerf_woningen"].iloc[1] == (1 if reason == "kandidaat" else 0)


def test_inside_built_up_area_is_no_erf(scan):
    records, geoms = farm((1000.0,))
    # a village of 61 houses around the farm
    for i in range(61):
        records.append(flat(**HOUSE, pand_id=f"{100 + i:016d}"))
        x, y = X0 - 150 + (i % 10) * 25, Y0 + 40 + (i // 10) * 25
        geoms.append(box(x, y, x + 8, y + 8))
    out = run(scan, records, geoms)
    assert out["boerenerf_woningen"].sum() == 0
    assert out["boerenerf_reden"].iloc[1].startswith("binnen de bebouwde kom (")
    looser = run(scan, records, geoms, boerenerf.Params(kom_max_panden=100))
    assert looser["boerenerf_woningen"].sum() == 1


def test_erven_layer_defines_the_yard(scan):
    records, geoms = farm((600.0, 600.0), house=False)
    erf = polygons([{"naam": "erf 1"}], [box(X0, Y0 - 5, X0 + 45, Y0 + 40)])  # holds only the first shed's centroid
    out = run(scan, records, geoms, erven=erf)
    assert out["boerenerf_reden"].tolist() == ["sloop 600 m² op erf, minder dan 1000 m² per woning", "niet op een erf (laag erven)"]
    big = polygons([{"naam": "erf 1"}], [box(X0, Y0 - 5, X0 + 200, Y0 + 40)])
    out = run(scan, records, geoms, erven=big)
    assert out["boerenerf_woningen"].tolist() == [1, 0]


def test_knooperf_cap(scan):
    records, geoms = farm((8000.0,))
    out = run(scan, records, geoms, boerenerf.Params(max_woningen_per_erf=6, sloop_m2_per_woning=850.0))
    assert out["boerenerf_woningen"].sum() == 6
