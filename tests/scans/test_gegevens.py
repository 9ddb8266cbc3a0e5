"""The data check (scans.gegevens): coverage per role and column, scan states, advice, sources, outcomes."""

from __future__ import annotations

import datetime as dt
import json
import os
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from layers.layer import LayerCollection
from layers.project import LayerSource, Project
from scans.gegevens import ADVICE, DataCheck, check_data, check_result, sources_of
from scans.inputs import ScanInputs
from scans.pipeline import run_potentiescan
from tests.scans import factory

PANDEN_ONLY = [dict(bouwjaar=1975.0, status="Pand in gebruik"), dict(bouwjaar=1930.0, status="Pand in gebruik")]


def panden_only() -> gpd.GeoDataFrame:
    """BAG panden as an LVBAG extract gives them: id, bouwjaar, status, geometry; nothing else."""
    return factory.buildings(PANDEN_ONLY)


def with_3dbag(records: list[dict]) -> list[dict]:
    return [dict(r, h_maaiveld=0.0, h_dak_70p=12.0, dak_type="single horizontal", bouwlagen=4.0, opp_dak_plat=300.0,
                 kas_warenhuis=False) for r in records]


def vbo_for(gebouwen: gpd.GeoDataFrame, oppervlakte=(180.0, 90.0)) -> gpd.GeoDataFrame:
    rows = [(f"{i + 1:016d}", pid, "woonfunctie", opp, "Verblijfsobject in gebruik", geom.centroid)
            for i, (pid, geom, opp) in enumerate(zip(gebouwen["pand_id"], gebouwen.geometry, oppervlakte))]
    return factory.vbo(rows)


def test_panden_only_no_scan_can_run_and_the_advice_names_the_sources():
    check = check_data(ScanInputs(gebouwen=panden_only()))
    assert check.gebouwen == 2
    assert {s.scan: s.state for s in check.scans} == {
        "optoppen": "niet", "splitsen": "niet", "transformatie": "niet", "boerenerf": "niet"}
    splitsen = next(s for s in check.scans if s.scan == "splitsen")
    assert "gebruiksdoel van de verblijfsobjecten" in splitsen.ontbreekt
    assert check.share("gebouwen", "bouwjaar") == 1.0
    assert check.share("gebouwen", "dak_type") == 0.0
    assert check.share("verblijfsobjecten", "panden_met_vbo") == 0.0
    vbo_advice = next(a for a in check.advice if a.startswith(ADVICE["vbo"]))
    assert "splitsen" in vbo_advice and "transformatie" in vbo_advice
    assert any(a.startswith(ADVICE["3dbag"]) and "optoppen" in a for a in check.advice)
    assert check.incomplete


def test_with_vbo_splitsen_and_transformatie_run_fully_optoppen_still_needs_3dbag():
    gebouwen = panden_only()
    check = check_data(ScanInputs(gebouwen=gebouwen, verblijfsobjecten=vbo_for(gebouwen)))
    assert check.state("splitsen") == "volledig"
    assert check.state("transformatie") == "volledig"
    assert check.state("boerenerf") == "volledig"
    assert check.state("optoppen") == "niet"
    assert check.share("verblijfsobjecten", "panden_met_vbo") == 1.0
    assert not any(a.startswith(ADVICE["vbo"]) for a in check.advice)


def test_with_vbo_and_3dbag_every_scan_runs_fully():
    gebouwen = factory.buildings(with_3dbag(PANDEN_ONLY))
    check = check_data(ScanInputs(gebouwen=gebouwen, verblijfsobjecten=vbo_for(gebouwen)))
    assert {s.state for s in check.scans} == {"volledig"}
    assert check.share("gebouwen", "bouwlagen") == 1.0
    assert not any(a.startswith((ADVICE["vbo"], ADVICE["3dbag"])) for a in check.advice)


