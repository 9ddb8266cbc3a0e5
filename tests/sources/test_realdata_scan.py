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


def test_records_write_of_real_panden_equals_gdals(realdata, tmp_path, monkeypatch):
    """Real BAG polygons (holes, many vertices) and real CityJSON values through the records write."""
    import sqlite3

    from layers.project import load_project
    from scans import gpkg_bulk
    from scans.inputs import ScanInputs
    from scans.pipeline import run_potentiescan, write_result

    bag = (realdata / "bag-delft-wippolder" / "wippolder_bag_pand.gpkg").as_posix()
    city = (realdata / "3dbag-cityjson" / "denbosch_multi_lod.city.json").as_posix()
    calls = []
    original = gpkg_bulk._write_records
    monkeypatch.setattr(gpkg_bulk, "_write_records", lambda *args: calls.append(1) or original(*args))
    for name, layers in (("bag", f'[layers.gebouwen]\npath = "{bag}"\n'), ("city", f'[layers.gebouwen]\npath = "{city}"\n')):
        result = run_potentiescan(ScanInputs.from_project(load_project(_project(tmp_path, layers))))
        calls.clear()
        ours = write_result(result, tmp_path / f"{name}-records.gpkg")
        assert calls == [1]
        with monkeypatch.context() as plain_write:
            plain_write.setenv(gpkg_bulk.SWITCH, "nee")
            plain = write_result(result, tmp_path / f"{name}-gdal.gpkg")
        columns = [row[1] for row in sqlite3.connect(plain).execute("PRAGMA table_info(gebouwen_potentie)")]
        typed = ", ".join(f'"{c}", typeof("{c}")' for c in columns)
        for sql in (f"SELECT {typed} FROM gebouwen_potentie ORDER BY fid",
                    "SELECT * FROM rtree_gebouwen_potentie_geom ORDER BY id",
                    "SELECT table_name, min_x, min_y, max_x, max_y FROM gpkg_contents ORDER BY table_name",
                    "SELECT type, name, sql FROM sqlite_master ORDER BY name"):
            with sqlite3.connect(ours) as left, sqlite3.connect(plain) as right:
                assert left.execute(sql).fetchall() == right.execute(sql).fetchall(), (name, sql)
        with sqlite3.connect(ours) as con:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
