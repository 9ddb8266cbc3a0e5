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


def test_real_panden_are_written_as_gdal_writes_them(realdata, tmp_path):
    """Real BAG polygons (holes, many vertices) and real CityJSON values through write_result:
    the same rows as GDAL's own write of the frame, a sound file and spatial index."""
    import sqlite3

    from layers.project import load_project
    from scans.inputs import ScanInputs
    from scans.pipeline import run_potentiescan, write_result

    bag = (realdata / "bag-delft-wippolder" / "wippolder_bag_pand.gpkg").as_posix()
    city = (realdata / "3dbag-cityjson" / "denbosch_multi_lod.city.json").as_posix()
    for name, layers in (("bag", f'[layers.gebouwen]\npath = "{bag}"\n'), ("city", f'[layers.gebouwen]\npath = "{city}"\n')):
        result = run_potentiescan(ScanInputs.from_project(load_project(_project(tmp_path, layers))))
        ours = write_result(result, tmp_path / f"{name}-ours.gpkg")
        plain = tmp_path / f"{name}-gdal.gpkg"
        pyogrio.write_dataframe(result.gebouwen, plain, layer="gebouwen_potentie", driver="GPKG", use_arrow=True)
        columns = [row[1] for row in sqlite3.connect(plain).execute("PRAGMA table_info(gebouwen_potentie)")]
        typed = ", ".join(f'"{c}", typeof("{c}")' for c in columns)
        for sql in (f"SELECT {typed} FROM gebouwen_potentie ORDER BY fid",
                    "SELECT * FROM rtree_gebouwen_potentie_geom ORDER BY id"):
            with sqlite3.connect(ours) as left, sqlite3.connect(plain) as right:
                assert left.execute(sql).fetchall() == right.execute(sql).fetchall(), (name, sql)
        with sqlite3.connect(ours) as con:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert con.execute("SELECT rtreecheck('rtree_gebouwen_potentie_geom')").fetchall() == [("ok",)]