def test_a_vbo_without_oppervlakte_makes_its_pand_unknown_for_splitsen():
    gebouwen = panden_only()
    check = check_data(ScanInputs(gebouwen=gebouwen, verblijfsobjecten=vbo_for(gebouwen, oppervlakte=(180.0, np.nan))))
    assert check.state("splitsen") == "gedeeltelijk"
    assert check.share("verblijfsobjecten", "oppervlakte") == 0.5


def test_pand_level_functions_are_estimates():
    records = [dict(r, gebruiksdoel="woonfunctie", aantal_vbo=1, oppervlakte_min=160.0, oppervlakte_max=200.0) for r in PANDEN_ONLY]
    check = check_data(ScanInputs(gebouwen=factory.buildings(records)))
    splitsen = next(s for s in check.scans if s.scan == "splitsen")
    assert splitsen.state == "gedeeltelijk"
    assert any("GBO uit oppervlakte min/max" in text for text in splitsen.geschat)
    assert any(a.startswith(ADVICE["vbo"]) for a in check.advice)


def test_storeys_from_height_are_an_estimate_for_optoppen():
    records = [dict(r, bouwlagen=np.nan) for r in with_3dbag(PANDEN_ONLY)]
    gebouwen = factory.buildings(records)
    check = check_data(ScanInputs(gebouwen=gebouwen, verblijfsobjecten=vbo_for(gebouwen)))
    optoppen = next(s for s in check.scans if s.scan == "optoppen")
    assert optoppen.state == "gedeeltelijk"
    assert any("bouwlagen uit de hoogte" in text for text in optoppen.geschat)


def test_absent_constraint_layers_are_reported_absent_and_present_ones_present():
    gebouwen = panden_only()
    absent = check_data(ScanInputs(gebouwen=gebouwen))
    assert absent.layers["water_bodem"] is False and absent.layers["netcongestie"] is False
    assert ADVICE["water_bodem"] in absent.advice and ADVICE["netcongestie"] in absent.advice
    zone = factory.polygons([{"klasse": "ja_mits"}], [box(99000, 449000, 102000, 452000)])
    present = check_data(ScanInputs(gebouwen=gebouwen, water_bodem=zone, netcongestie=gpd.GeoDataFrame(
        {"status_afname": [1]}, geometry=[box(99000, 449000, 102000, 452000)], crs=factory.RD)))
    assert present.layers["water_bodem"] is True and present.layers["netcongestie"] is True
    assert ADVICE["water_bodem"] not in present.advice and ADVICE["netcongestie"] not in present.advice


def test_panden_outside_the_gebieden_in_singular_and_plural():
    from gisapp import i18n

    gebouwen = panden_only()  # squares at x 100000 and 100100
    elsewhere = factory.polygons([{"gebied_code": "BU01", "gebied_naam": "Een"}], [box(0, 0, 10, 10)])
    advice = [a for a in check_data(ScanInputs(gebouwen=gebouwen, gebieden=elsewhere)).advice if "buiten de gebieden" in a]
    assert len(advice) == 1 and advice[0].startswith("2 panden liggen buiten de gebieden")
    one = factory.polygons([{"gebied_code": "BU01", "gebied_naam": "Een"}], [box(99990, 449990, 100050, 450050)])
    single = next(a for a in check_data(ScanInputs(gebouwen=gebouwen, gebieden=one)).advice if "buiten de gebieden" in a)
    try:
        i18n.set_language("en")
        assert i18n.translated(single).startswith("1 building lies outside the areas")
        assert i18n.translated(advice[0]).startswith("2 buildings lie outside the areas")
    finally:
        i18n.set_language("nl")


