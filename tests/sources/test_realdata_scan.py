"""A scan runs on the real published samples (issue 6): 3D BAG CityJSON, BAG GeoPackage, CBS wijken."""

from __future__ import annotations

import json

import pyogrio

from gisapp.cli import main


def _project(tmp_path, layers: str) -> str:
    toml = tmp_path / "echt.toml"
    toml.write_text('[project]\nname = "Echte data"\n' + layers, encoding="utf-8")
    return str(toml)


def test_scan_on_3dbag_cityjson(realdata, tmp_path, capsys):
    city = (realdata / "3dbag-cityjson" / "denbosch_multi_lod.city.json").as_posix()
    project = _project(tmp_path, f'[layers.gebouwen]\npath = "{city}"\n')
    out = tmp_path / "uit.gpkg"
    assert main(["scan", project, "--out", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["buildings"] == 10
    result = pyogrio.read_dataframe(out, layer="gebouwen_potentie")
    assert len(result) == 10
    # heights came from the CityJSON geometry: no building is refused for missing 3D BAG data
    assert not result["optoppen_reden"].str.contains("geen 3D BAG").any()


def test_scan_on_bag_with_cbs_wijken_in_4326(realdata, tmp_path, capsys):
    bag = (realdata / "bag-delft-wippolder" / "wippolder_bag_pand.gpkg").as_posix()
    wijken = (realdata / "cbs-wijken" / "alkmaar_wijken.geojson").as_posix()
    project = _project(
        tmp_path, f'[layers.gebouwen]\npath = "{bag}"\n[layers.wijken]\nrole = "gebieden"\npath = "{wijken}"\n'
    )
    out = tmp_path / "uit.gpkg"
    assert main(["scan", project, "--out", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["buildings"] == 60
    gebieden = pyogrio.read_dataframe(out, layer="gebieden_potentie")
    # the 8 Alkmaar wijken are listed; Delft's panden fall outside all of them
    assert set(gebieden["gebied_code"]) >= {c for c in gebieden["gebied_code"] if c.startswith("WK0361")}
    assert (gebieden["gebied_code"].str.startswith("WK0361")).sum() == 8
