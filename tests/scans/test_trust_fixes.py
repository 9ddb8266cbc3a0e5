"""Trust fixes of issue 20: vacant offices, a monotone boerenerf, a fixed award year, monuments."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from shapely.geometry import Point, box

from layers.feedback import RecordingFeedback
from layers.roles import map_columns
from scans import boerenerf, optoppen, transformatie
from scans.inputs import ScanInputs, prepare_buildings
from scans.pipeline import run_potentiescan
from scans.scenarios import PRESETS
from tests.scans.factory import RD, X0, Y0, buildings, flat, square, vbo

HOUSE = dict(gebruiksdoel="woonfunctie", aantal_vbo=1.0, bouwjaar=1930.0, status="Pand in gebruik")
SHED = dict(gebruiksdoel="industriefunctie", aantal_vbo=1.0, bouwjaar=1980.0, status="Pand in gebruik", kas_warenhuis=False)
OFFICE = dict(gebruiksdoel="kantoorfunctie", aantal_vbo=1.0, oppervlakte_min=700.0, oppervlakte_max=700.0)


# --------------------------------------------------------------------------- vacant offices


def _office_with_vbo(pand_status: str, vbo_status: str):
    g = buildings([flat(**OFFICE, status=pand_status)])
    layer = vbo([("v1", g["pand_id"][0], "kantoorfunctie", 700.0, vbo_status, Point(X0 + 10, Y0 + 10))])
    return ScanInputs(gebouwen=g, verblijfsobjecten=layer)


@pytest.mark.parametrize("scenario,homes", [("standaard", 10), ("optimistisch", 13), ("pessimistisch", 8)])
def test_vacant_office_is_a_candidate(scenario, homes):
    """A vacant office (pand and vbo 'buiten gebruik') is the best candidate (DOMAIN.md
    "prefer vacant"), never excluded as "niet in gebruik"; also where only vacancy counts."""
    out = run_potentiescan(_office_with_vbo("Pand buiten gebruik", "Verblijfsobject buiten gebruik"), PRESETS[scenario]).gebouwen
    assert (out.loc[0, "transformatie_woningen"], out.loc[0, "transformatie_reden"]) == (homes, "kandidaat")


def test_vacancy_from_the_pand_status_when_only_vacancy_counts():
    params = transformatie.Params(alleen_leegstand=True)
    # the pand is vacant: all its vbo's are, whatever their own status says
    vacant_pand = run_potentiescan(_office_with_vbo("Pand buiten gebruik", "Verblijfsobject in gebruik"),
                                   PRESETS["standaard"].with_section("transformatie", params)).gebouwen
    assert vacant_pand.loc[0, "transformatie_woningen"] == 10
    in_use = run_potentiescan(_office_with_vbo("Pand in gebruik", "Verblijfsobject in gebruik"),
                              PRESETS["standaard"].with_section("transformatie", params)).gebouwen
    assert in_use.loc[0, "transformatie_reden"] == "geen leegstaande kantoorfunctie (BAG-status buiten gebruik)"
    # without verblijfsobjecten vacancy is unknown, not "geen leegstaande kantoorfunctie"
    pand_only = run_potentiescan(ScanInputs(gebouwen=buildings([flat(**OFFICE, status="Pand in gebruik")])),
                                 PRESETS["standaard"].with_section("transformatie", params)).gebouwen
    assert pand_only.loc[0, "transformatie_reden"] == "leegstand onbekend (geen verblijfsobjecten)"
    assert pand_only.loc[0, "transformatie_onbekend"]


# --------------------------------------------------------------------------- boerenerf monotone


def _two_farms(gap_between_sheds: float):
    """Two 3,000 m² sheds ``gap_between_sheds`` m apart, each with its own farmhouse 10 m away."""
    side = math.sqrt(3000.0)
    x = X0
    house_a = box(x, Y0, x + 10, Y0 + 10)
    shed_a = box(x + 20, Y0, x + 20 + side, Y0 + side)
    shed_b = box(x + 20 + side + gap_between_sheds, Y0, x + 20 + 2 * side + gap_between_sheds, Y0 + side)
    house_b = box(shed_b.bounds[2] + 10, Y0, shed_b.bounds[2] + 20, Y0 + 10)
    records = [flat(**HOUSE), flat(**SHED), flat(**SHED), flat(**HOUSE)]
    return records, [house_a, shed_a, shed_b, house_b]


def _boerenerf_total(scan, records, geoms, **params) -> int:
    return int(scan("boerenerf", records, boerenerf.Params(**params), geoms=geoms)["boerenerf_woningen"].sum())


def test_boerenerf_counter_example_is_monotone(scan):
    """Issue 20: 3 homes at cluster_afstand_m 50 and 6 at 30. Each farm keeps its own cap."""
    records, geoms = _two_farms(40.0)
    assert _boerenerf_total(scan, records, geoms, cluster_afstand_m=30.0) == 6
    assert _boerenerf_total(scan, records, geoms, cluster_afstand_m=50.0) == 6


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    layout=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 3), st.sampled_from([300.0, 900.0, 1500.0, 3000.0]),
                              st.booleans()), min_size=2, max_size=10, unique_by=lambda t: (t[0], t[1])),
)
def test_boerenerf_never_rises_when_a_distance_is_tightened(scan, layout):
    records, geoms = [], []
    for col, row, area, is_house in layout:
        x, y = X0 + col * 45.0, Y0 + row * 45.0
        side = 10.0 if is_house else min(math.sqrt(area), 40.0)
        records.append(flat(**(HOUSE if is_house else SHED), pand_id=f"{len(records) + 1:016d}"))
        geoms.append(box(x, y, x + side, y + side))
    for name, values in (("cluster_afstand_m", (0.0, 10.0, 30.0, 50.0, 120.0)),
                         ("max_afstand_woning_m", (0.0, 10.0, 30.0, 50.0, 120.0))):
        totals = [_boerenerf_total(scan, records, geoms, **{name: value}) for value in values]
        assert totals == sorted(totals), (name, totals)


# --------------------------------------------------------------------------- Woningbouwimpuls award year


def test_award_year_does_not_follow_the_calendar():
    """The default award year is the same on any day: imported on a (faked) later date in a
    fresh interpreter, the default does not move."""
    import subprocess
    import sys

    from scans import locatiescan

    assert locatiescan.LocatiescanParams().toekenningsjaar == locatiescan.TOEKENNINGSJAAR_STANDAARD
    code = (
        "import datetime\n"
        "class Later(datetime.date):\n"
        "    @classmethod\n"
        "    def today(cls):\n"
        "        return cls(2031, 6, 1)\n"
        "datetime.date = Later\n"
        "from scans.locatiescan import LocatiescanParams\n"
        "print(LocatiescanParams().toekenningsjaar)\n"
    )
    later = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           cwd=str(Path(locatiescan.__file__).resolve().parents[1]))
    assert int(later.stdout.strip()) == locatiescan.TOEKENNINGSJAAR_STANDAARD


def test_award_year_from_the_project():
    from scans import locatiescan

    project = type("P", (), {"settings": {"locatiescan": {"toekenningsjaar": 2024}}})()
    assert locatiescan.params_from_project(project).toekenningsjaar == 2024


# --------------------------------------------------------------------------- monuments


def test_monumenten_role_is_recognised_and_mapped():
    frame = pd.DataFrame({"rijksmonument_nummer": ["12345"], "monumenttype": ["zuiver monument"]})
    mapped, report = map_columns(frame, "monumenten")
    assert list(mapped.columns[:2]) == ["monument_nummer", "monument_type"] and mapped["monument_nummer"][0] == "12345"
    from layers.readers import role_from_name
    from layers.roles import _geometry_fits

    assert role_from_name("rijksmonumenten", "point") == "monumenten"
    assert _geometry_fits("monumenten", "point", "polygon") and not _geometry_fits("erven", "polygon", "point")


def test_monument_flag_from_points_and_polygons():
    g = buildings([flat(), flat(), flat()])
    monumenten = gpd.GeoDataFrame({"monument_nummer": ["1", "2"]},
                                  geometry=[Point(X0 + 5, Y0 + 5), box(X0 + 195, Y0 - 5, X0 + 205, Y0 + 5)], crs=RD)
    prepared = prepare_buildings(ScanInputs(gebouwen=g, monumenten=monumenten))
    assert prepared["monument"].tolist() == [True, False, True]
    assert prepare_buildings(ScanInputs(gebouwen=g))["monument"].isna().all()  # no layer: unknown


def test_monumenten_uitsluiten():
    g = buildings([flat(**OFFICE, bouwjaar=1975.0), flat()])
    monumenten = gpd.GeoDataFrame({"monument_nummer": ["1", "2"]}, geometry=[square(0).centroid, square(1).centroid], crs=RD)
    inputs = ScanInputs(gebouwen=g, monumenten=monumenten)
    counted = run_potentiescan(inputs).gebouwen
    assert counted["monument"].tolist() == [True, True]
    assert counted.loc[0, "transformatie_woningen"] == 10 and counted.loc[1, "optoppen_woningen"] == 5
    out = run_potentiescan(inputs, PRESETS["pessimistisch"]).gebouwen
    assert out.loc[0, "transformatie_reden"] == "rijksmonument (uitgesloten in dit scenario)"
    settings = PRESETS["standaard"].with_section("optoppen", optoppen.Params(monumenten_uitsluiten=True))
    assert run_potentiescan(inputs, settings).gebouwen.loc[1, "optoppen_reden"] == "rijksmonument (uitgesloten in dit scenario)"
    # without a monument layer the homes rest on an assumption, and say so
    fb = RecordingFeedback()
    plain = run_potentiescan(ScanInputs(gebouwen=g), settings, fb).gebouwen
    assert any("geen laag 'monumenten'" in m for m in fb.messages)
    assert plain.loc[1, "optoppen_woningen"] == 5
    assert "geen rijksmonument aangenomen (geen laag monumenten)" in plain.loc[1, "optoppen_bron"]
    assert PRESETS["pessimistisch"].optoppen.monumenten_uitsluiten and not PRESETS["optimistisch"].optoppen.monumenten_uitsluiten


def test_boerenerf_unknown_farmhouse_makes_the_erf_unknown(scan):
    """A shed whose only neighbour has no known gebruiksdoel: that neighbour may be the
    farmhouse, so "geen woning binnen 50 m" would state a fact the data does not hold."""
    side = math.sqrt(1500.0)
    records = [flat(**{**HOUSE, "gebruiksdoel": None}), flat(**SHED)]
    geoms = [box(X0, Y0, X0 + 10, Y0 + 10), box(X0 + 20, Y0, X0 + 20 + side, Y0 + side)]
    out = scan("boerenerf", records, geoms=geoms)
    assert out["boerenerf_reden"].tolist() == ["gebruiksdoel onbekend (geen verblijfsobjecten)",
                                               "erf onbekend (gebruiksdoel van panden in de buurt onbekend)"]
    assert out["boerenerf_onbekend"].tolist() == [True, True]
    known = scan("boerenerf", [flat(**HOUSE), flat(**SHED)], geoms=geoms)
    assert known["boerenerf_woningen"].tolist() == [0, 1]
    assert known["boerenerf_bron"].tolist() == ["", "geschat: erf afgeleid uit de panden (geen laag erven)"]
