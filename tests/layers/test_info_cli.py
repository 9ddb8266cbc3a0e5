import json

import pytest

from gisapp.cli import main


@pytest.fixture
def gpkg(tmp_path, bag_frame):
    path = tmp_path / "panden.gpkg"
    bag_frame.to_file(path, layer="pand")
    return path


def test_info_text(gpkg, capsys):
    assert main(["info", str(gpkg)]) == 0
    out = capsys.readouterr().out
    assert "GPKG" in out and "gebouwen" in out and "pand_id ← identificatie" in out


def test_info_json_keys(gpkg, capsys):
    assert main(["info", str(gpkg), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("crs", "count", "geometry_types", "role", "columns", "problems", "layers", "driver"):
        assert key in data
    assert data["count"] == 3 and data["role"] == "gebouwen"
    assert data["problems"]["sentinel_counts"] == {"bouwjaar": 2}


def test_info_role_and_layer_options(gpkg, capsys):
    assert main(["info", str(gpkg), "--layer", "pand", "--role", "gebouwen", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["layer"] == "pand"


@pytest.mark.parametrize("content", [b"", b"\x00\x01garbage" * 50, None])
def test_info_bad_file_exit_2_one_line(tmp_path, capsys, content):
    path = tmp_path / "kapot.gpkg"
    if content is not None:
        path.write_bytes(content)
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "kapot.gpkg" in err and "Traceback" not in err


def test_info_project(tmp_path, gpkg, capsys):
    (tmp_path / "p.toml").write_text('[project]\nname = "T"\n[layers.gebouwen]\npath = "panden.gpkg"\n')
    assert main(["info", str(tmp_path / "p.toml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["driver"] == "project" and data["count"] == 3
    assert data["layers"][0]["key"] == "gebouwen" and data["layers"][0]["role"] == "gebouwen"
    (tmp_path / "q.toml").write_text('[layers.gebieden]\npath = "weg.gpkg"\n')
    assert main(["info", str(tmp_path / "q.toml")]) == 2
    err = capsys.readouterr().err
    assert "weg.gpkg" in err and "gebieden" in err
