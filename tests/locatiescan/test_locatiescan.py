"""The locatiescan on tiny in-memory locations: every criterion at its boundary."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from affine import Affine

from layers.raster import RasterData
from scans import locatiescan
from scans.constraints import ConstraintParams
from layers.feedback import CancelledError, RecordingFeedback
from scans.inputs import ScanInputs
from scans.locatiescan import LocatiescanParams
from scans.scenarios import PRESETS

RD = "EPSG:28992"
X0, Y0 = 150_000.0, 450_000.0
PARAMS = LocatiescanParams(toekenningsjaar=2026)


def square(x, y, size=100.0):
    return shapely.box(x, y, x + size, y + size)


def locaties(rows):
    """rows: dicts with geometry and any of the locatie columns (defaults: a Wbi-eligible plan)."""
    base = {"naam": "L", "geplande_woningen": 300, "betaalbaar_aandeel": 0.6, "start_bouw": 2027, "planstatus": "hard"}
    data = [{**base, "naam": f"L{i}", **row} for i, row in enumerate(rows)]
    geoms = [row.pop("geometry", square(X0 + 1000 * i, Y0)) for i, row in enumerate(data)]
    return gpd.GeoDataFrame(data, geometry=geoms, crs=RD)


def inputs(**layers):
    empty = gpd.GeoDataFrame({"pand_id": pd.Series([], dtype=object)}, geometry=gpd.GeoSeries([], crs=RD))
    rasters = layers.pop("rasters", {})
    return ScanInputs(gebouwen=empty, rasters=rasters, **layers)


def zones(geoms, **columns):
    return gpd.GeoDataFrame(columns, geometry=list(geoms), crs=RD)


def run(locs, inp=None, **kwargs):
    params = kwargs.pop("params", PARAMS)
    return locatiescan.run(locs, inp or inputs(), kwargs.pop("settings", None), params=params, **kwargs)


# -- Woningbouwimpuls (Woontop-afspraak 19.2) --------------------------------------------------


@pytest.mark.parametrize(
    "row, eligible, fragment",
    [
        ({"geplande_woningen": 200}, True, "voldoet aan de criteria"),
        ({"geplande_woningen": 199}, False, "199 woningen (minimaal 200)"),
        ({"betaalbaar_aandeel": 0.51}, True, "voldoet aan de criteria"),
        ({"betaalbaar_aandeel": 0.50}, False, "50% betaalbaar (meer dan 50% nodig)"),
        ({"start_bouw": 2029}, True, "voldoet aan de criteria"),
        ({"start_bouw": 2030}, False, "start bouw 2030 (uiterlijk 2029"),
        ({"start_bouw": None}, False, "start bouw onbekend"),
        ({"betaalbaar_aandeel": None}, False, "betaalbaar aandeel onbekend"),
    ],
)
def test_woningbouwimpuls_boundaries(row, eligible, fragment):
    result = run(locaties([row]))
    assert bool(result["woningbouwimpuls"].iloc[0]) is eligible
    assert fragment in result["woningbouwimpuls_reden"].iloc[0]


def test_woningbouwimpuls_lists_every_failing_criterion_and_notes_cofinancing():
    result = run(locaties([{"geplande_woningen": 150, "betaalbaar_aandeel": 0.4, "start_bouw": 2031}, {}]))
    reason = result["woningbouwimpuls_reden"].iloc[0]
    assert reason.startswith("voldoet niet: ")
    assert "150 woningen" in reason and "40% betaalbaar" in reason and "start bouw 2031" in reason
    assert "cofinancieren minimaal 50%" in result["woningbouwimpuls_reden"].iloc[1]


def test_award_year_moves_the_start_deadline():
    locs = locaties([{"start_bouw": 2030}])
    assert not run(locs)["woningbouwimpuls"].iloc[0]
    assert run(locs, params=dataclasses.replace(PARAMS, toekenningsjaar=2027))["woningbouwimpuls"].iloc[0]


# -- area, density, water en bodem --------------------------------------------------------------


def test_area_and_density():
    result = run(locaties([{"geometry": square(X0, Y0, 200.0), "geplande_woningen": 200}]))
    assert result["oppervlakte_ha"].iloc[0] == pytest.approx(4.0)
    assert result["dichtheid"].iloc[0] == pytest.approx(50.0)


def test_area_shares_with_a_zone_half_over_a_location_and_worst_class_wins():
    loc = square(X0, Y0, 100.0)
    wb = zones(
        [shapely.box(X0 - 50, Y0, X0 + 50, Y0 + 100),      # ja_mits over the left half
         shapely.box(X0 - 50, Y0, X0 + 25, Y0 + 100),      # nee_tenzij over the left quarter (wins)
         shapely.box(X0 + 500, Y0, X0 + 600, Y0 + 100)],   # elsewhere
        klasse=["ja_mits", "D", "nee_tenzij"],
        thema=["overstroming", "bodemdaling", "ver weg"],
        mits_toelichting=["ophogen tot NAP +0,5 m", "", ""],
    )
    result = run(locaties([{"geometry": loc}]), inputs(water_bodem=wb))
    row = result.iloc[0]
    assert row["aandeel_nee_tenzij"] == pytest.approx(0.25)
    assert row["aandeel_ja_mits"] == pytest.approx(0.25)
    assert row["aandeel_ja"] == pytest.approx(0.5)
    assert row["water_bodem"] == "nee_tenzij"
    assert "ophogen tot NAP +0,5 m" in row["mitsen"]
    assert "bodemdaling" in row["nee_tenzij_zones"] and "ver weg" not in row["nee_tenzij_zones"]
    assert row["score_water_bodem"] == pytest.approx(100 * 0.5 + 50 * 0.25)


def test_a_zone_only_touching_the_boundary_does_not_count():
    wb = zones([shapely.box(X0 + 100, Y0, X0 + 200, Y0 + 100)], klasse=["nee_tenzij"])
    row = run(locaties([{"geometry": square(X0, Y0)}]), inputs(water_bodem=wb)).iloc[0]
    assert row["aandeel_ja"] == 1.0 and row["water_bodem"] == "ja" and row["nee_tenzij_zones"] == ""


def _raster(values, x0=X0, y0=Y0 + 100, cell=25.0):
    return RasterData(np.asarray(values, dtype="float64"), Affine(cell, 0, x0, 0, -cell, y0), RD)


def test_raster_statistics_and_engine_thresholds():
    # 4 × 4 cells of 25 m over a 100 m location; the left column is deeper.
    bodem = np.array([[50.0, 5, 5, 5]] * 4)
    flood = np.array([[0.1, 0.1, 0.1, np.nan]] * 3 + [[2.5, 0.1, 0.1, 0.1]])
    inp = inputs(rasters={"bodemdaling": _raster(bodem), "overstromingsdiepte": _raster(flood)})
    row = run(locaties([{"geometry": square(X0, Y0)}]), inp).iloc[0]
    assert row["bodemdaling_gem_cm"] == pytest.approx((50 + 15) / 4, abs=0.06)
    assert row["bodemdaling_max_cm"] == pytest.approx(50.0)
    assert row["overstromingsdiepte_max_m"] == pytest.approx(2.5)
    assert np.isnan(row["kwel_max"])
    # bodemdaling > 40 cm in 4 of 16 cells: nee_tenzij on a quarter of the area (engine thresholds)
    assert row["aandeel_nee_tenzij"] == pytest.approx(0.25)
    assert row["water_bodem"] == "nee_tenzij"
    assert "bodemdaling 50 cm (> 40 cm)" in row["nee_tenzij_zones"]
    assert "overstromingsdiepte 2,5 m (> 2 m)" in row["nee_tenzij_zones"]


def test_raster_thresholds_follow_the_scenario():
    inp = inputs(rasters={"bodemdaling": _raster(np.full((4, 4), 15.0))})
    locs = locaties([{"geometry": square(X0, Y0)}])
    assert run(locs, inp).iloc[0]["water_bodem"] == "ja_mits"
    strict = dataclasses.replace(PRESETS["standaard"], beperkingen=ConstraintParams(bodemdaling_nee_tenzij_boven_cm=12.0))
    assert run(locs, inp, settings=strict).iloc[0]["water_bodem"] == "nee_tenzij"


def test_a_location_smaller_than_a_cell_is_sampled_at_a_point():
    inp = inputs(rasters={"bodemdaling": _raster(np.full((4, 4), 12.0))})
    row = run(locaties([{"geometry": square(X0 + 30, Y0 + 30, 10.0)}]), inp).iloc[0]
    assert row["bodemdaling_max_cm"] == pytest.approx(12.0)


# -- netcongestie, NPLV, stimulans ----------------------------------------------------------------


def test_congestion_codes_touched_worst_code_and_peak_load():
    net = zones([shapely.box(X0 - 100, Y0, X0 + 60, Y0 + 100), shapely.box(X0 + 60, Y0, X0 + 300, Y0 + 100),
                 shapely.box(X0 + 100, Y0, X0 + 300, Y0 + 100)], status_afname=[1, "rood", 0])
    locs = locaties([{"geometry": square(X0, Y0), "geplande_woningen": 250}, {"geometry": square(X0 + 5000, Y0)}])
    result = run(locs, inputs(netcongestie=net))
    first, far = result.iloc[0], result.iloc[1]
    assert first["netcongestie_codes"] == "1, 3"  # the code-0 zone only touches the boundary
    assert first["netcongestie_max"] == 3
    assert first["aandeel_congestie"] == pytest.approx(0.4)
    assert first["netimpact_kw"] == pytest.approx(250 * 2.0)
    assert first["score_netcongestie"] == pytest.approx(0.6 * 200 / 3 + 0.4 * 0.0)
    assert far["netcongestie_max"] == -1 and far["netcongestie_codes"] == ""
    assert far["score_netcongestie"] == pytest.approx(50.0)
    netbewust = dataclasses.replace(PRESETS["standaard"], beperkingen=ConstraintParams(netbewust=True))
    assert run(locs, inputs(netcongestie=net), settings=netbewust)["netimpact_kw"].iloc[0] == pytest.approx(400.0)


def test_nplv_overlap_and_realisatiestimulans():
    nplv = zones([shapely.box(X0 + 50, Y0 - 50, X0 + 500, Y0 + 500)], focusgebied=["Noord"])
    locs = locaties([{"geometry": square(X0, Y0), "geplande_woningen": 100, "betaalbaar_aandeel": 0.5},
                     {"geometry": square(X0 + 3000, Y0), "geplande_woningen": 100, "betaalbaar_aandeel": None}])
    result = run(locs, inputs(nplv=nplv))
    inside, outside = result.iloc[0], result.iloc[1]
    assert bool(inside["nplv"]) and inside["aandeel_nplv"] == pytest.approx(0.5)
    assert inside["nplv_focusgebied"] == "Noord"
    assert inside["realisatiestimulans_eur"] == pytest.approx(100 * 0.5 * 7000 + 50 * 12000)
    assert not outside["nplv"]
    # unknown betaalbaar aandeel: the engine's 2/3
    assert outside["realisatiestimulans_eur"] == pytest.approx(100 * 2 / 3 * 7000, abs=0.01)
    assert "onbekend" in outside["reden_betaalbaarheid"]


def test_existing_buildings_potential_by_centroid():
    buildings = gpd.GeoDataFrame(
        {"totaal_woningen": [3, 2, 7]},
        geometry=[square(X0 + 10, Y0 + 10, 10), square(X0 + 95, Y0 + 40, 10), square(X0 + 400, Y0, 10)], crs=RD,
    )
    locs = locaties([{"geometry": square(X0, Y0)}])
    row = run(locs, building_result=buildings).iloc[0]
    assert row["bestaande_panden"] == 1 and row["beter_benutten_woningen"] == 3  # centroid of the 2nd is outside
    assert np.isnan(run(locs).iloc[0]["beter_benutten_woningen"])


# -- scores and ranking ----------------------------------------------------------------------------


def test_sub_scores_and_reasons():
    row = run(locaties([{"geplande_woningen": 250, "betaalbaar_aandeel": 1 / 3, "start_bouw": 2029, "planstatus": "zacht"}])).iloc[0]
    assert row["score_woningbehoefte"] == pytest.approx(50.0)
    assert "250 geplande woningen" in row["reden_woningbehoefte"]
    assert row["score_betaalbaarheid"] == pytest.approx(50.0)
    # zacht 60 points; start 3 years after award: 100 − 2 × 20 = 60
    assert row["score_planstatus_timing"] == pytest.approx(60.0)
    assert "planstatus zacht" in row["reden_planstatus_timing"] and "start bouw 2029" in row["reden_planstatus_timing"]
    for name in locatiescan.CRITERIA:
        assert 0 <= row[f"score_{name}"] <= 100 and row[f"reden_{name}"]


def test_weighted_total_and_rank():
    locs = locaties([
        {"geplande_woningen": 500, "betaalbaar_aandeel": 0.0, "planstatus": "idee"},
        {"geplande_woningen": 50, "betaalbaar_aandeel": 0.7, "planstatus": "hard"},
    ])
    equal = run(locs)
    subs = equal[[f"score_{n}" for n in locatiescan.CRITERIA]].to_numpy()
    assert equal["score"].to_numpy() == pytest.approx(np.round(subs.mean(axis=1), 1))
    only_size = dataclasses.replace(PARAMS, gewicht_betaalbaarheid=0.0, gewicht_water_bodem=0.0,
                                    gewicht_netcongestie=0.0, gewicht_planstatus_timing=0.0)
    by_size = run(locs, params=only_size)
    assert by_size["score"].tolist() == [100.0, 10.0]
    assert by_size["rang"].tolist() == [1, 2]
    only_affordable = dataclasses.replace(only_size, gewicht_woningbehoefte=0.0, gewicht_betaalbaarheid=2.0)
    assert run(locs, params=only_affordable)["rang"].tolist() == [2, 1]


def test_ties_rank_by_homes_then_name():
    locs = locaties([{"naam": "B"}, {"naam": "A"}, {"naam": "C", "geplande_woningen": 301}])
    params = dataclasses.replace(PARAMS, gewicht_woningbehoefte=0.0)
    assert run(locs, params=params)["rang"].tolist() == [3, 2, 1]


def test_all_weights_zero_is_an_error():
    zero = LocatiescanParams(**{f"gewicht_{n}": 0.0 for n in locatiescan.CRITERIA})
    with pytest.raises(ValueError, match="gewichten"):
        run(locaties([{}]), params=zero)


def test_params_from_project_settings():
    project = type("P", (), {"settings": {"locatiescan": {"gewicht_water_bodem": 3, "toekenningsjaar": 2027}}})()
    params = locatiescan.params_from_project(project)
    assert params.gewicht_water_bodem == 3.0 and params.toekenningsjaar == 2027
    project.settings = {"locatiescan": {"gewicht_onbekend": 1}}
    with pytest.raises(ValueError, match="onbekende parameter settings.locatiescan.gewicht_onbekend"):
        locatiescan.params_from_project(project)


# -- inputs, outputs, feedback -----------------------------------------------------------------------


def test_inputs_are_not_modified_and_output_columns_are_complete():
    locs = locaties([{}, {"geplande_woningen": None}])
    before = locs.copy()
    result = run(locs)
    pd.testing.assert_frame_equal(locs, before)
    assert list(result.columns) == locatiescan.output_columns()
    assert list(result.index) == list(locs.index)
    assert result["reden_woningbehoefte"].iloc[1] == "aantal woningen onbekend"


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda g: g.set_crs(4326, allow_override=True), "EPSG:28992"),
        (lambda g: g.drop(columns="naam"), "naam"),
        (lambda g: g.assign(betaalbaar_aandeel=60), "tussen 0 en 1"),
        (lambda g: g.set_geometry([shapely.LineString([(0, 0), (1, 1)])], crs=RD), "geen geldige polygoon"),
    ],
)
def test_bad_locations_raise_a_clear_error(change, message):
    with pytest.raises(ValueError, match=message):
        run(change(locaties([{}])))


def test_self_intersecting_location_is_repaired():
    bowtie = shapely.Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0, Y0 + 100), (X0 + 100, Y0)])
    assert run(locaties([{"geometry": bowtie}]))["oppervlakte_ha"].iloc[0] == pytest.approx(0.5)


def test_cancel_raises():
    with pytest.raises(CancelledError):
        run(locaties([{}]), feedback=RecordingFeedback(cancel_after=1))


def test_report_table_and_records_are_ranked():
    result = run(locaties([{"geplande_woningen": 10}, {"geplande_woningen": 400}]))
    table = locatiescan.report_table(result)
    assert table["Rang"].tolist() == [1, 2] and table["Locatie"].tolist() == ["L1", "L0"]
    assert set(table["Woningbouwimpuls"]) <= {"ja", "nee"}
    records = locatiescan.to_records(result)
    assert [r["naam"] for r in records] == ["L1", "L0"] and "geometry" not in records[0]
