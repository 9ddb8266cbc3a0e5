"""Unknown is not zero (issue 20): a rule whose input is missing says "… onbekend (…)", the
building counts as onbekend for that scan, estimates are marked, per gebied and in the totals."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from layers.feedback import RecordingFeedback
from layers.messages import LoadReport
from layers.readers import read_layer
from layers.sources import bag
from scans import _rules
from scans.inputs import ScanInputs, dropped_per_status, prepare_buildings
from scans.pipeline import run_potentiescan
from scans.registry import SCANS
from tests.scans.factory import RD, X0, Y0, buildings, flat, square, vbo

FACTUAL_NO_FUNCTION = ("geen woonfunctie", "geen kantoorfunctie", "geen agrarische bedrijfsfunctie")


def _pand_only(n: int = 6) -> gpd.GeoDataFrame:
    """BAG panden as the LVBAG extract gives them without verblijfsobjecten: no gebruiksdoel,
    no aantal_vbo, no areas, no 3D BAG (Doesburg in issue 20)."""
    records = [dict(pand_id=f"{i + 1:016d}", bouwjaar=1975.0, status="Pand in gebruik") for i in range(n)]
    return buildings(records)


def test_first_failure_definite_before_unknown():
    known_fail = np.array([False, True, False])
    unknown = np.array([True, True, False])
    reasons = _rules.first_failure(3, [(unknown, "x onbekend (y)", _rules.ONBEKEND), (known_fail, "feit")])
    assert [reasons.texts[c] for c in reasons.codes] == ["x onbekend (y)", "feit", "kandidaat"]
    assert reasons.unknown().tolist() == [True, False, False]


def test_bag_panden_alone_state_no_factual_function():
    fb = RecordingFeedback()
    result = run_potentiescan(ScanInputs(gebouwen=_pand_only()), feedback=fb)
    g = result.gebouwen
    for name in SCANS:
        reasons = g[f"{name}_reden"].astype(str)
        assert not reasons.str.startswith(FACTUAL_NO_FUNCTION).any(), (name, reasons.unique())
    for name in ("splitsen", "transformatie", "boerenerf"):
        assert (g[f"{name}_reden"].astype(str) == "gebruiksdoel onbekend (geen verblijfsobjecten)").all(), name
        assert g[f"{name}_onbekend"].all() and result.totals[f"{name}_onbekend"] == len(g)
        assert (g[f"{name}_woningen"] == 0).all()
    # optoppen: the first missing input is the vbo count
    assert (g["optoppen_reden"].astype(str) == "aantal verblijfsobjecten onbekend (geen verblijfsobjecten)").all()
    assert any("onbekend gebruiksdoel" in m for m in fb.messages)


def test_a_certain_failure_is_judged_whatever_is_unknown():
    g = _pand_only(2)
    g.loc[0, "status"] = "Pand gesloopt"
    g.loc[1, "bouwjaar"] = 1900.0
    out = run_potentiescan(ScanInputs(gebouwen=g)).gebouwen
    assert out.loc[0, "transformatie_reden"] == "status 'Pand gesloopt' (niet in gebruik)"
    assert not out.loc[0, "transformatie_onbekend"]
    assert out.loc[1, "optoppen_reden"] == "bouwjaar 1900 buiten 1965–1992" and not out.loc[1, "optoppen_onbekend"]


def test_no_vbo_layer_versus_no_vbo_in_the_pand():
    """A pand without vbo's in a vbo layer that covers it is a fact ("geen verblijfsobjecten in
    het pand"); a pand far from every vbo of the layer is unknown; no layer at all is unknown."""
    records = [flat(gebruiksdoel=None, aantal_vbo=None) for _ in range(3)]
    geoms = [square(0), square(1), box(X0 + 50_000, Y0, X0 + 50_020, Y0 + 20)]
    g = buildings(records, geoms)
    layer = vbo([("v1", g["pand_id"][0], "kantoorfunctie", 700.0, "Verblijfsobject in gebruik", Point(X0 + 10, Y0 + 10))])
    out = run_potentiescan(ScanInputs(gebouwen=g, verblijfsobjecten=layer)).gebouwen
    assert out["transformatie_woningen"].tolist() == [10, 0, 0]
    assert out.loc[1, "transformatie_reden"] == "geen verblijfsobjecten in het pand"
    assert not out.loc[1, "transformatie_onbekend"]
    assert out.loc[2, "transformatie_reden"] == "gebruiksdoel onbekend (pand buiten de verblijfsobjectenlaag)"
    assert out.loc[2, "transformatie_onbekend"]
    assert out.loc[0, "transformatie_bron"] == "gemeten"