def test_share_of_panden_inside_a_gebied():
    gebouwen = panden_only()  # squares at x 100000 and 100100
    gebieden = factory.polygons([{"gebied_code": "BU01", "gebied_naam": "Een", "woningvoorraad": np.nan}],
                                [box(99990, 449990, 100050, 450050)])
    check = check_data(ScanInputs(gebouwen=gebouwen, gebieden=gebieden))
    inside = next(c for c in check.coverage if c.column == "in_gebied")
    assert (inside.known, inside.total) == (1, 2)
    assert check.share("gebieden", "woningvoorraad") == 0.0
    assert any(a.startswith("1 pand ligt buiten de gebieden") for a in check.advice)
    assert not any("1 panden" in a for a in check.advice)
    # without locating, the result's gebied_code gives the same share after the scan
    unlocated = check_data(ScanInputs(gebouwen=gebouwen, gebieden=gebieden), locate=False)
    assert next(c for c in unlocated.coverage if c.column == "in_gebied").known is None
    result = run_potentiescan(ScanInputs(gebouwen=gebouwen, gebieden=gebieden))
    after = check_result(result, unlocated)
    assert next(c for c in after.coverage if c.column == "in_gebied").known == 1


def _result(gebouwen: pd.DataFrame, totals: dict | None = None):
    return SimpleNamespace(gebouwen=gebouwen, gebieden=None, totals=totals or {})


def test_check_result_counts_onbekend_and_estimated_homes_from_the_building_columns():
    gebouwen = pd.DataFrame({
        "splitsen_woningen": [1, 2, 0, 0],
        "splitsen_onbekend": [False, False, True, True],
        "splitsen_bron": ["gemeten", "geschat: GBO uit pand", "", ""],
        "optoppen_woningen": [0, 0, 0, 0],
    })
    check = check_result(_result(gebouwen))
    by_scan = {o.scan: o for o in check.outcomes}
    assert (by_scan["splitsen"].onbekend, by_scan["splitsen"].woningen_geschat, by_scan["splitsen"].woningen) == (2, 2, 3)
    assert (by_scan["optoppen"].onbekend, by_scan["optoppen"].woningen_geschat) == (None, None)  # the result does not say
    assert check.incomplete
    assert "2 panden onbekend voor splitsen" in check.banner_text()
    assert "2 woningen rusten op schattingen" in check.banner_text()
    assert "onvolledige gegevens" in check.warning_text()


def test_check_result_prefers_the_totals_and_reports_dropped_panden():
    gebouwen = pd.DataFrame({"transformatie_woningen": [43, 8]})
    totals = {"transformatie": 51, "transformatie_onbekend": 0, "transformatie_woningen_geschat": 43, "gebouwen": 2,
              "panden_vervallen": 3}
    check = check_result(_result(gebouwen, totals))
    (outcome,) = check.outcomes
    assert (outcome.woningen, outcome.onbekend, outcome.woningen_geschat) == (51, 0, 43)
    assert check.panden_vervallen == 3
    assert "43 van 51 woningen" in check.to_text()


def test_a_complete_result_gives_no_warning():
    gebouwen = factory.buildings(with_3dbag(PANDEN_ONLY))
    inputs = ScanInputs(gebouwen=gebouwen, verblijfsobjecten=vbo_for(gebouwen))
    before = check_data(inputs)
    frame = pd.DataFrame({f"{s}_woningen": [0, 0] for s in ("optoppen", "splitsen", "transformatie", "boerenerf")}
                         | {f"{s}_onbekend": [False, False] for s in ("optoppen", "splitsen", "transformatie", "boerenerf")})
    after = check_result(_result(frame), before)
    assert not after.incomplete
    assert after.warning_text() == "" and after.banner_text() == ""


def test_panden_only_pipeline_result_counts_the_onbekend_panden():
    inputs = ScanInputs(gebouwen=panden_only())
    check = check_result(run_potentiescan(inputs), check_data(inputs))
    # without verblijfsobjecten no pand can be judged, except that the 1930 pand fails optoppen's
    # bouwjaar window whatever its functions are
    assert {o.scan: (o.gebouwen, o.onbekend) for o in check.outcomes} == {
        "optoppen": (2, 1), "splitsen": (2, 2), "transformatie": (2, 2), "boerenerf": (2, 2)}
    assert "2 panden onbekend voor splitsen" in check.banner_text()
    json.dumps(check.to_dict())


