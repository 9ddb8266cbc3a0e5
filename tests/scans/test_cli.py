"""``gisapp scan`` and ``gisapp scans`` through gisapp.cli.main."""

from __future__ import annotations

import json
import os

import geopandas as gpd
import pyogrio
import pytest

from gisapp.cli import main


def test_scans_list(capsys):
    assert main(["scans", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("optoppen", "splitsen", "transformatie", "boerenerf", "beperkingen", "pessimistisch"):
        assert name in out


def test_scans_help(capsys):
    assert main(["scans", "help", "optoppen"]) == 0
    out = capsys.readouterr().out
    assert "optoppen.bouwjaar_min (int) = 1965 jaar" in out and "Stec/Zuid-Holland 2023" in out
    assert main(["scans", "help", "beperkingen", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {p["name"] for p in data["parameters"]} >= {"uitsluiten_nee_tenzij", "kw_per_woning", "netbewust"}


def test_scans_help_unknown(capsys):
    assert main(["scans", "help", "dakscan"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "onbekende scan of sectie 'dakscan'" in err


def test_scan_sample_project(sample_project_path, tmp_path, capsys):
    out = tmp_path / "uit.gpkg"
    assert main(["scan", str(sample_project_path), "--out", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"buildings", "gebieden", "totals", "seconds"} <= set(data)
    for scan in ("optoppen", "splitsen", "transformatie", "boerenerf"):
        assert data["totals"][scan] > 0, scan
    assert data["totals"]["totaal"] == sum(data["totals"][s] for s in ("optoppen", "splitsen", "transformatie", "boerenerf"))
    assert data["totals"]["woningen_uitgesloten_nee_tenzij"] > 0  # the constraints bite
    assert data["totals"]["woningen_ja_mits"] > 0 and data["totals"]["woningen_in_congestie"] > 0
    assert os.listdir(tmp_path) == ["uit.gpkg"]
    geb = gpd.read_file(out, layer="gebieden_potentie")
    assert len(geb) == data["gebieden"] and int(geb["totaal_woningen"].sum()) == data["totals"]["totaal"]


def test_scan_options(sample_project_path, tmp_path, capsys):
    out = tmp_path / "uit.gpkg"
    args = ["scan", str(sample_project_path), "--out", str(out), "--json", "--scenario", "pessimistisch",
            "--set", "beperkingen.uitsluiten_nee_tenzij=nee", "--gebieden", "wijken", "--portefeuille"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["woningen_uitgesloten_nee_tenzij"] == 0
    assert data["complexen"] > 0
    assert "complexen" in dict(pyogrio.list_layers(out))
    params = pyogrio.read_dataframe(out, layer="scenario_parameters")
    row = params[(params.sectie == "beperkingen") & (params.parameter == "uitsluiten_nee_tenzij")].iloc[0]
    assert row.waarde == "nee" and row.basis == "pessimistisch"


@pytest.mark.parametrize(
    "extra,message",
    [
        (["--set", "optoppen.bouwjaar_min=oud"], "optoppen.bouwjaar_min"),
        (["--scenario", "bestaatniet"], "onbekend scenario 'bestaatniet'"),
        (["--gebieden", "provincies"], "gebiedenlaag 'provincies' bestaat niet"),
    ],
)
def test_scan_user_errors(sample_project_path, tmp_path, capsys, extra, message):
    assert main(["scan", str(sample_project_path), "--out", str(tmp_path / "uit.gpkg"), *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert os.listdir(tmp_path) == []


def test_ctrl_c_leaves_no_file(sample_project_path, tmp_path, capsys, monkeypatch):
    from layers.io import geopackage

    real = geopackage.write_frame
    calls = []

    def interrupted(frame, path, layer):
        calls.append(layer)
        if len(calls) == 2:  # after the buildings layer, before the next
            raise KeyboardInterrupt
        return real(frame, path, layer)

    monkeypatch.setattr(geopackage, "write_frame", interrupted)
    assert main(["scan", str(sample_project_path), "--out", str(tmp_path / "uit.gpkg")]) == 130
    assert "afgebroken" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


@pytest.mark.realdata
def test_scan_real_bag_sample(realdata, tmp_path, capsys):
    bag = realdata / "bag-delft-wippolder" / "wippolder_bag_pand.gpkg"
    project = tmp_path / "wippolder.toml"
    project.write_text(f'[project]\nname = "Wippolder"\n[layers.gebouwen]\npath = "{bag.as_posix()}"\n', encoding="utf-8")
    out = tmp_path / "uit.gpkg"
    # relax the rules the old Wippolder stock fails first, so the height rule is reached
    args = ["scan", str(project), "--out", str(out), "--json",
            "--set", "optoppen.bouwjaar_min=1900", "--set", "optoppen.min_verblijfsobjecten=1",
            "--set", "optoppen.min_aandeel_woonfunctie=0",
            # (and the roof rules, which the footprint alone decides for certain)
            "--set", "optoppen.min_dak_m2=0", "--set", "optoppen.m2_per_woning=1"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["buildings"] == 60 and data["totals"]["optoppen"] == 0
    assert any("geen 3D BAG" in m for m in data["messages"])
    g = gpd.read_file(out, layer="gebouwen_potentie")
    assert (g["optoppen_reden"] == "aantal bouwlagen onbekend (geen 3D BAG)").sum() > 40
    # those panden could not be judged: onbekend, not a fact (unknown is not zero)
    assert (g["optoppen_onbekend"].astype(bool) == g["optoppen_reden"].str.contains("onbekend")).all()
    assert g["pand_id"].str.len().eq(16).all()


def test_scan_reports_seconds_per_step(sample_project_path, tmp_path, capsys):
    """Reading, computing and writing are timed apart (the user waits for all of them);
    a tiled run does them at once and reports only the total."""
    assert main(["scan", str(sample_project_path), "--out", str(tmp_path / "a.gpkg"), "--json", "--tegels", "nee"]) == 0
    stages = json.loads(capsys.readouterr().out)["stages"]
    assert set(stages) == {"lezen", "rekenen", "schrijven", "totaal"}
    assert all(value > 0 for value in stages.values())
    assert stages["totaal"] >= stages["lezen"] + stages["rekenen"] + stages["schrijven"]
    assert main(["scan", str(sample_project_path), "--out", str(tmp_path / "b.gpkg"), "--tegels", "nee"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("  lezen ") and ", rekenen " in last and ", schrijven " in last and "(totaal " in last
    assert main(["scan", str(sample_project_path), "--out", str(tmp_path / "c.gpkg"), "--json", "--tegels", "ja"]) == 0
    assert set(json.loads(capsys.readouterr().out)["stages"]) == {"totaal"}