def test_vbo_without_gebruiksdoel_or_area_is_unknown():
    g = buildings([flat(), flat()])
    pand = g["pand_id"].tolist()
    layer = vbo([
        ("v1", pand[0], None, 200.0, "Verblijfsobject in gebruik", Point(X0 + 10, Y0 + 10)),
        ("v2", pand[1], "woonfunctie", np.nan, "Verblijfsobject in gebruik", Point(X0 + 110, Y0 + 10)),
    ])
    out = run_potentiescan(ScanInputs(gebouwen=g, verblijfsobjecten=layer)).gebouwen
    assert out.loc[0, "splitsen_reden"] == "gebruiksdoel onbekend (verblijfsobjecten zonder gebruiksdoel)"
    assert out.loc[1, "splitsen_reden"] == "oppervlakte (GBO) onbekend (verblijfsobjecten zonder oppervlakte)"
    assert out["splitsen_onbekend"].tolist() == [True, True]


def test_without_gebruiksdoel_prepare_gives_nan_not_zero():
    prepared = prepare_buildings(ScanInputs(gebouwen=_pand_only(2)))
    assert prepared["n_woonfunctie"].isna().all() and prepared["gbo_kantoorfunctie"].isna().all()
    assert prepared["doel_onbekend"].all()
    # a pand the BAG says holds no vbo is a fact, not unknown
    known_empty = prepare_buildings(ScanInputs(gebouwen=buildings([dict(pand_id="0000000000000001", aantal_vbo=0.0)])))
    assert known_empty["n_woonfunctie"].tolist() == [0.0] and not known_empty["doel_onbekend"].any()


def test_per_gebied_counts_unknown_and_estimated():
    records = [dict(pand_id=f"{i + 1:016d}", bouwjaar=1975.0, status="Pand in gebruik") for i in range(3)]
    # an office of 5 vbo's whose total area is estimated from the pand's min and max (Delft case)
    records.append(flat(gebruiksdoel="kantoorfunctie", aantal_vbo=5.0, oppervlakte_min=100.0, oppervlakte_max=300.0))
    g = buildings(records)
    gebieden = gpd.GeoDataFrame({"gebied_code": ["A", "B"]}, geometry=[box(X0 - 10, Y0 - 10, X0 + 150, Y0 + 50),
                                                                      box(X0 + 150, Y0 - 10, X0 + 500, Y0 + 50)], crs=RD)
    result = run_potentiescan(ScanInputs(gebouwen=g, gebieden=gebieden))
    b, geb = result.gebouwen, result.gebieden.set_index("gebied_code")
    assert b.loc[3, "transformatie_woningen"] == 14  # 5 × 200 m² / 70
    assert b.loc[3, "transformatie_bron"].startswith("geschat: GBO uit aantal vbo × gemiddelde")
    assert geb.loc["B", "transformatie_woningen_geschat"] == 14 == result.totals["transformatie_woningen_geschat"]
    for name in SCANS:
        assert geb[f"{name}_onbekend"].sum() == b[f"{name}_onbekend"].sum() == result.totals[f"{name}_onbekend"]
        assert geb[f"{name}_woningen_geschat"].sum() == result.totals[f"{name}_woningen_geschat"]
    assert geb.loc["A", "transformatie_onbekend"] == 2 and geb.loc["B", "transformatie_onbekend"] == 1
    # the bron of a building without homes is empty
    assert (b.loc[b["transformatie_woningen"] == 0, "transformatie_bron"].astype(str) == "").all()


def test_optoppen_marks_storeys_from_height_and_roof_from_footprint():
    g = buildings([flat(), flat(bouwlagen=np.nan), flat(opp_dak_plat=np.nan)])
    out = run_potentiescan(ScanInputs(gebouwen=g)).gebouwen
    assert out["optoppen_bron"].tolist() == [
        "gemeten", "geschat: bouwlagen uit hoogte", "geschat: plat dakoppervlak = footprint (geen 3D BAG-dakoppervlak)"]