def _project(tmp_path, bron: dict | None = None) -> Project:
    path = tmp_path / "panden.gpkg"
    panden_only().to_file(path, layer="pand")
    stamp = dt.datetime(2024, 3, 1, 12, 0).timestamp()
    os.utime(path, (stamp, stamp))
    source = LayerSource("gebouwen", "panden.gpkg", "gebouwen", layer="pand")
    if bron is not None:
        source.bron = bron
    return Project(name="t", path=tmp_path / "t.toml", layers=LayerCollection(), sources={"gebouwen": source})


def test_sources_fall_back_to_the_file_and_its_date(tmp_path):
    (source,) = sources_of(_project(tmp_path))
    assert (source.key, source.role, source.url, source.herkomst) == ("gebouwen", "gebouwen", "panden.gpkg", "bestand")
    assert source.opgehaald == "2024-03-01"
    assert "2024-03-01 (datum van het bestand)" in DataCheck(None, sources=(source,)).to_text()
    assert source.titel == "BAG panden"


def test_sources_recorded_in_the_project_win_and_urls_lose_their_credentials(tmp_path):
    bron = {"url": "https://user:geheim@service.pdok.nl/lv/bag/wfs/v2_0?token=abc", "opgehaald": "2026-12-05",
            "peildatum": "2026-12-01", "titel": "BAG (PDOK)"}
    (source,) = sources_of(_project(tmp_path, bron))
    assert source.herkomst == "project"
    assert source.url == "https://service.pdok.nl/lv/bag/wfs/v2_0"
    assert (source.opgehaald, source.peildatum, source.titel) == ("2026-12-05", "2026-12-01", "BAG (PDOK)")


def test_a_project_without_loaded_data_gives_layers_and_sources_only(tmp_path):
    check = check_data(_project(tmp_path))
    assert check.gebouwen is None and check.coverage == ()
    assert check.layers["verblijfsobjecten"] is False
    assert [s.key for s in check.sources] == ["gebouwen"]


def test_the_peildatum_is_read_from_the_file_metadata(tmp_path):
    import pyogrio

    path = tmp_path / "wijken_2023.gpkg"
    frame = factory.polygons([{"gebied_code": "WK01"}], [box(0, 0, 1, 1)])
    pyogrio.write_dataframe(frame, path, layer="wijken", dataset_metadata={"PEILDATUM": "2023-01-01"})
    project = Project(name="t", path=tmp_path / "t.toml", layers=LayerCollection(),
                      sources={"wijken": LayerSource("wijken", path.name, "gebieden", layer="wijken")})
    (source,) = sources_of(project)
    assert source.peildatum.startswith("2023-01-01")
    path.unlink()
    frame.to_file(path, layer="wijken")
    (source,) = sources_of(project)
    assert source.peildatum == "2023 (jaar uit de naam)"


def test_to_dict_is_json_and_to_text_is_dutch():
    check = check_data(ScanInputs(gebouwen=panden_only()))
    data = json.loads(json.dumps(check.to_dict()))
    assert data["gebouwen"] == 2 and data["onvolledig"] is True
    assert {row["scan"]: row["state"] for row in data["scans"]}["splitsen"] == "niet"
    text = check.to_text()
    assert "Gegevenscheck (2 panden)" in text and "Wat toe te voegen:" in text and ADVICE["vbo"] in text


def test_check_data_refuses_other_objects():
    with pytest.raises(ValueError, match="ScanInputs of een project"):
        check_data(object())
    assert isinstance(check_data(ScanInputs(gebouwen=panden_only()), sources=[]), DataCheck)


# --- the CLI: gisapp info PROJECT.toml and gisapp scan --json ------------------------------------


def _write_project(tmp_path, gebouwen: gpd.GeoDataFrame, vbo: gpd.GeoDataFrame | None = None):
    gebouwen.to_file(tmp_path / "panden.gpkg", layer="pand")
    text = '[project]\nname = "Klein"\n[layers.gebouwen]\npath = "panden.gpkg"\nlayer = "pand"\n'
    if vbo is not None:
        vbo.to_file(tmp_path / "vbo.gpkg", layer="vbo")
        text += '[layers.verblijfsobjecten]\npath = "vbo.gpkg"\nlayer = "vbo"\n'
    (tmp_path / "klein.toml").write_text(text, encoding="utf-8")
    return tmp_path / "klein.toml"