@pytest.mark.realdata
def test_delft_estimated_homes_are_marked(realdata):
    """Wippolder: 43 of the 51 transformatie homes come from one pand (5 vbo × an assumed 1,217.5 m²)."""
    layer = read_layer(realdata / "bag-delft-wippolder" / "wippolder_bag_pand.gpkg", role="gebouwen")
    xmin, ymin, xmax, ymax = layer.data.total_bounds
    gebied = gpd.GeoDataFrame({"gebied_code": ["WK050301"]}, geometry=[box(xmin - 1, ymin - 1, xmax + 1, ymax + 1)], crs=RD)
    result = run_potentiescan(ScanInputs(gebouwen=layer.data, gebieden=gebied))
    g = result.gebouwen.set_index("pand_id")
    assert g.loc["0503100000032817", "transformatie_woningen"] == 43
    assert g.loc["0503100000032817", "transformatie_bron"].startswith("geschat: GBO uit aantal vbo × gemiddelde")
    assert g.loc["0503100000025503", "transformatie_bron"] == "gemeten"  # one vbo of 569 m²: measured
    assert result.totals["transformatie_woningen_geschat"] == 43
    assert result.gebieden.set_index("gebied_code").loc["WK050301", "transformatie_woningen_geschat"] == 43
    assert not g["splitsen_reden"].astype(str).eq("geen woonfunctie").any() or (
        g.loc[g["splitsen_reden"].astype(str) == "geen woonfunctie", "gebruiksdoel"].notna().all())


@pytest.mark.realdata
def test_3dbag_cityjson_alone_gives_a_message_and_unknowns(realdata):
    layer = read_layer(realdata / "3dbag-cityjson" / "denbosch_multi_lod.city.json", role="gebouwen")
    fb = RecordingFeedback()
    result = run_potentiescan(ScanInputs(gebouwen=layer.data), feedback=fb)
    assert any("onbekend gebruiksdoel" in m for m in fb.messages)
    for name in ("splitsen", "transformatie"):
        assert result.totals[f"{name}_onbekend"] == len(result.gebouwen) == 10
    reasons = pd.concat([result.gebouwen[f"{s}_reden"].astype(str) for s in SCANS])
    assert not reasons.str.startswith(FACTUAL_NO_FUNCTION).any()


def test_dropped_panden_are_in_the_totals():
    g = buildings([flat(), flat(status="Pand gesloopt"), flat(status="Niet gerealiseerd pand"), flat(status="Pand buiten gebruik")])
    result = run_potentiescan(ScanInputs(gebouwen=g, vervallen={"Pand gesloopt": 2}))
    assert result.totals["panden_vervallen_per_status"] == {"Pand gesloopt": 3, "Niet gerealiseerd pand": 1}
    assert result.totals["panden_vervallen"] == 4


def test_dropped_per_status_from_the_bag_reader_report():
    gdf = gpd.GeoDataFrame({"status": ["Pand in gebruik", "Pand gesloopt", "Pand gesloopt", "Niet gerealiseerd pand"]},
                           geometry=[square(i) for i in range(4)], crs=RD)
    report = LoadReport("pand")
    kept = bag.exclude_not_real(gdf, report)
    assert len(kept) == 1
    assert dropped_per_status(report) == {"Pand gesloopt": 2, "Niet gerealiseerd pand": 1}
    assert dropped_per_status(LoadReport("leeg")) == {}


def test_new_columns_write_to_geopackage_and_excel(tmp_path):
    from gisapp.reports.excel import write_excel
    from scans.pipeline import write_result

    g = buildings([flat(), dict(pand_id="0000000000000009", bouwjaar=1975.0, status="Pand in gebruik")])
    result = run_potentiescan(ScanInputs(gebouwen=g))
    out = write_result(result, tmp_path / "uit.gpkg")
    back = gpd.read_file(out, layer="gebouwen_potentie")
    assert back["transformatie_onbekend"].astype(bool).tolist() == [False, True]
    assert back["optoppen_bron"].fillna("").tolist() == ["gemeten", ""]
    assert back["water_bodem"].isna().all() and back["netcongestie"].isna().all()
    write_excel(result, tmp_path / "uit.xlsx")
    assert (tmp_path / "uit.xlsx").stat().st_size > 0


def test_vbo_layer_without_gebruiksdoel_or_oppervlakte_columns():
    g = buildings([flat()])
    layer = vbo([("v1", g["pand_id"][0], "woonfunctie", 200.0, "Verblijfsobject in gebruik", Point(X0 + 10, Y0 + 10))])
    no_doel = run_potentiescan(ScanInputs(gebouwen=g, verblijfsobjecten=layer.drop(columns="gebruiksdoel"))).gebouwen
    assert no_doel.loc[0, "splitsen_reden"] == "gebruiksdoel onbekend (verblijfsobjecten zonder gebruiksdoel)"
    no_area = run_potentiescan(ScanInputs(gebouwen=g, verblijfsobjecten=layer.drop(columns="oppervlakte"))).gebouwen
    assert no_area.loc[0, "splitsen_reden"] == "oppervlakte (GBO) onbekend (verblijfsobjecten zonder oppervlakte)"
    assert no_doel.loc[0, "splitsen_onbekend"] and no_area.loc[0, "splitsen_onbekend"]