def test_info_on_a_project_prints_the_data_check(tmp_path, capsys):
    from gisapp.cli import main

    toml = _write_project(tmp_path, panden_only())
    assert main(["info", str(toml)]) == 0
    out = capsys.readouterr().out
    assert "Gegevenscheck (2 panden)" in out and ADVICE["vbo"] in out and "[gebouwen] BAG panden: panden.gpkg" in out
    assert main(["info", str(toml), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {s["scan"]: s["state"] for s in data["gegevens"]["scans"]}["splitsen"] == "niet"
    assert data["gegevens"]["bronnen"][0]["url"] == "panden.gpkg"


def test_scan_json_has_gegevens_and_warns_on_stderr(tmp_path, capsys):
    import pyogrio

    from gisapp.cli import main

    toml = _write_project(tmp_path, panden_only())
    assert main(["scan", str(toml), "--out", str(tmp_path / "uit.gpkg"), "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    gegevens = data["gegevens"]
    assert gegevens["onvolledig"] is True
    assert [o["scan"] for o in gegevens["uitkomst"]] == ["optoppen", "splitsen", "transformatie", "boerenerf"]
    assert {s["scan"]: s["state"] for s in gegevens["scans"]}["transformatie"] == "niet"
    assert "deze scan liep op onvolledige gegevens" in captured.err
    assert ADVICE["vbo"] in captured.err
    metadata = pyogrio.read_info(tmp_path / "uit.gpkg", layer="gebouwen_potentie")["layer_metadata"]
    assert metadata["BRON_gebouwen"].startswith("BAG panden (gebouwen): panden.gpkg; opgehaald: ")


def test_scan_on_complete_data_gives_no_warning(tmp_path, capsys):
    from gisapp.cli import main

    gebouwen = factory.buildings(with_3dbag(PANDEN_ONLY))
    toml = _write_project(tmp_path, gebouwen, vbo_for(gebouwen))
    assert main(["scan", str(toml), "--out", str(tmp_path / "uit.gpkg"), "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert {s["state"] for s in data["gegevens"]["scans"]} == {"volledig"}
    assert data["gegevens"]["onvolledig"] is False
    assert "onvolledige gegevens" not in captured.err


def test_the_bron_table_of_the_project_file_is_the_source(tmp_path):
    from layers.project import load_project

    panden_only().to_file(tmp_path / "panden.gpkg", layer="pand")
    (tmp_path / "p.toml").write_text(
        '[project]\nname = "p"\n[layers.gebouwen]\npath = "panden.gpkg"\nlayer = "pand"\n'
        '[layers.gebouwen.bron]\nurl = "https://service.pdok.nl/lv/bag/ogc/v1"\nopgehaald = "2026-12-05"\n'
        'peildatum = "2026-12-01"\ntitel = "BAG panden (PDOK)"\n', encoding="utf-8")
    (source,) = check_data(load_project(tmp_path / "p.toml")).sources
    assert (source.titel, source.url, source.opgehaald, source.peildatum, source.herkomst) == (
        "BAG panden (PDOK)", "https://service.pdok.nl/lv/bag/ogc/v1", "2026-12-05", "2026-12-01", "project")


def test_the_banner_names_single_panden_and_scans_that_could_not_run():
    inputs = ScanInputs(gebouwen=panden_only())
    gebouwen = pd.DataFrame({"splitsen_woningen": [0, 1], "splitsen_onbekend": [True, False],
                             "splitsen_bron": ["", "geschat: GBO uit pand"]})
    text = check_result(_result(gebouwen), check_data(inputs)).banner_text()
    assert "1 pand onbekend voor splitsen" in text and "1 woning rust op een schatting" in text
    assert "optoppen kon niet draaien (ontbreekt: " in text
